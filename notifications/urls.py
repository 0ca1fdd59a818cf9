from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<str:public_id>/open/", views.notification_open, name="open"),
    path("settings/", views.preferences, name="preferences"),
    path("jobs/", views.jobs, name="jobs"),
    path("schemes/<slug:slug>/", views.scheme_settings, name="scheme_settings"),
]

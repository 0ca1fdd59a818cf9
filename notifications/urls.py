from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("settings/", views.preferences, name="preferences"),
    path("jobs/", views.jobs, name="jobs"),
    path("lapsed-contact/", views.lapsed, name="lapsed"),
    path("schemes/<slug:slug>/", views.scheme_settings, name="scheme_settings"),
]

from django.urls import path

from accounts import people_views as views

app_name = "people"

urlpatterns = [
    path("schemes/<slug:slug>/people/", views.people_list, name="list"),
    path("schemes/<slug:slug>/people/invite/", views.people_invite, name="invite"),
    path("people/<str:public_id>/role/", views.people_change_role, name="change_role"),
    path("people/<str:public_id>/deactivate/", views.people_deactivate, name="deactivate"),
]

from django.urls import path

from matches import views

app_name = "matches"

urlpatterns = [
    path("", views.match_list, name="list"),
    path("caseload/", views.caseload, name="caseload"),
    path("my-children/", views.my_children, name="my_children"),
    path("for-child/<str:child_public_id>/", views.suggestions, name="suggestions"),
    path(
        "for-volunteer/<str:volunteer_public_id>/",
        views.volunteer_children,
        name="volunteer_children",
    ),
    path("<str:public_id>/", views.match_detail, name="detail"),
    path("<str:public_id>/<slug:action>/", views.match_action, name="act"),
]

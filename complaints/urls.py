from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.complaint_create, name="create"),
    path("make/<slug:scheme_slug>/", views.complaint_make, name="make"),
    path("make/<slug:scheme_slug>/sent/", views.complaint_made, name="made"),
    path("letters/<slug:scheme_slug>/", views.letter_templates, name="letter_templates"),
    path(
        "letters/<slug:scheme_slug>/<str:kind>/",
        views.letter_template_edit,
        name="letter_template_edit",
    ),
    path("<str:public_id>/", views.complaint_detail, name="detail"),
    path("<str:public_id>/letter/<str:letter_id>/", views.letter_download, name="letter"),
    path("<str:public_id>/<str:action>/", views.complaint_action, name="action"),
]

from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    # Public: an applicant needs no account (CSRF-protected, like every form).
    path("apply/<slug:slug>/", views.apply, name="apply"),
    path("apply/<slug:slug>/thank-you/", views.apply_done, name="apply_done"),
    path("volunteers/", views.volunteer_list, name="list"),
    path("volunteers/board/", views.board, name="board"),
    path("volunteers/new/", views.enquiry_create, name="create"),
    path("volunteers/me/", views.me, name="me"),
    path("volunteers/settings/<slug:slug>/", views.scheme_settings, name="settings"),
    path("volunteers/<str:public_id>/", views.detail, name="detail"),
    path("volunteers/<str:public_id>/edit/", views.edit_details, name="edit"),
    path("volunteers/<str:public_id>/move/", views.move, name="move"),
    path("volunteers/<str:public_id>/interview/", views.interview, name="interview"),
    path("volunteers/<str:public_id>/checks/", views.checks, name="checks"),
    path("volunteers/<str:public_id>/references/new/", views.reference_add, name="reference_add"),
    path(
        "volunteers/<str:public_id>/references/<str:reference_id>/",
        views.reference_edit,
        name="reference_edit",
    ),
    path("volunteers/<str:public_id>/training/", views.training, name="training"),
    path("volunteers/<str:public_id>/sign-off/", views.sign_off, name="sign_off"),
    path("volunteers/<str:public_id>/status/", views.status, name="status"),
    path("volunteers/<str:public_id>/profile/", views.profile, name="profile"),
    path("volunteers/<str:public_id>/support/", views.support, name="support"),
    path("volunteers/<str:public_id>/documents/<str:kind>/", views.document, name="document"),
]

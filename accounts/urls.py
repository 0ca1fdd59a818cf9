from django.urls import path

from accounts import views
from accounts.views import people as people_views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    # Passwords: change (signed in), and reset or first choice from an emailed link.
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/changed/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("confirm-password/", views.sudo, name="sudo"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<str:public_id>/end/", views.session_end, name="session_end"),
    path("two-step/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-step/code/", views.two_factor_verify, name="two_factor_verify"),
    path("two-step/backup-codes/", views.backup_codes, name="two_factor_backup_codes"),
]

# People management, at the site's root (namespace "people"): a scheme's people, invitations,
# roles. ivscheme/urls.py includes it beside the account pages above.
people_patterns = (
    [
        path("schemes/<slug:slug>/people/", people_views.people_list, name="list"),
        path("schemes/<slug:slug>/people/invite/", people_views.people_invite, name="invite"),
        path("people/<str:public_id>/role/", people_views.people_change_role, name="change_role"),
        path(
            "people/<str:public_id>/deactivate/", people_views.people_deactivate, name="deactivate"
        ),
    ],
    "people",
)

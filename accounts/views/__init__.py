"""Sign-in, passwords, two-factor, sessions and the account page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from accounts import lockout, selectors, services
from accounts.access import memberships, needs_two_factor
from accounts.forms import (
    ChangePasswordForm,
    ChoosePasswordForm,
    ConfirmPasswordForm,
    ResetRequestForm,
    SignInForm,
    TwoFactorSetupForm,
    TwoFactorVerifyForm,
)
from accounts.middleware import is_verified
from accounts.sessions import SIGNED_IN_AT
from accounts.sudo import safe_next, sudo_active, sudo_grant, sudo_redirect, sudo_required
from core.audit import client_ip
from core.ratelimits import limit_posts

# The secret of an app being set up, kept in the session until a code proves it.
SETUP_KEY = "accounts_totp_setup_key"
# Backup codes just made, shown once on the next page and then forgotten.
NEW_BACKUP_CODES = "accounts_new_backup_codes"


def _record_current_session(request: HttpRequest) -> None:
    """After the session key changed (password change), record the session again."""
    if request.session.session_key:
        services.user_session_record(
            user=request.user,  # type: ignore[arg-type]
            session_key=request.session.session_key,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            signed_in_at=request.session.get(SIGNED_IN_AT),
        )


# --- Sign in and out ---------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        # Wipe what this site kept on the device (encrypted report drafts in IndexedDB and
        # local storage, the service worker's caches): a shared phone keeps nothing.
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The account a sign-in attempt is for, as django-axes counts it: the email address,
    whatever its case or surrounding spaces, so "Ann@X.org " and "ann@x.org" share a count."""
    value = credentials.get("username") if credentials else None
    if value is None:
        value = request.POST.get("username")
    cleaned = str(value or "").strip().lower()
    return cleaned or None


def locked_out(
    request: HttpRequest,
    original_response: HttpResponseBase | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer once an account has had too many wrong passwords from this address
    (accounts.lockout): HTTP 429, with the time the lock ends."""
    cool_off = get_cool_off(request) or timedelta(0)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    ends_at = lockout.lock_ends_at(request, credentials) or timezone.now() + cool_off
    retry_at = timezone.localtime(ends_at)
    context = {"minutes": minutes, "retry_at": retry_at}
    return render(request, "accounts/locked_out.html", context, status=429)


# --- Passwords ---------------------------------------------------------------------------


@method_decorator(
    limit_posts(
        group="accounts.password_reset",
        address_rate="RATELIMIT_PASSWORD_RESET_ADDRESS",
        email_field="email",
        email_rate="RATELIMIT_PASSWORD_RESET_EMAIL",
    ),
    name="dispatch",
)
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = ResetRequestForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choose a password from an emailed link: a reset, or a new account's invitation."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = ChoosePasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_was_reset(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # also gives this browser a new session key
        services.password_was_changed(
            user=form.user, current_session_key=self.request.session.session_key
        )
        _record_current_session(self.request)
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


# --- Account and sessions ----------------------------------------------------------------


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    has_app = selectors.has_totp_device(user)
    context = {
        "memberships": memberships(user),
        "has_two_factor": has_app,
        "two_factor_required": needs_two_factor(user),
        "backup_codes_left": selectors.backup_codes_left(user=user) if has_app else 0,
    }
    return render(request, "accounts/account.html", context)


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    rows = selectors.user_sessions_of(user=request.user)
    current_key = request.session.session_key
    for row in rows:
        row.is_current = row.session_key == current_key  # type: ignore[attr-defined]
    return render(request, "accounts/sessions.html", {"user_sessions": rows})


@login_required
@require_POST
def session_end(request: HttpRequest, public_id: str) -> HttpResponse:
    row = selectors.user_session_get_for_user(user=request.user, public_id=public_id)
    if row.session_key == request.session.session_key:
        logout(request)
        messages.success(request, "You have signed out of this device.")
        return redirect("accounts:login")
    services.user_session_end(user=request.user, user_session=row)  # type: ignore[arg-type]
    messages.success(request, f"The session on {row.device} has ended.")
    return redirect("accounts:sessions")


# --- Sudo mode ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sudo(request: HttpRequest) -> HttpResponse:
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = ConfirmPasswordForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        sudo_grant(request)
        return HttpResponseRedirect(next_url)
    return render(
        request,
        "accounts/sudo.html",
        {
            "form": form,
            "next": next_url,
            "submit_label": "Confirm password",
            "sudo_minutes": round(settings.SUDO_TIMEOUT.total_seconds() / 60),
        },
    )


# --- Two-factor --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if selectors.has_totp_device(user) and not sudo_active(request):
        # Moving to a new phone replaces the app: only after the password again.
        return sudo_redirect(request)
    key = request.session.get(SETUP_KEY)
    if not isinstance(key, str) or not key:
        key = services.totp_new_key()
        request.session[SETUP_KEY] = key
    form = TwoFactorSetupForm(request.POST or None, key=key)
    if request.method == "POST" and form.is_valid() and form.step is not None:
        device = services.totp_device_create(user=user, key=key, step=form.step)  # type: ignore[arg-type]
        otp_login(request, device)
        del request.session[SETUP_KEY]
        request.session[NEW_BACKUP_CODES] = services.backup_codes_create(user=user)  # type: ignore[arg-type]
        messages.success(request, "Two-step verification is on.")
        next_url = safe_next(request, request.GET.get("next"), default="portal:home")
        return redirect(
            f"{reverse('accounts:two_factor_backup_codes')}?{urlencode({'next': next_url})}"
        )
    context = {
        "form": form,
        "setup": selectors.totp_setup_for(user=user, key=key),
        "required": needs_two_factor(user),
        "submit_label": "Turn on two-step verification",
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    next_url = safe_next(request, request.GET.get("next"), default="portal:home")
    if is_verified(user):
        return HttpResponseRedirect(next_url)
    if not selectors.has_totp_device(user):
        return redirect(f"{reverse('accounts:two_factor_setup')}?{urlencode({'next': next_url})}")
    form = TwoFactorVerifyForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        if form.device.persistent_id.startswith("otp_static"):
            left = selectors.backup_codes_left(user=user)
            messages.warning(
                request,
                f"You used a backup code; {left} left. If you have lost your phone, set up "
                "the app again from Your account.",
            )
        return HttpResponseRedirect(next_url)
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "submit_label": "Continue"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    user = request.user
    has_app = selectors.has_totp_device(user)
    if request.method == "POST":
        return _backup_codes_renew(request)
    codes = request.session.pop(NEW_BACKUP_CODES, None)
    context = {
        "codes": [services.format_backup_code(c) for c in codes] if codes else None,
        "has_two_factor": has_app,
        "left": selectors.backup_codes_left(user=user) if has_app else 0,
        "next": safe_next(request, request.GET.get("next")),
    }
    return render(request, "accounts/two_factor_backup_codes.html", context)


@sudo_required
def _backup_codes_renew(request: HttpRequest) -> HttpResponse:
    if not selectors.has_totp_device(request.user):
        messages.error(request, "Set up an authenticator app first.")
        return redirect("accounts:two_factor_setup")
    request.session[NEW_BACKUP_CODES] = services.backup_codes_create(user=request.user)  # type: ignore[arg-type]
    return redirect("accounts:two_factor_backup_codes")

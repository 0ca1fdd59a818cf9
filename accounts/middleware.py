"""Session lifetimes and the two-factor gate, for every request of a signed-in person."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import urlencode

from accounts import selectors, services
from accounts.access import needs_two_factor
from accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT, TOUCH_EVERY_SECONDS
from core.audit import client_ip


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for an htmx request (which would otherwise swap the target
    page into a fragment of the current one)."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _with_next(request: HttpRequest, view_name: str) -> str:
    url = resolve_url(view_name)
    if request.method == "GET" and not request.headers.get("HX-Request"):
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class SessionPolicyMiddleware:
    """Ends sessions that are too old or, for staff, idle too long; keeps "last active".

    - Everyone: signed out SESSION_ABSOLUTE_TIMEOUT (12 hours) after signing in, however
      active they are (the sign-in time is kept in the session by accounts.signals).
    - Staff (accounts.access.needs_two_factor): signed out after STAFF_SESSION_IDLE_TIMEOUT
      (30 minutes) without a request.
    - "Last active" is written to the session and the UserSession row at most once a minute,
      so a busy page does not write on every request (the idle timeout is therefore exact to
      within that minute, on the safe side).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            ended = self._enforce(request, user)
            if ended is not None:
                return ended
        return self.get_response(request)

    def _enforce(self, request: HttpRequest, user: Any) -> HttpResponse | None:
        session = request.session
        now = time.time()
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen = session.get(LAST_SEEN_AT)
        if not isinstance(signed_in_at, int | float):
            # A session from before sign-in times were kept: its lifetime starts now.
            signed_in_at = now
            session[SIGNED_IN_AT] = now
        if not isinstance(last_seen, int | float):
            last_seen = None

        absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
        if now - signed_in_at >= absolute:
            hours = round(absolute / 3600)
            return self._end(
                request,
                f"You have been signed out because you signed in more than {hours} hours ago. "
                "Please sign in again.",
            )
        idle = settings.STAFF_SESSION_IDLE_TIMEOUT.total_seconds()
        if last_seen is not None and now - last_seen >= idle and needs_two_factor(user):
            minutes = round(idle / 60)
            return self._end(
                request,
                f"You have been signed out because there was no activity for {minutes} "
                "minutes. Please sign in again.",
            )
        if last_seen is None or now - last_seen >= TOUCH_EVERY_SECONDS:
            session[LAST_SEEN_AT] = now
            if session.session_key:
                services.user_session_touch(
                    user=user,
                    session_key=session.session_key,
                    ip_address=client_ip(request),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                    signed_in_at=signed_in_at,
                )
        return None

    def _end(self, request: HttpRequest, message: str) -> HttpResponse:
        url = _with_next(request, settings.LOGIN_URL)
        logout(request)
        messages.info(request, message, fail_silently=True)
        return _redirect(request, url)


# Pages a signed-in person who still owes a code may see.
TWO_FACTOR_EXEMPT = frozenset(
    {
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:logout",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "healthz",
    }
)


def is_verified(user: Any) -> bool:
    """Whether this session's person entered a code (django_otp.middleware sets it up)."""
    check = getattr(user, "is_verified", None)
    return bool(check()) if callable(check) else False


class TwoFactorMiddleware:
    """With settings.OTP_REQUIRED on, a signed-in person who owes a code goes nowhere else:

    - staff (accounts.access.needs_two_factor) with no authenticator app yet: to the set-up page;
    - anyone with an app (staff, or someone who chose to turn it on): to the code page.

    Runs before any view (process_view), after URL resolution, so that exemptions are by URL
    name. Static files never reach it (whitenoise answers them first).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if not settings.OTP_REQUIRED:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_verified(user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in TWO_FACTOR_EXEMPT:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if selectors.has_totp_device(user):
            return _redirect(request, _with_next(request, "accounts:two_factor_verify"))
        if needs_two_factor(user):
            return _redirect(request, _with_next(request, "accounts:two_factor_setup"))
        return None

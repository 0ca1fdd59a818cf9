"""Sudo mode: the most harmful actions (role changes, exports) need the password again.

A person who confirms their password on the `accounts:sudo` page may do such actions for
settings.SUDO_TIMEOUT (10 minutes) in that session. Signing in does not count: the point is
that someone who finds a signed-in, unattended computer cannot do them.

    from accounts.sudo import sudo_required

    @login_required
    @sudo_required
    def change_role(request, ...): ...
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

SUDO_SESSION_KEY = "accounts_sudo_at"


def _timeout_seconds() -> float:
    return float(settings.SUDO_TIMEOUT.total_seconds())


def sudo_active(request: HttpRequest) -> bool:
    """True when this session's person confirmed their password in the last 10 minutes."""
    if not request.user.is_authenticated:
        return False
    confirmed_at = request.session.get(SUDO_SESSION_KEY)
    if not isinstance(confirmed_at, int | float):
        return False
    age = time.time() - confirmed_at
    return 0 <= age < _timeout_seconds()


def sudo_grant(request: HttpRequest) -> None:
    """Record that the password was confirmed just now (the sudo page calls this)."""
    request.session[SUDO_SESSION_KEY] = time.time()


def sudo_seconds_left(request: HttpRequest) -> int:
    confirmed_at = request.session.get(SUDO_SESSION_KEY)
    if not sudo_active(request) or not isinstance(confirmed_at, int | float):
        return 0
    return max(0, int(_timeout_seconds() - (time.time() - confirmed_at)))


def safe_next(
    request: HttpRequest, candidate: str | None, default: str = "accounts:account"
) -> str:
    """`candidate` when it is a path or URL on this site, else the `default` page."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


def sudo_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """To the password page, coming back to this page afterwards."""
    return HttpResponseRedirect(
        f"{resolve_url('accounts:sudo')}?{urlencode({'next': request.get_full_path()})}"
    )


def sudo_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send the person to confirm their password first unless they did so recently."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not sudo_active(request):
            return sudo_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper

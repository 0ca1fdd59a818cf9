"""The access log: who looked at which sensitive record, when, and from where."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.models import AccessLog


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person's device, as far as the deployment's own proxies vouch for it.

    Each proxy appends the address it received the request from to X-Forwarded-For, so only the
    last TRUSTED_PROXY_COUNT entries were written by proxies we run; anything left of them was
    written by the client and may be anything. With no trusted proxies (the default) the header
    is ignored and the address is the connection's. The access log, the sign-in history and the
    lockout (django-axes, AXES_CLIENT_IP_CALLABLE) all use this one function.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [e for e in entries if e]
    if not entries:
        return remote
    # Fewer entries than proxies: every one of them was written by a proxy of ours.
    return _valid_ip(entries[-count] if len(entries) >= count else entries[0]) or remote


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def log_access(request: HttpRequest, record: Any, *, action: str = "view") -> AccessLog:
    assert request.user.is_authenticated, "only signed-in people see sensitive records"
    return AccessLog.objects.create(
        user=request.user,
        scheme_id=record.scheme_id,
        record_type=record._meta.label_lower,
        record_public_id=record.public_id,
        action=action,
        path=request.get_full_path()[:500],
        ip_address=client_ip(request),
    )


# The request being answered, so that the one door (each app's `*_get_for_user`) writes the
# access-log row itself: no page can show a child, a concern or a complaint and forget it.
_current_request: ContextVar[HttpRequest | None] = ContextVar("access_log_request", default=None)


class CurrentRequestMiddleware:
    """Lets the selectors log a read with the request's path and the person's address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def record_read(user: Any, record: Any, *, action: str = "view") -> AccessLog | None:
    """The access-log row for `user` reading `record` in the request being answered, once per
    request, record and action. Outside a request (a job, the shell) nobody is looking at a
    page, so there is no row; nor when the request is someone else's."""
    request = _current_request.get()
    if request is None or not request.user.is_authenticated or request.user.pk != user.pk:
        return None
    logged: set[tuple[str, int, str]] = request.__dict__.setdefault("_access_logged", set())
    key = (record._meta.label_lower, record.pk, action)
    if key in logged:
        return None
    logged.add(key)
    return log_access(request, record, action=action)


def access_log_for(record: Any, limit: int = 50) -> list[AccessLog]:
    return list(
        AccessLog.objects.filter(
            record_type=record._meta.label_lower, record_public_id=record.public_id
        )
        .select_related("user")
        .order_by("-at")[:limit]
    )

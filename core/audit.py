"""The access log: who looked at which sensitive record, when, and from where."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest

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


def access_log_for(record: Any, limit: int = 50) -> list[AccessLog]:
    return list(
        AccessLog.objects.filter(
            record_type=record._meta.label_lower, record_public_id=record.public_id
        )
        .select_related("user")
        .order_by("-at")[:limit]
    )

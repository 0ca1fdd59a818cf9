"""The access log: who looked at which sensitive record, when, and from where."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.models import AccessLog


def client_ip(request: HttpRequest) -> str | None:
    # Behind the proxy the client's address is the first of X-Forwarded-For; the proxy is
    # ours (compose), so the header is trusted only as far as it sets it.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


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

"""Reads for the core app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from core.models import Notification, WorkerHeartbeat


def heartbeat_latest() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-created_at").first()


def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at")


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_get_for_user(*, user: Any, public_id: str) -> Notification:
    found = Notification.objects.filter(user=user, public_id=public_id).first()
    if found is None:
        raise Http404("No such notification")
    return found

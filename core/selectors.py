"""Reads for the core app."""

from __future__ import annotations

from core.models import WorkerHeartbeat


def heartbeat_latest() -> WorkerHeartbeat | None:
    return WorkerHeartbeat.objects.order_by("-created_at").first()

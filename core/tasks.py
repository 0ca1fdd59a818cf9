"""Thin Celery wrappers around core services."""

from __future__ import annotations

from celery import shared_task

from core import services


@shared_task(name="core.tasks.record_heartbeat")
def record_heartbeat(source: str = "manual") -> int:
    return services.heartbeat_record(source=source).pk


@shared_task(name="core.tasks.prune_heartbeats")
def prune_heartbeats(keep_days: int = 7) -> int:
    return services.heartbeat_prune(keep_days=keep_days)


@shared_task(name="core.tasks.prune_form_tokens")
def prune_form_tokens(keep_days: int = 30) -> int:
    return services.form_tokens_prune(keep_days=keep_days)

"""Thin Celery wrappers around accounts services."""

from __future__ import annotations

from celery import shared_task

from accounts import services


@shared_task(name="accounts.tasks.prune_user_sessions")
def prune_user_sessions() -> int:
    return services.user_sessions_prune()

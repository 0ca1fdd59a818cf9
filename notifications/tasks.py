"""Thin Celery wrappers around email delivery. Each app's own reminders are tasks in that app
(`<app>/tasks.py`), run inside notifications.monitoring.recorded."""

from __future__ import annotations

from celery import shared_task

from notifications import delivery
from notifications.monitoring import recorded


@shared_task(name="notifications.tasks.deliver_notifications")
def deliver_notifications(ids: list[int] | None = None) -> int:
    return delivery.deliver_immediate(ids)


@shared_task(name="notifications.tasks.sweep_unsent")
def sweep_unsent() -> int:
    return recorded("Email notifications not yet sent", lambda: delivery.deliver_immediate())


@shared_task(name="notifications.tasks.daily_digest")
def daily_digest() -> int:
    return recorded("Daily digest emails", delivery.deliver_digests)

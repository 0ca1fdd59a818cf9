"""Thin Celery wrappers around the data protection services (schedules in ivscheme/celery.py)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from dataprotection.services import bundle, requests, retention
from notifications.monitoring import recorded


@shared_task(name="dataprotection.tasks.retention_scan")
def retention_scan() -> int:
    return recorded(
        "Records past their retention date", lambda: retention.scan_all(timezone.localdate())
    )


@shared_task(name="dataprotection.tasks.access_request_reminders")
def access_request_reminders() -> int:
    return recorded(
        "Subject access requests due", lambda: requests.send_reminders(timezone.localdate())
    )


@shared_task(name="dataprotection.tasks.build_access_bundle", acks_late=True, time_limit=900)
def build_access_bundle(request_id: int) -> str:
    return bundle.build(request_id=request_id)

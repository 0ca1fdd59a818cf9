"""Thin Celery wrappers around reports.services."""

from __future__ import annotations

from celery import shared_task

from reports import services


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def run_export(export_id: int) -> str:
    export = services.export_run(export_id=export_id)
    return export.status if export else "already claimed"

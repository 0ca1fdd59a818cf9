"""Checks behind /healthz: can we reach the database and the broker right now?"""

from __future__ import annotations

from pathlib import Path

from celery import current_app as app  # the project app (ivscheme/celery.py), set as current
from django.conf import settings
from django.db import connection


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down", and we say which
        return f"error: {type(exc).__name__}"
    return "ok"


def check_broker() -> str:
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        # The embedded broker is a pair of folders shared by web, worker and beat.
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "control_folder"):
            folder = Path(str(options[key]))
            if not folder.is_dir():
                return f"error: broker folder {folder.name} missing"
        return "ok"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            # A connection alone does not prove Redis answers; a round trip does.
            conn.default_channel.client.ping()  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"
    return "ok"

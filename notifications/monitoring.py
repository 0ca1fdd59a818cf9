"""What every app's reminders share: the job-run log (the scheme's monitoring settings are
read with `core.schemesettings.settings_by_scheme(MonitoringSettings, ...)`).

Each app's reminders live in `<app>/reminders.py` and run from its `tasks.py` inside
`recorded`, which keeps a JobRun row (when, how long, what it sent, any error) for the
managers' jobs page. Notifications knows no app: the apps call down into it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Literal

from celery import shared_task
from django.utils import timezone

from notifications.models import JobRun


def recorded(name: str, work: Callable[[], int]) -> int:
    """Run a job and keep its JobRun row, error or not."""
    started = time.monotonic()
    run = JobRun.objects.create(job=name, started_at=timezone.now())
    try:
        sent = work()
    except Exception as exc:
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        raise
    else:
        run.sent = sent
        return sent
    finally:
        run.finished_at = timezone.now()
        run.duration_ms = int((time.monotonic() - started) * 1000)
        run.save(update_fields=["sent", "error", "finished_at", "duration_ms"])


def reminder_task(
    name: str, label: str, job: Callable[[Any], int], *, at: Literal["now", "today"] = "today"
) -> Any:
    """The Celery task that runs an app's reminder `job` with the time (`at="now"`) or the
    date in London (`at="today"`), kept in the job-run log under `label`."""

    @shared_task(name=name)
    def run() -> int:
        when = timezone.now() if at == "now" else timezone.localdate()
        return recorded(label, lambda: job(when))

    return run

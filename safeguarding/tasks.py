"""This app's Celery tasks: its reminders (reminders.py), each kept in the job-run log.
Their schedules are in ivscheme/celery.py."""

from __future__ import annotations

from notifications.monitoring import reminder_task
from safeguarding import reminders

escalate_concerns = reminder_task(
    "safeguarding.tasks.escalate_concerns",
    "Safeguarding concerns not acknowledged in time",
    reminders.escalate_unacknowledged_concerns,
    at="now",
)

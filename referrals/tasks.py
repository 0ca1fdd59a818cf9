"""This app's Celery tasks: its reminders (reminders.py), each kept in the job-run log.
Their schedules are in ivscheme/celery.py."""

from __future__ import annotations

from notifications.monitoring import reminder_task
from referrals import reminders

referrals_waiting = reminder_task(
    "referrals.tasks.referrals_waiting",
    "Referrals waiting too long",
    reminders.referrals_waiting_too_long,
)

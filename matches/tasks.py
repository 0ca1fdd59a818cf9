"""This app's Celery tasks: its reminders (reminders.py), each kept in the job-run log.
Their schedules are in ivscheme/celery.py."""

from __future__ import annotations

from matches import reminders
from notifications.monitoring import reminder_task

birthdays = reminder_task(
    "matches.tasks.birthdays", "Matched children turning 18", reminders.eighteenth_birthdays
)

reviews_due = reminder_task("matches.tasks.reviews_due", "Match reviews due", reminders.reviews_due)

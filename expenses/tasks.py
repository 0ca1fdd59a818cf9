"""This app's Celery tasks: its reminders (reminders.py), each kept in the job-run log.
Their schedules are in ivscheme/celery.py."""

from __future__ import annotations

from expenses import reminders
from notifications.monitoring import reminder_task

claims_waiting = reminder_task(
    "expenses.tasks.claims_waiting", "Expense claims waiting for approval", reminders.claims_waiting
)

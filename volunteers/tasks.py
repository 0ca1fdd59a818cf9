"""This app's Celery tasks: its reminders (reminders.py), each kept in the job-run log.
Their schedules are in ivscheme/celery.py."""

from __future__ import annotations

from notifications.monitoring import reminder_task
from volunteers import reminders

renewals = reminder_task(
    "volunteers.tasks.renewals", "DBS and insurance renewals", reminders.volunteer_renewals
)

supervision_overdue = reminder_task(
    "volunteers.tasks.supervision_overdue", "Supervision overdue", reminders.supervision_overdue
)

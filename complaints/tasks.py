"""This app's Celery tasks: its reminders (reminders.py), each kept in the job-run log.
Their schedules are in ivscheme/celery.py."""

from __future__ import annotations

from complaints import reminders
from notifications.monitoring import reminder_task

complaint_deadlines = reminder_task(
    "complaints.tasks.complaint_deadlines",
    "Complaint stage deadlines",
    reminders.complaint_deadlines,
)

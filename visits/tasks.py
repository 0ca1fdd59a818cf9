"""This app's Celery tasks: its reminders (reminders.py), each kept in the job-run log.
Their schedules are in ivscheme/celery.py."""

from __future__ import annotations

from notifications.monitoring import reminder_task
from visits import reminders

overdue_checkouts = reminder_task(
    "visits.tasks.overdue_checkouts",
    "Visits with no check-out",
    reminders.overdue_checkouts,
    at="now",
)

reports_overdue = reminder_task(
    "visits.tasks.reports_overdue", "Visit reports overdue", reminders.reports_overdue
)

lapsed_contact = reminder_task(
    "visits.tasks.lapsed_contact", "Lapsed contact", reminders.lapsed_contact
)

weekly_lapsed_report = reminder_task(
    "visits.tasks.weekly_lapsed_report",
    "Weekly lapsed-contact report",
    reminders.weekly_lapsed_report,
)

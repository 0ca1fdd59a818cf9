"""The one Celery app, and every periodic schedule in one place.

Tasks are thin wrappers around services (see ENGINEERING.md habit 7); they are discovered in
each installed app's ``tasks.py``. Broker and reliability settings live in ``settings.py``
under the ``CELERY_`` prefix so that they are read from the environment like everything else.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivscheme.settings")

app = Celery("ivscheme")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job of the project. Add new schedules here, nowhere else, so that one file
# answers "what runs on its own, and when". Times are Europe/London (CELERY_TIMEZONE).
BEAT_SCHEDULE = {
    # Lets /healthz and operators see that a worker is consuming from the broker.
    "worker-heartbeat": {
        "task": "core.tasks.record_heartbeat",
        "schedule": 60.0,
        "kwargs": {"source": "beat"},
    },
    # Keeps the heartbeat table small: one row a minute would otherwise grow forever.
    "prune-heartbeats": {
        "task": "core.tasks.prune_heartbeats",
        "schedule": crontab(minute=17, hour=3),
    },
    # Create forms' one-time tokens (core/once.py): a month covers any page left open.
    "prune-form-tokens": {
        "task": "core.tasks.prune_form_tokens",
        "schedule": crontab(minute=27, hour=3),
    },
    # Monitoring: each app's reminders (<app>/reminders.py). Each is sent once whatever the
    # schedule.
    "escalate-unacknowledged-concerns": {
        "task": "safeguarding.tasks.escalate_concerns",
        "schedule": 300.0,
    },
    # Lone working: an IV who has not checked out may need help now.
    "overdue-checkouts": {
        "task": "visits.tasks.overdue_checkouts",
        "schedule": 120.0,
    },
    "visit-reports-overdue": {
        "task": "visits.tasks.reports_overdue",
        "schedule": crontab(minute=50, hour=6),
    },
    "lapsed-contact": {
        "task": "visits.tasks.lapsed_contact",
        "schedule": crontab(minute=0, hour=6),
    },
    "weekly-lapsed-contact-report": {
        "task": "visits.tasks.weekly_lapsed_report",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    "match-reviews-due": {
        "task": "matches.tasks.reviews_due",
        "schedule": crontab(minute=5, hour=7),
    },
    "supervision-overdue": {
        "task": "volunteers.tasks.supervision_overdue",
        "schedule": crontab(minute=15, hour=7, day_of_week="mon"),
    },
    "expense-claims-waiting": {
        "task": "expenses.tasks.claims_waiting",
        "schedule": crontab(minute=25, hour=7),
    },
    "email-unsent-notifications": {
        "task": "notifications.tasks.sweep_unsent",
        "schedule": 60.0,
    },
    "daily-digest": {
        "task": "notifications.tasks.daily_digest",
        "schedule": crontab(minute=0, hour=7),
    },
    "referrals-waiting-too-long": {
        "task": "referrals.tasks.referrals_waiting",
        "schedule": crontab(minute=10, hour=6),
    },
    # Data protection: what has passed its retention date, for a manager to approve.
    "retention-scan": {
        "task": "dataprotection.tasks.retention_scan",
        "schedule": crontab(minute=40, hour=2),
    },
    # Subject access requests: a week before the deadline, and when overdue.
    "access-request-reminders": {
        "task": "dataprotection.tasks.access_request_reminders",
        "schedule": crontab(minute=30, hour=7),
    },
    "eighteenth-birthdays": {
        "task": "matches.tasks.birthdays",
        "schedule": crontab(minute=20, hour=6),
    },
    "dbs-and-insurance-renewals": {
        "task": "volunteers.tasks.renewals",
        "schedule": crontab(minute=30, hour=6),
    },
    "complaint-deadlines": {
        "task": "complaints.tasks.complaint_deadlines",
        "schedule": crontab(minute=40, hour=6),
    },
    # Forgets the records of sessions past their 12-hour lifetime ("Your sessions" page).
    "prune-user-sessions": {
        "task": "accounts.tasks.prune_user_sessions",
        "schedule": crontab(minute=23, hour=3),
    },
}
app.conf.beat_schedule = BEAT_SCHEDULE

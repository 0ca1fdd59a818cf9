"""Tasks only the reliability tests load into a real worker (`celery worker -I ...`)."""

from __future__ import annotations

import time

from celery import shared_task

from accounts.models import User
from notifications.services import notify


@shared_task(name="tests.slow_reminders", acks_late=True, reject_on_worker_lost=True)
def slow_reminders(key: str, emails: list[str], pause: float) -> int:
    """Tells each person in turn, pausing between them: a job long enough to be killed in."""
    sent = 0
    for email in emails:
        sent += notify(users=list(User.objects.filter(email=email)), title="Reminder", key=key)
        time.sleep(pause)
    return sent

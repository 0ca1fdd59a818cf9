"""Safeguarding's reminder: a concern nobody acknowledged in time.

Each scans with set-based queries, tells the right people through
notifications.services.notify with a key naming the kind of reminder, the record and the due
date, and so sends each reminder once however often it runs. The Celery task that runs it is
in this app's tasks.py; its schedule is in ivscheme/celery.py."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from accounts import access
from accounts.models import Role
from notifications.services import notify
from safeguarding.selectors import overdue_unacknowledged
from safeguarding.services import concern_mark_escalated


def escalate_unacknowledged_concerns(now: datetime) -> int:
    """A concern nobody acknowledged in time goes to the scheme's managers, urgently, once."""
    concerns = list(overdue_unacknowledged(now))
    managers = access.people_with_roles({c.scheme_id for c in concerns}, (Role.MANAGER,))
    sent = 0
    for concern in concerns:
        # Claimed with a conditional update: a second job running at once skips it.
        if not concern_mark_escalated(concern_id=concern.pk):
            continue
        sent += notify(
            users=managers[concern.scheme_id],
            title="A safeguarding concern has not been acknowledged in time",
            url=reverse("safeguarding:detail", args=[concern.public_id]),
            key=f"concern-escalated:{concern.public_id}",
            scheme_id=concern.scheme_id,
            urgent=True,
        )
    return sent

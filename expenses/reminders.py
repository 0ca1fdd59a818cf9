"""Expenses' reminder: claims waiting for a decision.

Each scans with set-based queries, tells the right people through
notifications.services.notify with a key naming the kind of reminder, the record and the due
date, and so sends each reminder once however often it runs. The Celery task that runs it is
in this app's tasks.py; its schedule is in ivscheme/celery.py."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from accounts import access
from accounts.models import Role
from core.dates import day_start
from expenses.models import Claim, ClaimStatus
from notifications.services import notify_bulk


def claims_waiting(today: date, after_days: int = 5) -> int:
    """Expense claims waiting for a decision for over `after_days` days: to the scheme's
    coordinators, or its managers when the claim is over a limit (only they may approve)."""
    cutoff = day_start(today - timedelta(days=after_days))
    claims = list(
        Claim.objects.filter(status=ClaimStatus.SUBMITTED, submitted_at__lt=cutoff).only(
            "pk", "public_id", "scheme_id", "over_limit", "submitted_at"
        )
    )
    scheme_ids = {c.scheme_id for c in claims}
    coordinators = access.people_with_roles(scheme_ids, (Role.COORDINATOR,))
    managers = access.people_with_roles(scheme_ids, (Role.MANAGER,))
    items = []
    for c in claims:
        people = managers[c.scheme_id] if c.over_limit else coordinators[c.scheme_id]
        assert c.submitted_at is not None
        items += [
            {"user_id": p.pk, "title": "An expense claim is waiting for a decision",
             "url": reverse("expenses:detail", args=[c.public_id]),
             "key": f"claim-waiting:{c.public_id}:{c.submitted_at.date().isoformat()}",
             "scheme_id": c.scheme_id}
            for p in people
        ]  # fmt: skip
    return notify_bulk(items)

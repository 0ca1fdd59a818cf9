"""Referrals' reminder: a child waiting too long for a match.

Each scans with set-based queries, tells the right people through
notifications.services.notify with a key naming the kind of reminder, the record and the due
date, and so sends each reminder once however often it runs. The Celery task that runs it is
in this app's tasks.py; its schedule is in ivscheme/celery.py."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from accounts import access
from accounts.models import Role
from core.schemesettings import settings_by_scheme
from notifications.models import MonitoringSettings
from notifications.services import notify
from referrals.models import Referral, ReferralStatus


def referrals_waiting_too_long(today: date) -> int:
    waiting = list(
        Referral.objects.filter(status=ReferralStatus.WAITING, waiting_since__isnull=False).only(
            "pk", "public_id", "scheme_id", "waiting_since"
        )
    )
    config = settings_by_scheme(MonitoringSettings, {r.scheme_id for r in waiting})
    coordinators = access.people_with_roles({r.scheme_id for r in waiting}, (Role.COORDINATOR,))
    sent = 0
    for r in waiting:
        limit = config[r.scheme_id].referral_wait_limit_days
        assert r.waiting_since is not None
        if (today - r.waiting_since).days < limit:
            continue
        sent += notify(
            users=coordinators[r.scheme_id],
            title=f"A child has waited over {limit} days for a match",
            url=reverse("referrals:detail", args=[r.public_id]),
            key=f"referral-wait:{r.public_id}:{limit}",
            scheme_id=r.scheme_id,
        )
    return sent

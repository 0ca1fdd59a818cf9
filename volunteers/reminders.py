"""Volunteers' reminders: DBS and car-insurance renewals, and supervision overdue.

Each scans with set-based queries, tells the right people through
notifications.services.notify with a key naming the kind of reminder, the record and the due
date, and so sends each reminder once however often it runs. The Celery task that runs it is
in this app's tasks.py; its schedule is in ivscheme/celery.py."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Max, Q
from django.urls import reverse

from accounts import access
from accounts.models import Role
from core.schemesettings import settings_by_scheme
from notifications.models import MonitoringSettings
from notifications.services import notify, notify_bulk
from volunteers.models import Stage, SupportKind, Volunteer, VolunteerSchemeSettings
from volunteers.rules import dbs_renewal_due


def volunteer_renewals(today: date) -> int:
    """DBS renewal and car insurance expiry, at each of the scheme's notice points
    (60, 30 and 7 days by default): to the scheme's coordinators and the volunteer."""
    volunteers = list(
        Volunteer.objects.filter(stage=Stage.APPROVED)
        .filter(Q(dbs_issued_on__isnull=False) | Q(insurance_expires_on__isnull=False))
        .select_related("user", "scheme")
    )
    config = settings_by_scheme(MonitoringSettings, {v.scheme_id for v in volunteers})
    coordinators = access.people_with_roles({v.scheme_id for v in volunteers}, (Role.COORDINATOR,))
    volunteer_settings = settings_by_scheme(
        VolunteerSchemeSettings, {v.scheme_id for v in volunteers}
    )
    sent = 0
    for v in volunteers:
        dues = [("DBS renewal", dbs_renewal_due(v, volunteer_settings[v.scheme_id]))]
        if v.drives:
            dues.append(("Car insurance", v.insurance_expires_on))
        for label, due in dues:
            if due is None:
                continue
            left = (due - today).days
            # The nearest notice point still ahead: with 60, 30 and 7, at 25 days left the
            # 30-day reminder (sent once), at 5 days left the 7-day one.
            for point in sorted(config[v.scheme_id].renewal_days()):
                if 0 <= left <= point:
                    people = [*coordinators[v.scheme_id], *([v.user] if v.user else [])]
                    sent += notify(
                        users=people,
                        title=f"{label} for a volunteer is due on {due:%d %B %Y}",
                        url=reverse("volunteers:detail", args=[v.public_id]),
                        key=f"renewal:{label}:{v.public_id}:{due.isoformat()}:{point}",
                        scheme_id=v.scheme_id,
                    )
                    break
    return sent


def supervision_overdue(today: date) -> int:
    """Approved volunteers whose last supervision is older than the scheme's interval."""

    volunteers = list(
        Volunteer.objects.filter(stage=Stage.APPROVED)
        .exclude(status__in=["left"])
        .annotate(
            last_supervision=Max(
                "support_sessions__held_on",
                filter=Q(
                    support_sessions__kind=SupportKind.SUPERVISION, support_sessions__attended=True
                ),
            )
        )
        .only("pk", "public_id", "scheme_id", "approved_on", "user_id")
    )
    config = settings_by_scheme(VolunteerSchemeSettings, {v.scheme_id for v in volunteers})
    coordinators = access.people_with_roles({v.scheme_id for v in volunteers}, (Role.COORDINATOR,))
    items = []
    for v in volunteers:
        since = v.last_supervision or v.approved_on  # type: ignore[attr-defined]
        if since is None:
            continue
        due = since + timedelta(weeks=config[v.scheme_id].supervision_interval_weeks)
        if due > today:
            continue
        url = reverse("volunteers:detail", args=[v.public_id])
        items += [
            {"user_id": c.pk, "title": "A volunteer's supervision is overdue", "url": url,
             "key": f"supervision:{v.public_id}:{due.isoformat()}", "scheme_id": v.scheme_id}
            for c in coordinators[v.scheme_id]
        ]  # fmt: skip
    return notify_bulk(items)

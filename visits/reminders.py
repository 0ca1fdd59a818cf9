"""Visits' reminders: lone-working check-outs missed, reports overdue, and lapsed contact.

Each scans with set-based queries, tells the right people through
notifications.services.notify with a key naming the kind of reminder, the record and the due
date, and so sends each reminder once however often it runs. The Celery task that runs it is
in this app's tasks.py; its schedule is in ivscheme/celery.py."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.urls import reverse

from accounts import access
from accounts.models import Membership, Role
from core.dates import day_start
from notifications.services import notify, notify_bulk
from visits.models import Visit, VisitStatus
from visits.selectors import lapsed_matches, visits_overdue_checkout
from visits.services import visit_overdue_alert_mark


def overdue_checkouts(now: datetime) -> int:
    """Lone working: a visit with no check-out by its expected end plus the grace period is
    an urgent alert to the scheme's coordinators, once."""
    visits = list(visits_overdue_checkout(now))
    coordinators = access.people_with_roles({v.scheme_id for v in visits}, (Role.COORDINATOR,))
    sent = 0
    for visit in visits:
        if not visit_overdue_alert_mark(visit=visit, now=now):
            continue  # another run claimed it
        sent += notify(
            users=coordinators[visit.scheme_id],
            title="An IV has not checked out of a visit: check they are safe",
            url=reverse("visits:detail", args=[visit.public_id]),
            key=f"checkout-overdue:{visit.public_id}",
            scheme_id=visit.scheme_id,
            urgent=True,
        )
    return sent


def reports_overdue(today: date, days: int = 7) -> int:
    """A held visit with no report a week later: remind the IV (and tell the coordinator)."""
    cutoff = day_start(today - timedelta(days=days))
    visits = list(
        Visit.objects.filter(status=VisitStatus.HELD, starts_at__lt=cutoff, report__isnull=True)
        .select_related("match")
        .only("pk", "public_id", "scheme_id", "match__volunteer_id")
    )
    coordinators = access.people_with_roles({v.scheme_id for v in visits}, (Role.COORDINATOR,))
    items = []
    for v in visits:
        url = reverse("visits:detail", args=[v.public_id])
        key = f"report-overdue:{v.public_id}"
        items.append(
            {
                "user_id": v.match.volunteer_id,
                "title": "Please write the report of your visit",
                "url": url,
                "key": key,
                "scheme_id": v.scheme_id,
            }
        )
        items += [
            {"user_id": c.pk, "title": "A visit report is more than a week late", "url": url,
             "key": key, "scheme_id": v.scheme_id}
            for c in coordinators[v.scheme_id]
        ]  # fmt: skip
    return notify_bulk(items)


def lapsed_contact(today: date) -> int:
    """Tell coordinators once per match and lapse (the key carries the last contact)."""
    rows = lapsed_matches(today)
    coordinators = access.people_with_roles({r["scheme_id"] for r in rows}, (Role.COORDINATOR,))  # type: ignore[misc]
    items = []
    for r in rows:
        last = r["last_contact"].date().isoformat() if r["last_contact"] else "none"  # type: ignore[attr-defined]
        for c in coordinators[r["scheme_id"]]:  # type: ignore[index]
            items.append(
                {
                    "user_id": c.pk,
                    "title": "A match has had no contact for over six weeks",
                    "url": reverse("matches:detail", args=[r["public_id"]]),
                    "key": f"lapsed:{r['public_id']}:{last}",
                    "scheme_id": r["scheme_id"],
                }
            )
    return notify_bulk(items)


def weekly_lapsed_report(today: date) -> int:
    """Every Monday: each coordinator and manager is told how many matches in their scheme
    have lapsed contact, with a link to the list (behind sign-in)."""
    rows = lapsed_matches(today)
    per_scheme: dict[int, int] = defaultdict(int)
    for r in rows:
        per_scheme[r["scheme_id"]] += 1  # type: ignore[index]

    people = Membership.objects.filter(
        role__in=[Role.COORDINATOR, Role.MANAGER], is_active=True, user__is_active=True
    ).values_list("user_id", "scheme_id")
    week = today.isocalendar()
    items = [
        {
            "user_id": user_id,
            "title": f"Weekly report: {per_scheme.get(scheme_id, 0)} matches with lapsed contact",
            "url": reverse("visits:lapsed"),
            "key": f"weekly-lapsed:{scheme_id}:{week.year}-W{week.week:02d}",
            "scheme_id": scheme_id,
        }
        for user_id, scheme_id in people
    ]
    return notify_bulk(items)

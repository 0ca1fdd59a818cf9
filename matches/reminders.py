"""Matches' reminders: a matched child near 18, and match reviews due.

Each scans with set-based queries, tells the right people through
notifications.services.notify with a key naming the kind of reminder, the record and the due
date, and so sends each reminder once however often it runs. The Celery task that runs it is
in this app's tasks.py; its schedule is in ivscheme/celery.py."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Exists, F, Func, IntegerField, Max, OuterRef
from django.urls import reverse

from accounts import access
from accounts.models import Role
from core.dates import years_after
from core.schemesettings import settings_by_scheme
from matches.models import (
    ACTIVE_STATUSES,
    Match,
    MatchReview,
    MatchSchemeSettings,
    MatchStatus,
    ReviewKind,
)
from matches.selectors import add_months
from notifications.models import MonitoringSettings
from notifications.services import notify, notify_bulk


def eighteenth_birthdays(today: date) -> int:
    """Matches end formally at 18: tell the coordinator, once, when it is near."""
    # Candidates: children turning 18 within a year (the longest notice a scheme may set);
    # each scheme's own notice period is applied below.
    horizon = 366
    earliest = years_after(today, -18)
    matches = list(
        Match.objects.filter(
            status__in=ACTIVE_STATUSES,
            child__date_of_birth__gt=earliest,
            child__date_of_birth__lte=earliest + timedelta(days=horizon),
        ).select_related("child")
    )
    config = settings_by_scheme(MonitoringSettings, {m.scheme_id for m in matches})
    coordinators = access.people_with_roles({m.scheme_id for m in matches}, (Role.COORDINATOR,))
    sent = 0
    for match in matches:
        birthday = years_after(match.child.date_of_birth, 18)
        if (birthday - today).days > config[match.scheme_id].birthday_notice_days:
            continue
        sent += notify(
            users=coordinators[match.scheme_id],
            title=f"A matched child turns 18 on {birthday:%d %B %Y}: plan the ending",
            url=reverse("matches:detail", args=[match.public_id]),
            key=f"turns-18:{match.public_id}",
            scheme_id=match.scheme_id,
        )
    return sent


def reviews_due(today: date, notice_days: int = 14) -> int:
    """Trial reviews (after the fourth trial visit), regular reviews (the scheme's interval
    after the last review) and the first-anniversary review, each told once to the match's
    coordinator (or the scheme's coordinators), in three queries whatever the caseload."""

    matches = list(
        Match.objects.filter(
            status__in=[MatchStatus.TRIAL, MatchStatus.TRIAL_REVIEW, MatchStatus.ESTABLISHED],
            started_on__isnull=False,
        )
        .annotate(
            trial_visits=Func(
                F("trial_visit_dates"), function="CARDINALITY", output_field=IntegerField()
            ),
            last_review=Max("reviews__held_on"),
            had_anniversary=Exists(
                MatchReview.objects.filter(match=OuterRef("pk"), kind=ReviewKind.ANNIVERSARY)
            ),
        )
        .only("pk", "public_id", "scheme_id", "status", "started_on", "trial_review_on",
              "coordinator_id")
    )  # fmt: skip
    scheme_ids = {m.scheme_id for m in matches}
    intervals = {
        sid: config.review_interval_months
        for sid, config in settings_by_scheme(MatchSchemeSettings, scheme_ids).items()
    }
    coordinators = access.people_with_roles(scheme_ids, (Role.COORDINATOR,))
    horizon = today + timedelta(days=notice_days)
    items = []
    for m in matches:
        due: list[tuple[str, str]] = []
        if m.status == MatchStatus.TRIAL and m.trial_visits >= 4:  # type: ignore[attr-defined]
            due.append(("trial-review", "A match is ready for its trial review"))
        if m.status == MatchStatus.ESTABLISHED:
            assert m.started_on is not None
            since = max(d for d in (m.last_review, m.trial_review_on, m.started_on) if d)  # type: ignore[attr-defined]
            next_review = add_months(since, intervals[m.scheme_id])
            if next_review <= horizon:
                due.append((f"review-{next_review.isoformat()}", "A match review is due"))
            anniversary = add_months(m.started_on, 12)
            if not m.had_anniversary and anniversary <= horizon:  # type: ignore[attr-defined]
                due.append(("anniversary", "A match's first-anniversary review is due"))
        if not due:
            continue
        people = [c.pk for c in coordinators[m.scheme_id]]
        if m.coordinator_id:
            people = [m.coordinator_id]
        url = reverse("matches:detail", args=[m.public_id])
        for kind, title in due:
            items += [
                {"user_id": uid, "title": title, "url": url,
                 "key": f"{kind}:{m.public_id}", "scheme_id": m.scheme_id}
                for uid in people
            ]  # fmt: skip
    return notify_bulk(items)

"""Demo visits: a year of monthly visits for each demo match, with reports, a few
cancellations (one by a carer as a sanction) and one visit planned next week. Idempotent:
a match that already has visits is left alone."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from matches.models import ACTIVE_STATUSES, Match
from visits import services
from visits.models import Visit, VisitReport, VisitStatus

ACTIVITIES = [
    ("Bowling", "Northtown Bowl"),
    ("Cinema", "Odeon, High Street"),
    ("Lunch", "Pizza place by the station"),
    ("Park and ice cream", "Riverside Park"),
    ("Swimming", "Leisure centre"),
    ("Museum", "City museum"),
]


def seed_demo(*, schemes: dict[str, Any], users: dict[str, Any], stdout: Any) -> None:
    for scheme in schemes.values():
        services.platforms_seed(scheme=scheme)
    made = 0
    matches = Match.objects.filter(
        scheme__in=list(schemes.values()), status__in=ACTIVE_STATUSES
    ).select_related("child", "volunteer")
    for match in matches:
        if (
            match.child.case_number[:1] not in ("N", "S")
            or Visit.objects.filter(match=match).exists()
        ):
            continue
        made += _seed_match(match)
    stdout.write(f"Visits: {made} demo visits added.")


def _seed_match(match: Match) -> int:
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    iv = match.volunteer
    visits = []
    reports = []
    for months_ago in range(12, 0, -1):
        day = today - timedelta(days=30 * months_ago)
        start = timezone.make_aware(datetime.combine(day, time(14, 0)), tz)
        activity, place = ACTIVITIES[months_ago % len(ACTIVITIES)]
        visit = Visit(
            scheme_id=match.scheme_id,
            match=match,
            starts_at=start,
            expected_end=start + timedelta(hours=3),
            place=place,
            activity=activity,
            named_person_name="Named person (demo)",
            named_person_phone="07700 900000",
            created_by=iv,
        )
        if months_ago in (9, 4):
            visit.status = VisitStatus.CANCELLED
            visit.cancelled_at = start - timedelta(days=1)
            if months_ago == 4:
                visit.cancelled_by = "carer"
                visit.cancel_reason = "The carer said the child had not earned it this week."
                visit.carer_sanction = True
            else:
                visit.cancelled_by = "child"
                visit.cancel_reason = "Poorly with a cold."
        else:
            visit.status = VisitStatus.HELD
            visit.checked_in_at = start
            visit.checked_out_at = start + timedelta(hours=2, minutes=50)
        visits.append(visit)
    next_week = timezone.make_aware(datetime.combine(today + timedelta(days=7), time(11, 0)), tz)
    visits.append(
        Visit(
            scheme_id=match.scheme_id,
            match=match,
            starts_at=next_week,
            expected_end=next_week + timedelta(hours=3),
            place="Climbing wall",
            activity="Climbing",
            named_person_name="Named person (demo)",
            named_person_phone="07700 900000",
            created_by=iv,
        )
    )
    Visit.objects.bulk_create(visits)
    for visit in visits:
        ended = visit.checked_out_at
        if visit.status == VisitStatus.HELD and ended is not None:
            reports.append(
                VisitReport(
                    scheme_id=match.scheme_id,
                    visit=visit,
                    author=iv,
                    client_id=uuid.uuid4(),
                    what_we_did=f"{visit.activity}, then a drink and a chat.",
                    how_child_seemed="Relaxed and chatty.",
                    child_wants="Would like to try ice skating.",
                    submitted_at=ended + timedelta(hours=3),
                    # All but the latest have been read.
                    acknowledged_at=(
                        ended + timedelta(days=2) if visit is not visits[-2] else None
                    ),
                    created_by=iv,
                )
            )
    VisitReport.objects.bulk_create(reports)
    return len(visits)

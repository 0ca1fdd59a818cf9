"""Visits in each state, for tests and the permission matrix."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from visits.models import CalendarFeed, Platform, Visit, VisitReport, VisitStatus


def make_visit(
    world: Any,
    *,
    status: str = VisitStatus.PLANNED,
    starts_at: datetime | None = None,
    hours: float = 2,
    match: Any = None,
    **fields: Any,
) -> Visit:
    match = match or world.match
    starts_at = starts_at or timezone.now() + timedelta(days=2)
    values: dict[str, Any] = {
        "scheme_id": match.scheme_id,
        "match": match,
        "starts_at": starts_at,
        "expected_end": starts_at + timedelta(hours=hours),
        "kind": "face_to_face",
        "place": "Northtown bowling alley",
        "activity": "Bowling",
        "named_person_name": "Ned Named",
        "named_person_phone": "07700 900111",
        "status": status,
    }
    if status in (VisitStatus.UNDER_WAY, VisitStatus.HELD):
        values["checked_in_at"] = starts_at
    if status == VisitStatus.HELD:
        values["checked_out_at"] = starts_at + timedelta(hours=hours)
    if status == VisitStatus.CANCELLED:
        values.update(cancelled_by="child", cancel_reason="Feeling unwell", cancelled_at=starts_at)
    values.update(fields)
    return Visit.objects.create(**values)


def make_report(world: Any, visit: Visit | None = None, **fields: Any) -> VisitReport:
    visit = visit or make_visit(
        world, status=VisitStatus.HELD, starts_at=timezone.now() - timedelta(days=1)
    )
    values: dict[str, Any] = {
        "scheme_id": visit.scheme_id,
        "visit": visit,
        "author": visit.match.volunteer,
        "client_id": uuid.uuid4(),
        "what_we_did": "Bowling and chips",
        "how_child_seemed": "Happy and chatty",
        "submitted_at": timezone.now(),
    }
    values.update(fields)
    return VisitReport.objects.create(**values)


def make_platform(scheme: Any, name: str = "WhatsApp", minimum_age: int = 16) -> Platform:
    return Platform.objects.get_or_create(
        scheme=scheme, name=name, defaults={"minimum_age": minimum_age}
    )[0]


def make_feed(user: Any, token: str = "test-token-abc") -> CalendarFeed:  # noqa: S107
    return CalendarFeed.objects.create(user=user, token=token)

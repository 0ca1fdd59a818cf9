"""The looked-after review summary: the match, its visits in the period, the summaries."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.http import Http404

from accounts.models import User
from matches.selectors import match_get_for_staff
from reports.models import LacSummary
from reports.selectors.common import period_bounds
from visits.models import Visit, VisitStatus

# --- The looked-after review summary ---------------------------------------------------------


def lac_match_get(*, user: User, public_id: str) -> Any:
    return match_get_for_staff(user=user, public_id=public_id)


def lac_visits(match: Any, start: date, end: date) -> dict[str, Any]:
    """How often they met in the period, and what they did (from the IV's reports)."""

    lo, hi = period_bounds(start, end)
    visits = Visit.objects.filter(match=match, starts_at__gte=lo, starts_at__lt=hi)
    row = visits.aggregate(
        held=Count("pk", filter=Q(status=VisitStatus.HELD)),
        cancelled=Count("pk", filter=Q(status=VisitStatus.CANCELLED)),
    )
    activities = list(
        visits.filter(status=VisitStatus.HELD)
        .exclude(activity="")
        .values_list("activity", flat=True)
        .order_by("-starts_at")[:12]
    )
    return {**row, "activities": activities}


def lac_summaries(match: Any) -> QuerySet[LacSummary]:
    return LacSummary.objects.filter(match=match).order_by("-review_on", "-created_at")


def lac_summary_get(*, match: Any, public_id: str) -> LacSummary:
    found = lac_summaries(match).filter(public_id=public_id).first()
    if found is None:
        raise Http404("No such summary")
    return found

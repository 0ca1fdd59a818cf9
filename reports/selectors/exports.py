"""Exports (tracked background jobs) and the caseload export's rows."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    OuterRef,
    Q,
)
from django.http import Http404

from accounts.models import User
from matches.models import ACTIVE_STATUSES
from referrals.models import Child
from reports.models import ReportExport
from visits.models import Visit, VisitStatus

# --- Exports ----------------------------------------------------------------------------------


def exports_of(user: User, limit: int = 10) -> list[ReportExport]:
    return list(
        ReportExport.objects.filter(requested_by=user)
        .select_related("scheme")
        .order_by("-created_at")[:limit]
    )


def export_get_for_user(*, user: User, public_id: str) -> ReportExport:
    """Only the person who asked for an export may see it or download it: 404 for anyone
    else, as if it did not exist."""
    found = (
        ReportExport.objects.filter(public_id=public_id, requested_by=user)
        .select_related("scheme")
        .first()
    )
    if found is None or not getattr(user, "is_active", False):
        raise Http404("No such export")
    return found


# --- The caseload export ----------------------------------------------------------------------


def caseload_export_rows(scheme_ids: list[int], limit: int | None = None) -> list[dict[str, Any]]:
    """Every child of the schemes with their active match (IV, coordinator, state, since
    when) and the date of the match's last held visit, as plain rows, by scheme and surname:
    one query. The active match is a join (a child has at most one:
    match_one_active_per_child), the last visit a subquery on visit_match_start_idx."""
    from django.db.models import FilteredRelation, Subquery

    last_visit = (
        Visit.objects.filter(match_id=OuterRef("active__pk"), status=VisitStatus.HELD)
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    rows = (
        Child.objects.filter(scheme_id__in=scheme_ids)
        .annotate(
            active=FilteredRelation("matches", condition=Q(matches__status__in=ACTIVE_STATUSES)),
            last_visit_at=Subquery(last_visit),
        )
        .values(
            "case_number", "first_name", "last_name", "date_of_birth", "scheme__name",
            "social_worker__full_name", "active__status", "active__started_on",
            "active__volunteer__full_name", "active__coordinator__full_name", "last_visit_at",
        )
        .order_by("scheme__name", "last_name", "first_name", "pk")
    )  # fmt: skip
    return list(rows[:limit] if limit is not None else rows)

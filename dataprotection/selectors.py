"""Who may see what in data protection: the scheme's managers and the organisation's data
protection officer. Every read here is scoped; a record outside the person's schemes answers
404 exactly like a missing one."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts.models import Scheme
from core import access


def dp_scheme_ids(user: Any) -> set[int]:
    return access.data_protection_scheme_ids(user)


def dp_schemes(user: Any) -> list[Scheme]:
    return list(Scheme.objects.filter(pk__in=dp_scheme_ids(user)).order_by("name"))


def require_dp(user: Any) -> set[int]:
    """The person's data protection schemes, or 404 when they have none."""
    ids = dp_scheme_ids(user)
    if not ids:
        raise Http404
    return ids


def dp_scheme_get(*, user: Any, slug: str) -> Scheme:
    scheme = Scheme.objects.filter(slug=slug, pk__in=dp_scheme_ids(user)).first()
    if scheme is None:
        raise Http404
    return scheme


def dp_child_get(*, user: Any, public_id: str) -> Any:
    from referrals.models import Child

    child = Child.objects.filter(public_id=public_id, scheme_id__in=dp_scheme_ids(user)).first()
    if child is None:
        raise Http404
    return child


def dp_volunteer_get(*, user: Any, public_id: str) -> Any:
    from volunteers.models import Volunteer

    volunteer = Volunteer.objects.filter(
        public_id=public_id, scheme_id__in=dp_scheme_ids(user)
    ).first()
    if volunteer is None:
        raise Http404
    return volunteer


def overview(user: Any) -> list[dict[str, Any]]:
    """Per scheme: records waiting for a destruction decision, holds in force, open subject
    access requests and the nearest deadline (one query per figure, whatever the size)."""
    from django.db.models import Count, Min, Q
    from django.db.models.functions import Coalesce

    from dataprotection.models import (
        DueRecord,
        DueStatus,
        LegalHold,
        RequestStatus,
        SubjectAccessRequest,
    )

    schemes = dp_schemes(user)
    ids = [s.pk for s in schemes]
    due = dict(
        DueRecord.objects.filter(scheme_id__in=ids, status=DueStatus.PENDING)
        .values_list("scheme_id")
        .annotate(n=Count("pk"))
    )
    holds = dict(
        LegalHold.objects.filter(scheme_id__in=ids, lifted_at__isnull=True)
        .values_list("scheme_id")
        .annotate(n=Count("pk"))
    )
    requests = {
        row["scheme_id"]: row
        for row in SubjectAccessRequest.objects.filter(scheme_id__in=ids)
        .values("scheme_id")
        .annotate(
            open=Count("pk", filter=Q(status=RequestStatus.OPEN)),
            nearest=Min(Coalesce("extended_due_on", "due_on"), filter=Q(status=RequestStatus.OPEN)),
        )
    }
    return [
        {
            "scheme": s,
            "due": due.get(s.pk, 0),
            "holds": holds.get(s.pk, 0),
            "open_requests": requests.get(s.pk, {}).get("open", 0),
            "nearest_deadline": requests.get(s.pk, {}).get("nearest"),
        }
        for s in schemes
    ]

"""The one door to concerns.

- Coordinators and managers of the scheme: everything, with the chronology.
- The person who raised it: their own report and its status, never the chronology.
- The child's allocated social worker: only once a coordinator has shared it.
- An IV a concern is about never sees it, even one they raised themselves.
Forbidden and missing both raise Http404.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from accounts import access
from accounts.models import Role, User
from core.audit import record_read
from referrals.models import Child
from safeguarding.models import Concern, ConcernAction, Status


def concerns_visible_to(user: User) -> QuerySet[Concern]:
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    sws = access.scheme_ids_with_role(user, [Role.SOCIAL_WORKER])
    member_of = {m.scheme_id for m in access.memberships(user)}
    condition = Q(pk__in=[])
    if staff:
        condition |= Q(scheme_id__in=staff)
    if member_of:
        condition |= Q(scheme_id__in=member_of, raised_by=user)
    if sws:
        children = get_objects_for_user(
            user, "referrals.view_child", klass=Child, accept_global_perms=False
        ).values("pk")
        condition |= Q(
            scheme_id__in=sws, child_id__in=children, shared_with_social_worker_at__isnull=False
        )
    return (
        Concern.objects.filter(condition)
        .exclude(about_volunteer=user)
        .select_related("child", "scheme", "raised_by")
        .order_by("-created_at")
    )


def volunteers_namable_by(user: User, *, children: list[Any]) -> list[Any] | None:
    """The IVs a coordinator or manager may name as the adult a concern is about: those of
    the schemes of the children on the form where the person is staff. None for anyone else
    (the form then has no such question)."""
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    schemes = sorted({c.scheme_id for c in children} & staff)
    if not schemes:
        return None
    found = access.people_with_roles(schemes, [Role.INDEPENDENT_VISITOR])
    people = {p.pk: p for scheme_id in schemes for p in found[scheme_id]}
    return sorted(people.values(), key=lambda p: (p.full_name or p.email).lower())


def concern_get_for_user(
    *, user: User, public_id: str, purpose: Literal["view", "act"] = "view"
) -> Concern:
    """The one door to a concern: for `purpose="act"` (acknowledge, record, share, close)
    only the scheme's staff. Forbidden and missing both raise Http404. The read is in the
    access log."""
    concern = concerns_visible_to(user).filter(public_id=public_id).first()
    if concern is None or (purpose == "act" and not access.is_staff_in(user, concern.scheme_id)):
        raise Http404("No such concern")
    record_read(user, concern, action=purpose)
    return concern


def can_see_chronology(*, user: User, concern: Concern) -> bool:
    """The scheme's staff see the whole record; the person who raised it sees what they sent
    and where it is."""
    return access.is_staff_in(user, concern.scheme_id)


def can_see_register(user: User) -> bool:
    """The register is for the staff of a scheme; nobody else learns it is there."""
    return bool(access.scheme_ids_with_role(user, access.STAFF_ROLES))


def can_see_access_log(*, user: User, concern: Concern) -> bool:
    """Who opened a concern is for the scheme's managers."""
    return access.has_role(user, concern.scheme_id, [Role.MANAGER])


def chronology(concern: Concern) -> list[ConcernAction]:
    return list(concern.actions.select_related("actor", "corrects").order_by("happened_at", "pk"))


def register(user: User, *, category: str = "", state: str = "") -> QuerySet[Concern]:
    """Open concerns of the user's schemes (or closed ones when asked), most urgent first:
    unacknowledged before acknowledged, then by their deadline."""
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    qs = Concern.objects.filter(scheme_id__in=staff).select_related("child", "scheme", "raised_by")
    qs = qs.filter(status=state) if state else qs.exclude(status=Status.CLOSED)
    if category:
        qs = qs.filter(Q(category=category) | Q(incident_type=category))
    return qs.order_by("status", "-urgent", "acknowledge_by", "pk")


def unacknowledged_for(user: User) -> list[Concern]:
    """For the top of a coordinator's home page."""
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    return list(
        Concern.objects.filter(scheme_id__in=staff, status=Status.NEW)
        .select_related("child")
        .order_by("-urgent", "acknowledge_by")[:20]
    )


def overdue_unacknowledged(now: datetime) -> QuerySet[Concern]:
    """Concerns nobody acknowledged by their deadline and not yet escalated (for the
    monitoring job, which claims each with services.concern_mark_escalated)."""
    return Concern.objects.filter(
        status=Status.NEW, acknowledge_by__lt=now, escalated_at__isnull=True
    ).order_by("acknowledge_by")


def counts(user: User, *, scheme: Any = None) -> dict[str, Any]:
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    qs = Concern.objects.filter(scheme_id__in=staff)
    if scheme is not None:
        qs = qs.filter(scheme=scheme)
    by_category = dict(
        qs.exclude(category="")
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    by_status = dict(qs.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {"by_category": by_category, "by_status": by_status, "total": sum(by_status.values())}

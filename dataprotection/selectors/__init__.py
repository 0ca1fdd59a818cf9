"""Who may see what in data protection: the scheme's managers and the organisation's data
protection officer. Every read here is scoped; a record outside the person's schemes answers
404 exactly like a missing one."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts import access
from accounts.models import Scheme, User
from core.audit import record_read
from dataprotection.models import (
    DestructionRecord,
    DueRecord,
    DueStatus,
    LegalHold,
    RecordType,
    RequestStatus,
    RetentionRule,
    SubjectAccessRequest,
)
from dataprotection.services import retention
from referrals.models import Child
from referrals.selectors import children_search
from volunteers.models import Volunteer
from volunteers.selectors import volunteers_filtered


def dp_scheme_ids(user: User) -> set[int]:
    return access.data_protection_scheme_ids(user)


def dp_schemes(user: User) -> list[Scheme]:
    return list(Scheme.objects.filter(pk__in=dp_scheme_ids(user)).order_by("name"))


def require_dp(user: User) -> set[int]:
    """The person's data protection schemes, or 404 when they have none."""
    ids = dp_scheme_ids(user)
    if not ids:
        raise Http404
    return ids


def dp_scheme_get(*, user: User, slug: str) -> Scheme:
    scheme = Scheme.objects.filter(slug=slug, pk__in=dp_scheme_ids(user)).first()
    if scheme is None:
        raise Http404
    return scheme


def dp_child_get(*, user: User, public_id: str) -> Any:
    child = Child.objects.filter(public_id=public_id, scheme_id__in=dp_scheme_ids(user)).first()
    if child is None:
        raise Http404
    record_read(user, child)
    return child


def dp_volunteer_get(*, user: User, public_id: str) -> Any:
    volunteer = Volunteer.objects.filter(
        public_id=public_id, scheme_id__in=dp_scheme_ids(user)
    ).first()
    if volunteer is None:
        raise Http404
    return volunteer


def overview(user: User) -> list[dict[str, Any]]:
    """Per scheme: records waiting for a destruction decision, holds in force, open subject
    access requests and the nearest deadline (one query per figure, whatever the size)."""
    from django.db.models import Count, Min, Q
    from django.db.models.functions import Coalesce

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


def fresh_child(child: Any) -> Any:
    """A separate copy for a form to change, so that a refused correction leaves the child
    object the page shows untouched."""

    return Child.objects.get(pk=child.pk)


def find_people(*, user: User, query: str, limit: int = 25) -> dict[str, list[Any]]:
    """Children (by name or case number) and volunteers (by name or reference) in the
    person's data protection schemes, with the searches the child and volunteer lists use:
    for finding whose records a request or hold is about."""

    ids = dp_scheme_ids(user)
    query = query.strip()
    if not ids or len(query) < 2:
        return {"children": [], "volunteers": []}
    children = children_search(
        Child.objects.filter(scheme_id__in=ids, merged_into__isnull=True), query
    )
    volunteers = volunteers_filtered(Volunteer.objects.filter(scheme_id__in=ids), query=query)
    return {
        "children": list(
            children.select_related("scheme").order_by("last_name", "first_name")[:limit]
        ),
        "volunteers": list(
            volunteers.select_related("scheme").order_by("last_name", "first_name")[:limit]
        ),
    }


def retention_schedules(user: User) -> list[dict[str, Any]]:
    """Per scheme the period of every type of record, what starts the clock, the regulation,
    and whether the scheme changed the default (two queries)."""

    schemes = dp_schemes(user)
    own: dict[tuple[int, str], Any] = {
        (r.scheme_id, r.record_type): r
        for r in RetentionRule.objects.filter(scheme_id__in=[s.pk for s in schemes])
    }
    out = []
    for scheme in schemes:
        rows = []
        for record_type in RecordType:
            default = retention.DEFAULTS[record_type]
            rule = own.get((scheme.pk, record_type.value))
            period = (
                retention.Period(rule.years, rule.months, True)
                if rule is not None
                else retention.Period(default.years, default.months, False)
            )
            rows.append(
                {
                    "record_type": record_type.value,
                    "label": record_type.label,
                    "period": period,
                    "default": retention.Period(default.years, default.months, False),
                    "starts": default.starts,
                    "basis": default.basis,
                    "action": retention.action_for(record_type.value),
                }
            )
        out.append({"scheme": scheme, "rows": rows})
    return out


def due_for_user(user: User) -> Any:
    """Records waiting for a destruction decision in the person's schemes, by scheme and type
    (a queryset: the page paginates it)."""

    return (
        DueRecord.objects.filter(scheme_id__in=require_dp(user), status=DueStatus.PENDING)
        .select_related("scheme")
        .order_by("scheme__name", "record_type", "due_on", "pk")
    )


def due_summary(user: User) -> list[dict[str, Any]]:
    """How many of each type wait in each scheme (one query)."""
    from django.db.models import Count, Min

    names = {s.pk: s for s in dp_schemes(user)}
    rows = (
        DueRecord.objects.filter(scheme_id__in=list(names), status=DueStatus.PENDING)
        .values("scheme_id", "record_type")
        .annotate(n=Count("pk"), oldest=Min("due_on"))
        .order_by("scheme_id", "record_type")
    )
    return [
        {
            "scheme": names[r["scheme_id"]],
            "record_type": r["record_type"],
            "label": RecordType(r["record_type"]).label,
            "count": r["n"],
            "oldest": r["oldest"],
            "action": retention.action_for(r["record_type"]),
        }
        for r in sorted(rows, key=lambda r: (names[r["scheme_id"]].name, r["record_type"]))
    ]


def destructions_for_user(user: User) -> Any:
    return (
        DestructionRecord.objects.filter(scheme_id__in=require_dp(user))
        .select_related("scheme", "approved_by")
        .order_by("-carried_out_at", "-pk")
    )


def holds_for_user(user: User) -> Any:
    return (
        LegalHold.objects.filter(scheme_id__in=require_dp(user))
        .select_related("scheme", "child", "volunteer", "placed_by", "lifted_by")
        .order_by("lifted_at", "-placed_at", "-pk")
    )


def hold_get(*, user: User, public_id: str) -> Any:
    hold = holds_for_user(user).filter(public_id=public_id).first()
    if hold is None:
        raise Http404
    return hold


def active_holds_for(*, child: Any = None, volunteer: Any = None) -> list[Any]:
    """Holds in force on a child or a volunteer, with who placed them (one query)."""

    holds = LegalHold.objects.filter(lifted_at__isnull=True).select_related("placed_by")
    if child is not None:
        holds = holds.filter(child=child)
    elif volunteer is not None:
        holds = holds.filter(volunteer=volunteer)
    else:
        return []
    return list(holds.order_by("-placed_at"))


def can_place_holds(user: User, scheme_id: int) -> bool:
    return scheme_id in dp_scheme_ids(user)


def opens_case_records(user: User, scheme_id: int) -> bool:
    """Whether the data protection pages link to the case record too: the scheme's staff may
    open it; the data protection officer has no case role, so their way back is these pages."""
    return access.is_staff_in(user, scheme_id)


def hold_banner(user: User, *, child: Any = None, volunteer: Any = None) -> dict[str, Any]:
    """For a child's or volunteer's page: the holds in force, shown to the scheme's staff and
    to those who manage holds (one query), and whether this person may place or lift one."""
    record = child if child is not None else volunteer
    can_hold = can_place_holds(user, record.scheme_id)
    show = can_hold or access.is_staff_in(user, record.scheme_id)
    return {
        "legal_holds": active_holds_for(child=child, volunteer=volunteer) if show else [],
        "can_hold": can_hold,
    }

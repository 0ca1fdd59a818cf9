"""The one door to expense claims, already scoped to the person asking.

- An IV sees only their own claims and pre-authorisation requests.
- Coordinators and managers see every claim of their schemes.
- Nobody else sees any: forbidden and missing both raise Http404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts import access
from accounts.models import Role, User
from core.schemesettings import settings_for
from expenses.models import (
    COUNTED_STATUSES,
    Claim,
    ClaimItem,
    ClaimStatus,
    ExpenseSettings,
    PaymentBatch,
    PreAuthorisation,
    PreAuthStatus,
)
from visits.models import VisitStatus
from visits.selectors import visits_visible_to
from volunteers.selectors import volunteer_for_user

ZERO = Decimal("0.00")


def insurance_problem(user: User, *, on: date) -> str:
    """Why this IV may not claim mileage on that day, or "" (business insurance required)."""

    volunteer = volunteer_for_user(user)
    if volunteer is None or not volunteer.insurer or volunteer.insurance_expires_on is None:
        return (
            "Mileage needs business car insurance on your volunteer record. "
            "Send your coordinator your insurance details first."
        )
    if volunteer.insurance_expires_on < on:
        return (
            f"Your business car insurance expired on {volunteer.insurance_expires_on:%-d %B %Y}. "
            "Send your coordinator your new insurance details first."
        )
    return ""


def month_bounds(day: date) -> tuple[datetime, datetime]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(following, time.min, tzinfo=tz),
    )


@dataclass
class LimitStatus:
    visit_total: Decimal
    visit_limit: Decimal
    month_total: Decimal
    month_limit: Decimal
    month: date

    @property
    def over_visit(self) -> bool:
        return self.visit_total > self.visit_limit

    @property
    def over_month(self) -> bool:
        return self.month_total > self.month_limit

    @property
    def over_limit(self) -> bool:
        return self.over_visit or self.over_month

    @property
    def visit_left(self) -> Decimal:
        return max(self.visit_limit - self.visit_total, ZERO)

    @property
    def month_left(self) -> Decimal:
        return max(self.month_limit - self.month_total, ZERO)

    def explain(self) -> str:
        parts = []
        if self.over_visit:
            parts.append(f"£{self.visit_total} for this visit; the limit is £{self.visit_limit}")
        if self.over_month:
            parts.append(
                f"£{self.month_total} in {self.month:%B %Y}; the limit is £{self.month_limit}"
            )
        return " and ".join(parts)


def _month_spent(user_id: int, scheme_id: int, day: date, exclude_pk: int | None) -> Decimal:
    start, end = month_bounds(day)
    qs = Claim.objects.filter(
        volunteer_id=user_id,
        scheme_id=scheme_id,
        status__in=COUNTED_STATUSES,
        visit__starts_at__gte=start,
        visit__starts_at__lt=end,
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.aggregate(t=Sum("total"))["t"] or ZERO


def limits_for_claim(claim: Claim) -> LimitStatus:
    """The claim against the scheme's limits: this visit, and the visit's month including this
    claim and every other claim the IV has sent that was not rejected."""
    config = settings_for(ExpenseSettings, claim.scheme_id)
    day = timezone.localdate(claim.visit.starts_at)
    spent = _month_spent(claim.volunteer_id, claim.scheme_id, day, claim.pk)
    return LimitStatus(
        visit_total=claim.total,
        visit_limit=config.per_visit_limit,
        month_total=spent + claim.total,
        month_limit=config.monthly_limit,
        month=day.replace(day=1),
    )


def month_status_for(user: User, scheme_id: int, day: date) -> LimitStatus:
    config = settings_for(ExpenseSettings, scheme_id)
    spent = _month_spent(user.pk, scheme_id, day, None)
    return LimitStatus(
        visit_total=ZERO,
        visit_limit=config.per_visit_limit,
        month_total=spent,
        month_limit=config.monthly_limit,
        month=day.replace(day=1),
    )


def preauth_covering(claim: Claim) -> PreAuthorisation | None:
    """A pre-authorisation for this visit, granted before the visit began, for at least the
    claim's total."""
    return (
        PreAuthorisation.objects.filter(
            visit_id=claim.visit_id,
            volunteer_id=claim.volunteer_id,
            status=PreAuthStatus.GRANTED,
            decided_at__lt=claim.visit.starts_at,
            amount__gte=claim.total,
        )
        .order_by("-amount")
        .first()
    )


def staff_of(scheme_id: int, roles: tuple[str, ...] = access.STAFF_ROLES) -> list[User]:
    return list(
        User.objects.filter(
            memberships__scheme_id=scheme_id,
            memberships__role__in=roles,
            memberships__is_active=True,
            is_active=True,
        ).distinct()
    )


def approvers_of(claim: Claim) -> list[User]:
    roles: tuple[str, ...] = (Role.MANAGER,) if claim.over_limit else access.STAFF_ROLES
    return [u for u in staff_of(claim.scheme_id, roles) if u.pk != claim.volunteer_id]


# --- Claims --------------------------------------------------------------------------------


def claims_visible_to(user: User) -> QuerySet[Claim]:
    condition = access.staff_or_own(user, lambda: Q(volunteer_id=user.pk))
    return Claim.objects.filter(condition).select_related(
        "scheme", "volunteer", "visit", "match__child", "pre_authorisation", "batch"
    )


def claim_get_for_user(*, user: User, public_id: str) -> Claim:
    claim = claims_visible_to(user).filter(public_id=public_id).first()
    if claim is None:
        raise Http404("No such claim")
    return claim


def claim_get_own(*, user: User, public_id: str) -> Claim:
    """The IV's own claim, for the IV's actions: anyone else gets 404."""
    claim = claim_get_for_user(user=user, public_id=public_id)
    if claim.volunteer_id != user.pk:
        raise Http404("No such claim")
    return claim


def claim_get_for_staff(*, user: User, public_id: str) -> Claim:
    claim = claim_get_for_user(user=user, public_id=public_id)
    if not access.is_staff_in(user, claim.scheme_id):
        raise Http404("No such claim")
    return claim


def claim_sections(user: User, claim: Claim) -> set[str]:
    """The parts of the claim's page for those who did not make it (the scheme's staff):
    "claimant", who made it, for which child and scheme, and the way back to the queue."""
    return set() if claim.volunteer_id == user.pk else {"claimant"}


def claim_page(claim: Claim) -> dict[str, Any]:
    items = list(claim.items.all())
    return {
        "items": items,
        "queries": list(claim.queries.select_related("item", "created_by")),
        "events": list(claim.events.select_related("actor")),
        "limits": limits_for_claim(claim),
        "open_query": next((q for q in claim.queries.all() if q.answered_at is None), None),
    }


def my_claims(user: User) -> QuerySet[Claim]:
    return (
        claims_visible_to(user)
        .filter(volunteer_id=user.pk)
        .annotate(item_count=Count("items"))
        .order_by("-created_at")
    )


def claim_queue(user: User) -> QuerySet[Claim]:
    """Claims waiting for staff: sent, or queried and waiting for the IV; oldest first."""
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    return (
        Claim.objects.filter(
            scheme_id__in=staff, status__in=[ClaimStatus.SUBMITTED, ClaimStatus.QUERIED]
        )
        .select_related("scheme", "volunteer", "visit", "match__child", "pre_authorisation")
        .annotate(item_count=Count("items"))
        .order_by("status", "submitted_at", "pk")
    )


def live_claim_for_visit(visit: Any) -> Claim | None:
    return Claim.objects.filter(visit=visit).exclude(status=ClaimStatus.REJECTED).first()


def own_live_claim_for_visit(user: User, visit_pk: Any) -> Claim | None:
    """The IV's own live claim for a visit, by the visit's id as a form sent it (a second tab
    of the start page, drawn before the claim was started)."""
    try:
        pk = int(visit_pk)
    except (TypeError, ValueError):
        return None
    return (
        Claim.objects.filter(visit_id=pk, volunteer_id=user.pk)
        .exclude(status=ClaimStatus.REJECTED)
        .first()
    )


def item_get_for_user(*, user: User, public_id: str) -> ClaimItem:
    """A receipt's item, if its claim is visible to this person (the IV's own, or staff)."""
    item = (
        ClaimItem.objects.filter(
            public_id=public_id, claim__in=claims_visible_to(user).values("pk")
        )
        .select_related("claim")
        .first()
    )
    if item is None or not item.receipt:
        raise Http404("No such receipt")
    return item


def item_get_for_claim(*, claim: Claim, public_id: str) -> ClaimItem:
    item = claim.items.filter(public_id=public_id).first()
    if item is None:
        raise Http404("No such item")
    return item


def claimable_visits(user: User) -> QuerySet[Any]:
    """The IV's own visits that have happened (not cancelled) and have no live claim."""

    claimed = Claim.objects.filter(volunteer_id=user.pk).exclude(status=ClaimStatus.REJECTED)
    return (
        visits_visible_to(user)
        .filter(match__volunteer_id=user.pk, starts_at__lte=timezone.now())
        .exclude(status=VisitStatus.CANCELLED)
        .exclude(pk__in=claimed.values("visit_id"))
        .order_by("-starts_at")
    )


def visit_for_claim(*, user: User, public_id: str) -> Any:
    visit = claimable_visits(user).filter(public_id=public_id).first()
    if visit is None:
        raise Http404("No such visit")
    return visit


def upcoming_visits(user: User) -> QuerySet[Any]:
    return (
        visits_visible_to(user)
        .filter(
            match__volunteer_id=user.pk,
            starts_at__gt=timezone.now(),
            status=VisitStatus.PLANNED,
        )
        .order_by("starts_at")
    )


# --- Pre-authorisations --------------------------------------------------------------------


def preauths_visible_to(user: User) -> QuerySet[PreAuthorisation]:
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    condition = Q(volunteer_id=user.pk)
    if staff:
        condition |= Q(scheme_id__in=staff)
    return PreAuthorisation.objects.filter(condition).select_related(
        "scheme", "volunteer", "visit", "decided_by"
    )


def preauth_sections(user: User) -> set[str]:
    """The parts of the spending-over-the-limit page a person has: "mine" (their requests, and
    asking) for an IV, "waiting" (requests to decide) for coordinators and managers; none
    means the page is not theirs."""
    sections: set[str] = set()
    if Role.INDEPENDENT_VISITOR in access.roles_of(user):
        sections.add("mine")
    if access.scheme_ids_with_role(user, access.STAFF_ROLES):
        sections.add("waiting")
    return sections


def my_preauths(user: User) -> QuerySet[PreAuthorisation]:
    return preauths_visible_to(user).filter(volunteer_id=user.pk).order_by("-created_at")


def preauth_queue(user: User) -> QuerySet[PreAuthorisation]:
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    return (
        preauths_visible_to(user)
        .filter(scheme_id__in=staff, status=PreAuthStatus.REQUESTED)
        .order_by("created_at")
    )


def preauth_get_for_staff(*, user: User, public_id: str) -> PreAuthorisation:
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    preauth = preauths_visible_to(user).filter(public_id=public_id, scheme_id__in=staff).first()
    if preauth is None:
        raise Http404("No such request")
    return preauth


# --- Finance -------------------------------------------------------------------------------


def staff_schemes(user: User) -> list[Any]:
    seen: dict[int, Any] = {}
    for m in access.memberships(user):
        if m.role in access.STAFF_ROLES:
            seen.setdefault(m.scheme_id, m.scheme)
    return list(seen.values())


def staff_scheme_get(*, user: User, slug: str) -> Any:
    for scheme in staff_schemes(user):
        if scheme.slug == slug:
            return scheme
    raise Http404("No such scheme")


def managed_scheme_get(*, user: User, slug: str) -> Any:
    """A scheme whose expense limits the person sets (they manage it); else 404."""
    scheme = staff_scheme_get(user=user, slug=slug)
    if not access.has_role(user, scheme, [Role.MANAGER]):
        raise Http404("No such scheme")
    return scheme


def approved_unpaid_summary(user: User) -> list[dict[str, Any]]:
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    rows = (
        Claim.objects.filter(scheme_id__in=staff, status=ClaimStatus.APPROVED, batch__isnull=True)
        .values("scheme_id")
        .annotate(count=Count("pk"), total=Sum("total"))
    )
    by_scheme = {r["scheme_id"]: r for r in rows}
    return [
        {
            "scheme": s,
            "count": by_scheme.get(s.pk, {}).get("count", 0),
            "total": by_scheme.get(s.pk, {}).get("total") or ZERO,
        }
        for s in staff_schemes(user)
    ]


def batches_visible_to(user: User) -> QuerySet[PaymentBatch]:
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    return (
        PaymentBatch.objects.filter(scheme_id__in=staff)
        .select_related("scheme", "created_by")
        .annotate(claim_count=Count("claims"))
        .order_by("-created_at")
    )


def batch_get_for_user(*, user: User, public_id: str) -> PaymentBatch:
    batch = batches_visible_to(user).filter(public_id=public_id).first()
    if batch is None:
        raise Http404("No such batch")
    return batch


def batch_claims(batch: PaymentBatch) -> list[Claim]:
    return list(
        Claim.objects.filter(batch=batch)
        .select_related("volunteer", "visit", "match__child", "pre_authorisation")
        .annotate(item_count=Count("items"))
        .order_by("volunteer__full_name", "visit__starts_at", "pk")
    )


def monthly_totals(user: User, month: date) -> dict[str, Any]:
    """Approved and paid spending in the month (by visit date), per scheme and per match."""
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    start, end = month_bounds(month)
    base = Claim.objects.filter(
        scheme_id__in=staff,
        status__in=[ClaimStatus.APPROVED, ClaimStatus.PAID],
        visit__starts_at__gte=start,
        visit__starts_at__lt=end,
    )
    per_scheme = list(
        base.values("scheme__name")
        .annotate(count=Count("pk"), total=Sum("total"))
        .order_by("scheme__name")
    )
    per_match = list(
        base.values(
            "scheme__name",
            "match__public_id",
            "volunteer__full_name",
            "match__child__first_name",
            "match__child__last_name",
        )
        .annotate(count=Count("pk"), total=Sum("total"))
        .order_by("scheme__name", "volunteer__full_name")
    )
    return {"per_scheme": per_scheme, "per_match": per_match}

"""The one door to children's records: every read a page needs, already scoped to the user.

Coordinators and managers see every child of their schemes. A social worker sees the children
allocated to them (an object grant, made and removed by referrals.services) in schemes where
they are a social worker. An IV never sees a child's record, only the visit card of the child
of their active match (see visit_card_get_for_user). Forbidden and missing both raise Http404.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from accounts import access
from accounts.models import Role, Scheme, User
from accounts.selectors.people import staff_schemes
from core.audit import record_read
from core.dates import years_after
from core.schemesettings import settings_for
from referrals.models import (
    Child,
    LegalStatus,
    LookedAfterReview,
    Placement,
    Referral,
    ReferralEvent,
    ReferralSettings,
    ReferralStatus,
    SocialWorkerAllocation,
)


def children_visible_to(user: User) -> QuerySet[Child]:
    staff_schemes = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    sw_schemes = access.scheme_ids_with_role(user, [Role.SOCIAL_WORKER])
    qs = Child.objects.none()
    if staff_schemes:
        qs = Child.objects.filter(scheme_id__in=staff_schemes)
    if sw_schemes:
        granted = get_objects_for_user(
            user, "referrals.view_child", klass=Child, accept_global_perms=False
        ).filter(scheme_id__in=sw_schemes)
        qs = qs | granted if staff_schemes else granted
    return (
        qs.filter(merged_into__isnull=True)
        .select_related("scheme", "social_worker")
        .order_by("last_name", "first_name")
    )


def child_add_schemes(user: User) -> list[Scheme]:
    """The schemes where this person adds a child on the "Add a child" page: those whose
    staff they are. A social worker adds a child with the referral they make
    (referrals.services.referral_schemes)."""
    return staff_schemes(user)


def child_get_for_user(
    *, user: User, public_id: str, purpose: Literal["view", "edit"] = "view"
) -> Child:
    """The one door to a child's record: for `purpose="edit"` only those who may change it
    (staff, and the allocated social worker). Forbidden and missing both raise Http404. The
    read is in the access log (action "view" or "edit")."""
    child = children_visible_to(user).filter(public_id=public_id).first()
    if child is None or (purpose == "edit" and not child_can_edit(user=user, child=child)):
        raise Http404("No such child")
    record_read(user, child, action=purpose)
    return child


def child_can_edit(*, user: User, child: Child) -> bool:
    if access.is_staff_in(user, child.scheme_id):
        return True
    return access.has_role(user, child.scheme_id, [Role.SOCIAL_WORKER]) and user.has_perm(
        "referrals.change_child", child
    )


def may_see_visit_card(user: User, child: Child) -> bool:
    """The visit card is for scheme staff and for the IV of the child's live match (an object
    grant, made and removed by matches.services)."""
    if access.is_staff_in(user, child.scheme_id):
        return True
    return access.has_role(user, child.scheme_id, [Role.INDEPENDENT_VISITOR]) and user.has_perm(
        "referrals.view_visit_card", child
    )


def visit_card_get_for_user(*, user: User, public_id: str) -> Child:
    """The visit card: for the IV of the child's active match, and for scheme staff."""
    child = Child.objects.select_related("scheme").filter(public_id=public_id).first()
    if child is None or not may_see_visit_card(user, child):
        raise Http404("No such child")
    record_read(user, child, action="view_visit_card")
    return child


def child_sections(user: User, child: Child) -> set[str]:
    """What of a child's page this person sees beyond the record itself: "visit_card" (the
    link to it, for whoever may open it) and, for the scheme's managers, "history" (the
    record's changes) and "access_log" (who has read it)."""
    sections = {"visit_card"} if may_see_visit_card(user, child) else set()
    if access.has_role(user, child.scheme_id, [Role.MANAGER]):
        sections |= {"history", "access_log"}
    return sections


def child_history(child: Child, limit: int = 50) -> list[dict[str, Any]]:
    """Newest first: when, who, what kind of change, which fields (by their labels), each
    field's old and new value (another person's name never shown), and the reason a
    correction gave (dataprotection.services.rights.child_correct)."""
    records = list(
        child.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    labels = {f.name: str(f.verbose_name) for f in Child._meta.fields}
    relations = {f.name for f in Child._meta.fields if f.is_relation}
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        fields: list[str] = []
        changes: list[dict[str, str]] = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            fields = [labels.get(c.field, c.field) for c in delta.changes]
            changes = [
                {
                    "field": labels.get(c.field, c.field),
                    "old": "(another person)" if c.field in relations else _shown(c.old),
                    "new": "(changed)" if c.field in relations else _shown(c.new),
                }
                for c in delta.changes
                if c.field != "updated_at"
            ]
        entries.append(
            {
                "at": newer.history_date,
                "user": newer.history_user,
                "kind": newer.get_history_type_display(),
                "fields": fields,
                "changes": changes,
                "reason": newer.history_change_reason or "",
            }
        )
    return entries[:limit]


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, date):
        return value.strftime("%-d %B %Y")
    return str(value)


def children_search(children: QuerySet[Child], query: str) -> QuerySet[Child]:
    from django.db.models import Q

    condition = Q(case_number__iexact=query)
    for word in query.split():
        condition |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return children.filter(condition)


# --- Referrals ---------------------------------------------------------------------------


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """Staff see their schemes' referrals; a social worker those of children they can see
    (their allocated children). Drafts are seen only by whoever is writing them and staff
    never see someone else's draft: it is not sent yet."""
    from django.db.models import Q

    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    sws = access.scheme_ids_with_role(user, [Role.SOCIAL_WORKER])
    condition = Q(pk__in=[])
    if staff:
        condition |= Q(scheme_id__in=staff) & (
            ~Q(status=ReferralStatus.DRAFT) | Q(referred_by=user)
        )
    if sws:
        children = get_objects_for_user(
            user, "referrals.view_child", klass=Child, accept_global_perms=False
        ).values("pk")
        condition |= Q(scheme_id__in=sws, child_id__in=children)
    return (
        Referral.objects.filter(condition)
        .select_related("child", "scheme", "referred_by")
        .order_by("-created_at")
    )


def referral_get_for_user(*, user: User, public_id: str) -> Referral:
    referral = referrals_visible_to(user).filter(public_id=public_id).first()
    if referral is None:
        raise Http404("No such referral")
    # The referral's page shows the child's record: in the child's access log.
    record_read(user, referral.child, action="view_referral")
    return referral


def referral_inbox(user: User) -> QuerySet[Referral]:
    """Referrals that need a coordinator: new, met but not yet waiting, or possibly a
    duplicate still to be decided. Oldest first."""
    from django.db.models import Q

    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    return (
        Referral.objects.filter(scheme_id__in=staff)
        .filter(
            Q(status__in=[ReferralStatus.RECEIVED, ReferralStatus.CHILD_MET])
            | Q(
                status=ReferralStatus.WAITING,
                duplicates_resolved=False,
                possible_duplicates__isnull=False,
            )
        )
        .distinct()
        .select_related("child", "scheme", "referred_by")
        .order_by("received_at", "pk")
    )


def waiting_list(user: User) -> QuerySet[Referral]:
    """Children waiting for a match in the user's schemes, longest wait first."""
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    return (
        Referral.objects.filter(scheme_id__in=staff, status=ReferralStatus.WAITING)
        .select_related("child", "child__social_worker", "scheme")
        .order_by("waiting_since", "pk")
    )


def referral_events(referral: Referral) -> list[ReferralEvent]:
    return list(referral.events.select_related("actor").order_by("at", "pk"))


def eligibility_warnings(*, child: Child, referral: Referral | None = None) -> list[str]:
    """Plain warnings a person must see before sending or accepting a referral."""
    from django.utils import timezone

    rules = settings_for(ReferralSettings, child.scheme)
    age = child.age_on(timezone.localdate())
    warnings = []
    if child.legal_status == LegalStatus.NOT_LOOKED_AFTER:
        warnings.append("The child is not looked after, so cannot have an IV.")
    leaver_limit = rules.care_leavers_up_to
    if age < rules.min_age:
        warnings.append(f"The child is {age}: the scheme takes children from {rules.min_age}.")
    elif age >= rules.max_age:
        if child.legal_status == LegalStatus.CARE_LEAVER and leaver_limit and age < leaver_limit:
            pass
        elif leaver_limit:
            warnings.append(
                f"The child is {age}: the scheme takes children up to {rules.max_age}, "
                f"and care leavers up to {leaver_limit}."
            )
        else:
            warnings.append(f"The child is {age}: the scheme takes children up to {rules.max_age}.")
    if referral is not None and referral.child_objects:
        warnings.append("The child has said they do not want an IV.")
    return warnings


def possible_duplicates(
    *,
    scheme: Any,
    first_name: str,
    last_name: str,
    date_of_birth: Any,
    case_number: str = "",
    exclude_pk: int | None = None,
) -> list[Child]:
    """Children of the scheme with the same name and date of birth, or the same case number.
    Not scoped to the user on purpose: the point is to find a record they may not see; only
    coordinators are shown the matches."""
    from django.db.models import Q

    condition = Q(
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        date_of_birth=date_of_birth,
    )
    if case_number.strip():
        condition |= Q(case_number__iexact=case_number.strip())
    qs = Child.objects.filter(scheme=scheme, merged_into__isnull=True).filter(condition)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs.order_by("pk")[:5])


def possible_duplicates_of(referral: Referral) -> list[Child]:
    """The children a referral's child may be (flagged when it was made), for the staff who
    decide (referrals.services.referral_actions offers "resolve_duplicate")."""
    return list(referral.possible_duplicates.order_by("pk"))


def placements_of(child: Child) -> list[Placement]:
    return list(child.placements.order_by("-started_on", "-created_at"))


def current_placement(child: Child) -> Placement | None:
    return child.placements.filter(ended_on__isnull=True).first()


def reviews_of(child: Child) -> list[LookedAfterReview]:
    return list(child.reviews.order_by("-held_on"))


def allocations_of(child: Child) -> list[SocialWorkerAllocation]:
    return list(child.allocations.select_related("social_worker").order_by("-started_at"))


def waiting_list_filtered(
    referrals: QuerySet[Referral], data: dict[str, Any]
) -> QuerySet[Referral]:
    from datetime import timedelta

    from django.db.models import Q
    from django.utils import timezone

    today = timezone.localdate()
    if data.get("gender"):
        referrals = referrals.filter(child__gender=data["gender"])
    if data.get("min_age") is not None:
        # At least N years old: born on or before today N years ago.
        referrals = referrals.filter(child__date_of_birth__lte=years_after(today, -data["min_age"]))
    if data.get("max_age") is not None:
        # At most N years old: born after today N+1 years ago.
        referrals = referrals.filter(
            child__date_of_birth__gt=years_after(today, -(data["max_age"] + 1))
        )
    if data.get("waited_days"):
        referrals = referrals.filter(waiting_since__lte=today - timedelta(days=data["waited_days"]))
    if data.get("social_worker"):
        referrals = referrals.filter(child__social_worker=data["social_worker"])
    query = (data.get("q") or "").strip()
    if query:
        condition = Q(child__case_number__iexact=query)
        for word in query.split():
            condition |= Q(child__first_name__icontains=word) | Q(child__last_name__icontains=word)
        referrals = referrals.filter(condition)
    return referrals

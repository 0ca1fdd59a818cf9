"""Who may do what, in which scheme: the helpers every selector and view builds on.

A person's roles come only from active memberships of schemes. Object-level grants (an IV to
their match and their child's visit card, a social worker to their allocated children) are
django-guardian permissions granted and revoked by the services that change the relationship.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from accounts.models import Membership, Role, Scheme
from core.refusals import NotAllowed

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

    # Anyone a page can ask about: a signed-in person, or nobody yet (the menu, the home page).
    AnyUser = User | AnonymousUser

STAFF_ROLES = (Role.COORDINATOR, Role.MANAGER)
# Roles that sign in like staff: two-factor when enforced, and the staff idle timeout.
TWO_FACTOR_ROLES = frozenset(
    {
        Role.COORDINATOR,
        Role.MANAGER,
        Role.COMPLAINTS_MANAGER,
        Role.DATA_PROTECTION_OFFICER,
        Role.SOCIAL_WORKER,
    }
)

_CACHE_ATTR = "_ivscheme_memberships"
_DP_CACHE_ATTR = "_ivscheme_data_protection_scheme_ids"


def memberships(user: AnyUser) -> list[Membership]:
    """The person's active memberships, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True, scheme__isnull=False)
            .select_related("scheme", "scheme__organisation")
            .order_by("scheme__name", "role")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: AnyUser) -> None:
    for attr in (_CACHE_ATTR, _DP_CACHE_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


def staff_or_own(user: AnyUser, own: Callable[[], Q]) -> Q:
    """The condition for a list scoped as most are: staff of a scheme see all of its records;
    an IV sees, in the schemes where they are an IV, the records `own()` picks (their own);
    anyone else, nothing."""
    staff = scheme_ids_with_role(user, STAFF_ROLES)
    ivs = scheme_ids_with_role(user, [Role.INDEPENDENT_VISITOR])
    condition = Q(pk__in=[])
    if staff:
        condition |= Q(scheme_id__in=staff)
    if ivs:
        condition |= Q(scheme_id__in=ivs) & own()
    return condition


def scheme_ids_with_role(user: AnyUser, roles: Iterable[str]) -> set[int]:
    wanted = set(roles)
    return {m.scheme_id for m in memberships(user) if m.role in wanted}


def has_role(user: AnyUser, scheme: Scheme | int, roles: Iterable[str]) -> bool:
    scheme_id = scheme if isinstance(scheme, int) else scheme.pk
    return scheme_id in scheme_ids_with_role(user, roles)


def is_staff_in(user: AnyUser, scheme: Scheme | int) -> bool:
    return has_role(user, scheme, STAFF_ROLES)


STAFF_ONLY = "Only the scheme's coordinators and managers can do this."


def require_role(
    user: AnyUser, scheme: Scheme | int, roles: Iterable[str], message: str, *, hidden: bool = False
) -> None:
    """The one refusal of a role check (core.refusals): someone with no role in the scheme is
    answered as if the record were not there (hidden, a 404); someone of the scheme without
    the role is told `message` (a 403, or a message on the form). A page for staff only passes
    `hidden=True`: whether it exists is nobody else's business."""
    if has_role(user, scheme, roles):
        return
    scheme_id = scheme if isinstance(scheme, int) else scheme.pk
    in_scheme = any(m.scheme_id == scheme_id for m in memberships(user))
    raise NotAllowed(message, hidden=hidden or not in_scheme)


def require_staff(
    user: AnyUser, scheme: Scheme | int, message: str = STAFF_ONLY, *, hidden: bool = False
) -> None:
    require_role(user, scheme, STAFF_ROLES, message, hidden=hidden)


def require(allowed: bool, message: str) -> None:
    """Refuse an actor of the scheme who may not do this (a rule beyond their role: their own
    claim, someone else's visit)."""
    if not allowed:
        raise NotAllowed(message)


def roles_of(user: AnyUser) -> set[str]:
    return {m.role for m in memberships(user)}


def highest_rank_in(user: AnyUser, scheme: Scheme | int) -> int:
    scheme_id = scheme if isinstance(scheme, int) else scheme.pk
    ranks = [m.rank for m in memberships(user) if m.scheme_id == scheme_id]
    return max(ranks, default=-1)


def needs_two_factor(user: AnyUser) -> bool:
    """Who is treated as staff for sign-in: two-factor (when enforced) and the idle timeout.
    Coordinators, managers, complaints managers, data protection officers and social workers
    (council staff who see full child records and shared concerns, often on shared office
    PCs); superusers too."""
    if getattr(user, "is_superuser", False):
        return True
    return bool(roles_of(user) & TWO_FACTOR_ROLES)


def data_protection_scheme_ids(user: AnyUser) -> set[int]:
    """Schemes whose retention, holds, subject access requests and records of processing the
    person may see: those they manage, and every scheme of an organisation whose data
    protection officer they are. Worked out once per request and kept with the memberships
    (forget_memberships clears both)."""
    cached = getattr(user, _DP_CACHE_ATTR, None)
    if cached is not None:
        return set(cached)
    ids = scheme_ids_with_role(user, [Role.MANAGER])
    dpo_orgs = {
        m.scheme.organisation_id
        for m in memberships(user)
        if m.role == Role.DATA_PROTECTION_OFFICER
    }
    if dpo_orgs:
        ids |= set(Scheme.objects.filter(organisation_id__in=dpo_orgs).values_list("pk", flat=True))
    if getattr(user, "is_authenticated", False):
        setattr(user, _DP_CACHE_ATTR, frozenset(ids))
    return ids


def is_scheme_staff_anywhere(user: AnyUser) -> bool:
    return bool(roles_of(user) & {Role.COORDINATOR, Role.MANAGER, Role.COMPLAINTS_MANAGER})


def people_with_roles(scheme_ids: Iterable[int], roles: Iterable[str]) -> dict[int, list[Any]]:
    """Active people holding one of `roles`, per scheme, in one query: who a job or a
    service tells. A deactivated account or an ended role is never told anything."""
    from collections import defaultdict

    by_scheme: dict[int, list[Any]] = defaultdict(list)
    for m in Membership.objects.filter(
        scheme_id__in=list(scheme_ids), role__in=list(roles), is_active=True,
        user__is_active=True,
    ).select_related("user"):  # fmt: skip
        if m.user not in by_scheme[m.scheme_id]:
            by_scheme[m.scheme_id].append(m.user)
    return by_scheme


def users_with_roles(scheme_id: int, roles: Iterable[str]) -> list[Any]:
    return people_with_roles([scheme_id], roles)[scheme_id]

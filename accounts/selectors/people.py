"""Reads for the people pages: who belongs to a scheme, as seen by its staff."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts import access
from accounts.models import Membership, Scheme, User


def scheme_get_for_staff(*, user: User, slug: str) -> Scheme:
    """A scheme whose people this user may manage (coordinator or manager of it)."""
    for m in access.memberships(user):
        if m.scheme.slug == slug and m.role in access.STAFF_ROLES:
            return m.scheme
    raise Http404("No such scheme")


def staff_schemes(user: User) -> list[Scheme]:
    seen: dict[int, Scheme] = {}
    for m in access.memberships(user):
        if m.role in access.STAFF_ROLES:
            seen.setdefault(m.scheme_id, m.scheme)
    return list(seen.values())


def memberships_of_scheme(
    *, scheme: Scheme, include_inactive: bool = False
) -> QuerySet[Membership]:
    qs = Membership.objects.filter(scheme=scheme).select_related(
        "user", "scheme"
    )  # the scheme: what each row offers (membership_actions) reads it
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("user__full_name", "role")


def membership_get_for_staff(*, user: User, public_id: str) -> Membership:
    membership = (
        Membership.objects.select_related("user", "scheme").filter(public_id=public_id).first()
    )
    if membership is None or not access.is_staff_in(user, membership.scheme_id):
        raise Http404("No such membership")
    return membership

"""The one door to matches. Staff of the scheme see all of its matches; the IV sees their own
(an object grant while the match is active); the child's allocated social worker sees the
child's matches (status and dates only: never the visit reports)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from accounts.models import Role
from core import access
from matches.models import ACTIVE_STATUSES, Match


def matches_visible_to(user: Any) -> QuerySet[Match]:
    staff = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    ivs = access.scheme_ids_with_role(user, [Role.INDEPENDENT_VISITOR])
    sws = access.scheme_ids_with_role(user, [Role.SOCIAL_WORKER])
    condition = Q(pk__in=[])
    if staff:
        condition |= Q(scheme_id__in=staff)
    if ivs:
        granted = get_objects_for_user(
            user, "matches.view_match", klass=Match, accept_global_perms=False
        ).values("pk")
        condition |= Q(scheme_id__in=ivs, pk__in=granted)
    if sws:
        from referrals.models import Child

        children = get_objects_for_user(
            user, "referrals.view_child", klass=Child, accept_global_perms=False
        ).values("pk")
        condition |= Q(scheme_id__in=sws, child_id__in=children)
    return (
        Match.objects.filter(condition)
        .select_related("scheme", "child", "volunteer")
        .order_by("-created_at")
    )


def match_get_for_user(*, user: Any, public_id: str) -> Match:
    match = matches_visible_to(user).filter(public_id=public_id).first()
    if match is None:
        raise Http404("No such match")
    return match


def active_match_for_volunteer(user: Any) -> Match | None:
    return (
        matches_visible_to(user)
        .filter(volunteer=user, status__in=ACTIVE_STATUSES)
        .select_related("child", "scheme")
        .first()
    )


def matches_for_child(*, user: Any, child: Any) -> list[Match]:
    return list(matches_visible_to(user).filter(child=child))

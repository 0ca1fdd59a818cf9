"""Writes to matches: each keeps the IV's object grants in step with the match."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import User
from matches.models import ACTIVE_STATUSES, Match, MatchStatus
from referrals.models import Child

# The IV of an active match may see the match and the child's visit card, nothing else.
IV_MATCH_PERMS = ("matches.view_match",)
IV_CHILD_PERMS = ("referrals.view_visit_card",)


def _grant_iv(match: Match) -> None:
    for perm in IV_MATCH_PERMS:
        assign_perm(perm, match.volunteer, match)
    for perm in IV_CHILD_PERMS:
        assign_perm(perm, match.volunteer, match.child)


def _revoke_iv(match: Match) -> None:
    for perm in IV_MATCH_PERMS:
        remove_perm(perm, match.volunteer, match)
    for perm in IV_CHILD_PERMS:
        remove_perm(perm, match.volunteer, match.child)


@transaction.atomic
def match_create(*, actor: User, child: Child, volunteer: User) -> Match:
    match = Match(scheme=child.scheme, child=child, volunteer=volunteer, created_by=actor)
    match._history_user = actor  # type: ignore[attr-defined]
    match.full_clean()
    match.save()
    return match


@transaction.atomic
def match_start(*, actor: User, match: Match, started_on: date) -> Match:
    """Proposed -> introduction: from here the IV can see the child's visit card."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status != MatchStatus.PROPOSED:
        raise ValidationError(f"A match that is {match.get_status_display().lower()} cannot start.")
    match.status = MatchStatus.INTRODUCTION
    match.started_on = started_on
    match._history_user = actor  # type: ignore[attr-defined]
    match.full_clean()
    match.save(update_fields=["status", "started_on", "updated_at"])
    _grant_iv(match)
    return match


@transaction.atomic
def match_close(*, actor: User, match: Match, ended_on: date) -> Match:
    """Any active status -> closed: the IV's grants end with the match."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status not in ACTIVE_STATUSES:
        raise ValidationError(f"A match that is {match.get_status_display().lower()} cannot close.")
    match.status = MatchStatus.CLOSED
    match.ended_on = ended_on
    match._history_user = actor  # type: ignore[attr-defined]
    match.full_clean()
    match.save(update_fields=["status", "ended_on", "updated_at"])
    _revoke_iv(match)
    return match

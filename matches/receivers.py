"""What matches does when a lower app speaks (connected in MatchesConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from accounts.models import User
from matches.services import matches_pause_for_volunteer
from volunteers.signals import volunteer_cut_off


@receiver(volunteer_cut_off, dispatch_uid="matches_pause_when_iv_cut_off")
def pause_when_iv_cut_off(
    sender: Any, *, volunteer: User, actor: User, reason: str, **kwargs: Any
) -> None:
    """A suspended IV loses the child at once: every live match of theirs is paused, which
    takes away their grants to the match and the child's visit card."""
    matches_pause_for_volunteer(actor=actor, volunteer=volunteer, reason=reason)

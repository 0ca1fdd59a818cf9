"""The calendar address lives with the IV role and the live match: it is revoked when a
person's last live IV role ends (ended, changed to another role, by any route, the admin
included) even if they keep another role, when their match closes (matches.signals), and
when they are suspended (volunteers.signals)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Membership, Role
from matches.signals import match_closed
from visits.services import calendar_feed_revoke
from volunteers.signals import volunteer_cut_off


@receiver(post_save, sender=Membership, dispatch_uid="visits_calendar_follows_iv_role")
def revoke_calendar_when_iv_role_ends(sender: Any, instance: Membership, **kwargs: Any) -> None:
    if instance.is_active and instance.role == Role.INDEPENDENT_VISITOR:
        return
    if kwargs.get("created"):
        return  # a new role of another kind ends no IV role
    still_iv = Membership.objects.filter(
        user_id=instance.user_id, role=Role.INDEPENDENT_VISITOR, is_active=True
    ).exists()
    if not still_iv:
        calendar_feed_revoke(actor=instance.user)


@receiver(volunteer_cut_off, dispatch_uid="visits_calendar_stops_when_iv_cut_off")
def revoke_calendar_when_iv_cut_off(sender: Any, *, volunteer: Any, **kwargs: Any) -> None:
    """A suspended IV's private calendar address stops working."""
    calendar_feed_revoke(actor=volunteer)


@receiver(match_closed, dispatch_uid="visits_calendar_stops_when_match_closes")
def revoke_calendar_when_match_closes(sender: Any, *, match: Any, **kwargs: Any) -> None:
    """The calendar address lives with the IV's live match: it stops when the match ends."""
    calendar_feed_revoke(actor=match.volunteer)

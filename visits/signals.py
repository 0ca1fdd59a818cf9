"""The calendar address lives with the IV role: when a person's last live IV role ends (ended,
changed to another role, by any route, the admin included), their address is revoked, even
if they keep another role."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Membership, Role


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
        from visits.services import calendar_feed_revoke

        calendar_feed_revoke(actor=instance.user)

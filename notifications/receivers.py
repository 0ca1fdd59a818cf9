"""What notifications does when accounts speaks (connected in NotificationsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.models import Membership, Role, Scheme, User
from accounts.signals import role_granted
from notifications.services import notify


@receiver(role_granted, dispatch_uid="notifications_tell_of_new_dpo")
def tell_of_new_dpo(sender: Any, *, membership: Membership, actor: User, **kwargs: Any) -> None:
    """A new data protection officer: the organisation's other managers and data protection
    officers are told, urgently."""
    if membership.role != Role.DATA_PROTECTION_OFFICER:
        return
    scheme = membership.scheme
    scheme_ids = list(
        Scheme.objects.filter(organisation_id=scheme.organisation_id).values_list("pk", flat=True)
    )
    people = access.people_with_roles(scheme_ids, [Role.MANAGER, Role.DATA_PROTECTION_OFFICER])
    told = {
        u.pk: u
        for users in people.values()
        for u in users
        if u.pk not in (actor.pk, membership.user_id)
    }
    notify(
        users=list(told.values()),
        title=(
            f"{membership.user.full_name} was made data protection officer of "
            f"{scheme.organisation.name} by {actor.full_name}"
        ),
        url=reverse("people:list", args=[scheme.slug]),
        key=f"dpo-granted:{membership.public_id}:{timezone.now().isoformat()}",
        scheme=scheme,
        urgent=True,
    )

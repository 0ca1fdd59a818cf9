"""Matching fixtures: approved volunteers and a waiting child, made directly for speed."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from core.dates import years_after
from referrals import services as child_services
from referrals.models import Child, Referral
from tests.personas import World
from volunteers.tests.helpers import approved


def waiting_child(world: World, **wishes: Any) -> tuple[Child, Referral]:
    """Cal (world.referral) on the waiting list, with the given wishes."""
    referral = world.referral
    child = referral.child
    if wishes:
        Child.objects.filter(pk=child.pk).update(**wishes)
        child.refresh_from_db()
    Referral.objects.filter(pk=referral.pk).update(
        status="waiting", waiting_since=timezone.localdate()
    )
    referral.refresh_from_db()
    return child, referral


def another_child(world: World, first_name: str = "Dee") -> Child:
    return child_services.child_create(
        actor=world.coordinator,
        scheme=world.north,
        first_name=first_name,
        last_name="Dunn",
        date_of_birth=years_after(timezone.localdate(), -13),  # 13 today
        social_worker=world.social_worker,
    )


def volunteer_for(user: Any, world: World, **fields: Any) -> Any:
    return approved(world.north, user=user, **fields)

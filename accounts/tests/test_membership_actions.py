"""What the people page offers for each role (services.membership_actions) is exactly what the
services let the person do: each change and end is tried for real, in a savepoint that is
rolled back, by each kind of staff, on every role of the scheme."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.models import ManagerLevel, Membership, Role
from accounts.services import people as services
from core.refusals import NotAllowed
from tests.personas import World, join, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor")]


class _Rollback(Exception):
    pass


def _allowed(run: Any) -> bool:
    try:
        with transaction.atomic():
            run()
            raise _Rollback
    except _Rollback:
        return True
    except (NotAllowed, ValidationError):
        return False


def _service_manager(world: World) -> Any:
    boss = make_user("boss@org.test", "Sally Service")
    for scheme in (world.north, world.south):
        join(boss, scheme, Role.MANAGER, ManagerLevel.SERVICE)
    return boss


@pytest.mark.parametrize("actor_name", ["coordinator", "manager", "service_manager", "iv"])
def test_the_page_offers_exactly_what_the_services_allow(actor_name: str, world: World) -> None:
    boss = _service_manager(world)
    actor = boss if actor_name == "service_manager" else getattr(world, actor_name)
    seen = set()
    for membership in Membership.objects.filter(scheme=world.north, is_active=True):
        offered = services.membership_actions(actor, membership)
        fresh = Membership.objects.get(pk=membership.pk)
        allowed = set()
        if _allowed(
            lambda m=fresh: services.membership_change_role(
                actor=actor, membership=m, role=Role.INDEPENDENT_VISITOR
            )
        ):
            allowed.add("change_role")
        if _allowed(lambda m=fresh: services.membership_deactivate(actor=actor, membership=m)):
            allowed.add("end_role")
        assert offered == allowed, (membership.user.email, membership.role)
        seen.add(bool(offered))
    # Each staff member may manage some roles and not others (their own, one above theirs).
    assert seen == ({False} if actor_name == "iv" else {True, False})


def test_only_the_service_manager_is_offered_the_data_protection_officers_role(
    world: World,
) -> None:
    boss = _service_manager(world)
    dpo = Membership.objects.get(user=world.dpo, scheme=world.north)
    assert services.membership_actions(world.manager, dpo) == set()
    assert services.membership_actions(boss, dpo) == {"change_role", "end_role"}
    # A service manager of one scheme of the two: senior enough by rank, but the officer works
    # for the whole organisation (the page offered it before, and the service refused).
    north_only = make_user("north.boss@org.test", "Nora North")
    join(north_only, world.north, Role.MANAGER, ManagerLevel.SERVICE)
    assert services.membership_actions(north_only, dpo) == set()
    client = Client()
    client.force_login(world.manager)
    page = client.get(reverse("people:list", args=["north"])).content.decode()
    assert reverse("people:change_role", args=[dpo.public_id]) not in page
    other = Membership.objects.get(user=world.iv, scheme=world.north)
    assert reverse("people:change_role", args=[other.public_id]) in page
    client.force_login(boss)
    page = client.get(reverse("people:list", args=["north"])).content.decode()
    assert reverse("people:change_role", args=[dpo.public_id]) in page

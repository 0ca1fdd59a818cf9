from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from matches import services
from referrals import services as child_services
from tests.personas import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]


def test_one_active_match_per_volunteer_and_per_child(world: World) -> None:
    other = child_services.child_create(
        actor=world.coordinator,
        scheme=world.north,
        first_name="Cal",
        last_name="Hart",
        date_of_birth=date(2013, 1, 1),
    )
    second = services.match_create(actor=world.coordinator, child=other, volunteer=world.iv)
    with pytest.raises((ValidationError, IntegrityError)), transaction.atomic():
        services.match_start(actor=world.coordinator, match=second, started_on=date(2026, 3, 1))
    rival = services.match_create(
        actor=world.coordinator, child=world.child, volunteer=world.other_iv
    )
    with pytest.raises((ValidationError, IntegrityError)), transaction.atomic():
        services.match_start(actor=world.coordinator, match=rival, started_on=date(2026, 3, 1))


def test_illegal_transition_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="cannot start"):
        services.match_start(
            actor=world.coordinator, match=world.match, started_on=date(2026, 3, 1)
        )
    services.match_close(actor=world.coordinator, match=world.match, ended_on=date(2026, 4, 1))
    with pytest.raises(ValidationError, match="cannot close"):
        services.match_close(actor=world.coordinator, match=world.match, ended_on=date(2026, 4, 2))

"""What a volunteer's page offers is what its services allow (ADR 0011, "What a page offers"):
each write is offered to a person exactly when its service would make it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.personas import World
from tests.refused import assert_offered_exactly_when_made
from volunteers import services
from volunteers.models import Stage, Volunteer
from volunteers.tests.helpers import approved, make_volunteer, ready_for_signoff, service_manager

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("no_second_factor"),
    pytest.mark.dated,
]


def _team_signed(world: World) -> Volunteer:
    volunteer = ready_for_signoff(world.north)
    return services.signoff_team(actor=world.manager, volunteer=volunteer, comment="Fine.")


STATES: dict[str, Callable[[World], Volunteer]] = {
    "application": lambda w: make_volunteer(w.north),
    "sign-off, ready": lambda w: ready_for_signoff(w.north),
    "sign-off, team manager signed": _team_signed,
    "approved": lambda w: approved(w.north),
    "not proceeding": lambda w: make_volunteer(
        w.north, Stage.NOT_PROCEEDING, not_proceeding_reason="Moved away."
    ),
}


def _writes(user: Any, volunteer: Volunteer) -> dict[str, Callable[[], object]]:
    """Each write's service, with valid inputs."""
    yesterday = timezone.localdate() - timedelta(days=1)
    mine = {"actor": user, "volunteer": volunteer}
    calls: dict[str, Callable[[], object]] = {
        "move": lambda: services.volunteer_move(**mine, to_stage="not_proceeding", reason="Left."),
        "edit": lambda: services.volunteer_update_details(**mine, phone="07700 900999"),
        "interview": lambda: services.interview_record(**mine, interview_notes="Calm and kind."),
        "checks": lambda: services.checks_record(**mine, identity_checked_on=yesterday),
        "reference": lambda: services.reference_save(
            **mine, referee_name="Rae Referee", relationship="Teacher"
        ),
        "training": lambda: services.training_record(
            **mine, module="boundaries", completed_on=yesterday
        ),
        "status": lambda: services.volunteer_set_status(**mine, status="paused", reason="Away."),
        "profile": lambda: services.volunteer_update_profile(**mine, interests="Football"),
        "support": lambda: services.support_session_record(
            **mine, kind="supervision", held_on=yesterday
        ),
        "sign_team": lambda: services.signoff_team(**mine, comment="Strong references."),
        "sign_service": lambda: services.signoff_service(
            **mine, comment="Welcome.", base_url="http://testserver"
        ),
        "send_back": lambda: services.signoff_send_back(**mine, reason="The DBS is unclear."),
    }
    assert set(calls) == {*services.RECORD_WRITES, *services.SIGNOFFS, "move", "send_back"}
    return calls


@pytest.mark.parametrize("state", list(STATES))
def test_each_write_is_offered_exactly_when_its_service_makes_it(world: World, state: str) -> None:
    volunteer = STATES[state](world)
    volunteer.refresh_from_db()  # as its page reads it
    # Everyone who can see a volunteer of north (the door): north's coordinator, its team
    # manager, and a service manager (the second sign-off).
    people = {
        "coordinator": world.coordinator,
        "team manager": world.manager,
        "service manager": service_manager(world.north),
    }
    for persona, user in people.items():
        offered = services.volunteer_actions(user, volunteer)
        assert_offered_exactly_when_made(offered, _writes(user, volunteer), f"{persona}, {state}")


def _page(user: Any, volunteer: Volunteer, name: str = "detail") -> str:
    client = Client()
    client.force_login(user)
    url = reverse(f"volunteers:{name}", args=[volunteer.public_id])
    return client.get(url).content.decode()


def test_the_page_shows_a_write_only_to_whom_it_is_offered(world: World) -> None:
    ready = ready_for_signoff(world.north)
    sign = reverse("volunteers:sign_off", args=[ready.public_id])
    assert sign in _page(world.manager, ready)
    assert sign not in _page(world.coordinator, ready)
    assert "The first sign-off is by a team manager." in _page(world.coordinator, ready, "sign_off")
    assert "The first sign-off is by a team manager." not in _page(world.manager, ready, "sign_off")
    closed = make_volunteer(world.north, Stage.NOT_PROCEEDING, not_proceeding_reason="Moved.")
    page = _page(world.coordinator, closed)
    assert reverse("volunteers:reference_add", args=[closed.public_id]) not in page
    assert reverse("volunteers:move", args=[closed.public_id]) not in page
    volunteer = approved(world.north)
    page = _page(world.coordinator, volunteer)
    assert reverse("volunteers:support", args=[volunteer.public_id]) in page
    assert reverse("volunteers:edit", args=[volunteer.public_id]) in page
    assert "Who has viewed this record" not in page
    assert "Who has viewed this record" in _page(world.manager, volunteer)

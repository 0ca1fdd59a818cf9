"""What a complaint's page offers is what its services allow (ADR 0011, "What a page offers"):
each step of the procedure is offered to a person exactly when its service would take it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, Finding, Subject
from complaints.tests.factories import about_coordinator, make_complaint
from tests.clock import days_ago
from tests.personas import World
from tests.refused import assert_offered_exactly_when_made

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]


def _steps(user: Any, complaint: Complaint, world: World) -> dict[str, Callable[[], object]]:
    """Each step's service, with valid inputs."""
    calls: dict[str, Callable[[], object]] = {
        "acknowledge": lambda: services.complaint_acknowledge(
            actor=user, complaint=complaint, handler=world.manager
        ),
        "extend": lambda: services.complaint_extend(
            actor=user, complaint=complaint, reason="The officer is away.", working_days=40
        ),
        "respond": lambda: services.complaint_respond(
            actor=user, complaint=complaint, outcome=Finding.UPHELD, response="We agree."
        ),
        "escalate": lambda: services.complaint_escalate(
            actor=user,
            complaint=complaint,
            investigating_officer="Olive Officer",
            independent_person="Ian Independent",
        ),
        "convene_panel": lambda: services.complaint_convene_panel(
            actor=user, complaint=complaint, on=days_ago(0)
        ),
        "panel_report": lambda: services.complaint_panel_report(
            actor=user, complaint=complaint, on=days_ago(0)
        ),
        "close": lambda: services.complaint_close(
            actor=user, complaint=complaint, finding=Finding.UPHELD, lessons_learned="None."
        ),
        "name_person": lambda: services.complaint_name_person(
            actor=user, complaint=complaint, subject=Subject.IV, subject_user=world.iv
        ),
    }
    assert set(calls) == set(services.TRANSITIONS)
    return calls


# Each state: how the complaint is made, then the steps its manager has taken.
STATES: dict[str, tuple[Callable[..., Complaint], list[str]]] = {
    "fresh": (make_complaint, []),
    "acknowledged": (make_complaint, ["acknowledge"]),
    "responded": (make_complaint, ["respond"]),
    "stage 2": (make_complaint, ["respond", "escalate"]),
    "closed": (make_complaint, ["respond", "close"]),
    "about the coordinator": (about_coordinator, []),
}


# Everyone who can see a complaint of north (the door): its coordinator (not one about staff;
# the one about them is asked too, and refused), its manager and the complaints manager.
@pytest.mark.parametrize("persona", ["coordinator", "manager", "complaints_manager"])
@pytest.mark.parametrize("state", list(STATES))
def test_each_step_is_offered_exactly_when_its_service_takes_it(
    world: World, persona: str, state: str
) -> None:
    user = getattr(world, persona)
    make, steps = STATES[state]
    complaint = make(world)
    for step in steps:
        _steps(world.manager, complaint, world)[step]()
    complaint.refresh_from_db()  # as its page reads it
    offered = services.complaint_actions(user, complaint)
    assert_offered_exactly_when_made(offered, _steps(user, complaint, world), f"{persona}, {state}")


def test_the_page_shows_a_step_only_to_whom_it_is_offered(world: World) -> None:
    complaint = make_complaint(world)
    url = reverse("complaints:detail", args=[complaint.public_id])
    link = reverse("complaints:action", args=[complaint.public_id, "acknowledge"])
    assert "acknowledge" in services.complaint_actions(world.manager, complaint)
    assert not services.complaint_actions(world.coordinator, complaint)
    for person, shown in ((world.manager, True), (world.coordinator, False)):
        client = Client()
        client.force_login(person)
        page = client.get(url).content.decode()
        assert (link in page) is shown
        assert ("Who has viewed this complaint" in page) is shown
    # Once closed, no step is left to offer, even to a manager.
    closed = make_complaint(world)
    for step in ("respond", "close"):
        _steps(world.manager, closed, world)[step]()
    client = Client()
    client.force_login(world.manager)
    page = client.get(reverse("complaints:detail", args=[closed.public_id])).content.decode()
    assert reverse("complaints:action", args=[closed.public_id, "close"]) not in page
    assert "Who has viewed this complaint" in page

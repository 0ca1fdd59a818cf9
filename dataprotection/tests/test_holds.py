"""Legal holds: who may place and lift them, what bad input is refused, and that the hold
shows on the child's and the volunteer's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dataprotection import selectors
from dataprotection.models import LegalHold
from dataprotection.services import holds
from tests.personas import World

pytestmark = pytest.mark.django_db


def test_managers_and_the_dpo_place_holds_others_cannot(world: World) -> None:
    hold = holds.place_hold(
        actor=world.manager, child=world.child, reason_kind="police", reason="Op Lantern"
    )
    assert hold.placed_by == world.manager and hold.is_active
    # The organisation's DPO reaches the other scheme too; the north manager does not.
    holds.place_hold(
        actor=world.dpo, child=world.south_child, reason_kind="inquiry", reason="Inquiry 7"
    )
    for person in (world.manager, world.other_coordinator, world.coordinator, world.iv):
        with pytest.raises(ValidationError):
            holds.place_hold(
                actor=person, child=world.south_child, reason_kind="police", reason="x"
            )
    with pytest.raises(ValidationError):
        holds.lift_hold(actor=world.coordinator, hold=hold, lift_reason="Done")


def test_bad_input_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        holds.place_hold(actor=world.manager, child=world.child, reason_kind="nope", reason=" ")
    assert set(exc.value.message_dict) == {"reason_kind", "reason"}
    with pytest.raises(ValidationError):
        holds.place_hold(actor=world.manager, reason_kind="police", reason="x")
    hold = holds.place_hold(
        actor=world.manager, child=world.child, reason_kind="police", reason="x"
    )
    with pytest.raises(ValidationError) as exc:
        holds.lift_hold(actor=world.manager, hold=hold, lift_reason="  ")
    assert "lift_reason" in exc.value.message_dict
    holds.lift_hold(actor=world.manager, hold=hold, lift_reason="Settled.")
    with pytest.raises(ValidationError, match="already been lifted"):
        holds.lift_hold(actor=world.manager, hold=hold, lift_reason="Again.")
    assert selectors.active_holds_for(child=world.child) == []
    assert LegalHold.history.filter(id=hold.pk).count() == 2


def test_the_hold_shows_on_the_child_page(world: World, client: Any, no_second_factor: Any) -> None:
    holds.place_hold(
        actor=world.manager, child=world.child, reason_kind="police", reason="Op Lantern"
    )
    url = reverse("children:detail", args=[world.child.public_id])
    client.force_login(world.coordinator)
    page = client.get(url).content.decode()
    assert "Legal hold: do not destroy." in page and "Police request" in page
    assert "Place a legal hold" not in page
    client.force_login(world.manager)
    page = client.get(url).content.decode()
    assert "Legal hold: do not destroy." in page and "Place a legal hold" in page


def test_the_hold_shows_on_the_volunteer_page(
    world: World, client: Any, no_second_factor: Any
) -> None:
    from volunteers.tests.helpers import make_volunteer

    volunteer = make_volunteer(world.north)
    client.force_login(world.manager)
    url = reverse("dataprotection:hold_volunteer", args=[volunteer.public_id])
    response = client.post(url, {"reason_kind": "", "reason": "Keep it"})
    assert response.status_code == 200
    assert "Choose why the records must be kept." in response.content.decode()
    assert "Keep it" in response.content.decode()
    response = client.post(url, {"reason_kind": "litigation", "reason": "Claim 99"})
    assert response.status_code == 302
    page = client.get(reverse("volunteers:detail", args=[volunteer.public_id])).content.decode()
    assert "Legal hold: do not destroy." in page and "Litigation or a claim" in page


def test_lifting_without_a_reason_says_so_next_to_the_field(
    world: World, client: Any, no_second_factor: Any
) -> None:
    hold = holds.place_hold(
        actor=world.manager, child=world.child, reason_kind="police", reason="Op Larch"
    )
    client.force_login(world.dpo)
    url = reverse("dataprotection:hold_lift", args=[hold.public_id])
    response = client.post(url, {"lift_reason": "  "})
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_lift_reason">Why is the hold lifted?: Say why the hold is lifted.' in body
    hold.refresh_from_db()
    assert hold.lifted_at is None

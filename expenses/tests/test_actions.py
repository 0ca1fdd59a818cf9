"""What a claim's page offers is what its services allow (ADR 0011, "What a page offers"): each
write is offered to a person exactly when its service would make it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from expenses import selectors, services
from expenses.models import Claim, ClaimItem
from expenses.tests.helpers import approved_claim, draft_claim, held_visit, receipt, submitted_claim
from tests.personas import World
from tests.refused import assert_offered_exactly_when_made

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("no_second_factor"),
    pytest.mark.dated,
]

ACTIONS = ("add_item", "remove_item", "submit", "answer", "query", "reject", "approve")


def _queried(world: World) -> Claim:
    claim = submitted_claim(world)
    services.claim_query(actor=world.coordinator, claim=claim, question="Which cinema?")
    return claim


def _answered(world: World) -> Claim:
    claim = _queried(world)
    services.query_answer(actor=world.iv, claim=claim, answer="The Odeon.")
    return claim


def _over_a_limit(world: World) -> Claim:
    claim = submitted_claim(world)
    Claim.objects.filter(pk=claim.pk).update(over_limit=True)
    return claim


def _rejected(world: World) -> Claim:
    claim = submitted_claim(world)
    return services.claim_reject(actor=world.coordinator, claim=claim, reason="Not a visit cost.")


STATES: dict[str, Callable[[World], Claim]] = {
    "draft": draft_claim,
    "empty draft": lambda w: services.claim_start(actor=w.iv, visit=held_visit(w)),
    "submitted": submitted_claim,
    "submitted, over a limit": _over_a_limit,
    "queried": _queried,
    "queried, answered": _answered,
    "approved": approved_claim,
    "rejected": _rejected,
}


def _an_item(claim: Claim) -> ClaimItem:
    """The claim's first item; for a claim with none, one written straight to the table."""
    return claim.items.first() or ClaimItem.objects.create(
        claim=claim,
        category="mileage",
        spent_on=timezone.localdate(),
        miles=Decimal("2"),
        amount=Decimal("0.90"),
    )


def _writes(user: Any, claim: Claim) -> dict[str, Callable[[], object]]:
    """Each write's service, with valid inputs."""
    calls: dict[str, Callable[[], object]] = {
        "add_item": lambda: services.item_add(
            actor=user,
            claim=claim,
            category="refreshments",
            spent_on=timezone.localdate(claim.visit.starts_at),
            amount=Decimal("3.00"),
            receipt=receipt(),
        ),
        "remove_item": lambda: services.item_remove(actor=user, item=_an_item(claim)),
        "submit": lambda: services.claim_submit(actor=user, claim=claim),
        "answer": lambda: services.query_answer(actor=user, claim=claim, answer="At the Odeon."),
        "query": lambda: services.claim_query(actor=user, claim=claim, question="Which bus?"),
        "reject": lambda: services.claim_reject(actor=user, claim=claim, reason="No receipt."),
        "approve": lambda: services.claim_approve(actor=user, claim=claim),
    }
    assert set(calls) == set(ACTIONS)
    return calls


# Everyone who can see a claim of Ivy's (the door): Ivy and north's staff.
SEE_IT = ("iv", "coordinator", "manager")


@pytest.mark.parametrize("state", list(STATES))
def test_each_write_is_offered_exactly_when_its_service_makes_it(world: World, state: str) -> None:
    claim = STATES[state](world)
    claim.refresh_from_db()  # as its page reads it
    for persona in SEE_IT:
        user = getattr(world, persona)
        offered = services.claim_actions(user, claim)
        assert_offered_exactly_when_made(offered, _writes(user, claim), f"{persona}, {state}")


def _page(user: Any, claim: Claim) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("expenses:detail", args=[claim.public_id])).content.decode()


def test_the_page_shows_a_write_only_to_whom_it_is_offered(world: World) -> None:
    draft = draft_claim(world)
    send = reverse("expenses:submit", args=[draft.public_id])
    assert send in _page(world.iv, draft) and send not in _page(world.coordinator, draft)
    submitted = submitted_claim(world)
    approve = reverse("expenses:approve", args=[submitted.public_id])
    assert approve in _page(world.coordinator, submitted)
    assert approve not in _page(world.iv, submitted)
    assert reverse("expenses:query", args=[submitted.public_id]) not in _page(world.iv, submitted)
    over = _over_a_limit(world)
    approve = reverse("expenses:approve", args=[over.public_id])
    page = _page(world.coordinator, over)
    assert approve not in page and "a manager must approve it" in page
    assert reverse("expenses:reject", args=[over.public_id]) in page
    assert approve in _page(world.manager, over)


def test_the_spending_page_has_a_part_for_ivs_and_one_for_staff(world: World) -> None:
    assert selectors.preauth_sections(world.iv) == {"mine"}
    assert selectors.preauth_sections(world.coordinator) == {"waiting"}
    assert selectors.preauth_sections(world.social_worker) == set()
    client = Client()
    client.force_login(world.iv)
    page = client.get(reverse("expenses:preauths")).content.decode()
    assert "Ask to spend over the limit" in page and "Waiting for a decision" not in page

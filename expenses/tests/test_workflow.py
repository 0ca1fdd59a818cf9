"""The claim workflow, limits, pre-authorisation, mileage and money."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from expenses import selectors, services
from expenses.models import ClaimStatus, PreAuthStatus
from expenses.tests.helpers import (
    approved_claim,
    draft_claim,
    held_visit,
    insure,
    receipt,
    set_limits,
    submitted_claim,
)

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


def test_mileage_is_miles_times_rate_rounded_half_up(world) -> None:
    assert services.mileage_amount(miles=Decimal("12.5"), rate=Decimal("0.45")) == Decimal("5.63")
    assert services.mileage_amount(miles=Decimal("10"), rate=Decimal("0.45")) == Decimal("4.50")
    insure(world)
    claim = draft_claim(world)
    item = services.item_add(
        actor=world.iv, claim=claim, category="mileage",
        spent_on=timezone.localdate(claim.visit.starts_at), miles=Decimal("12.5"),
    )  # fmt: skip
    assert item.amount == Decimal("5.63") and not item.receipt
    claim.refresh_from_db()
    assert claim.total == Decimal("10.13")


def test_sums_are_exact_to_the_penny_with_many_items(world) -> None:
    set_limits(world.north, visit="100000.00", month="100000.00")
    claim = draft_claim(world, amount="0.10")
    for _ in range(99):
        services.item_add(
            actor=world.iv, claim=claim, category="parking",
            spent_on=timezone.localdate(claim.visit.starts_at), amount=Decimal("0.10"),
            receipt=receipt(),
        )  # fmt: skip
    for _ in range(50):
        services.item_add(
            actor=world.iv, claim=claim, category="refreshments",
            spent_on=timezone.localdate(claim.visit.starts_at), amount=Decimal("3.33"),
            receipt=receipt(),
        )  # fmt: skip
    claim.refresh_from_db()
    # As floats 0.1 * 100 + 3.33 * 50 is 176.49999999999997.
    assert claim.total == Decimal("176.50")
    assert isinstance(claim.total, Decimal)
    services.claim_submit(actor=world.iv, claim=claim)
    assert selectors.month_status_for(
        world.iv, world.north.pk, timezone.localdate(claim.visit.starts_at)
    ).month_total == Decimal("176.50")


def test_mileage_needs_valid_insurance(world) -> None:
    claim = draft_claim(world)
    day = timezone.localdate(claim.visit.starts_at)
    with pytest.raises(ValidationError, match="business car insurance"):
        services.item_add(
            actor=world.iv, claim=claim, category="mileage", spent_on=day, miles=Decimal("3")
        )
    insure(world, expires=day - timedelta(days=1))
    with pytest.raises(ValidationError, match="expired"):
        services.item_add(
            actor=world.iv, claim=claim, category="mileage", spent_on=day, miles=Decimal("3")
        )


def test_receipt_required_except_for_mileage(world) -> None:
    claim = draft_claim(world)
    with pytest.raises(ValidationError, match="receipt"):
        services.item_add(
            actor=world.iv, claim=claim, category="parking",
            spent_on=timezone.localdate(), amount=Decimal("2.00"),
        )  # fmt: skip


def test_query_answer_resubmit_approve_and_pay(world) -> None:
    claim = submitted_claim(world)
    item = claim.items.get()
    services.claim_query(actor=world.coordinator, claim=claim, question="Two drinks?", item=item)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.QUERIED
    with pytest.raises(ValidationError, match="Answer"):
        services.claim_submit(actor=world.iv, claim=claim)
    services.query_answer(actor=world.iv, claim=claim, answer="One for Amy, one for me")
    services.claim_submit(actor=world.iv, claim=claim)
    services.claim_approve(actor=world.coordinator, claim=claim)
    batch = services.batch_create(actor=world.coordinator, scheme=world.north)
    services.batch_mark_paid(actor=world.coordinator, batch=batch, paid_on=timezone.localdate())
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID and claim.batch == batch and claim.paid_on
    assert [e.to_status for e in claim.events.all()] == [
        "draft", "submitted", "queried", "submitted", "approved", "approved", "paid",
    ]  # fmt: skip


def test_illegal_moves_are_refused_plainly(world) -> None:
    claim = draft_claim(world)
    with pytest.raises(ValidationError, match="cannot be approved"):
        services.claim_approve(actor=world.coordinator, claim=claim)
    claim = approved_claim(world)
    with pytest.raises(ValidationError):
        services.claim_reject(actor=world.coordinator, claim=claim, reason="No")
    with pytest.raises(ValidationError):
        services.item_add(
            actor=world.iv, claim=claim, category="parking", spent_on=timezone.localdate(),
            amount=Decimal("1.00"), receipt=receipt(),
        )  # fmt: skip


def test_reject_needs_a_reason(world) -> None:
    claim = submitted_claim(world)
    with pytest.raises(ValidationError):
        services.claim_reject(actor=world.coordinator, claim=claim, reason=" ")
    services.claim_reject(actor=world.coordinator, claim=claim, reason="Not for a visit")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED


def test_nobody_approves_their_own_claim(world) -> None:
    from tests.personas import join

    join(world.coordinator, world.north, "iv")
    from accounts.models import User

    coord = User.objects.get(pk=world.coordinator.pk)
    from matches.models import Match

    Match.objects.filter(pk=world.match.pk).update(volunteer=coord)
    visit = held_visit(world)
    visit.match.refresh_from_db()
    claim = submitted_claim(world, user=coord, visit=visit)
    with pytest.raises(PermissionDenied, match="own claim"):
        services.claim_approve(actor=coord, claim=claim)


def test_only_staff_of_the_scheme_decide(world) -> None:
    claim = submitted_claim(world)
    for person in (world.other_coordinator, world.other_iv, world.social_worker):
        with pytest.raises(PermissionDenied):
            services.claim_approve(actor=person, claim=claim)


def test_over_limit_needs_preauthorisation_granted_before_the_visit(world) -> None:
    set_limits(world.north, visit="10.00", month="60.00")
    claim = draft_claim(world, amount="18.00")
    with pytest.raises(ValidationError, match="pre-authorisation"):
        services.claim_submit(actor=world.iv, claim=claim)
    # Granted after the visit does not count.
    from expenses.models import PreAuthorisation

    late = PreAuthorisation.objects.create(
        scheme=world.north, volunteer=world.iv, visit=claim.visit, reference="PA-LATE01",
        amount=Decimal("20.00"), reason="Cinema", status=PreAuthStatus.GRANTED,
        decided_by=world.coordinator, decided_at=timezone.now(),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="pre-authorisation"):
        services.claim_submit(actor=world.iv, claim=claim)
    late.decided_at = claim.visit.starts_at - timedelta(days=2)
    late.save()
    services.claim_submit(actor=world.iv, claim=claim)
    claim.refresh_from_db()
    assert claim.over_limit and claim.pre_authorisation == late
    assert [u.pk for u in selectors.approvers_of(claim)] == [world.manager.pk]
    with pytest.raises(PermissionDenied, match="manager"):
        services.claim_approve(actor=world.coordinator, claim=claim)
    services.claim_approve(actor=world.manager, claim=claim)


def test_monthly_limit_counts_other_claims(world) -> None:
    set_limits(world.north, visit="25.00", month="30.00")
    submitted_claim(world, amount="20.00", visit=held_visit(world, days_ago=1))
    second = draft_claim(world, amount="15.00", visit=held_visit(world, days_ago=1))
    status = selectors.limits_for_claim(second)
    assert status.month_total == Decimal("35.00") and status.over_month
    with pytest.raises(ValidationError, match=r"limit is £30\.00"):
        services.claim_submit(actor=world.iv, claim=second)


def test_preauth_request_and_decision(world) -> None:
    from visits.tests.helpers import make_visit

    visit = make_visit(world)  # two days ahead
    preauth = services.preauth_request(
        actor=world.iv, visit=visit, amount=Decimal("40.00"), reason="Theme park"
    )
    assert preauth.reference.startswith("PA-")
    with pytest.raises(PermissionDenied):
        services.preauth_decide(actor=world.other_coordinator, preauth=preauth, grant=True)
    services.preauth_decide(actor=world.coordinator, preauth=preauth, grant=True)
    preauth.refresh_from_db()
    assert preauth.status == PreAuthStatus.GRANTED
    with pytest.raises(ValidationError):
        services.preauth_decide(actor=world.coordinator, preauth=preauth, grant=False)
    past = held_visit(world)
    with pytest.raises(ValidationError, match="before the visit"):
        services.preauth_request(actor=world.iv, visit=past, amount=Decimal("5"), reason="x")


def test_one_live_claim_per_visit_and_only_own_visits(world) -> None:
    claim = draft_claim(world)
    with pytest.raises(ValidationError, match="already"):
        services.claim_start(actor=world.iv, visit=claim.visit)
    with pytest.raises(PermissionDenied):
        services.claim_start(actor=world.other_iv, visit=held_visit(world))


def test_batch_lists_each_claim_once(world) -> None:
    first = approved_claim(world, amount="4.50")
    second = approved_claim(world, amount="6.25")
    batch = services.batch_create(actor=world.coordinator, scheme=world.north)
    assert batch.total == Decimal("10.75")
    assert {c.pk for c in batch.claims.all()} == {first.pk, second.pk}
    with pytest.raises(ValidationError, match="no approved claims"):
        services.batch_create(actor=world.coordinator, scheme=world.north)

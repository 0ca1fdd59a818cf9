"""Every write to expense claims. Each is one transaction that also records who did it
(simple-history's user, and a ClaimEvent row for every move through the workflow)."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.models import Role, Scheme, User
from core import schemesettings
from core.refusals import NotAllowed, permits
from core.workflow import Workflow
from expenses import selectors
from expenses.models import (
    PENNY,
    Category,
    Claim,
    ClaimEvent,
    ClaimItem,
    ClaimQuery,
    ClaimStatus,
    ExpenseSettings,
    PaymentBatch,
    PreAuthorisation,
    PreAuthStatus,
)
from expenses.uploads import CheckedReceipt
from notifications.services import notify

# The workflow, in one place. Paid is reached only through a payment batch.
ALLOWED_MOVES: dict[str, set[str]] = {
    ClaimStatus.DRAFT: {ClaimStatus.SUBMITTED},
    ClaimStatus.SUBMITTED: {ClaimStatus.APPROVED, ClaimStatus.QUERIED, ClaimStatus.REJECTED},
    ClaimStatus.QUERIED: {ClaimStatus.SUBMITTED},
    ClaimStatus.APPROVED: {ClaimStatus.PAID},
    ClaimStatus.REJECTED: set(),
    ClaimStatus.PAID: set(),
}

FLOW = Workflow(Claim, ALLOWED_MOVES, "A claim that is {status} cannot be {to}.", events=ClaimEvent)

_REF_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _ref(prefix: str) -> str:
    return prefix + "".join(secrets.choice(_REF_ALPHABET) for _ in range(6))


def _lock(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim.pk)


def claim_actions(user: User, claim: Claim) -> set[str]:
    """The writes the claim's page offers `user` now. To the IV who made it (_require_owner):
    "add_item" and "remove_item" while it can be changed, "submit" when it can be sent, and
    "answer" while a question waits. To the scheme's staff who are not its IV
    (_require_decider): "query" and "reject" when the workflow allows, and "approve" when it
    allows and, over a limit, to a manager (_require_approver)."""
    actions: set[str] = set()
    moves = FLOW.allowed(claim.status)
    if permits(lambda: _require_owner(user, claim)):
        if _editable_refusal(claim) is None:
            actions |= {"add_item", "remove_item"}
        if _send_refusal(claim) is None:
            actions.add("submit")
        if _answer_refusal(claim) is None:
            actions.add("answer")
    if permits(lambda: _require_decider(user, claim)):
        decisions = {"query": ClaimStatus.QUERIED, "reject": ClaimStatus.REJECTED}
        actions |= {name for name, to in decisions.items() if to in moves}
    if ClaimStatus.APPROVED in moves and permits(lambda: _require_approver(user, claim)):
        actions.add("approve")
    return actions


def _require_owner(actor: User, claim: Claim) -> None:
    if claim.volunteer_id != actor.pk:
        raise NotAllowed("Only the independent visitor who made the claim can do this.")


def _require_staff(actor: User, scheme_id: int) -> None:
    access.require_staff(
        actor, scheme_id, "Only the scheme's coordinators and managers can do this."
    )


def _claim_url(claim: Claim) -> str:
    return reverse("expenses:detail", args=[claim.public_id])


def mileage_amount(*, miles: Decimal, rate: Decimal) -> Decimal:
    """Miles times the rate, to the penny, halves rounded up (45p x 12.5 miles = £5.63)."""
    return (Decimal(miles) * Decimal(rate)).quantize(PENNY, rounding=ROUND_HALF_UP)


# --- Settings ------------------------------------------------------------------------------


@transaction.atomic
def settings_update(
    *,
    actor: User,
    scheme: Scheme,
    mileage_rate: Decimal,
    per_visit_limit: Decimal,
    monthly_limit: Decimal,
) -> ExpenseSettings:
    access.require_role(actor, scheme, [Role.MANAGER], ExpenseSettings.refused_message)
    return schemesettings.settings_update(
        ExpenseSettings,
        actor=actor,
        scheme=scheme,
        mileage_rate=mileage_rate,
        per_visit_limit=per_visit_limit,
        monthly_limit=monthly_limit,
    )


# --- The IV's claim ------------------------------------------------------------------------


@transaction.atomic
def claim_start(*, actor: User, visit: Any) -> Claim:
    """A draft claim for one of the IV's own visits that has happened."""
    if visit.match.volunteer_id != actor.pk:
        raise NotAllowed("You can only claim for your own visits.")
    if visit.starts_at > timezone.now():
        raise ValidationError({"visit": "You can claim for a visit once it has happened."})
    existing = selectors.live_claim_for_visit(visit)
    if existing is not None:
        raise ValidationError({"visit": "There is already a claim for this visit."})
    try:
        with transaction.atomic():
            return _claim_new(actor=actor, visit=visit)
    except IntegrityError as exc:
        # Another request started the claim a moment ago (one live claim per visit).
        raise ValidationError({"visit": "There is already a claim for this visit."}) from exc


def _claim_new(*, actor: User, visit: Any) -> Claim:
    claim = Claim(
        scheme_id=visit.scheme_id,
        volunteer=actor,
        visit=visit,
        match_id=visit.match_id,
        created_by=actor,
    )
    claim._history_user = actor  # type: ignore[attr-defined]
    claim.full_clean()
    claim.save()
    FLOW.record_event(claim, actor=actor)
    return claim


def _editable_refusal(claim: Claim) -> ValidationError | None:
    if not claim.is_editable:
        return ValidationError("This claim has been sent and cannot be changed now.")
    return None


def _recount(claim: Claim, actor: User) -> None:
    total = claim.items.aggregate(t=Sum("amount"))["t"] or Decimal("0.00")
    claim.total = total
    claim._history_user = actor  # type: ignore[attr-defined]
    claim.save(update_fields=["total", "updated_at"])


@transaction.atomic
def item_add(
    *,
    actor: User,
    claim: Claim,
    category: str,
    spent_on: date,
    description: str = "",
    amount: Decimal | None = None,
    miles: Decimal | None = None,
    receipt: CheckedReceipt | None = None,
) -> ClaimItem:
    claim = _lock(claim)
    _require_owner(actor, claim)
    if refusal := _editable_refusal(claim):
        raise refusal
    if category == Category.MILEAGE:
        if not miles or miles <= 0:
            raise ValidationError({"miles": "Enter how many miles you drove."})
        problem = selectors.insurance_problem(actor, on=spent_on)
        if problem:
            raise ValidationError({"category": problem})
        amount = mileage_amount(
            miles=miles,
            rate=schemesettings.settings_for(ExpenseSettings, claim.scheme_id).mileage_rate,
        )
    else:
        miles = None
        if amount is None or amount <= 0:
            raise ValidationError({"amount": "Enter the amount in pounds, for example 4.50."})
        if receipt is None:
            raise ValidationError({"receipt": "Add a photo or PDF of the receipt."})
    item = ClaimItem(
        claim=claim,
        category=category,
        spent_on=spent_on,
        description=description.strip(),
        amount=Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP),
        miles=miles,
        created_by=actor,
    )
    if receipt is not None:
        item.receipt.save(f"receipt.{receipt.extension}", ContentFile(receipt.content), save=False)
        item.receipt_content_type = receipt.content_type
    item._history_user = actor  # type: ignore[attr-defined]
    try:
        item.full_clean()
        item.save()
    except Exception:
        # The file is written before the row: never leave an orphan behind.
        if item.receipt:
            item.receipt.storage.delete(item.receipt.name)
        raise
    _recount(claim, actor)
    return item


@transaction.atomic
def item_remove(*, actor: User, item: ClaimItem) -> None:
    claim = _lock(item.claim)
    _require_owner(actor, claim)
    if refusal := _editable_refusal(claim):
        raise refusal
    receipt = item.receipt.name
    storage = item.receipt.storage
    item.delete()
    _recount(claim, actor)
    if receipt:
        transaction.on_commit(lambda: storage.delete(receipt))


def _limits_check(claim: Claim) -> tuple[bool, PreAuthorisation | None]:
    """Is the claim over a limit, and if so which granted pre-authorisation covers it?
    Raises when it is over and nothing covers it."""
    status = selectors.limits_for_claim(claim)
    if not status.over_limit:
        return False, None
    preauth = selectors.preauth_covering(claim)
    if preauth is None:
        raise ValidationError(
            f"This claim is over the scheme's limit ({status.explain()}). Spending over a limit "
            "needs a pre-authorisation, asked for and granted before the visit. Remove an item "
            "or talk to your coordinator."
        )
    return True, preauth


def _send_refusal(claim: Claim) -> ValidationError | None:
    """Why the claim cannot be sent now (its limits aside: _limits_check), or None."""
    if ClaimStatus.SUBMITTED not in FLOW.allowed(claim.status):
        return ValidationError("This claim has already been sent.")
    if not claim.items.exists():
        return ValidationError("Add at least one item before sending the claim.")
    if claim.queries.filter(answered_at__isnull=True).exists():
        return ValidationError("Answer the coordinator's question before sending the claim again.")
    return None


@transaction.atomic
def claim_submit(*, actor: User, claim: Claim) -> Claim:
    claim = _lock(claim)
    _require_owner(actor, claim)
    if refusal := _send_refusal(claim):
        raise refusal
    over, preauth = _limits_check(claim)
    claim.over_limit = over
    claim.pre_authorisation = preauth
    claim.submitted_at = timezone.now()
    FLOW.move(
        claim,
        ClaimStatus.SUBMITTED,
        actor=actor,
        fields=["over_limit", "pre_authorisation", "submitted_at"],
    )
    notify(
        users=selectors.approvers_of(claim),
        title="An expense claim is waiting for approval",
        url=_claim_url(claim),
        key=f"expenses:submitted:{claim.public_id}:{claim.events.count()}",
        scheme_id=claim.scheme_id,
    )
    return claim


@transaction.atomic
def query_answer(*, actor: User, claim: Claim, answer: str) -> ClaimQuery:
    claim = _lock(claim)
    _require_owner(actor, claim)
    if refusal := _answer_refusal(claim):
        raise refusal
    query = claim.queries.filter(answered_at__isnull=True).order_by("created_at").first()
    assert query is not None
    if not answer.strip():
        raise ValidationError({"answer": "Write your answer."})
    query.answer = answer.strip()
    query.answered_at = timezone.now()
    query.full_clean()
    query.save(update_fields=["answer", "answered_at", "updated_at"])
    return query


def _answer_refusal(claim: Claim) -> ValidationError | None:
    waiting = claim.queries.filter(answered_at__isnull=True)
    if claim.status != ClaimStatus.QUERIED or not waiting.exists():
        return ValidationError("There is no question waiting for an answer.")
    return None


# --- Decisions -----------------------------------------------------------------------------


def _require_decider(actor: User, claim: Claim) -> None:
    _require_staff(actor, claim.scheme_id)
    if claim.volunteer_id == actor.pk:
        raise NotAllowed("Nobody can decide on their own claim.")


def _require_approver(actor: User, claim: Claim) -> None:
    _require_decider(actor, claim)
    if claim.over_limit and not access.has_role(actor, claim.scheme_id, [Role.MANAGER]):
        raise NotAllowed("This claim is over a limit, so a manager must approve it.")


@transaction.atomic
def claim_approve(*, actor: User, claim: Claim) -> Claim:
    claim = _lock(claim)
    _require_approver(actor, claim)
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    FLOW.move(claim, ClaimStatus.APPROVED, actor=actor, fields=["decided_by", "decided_at"])
    notify(
        users=[claim.volunteer],
        title="Your expense claim has been approved",
        url=_claim_url(claim),
        key=f"expenses:approved:{claim.public_id}",
        scheme_id=claim.scheme_id,
    )
    return claim


@transaction.atomic
def claim_reject(*, actor: User, claim: Claim, reason: str) -> Claim:
    claim = _lock(claim)
    _require_decider(actor, claim)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the claim is rejected."})
    claim.rejection_reason = reason.strip()
    claim.decided_by = actor
    claim.decided_at = timezone.now()
    FLOW.move(
        claim,
        ClaimStatus.REJECTED,
        actor=actor,
        note=claim.rejection_reason,
        fields=["rejection_reason", "decided_by", "decided_at"],
    )
    notify(
        users=[claim.volunteer],
        title="Your expense claim was not approved",
        url=_claim_url(claim),
        key=f"expenses:rejected:{claim.public_id}",
        scheme_id=claim.scheme_id,
    )
    return claim


@transaction.atomic
def claim_query(
    *, actor: User, claim: Claim, question: str, item: ClaimItem | None = None
) -> ClaimQuery:
    claim = _lock(claim)
    _require_decider(actor, claim)
    if not question.strip():
        raise ValidationError({"question": "Write your question."})
    if item is not None and item.claim_id != claim.pk:
        raise ValidationError({"item": "Choose an item of this claim."})
    FLOW.move(claim, ClaimStatus.QUERIED, actor=actor, note=question.strip(), fields=[])
    query = ClaimQuery(claim=claim, item=item, question=question.strip(), created_by=actor)
    query.full_clean()
    query.save()
    notify(
        users=[claim.volunteer],
        title="Your coordinator has a question about your expense claim",
        url=_claim_url(claim),
        key=f"expenses:query:{query.public_id}",
        scheme_id=claim.scheme_id,
    )
    return query


# --- Pre-authorisation ---------------------------------------------------------------------


@transaction.atomic
def preauth_request(*, actor: User, visit: Any, amount: Decimal, reason: str) -> PreAuthorisation:
    if visit.match.volunteer_id != actor.pk:
        raise NotAllowed("You can only ask about your own visits.")
    if visit.starts_at <= timezone.now():
        raise ValidationError({"visit": "Ask before the visit: this one has already started."})
    preauth = PreAuthorisation(
        scheme_id=visit.scheme_id,
        volunteer=actor,
        visit=visit,
        reference=_ref("PA-"),
        amount=amount,
        reason=reason.strip(),
        created_by=actor,
    )
    preauth._history_user = actor  # type: ignore[attr-defined]
    preauth.full_clean()
    preauth.save()
    notify(
        users=selectors.staff_of(visit.scheme_id),
        title="An IV asks for spending over the expense limit",
        url=reverse("expenses:preauth_decide", args=[preauth.public_id]),
        key=f"expenses:preauth:{preauth.public_id}",
        scheme_id=visit.scheme_id,
    )
    return preauth


@transaction.atomic
def preauth_decide(
    *, actor: User, preauth: PreAuthorisation, grant: bool, note: str = ""
) -> PreAuthorisation:
    preauth = PreAuthorisation.objects.select_for_update().get(pk=preauth.pk)
    _require_staff(actor, preauth.scheme_id)
    if preauth.volunteer_id == actor.pk:
        raise NotAllowed("Nobody can authorise their own spending.")
    if preauth.status != PreAuthStatus.REQUESTED:
        raise ValidationError("This request has already been decided.")
    preauth.status = PreAuthStatus.GRANTED if grant else PreAuthStatus.REFUSED
    preauth.decided_by = actor
    preauth.decided_at = timezone.now()
    preauth.decision_note = note.strip()
    preauth._history_user = actor  # type: ignore[attr-defined]
    preauth.full_clean()
    preauth.save(
        update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"]
    )
    notify(
        users=[preauth.volunteer],
        title=f"Your request to spend over the limit was {preauth.get_status_display().lower()}",
        url=reverse("expenses:preauths"),
        key=f"expenses:preauth-decided:{preauth.public_id}",
        scheme_id=preauth.scheme_id,
    )
    return preauth


# --- Finance -------------------------------------------------------------------------------


@transaction.atomic
def batch_create(*, actor: User, scheme: Scheme) -> PaymentBatch:
    """Every approved claim of the scheme not yet in a batch goes into a new one. The rows are
    locked first, so two people exporting at once cannot put a claim in two batches."""
    _require_staff(actor, scheme.pk)
    claims = list(
        Claim.objects.select_for_update(skip_locked=True)
        .filter(scheme=scheme, status=ClaimStatus.APPROVED, batch__isnull=True)
        .order_by("pk")
    )
    if not claims:
        raise ValidationError("There are no approved claims waiting to be paid.")
    batch = PaymentBatch(
        scheme=scheme,
        reference=f"{timezone.localdate():%Y%m%d}-{secrets.choice(_REF_ALPHABET)}"
        + "".join(secrets.choice(_REF_ALPHABET) for _ in range(3)),
        total=sum((c.total for c in claims), Decimal("0.00")),
        created_by=actor,
    )
    batch.full_clean()
    batch.save()
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(
        batch=batch, updated_at=timezone.now()
    )
    for claim in claims:
        FLOW.record_event(
            claim, actor=actor, before=claim.status, note=f"In payment batch {batch.reference}"
        )
    return batch


@transaction.atomic
def batch_mark_paid(*, actor: User, batch: PaymentBatch, paid_on: date) -> PaymentBatch:
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    _require_staff(actor, batch.scheme_id)
    if batch.paid_on is not None:
        raise ValidationError("This batch is already marked as paid.")
    batch.paid_on = paid_on
    batch.full_clean()
    batch.save(update_fields=["paid_on", "updated_at"])
    for claim in Claim.objects.select_for_update().filter(batch=batch).select_related("volunteer"):
        claim.paid_on = paid_on
        FLOW.move(claim, ClaimStatus.PAID, actor=actor, fields=["paid_on"])
        notify(
            users=[claim.volunteer],
            title="Your expense claim has been paid",
            url=_claim_url(claim),
            key=f"expenses:paid:{claim.public_id}",
            scheme_id=claim.scheme_id,
        )
    return batch

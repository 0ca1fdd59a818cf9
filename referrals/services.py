"""Every write to a child's record and a referral. Each is one transaction that also keeps
grants, history, the referral's event trail and notifications right."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from accounts import access
from accounts.models import Role, Scheme, User
from core.refusals import NotAllowed, permits
from core.workflow import Workflow
from notifications.services import notify
from referrals import child_fields
from referrals.models import (
    OPEN_REFERRAL_STATUSES,
    Child,
    ClosingReason,
    LookedAfterReview,
    Placement,
    Referral,
    ReferralEvent,
    ReferralStatus,
    SocialWorkerAllocation,
)
from referrals.selectors import child_can_edit

# What a social worker's allocation grants on the child's record.
SOCIAL_WORKER_PERMS = ("referrals.view_child", "referrals.change_child")


def _grant_social_worker(child: Child, social_worker: User | None) -> None:
    if social_worker is not None:
        for perm in SOCIAL_WORKER_PERMS:
            assign_perm(perm, social_worker, child)


def _revoke_social_worker(child: Child, social_worker: User | None) -> None:
    if social_worker is not None:
        for perm in SOCIAL_WORKER_PERMS:
            remove_perm(perm, social_worker, child)


def _coordinators(scheme_id: int) -> list[User]:
    return access.users_with_roles(scheme_id, [Role.COORDINATOR])


def _require_editor(actor: User, child: Child) -> None:
    """Staff of the child's scheme, and the allocated social worker, change a child's record."""
    if not child_can_edit(user=actor, child=child):
        access.require_staff(
            actor,
            child.scheme_id,
            "Only the scheme's staff and the child's social worker can do this.",
        )


def _require_child_creator(actor: User, scheme: Scheme | int) -> None:
    """The scheme's staff and its social workers add children (a social worker with the
    referral they make)."""
    access.require_role(
        actor, scheme, [*access.STAFF_ROLES, Role.SOCIAL_WORKER],
        "Only the scheme's staff and social workers can add a child.",
    )  # fmt: skip


def _require_allocator(actor: User, scheme: Scheme | int) -> None:
    """Choosing a child's social worker (allocating, reallocating) is the scheme's staff's."""
    access.require_staff(
        actor, scheme, "Only the scheme's coordinators and managers allocate a social worker."
    )


def _require_referrer_or_staff(actor: User, referral: Referral) -> None:
    if referral.referred_by_id != actor.pk:
        access.require_staff(
            actor, referral.scheme_id, "Only the person who made the referral can do this."
        )


def _require_author(actor: User, referral: Referral) -> None:
    """Only the person who made a referral sends it. Nobody else is told the draft exists
    (staff never see someone else's draft: referrals_visible_to), so the refusal is hidden."""
    if referral.referred_by_id != actor.pk:
        raise NotAllowed("Only the person who made the referral can send it.", hidden=True)


def _require_scheme_staff(actor: User, referral: Referral) -> None:
    """The scheme's coordinators and managers meet the child, keep the waiting list and
    match."""
    access.require_staff(actor, referral.scheme_id)


def _require_decliner(actor: User, referral: Referral) -> None:
    access.require_staff(actor, referral.scheme_id, "Only the scheme can decline a referral.")


def _require_duplicate_decider(actor: User, scheme: Scheme | int) -> None:
    """Whether a referred child is one the scheme already knows is the staff's decision (a
    social worker's possible duplicate is flagged for them instead)."""
    access.require_staff(actor, scheme)


def _start_allocation(child: Child, social_worker: User | None, actor: User) -> None:
    now = timezone.now()
    SocialWorkerAllocation.objects.filter(child=child, ended_at__isnull=True).update(ended_at=now)
    if social_worker is not None:
        SocialWorkerAllocation.objects.create(
            child=child, social_worker=social_worker, started_at=now, created_by=actor
        )


# Fields of the child's record a page may change, by who may change them. Social workers keep
# the child's details, placement, medical and risk information current; reallocation is the
# coordinator's.
# (The child's form fields are declared in referrals/child_fields.py.)
CHILD_PROFILE_FIELDS = tuple(
    name for name in child_fields.form_field_names() if name not in ("scheme", "social_worker")
)
CHILD_EDITABLE = (*CHILD_PROFILE_FIELDS, "social_worker")


@transaction.atomic
def child_create(
    *,
    actor: User,
    scheme: Scheme,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    case_number: str = "",
    social_worker: User | None = None,
    **profile: Any,
) -> Child:
    unknown = set(profile) - set(CHILD_PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not a child profile field: {sorted(unknown)}")
    _require_child_creator(actor, scheme)
    if social_worker is not None and social_worker != actor:
        # A social worker who refers a child is that child's social worker; anyone else
        # allocated is the staff's choice.
        _require_allocator(actor, scheme)
    child = Child(
        scheme=scheme,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        case_number=case_number.strip(),
        social_worker=social_worker,
        created_by=actor,
        **profile,
    )
    if child.risk_information and child.risk_reviewed_on:
        child.risk_reviewed_by = actor
    child._history_user = actor  # type: ignore[attr-defined]
    child.full_clean()
    try:
        with transaction.atomic():
            child.save()
    except IntegrityError as exc:
        # The same case number saved a moment ago by another request (full_clean ran first).
        if not child.case_number:
            raise
        raise ValidationError(
            {"case_number": "A child with this case number was just added to this scheme."}
        ) from exc
    _grant_social_worker(child, social_worker)
    _start_allocation(child, social_worker, actor)
    return child


@transaction.atomic
def child_update(*, actor: User, child: Child, **changes: Any) -> Child:
    unknown = set(changes) - set(CHILD_EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    _require_editor(actor, child)
    # Lock the row: two coordinators reallocating at once must not leave two grants behind.
    child = Child.objects.select_for_update().get(pk=child.pk)
    previous_worker = child.social_worker
    changed = [f for f, v in changes.items() if getattr(child, f) != v]
    if not changed:
        return child
    if "social_worker" in changed:
        _require_allocator(actor, child.scheme_id)
    for field, value in changes.items():
        setattr(child, field, value.strip() if isinstance(value, str) else value)
    if "risk_information" in changed or "risk_reviewed_on" in changed:
        child.risk_reviewed_by = actor
        changed.append("risk_reviewed_by")
    child._history_user = actor  # type: ignore[attr-defined]
    child.full_clean()
    child.save(update_fields=[*changed, "updated_at"])
    if "social_worker" in changed:
        _revoke_social_worker(child, previous_worker)
        _grant_social_worker(child, child.social_worker)
        _start_allocation(child, child.social_worker, actor)
    return child


@transaction.atomic
def placement_change(
    *,
    actor: User,
    child: Child,
    kind: str,
    carer_name: str,
    address: str,
    started_on: date,
    carer_phone: str = "",
    carer_email: str = "",
) -> Placement:
    """A new placement: the current one ends the day before, the history is kept, and the
    scheme's coordinators are told (the IV must know where to visit)."""
    _require_editor(actor, child)
    current = child.placements.select_for_update().filter(ended_on__isnull=True).first()
    if current is not None:
        if started_on <= current.started_on:
            raise ValidationError(
                {"started_on": "A new placement must start after the current one began."}
            )
        current.ended_on = started_on
        current._history_user = actor  # type: ignore[attr-defined]
        current.save(update_fields=["ended_on", "updated_at"])
    placement = Placement(
        child=child, kind=kind, carer_name=carer_name.strip(), carer_phone=carer_phone.strip(),
        carer_email=carer_email.strip(), address=address.strip(), started_on=started_on,
        created_by=actor,
    )  # fmt: skip
    placement._history_user = actor  # type: ignore[attr-defined]
    placement.full_clean()
    placement.save()
    if current is not None:
        transaction.on_commit(
            lambda: notify(
                users=_coordinators(child.scheme_id),
                title="A child's placement has changed",
                url=reverse("children:detail", args=[child.public_id]),
                key=f"placement-change:{placement.public_id}",
                scheme=child.scheme,
            )
        )
    return placement


@transaction.atomic
def review_record(
    *, actor: User, child: Child, held_on: date, iv_considered: bool, notes: str = ""
) -> LookedAfterReview:
    _require_editor(actor, child)
    review = LookedAfterReview(
        child=child, held_on=held_on, iv_considered=iv_considered, notes=notes.strip(),
        created_by=actor,
    )  # fmt: skip
    review.full_clean()
    review.save()
    return review


# --- Referrals --------------------------------------------------------------------------

# The one table of allowed moves. Matching sets "matched"; declining and withdrawing close.
TRANSITIONS: dict[str, set[str]] = {
    ReferralStatus.DRAFT: {ReferralStatus.RECEIVED, ReferralStatus.WITHDRAWN},
    ReferralStatus.RECEIVED: {
        ReferralStatus.CHILD_MET, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN,
    },
    ReferralStatus.CHILD_MET: {
        ReferralStatus.WAITING, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN,
    },
    ReferralStatus.WAITING: {
        ReferralStatus.MATCHED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN,
    },
    ReferralStatus.MATCHED: set(),
    ReferralStatus.DECLINED: set(),
    ReferralStatus.WITHDRAWN: set(),
}  # fmt: skip

FLOW = Workflow(
    Referral, TRANSITIONS, "A referral that is {status} cannot become {to}.", events=ReferralEvent
)


def _lock(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral.pk)


@transaction.atomic
def referral_create(
    *,
    actor: User,
    child: Child,
    reason: str = "",
    reason_note: str = "",
    child_objects: bool = False,
    possible_duplicates: list[Child] | None = None,
) -> Referral:
    """A new draft referral for `child` (a re-referral of a closed case keeps the old ones)."""
    _require_editor(actor, child)
    referral = Referral(
        scheme=child.scheme, child=child, referred_by=actor, reason=reason,
        reason_note=reason_note.strip(), child_objects=child_objects, created_by=actor,
    )  # fmt: skip
    referral._history_user = actor  # type: ignore[attr-defined]
    referral.full_clean()
    referral.save()
    FLOW.record_event(referral, actor=actor)
    if possible_duplicates:
        referral.possible_duplicates.set(possible_duplicates)
    return referral


@transaction.atomic
def referral_update_draft(
    *, actor: User, referral: Referral, reason: str, reason_note: str, child_objects: bool
) -> Referral:
    _require_referrer_or_staff(actor, referral)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.DRAFT:
        raise ValidationError("Only a draft referral can be changed here.")
    referral.reason, referral.reason_note = reason, reason_note.strip()
    referral.child_objects = child_objects
    referral._history_user = actor  # type: ignore[attr-defined]
    referral.full_clean()
    referral.save(update_fields=["reason", "reason_note", "child_objects", "updated_at"])
    return referral


@transaction.atomic
def referral_submit(*, actor: User, referral: Referral) -> Referral:
    _require_author(actor, referral)
    if not referral.reason:
        raise ValidationError({"reason": "Choose the reason for the referral."})
    referral = _lock(referral)
    referral.received_at = timezone.now()
    FLOW.move(referral, ReferralStatus.RECEIVED, actor=actor, fields=["received_at"])
    transaction.on_commit(
        lambda: notify(
            users=_coordinators(referral.scheme_id),
            title="A new referral has arrived",
            url=reverse("referrals:detail", args=[referral.public_id]),
            key=f"referral-received:{referral.public_id}",
            scheme=referral.scheme,
        )
    )
    return referral


@transaction.atomic
def referral_record_meeting(
    *, actor: User, referral: Referral, met_on: date, child_wants: str
) -> Referral:
    _require_scheme_staff(actor, referral)
    if met_on > timezone.localdate():
        raise ValidationError({"met_on": "The meeting date cannot be in the future."})
    if not child_wants.strip():
        raise ValidationError({"child_wants": "Write down what the child said they want."})
    referral = _lock(referral)
    referral.met_on, referral.met_by, referral.child_wants = met_on, actor, child_wants.strip()
    FLOW.move(
        referral, ReferralStatus.CHILD_MET, actor=actor, fields=["met_on", "met_by", "child_wants"]
    )
    return referral


@transaction.atomic
def referral_add_to_waiting_list(
    *, actor: User, referral: Referral, waiting_since: date | None = None
) -> Referral:
    _require_scheme_staff(actor, referral)
    referral = _lock(referral)
    referral.waiting_since = waiting_since or timezone.localdate()
    FLOW.move(referral, ReferralStatus.WAITING, actor=actor, fields=["waiting_since"])
    return referral


@transaction.atomic
def referral_mark_matched(*, actor: User, referral: Referral) -> Referral:
    """Called by the matching app when the child's match is made."""
    _require_scheme_staff(actor, referral)
    referral = _lock(referral)
    referral.closed_at = timezone.now()
    FLOW.move(referral, ReferralStatus.MATCHED, actor=actor, fields=["closed_at"])
    return referral


@transaction.atomic
def referral_close(
    *, actor: User, referral: Referral, outcome: str, reason: str, note: str = ""
) -> Referral:
    """Decline or withdraw, always with a reason from the list and any words to add. The
    scheme declines; the person who made the referral may withdraw it."""
    if outcome != ReferralStatus.WITHDRAWN:
        _require_decliner(actor, referral)
    else:
        _require_referrer_or_staff(actor, referral)
    if outcome not in (ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN):
        raise ValidationError("A referral closes as declined or withdrawn.")
    if reason not in ClosingReason.values:
        raise ValidationError({"closing_reason": "Choose a reason from the list."})
    if reason == ClosingReason.OTHER and not note.strip():
        raise ValidationError({"closing_note": "Say why, when the reason is “other”."})
    referral = _lock(referral)
    referral.closing_reason, referral.closing_note = reason, note.strip()
    referral.closed_at = timezone.now()
    FLOW.move(
        referral,
        outcome,
        actor=actor,
        note=note.strip(),
        fields=["closing_reason", "closing_note", "closed_at"],
    )
    return referral


def _check_duplicates_open(referral: Referral) -> None:
    """A possible duplicate is decided once."""
    if referral.duplicates_resolved or not referral.possible_duplicates.exists():
        raise ValidationError("There is no possible duplicate left to decide on.")


@transaction.atomic
def referral_resolve_duplicate(
    *, actor: User, referral: Referral, same_as: Child | None
) -> Referral:
    """The coordinator's decision on a possible duplicate: `same_as` links the referral to
    that existing child (the new record is kept but merged into it); None proceeds as a new
    child."""
    _require_duplicate_decider(actor, referral.scheme_id)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _check_duplicates_open(referral)
    if same_as is not None:
        if same_as.pk not in set(referral.possible_duplicates.values_list("pk", flat=True)):
            raise ValidationError("Choose one of the children listed.")
        if (
            Referral.objects.filter(
                child=same_as, status__in=[ReferralStatus.DRAFT, *OPEN_REFERRAL_STATUSES]
            )
            .exclude(pk=referral.pk)
            .exists()
        ):
            raise ValidationError(
                "That child already has an open referral; close one of them first."
            )
        duplicate = referral.child
        referral.child = same_as
        duplicate.merged_into = same_as
        duplicate._history_user = actor  # type: ignore[attr-defined]
        duplicate.save(update_fields=["merged_into", "updated_at"])
    referral.duplicates_resolved = True
    referral._history_user = actor  # type: ignore[attr-defined]
    referral.save(update_fields=["child", "duplicates_resolved", "updated_at"])
    return referral


# --- What a page offers (ADR 0011) ------------------------------------------------------
# Built only from the checks above, which the services call before each write, and the
# workflow's table: a page never offers what its service would refuse.


def _passes(check: Callable[[], object]) -> bool:
    """True when `check()` neither refuses the person nor the record's state."""
    try:
        check()
    except (NotAllowed, ValidationError):
        return False
    return True


def referral_schemes(user: User) -> list[Scheme]:
    """The schemes where this person may refer a child: where child_create takes them."""
    schemes = {m.scheme_id: m.scheme for m in access.memberships(user)}
    return [s for s in schemes.values() if permits(partial(_require_child_creator, user, s))]


def allocates_in(user: User, schemes: list[Scheme]) -> bool:
    """Whether this person chooses the social worker of a child of one of `schemes`."""
    return any(permits(partial(_require_allocator, user, s)) for s in schemes)


def decides_duplicates(user: User, scheme: Scheme | int) -> bool:
    """Whether this person is asked about a possible duplicate in `scheme` (or it is flagged
    for the scheme's staff to decide)."""
    return permits(lambda: _require_duplicate_decider(user, scheme))


def child_actions(user: User, child: Child) -> set[str]:
    """The writes a child's page offers this person now: "edit" (child_update),
    "change_placement" (placement_change), "add_review" (review_record), "reallocate"
    (child_update of the social worker) and "match" (a waiting referral of the child may be
    matched: referral_actions)."""
    actions: set[str] = set()
    if permits(lambda: _require_editor(user, child)):
        actions |= {"edit", "change_placement", "add_review"}
    if permits(lambda: _require_allocator(user, child.scheme_id)):
        actions.add("reallocate")
    waiting = Referral.objects.filter(child=child, status=ReferralStatus.WAITING)
    if any("match" in referral_actions(user, r) for r in waiting):
        actions.add("match")
    return actions


# Each referral action, the status it moves the referral to and the check its service calls.
REFERRAL_MOVES: dict[str, tuple[str, Callable[[User, Referral], None]]] = {
    "send": (ReferralStatus.RECEIVED, _require_author),
    "meet": (ReferralStatus.CHILD_MET, _require_scheme_staff),
    "wait": (ReferralStatus.WAITING, _require_scheme_staff),
    "match": (ReferralStatus.MATCHED, _require_scheme_staff),
    "decline": (ReferralStatus.DECLINED, _require_decliner),
    "withdraw": (ReferralStatus.WITHDRAWN, _require_referrer_or_staff),
}


def referral_actions(user: User, referral: Referral) -> set[str]:
    """The writes a referral's page offers this person now: "send" (referral_submit),
    "meet" (referral_record_meeting), "wait" (referral_add_to_waiting_list), "match" (the
    matching app's proposal, referral_mark_matched), "decline" and "withdraw"
    (referral_close), "resolve_duplicate" (referral_resolve_duplicate)."""
    allowed = FLOW.allowed(referral.status)
    actions = {
        name
        for name, (to, check) in REFERRAL_MOVES.items()
        if to in allowed and permits(partial(check, user, referral))
    }
    if permits(lambda: _require_duplicate_decider(user, referral.scheme_id)) and _passes(
        lambda: _check_duplicates_open(referral)
    ):
        actions.add("resolve_duplicate")
    return actions


def referral_close_outcomes(user: User, referral: Referral) -> list[str]:
    """How this person may close the referral, whatever its state (the workflow answers that
    on the form): the scheme declines or withdraws, the person who made it withdraws."""
    return [
        str(to)
        for name, (to, check) in REFERRAL_MOVES.items()
        if name in ("decline", "withdraw") and permits(partial(check, user, referral))
    ]

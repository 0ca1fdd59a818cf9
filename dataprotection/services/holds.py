"""Legal holds: while one stands, nothing about the child or volunteer is destroyed or
anonymised (the retention scan skips it and the destruction re-checks at the last moment).

A child's hold covers the child and everything of the child (matches, visits, claims,
concerns). A volunteer's hold covers their record, their expense claims and complaints about
them. Placed and lifted by the scheme's managers and the organisation's data protection
officer, always with a reason.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import User
from complaints.models import Complaint
from dataprotection.models import DueRecord, HoldReason, LegalHold, RecordType
from expenses.models import Claim


def can_manage_holds(user: User, scheme_id: int) -> bool:
    return scheme_id in access.data_protection_scheme_ids(user)


def _require(actor: User, scheme_id: int) -> None:
    if not can_manage_holds(actor, scheme_id):
        raise ValidationError(
            "Only the scheme's managers and the data protection officer can place or lift a "
            "legal hold."
        )


@transaction.atomic
def place_hold(
    *,
    actor: User,
    reason_kind: str,
    reason: str,
    child: Any = None,
    volunteer: Any = None,
) -> LegalHold:
    if (child is None) == (volunteer is None):
        raise ValidationError("A legal hold is on one child or one volunteer.")
    subject = child if child is not None else volunteer
    _require(actor, subject.scheme_id)
    errors: dict[str, str] = {}
    if reason_kind not in HoldReason.values:
        errors["reason_kind"] = "Choose why the records must be kept."
    if not (reason or "").strip():
        errors["reason"] = "Say what the hold is for, for example the claim or inquiry reference."
    if errors:
        raise ValidationError(errors)
    hold = LegalHold(
        scheme_id=subject.scheme_id,
        child=child,
        volunteer=volunteer,
        reason_kind=reason_kind,
        reason=reason.strip(),
        placed_by=actor,
        placed_at=timezone.now(),
        created_by=actor,
    )
    hold.full_clean()
    hold._history_user = actor  # type: ignore[attr-defined]
    hold.save()
    _unlist(hold)
    return hold


def _unlist(hold: LegalHold) -> None:
    """What the hold covers drops off the list of records due for destruction at once."""
    if hold.child_id is not None:
        DueRecord.objects.filter(
            record_type__in=[RecordType.CHILD_CASE, RecordType.CHILD_DIED],
            object_pk=hold.child_id,
        ).delete()

        claims = Claim.objects.filter(match__child_id=hold.child_id).values_list("pk", flat=True)
        DueRecord.objects.filter(record_type=RecordType.EXPENSE, object_pk__in=claims).delete()
    else:
        volunteer = hold.volunteer
        assert volunteer is not None
        DueRecord.objects.filter(
            record_type__in=[RecordType.VOLUNTEER, RecordType.ALLEGATION, RecordType.APPLICANT],
            object_pk=volunteer.pk,
        ).delete()
        if volunteer.user_id is not None:
            claims = Claim.objects.filter(volunteer_id=volunteer.user_id).values_list(
                "pk", flat=True
            )
            DueRecord.objects.filter(record_type=RecordType.EXPENSE, object_pk__in=claims).delete()
            complaints = Complaint.objects.filter(subject_user_id=volunteer.user_id).values_list(
                "pk", flat=True
            )
            DueRecord.objects.filter(
                record_type=RecordType.COMPLAINT, object_pk__in=complaints
            ).delete()


@transaction.atomic
def lift_hold(*, actor: User, hold: LegalHold, lift_reason: str) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    _require(actor, hold.scheme_id)
    if hold.lifted_at is not None:
        raise ValidationError("This legal hold has already been lifted.")
    if not (lift_reason or "").strip():
        raise ValidationError({"lift_reason": "Say why the hold is lifted."})
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor
    hold.lift_reason = lift_reason.strip()
    hold.full_clean()
    hold._history_user = actor  # type: ignore[attr-defined]
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason", "updated_at"])
    return hold

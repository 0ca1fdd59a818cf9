"""The data subject's rights beyond access: erasure of a volunteer who withdrew before
approval, and rectification of a child's record with its history kept.

Erasure anonymises (dataprotection.services.retention.anonymise_volunteer) and leaves one anonymous
DestructionRecord; rectification saves the change through simple-history with the person who
corrected it and why.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.refusals import NotAllowed
from dataprotection.models import DestructionAction, DestructionRecord, RecordType
from dataprotection.selectors import dp_scheme_ids
from dataprotection.services.destruction import anonymise_volunteer, is_anonymised
from matches.models import Match
from referrals.models import Child
from safeguarding.models import Concern
from volunteers.models import Stage, Volunteer

# What a correction may change: the child's identity and background. Everything else on the
# file is case work, edited on the child's own page.
CORRECTABLE_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "died_on",
    "case_number",
    "gender",
    "ethnicity",
    "religion",
    "languages",
    "legal_status",
)


def erasure_blockers(volunteer: Any) -> list[str]:
    """Why the law (or the record's state) does not allow erasing this volunteer now; empty
    when it does."""

    reasons: list[str] = []
    if volunteer_is_erased(volunteer):
        reasons.append("This application has already been erased.")
        return reasons
    if volunteer.stage == Stage.APPROVED:
        reasons.append(
            "They were approved as an IV: their record is kept for the retention period after "
            "they leave, not erased on request."
        )
    if volunteer.holds.filter(lifted_at__isnull=True).exists():
        reasons.append("A legal hold is in force on this record.")
    if volunteer.user_id and Concern.objects.filter(about_volunteer_id=volunteer.user_id).exists():
        reasons.append(
            "A safeguarding allegation was made about them: the law requires the record to be kept."
        )
    if volunteer.user_id and Match.objects.filter(volunteer_id=volunteer.user_id).exists():
        reasons.append("They have been matched with a child: the match record is kept.")
    return reasons


def volunteer_is_erased(volunteer: Any) -> bool:
    return is_anonymised(volunteer)


@transaction.atomic
def erase_applicant(*, actor: User, volunteer: Any) -> DestructionRecord:
    """Anonymise the application of a volunteer who withdrew before approval."""

    if volunteer.scheme_id not in dp_scheme_ids(actor):
        raise NotAllowed("Only the scheme's managers and the data protection officer.")
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    blockers = erasure_blockers(volunteer)
    if blockers:
        raise ValidationError(blockers)
    anonymise_volunteer(volunteer=volunteer, actor=actor)
    now = timezone.now()
    return DestructionRecord.objects.create(
        scheme_id=volunteer.scheme_id,
        record_type=RecordType.APPLICANT,
        action=DestructionAction.ERASED,
        count=1,
        approved_by=actor,
        approved_at=now,
    )


@transaction.atomic
def child_correct(*, actor: User, child: Any, changes: dict[str, Any], reason: str) -> Any:
    """Correct the child's record. The history keeps the old value, who corrected it, when and
    why; nothing is overwritten without a trace."""

    if child.scheme_id not in dp_scheme_ids(actor):
        raise NotAllowed("Only the scheme's managers and the data protection officer.")
    unknown = set(changes) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValueError(f"not correctable here: {sorted(unknown)}")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the record is being corrected."})
    child = Child.objects.select_for_update().get(pk=child.pk)
    changed = [name for name, value in changes.items() if getattr(child, name) != value]
    if not changed:
        raise ValidationError("Nothing was changed: correct at least one detail.")
    for name in changed:
        value = changes[name]
        setattr(child, name, value.strip() if isinstance(value, str) else value)
    died_on = child.died_on
    if died_on is not None:
        if died_on < child.date_of_birth:
            raise ValidationError({"died_on": "The date of death is before the date of birth."})
        if died_on > timezone.localdate():
            raise ValidationError({"died_on": "The date of death cannot be in the future."})
    child.full_clean()
    child._history_user = actor  # type: ignore[attr-defined]
    child._change_reason = reason  # type: ignore[attr-defined]
    child.save(update_fields=[*changed, "updated_at"])
    return child

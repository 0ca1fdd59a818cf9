"""Every write to a volunteer's record. Each is one transaction that also records who did it
(simple-history's user, and a StageChange row for every move through the pipeline, written by
FLOW, the core.workflow helper)."""

from __future__ import annotations

import secrets
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import access
from accounts.models import ManagerLevel, Membership, Role, Scheme, User
from accounts.services.people import membership_invite
from core.refusals import NotAllowed, permits
from core.schemesettings import settings_for, settings_update
from core.workflow import Workflow
from volunteers import rules, signals
from volunteers.models import (
    PROFILE_FIELDS,
    InterviewOutcome,
    Reference,
    Stage,
    StageChange,
    SupportSession,
    TrainingRecord,
    Volunteer,
    VolunteerSchemeSettings,
    VolunteerStatus,
)

# The pipeline, in one place. Approval is reached only through the two sign-offs
# (signoff_service); sending back from sign-off returns to checks.
ALLOWED_MOVES: dict[str, set[str]] = {
    Stage.ENQUIRY: {Stage.APPLICATION, Stage.NOT_PROCEEDING},
    Stage.APPLICATION: {Stage.INTERVIEW, Stage.NOT_PROCEEDING},
    Stage.INTERVIEW: {Stage.CHECKS, Stage.NOT_PROCEEDING},
    Stage.CHECKS: {Stage.TRAINING, Stage.NOT_PROCEEDING},
    Stage.TRAINING: {Stage.SIGN_OFF, Stage.CHECKS, Stage.NOT_PROCEEDING},
    Stage.SIGN_OFF: {Stage.APPROVED, Stage.CHECKS, Stage.NOT_PROCEEDING},
    Stage.APPROVED: set(),
    Stage.NOT_PROCEEDING: set(),
}

# The state field is `stage`; every move is written as a StageChange row.
FLOW = Workflow(
    Volunteer,
    ALLOWED_MOVES,
    "A volunteer at the {status} stage cannot move to {to}.",
    events=StageChange,
    field="stage",
)

# Unambiguous when read over the phone: no 0/O, 1/I/L.
_REF_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _new_reference() -> str:
    for _ in range(10):
        ref = "IV-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(6))
        if not Volunteer.objects.filter(reference=ref).exists():
            return ref
    raise RuntimeError("could not find a free reference number")


# The writes to a volunteer's record its page offers, besides moving and the sign-offs.
RECORD_WRITES = (
    "edit",
    "interview",
    "checks",
    "reference",
    "training",
    "status",
    "profile",
    "support",
)
# Only an approved volunteer has these, and why not before.
APPROVED_ONLY = {
    "status": "Only an approved volunteer has a status.",
    "profile": "Availability, preferences and driving are recorded once the volunteer is approved.",
    "support": "Supervision and group support are for approved volunteers.",
}
SIGNOFFS = {"sign_team": ManagerLevel.TEAM, "sign_service": ManagerLevel.SERVICE}


def volunteer_actions(user: User, volunteer: Volunteer) -> set[str]:
    """The writes the volunteer's page offers `user` now. To the scheme's staff
    (_require_staff, as every write to the record checks): "move" when the pipeline has a
    move from this stage (approval aside: that is the sign-offs), and each of RECORD_WRITES
    that the stage allows (_stage_refusal). To its team and service managers, while it waits
    for sign-off (_signoff_refusal): the sign-off that is next and theirs to give ("sign_team"
    or "sign_service", _require_signer), and "send_back" (_require_sender_back)."""
    actions: set[str] = set()
    if permits(lambda: _require_staff(user, volunteer.scheme_id)):
        if FLOW.allowed(volunteer.stage) - {Stage.APPROVED}:
            actions.add("move")
        actions |= {name for name in RECORD_WRITES if _stage_refusal(volunteer, name) is None}
    for name, level in SIGNOFFS.items():
        if _signoff_refusal(volunteer, level) is None and permits(
            partial(_require_signer, user, volunteer, level)
        ):
            actions.add(name)
    if _signoff_refusal(volunteer) is None and permits(
        lambda: _require_sender_back(user, volunteer)
    ):
        actions.add("send_back")
    return actions


def _stage_refusal(volunteer: Volunteer, write: str) -> ValidationError | None:
    """Why `write` (one of RECORD_WRITES) cannot be made at the volunteer's stage, or None: a
    closed record (not proceeding) takes nothing more, and some are for approved volunteers
    only (APPROVED_ONLY)."""
    if volunteer.stage == Stage.NOT_PROCEEDING:
        return ValidationError("This volunteer is not proceeding; their record is closed.")
    if write in APPROVED_ONLY and volunteer.stage != Stage.APPROVED:
        return ValidationError(APPROVED_ONLY[write])
    return None


def _require_staff(actor: User, scheme_id: int) -> None:
    access.require_staff(
        actor, scheme_id, "Only the scheme's coordinators and managers can do this."
    )


def _manager_levels(user: User, scheme_id: int) -> set[str]:
    return {
        m.manager_level
        for m in access.memberships(user)
        if m.scheme_id == scheme_id and m.role == Role.MANAGER
    }


def _save(volunteer: Volunteer, actor: User | None, fields: list[str]) -> Volunteer:
    volunteer._history_user = actor  # type: ignore[attr-defined]
    volunteer.full_clean()
    volunteer.save(update_fields=[*fields, "updated_at"])
    return volunteer


def _lock(volunteer: Volunteer) -> Volunteer:
    return Volunteer.objects.select_for_update().get(pk=volunteer.pk)


@transaction.atomic
def scheme_settings_update(
    *,
    actor: User,
    scheme: Scheme,
    dbs_renewal_years: int,
    training_refresh_years: int,
    supervision_interval_weeks: int,
) -> VolunteerSchemeSettings:
    access.require_role(actor, scheme, [Role.MANAGER], VolunteerSchemeSettings.refused_message)
    return settings_update(
        VolunteerSchemeSettings,
        actor=actor,
        scheme=scheme,
        dbs_renewal_years=dbs_renewal_years,
        training_refresh_years=training_refresh_years,
        supervision_interval_weeks=supervision_interval_weeks,
    )


# --- Entering the pipeline -----------------------------------------------------------------


@transaction.atomic
def volunteer_apply(
    *,
    scheme: Scheme,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    date_of_birth: date | None = None,
    area: str = "",
    motivation: str = "",
    available_weekdays: bool = False,
    available_evenings: bool = False,
    available_weekends: bool = False,
    consent_to_checks: bool,
) -> Volunteer:
    """The public application form: no account, so no actor. Consent is required."""
    if not consent_to_checks:
        raise ValidationError(
            {"consent_to_checks": "We cannot consider an application without consent to checks."}
        )
    return _new_volunteer(
        None,
        "Applied online",
        scheme=scheme,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        date_of_birth=date_of_birth,
        area=area.strip().upper(),
        motivation=motivation.strip(),
        available_weekdays=available_weekdays,
        available_evenings=available_evenings,
        available_weekends=available_weekends,
        consent_to_checks=True,
        consent_given_at=timezone.now(),
        stage=Stage.APPLICATION,
    )


@transaction.atomic
def volunteer_enquiry_create(
    *,
    actor: User,
    scheme: Scheme,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    enquiry_notes: str = "",
) -> Volunteer:
    """A coordinator records an enquiry call; the person then applies."""
    _require_staff(actor, scheme.pk)
    return _new_volunteer(
        actor,
        "Enquiry call",
        scheme=scheme,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        enquiry_notes=enquiry_notes.strip(),
        stage=Stage.ENQUIRY,
    )


def _new_volunteer(
    actor: User | None,
    note: str,
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    **fields: Any,
) -> Volunteer:
    """A new volunteer's record, with a fresh reference, the names and contact details tidied,
    and the first row of its pipeline history."""
    volunteer = Volunteer(
        reference=_new_reference(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        created_by=actor,
        **fields,
    )
    volunteer.save_by(actor)
    FLOW.record_event(volunteer, actor=actor, note=note)
    return volunteer


# --- Moving through the pipeline -----------------------------------------------------------


def _check_move(volunteer: Volunteer, to_stage: str, reason: str) -> None:
    current = Stage(volunteer.stage)
    target = Stage(to_stage)
    FLOW.check(volunteer, target)
    if target == Stage.NOT_PROCEEDING and not reason.strip():
        raise ValidationError({"reason": "Give the reason they are not proceeding."})
    if (
        target == Stage.CHECKS
        and current == Stage.INTERVIEW
        and volunteer.interview_outcome != InterviewOutcome.PROCEED
    ):
        raise ValidationError("Record the interview with the outcome to proceed first.")
    sent_back = target == Stage.CHECKS and current in (Stage.TRAINING, Stage.SIGN_OFF)
    if sent_back and not reason.strip():
        raise ValidationError({"reason": "Give the reason for sending it back."})
    if target == Stage.SIGN_OFF:
        missing = rules.missing_checks(volunteer)
        if missing:
            raise ValidationError(
                "Sign-off cannot start while checks are missing: " + "; ".join(missing) + "."
            )


@transaction.atomic
def volunteer_move(
    *, actor: User, volunteer: Volunteer, to_stage: str, reason: str = ""
) -> Volunteer:
    """Move along the pipeline by the table above. Approval goes through the sign-offs."""
    _require_staff(actor, volunteer.scheme_id)
    volunteer = _lock(volunteer)
    if to_stage == Stage.APPROVED:
        raise ValidationError(
            "Approval needs the team manager's and the service manager's sign-off."
        )
    _check_move(volunteer, to_stage, reason)
    fields: list[str] = []
    if to_stage == Stage.NOT_PROCEEDING:
        volunteer.not_proceeding_reason = reason.strip()
        fields.append("not_proceeding_reason")
    if volunteer.stage == Stage.SIGN_OFF:
        fields += _clear_signoffs(volunteer)
    return FLOW.move(volunteer, to_stage, actor=actor, note=reason.strip(), fields=fields)


def _clear_signoffs(volunteer: Volunteer) -> list[str]:
    volunteer.team_signed_by = None
    volunteer.team_signed_on = None
    volunteer.team_comment = ""
    volunteer.service_signed_by = None
    volunteer.service_signed_on = None
    volunteer.service_comment = ""
    return [
        "team_signed_by",
        "team_signed_on",
        "team_comment",
        "service_signed_by",
        "service_signed_on",
        "service_comment",
    ]


# --- Recording interview, checks, references, training ------------------------------------

DETAIL_FIELDS = ("first_name", "last_name", "email", "phone", "date_of_birth", "area")
INTERVIEW_FIELDS = ("interview_on", "interviewer", "interview_outcome", "interview_notes")
CHECK_FIELDS = (
    "dbs_certificate_number",
    "dbs_issued_on",
    "dbs_barred_list_checked",
    "dbs_update_service",
    "dbs_status_checked_on",
    "statutory_checks_on",
    "identity_checked_on",
    "no_connection_declared_on",
    "code_of_conduct_accepted_on",
)


# The fields each edit of the record changes.
FIELDS_OF = {
    "edit": DETAIL_FIELDS,
    "interview": INTERVIEW_FIELDS,
    "checks": CHECK_FIELDS,
    "profile": PROFILE_FIELDS,
}


def _update(*, actor: User, volunteer: Volunteer, write: str, changes: dict[str, Any]) -> Volunteer:
    unknown = set(changes) - set(FIELDS_OF[write])
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    _require_staff(actor, volunteer.scheme_id)
    volunteer = _lock(volunteer)
    if refusal := _stage_refusal(volunteer, write):
        raise refusal
    for field, value in changes.items():
        setattr(volunteer, field, value.strip() if isinstance(value, str) else value)
    changed = list(changes)
    if not changed:
        return volunteer
    return _save(volunteer, actor, changed)


def volunteer_update_details(*, actor: User, volunteer: Volunteer, **changes: Any) -> Volunteer:
    with transaction.atomic():
        return _update(actor=actor, volunteer=volunteer, write="edit", changes=changes)


def interview_record(*, actor: User, volunteer: Volunteer, **changes: Any) -> Volunteer:
    with transaction.atomic():
        interviewer = changes.get("interviewer")
        if interviewer is not None and not access.is_staff_in(interviewer, volunteer.scheme_id):
            raise ValidationError({"interviewer": "The interviewer must be staff of this scheme."})
        return _update(actor=actor, volunteer=volunteer, write="interview", changes=changes)


def checks_record(*, actor: User, volunteer: Volunteer, **changes: Any) -> Volunteer:
    with transaction.atomic():
        return _update(actor=actor, volunteer=volunteer, write="checks", changes=changes)


def volunteer_update_profile(*, actor: User, volunteer: Volunteer, **changes: Any) -> Volunteer:
    with transaction.atomic():
        frm, to = changes.get("prefers_age_from"), changes.get("prefers_age_to")
        if frm is not None and to is not None and frm > to:
            raise ValidationError(
                {"prefers_age_to": "The upper age must not be below the lower age."}
            )
        if changes.get("insurer") and not changes.get("insurance_expires_on"):
            raise ValidationError({"insurance_expires_on": "Enter the date the insurance expires."})
        return _update(actor=actor, volunteer=volunteer, write="profile", changes=changes)


@transaction.atomic
def reference_save(
    *,
    actor: User,
    volunteer: Volunteer,
    reference: Reference | None = None,
    referee_name: str,
    relationship: str,
    requested_on: date | None = None,
    received_on: date | None = None,
    satisfactory: bool | None = None,
) -> Reference:
    _require_staff(actor, volunteer.scheme_id)
    if refusal := _stage_refusal(volunteer, "reference"):
        raise refusal
    if reference is None:
        reference = Reference(volunteer=volunteer, created_by=actor)
    elif reference.volunteer_id != volunteer.pk:
        raise NotAllowed("That reference belongs to another volunteer.")
    if satisfactory is not None and received_on is None:
        raise ValidationError({"received_on": "Enter when the reference was received."})
    reference.referee_name = referee_name.strip()
    reference.relationship = relationship.strip()
    reference.requested_on = requested_on
    reference.received_on = received_on
    reference.satisfactory = satisfactory
    reference._history_user = actor  # type: ignore[attr-defined]
    reference.full_clean()
    reference.save()
    return reference


@transaction.atomic
def training_record(
    *, actor: User, volunteer: Volunteer, module: str, completed_on: date
) -> TrainingRecord:
    _require_staff(actor, volunteer.scheme_id)
    if refusal := _stage_refusal(volunteer, "training"):
        raise refusal
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The date cannot be in the future."})
    record = TrainingRecord(
        volunteer=volunteer, module=module, completed_on=completed_on, created_by=actor
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def support_session_record(
    *,
    actor: User,
    volunteer: Volunteer,
    kind: str,
    held_on: date,
    attended: bool = True,
    notes: str = "",
) -> SupportSession:
    _require_staff(actor, volunteer.scheme_id)
    if refusal := _stage_refusal(volunteer, "support"):
        raise refusal
    session = SupportSession(
        volunteer=volunteer,
        kind=kind,
        held_on=held_on,
        attended=attended,
        notes=notes.strip(),
        created_by=actor,
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def volunteer_set_status(
    *, actor: User, volunteer: Volunteer, status: str, reason: str = ""
) -> Volunteer:
    _require_staff(actor, volunteer.scheme_id)
    volunteer = _lock(volunteer)
    if refusal := _stage_refusal(volunteer, "status"):
        raise refusal
    if status in (VolunteerStatus.SUSPENDED, VolunteerStatus.LEFT) and not reason.strip():
        raise ValidationError({"reason": "Give the reason."})
    was = volunteer.status
    volunteer.status = status
    volunteer.status_reason = reason.strip()
    _save(volunteer, actor, ["status", "status_reason"])
    if status == VolunteerStatus.SUSPENDED and was != VolunteerStatus.SUSPENDED:
        _cut_off(volunteer, actor=actor, reason=reason.strip())
    return volunteer


def _cut_off(volunteer: Volunteer, *, actor: User, reason: str) -> None:
    """A suspended IV loses the child at once, by either route (by hand or on an allegation):
    every live match of theirs is paused, which takes away their grants to the match and the
    child's visit card (so their home page, visits and reports show nothing of the child), and
    their private calendar address stops working."""
    if volunteer.user_id is None:
        return
    user = volunteer.user
    assert user is not None
    # The receivers (matches.signals, visits.signals) run in this transaction.
    signals.volunteer_cut_off.send(
        sender=Volunteer, volunteer=user, actor=actor, reason=f"IV suspended: {reason}"
    )


# --- Sign-off and approval -----------------------------------------------------------------


def _refuse_if_missing(volunteer: Volunteer) -> None:
    missing = rules.missing_checks(volunteer)
    if missing:
        raise ValidationError(
            "This volunteer cannot be approved while checks are missing: "
            + "; ".join(missing)
            + "."
        )


def _signoff_refusal(volunteer: Volunteer, level: str = "") -> ValidationError | None:
    """Why the sign-off at `level` (none: any decision at sign-off, sending back too) cannot
    be given now, or None: a team manager signs off first, then a service manager."""
    if volunteer.stage != Stage.SIGN_OFF:
        return ValidationError("This volunteer is not waiting for sign-off.")
    if level == ManagerLevel.TEAM and volunteer.team_signed_by_id is not None:
        return ValidationError("The team manager has already signed off.")
    if level == ManagerLevel.SERVICE and volunteer.team_signed_by_id is None:
        return ValidationError("A team manager signs off first.")
    return None


def _require_signer(actor: User, volunteer: Volunteer, level: str) -> None:
    """The first sign-off is a team manager's; the second a service manager's who did not
    give the first."""
    levels = _manager_levels(actor, volunteer.scheme_id)
    if level == ManagerLevel.TEAM:
        access.require(
            ManagerLevel.TEAM in levels, "The first sign-off is by a team manager of this scheme."
        )
        return
    access.require(
        volunteer.team_signed_by_id != actor.pk,
        "You gave the team manager's sign-off; the second sign-off must be by someone else.",
    )
    access.require(
        ManagerLevel.SERVICE in levels,
        "The second sign-off is by a service manager of this scheme.",
    )


def _require_sender_back(actor: User, volunteer: Volunteer) -> None:
    levels = _manager_levels(actor, volunteer.scheme_id)
    access.require(
        bool(levels & {ManagerLevel.TEAM, ManagerLevel.SERVICE}),
        "Only a team or service manager of this scheme can send it back.",
    )


@transaction.atomic
def signoff_team(*, actor: User, volunteer: Volunteer, comment: str = "") -> Volunteer:
    volunteer = _lock(volunteer)
    if refusal := _signoff_refusal(volunteer, ManagerLevel.TEAM):
        raise refusal
    _require_signer(actor, volunteer, ManagerLevel.TEAM)
    _refuse_if_missing(volunteer)
    volunteer.team_signed_by = actor
    volunteer.team_signed_on = timezone.localdate()
    volunteer.team_comment = comment.strip()
    return _save(volunteer, actor, ["team_signed_by", "team_signed_on", "team_comment"])


@transaction.atomic
def signoff_service(
    *, actor: User, volunteer: Volunteer, comment: str = "", base_url: str
) -> Volunteer:
    """The second sign-off, by a different person who is a service manager: the volunteer is
    approved, the letter and certificate are made, and they are invited to set up an account."""
    volunteer = _lock(volunteer)
    if refusal := _signoff_refusal(volunteer, ManagerLevel.SERVICE):
        raise refusal
    _require_signer(actor, volunteer, ManagerLevel.SERVICE)
    _refuse_if_missing(volunteer)
    today = timezone.localdate()
    volunteer.service_signed_by = actor
    volunteer.service_signed_on = today
    volunteer.service_comment = comment.strip()
    volunteer.approved_on = today
    volunteer.status = VolunteerStatus.AVAILABLE
    FLOW.move(
        volunteer,
        Stage.APPROVED,
        actor=actor,
        note=comment.strip(),
        fields=[
            "service_signed_by",
            "service_signed_on",
            "service_comment",
            "approved_on",
            "status",
        ],
    )
    approval_documents_make(volunteer=volunteer)
    _invite_or_link(actor=actor, volunteer=volunteer, base_url=base_url)
    return volunteer


@transaction.atomic
def signoff_send_back(*, actor: User, volunteer: Volunteer, reason: str) -> Volunteer:
    """Either signer may send it back to checks, with a reason; both sign-offs start again."""
    _require_sender_back(actor, volunteer)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for sending it back."})
    volunteer = _lock(volunteer)
    if refusal := _signoff_refusal(volunteer):
        raise refusal
    return FLOW.move(
        volunteer,
        Stage.CHECKS,
        actor=actor,
        note=reason.strip(),
        fields=_clear_signoffs(volunteer),
    )


def _render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def approval_documents_make(*, volunteer: Volunteer) -> Volunteer:
    """The approval letter and certificate, stored privately (MEDIA_ROOT is never served)."""
    context = {
        "volunteer": volunteer,
        "scheme": volunteer.scheme,
        "dbs_renewal": rules.dbs_renewal_due(
            volunteer, settings_for(VolunteerSchemeSettings, volunteer.scheme_id)
        ),
    }
    for field, template in (
        ("approval_letter", "volunteers/pdf/approval_letter.html"),
        ("approval_certificate", "volunteers/pdf/approval_certificate.html"),
    ):
        pdf = _render_pdf(template, context)
        getattr(volunteer, field).save(f"{volunteer.public_id}.pdf", ContentFile(pdf), save=False)
    volunteer.save(update_fields=["approval_letter", "approval_certificate", "updated_at"])
    return volunteer


def _invite_or_link(*, actor: User, volunteer: Volunteer, base_url: str) -> None:
    existing = User.objects.filter(email=volunteer.email).first()
    if (
        existing is not None
        and Membership.objects.filter(
            user=existing,
            scheme_id=volunteer.scheme_id,
            role=Role.INDEPENDENT_VISITOR,
            is_active=True,
        ).exists()
    ):
        user = existing
    else:
        user = membership_invite(
            actor=actor,
            scheme=volunteer.scheme,
            email=volunteer.email,
            full_name=volunteer.full_name,
            role=Role.INDEPENDENT_VISITOR,
            base_url=base_url,
        ).user
    volunteer_link_user(actor=actor, volunteer=volunteer, user=user)


@transaction.atomic
def volunteer_link_user(*, actor: User | None, volunteer: Volunteer, user: User) -> Volunteer:
    if Volunteer.objects.filter(user=user).exclude(pk=volunteer.pk).exists():
        raise ValidationError("That account already belongs to another volunteer record.")
    volunteer.user = user
    return _save(volunteer, actor, ["user"])


@transaction.atomic
def volunteer_suspend(*, actor: User, volunteer: Volunteer, reason: str) -> Volunteer:
    """Suspend at once, e.g. on a safeguarding allegation (safeguarding.services calls this
    as whoever raised the concern). Unlike volunteer_set_status it needs no staff role:
    suspending is the safe direction, and lifting it (volunteer_set_status) does. Idempotent;
    a volunteer not yet approved has no status to suspend and is left as they are."""
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason."})
    volunteer = _lock(volunteer)
    if volunteer.stage != Stage.APPROVED or volunteer.status == VolunteerStatus.SUSPENDED:
        return volunteer
    volunteer.status = VolunteerStatus.SUSPENDED
    volunteer.status_reason = reason.strip()
    _save(volunteer, actor, ["status", "status_reason"])
    _cut_off(volunteer, actor=actor, reason=reason.strip())
    return volunteer

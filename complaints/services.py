"""Every write to a complaint. Each is one transaction that locks the complaint, checks the
step against the one table of allowed transitions, records who did it and when (an event and
the history), and writes any letter the step sends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import Role, Scheme, User
from complaints import letters
from complaints.models import (
    PERSON_SUBJECTS,
    Channel,
    Complaint,
    ComplaintEvent,
    ComplaintLetter,
    ComplaintStage,
    Finding,
    LetterKind,
    LetterTemplate,
    ReferenceCounter,
    Status,
    Subject,
)
from complaints.selectors import SEE_ALL_ROLES, staff_choices
from core.refusals import permits
from core.workflow import Workflow
from core.working_days import add_working_days, working_days_between
from notifications.services import notify

# Statutory timescales in working days (England's children's complaints procedure).
STAGE_1_DAYS = 10
STAGE_1_EXTENDED_DAYS = 20
STAGE_2_DAYS = 25
STAGE_2_MAX_DAYS = 65
STAGE_3_PANEL_DAYS = 30  # the panel meets within 30 working days of the request
STAGE_3_REPORT_DAYS = 5  # the panel reports within 5 working days of meeting
STAGE_3_RESPONSE_DAYS = 15  # the response follows within 15 working days of the report


@dataclass(frozen=True)
class Step:
    label: str  # "respond to", for "A complaint at stage 2 cannot be ..."
    moves: dict[str, str]  # from status -> to status (the same status: no change)


# The one table of what may happen to a complaint in each status.
TRANSITIONS: dict[str, Step] = {
    "acknowledge": Step("acknowledged", {s: s for s in Status if s != Status.CLOSED}),
    "extend": Step("extended", {Status.STAGE_1: Status.STAGE_1, Status.STAGE_2: Status.STAGE_2}),
    "respond": Step(
        "answered",
        {
            Status.STAGE_1: Status.STAGE_1_RESPONDED,
            Status.STAGE_2: Status.STAGE_2_RESPONDED,
            Status.STAGE_3: Status.STAGE_3_RESPONDED,
        },
    ),
    "escalate": Step(
        "escalated",
        {Status.STAGE_1_RESPONDED: Status.STAGE_2, Status.STAGE_2_RESPONDED: Status.STAGE_3},
    ),
    "convene_panel": Step("given a panel date", {Status.STAGE_3: Status.STAGE_3}),
    "panel_report": Step("given a panel report", {Status.STAGE_3: Status.STAGE_3}),
    "close": Step(
        "closed",
        {
            Status.STAGE_1_RESPONDED: Status.CLOSED,
            Status.STAGE_2_RESPONDED: Status.CLOSED,
            Status.STAGE_3_RESPONDED: Status.CLOSED,
        },
    ),
    # A public complaint names nobody: a manager names the member of staff or IV it is about
    # (from then on hidden from that person), at any point.
    "name_person": Step("given the person it is about", {s: s for s in Status}),
}


# The machine for the helper: a status may go wherever some step takes it. The check of a
# step is by its action (_step_to); the event row and the refusal's wording are the helper's.
FLOW = Workflow(
    Complaint,
    {s: {step.moves[s] for step in TRANSITIONS.values() if s in step.moves} for s in Status},
    "A complaint at “{status_label}” cannot be {how}.",
    events=ComplaintEvent,
)


def allowed_actions(complaint: Complaint) -> list[str]:
    actions = [a for a, step in TRANSITIONS.items() if complaint.status in step.moves]
    if complaint.acknowledged_on is not None and "acknowledge" in actions:
        actions.remove("acknowledge")
    return actions


def complaint_actions(user: User, complaint: Complaint) -> set[str]:
    """The steps of the procedure the complaint's page offers `user` now: those its status
    allows (allowed_actions), to the managers who may run them (_require_manager, the check
    every step's service makes first); nothing to anyone else."""
    if not permits(lambda: _require_manager(user, complaint)):
        return set()
    return set(allowed_actions(complaint))


def _require_manager(actor: User, complaint: Complaint) -> None:
    """Managers and complaints managers run a complaint's stages, never one about themselves
    (docs/decisions/0003)."""
    access.require_role(
        actor,
        complaint.scheme_id,
        SEE_ALL_ROLES,
        "Only the scheme's managers and complaints managers can do this.",
    )
    access.require(
        complaint.subject_user_id != actor.pk,
        "This complaint is about you, so another manager must handle it.",
    )


def _lock(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("scheme").get(pk=complaint.pk)


def _step_to(complaint: Complaint, action: str) -> str:
    """Where the step `action` takes the complaint, or the machine's refusal."""
    step = TRANSITIONS[action]
    if complaint.status not in step.moves:
        raise FLOW.refuse(complaint, "", step.label)
    return step.moves[complaint.status]


def _today() -> date:
    return timezone.localdate()


def _check_day(on: date, *, not_before: date, what: str) -> None:
    if on > _today():
        raise ValidationError({"on": f"The {what} cannot be in the future."})
    if on < not_before:
        raise ValidationError(
            {"on": f"The {what} cannot be before {not_before.day} {not_before:%B %Y}."}
        )


def _current_stage(complaint: Complaint) -> ComplaintStage:
    return ComplaintStage.objects.select_for_update().filter(complaint=complaint).latest("number")


def _next_reference(year: int) -> str:
    # The row for the year may not exist yet: insert it if missing (a no-op when another
    # request got there first), then lock it while the number is taken.
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"C-{year}-{counter.last:04d}"


@transaction.atomic
def complaint_receive(
    *,
    actor: User | None,
    scheme: Scheme,
    channel: str,
    received_on: date,
    complainant_name: str,
    complainant_relationship: str,
    subject: str,
    details: str,
    subject_user: User | None = None,
    subject_name: str = "",
    on_behalf_of: str = "",
    complainant_email: str = "",
    complainant_phone: str = "",
    complainant_address: str = "",
    desired_outcome: str = "",
) -> Complaint:
    """A new complaint: staff record one from any channel (`actor` set), or a member of the
    public sends the form (`actor` None). Stage 1 starts on the day it was received."""
    if received_on > _today():
        raise ValidationError({"received_on": "The date received cannot be in the future."})
    if subject == Subject.COORDINATOR and subject_user is None and actor is not None:
        raise ValidationError({"subject_user": "Choose the coordinator it is about."})
    if subject == Subject.STAFF and subject_user is None and actor is not None:
        raise ValidationError({"subject_user": "Choose the member of staff it is about."})
    if subject_user is not None:
        _check_subject_user(scheme, subject, subject_user)
    due = add_working_days(received_on, STAGE_1_DAYS)
    if not (complainant_email or complainant_phone or complainant_address):
        raise ValidationError(
            "Give at least one way to reply: an email address, a phone number or an address."
        )
    complaint = Complaint(
        scheme=scheme,
        reference=_next_reference(_today().year),
        received_on=received_on,
        channel=channel,
        complainant_name=complainant_name.strip(),
        complainant_relationship=complainant_relationship,
        on_behalf_of=on_behalf_of.strip(),
        complainant_email=complainant_email.strip(),
        complainant_phone=complainant_phone.strip(),
        complainant_address=complainant_address.strip(),
        subject=subject,
        subject_user=subject_user,
        subject_name=subject_name.strip(),
        details=details.strip(),
        desired_outcome=desired_outcome.strip(),
        status=Status.STAGE_1,
        due_on=due,
        created_by=actor,
    )
    complaint.save_by(actor)
    stage = ComplaintStage(
        complaint=complaint,
        number=1,
        started_on=received_on,
        due_on=due,
        created_by=actor,
    )
    stage.save_by(actor)
    how = "through the online form" if channel == Channel.PUBLIC_FORM else "by staff"
    FLOW.record_event(complaint, action="receive", actor=actor, before="", note=f"Received {how}.")
    if channel == Channel.PUBLIC_FORM:
        _notify_complaints_managers(complaint)
    return complaint


# Who a complaint "about" a person may name, by subject.
SUBJECT_ROLES: dict[str, tuple[str, ...]] = {
    Subject.COORDINATOR: (Role.COORDINATOR,),
    Subject.IV: (Role.INDEPENDENT_VISITOR,),
    Subject.STAFF: (
        Role.MANAGER,
        Role.COMPLAINTS_MANAGER,
        Role.COORDINATOR,
        Role.DATA_PROTECTION_OFFICER,
    ),
}


SUBJECT_WORDS: dict[str, str] = {
    Subject.COORDINATOR: "a coordinator",
    Subject.IV: "an independent visitor",
    Subject.STAFF: "a member of staff",
}


def _check_subject_user(scheme: Scheme, subject: str, person: User) -> None:
    if subject not in PERSON_SUBJECTS:
        raise ValidationError(
            {"subject_user": "Choose a person only when it is about a member of staff or an IV."}
        )
    if not staff_choices(scheme, SUBJECT_ROLES[subject]).filter(pk=person.pk).exists():
        what = SUBJECT_WORDS[subject]
        raise ValidationError({"subject_user": f"This person is not {what} of that scheme."})


@transaction.atomic
def complaint_name_person(
    *, actor: User, complaint: Complaint, subject: str, subject_user: User
) -> Complaint:
    """Say which member of staff or IV a complaint is about (a public complaint names nobody,
    only perhaps a typed name). From then on that person cannot see it (docs/decisions/0003);
    neither can the responsible manager of a stage if it is them, so a new one is needed."""

    _require_manager(actor, complaint)
    complaint = _lock(complaint)
    before = complaint.status
    _step_to(complaint, "name_person")
    _check_subject_user(complaint.scheme, subject, subject_user)
    complaint.subject = subject
    complaint.subject_user = subject_user
    complaint.save_by(actor, ["subject", "subject_user"])
    FLOW.record_event(
        complaint,
        action="name_person",
        actor=actor,
        before=before,
        note=f"About {subject_user.full_name}.",
    )
    return complaint


def _notify_complaints_managers(complaint: Complaint) -> None:
    """A complaint sent through the public form is news to nobody yet: tell the scheme's
    complaints managers when it arrives (never the person it is about)."""
    from django.urls import reverse

    people = staff_choices(complaint.scheme, [Role.COMPLAINTS_MANAGER])
    if complaint.subject_user_id is not None:
        people = people.exclude(pk=complaint.subject_user_id)
    notify(
        users=list(people),
        title=f"A new complaint has arrived through the online form ({complaint.reference})",
        url=reverse("complaints:detail", args=[complaint.public_id]),
        key=f"complaint-received:{complaint.public_id}",
        scheme=complaint.scheme,
    )


@transaction.atomic
def complaint_acknowledge(
    *, actor: User, complaint: Complaint, handler: User, on: date | None = None
) -> ComplaintLetter:
    """Acknowledge receipt, name the responsible manager for stage 1, and write the letter."""
    _require_manager(actor, complaint)
    complaint = _lock(complaint)
    before = complaint.status
    _step_to(complaint, "acknowledge")
    if complaint.acknowledged_on is not None:
        raise ValidationError("This complaint has already been acknowledged.")
    if complaint.subject_user_id is not None and handler.pk == complaint.subject_user_id:
        raise ValidationError(
            {"handler": "The complaint is about this person: choose another manager."}
        )
    on = on or _today()
    _check_day(on, not_before=complaint.received_on, what="date of acknowledgement")
    complaint.acknowledged_on = on
    complaint.save_by(actor, ["acknowledged_on"])
    stage = _current_stage(complaint)
    if stage.number == 1:
        stage.handler = handler
        stage.save_by(actor, ["handler"])
    FLOW.record_event(
        complaint, action="acknowledge", actor=actor, before=before, note=f"Handled by {handler}."
    )
    return letter_create(
        actor=actor, complaint=complaint, kind=LetterKind.ACKNOWLEDGEMENT, stage=stage
    )


@transaction.atomic
def complaint_extend(
    *, actor: User, complaint: Complaint, reason: str, working_days: int | None = None
) -> ComplaintStage:
    """Stage 1: once, to 20 working days. Stage 2: to any total up to 65 working days."""
    _require_manager(actor, complaint)
    complaint = _lock(complaint)
    before = complaint.status
    _step_to(complaint, "extend")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for the extension."})
    stage = _current_stage(complaint)
    if stage.number == 1:
        if stage.extended:
            raise ValidationError("Stage 1 can be extended only once.")
        total = STAGE_1_EXTENDED_DAYS
    else:
        if working_days is None:
            raise ValidationError({"working_days": "Give the new total of working days."})
        current = _total_days(stage)
        if not current < working_days <= STAGE_2_MAX_DAYS:
            raise ValidationError(
                {
                    "working_days": f"Stage 2 can be extended to between {current + 1} and "
                    f"{STAGE_2_MAX_DAYS} working days."
                }
            )
        total = working_days
    stage.due_on = add_working_days(stage.started_on, total)
    stage.extended = True
    stage.extension_reason = reason
    stage.save_by(actor, ["due_on", "extended", "extension_reason"])
    complaint.due_on = stage.due_on
    complaint.save_by(actor, ["due_on"])
    FLOW.record_event(
        complaint,
        action="extend",
        actor=actor,
        before=before,
        note=f"Stage {stage.number} extended to {total} working days: {reason}",
    )
    return stage


def _total_days(stage: ComplaintStage) -> int:
    return working_days_between(stage.started_on, stage.due_on)


@transaction.atomic
def complaint_respond(
    *,
    actor: User,
    complaint: Complaint,
    outcome: str,
    response: str,
    on: date | None = None,
) -> ComplaintLetter:
    """The stage's response to the complainant, with its outcome and the letter."""
    _require_manager(actor, complaint)
    complaint = _lock(complaint)
    before = complaint.status
    after = _step_to(complaint, "respond")
    stage = _current_stage(complaint)
    if stage.number == 3 and stage.panel_report_on is None:
        raise ValidationError("Record the review panel's report before the response.")
    if outcome not in Finding.values:
        raise ValidationError({"outcome": "Choose the outcome."})
    if not response.strip():
        raise ValidationError({"response": "Write the response."})
    on = on or _today()
    _check_day(on, not_before=stage.panel_report_on or stage.started_on, what="response date")
    stage.responded_on = on
    stage.outcome = outcome
    stage.response_summary = response.strip()
    stage.save_by(actor, ["responded_on", "outcome", "response_summary"])
    complaint.status = after
    complaint.due_on = None  # now the complainant decides whether to escalate
    complaint.save_by(actor, ["status", "due_on"])
    FLOW.record_event(
        complaint, action="respond", actor=actor, before=before, note=Finding(outcome).label
    )
    return letter_create(
        actor=actor, complaint=complaint, kind=letters.RESPONSE_KIND[stage.number], stage=stage
    )


@transaction.atomic
def complaint_escalate(
    *,
    actor: User,
    complaint: Complaint,
    on: date | None = None,
    reason: str = "",
    investigating_officer: str = "",
    independent_person: str = "",
) -> ComplaintStage:
    """The complainant asked for the next stage on `on`: its deadline runs from that day."""
    _require_manager(actor, complaint)
    complaint = _lock(complaint)
    before = complaint.status
    after = _step_to(complaint, "escalate")
    previous = _current_stage(complaint)
    on = on or _today()
    assert previous.responded_on is not None
    _check_day(on, not_before=previous.responded_on, what="date of the request")
    number = previous.number + 1
    if number == 2:
        errors = {}
        if not investigating_officer.strip():
            errors["investigating_officer"] = "Name the complaints officer who will investigate."
        if not independent_person.strip():
            errors["independent_person"] = "Name the independent person."
        if errors:
            raise ValidationError(errors)
        due = add_working_days(on, STAGE_2_DAYS)
    else:
        due = add_working_days(on, STAGE_3_PANEL_DAYS)
    stage = ComplaintStage(
        complaint=complaint,
        number=number,
        started_on=on,
        due_on=due,
        investigating_officer=investigating_officer.strip(),
        independent_person=independent_person.strip(),
        created_by=actor,
    )
    stage.save_by(actor)
    complaint.status = after
    complaint.due_on = due
    complaint.save_by(actor, ["status", "due_on"])
    FLOW.record_event(complaint, action="escalate", actor=actor, before=before, note=reason.strip())
    return stage


@transaction.atomic
def complaint_convene_panel(*, actor: User, complaint: Complaint, on: date) -> ComplaintStage:
    """Stage 3: the panel met on `on`; its report is due 5 working days later."""
    _require_manager(actor, complaint)
    complaint = _lock(complaint)
    before = complaint.status
    _step_to(complaint, "convene_panel")
    stage = _current_stage(complaint)
    if stage.panel_convened_on is not None:
        raise ValidationError("The panel's meeting has already been recorded.")
    _check_day(on, not_before=stage.started_on, what="panel date")
    stage.panel_convened_on = on
    stage.due_on = add_working_days(on, STAGE_3_REPORT_DAYS)
    stage.save_by(actor, ["panel_convened_on", "due_on"])
    complaint.due_on = stage.due_on
    complaint.save_by(actor, ["due_on"])
    FLOW.record_event(complaint, action="convene_panel", actor=actor, before=before)
    return stage


@transaction.atomic
def complaint_panel_report(*, actor: User, complaint: Complaint, on: date) -> ComplaintStage:
    """Stage 3: the panel reported on `on`; the response is due 15 working days later."""
    _require_manager(actor, complaint)
    complaint = _lock(complaint)
    before = complaint.status
    _step_to(complaint, "panel_report")
    stage = _current_stage(complaint)
    if stage.panel_convened_on is None:
        raise ValidationError("Record the panel's meeting before its report.")
    if stage.panel_report_on is not None:
        raise ValidationError("The panel's report has already been recorded.")
    _check_day(on, not_before=stage.panel_convened_on, what="report date")
    stage.panel_report_on = on
    stage.due_on = add_working_days(on, STAGE_3_RESPONSE_DAYS)
    stage.save_by(actor, ["panel_report_on", "due_on"])
    complaint.due_on = stage.due_on
    complaint.save_by(actor, ["due_on"])
    FLOW.record_event(complaint, action="panel_report", actor=actor, before=before)
    return stage


@transaction.atomic
def complaint_close(
    *,
    actor: User,
    complaint: Complaint,
    finding: str,
    lessons_learned: str,
    on: date | None = None,
) -> Complaint:
    """Close after a stage's response: the findings and lessons learned are kept for ever."""
    _require_manager(actor, complaint)
    complaint = _lock(complaint)
    before = complaint.status
    after = _step_to(complaint, "close")
    if finding not in Finding.values:
        raise ValidationError({"finding": "Choose the finding."})
    if not lessons_learned.strip():
        raise ValidationError(
            {"lessons_learned": "Write the lessons learned (or say that there are none)."}
        )
    stage = _current_stage(complaint)
    on = on or _today()
    assert stage.responded_on is not None
    _check_day(on, not_before=stage.responded_on, what="closing date")
    complaint.status = after
    complaint.closed_on = on
    complaint.finding = finding
    complaint.lessons_learned = lessons_learned.strip()
    complaint.due_on = None
    complaint.save_by(actor, ["status", "closed_on", "finding", "lessons_learned", "due_on"])
    FLOW.record_event(
        complaint, action="close", actor=actor, before=before, note=Finding(finding).label
    )
    return complaint


# --- Letters ---------------------------------------------------------------------------------


def letter_template_body(scheme: Scheme, kind: str) -> str:
    stored = LetterTemplate.objects.filter(scheme=scheme, kind=kind).first()
    return stored.body if stored else letters.DEFAULT_BODIES[LetterKind(kind)]


@transaction.atomic
def letter_template_save(*, actor: User, scheme: Scheme, kind: str, body: str) -> LetterTemplate:
    access.require_role(
        actor, scheme, SEE_ALL_ROLES, "Only the scheme's managers can change its letters."
    )
    problems = letters.template_problems(body)
    if problems:
        raise ValidationError({"body": problems})
    template = LetterTemplate.objects.select_for_update().filter(scheme=scheme, kind=kind).first()
    if template is None:
        template = LetterTemplate(scheme=scheme, kind=kind, body=body, created_by=actor)
        template.save_by(actor)
    else:
        template.body = body
        template.save_by(actor, ["body"])
    return template


def letter_templates_seed(*, scheme: Scheme, actor: User | None = None) -> None:
    """Store the default wording for every kind the scheme has not written yet."""
    for kind, body in letters.DEFAULT_BODIES.items():
        if not LetterTemplate.objects.filter(scheme=scheme, kind=kind).exists():
            template = LetterTemplate(scheme=scheme, kind=kind, body=body, created_by=actor)
            template.save_by(actor)


@transaction.atomic
def letter_create(
    *, actor: User, complaint: Complaint, kind: str, stage: ComplaintStage | None
) -> ComplaintLetter:
    """Render the scheme's wording for `kind` and store the PDF in private media.

    If the transaction rolls back after the file is written, the file stays behind without
    a row; it is never served, because the download view looks the letter up by its row.
    """
    today = _today()
    context = letters.letter_context(
        complaint=complaint, stage=stage, signed_by=actor.full_name, today=today
    )
    text = letters.render_body(letter_template_body(complaint.scheme, kind), context)
    letter = ComplaintLetter(complaint=complaint, kind=kind, body=text, created_by=actor)
    pdf = letters.render_pdf(complaint=complaint, kind=kind, text=text, today=today)
    letter.pdf.save(f"{letter.public_id}.pdf", ContentFile(pdf), save=False)
    letter.full_clean()
    letter.save()
    FLOW.record_event(
        complaint,
        action="letter",
        actor=actor,
        before=complaint.status,
        note=f"{LetterKind(kind).label} letter written.",
    )
    return letter

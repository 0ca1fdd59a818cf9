"""Every write about visits: keyword-only, an explicit actor, one transaction, history kept.

The allowed transitions of a visit are in TRANSITIONS; anything else is a plain ValidationError.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.models import Role, Scheme, User
from core.refusals import permits
from core.workflow import Workflow
from matches.models import ACTIVE_STATUSES, Match
from notifications.services import notify
from visits.constants import CHECK_IN_EARLIEST
from visits.models import (
    KINDS_WITH_PLATFORM,
    LONE_WORKING_KINDS,
    CalendarFeed,
    CancelledBy,
    Platform,
    ReportNote,
    Visit,
    VisitEvent,
    VisitReport,
    VisitStatus,
)
from volunteers.selectors import volunteer_can_visit, volunteer_for_user

# The platforms and minimum ages in the NIVN remote-contact guidance (seeds/000): every new
# scheme starts with these; the scheme edits them as terms change.
SEED_PLATFORMS = [
    ("FaceTime", 4),
    ("Netflix Party", 13),
    ("Skype", 13),
    ("WhatsApp", 16),
    ("Games console chat (check each game's age rating)", 0),
]

TRANSITIONS: dict[str, set[str]] = {
    VisitStatus.PLANNED: {VisitStatus.UNDER_WAY, VisitStatus.HELD, VisitStatus.CANCELLED},
    VisitStatus.UNDER_WAY: {VisitStatus.HELD},
    VisitStatus.HELD: set(),
    VisitStatus.CANCELLED: set(),
}


FLOW = Workflow(
    Visit, TRANSITIONS, "This visit is {status}, so it cannot be {to} now.", events=VisitEvent
)


# The steps a visit's page offers, and the move each makes.
STEPS: dict[str, str] = {
    "check_in": VisitStatus.UNDER_WAY,
    "check_out": VisitStatus.HELD,
    "record_held": VisitStatus.HELD,
    "cancel": VisitStatus.CANCELLED,
}


def visit_actions(user: User, visit: Visit) -> set[str]:
    """The writes the visit's page offers `user` now: the steps (STEPS) that the visit's state
    and kind of contact allow (_step_refusal), to the IV of the match or the scheme's staff
    (_require_iv_or_staff, as each step's service checks); and "write_report" to the IV who
    made the visit, once it has happened and until the report is sent (as report_submit
    checks)."""
    actions: set[str] = set()
    if permits(lambda: _require_iv_or_staff(user, visit)):
        actions |= {step for step in STEPS if _step_refusal(visit, step) is None}
    if permits(lambda: _require_report_author(user, visit)) and _report_refusal(visit) is None:
        actions.add("write_report")
    return actions


def report_actions(user: User, report: VisitReport) -> set[str]:
    """The writes the report's page offers `user` now: "acknowledge" to the scheme's staff
    until someone has (report_acknowledge), and what they may add to it (report_add_note):
    its author an "addendum", the scheme's staff a "reply"."""
    actions: set[str] = set()
    if permits(lambda: _require_note_by(user, report, ReportNote.Kind.ADDENDUM)):
        actions.add("addendum")
    if permits(lambda: _require_note_by(user, report, ReportNote.Kind.REPLY)):
        actions.add("reply")
    if report.acknowledged_at is None and permits(lambda: _require_acknowledger(user, report)):
        actions.add("acknowledge")
    return actions


def _require_iv_or_staff(actor: User, visit: Visit) -> None:
    """A visit is moved by the IV of its match, or by the scheme's staff."""
    if visit.match.volunteer_id != actor.pk:
        access.require_staff(
            actor, visit.scheme_id, "Only the IV of this match or the scheme's staff can do this."
        )


def _step_refusal(visit: Visit, step: str) -> ValidationError | None:
    """Why `step` cannot be taken on this visit now, or None. Its move must be in the table
    (TRANSITIONS), and fit the kind of contact: a face-to-face visit is checked in and out
    (lone working); remote contact has no check-in, so the IV records that it happened."""
    if step == "check_out" and visit.status != VisitStatus.UNDER_WAY:
        return ValidationError("Check in first: this visit is not under way.")
    if step == "check_in" and not visit.is_lone_working:
        return ValidationError("Remote contact has no check-in: record that it happened.")
    if step == "record_held" and visit.is_lone_working:
        return ValidationError("For a face-to-face visit, check in and check out.")
    if STEPS[step] not in FLOW.allowed(visit.status):
        return FLOW.refuse(visit, STEPS[step])
    return None


def _require_report_author(actor: User, visit: Visit) -> None:
    access.require(
        visit.match.volunteer_id == actor.pk, "Only the IV who made the visit can write its report."
    )


def _report_refusal(visit: Visit) -> ValidationError | None:
    """Why no report can be written for this visit now, or None."""
    if visit.status != VisitStatus.HELD:
        return ValidationError("A report can be written once the visit has happened.")
    if VisitReport.objects.filter(visit=visit).exists():
        return ValidationError(
            "A report for this visit has already been sent. You can add to it instead."
        )
    return None


def _require_acknowledger(actor: User, report: VisitReport) -> None:
    access.require_staff(
        actor, report.scheme_id, "Only the scheme's coordinators and managers acknowledge reports."
    )


def _require_note_by(actor: User, report: VisitReport, kind: str) -> None:
    """A report is never edited once sent: its author adds to it (an addendum), and the
    scheme's staff reply to its author."""
    if kind == ReportNote.Kind.ADDENDUM:
        access.require(report.author_id == actor.pk, "Only the IV who wrote it can add to it.")
    else:
        access.require_staff(actor, report.scheme_id, "You cannot add to this report.")
        access.require(report.author_id != actor.pk, "You wrote this report: add to it instead.")


def _staff_of(scheme_id: int) -> list[User]:
    return access.users_with_roles(scheme_id, [Role.COORDINATOR])


# --- Platforms ----------------------------------------------------------------------------


@transaction.atomic
def platforms_seed(*, scheme: Scheme) -> int:
    """Give a scheme the guidance's platforms; idempotent (existing names are left alone)."""
    made = 0
    for name, age in SEED_PLATFORMS:
        _, created = Platform.objects.get_or_create(
            scheme=scheme, name=name, defaults={"minimum_age": age}
        )
        made += int(created)
    return made


@transaction.atomic
def platform_save(
    *, actor: User, scheme: Scheme, platform: Platform | None = None, **fields: Any
) -> Platform:
    access.require_staff(
        actor, scheme, "Only the scheme's coordinators and managers can change platforms."
    )
    platform = platform or Platform(scheme=scheme)
    for name, value in fields.items():
        setattr(platform, name, value)
    platform._history_user = actor  # type: ignore[attr-defined]
    platform.full_clean()
    platform.save()
    return platform


# --- Planning -----------------------------------------------------------------------------


def platform_problem(*, platform: Platform | None, child: Any, on: Any) -> str | None:
    """Why this platform may not be used with this child, or None."""
    if platform is None:
        return None
    age = child.age_on(on)
    if age < platform.minimum_age:
        return (
            f"{platform.name} is for people aged {platform.minimum_age} or over, and "
            f"{child.first_name} is {age}. Choose another way to keep in touch."
        )
    return None


def volunteer_problems(user: User) -> list[str]:
    """Why this IV may not plan or make visits now (suspended, DBS lapsed...), as the
    volunteers app knows them. A person with no volunteer record is not blocked here: the
    match itself was made by a coordinator."""
    volunteer = volunteer_for_user(user)
    if volunteer is None:
        return []
    ok, reasons = volunteer_can_visit(volunteer)
    return [] if ok else list(reasons)


@transaction.atomic
def visit_plan(
    *,
    actor: User,
    match: Match,
    starts_at: datetime,
    expected_end: datetime,
    kind: str,
    place: str = "",
    activity: str = "",
    platform: Platform | None = None,
    named_person_name: str = "",
    named_person_phone: str = "",
) -> Visit:
    if match.status not in ACTIVE_STATUSES:
        raise ValidationError("Visits can only be planned for an active match.")
    if match.volunteer_id == actor.pk:
        problems = volunteer_problems(actor)
        if problems:
            raise ValidationError(
                [
                    "You cannot plan visits at the moment. Please talk to your coordinator.",
                    *problems,
                ]
            )
    else:
        access.require_staff(
            actor,
            match.scheme_id,
            "Only the IV of this match or the scheme's staff can plan visits.",
        )
    errors: dict[str, str] = {}
    if expected_end <= starts_at:
        errors["expected_end"] = "The expected end must be after the start."
    if kind in KINDS_WITH_PLATFORM:
        if platform is None:
            errors["platform"] = "Choose the platform you will use."
        elif platform.scheme_id != match.scheme_id or not platform.is_active:
            errors["platform"] = "Choose one of the scheme's platforms."
        else:
            problem = platform_problem(
                platform=platform, child=match.child, on=timezone.localdate(starts_at)
            )
            if problem:
                errors["platform"] = problem
    else:
        platform = None
    if kind in LONE_WORKING_KINDS:
        if not named_person_name.strip():
            errors["named_person_name"] = "Give the name of the person who will know where you are."
        if not named_person_phone.strip():
            errors["named_person_phone"] = "Give your named person's phone number."
        if not place.strip():
            errors["place"] = "Say where you will meet."
    if errors:
        raise ValidationError(errors)
    visit = Visit(
        scheme_id=match.scheme_id,
        match=match,
        starts_at=starts_at,
        expected_end=expected_end,
        kind=kind,
        place=place.strip(),
        activity=activity.strip(),
        platform=platform,
        named_person_name=named_person_name.strip(),
        named_person_phone=named_person_phone.strip(),
        created_by=actor,
    )
    visit.save_by(actor)
    FLOW.record_event(visit, actor=actor)
    return visit


# --- Lone working -------------------------------------------------------------------------


@transaction.atomic
def visit_check_in(*, actor: User, visit: Visit, now: datetime | None = None) -> Visit:
    now = now or timezone.now()
    visit = Visit.objects.select_for_update(of=("self",)).select_related("match").get(pk=visit.pk)
    _require_iv_or_staff(actor, visit)
    if visit.status == VisitStatus.UNDER_WAY:
        return visit  # a second tap (or a retry on a weak signal) changes nothing
    if now < visit.starts_at - CHECK_IN_EARLIEST:
        raise ValidationError("It is too early to check in: this visit starts later.")
    if refusal := _step_refusal(visit, "check_in"):
        raise refusal
    visit.checked_in_at = now
    FLOW.move(visit, VisitStatus.UNDER_WAY, actor=actor, fields=["checked_in_at"])
    return visit


@transaction.atomic
def visit_check_out(*, actor: User, visit: Visit, now: datetime | None = None) -> Visit:
    now = now or timezone.now()
    visit = Visit.objects.select_for_update(of=("self",)).select_related("match").get(pk=visit.pk)
    _require_iv_or_staff(actor, visit)
    if visit.status == VisitStatus.HELD and visit.checked_out_at:
        return visit
    if refusal := _step_refusal(visit, "check_out"):
        raise refusal
    visit.checked_out_at = now
    FLOW.move(visit, VisitStatus.HELD, actor=actor, fields=["checked_out_at"])
    return visit


@transaction.atomic
def visit_record_held(*, actor: User, visit: Visit) -> Visit:
    """Remote contact (a call, messages, a letter) has no check-in: the IV says it happened."""
    visit = Visit.objects.select_for_update(of=("self",)).select_related("match").get(pk=visit.pk)
    _require_iv_or_staff(actor, visit)
    if refusal := _step_refusal(visit, "record_held"):
        raise refusal
    if visit.starts_at > timezone.now():
        raise ValidationError("This contact has not started yet.")
    FLOW.move(visit, VisitStatus.HELD, actor=actor)
    return visit


def visit_overdue_alert_mark(*, visit: Visit, now: datetime) -> bool:
    """Claim the alert for a missing check-out; True only for the one caller that claims it
    (the monitoring job may run twice at once)."""
    return bool(
        Visit.objects.filter(pk=visit.pk, overdue_alerted_at__isnull=True).update(
            overdue_alerted_at=now
        )
    )


# --- Cancellations ------------------------------------------------------------------------


@transaction.atomic
def visit_cancel(
    *,
    actor: User,
    visit: Visit,
    cancelled_by: str,
    reason: str,
    carer_sanction: bool | None = None,
) -> Visit:
    visit = Visit.objects.select_for_update(of=("self",)).select_related("match").get(pk=visit.pk)
    _require_iv_or_staff(actor, visit)
    errors: dict[str, str] = {}
    if cancelled_by not in CancelledBy.values:
        errors["cancelled_by"] = "Choose who cancelled the visit."
    if not reason.strip():
        errors["reason"] = "Say why the visit was cancelled."
    if cancelled_by == CancelledBy.CARER:
        if carer_sanction is None:
            errors["carer_sanction"] = (
                "Say whether the carer cancelled it because of the child's behaviour."
            )
    else:
        carer_sanction = None
    if errors:
        raise ValidationError(errors)
    visit.cancelled_at = timezone.now()
    visit.cancelled_by = cancelled_by
    visit.cancel_reason = reason.strip()
    visit.carer_sanction = carer_sanction
    FLOW.move(
        visit,
        VisitStatus.CANCELLED,
        actor=actor,
        note=reason.strip(),
        fields=["cancelled_at", "cancelled_by", "cancel_reason", "carer_sanction"],
    )
    if carer_sanction:
        # Carers must not cancel visits as a sanction: the coordinator hears about it.
        url = reverse("visits:detail", args=[visit.public_id])
        notify(
            users=_staff_of(visit.scheme_id),
            title="A carer cancelled a visit as a sanction for behaviour",
            url=url,
            key=f"visits:sanction:{visit.public_id}",
            scheme=visit.scheme,
            urgent=True,
        )
    return visit


# --- Reports ------------------------------------------------------------------------------


def _parse_client_id(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValidationError("The report has no valid id. Reload the page and try again.") from exc


def report_submit(
    *,
    actor: User,
    visit: Visit,
    client_id: Any,
    what_we_did: str,
    how_child_seemed: str,
    child_wants: str = "",
    follow_up: str = "",
    expenses_to_claim: bool = False,
) -> tuple[VisitReport, bool]:
    """Send the report. Returns (report, created). The same client id again returns the
    report already sent, so a phone that retries after losing signal (the page and its
    service worker may both try at once) never makes two."""
    client_uuid = _parse_client_id(client_id)
    try:
        with transaction.atomic():
            # The lock on the visit queues concurrent copies of the same submission: the
            # second sees the first's report below and returns it.
            locked = Visit.objects.select_for_update().select_related("match").get(pk=visit.pk)
            existing = VisitReport.objects.filter(client_id=client_uuid).first()
            if existing is not None:
                if existing.visit_id != visit.pk or existing.author_id != actor.pk:
                    raise ValidationError("This report id belongs to another report.")
                return existing, False
            report = _report_create(
                actor=actor,
                visit=locked,
                client_id=client_uuid,
                what_we_did=what_we_did,
                how_child_seemed=how_child_seemed,
                child_wants=child_wants,
                follow_up=follow_up,
                expenses_to_claim=expenses_to_claim,
            )
    except IntegrityError:
        # The unique client id is the last line of defence if the lock was not enough.
        existing = VisitReport.objects.filter(client_id=client_uuid, visit=visit).first()
        if existing is None:
            raise ValidationError("A report for this visit has already been sent.") from None
        return existing, False
    return report, True


def _report_create(*, actor: User, visit: Visit, client_id: uuid.UUID, **text: Any) -> VisitReport:
    _require_report_author(actor, visit)
    if refusal := _report_refusal(visit):
        raise refusal
    errors = {}
    if not str(text.get("what_we_did", "")).strip():
        errors["what_we_did"] = "Say what you did together."
    if not str(text.get("how_child_seemed", "")).strip():
        errors["how_child_seemed"] = "Say how the child seemed."
    if errors:
        raise ValidationError(errors)
    report = VisitReport(
        scheme_id=visit.scheme_id,
        visit=visit,
        author=actor,
        client_id=client_id,
        submitted_at=timezone.now(),
        created_by=actor,
        **{k: (v.strip() if isinstance(v, str) else v) for k, v in text.items()},
    )
    report.save_by(actor)
    url = reverse("visits:report_detail", args=[report.public_id])
    notify(
        users=_staff_of(report.scheme_id),
        title="A new visit report is ready to read",
        url=url,
        key=f"visits:report:{report.public_id}",
        scheme=visit.scheme,
    )
    return report


@transaction.atomic
def report_acknowledge(*, actor: User, report: VisitReport) -> VisitReport:
    _require_acknowledger(actor, report)
    report = VisitReport.objects.select_for_update().get(pk=report.pk)
    if report.acknowledged_at is None:
        report.acknowledged_at = timezone.now()
        report.acknowledged_by = actor
        report.save_by(actor, ["acknowledged_at", "acknowledged_by"])
    return report


@transaction.atomic
def report_add_note(*, actor: User, report: VisitReport, text: str) -> ReportNote:
    """The IV adds to their report (it is never edited); staff reply to the IV."""
    if not text.strip():
        raise ValidationError({"text": "Write something to add."})
    kind = ReportNote.Kind.ADDENDUM if report.author_id == actor.pk else ReportNote.Kind.REPLY
    _require_note_by(actor, report, kind)
    note = ReportNote(report=report, kind=kind, author=actor, text=text.strip(), created_by=actor)
    note.save_by(actor)
    url = reverse("visits:report_detail", args=[report.public_id])
    if kind == ReportNote.Kind.REPLY:
        users, title = [report.author], "Your coordinator replied to your visit report"
    else:
        users, title = _staff_of(report.scheme_id), "An IV added to a visit report"
    notify(users=users, title=title, url=url, key=f"visits:note:{note.public_id}", scheme=None)
    return note


# --- Calendar -----------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, actor: User) -> CalendarFeed:
    """A new private address; the old one stops working at once."""
    calendar_feed_revoke(actor=actor)
    feed = CalendarFeed(user=actor, token=secrets.token_urlsafe(32))
    feed.full_clean()
    feed.save()
    return feed


@transaction.atomic
def calendar_feed_revoke(*, actor: User) -> int:
    return CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )

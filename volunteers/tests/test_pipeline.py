"""The pipeline's rules: the transitions table, the checks approval needs, two sign-offs."""

from __future__ import annotations

import subprocess
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Membership, Role
from tests.personas import World
from volunteers import selectors, services
from volunteers.models import Reference, Stage, StageChange, Volunteer, VolunteerStatus
from volunteers.tests.helpers import make_volunteer, ready_for_signoff, service_manager

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


def apply(world: World, **overrides: Any) -> Volunteer:
    data: dict[str, Any] = {
        "scheme": world.north,
        "first_name": " Alex ",
        "last_name": "Applicant",
        "email": "Alex@Example.org",
        "phone": "07700 900123",
        "date_of_birth": date(1990, 4, 1),
        "area": "ne3",
        "motivation": "I had an IV myself.",
        "consent_to_checks": True,
    }
    data.update(overrides)
    return services.volunteer_apply(**data)


def test_application_creates_a_volunteer_at_application_stage(world: World) -> None:
    volunteer = apply(world)
    assert volunteer.stage == Stage.APPLICATION
    assert volunteer.first_name == "Alex"
    assert volunteer.email == "alex@example.org"
    assert volunteer.area == "NE3"
    assert volunteer.reference.startswith("IV-")
    assert volunteer.consent_given_at is not None
    change = volunteer.stage_changes.get()
    assert (change.from_status, change.to_status, change.actor) == ("", Stage.APPLICATION, None)


def test_application_needs_consent_to_checks(world: World) -> None:
    with pytest.raises(ValidationError, match="consent to checks"):
        apply(world, consent_to_checks=False)


def test_illegal_transitions_are_refused_with_a_clear_message(world: World) -> None:
    volunteer = apply(world)
    with pytest.raises(ValidationError, match="application stage cannot move to training"):
        services.volunteer_move(actor=world.coordinator, volunteer=volunteer, to_stage="training")
    with pytest.raises(ValidationError, match="sign-off"):
        services.volunteer_move(actor=world.coordinator, volunteer=volunteer, to_stage="approved")
    with pytest.raises(ValidationError, match="reason"):
        services.volunteer_move(
            actor=world.coordinator, volunteer=volunteer, to_stage="not_proceeding"
        )
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.APPLICATION


def test_only_scheme_staff_move_volunteers(world: World) -> None:
    volunteer = apply(world)
    for person in (world.other_coordinator, world.iv, world.social_worker):
        with pytest.raises(PermissionDenied):
            services.volunteer_move(actor=person, volunteer=volunteer, to_stage="interview")


def test_checks_need_an_interview_outcome_to_proceed(world: World) -> None:
    volunteer = apply(world)
    services.volunteer_move(actor=world.coordinator, volunteer=volunteer, to_stage="interview")
    with pytest.raises(ValidationError, match="outcome to proceed"):
        services.volunteer_move(actor=world.coordinator, volunteer=volunteer, to_stage="checks")
    services.interview_record(
        actor=world.coordinator,
        volunteer=volunteer,
        interview_on=date(2026, 3, 1),
        interviewer=world.coordinator,
        interview_outcome="proceed",
        interview_notes="Warm, reliable.",
    )
    volunteer = services.volunteer_move(
        actor=world.coordinator, volunteer=volunteer, to_stage="checks"
    )
    assert volunteer.stage == Stage.CHECKS


def test_interviewer_must_be_staff_of_the_scheme(world: World) -> None:
    volunteer = apply(world)
    with pytest.raises(ValidationError, match="staff of this scheme"):
        services.interview_record(
            actor=world.coordinator, volunteer=volunteer, interviewer=world.other_coordinator
        )


def test_every_move_is_recorded_and_days_in_stage_come_from_it(world: World) -> None:
    with time_machine.travel("2026-03-01 10:00", tick=False):
        volunteer = apply(world)
        services.volunteer_move(actor=world.coordinator, volunteer=volunteer, to_stage="interview")
    with time_machine.travel("2026-03-11 10:00", tick=False):
        column = {c.stage: c for c in selectors.pipeline_board(world.coordinator)}[Stage.INTERVIEW]
        seen = [(v.full_name, getattr(v, "days_in_stage", None)) for v in column.volunteers]
        assert seen == [("Alex Applicant", 10)]
    moves = list(StageChange.objects.filter(volunteer=volunteer).order_by("at"))
    assert [(m.to_status, m.actor) for m in moves] == [
        ("application", None),
        ("interview", world.coordinator),
    ]


def test_not_proceeding_at_any_step_keeps_the_reason(world: World) -> None:
    volunteer = apply(world)
    volunteer = services.volunteer_move(
        actor=world.coordinator,
        volunteer=volunteer,
        to_stage="not_proceeding",
        reason="Withdrew: moving away.",
    )
    assert volunteer.not_proceeding_reason == "Withdrew: moving away."
    with pytest.raises(ValidationError):
        services.volunteer_move(actor=world.coordinator, volunteer=volunteer, to_stage="interview")


def test_sign_off_cannot_start_while_a_check_is_missing_and_says_which(world: World) -> None:
    volunteer = ready_for_signoff(world.north)
    volunteer.stage = Stage.TRAINING
    volunteer.identity_checked_on = None
    volunteer.save()
    with pytest.raises(ValidationError, match="Identity check"):
        services.volunteer_move(actor=world.coordinator, volunteer=volunteer, to_stage="sign_off")


def test_approval_is_refused_while_a_check_is_missing_naming_it(world: World) -> None:
    volunteer = ready_for_signoff(world.north)
    Reference.objects.filter(volunteer=volunteer).first().delete()  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as exc:
        services.signoff_team(actor=world.manager, volunteer=volunteer)
    assert "Two satisfactory references (1 of 2 received)" in str(exc.value)
    volunteer.refresh_from_db()
    assert volunteer.team_signed_by is None


def test_missing_checks_lists_everything_for_a_new_applicant(world: World) -> None:
    from volunteers import rules

    missing = rules.missing_checks(apply(world))
    for item in (
        "Interview with the outcome to proceed",
        "Enhanced DBS certificate number and issue date",
        "Children's barred list check",
        "Statutory checks",
        "Two satisfactory references (0 of 2 received)",
        "Declaration of no connection to the local authority",
        "Identity check",
        "Training: Safeguarding",
        "Training: Online safety",
        "Code of conduct accepted",
    ):
        assert item in missing
    assert "Consent to checks" not in missing


def test_two_step_sign_off(world: World, django_capture_on_commit_callbacks) -> None:
    volunteer = ready_for_signoff(world.north, email="new.iv@example.org")
    service = service_manager(world.north)
    # A coordinator and a service manager cannot give the first sign-off.
    for person in (world.coordinator, service):
        with pytest.raises(PermissionDenied, match="team manager"):
            services.signoff_team(actor=person, volunteer=volunteer)
    volunteer = services.signoff_team(actor=world.manager, volunteer=volunteer, comment="Good.")
    assert volunteer.team_signed_on == timezone.localdate()
    # The same person is refused as the second signer.
    with pytest.raises(PermissionDenied, match="someone else"):
        services.signoff_service(actor=world.manager, volunteer=volunteer, base_url="http://t")
    with pytest.raises(PermissionDenied, match="service manager"):
        services.signoff_service(actor=world.coordinator, volunteer=volunteer, base_url="http://t")
    with django_capture_on_commit_callbacks(execute=True):
        volunteer = services.signoff_service(
            actor=service, volunteer=volunteer, comment="Approved.", base_url="http://t"
        )
    assert volunteer.stage == Stage.APPROVED
    assert volunteer.status == VolunteerStatus.AVAILABLE
    assert volunteer.approved_on == timezone.localdate()
    # Invited as an IV of the scheme, with a link to choose a password.
    assert volunteer.user is not None and volunteer.user.email == "new.iv@example.org"
    assert Membership.objects.filter(
        user=volunteer.user, scheme=world.north, role=Role.INDEPENDENT_VISITOR, is_active=True
    ).exists()
    assert len(mail.outbox) == 1 and "http://t/accounts/" in mail.outbox[0].body
    assert selectors.volunteer_for_user(volunteer.user) == volunteer
    # The letter and certificate are stored.
    for field in (volunteer.approval_letter, volunteer.approval_certificate):
        with field.open("rb") as f:
            assert f.read(5) == b"%PDF-"
    history = volunteer.history.order_by("history_date").last()
    assert history.history_user == service


def test_pdfs_say_the_right_things(world: World, tmp_path) -> None:
    volunteer = ready_for_signoff(world.north, first_name="Pat", last_name="Example")
    service = service_manager(world.north)
    services.signoff_team(actor=world.manager, volunteer=volunteer)
    volunteer = services.signoff_service(actor=service, volunteer=volunteer, base_url="http://t")
    texts = {}
    for name, field in (
        ("letter", volunteer.approval_letter),
        ("certificate", volunteer.approval_certificate),
    ):
        texts[name] = subprocess.run(
            ["pdftotext", "-layout", field.path, "-"], capture_output=True, text=True, check=True
        ).stdout
    assert "Dear Pat Example" in texts["letter"]
    assert "approved as an Independent Visitor" in texts["letter"]
    assert "Mona Manager" in texts["letter"] and "Sunita Service" in texts["letter"]
    assert "Certificate of Approval" in texts["certificate"]
    assert "Pat Example" in texts["certificate"]
    assert volunteer.reference in texts["certificate"]


def test_someone_holding_a_team_level_elsewhere_still_cannot_sign_twice(world: World) -> None:
    volunteer = ready_for_signoff(world.north)
    # The team manager of north is also made service manager of south: no help in north.
    Membership.objects.create(
        user=world.manager, scheme=world.south, role=Role.MANAGER, manager_level="service"
    )
    services.signoff_team(actor=world.manager, volunteer=volunteer)
    with pytest.raises(PermissionDenied):
        services.signoff_service(actor=world.manager, volunteer=volunteer, base_url="http://t")


def test_either_signer_can_send_it_back_with_a_reason(world: World) -> None:
    volunteer = ready_for_signoff(world.north)
    services.signoff_team(actor=world.manager, volunteer=volunteer)
    service = service_manager(world.north)
    with pytest.raises(ValidationError, match="reason"):
        services.signoff_send_back(actor=service, volunteer=volunteer, reason=" ")
    with pytest.raises(PermissionDenied):
        services.signoff_send_back(actor=world.coordinator, volunteer=volunteer, reason="x")
    volunteer = services.signoff_send_back(
        actor=service, volunteer=volunteer, reason="Second reference is from a relative."
    )
    assert volunteer.stage == Stage.CHECKS
    assert volunteer.team_signed_by is None
    last = volunteer.stage_changes.order_by("-at", "-pk").first()
    assert last is not None and last.note == "Second reference is from a relative."


def test_approved_volunteer_for_existing_iv_is_linked_not_reinvited(world: World) -> None:
    volunteer = ready_for_signoff(world.north, email=world.other_iv.email)
    service = service_manager(world.north)
    services.signoff_team(actor=world.manager, volunteer=volunteer)
    volunteer = services.signoff_service(actor=service, volunteer=volunteer, base_url="http://t")
    assert volunteer.user == world.other_iv


def test_the_database_refuses_one_person_signing_twice(world: World) -> None:
    from django.db import IntegrityError, transaction

    volunteer = make_volunteer(world.north, Stage.SIGN_OFF)
    volunteer.team_signed_by = world.manager
    volunteer.service_signed_by = world.manager
    with pytest.raises(IntegrityError), transaction.atomic():
        volunteer.save()


def test_dbs_renewal_follows_the_scheme_setting(world: World) -> None:
    from volunteers.tests.helpers import approved

    volunteer = approved(world.north)
    volunteer.dbs_issued_on = date(2024, 2, 29)
    volunteer.save()
    due = {d.what: d.on for d in selectors.what_is_due(volunteer)}
    assert due["DBS renewal"] == date(2027, 2, 28)
    services.scheme_settings_update(
        actor=world.manager,
        scheme=world.north,
        dbs_renewal_years=2,
        training_refresh_years=3,
        supervision_interval_weeks=12,
    )
    due = {d.what: d.on for d in selectors.what_is_due(volunteer)}
    assert due["DBS renewal"] == date(2026, 2, 28)
    with pytest.raises(PermissionDenied):
        services.scheme_settings_update(
            actor=world.coordinator,
            scheme=world.north,
            dbs_renewal_years=5,
            training_refresh_years=3,
            supervision_interval_weeks=12,
        )


def test_days_in_stage_is_zero_on_the_day(world: World) -> None:
    make_volunteer(world.north, Stage.CHECKS)
    column = {c.stage: c for c in selectors.pipeline_board(world.coordinator)}[Stage.CHECKS]
    assert column.count == 1 and column.volunteers[0].days_in_stage == 0  # type: ignore[attr-defined]

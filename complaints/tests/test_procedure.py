"""The procedure: allowed and refused steps, dates kept, references, letters, never deleted."""

from __future__ import annotations

import subprocess
from datetime import date
from typing import Any

import pytest
import time_machine
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from complaints import letters, services
from complaints.models import Complaint, ComplaintLetter, LetterKind, Status
from complaints.tests.factories import make_complaint, respond
from tests.clock import days_ago
from tests.personas import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]

ESCALATE_2: dict[str, Any] = {
    "investigating_officer": "Alex Moore",
    "independent_person": "Pat Quinn",
}


@time_machine.travel(date(2026, 6, 30), tick=False)
def test_all_three_stages_keep_every_date_and_outcome(world: World) -> None:
    c = make_complaint(world, received_on=date(2026, 3, 2))
    assert (c.status, c.due_on) == (Status.STAGE_1, date(2026, 3, 16))
    respond(world, c, date(2026, 3, 13), outcome="not_upheld")
    c.refresh_from_db()
    assert c.status == Status.STAGE_1_RESPONDED and c.due_on is None
    services.complaint_escalate(
        actor=world.manager, complaint=c, on=date(2026, 3, 16), **ESCALATE_2
    )
    respond(world, c, date(2026, 4, 22), outcome="partly_upheld")  # the deadline (Easter)
    services.complaint_escalate(actor=world.manager, complaint=c, on=date(2026, 4, 27))
    c.refresh_from_db()
    # Stage 3: the panel meets within 30 working days of the request (May bank holidays).
    assert c.due_on == date(2026, 6, 10)
    with pytest.raises(ValidationError, match="panel's report before the response"):
        respond(world, c, date(2026, 6, 1))
    services.complaint_convene_panel(actor=world.manager, complaint=c, on=date(2026, 6, 1))
    c.refresh_from_db()
    assert c.due_on == date(2026, 6, 8)  # report within 5 working days
    services.complaint_panel_report(actor=world.manager, complaint=c, on=date(2026, 6, 5))
    c.refresh_from_db()
    assert c.due_on == date(2026, 6, 26)  # response within 15 working days
    respond(world, c, date(2026, 6, 29), outcome="upheld")  # late
    services.complaint_close(
        actor=world.complaints_manager,
        complaint=c,
        finding="upheld",
        lessons_learned="Tell carers in writing.",
        on=date(2026, 6, 30),
    )
    c.refresh_from_db()
    assert c.status == Status.CLOSED and c.finding == "upheld" and c.closed_on == date(2026, 6, 30)
    stages = list(c.stages.order_by("number"))
    assert [(s.number, s.started_on, s.responded_on, s.outcome, s.on_time) for s in stages] == [
        (1, date(2026, 3, 2), date(2026, 3, 13), "not_upheld", True),
        (2, date(2026, 3, 16), date(2026, 4, 22), "partly_upheld", True),
        (3, date(2026, 4, 27), date(2026, 6, 29), "upheld", False),
    ]
    assert stages[1].investigating_officer == "Alex Moore"
    actions = list(c.events.values_list("action", "actor__email"))
    assert ("close", "complaints@org.test") in actions
    assert [a for a, _ in actions if a != "letter"] == [
        "receive",
        "respond",
        "escalate",
        "respond",
        "escalate",
        "convene_panel",
        "panel_report",
        "respond",
        "close",
    ]
    assert c.history.count() >= 8
    # Three response letters were written.
    assert c.letters.count() == 3


@time_machine.travel(date(2026, 3, 10), tick=False)
def test_illegal_steps_are_refused_with_a_plain_message(world: World) -> None:
    c = make_complaint(world)
    with pytest.raises(ValidationError, match="at “Stage 1: local resolution” cannot be closed"):
        services.complaint_close(
            actor=world.manager, complaint=c, finding="upheld", lessons_learned="x"
        )
    with pytest.raises(ValidationError, match="cannot be escalated"):
        services.complaint_escalate(actor=world.manager, complaint=c, **ESCALATE_2)
    services.complaint_extend(actor=world.manager, complaint=c, reason="Leave.")
    with pytest.raises(ValidationError, match="only once"):
        services.complaint_extend(actor=world.manager, complaint=c, reason="Again.")
    with pytest.raises(ValidationError, match="reason"):
        services.complaint_extend(actor=world.manager, complaint=make_complaint(world), reason=" ")
    respond(world, c, date(2026, 3, 10))
    with pytest.raises(ValidationError, match="cannot be extended"):
        services.complaint_extend(actor=world.manager, complaint=c, reason="Late.")
    with pytest.raises(ValidationError) as exc:
        services.complaint_escalate(actor=world.manager, complaint=c)
    assert "independent_person" in exc.value.message_dict
    with pytest.raises(ValidationError, match="future"):
        services.complaint_escalate(
            actor=world.manager, complaint=c, on=date(2026, 3, 11), **ESCALATE_2
        )
    services.complaint_escalate(actor=world.manager, complaint=c, **ESCALATE_2)
    with pytest.raises(ValidationError, match="between 26 and 65"):
        services.complaint_extend(actor=world.manager, complaint=c, reason="x", working_days=70)
    c.refresh_from_db()
    assert c.status == Status.STAGE_2


def test_references_count_up_within_the_year(world: World) -> None:
    with time_machine.travel(date(2026, 2, 1), tick=False):
        first = make_complaint(world, received_on=date(2026, 1, 30))
        second = make_complaint(world, scheme=world.south, received_on=date(2026, 1, 30))
    with time_machine.travel(date(2027, 1, 4), tick=False):
        third = make_complaint(world, received_on=date(2027, 1, 4))
    assert [first.reference, second.reference, third.reference] == [
        "C-2026-0001",
        "C-2026-0002",
        "C-2027-0001",
    ]


def test_a_public_complaint_needs_a_way_to_reply(world: World) -> None:
    with pytest.raises(ValidationError, match="one way to reply"):
        services.complaint_receive(
            actor=None,
            scheme=world.north,
            channel="public_form",
            received_on=days_ago(30),
            complainant_name="A",
            complainant_relationship="carer",
            subject="service",
            details="x",
        )


def test_never_deleted_in_the_admin(world: World) -> None:
    model_admin = admin.site._registry[Complaint]
    request = RequestFactory().get("/")
    request.user = world.manager
    assert not model_admin.has_delete_permission(request, None)
    assert "delete_selected" not in model_admin.get_actions(request)


@time_machine.travel(date(2026, 3, 3), tick=False)
def test_acknowledgement_letter_uses_the_scheme_wording(world: World, tmp_path) -> None:
    services.letter_template_save(
        actor=world.manager,
        scheme=world.north,
        kind=LetterKind.ACKNOWLEDGEMENT,
        body="Dear {{ complainant_name }}, reference {{ reference }}, reply by {{ deadline }}.\n\n"
        "{{ signed_by|upper }}",
    )
    c = make_complaint(world, received_on=date(2026, 3, 2))
    letter = services.complaint_acknowledge(actor=world.manager, complaint=c, handler=world.manager)
    assert letter.body.startswith(
        "Dear Carol Carer, reference C-2026-0001, reply by 16 March 2026."
    )
    assert "MONA MANAGER" in letter.body
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(letter.pdf.read())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True)
    assert "reply by 16 March 2026" in text.stdout
    assert "North IV Scheme" in text.stdout and "C-2026-0001" in text.stdout
    c.refresh_from_db()
    assert c.acknowledged_on == date(2026, 3, 3)
    assert c.stages.get().handler == world.manager
    with pytest.raises(ValidationError, match="already been acknowledged"):
        services.complaint_acknowledge(actor=world.manager, complaint=c, handler=world.manager)
    assert ComplaintLetter.objects.filter(complaint=c).count() == 1


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{{ complainant_name", "mistake"),
        ("{% include 'base.html' %}", "mistake"),
        ("{% debug %}", "mistake"),
        ("{{ password }}", "does not exist"),
        ("{{ reference.__class__ }}", "mistake"),
    ],
)
def test_letter_wording_is_limited_to_placeholders(world: World, body: str, problem: str) -> None:
    assert problem in " ".join(letters.template_problems(body))
    with pytest.raises(ValidationError):
        services.letter_template_save(
            actor=world.manager, scheme=world.north, kind="acknowledgement", body=body
        )


def test_default_wording_is_valid() -> None:
    for body in letters.DEFAULT_BODIES.values():
        assert letters.template_problems(body) == []


@time_machine.travel(date(2026, 3, 3), tick=False)
def test_letter_escapes_a_name_once(world: World, tmp_path) -> None:
    """Issue 19.11: "O'Brien & Sons" printed as O&#x27;Brien &amp; Sons (escaped twice)."""
    c = make_complaint(world, received_on=date(2026, 3, 2), name="Siobhán O'Brien & Sons")
    letter = services.complaint_acknowledge(actor=world.manager, complaint=c, handler=world.manager)
    assert letter.body.startswith("Dear Siobhán O'Brien & Sons,")
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(letter.pdf.read())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True)
    assert "Dear Siobhán O'Brien & Sons," in text.stdout
    assert "&#x27;" not in text.stdout and "&amp;" not in text.stdout

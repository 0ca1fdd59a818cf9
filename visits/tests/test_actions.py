"""What a visit's page and a report's page offer is what their services allow (ADR 0011, "What
a page offers"): each write is offered to a person exactly when its service would make it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.personas import World
from tests.refused import assert_offered_exactly_when_made
from visits import services
from visits.models import ReportNote, Visit, VisitReport, VisitStatus
from visits.tests.helpers import make_report, make_visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor")]

# Everyone who can see a visit of Amy's match (the door): north's staff and Ivy, her IV.
SEE_IT = ["coordinator", "manager", "iv"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _written(call: Callable[[], object], count: Callable[[], int]) -> Callable[[], None]:
    """`call`, refused (as a wrong state) when it wrote nothing: a step that is already done
    returns quietly (a second tap), which is not the step being offered."""

    def run() -> None:
        before = count()
        call()
        if count() == before:
            raise ValidationError("Nothing was written: the step had already been taken.")

    return run


VISITS: dict[str, Callable[[World], Visit]] = {
    "planned, face to face, starting now": lambda w: make_visit(w, starts_at=timezone.now()),
    "planned phone call, started": lambda w: make_visit(
        w, kind="phone", starts_at=timezone.now() - timedelta(hours=1)
    ),
    "under way": lambda w: make_visit(
        w, status=VisitStatus.UNDER_WAY, starts_at=timezone.now() - timedelta(hours=1)
    ),
    "held": lambda w: make_visit(
        w, status=VisitStatus.HELD, starts_at=timezone.now() - timedelta(days=1)
    ),
    "held, reported": lambda w: make_report(w).visit,
    "cancelled": lambda w: make_visit(
        w, status=VisitStatus.CANCELLED, starts_at=timezone.now() - timedelta(hours=1)
    ),
}


def _visit_writes(user: Any, visit: Visit) -> dict[str, Callable[[], None]]:
    """Each write's service, with valid inputs; refused when it wrote nothing."""
    events = visit.events.count
    calls: dict[str, Callable[[], None]] = {
        "check_in": _written(lambda: services.visit_check_in(actor=user, visit=visit), events),
        "check_out": _written(lambda: services.visit_check_out(actor=user, visit=visit), events),
        "record_held": _written(
            lambda: services.visit_record_held(actor=user, visit=visit), events
        ),
        "cancel": _written(
            lambda: services.visit_cancel(
                actor=user, visit=visit, cancelled_by="child", reason="Unwell"
            ),
            events,
        ),
        "write_report": _written(
            lambda: services.report_submit(
                actor=user,
                visit=visit,
                client_id=uuid.uuid4(),
                what_we_did="Bowling",
                how_child_seemed="Happy",
            ),
            VisitReport.objects.filter(visit=visit).count,
        ),
    }
    assert set(calls) == {*services.STEPS, "write_report"}
    return calls


@pytest.mark.parametrize("persona", SEE_IT)
@pytest.mark.parametrize("state", list(VISITS))
def test_each_visit_step_is_offered_exactly_when_its_service_takes_it(
    world: World, persona: str, state: str
) -> None:
    user = getattr(world, persona)
    visit = VISITS[state](world)
    offered = services.visit_actions(user, visit)
    assert_offered_exactly_when_made(offered, _visit_writes(user, visit), f"{persona}, {state}")


def _note_as(user: Any, report: VisitReport, kind: str) -> None:
    note = services.report_add_note(actor=user, report=report, text="One more thing.")
    if note.kind != kind:
        raise ValidationError(f"Added as a {note.kind}, not a {kind}.")


def _report_writes(user: Any, report: VisitReport) -> dict[str, Callable[[], None]]:
    acknowledged = VisitReport.objects.filter(pk=report.pk, acknowledged_at__isnull=False).count
    calls: dict[str, Callable[[], None]] = {
        "acknowledge": _written(
            lambda: services.report_acknowledge(actor=user, report=report), acknowledged
        ),
        "addendum": lambda: _note_as(user, report, ReportNote.Kind.ADDENDUM),
        "reply": lambda: _note_as(user, report, ReportNote.Kind.REPLY),
    }
    return calls


@pytest.mark.parametrize("persona", SEE_IT)
@pytest.mark.parametrize("acknowledged", [False, True])
def test_each_report_write_is_offered_exactly_when_its_service_takes_it(
    world: World, persona: str, acknowledged: bool
) -> None:
    user = getattr(world, persona)
    report = make_report(world)
    if acknowledged:
        report = services.report_acknowledge(actor=world.coordinator, report=report)
    offered = services.report_actions(user, report)
    who = f"{persona}, acknowledged={acknowledged}"
    assert_offered_exactly_when_made(offered, _report_writes(user, report), who)


def test_the_visit_page_shows_a_step_only_to_whom_it_is_offered(world: World) -> None:
    held = VISITS["held"](world)
    write = reverse("visits:report", args=[held.public_id])
    planned = VISITS["planned, face to face, starting now"](world)
    check_in = reverse("visits:check_in", args=[planned.public_id])
    for person, writes in ((world.iv, True), (world.coordinator, False)):
        page = _client(person).get(reverse("visits:detail", args=[held.public_id]))
        assert (write in page.content.decode()) is writes
        assert ("Ivy Visitor and Amy" in page.content.decode()) is not writes  # staff only
        page = _client(person).get(reverse("visits:detail", args=[planned.public_id]))
        assert check_in in page.content.decode()
    cancelled = VISITS["cancelled"](world)
    page = _client(world.iv).get(reverse("visits:detail", args=[cancelled.public_id]))
    assert reverse("visits:cancel", args=[cancelled.public_id]) not in page.content.decode()
    assert "visits:check_in" not in page.content.decode()


def test_the_report_page_shows_a_write_only_to_whom_it_is_offered(world: World) -> None:
    report = make_report(world)
    url = reverse("visits:report_detail", args=[report.public_id])
    acknowledge = reverse("visits:report_acknowledge", args=[report.public_id])
    staff = _client(world.coordinator).get(url).content.decode()
    assert acknowledge in staff and "Send the reply" in staff
    author = _client(world.iv).get(url).content.decode()
    assert acknowledge not in author and "Add to the report" in author
    assert "Send the reply" not in author

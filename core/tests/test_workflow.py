"""The one workflow helper (core.workflow) and every machine that uses it."""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ValidationError

from core.models import WorkflowEvent
from core.workflow import REGISTRY, Workflow
from matches.models import MatchEvent, MatchStatus
from tests.personas import World
from volunteers.models import Stage, StageChange, Volunteer

# Every app with a state machine declares its Workflow in its services.
MACHINES = (
    "referrals.services",
    "matches.services",
    "expenses.services",
    "visits.services",
    "volunteers.services",
    "complaints.services",
)


def _machines() -> list[Workflow]:
    for name in MACHINES:
        importlib.import_module(name)
    return list(REGISTRY)


def test_every_machine_declares_a_workflow() -> None:
    apps = {w.name.split(".")[0] for w in _machines()}
    assert {m.split(".")[0] for m in MACHINES} <= apps


@pytest.mark.parametrize("workflow", _machines(), ids=lambda w: w.name)
def test_each_table_covers_every_status(workflow: Workflow) -> None:
    """A new status without a row in its machine's table fails here."""
    assert set(workflow.moves) == set(workflow.states)
    for targets in workflow.moves.values():
        assert targets <= set(workflow.states)


@pytest.mark.parametrize("workflow", _machines(), ids=lambda w: w.name)
def test_each_machine_keeps_its_events_in_the_one_shape(workflow: Workflow) -> None:
    """Every machine writes its moves as a core.models.WorkflowEvent, volunteers included."""
    assert workflow.event_model is not None
    assert issubclass(workflow.event_model, WorkflowEvent)
    fields = {f.name for f in workflow.event_model._meta.get_fields()}
    assert {"at", "actor", "from_status", "to_status", "note", workflow.record} <= fields


def _volunteer(world: World, stage: str) -> Volunteer:
    return Volunteer.objects.create(
        scheme=world.north,
        first_name="Flo",
        last_name="Flowtest",
        email="flo.flowtest@example.org",
        reference="IV-FLOW01",
        consent_to_checks=True,
        stage=stage,
    )


@pytest.mark.django_db
def test_volunteer_move_writes_one_stage_change_and_the_history_user(world: World) -> None:
    from volunteers.services import FLOW

    assert FLOW.event_model is StageChange and FLOW.record == "volunteer"
    volunteer = _volunteer(world, Stage.APPLICATION)
    FLOW.move(volunteer, Stage.INTERVIEW, actor=world.coordinator, note="Good application")
    event = StageChange.objects.get(volunteer=volunteer)
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        Stage.APPLICATION,
        Stage.INTERVIEW,
        world.coordinator,
        "Good application",
    )
    assert event.get_to_status_display() == "Interview"
    assert volunteer.history.first().history_user == world.coordinator
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.INTERVIEW


@pytest.mark.django_db
def test_volunteer_move_not_in_the_table_is_refused_with_its_words(world: World) -> None:
    from volunteers.services import FLOW

    volunteer = _volunteer(world, Stage.INTERVIEW)
    with pytest.raises(ValidationError) as err:
        FLOW.move(volunteer, Stage.APPROVED, actor=world.coordinator)
    assert err.value.messages == ["A volunteer at the interview stage cannot move to approved."]
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.INTERVIEW
    assert not StageChange.objects.filter(volunteer=volunteer).exists()


@pytest.mark.django_db
def test_move_not_in_the_table_is_refused_with_the_machines_words(world: World) -> None:
    from matches.services import FLOW

    match = world.match
    match.refresh_from_db()
    was = match.status
    assert MatchStatus.PROPOSED not in FLOW.allowed(was)
    before = MatchEvent.objects.filter(match=match).count()
    with pytest.raises(ValidationError) as err:
        FLOW.move(match, MatchStatus.PROPOSED, actor=world.coordinator, how="be proposed")
    assert err.value.messages == [
        f"A match that is {match.get_status_display().lower()} cannot be proposed."
    ]
    match.refresh_from_db()
    assert match.status == was
    assert MatchEvent.objects.filter(match=match).count() == before


@pytest.mark.django_db
def test_move_writes_one_event_row_and_the_history_user(world: World) -> None:
    from matches.services import FLOW

    match = world.match
    match.refresh_from_db()
    was = match.status
    before = MatchEvent.objects.filter(match=match).count()
    FLOW.move(match, MatchStatus.CLOSED, actor=world.coordinator, note="x" * 3000, how="close")
    events = list(MatchEvent.objects.filter(match=match))
    assert len(events) == before + 1
    event = events[-1]
    assert (event.from_status, event.to_status, event.actor) == (
        was,
        MatchStatus.CLOSED,
        world.coordinator,
    )
    assert len(event.note) == 2000  # the matches machine keeps notes to 2000 characters
    assert match.history.first().history_user == world.coordinator
    match.refresh_from_db()
    assert match.status == MatchStatus.CLOSED


def test_allowed_of_an_unknown_state_is_empty() -> None:
    from matches.models import Match

    flow = Workflow(Match, {"proposed": {"closed"}}, lambda o, t, h: "no")
    REGISTRY.remove(flow)
    assert flow.allowed("proposed") == {"closed"}
    assert flow.allowed("zzz") == set()

"""Who may be matched, visit and drive: the helpers the matching and visits issues use."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.personas import World
from volunteers import selectors, services
from volunteers.models import Stage, TrainingRecord, VolunteerStatus
from volunteers.tests.helpers import approved, make_volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


def test_available_for_matching_offers_only_approved_available_compliant(world: World) -> None:
    ok = approved(world.north, first_name="Able")
    suspended = approved(world.north, status=VolunteerStatus.SUSPENDED, first_name="Sus")
    approved(world.north, status=VolunteerStatus.PAUSED, first_name="Paused")
    approved(world.north, status=VolunteerStatus.MATCHED, first_name="Matched")
    approved(world.south, first_name="Southern")
    make_volunteer(world.north, Stage.SIGN_OFF, first_name="Pending")
    old_dbs = approved(world.north, first_name="Olddbs")
    old_dbs.dbs_issued_on = timezone.localdate() - timedelta(days=3 * 366)
    old_dbs.save()
    assert list(selectors.volunteers_available_for_matching(world.north)) == [ok]
    assert suspended not in selectors.volunteers_available_for_matching(world.north)


def test_a_suspended_volunteer_cannot_visit_and_the_reason_is_given(world: World) -> None:
    volunteer = approved(world.north, status=VolunteerStatus.MATCHED)
    assert selectors.volunteer_can_visit(volunteer) == (True, [])
    volunteer = services.volunteer_set_status(
        actor=world.coordinator,
        volunteer=volunteer,
        status=VolunteerStatus.SUSPENDED,
        reason="Allegation under investigation by the LADO",
    )
    ok, reasons = selectors.volunteer_can_visit(volunteer)
    assert not ok
    assert reasons == ["Suspended: Allegation under investigation by the LADO"]
    ok, reasons = selectors.volunteer_can_be_matched(volunteer)
    assert not ok and reasons[0].startswith("Suspended")


def test_suspending_needs_a_reason(world: World) -> None:
    from django.core.exceptions import ValidationError

    volunteer = approved(world.north)
    with pytest.raises(ValidationError, match="reason"):
        services.volunteer_set_status(
            actor=world.coordinator, volunteer=volunteer, status=VolunteerStatus.SUSPENDED
        )


def test_an_expired_dbs_or_training_stops_visits(world: World) -> None:
    volunteer = approved(world.north)
    volunteer.dbs_issued_on = date(2023, 1, 10)
    volunteer.save()
    TrainingRecord.objects.filter(volunteer=volunteer, module="safeguarding").update(
        completed_on=date(2023, 1, 5)
    )
    with time_machine.travel(date(2026, 2, 1), tick=False):
        ok, reasons = selectors.volunteer_can_visit(volunteer)
        assert volunteer not in selectors.volunteers_available_for_matching(world.north)
    assert not ok
    assert "DBS renewal was due on 10 January 2026." in reasons
    assert "Safeguarding training refresher was due on 5 January 2026." in reasons


def test_an_applicant_cannot_visit(world: World) -> None:
    ok, reasons = selectors.volunteer_can_visit(make_volunteer(world.north, Stage.TRAINING))
    assert not ok and reasons == ["Not approved yet: at the training stage."]


def test_driving_needs_business_insurance_in_date(world: World) -> None:
    volunteer = approved(world.north)
    ok, reasons = selectors.volunteer_can_transport(volunteer)
    assert not ok and "Has not said they will drive." in reasons
    volunteer = services.volunteer_update_profile(
        actor=world.coordinator,
        volunteer=volunteer,
        drives=True,
        insurer="Acme Mutual",
        insurance_expires_on=timezone.localdate() + timedelta(days=30),
    )
    assert selectors.volunteer_can_transport(volunteer) == (True, [])
    later = timezone.localdate() + timedelta(days=40)
    ok, reasons = selectors.volunteer_can_transport(volunteer, today=later)
    assert not ok and reasons[-1].startswith("Business car insurance expired on")


def test_what_is_due_lists_dbs_insurance_training_and_supervision(world: World) -> None:
    volunteer = approved(
        world.north, drives=True, insurer="Acme", insurance_expires_on=date(2027, 1, 1)
    )
    services.support_session_record(
        actor=world.coordinator, volunteer=volunteer, kind="supervision", held_on=date(2026, 1, 5)
    )
    with time_machine.travel(date(2026, 2, 1), tick=False):
        due = {d.what: d for d in selectors.what_is_due(volunteer)}
    assert due["Supervision"].on == date(2026, 3, 30)
    assert due["Business car insurance renewal"].on == date(2027, 1, 1)
    assert "Safeguarding training refresher" in due
    assert "DBS renewal" in due


def test_volunteer_for_user(world: World) -> None:
    volunteer = approved(world.north)
    services.volunteer_link_user(actor=world.coordinator, volunteer=volunteer, user=world.iv)
    assert selectors.volunteer_for_user(world.iv) == volunteer
    assert selectors.volunteer_for_user(world.other_iv) is None


def test_volunteer_suspend_for_safeguarding(world: World) -> None:
    volunteer = approved(world.north, status=VolunteerStatus.MATCHED)
    # Whoever raised the allegation triggers it, staff or not.
    volunteer = services.volunteer_suspend(
        actor=world.iv, volunteer=volunteer, reason="Safeguarding allegation"
    )
    assert volunteer.status == VolunteerStatus.SUSPENDED
    assert volunteer.history.first().history_user == world.iv  # type: ignore[union-attr]
    again = services.volunteer_suspend(actor=world.iv, volunteer=volunteer, reason="Again")
    assert again.status_reason == "Safeguarding allegation"
    applicant = make_volunteer(world.north, Stage.CHECKS)
    assert services.volunteer_suspend(actor=world.iv, volunteer=applicant, reason="x").status == ""
    assert selectors.volunteer_can_visit(volunteer)[0] is False

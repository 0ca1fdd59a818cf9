"""The statutory deadlines across weekends and England and Wales bank holidays."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from complaints import services
from complaints.models import Complaint
from complaints.tests.factories import make_complaint
from core.working_days import (
    add_working_days,
    is_working_day,
    working_days_between,
)
from tests.personas import World

pytestmark = pytest.mark.dated


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # A plain fortnight: Friday + 10 working days skips two weekends.
        (date(2026, 3, 6), 10, date(2026, 3, 20)),
        # Christmas 2025: 25 and 26 December (Thu, Fri) and New Year's Day (Thu) skipped.
        (date(2025, 12, 22), 10, date(2026, 1, 8)),
        (date(2025, 12, 22), 20, date(2026, 1, 22)),
        # Christmas 2026: Boxing Day falls on a Saturday, so Monday 28th is the holiday.
        (date(2026, 12, 24), 10, date(2027, 1, 12)),
        # Easter 2026: Good Friday 3 April and Easter Monday 6 April.
        (date(2026, 4, 1), 10, date(2026, 4, 17)),
        (date(2026, 4, 1), 20, date(2026, 5, 1)),
        # Stage 2 over Easter and the early May bank holiday (4 May 2026).
        (date(2026, 4, 1), 25, date(2026, 5, 11)),
        # Received on a Saturday: Monday is the first working day.
        (date(2026, 3, 7), 1, date(2026, 3, 9)),
        (date(2026, 3, 7), 0, date(2026, 3, 7)),
    ],
)
def test_add_working_days(start: date, days: int, expected: date) -> None:
    assert add_working_days(start, days) == expected


def test_bank_holidays_are_england_and_wales() -> None:
    assert not is_working_day(date(2026, 4, 3))  # Good Friday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday (not a holiday in Scotland)
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day, observed
    assert is_working_day(date(2026, 1, 2))  # 2 January is a holiday only in Scotland
    assert is_working_day(date(2026, 8, 3))  # Scotland's summer holiday, not ours
    assert not is_working_day(date(2026, 8, 31))  # our late summer bank holiday
    assert not is_working_day(date(2026, 3, 7))  # Saturday


def test_working_days_between() -> None:
    assert working_days_between(date(2025, 12, 24), date(2026, 1, 8)) == 8
    assert working_days_between(date(2026, 1, 8), date(2026, 1, 8)) == 0
    assert working_days_between(date(2026, 1, 9), date(2026, 1, 8)) == -1
    assert working_days_between(date(2026, 1, 12), date(2026, 1, 8)) == -2
    # Symmetric with add_working_days.
    assert working_days_between(date(2026, 4, 1), add_working_days(date(2026, 4, 1), 25)) == 25


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 1, 1), -1)


@pytest.mark.django_db
def test_christmas_complaint_days_left_and_extension(world: World) -> None:
    with time_machine.travel(date(2025, 12, 22), tick=False):
        complaint = make_complaint(world, received_on=date(2025, 12, 22))
        assert complaint.due_on == date(2026, 1, 8)
    with time_machine.travel(date(2025, 12, 24), tick=False):
        assert complaint.days_left(date(2025, 12, 24)) == 8
        services.complaint_extend(
            actor=world.manager, complaint=complaint, reason="The manager is on leave."
        )
    complaint.refresh_from_db()
    assert complaint.due_on == date(2026, 1, 22)
    stage = complaint.stages.get()
    assert stage.extended and stage.extension_reason == "The manager is on leave."
    # Friday 23 January: one working day late; the weekend after adds nothing.
    assert complaint.is_overdue(date(2026, 1, 23))
    assert complaint.days_left(date(2026, 1, 23)) == -1
    assert complaint.days_left(date(2026, 1, 25)) == -1
    assert complaint.days_left(date(2026, 1, 26)) == -2
    assert not complaint.is_overdue(date(2026, 1, 22))


@pytest.mark.django_db
def test_easter_complaint_through_stage_2_extension(world: World) -> None:
    with time_machine.travel(date(2026, 4, 1), tick=False):
        complaint = make_complaint(world, received_on=date(2026, 4, 1))
    assert complaint.due_on == date(2026, 4, 17)
    with time_machine.travel(date(2026, 4, 15), tick=False):
        services.complaint_respond(
            actor=world.manager, complaint=complaint, outcome="not_upheld", response="No."
        )
        services.complaint_escalate(
            actor=world.manager,
            complaint=complaint,
            investigating_officer="Alex Moore",
            independent_person="Pat Quinn",
        )
    complaint = Complaint.objects.get(pk=complaint.pk)
    # 25 working days from Wednesday 15 April 2026, over the early May bank holiday.
    assert complaint.due_on == add_working_days(date(2026, 4, 15), 25) == date(2026, 5, 21)
    with time_machine.travel(date(2026, 5, 1), tick=False):
        services.complaint_extend(
            actor=world.manager, complaint=complaint, reason="Witness away.", working_days=65
        )
    complaint.refresh_from_db()
    assert complaint.due_on == date(2026, 7, 17)
    assert working_days_between(date(2026, 4, 15), complaint.due_on) == 65

"""The suite's pinned clock (tests/clock.py): no test reads the real date by accident."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tests.clock import LONDON, parse_today, pinned_now, subprocess_env

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.dated

APPS = [
    p.parent.name for p in ROOT.glob("*/apps.py") if p.parent.name not in {"tests", "tools"}
] + ["ivscheme"]


def test_every_test_starts_at_the_pinned_instant(today: date) -> None:
    assert abs(timezone.now() - pinned_now()) < timedelta(seconds=5)
    assert timezone.localdate() == today == date.today()
    assert datetime.now(LONDON).date() == today


def test_a_second_test_starts_at_the_same_instant_again() -> None:
    # Time flows within a test, but never carries over into the next one.
    assert abs(timezone.now() - pinned_now()) < timedelta(seconds=5)


def test_bare_dates_are_mid_morning_in_london() -> None:
    assert parse_today("2028-02-29") == datetime(2028, 2, 29, 10, tzinfo=LONDON)
    # British Summer Time: 10:00 BST is 09:00 UTC.
    assert parse_today("2026-06-17").astimezone(UTC).hour == 9


def test_clock_change_times() -> None:
    # 29 March 2026: clocks go forward at 01:00 GMT, so 01:30 London does not exist; it is
    # read with the offset before the change, 01:30 GMT (02:30 BST).
    spring = parse_today("2026-03-29T01:30")
    assert spring.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert spring.astimezone(LONDON).strftime("%H:%M %Z") == "02:30 BST"
    # 25 October 2026: 01:30 happens twice; the first (BST) is meant.
    autumn = parse_today("2026-10-25T01:30")
    assert autumn.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert parse_today("2026-10-25T01:30Z").astimezone(LONDON).strftime("%H:%M %Z") == ("01:30 GMT")


def test_a_bad_date_is_a_usage_error() -> None:
    with pytest.raises(pytest.UsageError, match="is not a date"):
        parse_today("31/02/2027")


def test_a_process_a_test_starts_runs_on_the_same_clock() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import datetime; print(datetime.datetime.now().isoformat())"],
        env=subprocess_env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    seen = datetime.fromisoformat(result.stdout.strip()).replace(tzinfo=None)
    expected = timezone.localtime().replace(tzinfo=None)
    assert abs(seen - expected) < timedelta(seconds=30), (seen, expected)


@pytest.mark.django_db
def test_stored_times_come_from_the_pinned_clock_not_the_database(world) -> None:
    # created_at is set by Django (Python's clock), so it is on the pinned day ...
    assert timezone.localdate(world.child.created_at) == timezone.localdate()
    # ... while PostgreSQL's own now() still says the real time. That is why app code must
    # never ask the database for the time (next test).
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        (db_now,) = cursor.fetchone()
    if abs(db_now - timezone.now()) < timedelta(minutes=5):
        pytest.skip("the pinned day is today: nothing to tell apart")
    assert abs(db_now - timezone.now()) > timedelta(minutes=5)


DB_CLOCK = re.compile(
    r"\b(Now|TransactionNow)\(\)|CURRENT_(DATE|TIMESTAMP|TIME)\b|\b(now|statement_timestamp"
    r"|clock_timestamp|transaction_timestamp|localtimestamp)\(\)",
    re.IGNORECASE,
)


def test_app_code_never_asks_the_database_for_the_time() -> None:
    """A database default or query using the server's clock would ignore the pinned day in
    tests (and the app's own time zone in production): times come from Python."""
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.parts:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                code = line.split("#", 1)[0]
                code = re.sub(r"\b(timezone|datetime|dt)\.now\(\)", "", code)
                if DB_CLOCK.search(code):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


CALENDAR_WORDS = re.compile(r"\b(time_machine|days_ago|days_ahead|born_on|localdate)\b")


def test_tests_that_work_with_the_calendar_are_marked_dated() -> None:
    """`make test-dates` runs the `dated` tests again on awkward days; a module that moves the
    clock or builds dates from today must be among them."""
    unmarked = []
    for path in sorted(ROOT.glob("**/test_*.py")):
        if any(part in {".venv", "node_modules", "var"} for part in path.parts):
            continue
        text = path.read_text()
        if CALENDAR_WORDS.search(text) and "mark.dated" not in text:
            unmarked.append(str(path.relative_to(ROOT)))
    assert not unmarked, f"add pytest.mark.dated to: {unmarked}"

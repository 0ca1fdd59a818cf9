"""Every test runs on a pinned day, never on the real one by accident.

The suite runs as if "now" were one instant: a fixed ordinary weekday by default, or the one
given with ``--today`` (or the ``TODAY`` variable, which ``make test TODAY=...`` passes on):

    pytest --today=2028-02-29            # 10:00 London time that day
    pytest --today=2026-03-29T01:30      # London wall time (this one does not exist: 01:30 GMT)
    pytest --today=2026-10-25T01:30Z     # an explicit offset is taken as given
    pytest --today=real                  # the real date and time, read once at the start

Each test starts at exactly that instant and time then flows (``tick=True``), so timeouts and
"a minute later" still behave. Tests that need another moment travel there themselves with
time-machine; the browser's clock is set to the same instant (tests/fixtures_browser.py), and
processes a test starts inherit it through ``subprocess_env()``.

PostgreSQL's own ``now()`` is not pinned: the app never asks the database for the time
(tests/test_clock.py fails if it does), so every stored date comes from the pinned clock.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

LONDON = ZoneInfo("Europe/London")
# Wednesday 17 June 2026, 10:00 BST: no bank holiday, mid-month, mid-week, mid-morning.
DEFAULT_TODAY = "2026-06-17T10:00"
# What a bare date means: mid-morning, when a coordinator is at work.
DEFAULT_TIME = time(10, 0)
# Read by tests/clock_site/sitecustomize.py in any Python process a test starts.
ENV_VAR = "IVSCHEME_TEST_NOW"
SITE_DIR = Path(__file__).resolve().parent / "clock_site"

_pinned: datetime | None = None
_traveller: Any = None


def parse_today(value: str) -> datetime:
    """An aware instant from "2028-02-29", "2026-03-29T01:30", "...Z", "+01:00" or "real"."""
    value = value.strip()
    if value.lower() in {"real", "now"}:
        return datetime.now(UTC).astimezone(LONDON).replace(microsecond=0)
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(
            f"--today={value!r} is not a date: use YYYY-MM-DD, YYYY-MM-DDTHH:MM or 'real'"
        ) from None
    if len(value) == 10:  # a bare date
        parsed = datetime.combine(date.fromisoformat(value), DEFAULT_TIME)
    if parsed.tzinfo is None:
        # London wall time. A time the spring change skips (01:30 on the last Sunday of
        # March) is read, as zoneinfo does, with the offset before the change.
        parsed = parsed.replace(tzinfo=LONDON)
    return parsed.astimezone(UTC).astimezone(LONDON)


def pinned_now() -> datetime:
    """The instant every test starts at."""
    assert _pinned is not None, "tests.clock is not loaded"
    return _pinned


def subprocess_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a Python process a test starts, so that it runs on the test's clock
    (the current, possibly travelled, moment) rather than the real one."""
    env = dict(os.environ if env is None else env)
    env[ENV_VAR] = datetime.now(UTC).isoformat()
    env["PYTHONPATH"] = os.pathsep.join(p for p in [str(SITE_DIR), env.get("PYTHONPATH", "")] if p)
    return env


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--today",
        default=os.environ.get("TODAY") or DEFAULT_TODAY,
        help=(
            "run every test as if now were this London date or time (YYYY-MM-DD, "
            f"YYYY-MM-DDTHH:MM, or 'real'); default {DEFAULT_TODAY}, or $TODAY"
        ),
    )


def pytest_configure(config: pytest.Config) -> None:
    global _pinned
    _pinned = parse_today(config.getoption("--today"))
    # xdist hands the controller's options to its workers: give them the resolved instant,
    # so that "real" means one moment for the whole run.
    config.option.today = _pinned.isoformat()
    # From here on, collection (a module-level "now") and session fixtures included.
    global _traveller
    _traveller = time_machine.travel(_pinned, tick=True)
    _traveller.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


def pytest_report_header(config: pytest.Config) -> str:
    now = pinned_now()
    return f"today (pinned): {now.astimezone(LONDON):%A %d %B %Y %H:%M %Z} ({now.isoformat()})"


@pytest.fixture(autouse=True)
def _pinned_clock() -> Iterator[datetime]:
    """Each test starts at the pinned instant, whatever ran before it."""
    with time_machine.travel(pinned_now(), tick=True):
        yield pinned_now()


@pytest.fixture
def today() -> date:
    """The pinned day, in London."""
    return pinned_now().astimezone(LONDON).date()


def frozen_at_pinned() -> Any:
    """A frozen (not ticking) clock at the pinned instant, for building shared records."""
    return time_machine.travel(pinned_now(), tick=False)


def days_ago(days: int) -> date:
    """A London date `days` before the current (pinned or travelled) day."""
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() - timedelta(days=days)


def days_ahead(days: int) -> date:
    return days_ago(-days)

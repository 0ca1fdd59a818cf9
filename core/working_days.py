"""Working-day arithmetic: the complaints procedure's statutory timescales and the
safeguarding acknowledgement deadlines count working days.

A working day is Monday to Friday, except the bank holidays of England and Wales (the two
nations share them; the `holidays` package files them under GB subdivision "ENG"). Every
statutory timescale counts from the day after the start: a complaint received on a Monday has
its first working day on the Tuesday, so "10 working days" ends on the Monday two weeks later.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    # Years are filled in lazily as dates are looked up, so one object serves every year.
    return holidays.country_holidays("GB", subdiv="ENG")


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays()


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (`start` itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier.

    `working_days_between(today, deadline)` is "working days left": 0 on the deadline itself,
    -1 one working day after it.
    """
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = (start, end) if end > start else (end, start)
    count = 0
    day = low
    while day < high:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return sign * count

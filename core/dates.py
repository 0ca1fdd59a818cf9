"""Calendar arithmetic shared by the apps."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def years_after(day: date, years: int) -> date:
    """The same day `years` later (earlier when negative); 29 February becomes the 28th in a
    year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def day_start(day: date) -> datetime:
    """Midnight at the start of `day`, in the project's time zone (Europe/London)."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))

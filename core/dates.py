"""Calendar arithmetic shared by the apps."""

from __future__ import annotations

from datetime import date


def years_after(day: date, years: int) -> date:
    """The same day `years` later (earlier when negative); 29 February becomes the 28th in a
    year that has none."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)

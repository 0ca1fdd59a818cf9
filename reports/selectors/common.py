"""What every report shares: who sees which scheme, small-number suppression, periods and
SQL helpers. Every figure is one aggregate query over the schemes the person may see."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Aggregate,
    FloatField,
    Func,
    IntegerField,
)
from django.http import Http404

from accounts import access
from accounts.models import Role, Scheme, User
from core.dates import day_start

# Equal-opportunities counts below this are shown as "fewer than 5", so that nobody can be
# recognised from a small group.
SUPPRESS_BELOW = 5
# The campaign's goal: one in ten looked-after children has an IV.
HEADLINE_GOAL_PERCENT = 10


class Median(Aggregate):
    """PostgreSQL's continuous median (percentile_cont(0.5)) of an expression."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def days_between(later: Any, earlier: Any) -> Func:
    """date - date in PostgreSQL: whole days, as an integer."""
    return Func(later, earlier, template="(%(expressions)s)", arg_joiner=" - ",
                output_field=IntegerField())  # fmt: skip


def hours_between(later: Any, earlier: Any) -> Func:
    return Func(
        later,
        earlier,
        template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)",
        arg_joiner=" - ",
        output_field=FloatField(),
    )


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in local time: the period includes its end."""
    return day_start(start), day_start(end + timedelta(days=1))


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


# --- Who sees which scheme ------------------------------------------------------------------


def report_schemes(user: User) -> list[Scheme]:
    """Schemes whose reports this person may see: those where they are a manager."""
    seen: dict[int, Scheme] = {}
    for m in access.memberships(user):
        if m.role == Role.MANAGER:
            seen.setdefault(m.scheme_id, m.scheme)
    return sorted(seen.values(), key=lambda s: s.name)


def can_see_reports(user: User) -> bool:
    return bool(report_schemes(user))


def report_scope(*, user: User, slug: str = "") -> tuple[list[Scheme], Scheme | None]:
    """The schemes a report covers: one the person manages (by slug), or all of them.
    Any other slug is 404, as if the scheme did not exist."""
    schemes = report_schemes(user)
    if not schemes:
        raise Http404("No reports")
    if not slug or slug == "all":
        return schemes, None
    for scheme in schemes:
        if scheme.slug == slug:
            return [scheme], scheme
    raise Http404("No such scheme")


# --- Small-number suppression ---------------------------------------------------------------


def suppressed(n: int) -> str:
    """A count safe to publish: 1 to 4 become "fewer than 5" (0 stays 0: nobody is shown)."""
    return "fewer than 5" if 0 < n < SUPPRESS_BELOW else str(n)


def monitoring_rows(counts: dict[str, int], labels: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        rows.append({"label": labels.get(key, key) or "Not recorded", "count": suppressed(n)})
    return rows

"""Hostile and careless input to every URL of the permission matrix: never a server error.

Each URL's variable parts (public ids, slugs, tokens) are replaced by a NUL byte, an overlong
string and an overflowing number; its query gets every GET filter the project reads, each set
to a NUL byte, an overlong string, an overflowing number and dates far outside any calendar
the app uses. Signed in as the personas who see the page (one member of staff, one IV or social
worker) and as an anonymous visitor. The answer may be 400, 404, a redirect or the page with a
message next to the filter; never 5xx (issue 19, item 7).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from referrals.forms import WaitingListFilter
from reports.forms import ReportForm
from safeguarding.forms import RegisterFilter
from tests.matrix.base import OK
from tests.test_permission_matrix import ROWS

# Every name a view reads from request.GET (grep request.GET), and every filter form's fields.
GET_NAMES = sorted(
    {"q", "page", "month", "status", "stage", "scheme", "visit", "child", "next", "kind"}
    | set(WaitingListFilter.base_fields)
    | set(RegisterFilter.base_fields)
    | set(ReportForm.base_fields)
)

NUL = "\x00"
LONG = "a" * 5000
HUGE = "9" * 30
QUERY_VALUES = {
    "nul": NUL,
    "long": LONG,
    "huge": HUGE,
    "negative": "-" + HUGE,
    "far-future-month": "9999-12",
    "far-future-day": "9999-12-31",
    "year-one": "0001-01-01",
    "year-10000": "10000-01-01",
}
PATH_VALUES = {"nul": "%00", "long": LONG, "huge": HUGE}

STAFF_FIRST = ["coordinator", "manager", "dpo", "complaints_manager", "other_coordinator"]
OTHERS_FIRST = ["iv", "social_worker", "other_iv", "other_social_worker"]

GET_ROWS = sorted(name for name, row in ROWS.items() if row.method == "get")


def personas_for(row: Any) -> list[str]:
    chosen = ["anonymous"]
    for group in (STAFF_FIRST, OTHERS_FIRST):
        first = next((p for p in group if row.expect[p] == OK), None)
        if first:
            chosen.append(first)
    return chosen


def variable_parts(path: str) -> list[str]:
    try:
        match = resolve(path)
    except Resolver404:
        return []
    parts = [str(v) for v in (*match.args, *match.kwargs.values())]
    return [p for p in parts if p and p in path]


def _get(client: Client, path: str, query: str = "") -> int:
    return client.get(f"{path}?{query}" if query else path).status_code


CASES = [(name, persona) for name in GET_ROWS for persona in personas_for(ROWS[name])]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_no_server_error_for_hostile_input(
    url_name: str, persona: str, world: Any, settings: Any
) -> None:
    settings.OTP_REQUIRED = False
    row = ROWS[url_name]
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        client.force_login(world.people[persona])
    if row.prepare:
        row.prepare(world, client)
    path, _, row_query = row.path(world).partition("?")
    base_query = "&".join(filter(None, [row_query, urlencode(row.data(world)) if row.data else ""]))
    failures: list[str] = []
    for part in variable_parts(path):
        for label, value in PATH_VALUES.items():
            hostile = path.replace(part, value)
            status = _get(client, hostile, base_query)
            if status >= 500:
                failures.append(f"GET {hostile[:80]} ({label} in path): {status}")
    for label, value in QUERY_VALUES.items():
        query = "&".join(filter(None, [base_query, *(f"{n}={quote(value)}" for n in GET_NAMES)]))
        status = _get(client, path, query)
        if status >= 500:
            failures.append(f"GET {path}?… ({label} in every filter): {status}")
    # A NUL in a filter's name, not only in its value.
    status = _get(client, path, f"q%00=1&{base_query}")
    if status >= 500:
        failures.append(f"GET {path}?q%00=1: {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/visits/calendar/%00.ics",
        "/children/%00/",
        "/children/?q=%00",
        "/children/?q%00=x",
    ],
)
def test_a_nul_byte_is_a_400_before_any_view(path: str, world: Any, client: Any) -> None:
    assert client.get(path).status_code == 400
    client.force_login(world.coordinator)
    assert client.get(path).status_code == 400


@pytest.mark.django_db
def test_the_reported_overflows_answer_without_a_server_error(
    world: Any, client: Any, no_second_factor: None
) -> None:
    client.force_login(world.coordinator)
    finance = client.get("/expenses/finance/?month=9999-12")
    assert finance.status_code in (200, 400)
    waiting = client.get("/referrals/waiting/?waited_days=999999999")
    assert waiting.status_code == 200
    assert "waited_days" in waiting.context["form"].errors

"""Every URL x every persona, with the expected answer (ENGINEERING habit 3).

Anonymous visitors are sent to sign in; another scheme's records answer 404, exactly like a
missing record. A URL without a row fails `test_every_url_has_a_row`.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import tests.matrix
from tests.matrix.base import LOGIN, Row
from tests.personas import PERSONAS

# URL names that are not pages of ours: the admin's own (guarded as a whole by its 2FA site
# and tested in accounts/tests), and the health probe (public JSON, tested in test_health).
EXEMPT_NAMESPACES = {"admin"}
EXEMPT_NAMES = {"healthz"}


def collect_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for info in pkgutil.iter_modules(tests.matrix.__path__):
        if info.name.startswith("rows_"):
            module = importlib.import_module(f"tests.matrix.{info.name}")
            for name, row in module.ROWS.items():
                assert name not in rows, f"two rows for {name}"
                rows[name] = row
    return rows


ROWS = collect_rows()


def url_names(patterns: list[Any] | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            if p.namespace in EXEMPT_NAMESPACES:
                continue
            names |= url_names(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            assert p.name, f"URL pattern {p.pattern} has no name, so it cannot have a row"
            names.add(f"{prefix}{p.name}")
    return names - EXEMPT_NAMES


def test_every_url_has_a_row() -> None:
    # "name#variant" keys are extra rows for the same URL (e.g. its POST).
    covered = {name.split("#")[0] for name in ROWS}
    missing = url_names() - covered
    stale = covered - url_names()
    assert not missing, f"URLs with no row in the permission matrix: {sorted(missing)}"
    assert not stale, f"rows for URLs that no longer exist: {sorted(stale)}"


CASES = [(name, persona) for name in sorted(ROWS) for persona in PERSONAS]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_matrix(url_name: str, persona: str, world: Any, client: Any, settings: Any) -> None:
    settings.OTP_REQUIRED = False  # enforcement has its own tests; here: who sees what
    row = ROWS[url_name]
    if persona != "anonymous":
        client.force_login(world.people[persona])
    if row.prepare:
        row.prepare(world, client)
    path = row.path(world)
    data = row.data(world) if row.data else {}
    response = getattr(client, row.method)(path, data)
    expected = row.expect[persona]
    if expected == LOGIN:
        assert response.status_code == 302, f"{persona} {row.method.upper()} {path}"
        assert response["Location"].startswith("/accounts/login/"), response["Location"]
    else:
        assert response.status_code == expected, (
            f"{persona} {row.method.upper()} {path}: got {response.status_code}, "
            f"expected {expected}"
        )
    if response.status_code == 200 and persona != "anonymous":
        assert_reads_are_logged(response, world.people[persona], f"{persona} {path}")


def sensitive_records_shown(response: Any) -> list[Any]:
    """The child, concern or complaint records the view gave its page as the record it is
    about: a value of the page's context, or one inside a dict (the IV home's visit card).
    Rows of a list are not (a list shows names; its record pages show the record), nor the
    loop variables of included templates."""
    from complaints.models import Complaint
    from referrals.models import Child
    from safeguarding.models import Concern

    kinds = (Child, Concern, Complaint)
    found: dict[tuple[str, int], Any] = {}
    page_context = response.context[0] if response.context else None
    for layer in page_context.dicts if page_context else []:
        if True:
            for value in layer.values():
                values = value.values() if isinstance(value, dict) else [value]
                for v in values:
                    if isinstance(v, kinds) and v.pk:
                        found[(v._meta.label_lower, v.pk)] = v
    return list(found.values())


def assert_reads_are_logged(response: Any, user: Any, what: str) -> None:
    """A page that renders a child, a concern or a complaint leaves an access-log row for
    that person and record, written by the one door (core.audit.record_read)."""
    from core.models import AccessLog

    for record in sensitive_records_shown(response):
        assert AccessLog.objects.filter(
            user=user,
            record_type=record._meta.label_lower,
            record_public_id=record.public_id,
        ).exists(), f"{what} shows {record._meta.label_lower} {record.pk} with no access-log row"

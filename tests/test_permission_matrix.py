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

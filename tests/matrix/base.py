"""Rows of the permission matrix: every URL x every persona has an expected status.

Each app adds a module `tests/matrix/rows_<app>.py` exporting `ROWS: dict[str, Row]`, keyed by
the URL's name ("namespace:name"). tests/test_permission_matrix.py fails when a URL of the
project has no row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.personas import PERSONAS

Expect = dict[str, int | str]

# Shorthands for expected answers.
OK = 200
REDIRECT = 302
FORBIDDEN = 403
NOT_FOUND = 404
NOT_ALLOWED = 405
LOGIN = "login"  # a redirect to the sign-in page


@dataclass
class Row:
    path: Callable[[Any], str]
    expect: dict[str, int | str]
    method: str = "get"
    data: Callable[[Any], dict[str, Any]] | None = None
    # Settings a row needs (e.g. a fresh sudo confirmation) are set by the callable.
    prepare: Callable[[Any, Any], None] | None = field(default=None)

    def __post_init__(self) -> None:
        missing = set(PERSONAS) - set(self.expect)
        extra = set(self.expect) - set(PERSONAS)
        assert not missing and not extra, f"row personas: missing {missing}, unknown {extra}"


def everyone(status: int | str, **overrides: int | str) -> dict[str, int | str]:
    """Every signed-in persona gets `status`, anonymous is sent to sign in, except overrides."""
    expect: dict[str, int | str] = dict.fromkeys(PERSONAS, status)
    expect["anonymous"] = LOGIN
    expect.update(overrides)
    return expect

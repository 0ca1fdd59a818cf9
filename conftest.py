"""Fixtures for every test in the project (apps' own tests/ folders and tests/)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# tests.clock first: every other fixture, session-wide ones included, runs on the pinned day.
pytest_plugins = [
    "tests.clock",
    "tests.db_reset",
    "tests.fixtures_browser",
    "tests.personas",
    "tests.schedule",
]

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing_everywhere() -> Iterator[None]:
    """Real hashing takes ~0.3 s a password and every test world has ten people. Session-wide,
    because the shared world (tests/personas.py) is built before any function fixture. (A
    function fixture of the same name in a folder's conftest would hide this one there, and the
    world would then be hashed with the real hasher: the name is deliberately unusual.)"""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@pytest.fixture
def no_second_factor(settings) -> None:
    """For tests about what each role may see: two-factor sign-in has its own tests."""
    settings.OTP_REQUIRED = False


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    """The rate limits of the public forms (core.ratelimits) count in the cache: each test
    starts with none counted, whatever the tests before it posted."""
    from django.core.cache import cache

    cache.clear()
    yield

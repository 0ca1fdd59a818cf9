"""Fixtures for every test in the project (apps' own tests/ folders and tests/)."""

from __future__ import annotations

import pytest

pytest_plugins = ["tests.fixtures_browser", "tests.personas"]

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Real hashing takes ~0.3 s a password and every test world has ten people."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def no_second_factor(settings) -> None:
    """For tests about what each role may see: two-factor sign-in has its own tests."""
    settings.OTP_REQUIRED = False

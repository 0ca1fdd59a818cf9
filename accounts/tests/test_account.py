"""The account page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.conftest import add_backup_codes, add_totp
from tests.personas import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_gate(settings) -> None:
    settings.OTP_REQUIRED = False


def test_shows_who_i_am_and_my_roles(world: World, client_for) -> None:
    body = client_for(world.complaints_manager).get(reverse("accounts:account")).content.decode()
    assert body.count("<h1") == 1
    assert "Carla Complaints" in body and "complaints@org.test" in body
    assert "Complaints manager in North IV Scheme" in body
    assert "Complaints manager in South IV Scheme" in body
    for name in ("password_change", "sessions", "two_factor_setup"):
        assert reverse(f"accounts:{name}") in body
    assert "Your role needs two-step verification" in body


def test_two_step_status(world: World, client_for) -> None:
    add_totp(world.iv)
    add_backup_codes(world.iv, ["abcd2345", "bcde2345"])
    body = client_for(world.iv).get(reverse("accounts:account")).content.decode()
    assert "<strong>On.</strong>" in body and "2 backup codes left" in body


def test_pages_have_no_inline_script_or_style(world: World, client_for) -> None:
    client = client_for(world.coordinator)
    for name in (
        "account",
        "sessions",
        "password_change",
        "sudo",
        "two_factor_setup",
        "two_factor_backup_codes",
        "password_reset",
    ):
        html = client.get(reverse(f"accounts:{name}")).content.decode()
        assert "<script>" not in html and "style=" not in html and "<style" not in html, name

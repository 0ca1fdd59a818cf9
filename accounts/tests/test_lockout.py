"""Five wrong passwords lock the account (not the computer) for 30 minutes (django-axes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.conftest import sign_in
from tests.personas import PASSWORD, World

pytestmark = [pytest.mark.django_db, pytest.mark.dated]

LOGIN = "/accounts/login/"


WRONG = "wrong-password-123"


def attempt(client: Client, email: str, password: str = WRONG):
    return client.post(LOGIN, {"username": email, "password": password})


def test_five_wrong_passwords_lock_the_account(world: World, client: Client, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    email = world.iv.email
    for _ in range(4):
        response = attempt(client, email)
        assert response.status_code == 200
        assert "do not match an account" in response.content.decode()
    response = attempt(client, email)
    assert response.status_code == 429
    body = response.content.decode()
    assert "too many wrong passwords for this account" in body
    assert "30 minutes" in body
    assert reverse("accounts:password_reset") in body
    retry_at = timezone.localtime(timezone.now() + timedelta(minutes=30))
    assert f"try again after {retry_at:%H:%M}" in body
    assert body.count("<h1") == 1

    # Now even the right password is refused, in any letter case, from any browser.
    assert attempt(client, email, PASSWORD).status_code == 429
    assert attempt(Client(), email.upper(), PASSWORD).status_code == 429
    # Other accounts are not affected (the lock is per account, not per computer).
    assert attempt(client, world.other_iv.email, PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cooloff(world: World, client: Client, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(5):
        attempt(client, world.iv.email)
    time_machine.shift(timedelta(minutes=29))
    assert attempt(client, world.iv.email, PASSWORD).status_code == 429
    # A try during the lock starts the 30 minutes again: wait them out from that try.
    time_machine.shift(timedelta(minutes=31))
    response = attempt(client, world.iv.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_a_right_password_resets_the_count(world: World, client: Client) -> None:
    for _ in range(4):
        attempt(client, world.iv.email)
    sign_in(Client(), world.iv)
    for _ in range(4):
        assert attempt(client, world.iv.email).status_code == 200
    assert attempt(client, world.iv.email, PASSWORD).status_code == 302


def test_unknown_accounts_are_locked_too_without_saying_they_do_not_exist(
    world: World, client: Client
) -> None:
    for _ in range(5):
        response = attempt(client, "nobody@example.org")
    assert response.status_code == 429
    assert "too many wrong passwords for this account" in response.content.decode()


def test_wrong_passwords_on_the_confirm_password_page_count_too(world: World, client_for) -> None:
    client = client_for(world.iv)
    for _ in range(4):
        response = client.post(reverse("accounts:sudo"), {"password": "not-my-password"})
        assert response.status_code == 200
    response = client.post(reverse("accounts:sudo"), {"password": "not-my-password"})
    assert response.status_code == 429
    assert attempt(Client(), world.iv.email, PASSWORD).status_code == 429

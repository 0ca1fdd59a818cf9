"""Five wrong passwords lock the account at that address for 30 minutes, and one address
trying many accounts is locked (django-axes with accounts.lockout)."""

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


ATTACKER = "203.0.113.9"
OWNER = "198.51.100.7"


def attempt(client: Client, email: str, password: str = WRONG, ip: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


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

    # Now even the right password is refused from this address, in any letter case.
    assert attempt(client, email, PASSWORD).status_code == 429
    assert attempt(Client(), email.upper(), PASSWORD).status_code == 429
    # Other accounts are not affected.
    assert attempt(client, world.other_iv.email, PASSWORD).status_code == 302


def test_a_stranger_cannot_lock_the_owner_out(world: World, time_machine) -> None:
    """Issue 19, item 6: five wrong passwords from the attacker's address lock the attacker's
    address out of the account; the owner, from another address, signs in."""
    time_machine.move_to(timezone.now(), tick=False)
    email = world.coordinator.email
    attacker = Client()
    for _ in range(5):
        attempt(attacker, email, ip=ATTACKER)
    assert attempt(attacker, email, ip=ATTACKER).status_code == 429
    assert attempt(attacker, email, PASSWORD, ip=ATTACKER).status_code == 429
    response = attempt(Client(), email, PASSWORD, ip=OWNER)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    # ...and the owner signing in does not unlock the attacker.
    assert attempt(attacker, email, PASSWORD, ip=ATTACKER).status_code == 429


def test_tries_during_a_lock_do_not_extend_it(world: World, client: Client, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    for _ in range(5):
        attempt(client, world.iv.email)
    time_machine.shift(timedelta(minutes=20))
    # The owner's right password (and more wrong ones) during the lock are not counted...
    assert attempt(client, world.iv.email, PASSWORD).status_code == 429
    response = attempt(client, world.iv.email)
    assert response.status_code == 429
    retry_at = timezone.localtime(timezone.now() + timedelta(minutes=10))
    assert f"try again after {retry_at:%H:%M}" in response.content.decode()
    # ...so the lock ends 30 minutes after the fifth wrong password.
    time_machine.shift(timedelta(minutes=11))
    response = attempt(client, world.iv.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_one_address_trying_many_accounts_is_locked(world: World, settings) -> None:
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    attacker = Client()
    for n in range(8):
        assert attempt(attacker, f"guess{n}@example.org", ip=ATTACKER).status_code in (200, 429)
    # Locked for every account from that address, even one it never tried...
    assert attempt(attacker, world.iv.email, PASSWORD, ip=ATTACKER).status_code == 429
    # ...but not from anywhere else.
    assert attempt(Client(), world.iv.email, PASSWORD, ip=OWNER).status_code == 302


def test_signing_in_to_my_account_does_not_clear_my_guesses_at_another(world: World) -> None:
    attacker = Client()
    for _ in range(4):
        attempt(attacker, world.iv.email, ip=ATTACKER)
    assert attempt(Client(), world.other_iv.email, PASSWORD, ip=ATTACKER).status_code == 302
    assert attempt(attacker, world.iv.email, ip=ATTACKER).status_code == 429


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

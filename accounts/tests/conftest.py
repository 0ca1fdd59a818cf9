"""Helpers for the sign-in security tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.personas import PASSWORD, world  # noqa: F401

UA_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
UA_DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def sign_in(client: Client, user: User, password: str = PASSWORD, **extra: Any) -> Client:
    """Through the real sign-in form (django-axes needs the request, so no client.login)."""
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": password}, **extra
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def add_totp(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def add_backup_codes(user: User, codes: list[str]) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return device


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """A client already signed in as the person (force_login: the sign-in signal runs)."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make

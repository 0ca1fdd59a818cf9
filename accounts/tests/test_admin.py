"""The admin: superusers only, and only with a two-step code in this session."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django_otp.admin import OTPAdminSite

from accounts.models import User
from accounts.tests.conftest import add_totp, code_for
from tests.personas import World

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(
        "root@example.org", "a-long-admin-password", full_name="Root"
    )


def test_the_admin_is_django_otps_site() -> None:
    assert isinstance(admin.site, OTPAdminSite)
    assert admin.site.name == "admin"


def test_staff_who_are_not_superusers_are_refused(world: World, client_for, settings) -> None:
    settings.OTP_REQUIRED = True
    # Even with the admin flag and a code entered: not a superuser, so not in.
    world.coordinator.is_staff = True
    world.coordinator.save()
    device = add_totp(world.coordinator)
    client = client_for(world.coordinator)
    assert client.post("/accounts/two-step/code/", {"code": code_for(device)}).status_code == 302
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/admin/accounts/user/").status_code == 302


def test_a_superuser_needs_a_code(superuser: User, client_for, settings) -> None:
    settings.OTP_REQUIRED = False  # even with the site-wide gate off
    client = client_for(superuser)
    response = client.get(ADMIN)
    assert response["Location"].startswith("/admin/login/")
    login_page = client.get("/admin/login/").content.decode()
    assert 'name="otp_token"' in login_page


def test_a_verified_superuser_gets_in(superuser: User, client_for, settings) -> None:
    settings.OTP_REQUIRED = True
    device = add_totp(superuser)
    client: Client = client_for(superuser)
    assert client.get(ADMIN)["Location"].startswith("/accounts/two-step/code/")
    client.post("/accounts/two-step/code/", {"code": code_for(device)})
    assert client.get(ADMIN).status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200

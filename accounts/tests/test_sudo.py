"""Sudo mode: the password again before the most harmful actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import timezone

import ivscheme.urls
from accounts.sudo import sudo_active, sudo_required
from tests.personas import PASSWORD, World

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


@sudo_required
def protected(request: HttpRequest) -> HttpResponse:
    return HttpResponse("the dangerous thing")


urlpatterns = [path("dangerous/", protected), *ivscheme.urls.urlpatterns]


@pytest.fixture(autouse=True)
def urls(settings) -> None:
    settings.ROOT_URLCONF = __name__
    settings.OTP_REQUIRED = False


SUDO = reverse("accounts:sudo")


def test_the_password_is_asked_for_then_the_page_opens(
    world: World, client_for, time_machine
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    client: Client = client_for(world.coordinator)
    response = client.get("/dangerous/?tab=2")
    assert response.status_code == 302
    assert response["Location"] == f"{SUDO}?next=%2Fdangerous%2F%3Ftab%3D2"

    page = client.get(response["Location"]).content.decode()
    assert "Confirm your password" in page and page.count("<h1") == 1
    assert 'name="next" value="/dangerous/?tab=2"' in page

    wrong = client.post(response["Location"], {"password": "not-my-password"})
    body = wrong.content.decode()
    assert wrong.status_code == 200
    assert 'id="id_password_error"' in body and "That is not your password" in body
    assert "not-my-password" not in body

    right = client.post(SUDO, {"password": PASSWORD, "next": "/dangerous/?tab=2"})
    assert right["Location"] == "/dangerous/?tab=2"
    assert client.get("/dangerous/").content == b"the dangerous thing"

    time_machine.shift(timedelta(minutes=9))
    assert client.get("/dangerous/").status_code == 200
    time_machine.shift(timedelta(minutes=2))  # 11 minutes after confirming
    assert client.get("/dangerous/")["Location"].startswith(SUDO)


@pytest.mark.parametrize(
    "target", ["https://evil.example/steal", "//evil.example/", "javascript:alert(1)"]
)
def test_next_must_be_on_this_site(world: World, client_for, target: str) -> None:
    client = client_for(world.iv)
    response = client.post(SUDO, {"password": PASSWORD, "next": target})
    assert response["Location"] == reverse("accounts:account")


def test_signing_in_again_does_not_carry_sudo_over(world: World, client_for) -> None:
    client = client_for(world.iv)
    client.post(SUDO, {"password": PASSWORD})
    client.post(reverse("accounts:logout"))
    client.force_login(world.iv)
    assert client.get("/dangerous/")["Location"].startswith(SUDO)


def test_sign_in_is_asked_first(client: Client) -> None:
    response = client.get("/dangerous/")
    assert response["Location"].startswith(reverse("accounts:login"))


def test_sudo_active_helper(world: World) -> None:
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    request.session = SessionStore()
    request.user = AnonymousUser()
    assert sudo_active(request) is False
    request.user = world.iv
    assert sudo_active(request) is False
    request.session["accounts_sudo_at"] = "yesterday"
    assert sudo_active(request) is False

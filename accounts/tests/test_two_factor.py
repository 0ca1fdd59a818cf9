"""Two-step verification: forced for staff (set-up, then a code at every sign-in), offered to
everyone else; backup codes work once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.conftest import add_backup_codes, add_totp, code_for, sign_in
from accounts.views import SETUP_KEY
from tests.personas import World

pytestmark = [pytest.mark.django_db, pytest.mark.dated]

SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:two_factor_verify")


@pytest.fixture(autouse=True)
def enforced(settings) -> None:
    settings.OTP_REQUIRED = True


def test_staff_without_an_app_are_sent_to_set_one_up_first(world: World, client: Client) -> None:
    sign_in(client, world.coordinator)
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fchildren%2F"
    for name in ("manager", "complaints_manager"):
        other = sign_in(Client(), world.people[name])
        assert other.get("/")["Location"].startswith(SETUP)


def test_superusers_must_use_two_step_verification(world: World) -> None:
    from accounts.models import User

    admin = User.objects.create_superuser("root@example.org", "a-long-admin-password")
    client = Client()
    client.force_login(admin)
    assert client.get("/")["Location"].startswith(SETUP)


def test_ivs_are_not_forced(world: World, client_for) -> None:
    client = client_for(world.iv)
    assert client.get("/").status_code == 200
    account = client.get(reverse("accounts:account")).content.decode()
    assert "Set up two-step verification" in account


def test_social_workers_must_use_two_step_verification(world: World, client_for) -> None:
    """Issue 19, item 4: social workers see full child records and shared concerns, often on
    shared council PCs; like staff, they set up an app and enter a code at every sign-in."""
    client = client_for(world.people["social_worker"])
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2Fchildren%2F"
    add_totp(world.people["social_worker"])
    assert client_for(world.people["social_worker"]).get("/")["Location"].startswith(VERIFY)


def test_set_up_shows_a_qr_code_and_the_key_and_turns_it_on(world: World, client_for) -> None:
    client = client_for(world.coordinator)
    response = client.get(f"{SETUP}?next=/children/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert re.search(r'<img class="qr-code" src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"', body)
    key = client.session[SETUP_KEY]
    secret = re.search(r'<code class="totp-secret" id="totp-secret">([A-Z2-7 ]+)</code>', body)
    assert secret is not None
    import base64

    assert base64.b32decode(secret.group(1).replace(" ", "")) == bytes.fromhex(key)
    # The key is not saved until a code proves the app has it.
    assert not TOTPDevice.objects.filter(user=world.coordinator).exists()

    # A wrong code: an error next to the box, and what was typed is kept.
    response = client.post(f"{SETUP}?next=/children/", {"code": "000000"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_code_error"' in body and "That code is not right" in body
    assert 'value="000000"' in body
    response = client.post(f"{SETUP}?next=/children/", {"code": "12ab"})
    assert "Enter the 6 digits" in response.content.decode()
    assert 'value="12ab"' in response.content.decode()
    # The same key is kept across tries, so the app set up once keeps working.
    assert client.session[SETUP_KEY] == key

    code = f"{totp(bytes.fromhex(key)):06d}"
    response = client.post(f"{SETUP}?next=/children/", {"code": code})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_backup_codes"))
    device = TOTPDevice.objects.get(user=world.coordinator)
    assert device.confirmed and device.key == key

    # Ten backup codes, shown once.
    page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([A-Z2-7]{4} [A-Z2-7]{4})</code></li>", page)
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=world.coordinator).count() == 10
    assert 'href="/children/"' in page
    again = client.get(reverse("accounts:two_factor_backup_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert "You have 10 unused backup codes" in again

    # This session is verified: the pages open.
    assert client.get("/children/").status_code == 200


def test_staff_with_an_app_enter_a_code_at_sign_in(world: World, client: Client) -> None:
    device = add_totp(world.coordinator)
    sign_in(client, world.coordinator)
    response = client.get("/children/")
    assert response["Location"] == f"{VERIFY}?next=%2Fchildren%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"Enter your code" in page.content

    response = client.post(f"{VERIFY}?next=/children/", {"code": code_for(device)})
    assert response.status_code == 302
    assert response["Location"] == "/children/"
    assert client.get("/children/").status_code == 200
    # A code is good once: replaying it in another browser fails.
    replay = sign_in(Client(), world.coordinator)
    response = replay.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()


def test_a_wrong_code_is_explained_and_waiting_is_enforced(
    world: World, client_for, time_machine
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    device = add_totp(world.coordinator)
    client = client_for(world.coordinator)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    body = response.content.decode()
    assert 'id="id_code_error"' in body and "That code is not right" in body
    assert f'value="{wrong}"' in body
    # Straight after a wrong code, even the right one must wait (django-otp's throttling).
    response = client.post(VERIFY, {"code": code_for(device)})
    assert "Too many wrong codes. Wait" in response.content.decode()
    time_machine.shift(timedelta(seconds=2))
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 302


def test_a_backup_code_works_once(world: World, client_for) -> None:
    add_totp(world.coordinator)
    add_backup_codes(world.coordinator, ["abcd2345", "efgh6723"])
    client = client_for(world.coordinator)
    response = client.post(VERIFY, {"code": "ABCD 2345"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert not StaticToken.objects.filter(token="abcd2345").exists()

    other = client_for(world.coordinator)
    response = other.post(VERIFY, {"code": "abcd2345"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert other.get("/").status_code == 302


def test_someone_who_chose_two_step_verification_is_asked_for_a_code(
    world: World, client_for
) -> None:
    add_totp(world.iv)
    assert client_for(world.iv).get("/")["Location"].startswith(VERIFY)


def test_the_pages_needed_before_the_code_are_open(world: World, client_for) -> None:
    client = client_for(world.coordinator)
    assert client.get(SETUP).status_code == 200
    assert client.get(reverse("accounts:password_reset")).status_code == 200
    assert client.get(reverse("healthz")).status_code in (200, 503)
    assert client.get(reverse("accounts:account")).status_code == 302
    assert client.get(reverse("accounts:sessions")).status_code == 302
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("accounts:login")
    assert client.get("/")["Location"].startswith(reverse("accounts:login"))


def test_an_htmx_request_is_sent_to_the_page_as_a_whole(world: World, client_for) -> None:
    client = client_for(world.coordinator)
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == SETUP


def test_nothing_is_forced_when_enforcement_is_off(world: World, client_for, settings) -> None:
    settings.OTP_REQUIRED = False
    add_totp(world.manager)
    assert client_for(world.coordinator).get("/").status_code == 200
    assert client_for(world.manager).get("/").status_code == 200


def test_moving_to_a_new_phone_needs_the_password(world: World, client_for) -> None:
    device = add_totp(world.coordinator)
    client = client_for(world.coordinator)
    client.post(VERIFY, {"code": code_for(device)})
    response = client.get(SETUP)
    assert response["Location"].startswith(reverse("accounts:sudo"))


def test_new_backup_codes_need_the_password_and_replace_the_old(world: World, client_for) -> None:
    from tests.personas import PASSWORD

    add_totp(world.iv)
    add_backup_codes(world.iv, ["abcd2345"])
    client = client_for(world.iv)
    client.post(VERIFY, {"code": "abcd2345"})
    add_backup_codes(world.iv, ["zzzz2345"])
    url = reverse("accounts:two_factor_backup_codes")
    response = client.post(url)
    assert response["Location"].startswith(reverse("accounts:sudo"))
    client.post(reverse("accounts:sudo"), {"password": PASSWORD})
    response = client.post(url)
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert len(re.findall(r"<li><code>([A-Z2-7]{4} [A-Z2-7]{4})</code></li>", page)) == 10
    assert not StaticToken.objects.filter(token="zzzz2345").exists()


def test_a_backup_code_can_be_typed_as_shown_or_misread(world: World, client_for) -> None:
    add_totp(world.iv)
    add_backup_codes(world.iv, ["abol2345", "wxyz2345"])
    # Shown as "ABOL 2345": typed with a zero for the O and a one for the L.
    assert client_for(world.iv).post(VERIFY, {"code": "AB01 2345"}).status_code == 302
    assert client_for(world.iv).post(VERIFY, {"code": "wxyz-2345"}).status_code == 302
    assert client_for(world.iv).post(VERIFY, {"code": "wxyz2345"}).status_code == 200

"""Session lifetimes, the session list, and ending sessions."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import UserSession
from accounts.sessions import describe_user_agent, end_all_sessions
from accounts.tests.conftest import UA_DESKTOP, UA_PHONE, sign_in
from tests.personas import PASSWORD, World

pytestmark = [pytest.mark.django_db, pytest.mark.dated]

LOGIN = reverse("accounts:login")


@pytest.fixture(autouse=True)
def no_two_factor(settings) -> None:
    # These tests are about sessions; two-step verification has its own.
    settings.OTP_REQUIRED = False


def session_exists(key: str) -> bool:
    return import_module(django_settings.SESSION_ENGINE).SessionStore().exists(key)


def test_signing_in_gives_a_new_session_key(world: World, client: Client) -> None:
    session = client.session
    session["before"] = "sign-in"
    session.save()
    before = session.session_key
    assert before is not None
    assert client.cookies[django_settings.SESSION_COOKIE_NAME].value == before
    sign_in(client, world.iv)
    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    assert not session_exists(before)
    assert session_exists(after)


def test_signing_in_records_the_session(world: World, client: Client) -> None:
    sign_in(client, world.iv, HTTP_USER_AGENT=UA_PHONE, REMOTE_ADDR="203.0.113.9")
    row = UserSession.objects.get(user=world.iv)
    assert row.session_key == client.session.session_key
    assert row.ip_address == "203.0.113.9"
    assert row.device == "Chrome on Android"
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=world.iv).exists()


def test_last_active_is_written_at_most_once_a_minute(
    world: World, client: Client, time_machine
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client, world.iv)
    first = UserSession.objects.get(user=world.iv).last_seen_at
    time_machine.shift(timedelta(seconds=30))
    client.get("/")
    assert UserSession.objects.get(user=world.iv).last_seen_at == first
    time_machine.shift(timedelta(seconds=40))
    client.get("/")
    assert UserSession.objects.get(user=world.iv).last_seen_at == first + timedelta(seconds=70)


def test_staff_are_signed_out_after_30_idle_minutes(
    world: World, client: Client, time_machine
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client, world.coordinator)
    time_machine.shift(timedelta(minutes=29))
    assert client.get("/").status_code == 200  # still signed in; activity noted
    time_machine.shift(timedelta(minutes=29))
    assert client.get("/").status_code == 200
    time_machine.shift(timedelta(minutes=31))
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fchildren%2F"
    page = client.get(response["Location"]).content.decode()
    assert "no activity for 30 minutes" in page
    assert not UserSession.objects.filter(user=world.coordinator).exists()


def test_social_workers_are_signed_out_after_30_idle_minutes_like_staff(
    world: World, client: Client, time_machine
) -> None:
    """Issue 19, item 4: the staff idle timeout applies to social workers too."""
    time_machine.move_to(timezone.now(), tick=False)
    social_worker = world.people["social_worker"]
    sign_in(client, social_worker)
    time_machine.shift(timedelta(minutes=29))
    assert client.get("/").status_code == 200
    time_machine.shift(timedelta(minutes=31))
    response = client.get("/children/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Fchildren%2F"
    assert not UserSession.objects.filter(user=social_worker).exists()


def test_others_are_not_signed_out_for_being_idle(
    world: World, client: Client, time_machine
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client, world.iv)
    time_machine.shift(timedelta(hours=3))
    assert client.get("/").status_code == 200


def test_everyone_is_signed_out_12_hours_after_signing_in(
    world: World, client: Client, time_machine
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client, world.iv)
    for _ in range(5):  # busy all day: the lifetime does not slide
        time_machine.shift(timedelta(hours=2, minutes=20))
        assert client.get("/").status_code == 200
    time_machine.shift(timedelta(hours=1))  # 12 h 40 min after signing in
    response = client.get("/")
    assert response["Location"].startswith(LOGIN)
    assert "signed in more than 12 hours ago" in client.get(LOGIN).content.decode()


def test_staff_active_all_day_still_stop_at_12_hours(
    world: World, client: Client, time_machine
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(client, world.manager)
    for _ in range(47):  # 11 h 45 min, never idle
        time_machine.shift(timedelta(minutes=15))
        assert client.get("/").status_code == 200
    time_machine.shift(timedelta(minutes=16))
    assert client.get("/")["Location"].startswith(LOGIN)


def test_the_session_list_shows_only_my_sessions(world: World) -> None:
    phone = sign_in(Client(), world.coordinator, HTTP_USER_AGENT=UA_PHONE)
    sign_in(Client(), world.coordinator, HTTP_USER_AGENT=UA_DESKTOP, REMOTE_ADDR="198.51.100.7")
    sign_in(Client(), world.iv, HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Version/17 Safari/604.1")
    page = phone.get(reverse("accounts:sessions"), HTTP_USER_AGENT=UA_PHONE).content.decode()
    assert page.count('class="card mb-3"') == 2
    assert "Chrome on Android" in page and "Firefox on Windows" in page
    assert "198.51.100.7" in page
    assert page.count("This device") == 1
    assert "Safari on iPhone" not in page
    assert page.count("<h1") == 1


def test_ending_another_of_my_sessions_signs_that_browser_out(world: World) -> None:
    phone = sign_in(Client(), world.iv, HTTP_USER_AGENT=UA_PHONE)
    laptop = sign_in(Client(), world.iv, HTTP_USER_AGENT=UA_DESKTOP)
    row = UserSession.objects.get(session_key=laptop.session.session_key)
    response = phone.post(reverse("accounts:session_end", args=[row.public_id]))
    assert response["Location"] == reverse("accounts:sessions")
    assert (
        "The session on Firefox on Windows has ended"
        in phone.get(response["Location"]).content.decode()
    )
    assert not session_exists(row.session_key)
    assert not UserSession.objects.filter(pk=row.pk).exists()
    assert laptop.get("/")["Location"].startswith(LOGIN)
    assert phone.get("/").status_code == 200


def test_ending_this_session_signs_out(world: World) -> None:
    client = sign_in(Client(), world.iv)
    row = UserSession.objects.get(session_key=client.session.session_key)
    response = client.post(reverse("accounts:session_end", args=[row.public_id]))
    assert response["Location"] == LOGIN
    assert client.get("/")["Location"].startswith(LOGIN)


def test_someone_elses_session_is_not_found(world: World) -> None:
    victim = sign_in(Client(), world.iv)
    row = UserSession.objects.get(session_key=victim.session.session_key)
    attacker = sign_in(Client(), world.other_iv)
    response = attacker.post(reverse("accounts:session_end", args=[row.public_id]))
    assert response.status_code == 404
    assert session_exists(row.session_key)
    assert victim.get("/").status_code == 200


def test_ending_a_session_needs_a_post(world: World) -> None:
    client = sign_in(Client(), world.iv)
    row = UserSession.objects.get(session_key=client.session.session_key)
    assert client.get(reverse("accounts:session_end", args=[row.public_id])).status_code == 405


def test_end_all_sessions_signs_a_person_out_everywhere(world: World) -> None:
    first = sign_in(Client(), world.iv)
    second = sign_in(Client(), world.iv)
    # A session from before sessions were recorded: in the store, but with no row.
    third = sign_in(Client(), world.iv)
    UserSession.objects.filter(session_key=third.session.session_key).delete()
    bystander = sign_in(Client(), world.other_iv)

    assert end_all_sessions(user=world.iv) == 3
    for client in (first, second, third):
        assert client.get("/")["Location"].startswith(LOGIN)
    assert not UserSession.objects.filter(user=world.iv).exists()
    assert bystander.get("/").status_code == 200
    assert end_all_sessions(user=world.iv) == 0


def test_changing_the_password_signs_out_other_devices(world: World) -> None:
    here = sign_in(Client(), world.iv)
    there = sign_in(Client(), world.iv)
    response = here.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new passphrase 42",
            "new_password2": "a brand new passphrase 42",
        },
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    assert here.get("/").status_code == 200
    assert there.get("/")["Location"].startswith(LOGIN)
    rows = UserSession.objects.filter(user=world.iv)
    assert [r.session_key for r in rows] == [here.session.session_key]


def test_password_change_errors_sit_next_to_their_fields(world: World, client_for) -> None:
    client = client_for(world.iv)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": "short", "new_password2": "other"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_old_password_error"' in body and "not your current password" in body
    assert 'id="id_new_password1_error"' in body and "too short" in body
    assert 'id="id_new_password2_error"' in body and "not the same" in body
    assert "not-it" not in body and 'value="short"' not in body


def test_session_rows_that_cannot_be_alive_are_not_listed(
    world: World, client: Client, time_machine
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    sign_in(Client(), world.iv)  # a browser never used again
    time_machine.shift(timedelta(hours=13))
    sign_in(client, world.iv)
    page = client.get(reverse("accounts:sessions")).content.decode()
    assert page.count('class="card mb-3"') == 1
    from accounts.services import user_sessions_prune

    assert user_sessions_prune() == 1


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        ("", "Unknown device"),
        (UA_PHONE, "Chrome on Android"),
        (UA_DESKTOP, "Firefox on Windows"),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_0) Version/17.0 Mobile/15E148 Safari/604.1",
            "Safari on iPad",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge on Windows",
        ),
        ("curl/8.0", "Unknown browser"),
    ],
)
def test_devices_have_short_names(agent: str, expected: str) -> None:
    assert describe_user_agent(agent) == expected


def test_expired_store_sessions_are_not_scanned(world: World) -> None:
    client = sign_in(Client(), world.iv)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(days=1)
    )
    UserSession.objects.all().delete()
    assert end_all_sessions(user=world.iv) == 0

"""Resetting a password by email; the same "Choose your password" page serves invitations."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User, UserSession
from accounts.tests.conftest import sign_in
from tests.personas import World

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
NEW = "lantern harbour violet 93"


def link_from_email() -> str:
    assert len(mail.outbox) == 1
    body = str(mail.outbox[0].body)
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_reset_by_email_end_to_end(world: World, client: Client) -> None:
    other_browser = sign_in(Client(), world.iv)
    response = client.post(RESET, {"email": "IV@North.test"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert "Check your email" in client.get(response["Location"]).content.decode()
    message = mail.outbox[0]
    assert message.to == [world.iv.email]
    assert message.subject == "Choose your ivscheme password"
    assert "Hello Ivy Visitor" in message.body

    link = link_from_email()
    response = client.get(link)  # Django swaps the token for a session marker, then shows
    assert response.status_code == 302
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "Choose your password" in body and body.count("<h1") == 1
    response = client.post(response["Location"], {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert "Password saved" in client.get(response["Location"]).content.decode()

    world.iv.refresh_from_db()
    assert world.iv.check_password(NEW)
    # Every session of the account has ended; the new password signs in.
    assert other_browser.get("/")["Location"].startswith(reverse("accounts:login"))
    assert not UserSession.objects.filter(user=world.iv).exists()
    sign_in(Client(), world.iv, password=NEW)
    # The link worked once.
    assert "does not work any more" in Client().get(link).content.decode()


def test_unknown_addresses_get_the_same_answer_and_no_email(world: World, client: Client) -> None:
    response = client.post(RESET, {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_mistyped_address_is_kept_and_explained(world: World, client: Client) -> None:
    body = client.post(RESET, {"email": "ivy.at.example"}).content.decode()
    assert 'id="id_email_error"' in body and "Enter an email address like" in body
    assert 'value="ivy.at.example"' in body


def test_a_weak_or_mismatched_password_is_explained_next_to_its_box(
    world: World, client: Client
) -> None:
    client.post(RESET, {"email": world.iv.email})
    url = client.get(link_from_email())["Location"]
    body = client.post(url, {"new_password1": "password", "new_password2": "password"}).content
    text = body.decode()
    assert 'id="id_new_password1_error"' in text
    assert "too short" in text and "too common" in text
    text = client.post(url, {"new_password1": NEW, "new_password2": NEW + "x"}).content.decode()
    assert 'id="id_new_password2_error"' in text and "not the same" in text
    assert NEW not in text  # passwords are never sent back


def test_a_broken_link_says_so(world: World, client: Client) -> None:
    uid = urlsafe_base64_encode(force_bytes(world.iv.pk))
    url = reverse("accounts:password_reset_confirm", args=[uid, "bad-token"])
    body = client.get(url).content.decode()
    assert "does not work any more" in body
    assert reverse("accounts:password_reset") in body


def test_an_invited_person_chooses_their_first_password(world: World, client: Client) -> None:
    invited = User.objects.create_user("new.iv@example.org", None, full_name="Nia New")
    assert not invited.has_usable_password()
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    token = default_token_generator.make_token(invited)
    response = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]))
    form_url = response["Location"]
    body = client.get(form_url).content.decode()
    assert "Choose your password" in body and "new.iv@example.org" in body
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    invited.refresh_from_db()
    assert invited.check_password(NEW)


def test_setting_a_password_from_the_email_lifts_a_lockout(world: World, client: Client) -> None:
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": world.iv.email, "password": "nope"})
    locked = client.post(reverse("accounts:login"), {"username": world.iv.email, "password": "x"})
    assert locked.status_code == 429
    client.post(RESET, {"email": world.iv.email})
    url = client.get(link_from_email())["Location"]
    client.post(url, {"new_password1": NEW, "new_password2": NEW})
    sign_in(Client(), world.iv, password=NEW)


def test_sign_in_page_links_to_the_reset(client: Client) -> None:
    assert RESET in client.get(reverse("accounts:login")).content.decode()

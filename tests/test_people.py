"""Inviting people, changing roles and ending them: nobody grants above their own role."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, Role, User
from tests.personas import PASSWORD, World

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("no_second_factor")]


def signed_in(user, *, sudo: bool = False) -> Client:
    client = Client()
    client.force_login(user)
    if sudo:
        client.post(reverse("accounts:sudo"), {"password": PASSWORD})
    return client


def test_invite_emails_a_one_time_link_that_sets_a_password(world: World) -> None:
    client = signed_in(world.coordinator)
    response = client.post(
        reverse("people:invite", args=["north"]),
        {
            "full_name": "Nina New",
            "email": "Nina.New@example.org",
            "role": Role.INDEPENDENT_VISITOR,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nina.new@example.org")
    assert not user.has_usable_password()
    assert Membership.objects.filter(
        user=user, scheme=world.north, role="iv", is_active=True
    ).exists()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "North IV Scheme" in body
    found = re.search(r"http://testserver(/accounts/\S+)", str(body))
    assert found is not None, body
    link = found.group(1)

    visitor = Client()
    form_page = visitor.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "a-brand-new-passphrase-2026"
    done = visitor.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    # The link works once.
    again = Client().get(link, follow=True)
    assert "new_password1" not in again.content.decode()


def test_coordinator_cannot_grant_a_manager_role(world: World) -> None:
    client = signed_in(world.coordinator)
    page = client.get(reverse("people:invite", args=["north"])).content.decode()
    assert "Team manager" not in page and "Service manager" not in page
    response = client.post(
        reverse("people:invite", args=["north"]),
        {"full_name": "Sneaky Person", "email": "sneaky@example.org", "role": "manager:team"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert 'value="sneaky@example.org"' in response.content.decode()  # kept what was typed
    assert not User.objects.filter(email="sneaky@example.org").exists()


def test_team_manager_can_grant_team_but_not_service_manager(world: World) -> None:
    page = signed_in(world.manager).get(reverse("people:invite", args=["north"])).content.decode()
    assert "Team manager" in page and "Service manager" not in page
    assert "Complaints manager" not in page


def test_role_change_needs_a_fresh_password(world: World) -> None:
    membership = world.other_iv.memberships.get()
    url = reverse("people:change_role", args=[membership.public_id])
    response = signed_in(world.coordinator).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sudo"))
    client = signed_in(world.coordinator, sudo=True)
    response = client.post(url, {"role": Role.COORDINATOR})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR


def test_nobody_changes_their_own_role(world: World) -> None:
    own = world.coordinator.memberships.get()
    client = signed_in(world.coordinator, sudo=True)
    response = client.post(reverse("people:change_role", args=[own.public_id]), {"role": "iv"})
    assert response.status_code == 200
    assert "cannot change your own role" in response.content.decode()


def test_coordinator_cannot_touch_a_managers_role(world: World) -> None:
    manager_membership = world.manager.memberships.get()
    client = signed_in(world.coordinator, sudo=True)
    response = client.post(
        reverse("people:change_role", args=[manager_membership.public_id]), {"role": "iv"}
    )
    assert response.status_code == 200
    assert "above your own" in response.content.decode()
    response = client.post(reverse("people:deactivate", args=[manager_membership.public_id]))
    manager_membership.refresh_from_db()
    assert manager_membership.is_active


def test_ending_the_last_role_deactivates_and_signs_out_everywhere(world: World) -> None:
    victim = Client()
    victim.force_login(world.other_iv)
    assert victim.get(reverse("portal:home")).status_code == 200
    membership = world.other_iv.memberships.get()
    client = signed_in(world.coordinator, sudo=True)
    response = client.post(reverse("people:deactivate", args=[membership.public_id]))
    assert response.status_code == 302
    world.other_iv.refresh_from_db()
    assert not world.other_iv.is_active
    response = victim.get(reverse("portal:home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

"""Issue 19, items 1 and 3: nobody grants a role to themselves; only the organisation's
service manager grants the organisation-wide data protection officer, and each grant is
recorded and told to the other managers; a deactivated account comes back only through a
manager, with a new password from the one-time link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts.models import ManagerLevel, Membership, Role, User
from accounts.services import people as people_services
from accounts.tests.conftest import add_totp, code_for, sign_in
from notifications.models import Notification
from tests.personas import PASSWORD, World, join, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor")]

DPO = Role.DATA_PROTECTION_OFFICER.value


def service_manager(world: World, *, schemes: tuple[str, ...] = ("north", "south")) -> User:
    user = make_user("service@org.test", "Sally Service")
    for slug in schemes:
        join(user, getattr(world, slug), Role.MANAGER, ManagerLevel.SERVICE)
    return user


def invite(client: Client, email: str, role: str, slug: str = "north"):
    return client.post(
        reverse("people:invite", args=[slug]),
        {"full_name": "Some One", "email": email, "role": role},
    )


def test_a_service_manager_cannot_make_themselves_dpo(world: World) -> None:
    sally = service_manager(world)
    client = Client()
    client.force_login(sally)
    response = invite(client, sally.email.upper(), DPO)
    assert response.status_code == 200
    assert "cannot give yourself a role" in response.content.decode()
    assert not Membership.objects.filter(user=sally, role=DPO).exists()
    # Nor any other role (here a second manager role in a scheme they already manage).
    response = invite(client, sally.email, Role.COORDINATOR)
    assert "cannot give yourself a role" in response.content.decode()
    assert not Membership.objects.filter(user=sally, role=Role.COORDINATOR).exists()


def test_only_the_organisations_service_manager_can_grant_dpo(world: World) -> None:
    # A service manager of north only: no authority over south, so no DPO to give.
    sally = service_manager(world, schemes=("north",))
    client = Client()
    client.force_login(sally)
    page = client.get(reverse("people:invite", args=["north"])).content.decode()
    assert "Data protection officer" not in page
    response = invite(client, "crony@example.org", DPO)
    assert response.status_code == 200
    assert not Membership.objects.filter(user__email="crony@example.org").exists()
    # Changing someone's role to DPO is refused in the same way.
    membership = world.coordinator.memberships.get()
    with pytest.raises(PermissionDenied):
        people_services.membership_change_role(actor=sally, membership=membership, role=DPO)
    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR


def test_granting_dpo_is_recorded_and_tells_the_other_managers(
    world: World, django_capture_on_commit_callbacks
) -> None:
    sally = service_manager(world)
    client = Client()
    client.force_login(sally)
    page = client.get(reverse("people:invite", args=["north"])).content.decode()
    assert "Data protection officer" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, "new.dpo@example.org", DPO)
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="new.dpo@example.org", role=DPO)
    record = membership.history.get()  # type: ignore[attr-defined]
    assert record.history_user == sally and record.history_type == "+"
    told = set(
        Notification.objects.filter(key__startswith="dpo-granted:").values_list(
            "user__email", flat=True
        )
    )
    # The organisation's other managers and its existing data protection officer.
    assert told == {world.manager.email, world.dpo.email}
    title = Notification.objects.filter(user=world.manager).get(key__startswith="dpo-").title
    assert "Sally Service" in title and "data protection officer" in title


def test_a_superuser_cannot_change_their_own_access_in_the_admin(world: World, settings) -> None:
    settings.OTP_REQUIRED = True
    root = User.objects.create_superuser("root@example.org", "a-long-admin-password")
    other = User.objects.create_superuser("root2@example.org", "a-long-admin-password")
    device = add_totp(root)
    client = Client()
    client.force_login(root)
    client.post("/accounts/two-step/code/", {"code": code_for(device)})
    own = client.get(f"/admin/accounts/user/{root.pk}/change/").content.decode()
    assert own.count('name="email"') == 1  # the page is the change form
    assert 'name="is_superuser"' not in own and 'name="groups"' not in own
    theirs = client.get(f"/admin/accounts/user/{other.pk}/change/").content.decode()
    assert 'name="is_superuser"' in theirs


def deactivate_other_iv(world: World) -> User:
    people_services.membership_deactivate(
        actor=world.manager, membership=world.other_iv.memberships.get()
    )
    world.other_iv.refresh_from_db()
    assert not world.other_iv.is_active
    return world.other_iv


def test_a_coordinator_cannot_bring_back_a_deactivated_account(world: World) -> None:
    person = deactivate_other_iv(world)
    client = Client()
    client.force_login(world.coordinator)
    response = invite(client, person.email, Role.SOCIAL_WORKER)
    assert response.status_code == 200
    assert "Only a manager of the scheme can bring it back" in response.content.decode()
    person.refresh_from_db()
    assert not person.is_active
    assert not Membership.objects.filter(user=person, is_active=True).exists()


def test_a_manager_brings_it_back_with_a_new_password_only(
    world: World, django_capture_on_commit_callbacks
) -> None:
    person = deactivate_other_iv(world)
    client = Client()
    client.force_login(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, person.email, Role.SOCIAL_WORKER)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active and not person.has_usable_password()
    # The old password no longer signs in.
    refused = Client().post(
        reverse("accounts:login"), {"username": person.email, "password": PASSWORD}
    )
    assert refused.status_code == 200
    # The one-time link in the invitation sets a new one, which does.
    found = re.search(r"http://testserver(/accounts/\S+)", str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    visitor = Client()
    form_page = visitor.get(found.group(1), follow=True)
    new_password = "a-brand-new-passphrase-2026"
    done = visitor.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    sign_in(Client(), person, new_password)

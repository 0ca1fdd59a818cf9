"""Who sees which child, through every page that shows one."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AccessLog
from matches import services as match_services
from referrals import selectors, services
from tests.personas import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor")]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_iv_sees_no_child_record_only_the_visit_card(world: World) -> None:
    iv = signed_in(world.iv)
    assert list(selectors.children_visible_to(world.iv)) == []
    listing = iv.get(reverse("children:list")).content.decode()
    assert "Amy" not in listing and "Atkins" not in listing
    card = iv.get(reverse("children:visit_card", args=[world.child.public_id]))
    assert card.status_code == 200
    text = card.content.decode()
    assert "Amy" in text and "Atkins" not in text  # never the surname
    home = iv.get(reverse("portal:home")).content.decode()
    assert "Amy" in home and "Atkins" not in home


def test_iv_loses_the_visit_card_when_the_match_closes(world: World) -> None:
    match_services.match_close(
        actor=world.coordinator, match=world.match, ended_on=date(2026, 11, 1)
    )
    response = signed_in(world.iv).get(reverse("children:visit_card", args=[world.child.public_id]))
    assert response.status_code == 404
    response = signed_in(world.iv).get(reverse("matches:detail", args=[world.match.public_id]))
    assert response.status_code == 404


def test_other_iv_and_other_scheme_iv_get_404(world: World) -> None:
    for person in (world.other_iv, world.south_iv):
        response = signed_in(person).get(
            reverse("children:visit_card", args=[world.child.public_id])
        )
        assert response.status_code == 404


def test_social_worker_sees_only_allocated_children(world: World) -> None:
    assert set(selectors.children_visible_to(world.social_worker)) == {
        world.child,
        world.referral.child,
    }
    assert list(selectors.children_visible_to(world.other_social_worker)) == []
    listing = signed_in(world.other_social_worker).get(reverse("children:list")).content.decode()
    assert "Amy" not in listing


def test_reallocation_moves_the_grant(world: World) -> None:
    services.child_update(
        actor=world.coordinator, child=world.child, social_worker=world.other_social_worker
    )
    url = reverse("children:detail", args=[world.child.public_id])
    assert signed_in(world.social_worker).get(url).status_code == 404
    assert signed_in(world.other_social_worker).get(url).status_code == 200


def test_nobody_sees_another_schemes_children(world: World) -> None:
    for person in (world.other_coordinator, world.south_social_worker, world.south_iv):
        client = signed_in(person)
        assert (
            client.get(reverse("children:detail", args=[world.child.public_id])).status_code == 404
        )
        listing = client.get(reverse("children:list"), {"q": "Amy"}).content.decode()
        assert "Atkins" not in listing
    # and the search of north's coordinator does not find south's child
    listing = (
        signed_in(world.coordinator).get(reverse("children:list"), {"q": "Ben"}).content.decode()
    )
    assert "Barker" not in listing


def test_complaints_manager_sees_no_child(world: World) -> None:
    assert list(selectors.children_visible_to(world.complaints_manager)) == []


def test_search_by_name_and_case_number(world: World) -> None:
    client = signed_in(world.coordinator)
    assert "Atkins" in client.get(reverse("children:list"), {"q": "atk"}).content.decode()
    assert "Atkins" in client.get(reverse("children:list"), {"q": "N-1001"}).content.decode()


def test_history_and_access_log_for_create_edit_and_view(world: World) -> None:
    coordinator = signed_in(world.coordinator)
    response = coordinator.post(
        reverse("children:create"),
        {
            "first_name": "Cara",
            "last_name": "Doyle",
            "date_of_birth": "2013-04-01",
            "case_number": "N-2002",
            "social_worker": world.social_worker.pk,
            "iv_gender_preference": "none",
            "photo_consent": "ask",
        },
    )
    assert response.status_code == 302
    child = selectors.children_visible_to(world.coordinator).get(case_number="N-2002")
    response = coordinator.post(
        reverse("children:edit", args=[child.public_id]),
        {
            "first_name": "Cara",
            "last_name": "Doyle-Smith",
            "date_of_birth": "2013-04-01",
            "case_number": "N-2002",
            "social_worker": world.social_worker.pk,
            "iv_gender_preference": "none",
            "photo_consent": "ask",
        },
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    coordinator.get(reverse("children:detail", args=[child.public_id]), REMOTE_ADDR="10.1.2.3")

    history = list(child.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert all(h.history_user == world.coordinator for h in history)
    log = AccessLog.objects.filter(record_public_id=child.public_id, action="view").get()
    assert log.user == world.coordinator and log.ip_address == "10.1.2.3"
    # Opening the record to change it is a read too (the door logs it, since issue 20).
    edit = AccessLog.objects.filter(record_public_id=child.public_id, action="edit").get()
    assert edit.user == world.coordinator and edit.ip_address == "10.1.2.3"

    # A manager sees both on the record's page; a coordinator does not see the panels.
    page = signed_in(world.manager).get(reverse("children:detail", args=[child.public_id]))
    text = page.content.decode()
    assert "Changes to this record" in text and "Who has viewed this record" in text
    assert "Changed: surname" in text and "Cora North" in text and "10.1.2.3" in text
    own = coordinator.get(reverse("children:detail", args=[child.public_id])).content.decode()
    assert "Who has viewed this record" not in own


def test_bad_input_keeps_what_was_typed(world: World) -> None:
    response = signed_in(world.coordinator).post(
        reverse("children:create"),
        {
            "first_name": "Dana",
            "last_name": "Evans",
            "date_of_birth": "2099-01-01",
            "case_number": "N-3003",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "The date of birth cannot be in the future." in text
    assert 'value="Dana"' in text and 'value="Evans"' in text and 'value="N-3003"' in text


def test_duplicate_case_number_is_a_clear_error(world: World) -> None:
    response = signed_in(world.coordinator).post(
        reverse("children:create"),
        {
            "first_name": "Amy",
            "last_name": "Atkins",
            "date_of_birth": "2014-05-17",
            "case_number": "N-1001",
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_social_worker_cannot_allocate_someone_else(world: World) -> None:
    response = signed_in(world.social_worker).get(
        reverse("children:edit", args=[world.child.public_id])
    )
    assert response.status_code == 200
    assert "Allocated social worker" not in response.content.decode()

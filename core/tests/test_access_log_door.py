"""The access log is written inside the one door (core.audit.record_read), once per request,
and only for a person looking at a page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AccessLog
from referrals import selectors
from tests.personas import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor")]


def _rows(world: World) -> int:
    return AccessLog.objects.filter(
        record_type="referrals.child", record_public_id=world.child.public_id
    ).count()


def test_a_selector_called_outside_a_request_writes_no_row(world: World) -> None:
    before = _rows(world)
    selectors.child_get_for_user(user=world.coordinator, public_id=world.child.public_id)
    assert _rows(world) == before


def test_each_page_view_writes_one_row_with_its_path(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)
    url = reverse("children:detail", args=[world.child.public_id])
    before = _rows(world)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert _rows(world) == before + 2
    row = AccessLog.objects.filter(record_public_id=world.child.public_id).latest("at")
    assert (row.user, row.action, row.path) == (world.coordinator, "view", url)


def test_the_edit_door_refuses_who_may_only_read_and_logs_the_edit(world: World) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.child_get_for_user(user=world.iv, public_id=world.child.public_id, purpose="edit")
    client = Client()
    client.force_login(world.coordinator)
    assert client.get(reverse("children:edit", args=[world.child.public_id])).status_code == 200
    row = AccessLog.objects.filter(record_public_id=world.child.public_id).latest("at")
    assert row.action == "edit"


def test_the_iv_home_visit_card_is_logged(world: World) -> None:
    client = Client()
    client.force_login(world.iv)
    assert client.get(reverse("portal:home")).status_code == 200
    assert AccessLog.objects.filter(
        user=world.iv, record_public_id=world.child.public_id, action="view_visit_card"
    ).exists()

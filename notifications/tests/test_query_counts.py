"""Lists whose query count must not grow with their rows (at 10 and at 200)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matches.models import Match
from notifications.models import Notification
from referrals.models import Child
from safeguarding.models import Concern
from tests.personas import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor")]
BUDGET = 16


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("rows", [10, 200])
def test_notification_list(world: World, rows: int, django_assert_max_num_queries) -> None:
    Notification.objects.bulk_create(
        [Notification(user=world.coordinator, title=f"Item {i}", key=f"k{i}") for i in range(rows)]
    )
    client = client_for(world.coordinator)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("notifications:list"))
    assert response.content.decode().count("Item ") >= min(rows, 30)


@pytest.mark.parametrize("rows", [10, 200])
def test_my_children(world: World, rows: int, django_assert_max_num_queries) -> None:
    from referrals import services

    for i in range(rows):
        services.child_create(
            actor=world.coordinator, scheme=world.north, first_name=f"Kid{i}", last_name="Test",
            date_of_birth=date(2013, 1, 1), social_worker=world.social_worker,
        )  # fmt: skip
    client = client_for(world.social_worker)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("matches:my_children"))
    assert response.content.decode().count("Kid") >= rows


@pytest.mark.parametrize("rows", [10, 200])
def test_concerns_i_raised(world: World, rows: int, django_assert_max_num_queries) -> None:
    now = timezone.now()
    Concern.objects.bulk_create(
        [
            Concern(
                scheme=world.north, child=world.child, raised_by=world.iv, kind="concern",
                category="bullying", what_happened="x", occurred_at=now, told_child="yes",
                acknowledge_by=now + timedelta(days=1),
            )
            for _ in range(rows)
        ]
    )  # fmt: skip
    client = client_for(world.iv)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("safeguarding:mine"))
    assert response.content.decode().count("Bullying") >= min(rows, 30)


@pytest.mark.parametrize("rows", [10, 200])
def test_lapsed_contact_page(world: World, rows: int, django_assert_max_num_queries) -> None:
    from accounts.models import Membership, Role, User

    ivs = User.objects.bulk_create(
        [User(email=f"lapsed{i}@example.org", full_name=f"Lapsed IV {i}") for i in range(rows)]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, scheme=world.north, role=Role.INDEPENDENT_VISITOR) for u in ivs]
    )
    kids = Child.objects.bulk_create(
        [
            Child(
                scheme=world.north,
                first_name=f"L{i}",
                last_name="T",
                date_of_birth=date(2013, 1, 1),
            )
            for i in range(rows)
        ]
    )
    Match.objects.bulk_create(
        [
            Match(scheme=world.north, child=k, volunteer=u, status="established",
                  started_on=date(2025, 1, 1))
            for k, u in zip(kids, ivs, strict=True)
        ]
    )  # fmt: skip
    client = client_for(world.coordinator)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("visits:lapsed"))
    assert response.content.decode().count("Lapsed IV") >= rows

"""Lists must not run a query per row: the count is the same at 10 and at 200 rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from referrals.models import Child
from tests.personas import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor")]

BUDGET = 14  # session, user, memberships, guardian, the list, and the page's own reads


def add_children(world: World, n: int) -> None:
    Child.objects.bulk_create(
        [
            Child(
                scheme=world.north,
                first_name=f"Kid{i}",
                last_name="Test",
                date_of_birth=date(2013, 1, 1),
                social_worker=world.social_worker,
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("rows", [10, 200])
def test_children_list_queries_do_not_grow(
    world: World, rows: int, django_assert_max_num_queries
) -> None:
    add_children(world, rows)
    client = Client()
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("children:list"))
    assert response.status_code == 200
    assert response.content.decode().count("Kid") >= min(rows, 48)
    if rows > 50:
        assert "Showing 1–50 of" in response.content.decode()


@pytest.mark.parametrize("rows", [10, 200])
def test_people_list_queries_do_not_grow(
    world: World, rows: int, django_assert_max_num_queries
) -> None:
    from accounts.models import Membership, Role, User

    users = User.objects.bulk_create(
        [User(email=f"p{i}@example.org", full_name=f"Person {i}") for i in range(rows)]
    )
    Membership.objects.bulk_create(
        [Membership(user=u, scheme=world.north, role=Role.INDEPENDENT_VISITOR) for u in users]
    )
    client = Client()
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("people:list", args=["north"]))
    assert response.status_code == 200
    assert response.content.decode().count("Person ") >= rows


def make_referrals(world: World, n: int, status: str) -> None:
    from django.utils import timezone

    from referrals.models import Referral

    add_children(world, n)
    kids = list(Child.objects.filter(first_name__startswith="Kid"))
    Referral.objects.bulk_create(
        [
            Referral(
                scheme=world.north, child=kid, referred_by=world.social_worker, status=status,
                reason="child_interest", received_at=timezone.now(),
                waiting_since=date(2026, 1, 1) if status == "waiting" else None,
            )
            for kid in kids
        ]
    )  # fmt: skip


@pytest.mark.parametrize("rows", [10, 200])
def test_inbox_queries_do_not_grow(world: World, rows: int, django_assert_max_num_queries) -> None:
    make_referrals(world, rows, "received")
    client = Client()
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("referrals:inbox"))
    assert response.content.decode().count("Kid") >= min(rows, 49)


@pytest.mark.parametrize("rows", [10, 200])
def test_waiting_list_queries_do_not_grow(
    world: World, rows: int, django_assert_max_num_queries
) -> None:
    make_referrals(world, rows, "waiting")
    client = Client()
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse("referrals:waiting"), {"min_age": "5"})
    assert response.content.decode().count("Kid") >= min(rows, 50)


@pytest.mark.parametrize("rows", [10, 200])
def test_child_page_queries_do_not_grow(
    world: World, rows: int, django_assert_max_num_queries
) -> None:
    """A child with many placements, reviews, allocations and changes: still a fixed count."""
    from referrals import services

    child = world.child
    for i in range(rows):
        services.review_record(
            actor=world.coordinator,
            child=child,
            held_on=date(2020, 1, 1),
            iv_considered=bool(i % 2),
        )
    for i in range(min(rows, 60)):
        services.child_update(actor=world.coordinator, child=child, interests=f"interest {i}")
    client = Client()
    client.force_login(world.manager)  # the manager's page also shows history and access log
    client.get(reverse("children:detail", args=[child.public_id]))
    with django_assert_max_num_queries(BUDGET + 16):
        response = client.get(reverse("children:detail", args=[child.public_id]))
    assert response.status_code == 200

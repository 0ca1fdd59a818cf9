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
    assert response.content.decode().count("Kid") >= min(rows, 49)
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

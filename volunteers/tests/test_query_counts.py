"""The board and the list run the same number of queries at 10 and at 200 volunteers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.personas import World
from volunteers.models import PIPELINE_STAGES, StageChange, Volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor")]

BUDGET = 12  # session, user, memberships, the volunteers, and the page's own reads


def add_volunteers(world: World, n: int) -> None:
    volunteers = Volunteer.objects.bulk_create(
        [
            Volunteer(
                scheme=world.north,
                reference=f"IV-Q{i:05d}",
                first_name=f"Vee{i}",
                last_name="Count",
                email=f"v{i}@example.org",
                stage=PIPELINE_STAGES[i % len(PIPELINE_STAGES)],
            )
            for i in range(n)
        ]
    )
    StageChange.objects.bulk_create(
        [StageChange(volunteer=v, to_status=v.stage, at=timezone.now()) for v in volunteers]
    )


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize("url_name", ["volunteers:board", "volunteers:list"])
def test_queries_do_not_grow(
    world: World, rows: int, url_name: str, django_assert_max_num_queries
) -> None:
    add_volunteers(world, rows)
    client = Client()
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response.content.decode().count("Vee") >= min(rows, 50)

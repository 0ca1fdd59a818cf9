"""Pages must not run a query per row: the same count at 10 and 200 visits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.personas import World
from visits.models import Visit, VisitReport, VisitStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor")]

BUDGET = 16


def add_visits(world: World, n: int) -> None:
    import uuid

    now = timezone.now()
    visits = Visit.objects.bulk_create(
        [
            Visit(
                scheme=world.north,
                match=world.match,
                starts_at=now - timedelta(days=i + 1),
                expected_end=now - timedelta(days=i + 1) + timedelta(hours=2),
                kind="face_to_face",
                status=[VisitStatus.HELD, VisitStatus.CANCELLED][i % 2],
                checked_in_at=now - timedelta(days=i + 1) if i % 2 == 0 else None,
                checked_out_at=now - timedelta(days=i + 1, hours=-1) if i % 2 == 0 else None,
                cancelled_by="carer" if i % 2 else "",
                cancel_reason="Ill" if i % 2 else "",
                carer_sanction=bool(i % 4 == 1) if i % 2 else None,
            )
            for i in range(n)
        ]
    )
    VisitReport.objects.bulk_create(
        [
            VisitReport(
                scheme=world.north,
                visit=v,
                author=world.iv,
                client_id=uuid.uuid4(),
                what_we_did="x",
                how_child_seemed="y",
                submitted_at=now,
            )
            for v in visits[::2][: n // 4]
        ]
    )
    Visit.objects.bulk_create(
        [
            Visit(
                scheme=world.north,
                match=world.match,
                starts_at=now + timedelta(days=i + 1),
                expected_end=now + timedelta(days=i + 1, hours=2),
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize(
    ("persona", "url_name"),
    [
        ("iv", "portal:home"),
        ("iv", "visits:list"),
        ("coordinator", "visits:list"),
        ("social_worker", "visits:list"),
        ("coordinator", "visits:report_queue"),
    ],
)
def test_queries_do_not_grow(
    world: World, rows: int, persona: str, url_name: str, django_assert_max_num_queries
) -> None:
    add_visits(world, rows)
    client = Client()
    client.force_login(world.people[persona])
    with django_assert_max_num_queries(BUDGET):
        response = client.get(reverse(url_name))
    assert response.status_code == 200

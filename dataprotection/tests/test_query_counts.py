"""The data protection lists answer in a fixed number of queries, at 10 rows and at 200."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from dataprotection.models import DestructionRecord, DueRecord, LegalHold
from referrals.models import Child
from tests.personas import World

pytestmark = pytest.mark.django_db


def _children(world: World, n: int) -> list[Child]:
    return Child.objects.bulk_create(
        [
            Child(
                scheme=world.north if i % 2 else world.south,
                first_name=f"Quinn{i}",
                last_name="Counted",
                date_of_birth=date(2012, 1, 1),
            )
            for i in range(n)
        ]
    )


def _holds(world: World, n: int) -> None:
    now = timezone.now()
    LegalHold.objects.bulk_create(
        [
            LegalHold(
                scheme_id=child.scheme_id,
                child=child,
                reason_kind="police",
                reason=f"Ref {i}",
                placed_by=world.manager,
                placed_at=now,
            )
            for i, child in enumerate(_children(world, n))
        ]
    )


def _destructions(world: World, n: int) -> None:
    now = timezone.now()
    DestructionRecord.objects.bulk_create(
        [
            DestructionRecord(
                scheme=world.north if i % 2 else world.south,
                record_type="complaint",
                action="destroyed",
                count=i + 1,
                approved_by=world.manager,
                approved_at=now,
            )
            for i in range(n)
        ]
    )


def _due(world: World, n: int) -> None:
    DueRecord.objects.bulk_create(
        [
            DueRecord(
                scheme=world.north if i % 2 else world.south,
                record_type="complaint",
                object_pk=50_000 + i,
                label=f"Record {i}",
                due_on=date(2026, 1, 1),
            )
            for i in range(n)
        ]
    )
    _holds(world, n)


PAGES = [
    ("dataprotection:holds", "", _holds),
    ("dataprotection:destructions", "", _destructions),
    ("dataprotection:find", "?q=Counted", _children),
    ("dataprotection:index", "", _due),
]


@pytest.mark.parametrize("n", [10, 200])
@pytest.mark.parametrize(("name", "query", "make"), PAGES, ids=[p[0] for p in PAGES])
def test_list_query_count_does_not_grow(
    world: World, client: Any, django_assert_max_num_queries: Any, no_second_factor: Any,
    name: str, query: str, make: Any, n: int,
) -> None:  # fmt: skip
    make(world, n)
    client.force_login(world.dpo)
    url = reverse(name) + query
    client.get(url)  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200

"""Two coordinators start a match for the same IV at the same moment, on two connections:
the partial unique index refuses the second, whatever the services checked first."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from matches import services
from matches.models import Match, MatchStatus
from matches.tests.helpers import another_child
from tests.personas import World

pytestmark = [pytest.mark.django_db(transaction=True)]


def _race(targets: list[Match], actor: object) -> list[BaseException | None]:
    barrier = threading.Barrier(len(targets))
    results: list[BaseException | None] = [None] * len(targets)

    def run(i: int, match: Match) -> None:
        try:
            barrier.wait()
            services.match_start(actor=actor, match=match, started_on=date(2026, 3, 1))  # type: ignore[arg-type]
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, m)) for i, m in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("same", ["volunteer", "child"])
def test_concurrent_second_active_match_is_refused(world: World, same: str) -> None:
    services.match_close(actor=world.coordinator, match=world.match, ended_on=date(2026, 2, 1))
    if same == "volunteer":
        a = services.match_create(
            actor=world.coordinator, child=another_child(world, "Dee"), volunteer=world.other_iv
        )
        b = services.match_create(
            actor=world.coordinator, child=another_child(world, "Eve"), volunteer=world.other_iv
        )
    else:
        a = services.match_create(actor=world.coordinator, child=world.child, volunteer=world.iv)
        b = services.match_create(
            actor=world.coordinator, child=world.child, volunteer=world.other_iv
        )
    results = _race([a, b], world.coordinator)
    failures = [r for r in results if r is not None]
    assert len(failures) == 1, results
    assert isinstance(failures[0], IntegrityError | ValidationError)
    started = Match.objects.filter(pk__in=[a.pk, b.pk], status=MatchStatus.INTRODUCTION)
    assert started.count() == 1
    if isinstance(failures[0], IntegrityError):
        assert "match_one_active_per" in str(failures[0])

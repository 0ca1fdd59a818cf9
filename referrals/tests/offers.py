"""The check of ADR 0011's "What a page offers", shared by the apps' tests: for each person
the record's door lets through, the actions a page offers against each action's real service,
run inside a savepoint that is always rolled back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from core.refusals import NotAllowed
from tests.personas import PERSONAS, World

# Everyone with a role somewhere: the door decides who of them sees each record.
PEOPLE = tuple(p for p in PERSONAS if p != "anonymous")


class _Rollback(Exception):
    pass


def allowed(call: Callable[[], object]) -> bool:
    """Whether the service does it: refused is NotAllowed (the person) or a ValidationError
    (the record's state). Nothing is kept either way."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return True
    except (NotAllowed, ValidationError):
        return False


@dataclass
class Offers:
    seen: set[str] = field(default_factory=set)  # who the door let through
    offered: set[str] = field(default_factory=set)  # every action offered to any of them
    wrong: list[str] = field(default_factory=list)  # "who action: offered=…, allows=…"


def check_offers(
    world: World,
    door: Callable[[Any], Any],
    actions: Callable[[Any, Any], set[str]],
    runs: Callable[[Any, Any], dict[str, Callable[[], object]]],
) -> Offers:
    """`door(user)` reads the record as that person (Http404: they cannot see it);
    `actions(user, record)` is what its page offers; `runs(user, record)` each action's
    service with inputs it takes."""
    result = Offers()
    for name in PEOPLE:
        user = getattr(world, name)
        try:
            record = door(user)
        except Http404:
            continue
        result.seen.add(name)
        offered = actions(user, record)
        services = runs(user, record)
        assert offered <= set(services), f"no service in the test for {offered - set(services)}"
        result.offered |= offered
        for action, run in services.items():
            if (ok := allowed(run)) != (action in offered):
                result.wrong.append(f"{name} {action}: offered={action in offered}, allows={ok}")
    return result

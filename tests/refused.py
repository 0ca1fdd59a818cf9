"""For the tests of a record's `<record>_actions(user, record)`: run one action's real service
inside a savepoint that is always rolled back (nothing is kept), and say how it was refused."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from core.refusals import NotAllowed


class _Rollback(Exception):
    """Raised inside the savepoint after the service ran, so that its writes are undone."""


def refusal(call: Callable[[], object]) -> Exception | None:
    """The refusal of `call()` (NotAllowed, or a ValidationError: a wrong state), or None when
    the service did what it was asked; either way its writes are rolled back."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return None
    except (NotAllowed, ValidationError) as exc:
        return exc


def assert_offered_exactly_when_made(
    offered: set[str], writes: Mapping[str, Callable[[], object]], who: str
) -> None:
    """Each of a page's writes (name -> its real service, called with valid inputs) is in
    `offered` exactly when its service makes it (nothing kept), and nothing else is offered."""
    assert offered <= set(writes), f"{who}: offers unknown writes {offered - set(writes)}"
    for name, write in writes.items():
        refused = refusal(write)
        assert (refused is None) == (name in offered), (
            f"{who}: {name} offered={name in offered}, refused={refused!r}"
        )

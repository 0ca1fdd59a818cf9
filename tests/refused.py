"""For the tests of a record's `<record>_actions(user, record)`: run one action's real service
inside a savepoint that is always rolled back (nothing is kept), and say how it was refused."""

from __future__ import annotations

from collections.abc import Callable

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

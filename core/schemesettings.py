"""The one way to read and write a scheme's settings (subclasses of core.models.SchemeSettings)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction

from core.models import SchemeSettings
from core.refusals import NotAllowed

S = TypeVar("S", bound=SchemeSettings)


def _scheme_id(scheme: Any) -> int:
    return scheme if isinstance(scheme, int) else scheme.pk


def settings_for(model: type[S], scheme: Any) -> S:
    """The scheme's saved row, or an unsaved row holding the defaults. A read never writes."""
    scheme_id = _scheme_id(scheme)
    found = model._default_manager.filter(scheme_id=scheme_id).first()
    return found or model(scheme_id=scheme_id)


def settings_update(
    model: type[S],
    *,
    actor: Any,
    scheme: Any,
    can_change: bool | Callable[[], bool],
    **values: Any,
) -> S:
    """Check, clean and save the scheme's settings in one transaction (row locked), with history.

    ``can_change`` is the manager check's result (or the check); core cannot import accounts.
    """
    allowed = can_change() if callable(can_change) else can_change
    if not allowed:
        raise NotAllowed(model.refused_message)
    scheme_id = _scheme_id(scheme)
    with transaction.atomic():
        config = model._default_manager.select_for_update().filter(scheme_id=scheme_id).first()
        if config is None:
            config = model(scheme_id=scheme_id)
        for name, value in values.items():
            setattr(config, name, value)
        config._history_user = actor  # type: ignore[attr-defined]
        config.full_clean()
        config.save()
    return config

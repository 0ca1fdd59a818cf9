"""The one way to read and write a scheme's settings (subclasses of core.models.SchemeSettings).

- `settings_for(Model, scheme)`: one scheme's settings;
- `settings_by_scheme(Model, scheme_ids)`: many schemes' in one query (the reminder jobs);
- `settings_update(Model, actor=, scheme=, **values)`: the write, for the owning app's service,
  which checks its actor first (`accounts.access.require_role(..., Model.refused_message)`).

A scheme that saved nothing has the model's defaults; a read never writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import transaction

from core.models import SchemeSettings

S = TypeVar("S", bound=SchemeSettings)


def _scheme_id(scheme: Any) -> int:
    return scheme if isinstance(scheme, int) else scheme.pk


def settings_for(model: type[S], scheme: Any) -> S:
    """The scheme's saved row, or an unsaved row holding the defaults. A read never writes."""
    scheme_id = _scheme_id(scheme)
    found = model._default_manager.filter(scheme_id=scheme_id).first()
    return found or model(scheme_id=scheme_id)


def settings_by_scheme(model: type[S], schemes: Iterable[Any]) -> dict[int, S]:
    """Each scheme's settings (saved, or the defaults), in one query."""
    ids = {_scheme_id(s) for s in schemes}
    rows = model._default_manager.filter(scheme_id__in=ids)
    found = {c.scheme_id: c for c in rows}  # type: ignore[attr-defined]
    return {sid: found.get(sid) or model(scheme_id=sid) for sid in ids}


def settings_update(model: type[S], *, actor: Any, scheme: Any, **values: Any) -> S:
    """Clean and save the scheme's settings in one transaction (row locked), with history.
    The caller, the owning app's service, has already checked the actor."""
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

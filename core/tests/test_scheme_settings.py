"""Every per-scheme settings model follows the one pattern (core.models.SchemeSettings): a read
for a scheme without a row gives the defaults and writes nothing; a refused update raises
PermissionDenied and saves nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import SchemeSettings
from core.schemesettings import settings_for, settings_update
from tests.personas import World

pytestmark = pytest.mark.django_db

MODELS = [m for m in apps.get_models() if issubclass(m, SchemeSettings)]


def test_every_settings_model_is_found() -> None:
    assert len(MODELS) >= 7


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_a_read_without_a_row_gives_defaults_and_writes_nothing(model, world: World) -> None:
    scheme = world.north
    model._default_manager.filter(scheme=scheme).delete()
    with CaptureQueriesContext(connection) as queries:
        config = settings_for(model, scheme.pk)
    assert config.pk is None and config.scheme_id == scheme.pk
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries.captured_queries)
    assert not model._default_manager.filter(scheme=scheme).exists()
    for field in model._meta.concrete_fields:
        if field.has_default():
            assert getattr(config, field.attname) == field.get_default()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_a_refused_update_raises_permission_denied(model, world: World) -> None:
    scheme = world.north
    model._default_manager.filter(scheme=scheme).delete()
    with pytest.raises(PermissionDenied, match="Only the scheme's managers"):
        settings_update(model, actor=world.coordinator, scheme=scheme, can_change=lambda: False)
    assert not model._default_manager.filter(scheme=scheme).exists()

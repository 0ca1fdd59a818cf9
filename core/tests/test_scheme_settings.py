"""Every per-scheme settings model follows the one pattern (core.models.SchemeSettings): a read
for a scheme without a row gives the defaults and writes nothing; the owning app's service
refuses anyone but the scheme's managers, with the model's message, and saves nothing."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import SchemeSettings
from core.refusals import NotAllowed
from core.schemesettings import settings_for
from expenses import services as expenses
from expenses.models import ExpenseSettings
from matches import services as matches
from matches.models import MatchSchemeSettings
from notifications import services as notifications
from notifications.models import MonitoringSettings
from referrals.models import ReferralSettings
from safeguarding.models import SafeguardingSettings
from tests.personas import World
from visits.models import VisitSettings
from volunteers import services as volunteers
from volunteers.models import VolunteerSchemeSettings

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


MONEY = {"mileage_rate": "0.45", "per_visit_limit": "30", "monthly_limit": "60"}
YEARS = {"dbs_renewal_years": 3, "training_refresh_years": 3, "supervision_interval_weeks": 8}
UPDATES = [
    (expenses.settings_update, ExpenseSettings, MONEY),
    (matches.scheme_settings_update, MatchSchemeSettings, {}),
    (notifications.monitoring_settings_save, MonitoringSettings, {}),
    (volunteers.scheme_settings_update, VolunteerSchemeSettings, YEARS),
]

# Settings models with no write service in the app: seed_demo and the Django admin set them
# (the scheme settings page of issue 24 gives each one a service, which then moves to UPDATES).
NO_WRITE_SERVICE = {ReferralSettings, SafeguardingSettings, VisitSettings}


def test_every_settings_service_is_covered() -> None:
    """Every settings model is either written through a service listed in UPDATES or named in
    NO_WRITE_SERVICE, so a new settings model fails here until someone says which it is."""
    written = {model for _, model, _ in UPDATES}
    assert not written & NO_WRITE_SERVICE
    assert written | NO_WRITE_SERVICE == set(MODELS)


@pytest.mark.parametrize(
    ("update", "model", "values"), UPDATES, ids=lambda u: getattr(u, "__module__", "")
)
def test_the_owning_service_refuses_a_coordinator_and_saves_nothing(
    update, model, values, world: World
) -> None:
    scheme = world.north
    model._default_manager.filter(scheme=scheme).delete()
    with pytest.raises(NotAllowed) as refused:
        update(actor=world.coordinator, scheme=scheme, **values)
    assert refused.value.message == model.refused_message
    assert not model._default_manager.filter(scheme=scheme).exists()


@pytest.mark.parametrize(
    ("update", "model", "values"), UPDATES, ids=lambda u: getattr(u, "__module__", "")
)
def test_the_owning_service_saves_for_a_manager_with_history(
    update, model, values, world: World
) -> None:
    scheme = world.north
    model._default_manager.filter(scheme=scheme).delete()
    update(actor=world.manager, scheme=scheme, **values)
    saved = model._default_manager.get(scheme=scheme)
    assert saved.history.first().history_user == world.manager

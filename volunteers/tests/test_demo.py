from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from volunteers.models import Stage, Volunteer, VolunteerStatus

pytestmark = pytest.mark.django_db


def test_seed_demo_has_volunteers_at_every_stage_and_is_idempotent(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    first = Volunteer.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Volunteer.objects.count() == first
    for slug in ("north", "south"):
        stages = set(Volunteer.objects.filter(scheme__slug=slug).values_list("stage", flat=True))
        assert stages == set(Stage.values)
    for email in ("iv.north@example.org", "iv.south@example.org"):
        v = Volunteer.objects.get(user__email=email)
        assert (v.stage, v.status) == (Stage.APPROVED, VolunteerStatus.MATCHED)
    for email in ("iv.north.2@example.org", "iv.north.3@example.org", "iv.south.2@example.org"):
        v = Volunteer.objects.get(user__email=email)
        assert (v.stage, v.status) == (Stage.APPROVED, VolunteerStatus.AVAILABLE)
    assert Volunteer.objects.get(user__email="iv.north@example.org").approval_letter

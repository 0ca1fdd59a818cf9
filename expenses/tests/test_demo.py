from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from expenses.models import Claim, ClaimStatus


@pytest.mark.django_db
def test_seed_demo_has_claims_in_every_state(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    states = set(Claim.objects.values_list("status", flat=True))
    assert states == set(ClaimStatus.values)
    assert Claim.objects.filter(over_limit=True, pre_authorisation__isnull=False).exists()
    before = Claim.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Claim.objects.count() == before

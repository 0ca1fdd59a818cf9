from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from complaints.models import Complaint, LetterTemplate, Status, Subject

pytestmark = pytest.mark.django_db


def test_seed_demo_has_complaints_at_every_stage(settings, tmp_path) -> None:
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=StringIO())
    first = Complaint.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Complaint.objects.count() == first  # idempotent
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert {Status.STAGE_1, Status.STAGE_1_RESPONDED, Status.STAGE_2, Status.STAGE_3} <= statuses
    assert Status.CLOSED in statuses
    about = Complaint.objects.get(subject=Subject.COORDINATOR)
    assert about.subject_user is not None and about.subject_user.email.startswith("coordinator.")
    assert Complaint.objects.filter(stages__extended=True).exists()
    assert LetterTemplate.objects.count() == 8

"""`manage.py seed_demo`: every app's demo records, for every demo user, made once.

seed_demo takes about 12 s, so this module runs it once (twice, to prove the second run adds
nothing) inside a transaction rolled back at the end, and each test reads what it made.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, Scheme, User
from complaints.models import Complaint, LetterTemplate, Status, Subject
from expenses.models import Claim, ClaimStatus
from matches.models import Match
from referrals.models import Child
from volunteers.models import Stage, Volunteer, VolunteerStatus

pytestmark = [pytest.mark.django_db, pytest.mark.dated]

DEMO_EMAILS = [
    "coordinator.north@example.org",
    "coordinator.south@example.org",
    "manager.north@example.org",
    "service.manager@example.org",
    "iv.north@example.org",
    "iv.south@example.org",
    "sw.north@example.org",
    "sw.south@example.org",
    "complaints@example.org",
    "dpo@example.org",
]


def model_counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "schemes": Scheme.objects.count(),
        "children": Child.objects.count(),
        "matches": Match.objects.count(),
        "volunteers": Volunteer.objects.count(),
        "claims": Claim.objects.count(),
        "complaints": Complaint.objects.count(),
    }


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, dict[str, int]]]:
    """The demo data, made twice: the counts after each run."""
    from django.db import transaction
    from django.test import override_settings

    from tests.clock import frozen_at_pinned

    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(DEBUG=True, MEDIA_ROOT=str(media)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with frozen_at_pinned():
                call_command("seed_demo", stdout=StringIO())
                first = model_counts()
                call_command("seed_demo", stdout=StringIO())
            yield {"first": first, "second": model_counts()}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_seed_demo_twice_makes_no_duplicates(seeded: dict[str, dict[str, int]]) -> None:
    assert seeded["second"] == seeded["first"] == model_counts()
    for email in DEMO_EMAILS:
        assert User.objects.get(email=email).check_password("ivscheme-demo-2026")
    assert set(Scheme.objects.values_list("slug", flat=True)) == {"north", "south"}
    # Each IV has an active match; each social worker has allocated children.
    for email in ("iv.north@example.org", "iv.south@example.org"):
        assert Match.objects.filter(volunteer__email=email, status="introduction").exists()
    for email in ("sw.north@example.org", "sw.south@example.org"):
        assert Child.objects.filter(social_worker__email=email).exists()


def test_seed_demo_refuses_with_debug_off(settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("seed_demo", stdout=StringIO())


def test_scale_builds_consistent_data(seeded: Any, settings: Any) -> None:
    from referrals.selectors import children_visible_to

    settings.DEBUG = True
    call_command("seed_demo", "--scale", "300", stdout=StringIO())
    assert Child.objects.filter(case_number__startswith="X").count() == 300
    # Every scale match pairs a volunteer and a child of the same scheme, and the grants
    # follow: each volunteer's membership is in the match's scheme.
    for match in Match.objects.select_related("child").filter(child__case_number__startswith="X")[
        :50
    ]:
        assert match.child.scheme_id == match.scheme_id
        assert Membership.objects.filter(
            user_id=match.volunteer_id, scheme_id=match.scheme_id
        ).exists()
        assert match.volunteer.has_perm("referrals.view_visit_card", match.child)
    sample = Child.objects.filter(case_number__startswith="X").first()
    assert sample is not None and sample.social_worker is not None
    worker = sample.social_worker
    assert all(c.social_worker_id == worker.pk for c in children_visible_to(worker))
    assert children_visible_to(worker).count() >= 1


def test_volunteers_at_every_stage(seeded: Any) -> None:
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


def test_claims_in_every_state(seeded: Any) -> None:
    states = set(Claim.objects.values_list("status", flat=True))
    assert states == set(ClaimStatus.values)
    assert Claim.objects.filter(over_limit=True, pre_authorisation__isnull=False).exists()


def test_complaints_at_every_stage(seeded: Any) -> None:
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert {Status.STAGE_1, Status.STAGE_1_RESPONDED, Status.STAGE_2, Status.STAGE_3} <= statuses
    assert Status.CLOSED in statuses
    about = Complaint.objects.get(subject=Subject.COORDINATOR)
    assert about.subject_user is not None and about.subject_user.email.startswith("coordinator.")
    assert Complaint.objects.filter(stages__extended=True).exists()
    assert LetterTemplate.objects.count() == 8

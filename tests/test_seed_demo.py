from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Membership, Scheme, User
from matches.models import Match
from referrals.models import Child

pytestmark = pytest.mark.django_db

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
]


def counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Membership.objects.count(),
        Scheme.objects.count(),
        Child.objects.count(),
        Match.objects.count(),
    )


def test_seed_demo_twice_makes_no_duplicates(settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
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


def test_scale_builds_consistent_data(settings) -> None:
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

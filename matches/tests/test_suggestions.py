from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from matches import selectors
from matches.tests.helpers import volunteer_for, waiting_child
from referrals import services as child_services
from tests.clock import days_ago
from tests.personas import World, make_user
from volunteers.models import Stage, TrainingModule, TrainingRecord, Volunteer, VolunteerStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]

WISHES = {
    "iv_gender_preference": "female",
    "shared_interests_wanted": "Football, drawing",
    "interests": "Swimming, football",
    "languages": "English, Polish",
    "gender": "male",
}


def _place(world: World, child: object, address: str) -> None:
    child_services.placement_change(
        actor=world.coordinator, child=child, kind="foster", carer_name="Pat",  # type: ignore[arg-type]
        address=address, started_on=days_ago(30),
    )  # fmt: skip


def test_ranked_with_reasons_and_exclusions_listed_apart(world: World) -> None:
    child, _ = waiting_child(world, **WISHES)
    today = timezone.localdate()
    good = volunteer_for(
        make_user("good@x.test", "Gwen Good"), world, gender="female",
        interests="Drawing, football, chess", languages="English, Polish", area="NE3",
        available_weekends=True, drives=True, insurer="Aviva",
        insurance_expires_on=today + timedelta(days=100),
    )  # fmt: skip
    plain = volunteer_for(make_user("plain@x.test", "Pat Plain"), world, gender="male")
    ivy = volunteer_for(world.iv, world)  # matched with Amy
    sus = volunteer_for(
        make_user("sus@x.test", "Sue Spended"), world, status=VolunteerStatus.SUSPENDED
    )
    old = volunteer_for(
        make_user("old@x.test", "Olly Old"), world, prefers_age_from=14, prefers_age_to=17
    )
    expired = volunteer_for(make_user("dbs@x.test", "Dee Bees"), world)
    Volunteer.objects.filter(pk=expired.pk).update(dbs_issued_on=date(2019, 1, 1))
    car = volunteer_for(
        make_user("car@x.test", "Carl Car"), world, drives=True, insurer="Aviva",
        insurance_expires_on=today - timedelta(days=1),
    )  # fmt: skip
    _place(world, child, "1 Elm Road, Northtown NE3 4AB")

    found = selectors.suggestions_for_child(child)
    names = [s.volunteer["full_name"] for s in found.ranked]  # type: ignore[index]
    assert names == [good.full_name, plain.full_name]
    top = found.ranked[0].reasons
    assert "Prefers a female IV: yes" in top
    assert "Interests the child wants to share: drawing, football" in top
    assert "Speaks Polish" in top
    assert "Same area (NE3)" in top
    assert "Free at weekends" in top
    assert "Drives, insured" in top
    assert "Prefers a female IV: no" in found.ranked[1].reasons
    why = {s.volunteer["full_name"]: s.exclusions for s in found.excluded}  # type: ignore[index]
    # Ivy has an active match: counted, not listed by name (most volunteers are matched).
    assert ivy.full_name not in why
    assert found.already_matched == 1
    assert why[sus.full_name] == ["Suspended"]
    assert why[old.full_name][0].startswith("Outside their age preference")
    assert why[expired.full_name] == ["DBS check expired or missing"]
    assert why[car.full_name][0].startswith("Car insurance expired")


def test_reverse_view_children_who_would_suit_a_volunteer(world: World) -> None:
    child, _ = waiting_child(world, **WISHES)
    v = volunteer_for(world.other_iv, world, gender="female", interests="football")
    found = selectors.children_for_volunteer(v)
    assert [s.child for s in found] == [child]
    assert "Interests the child wants to share: football" in found[0].reasons


def _bulk_volunteers(world: World, n: int) -> None:
    """n approved, available volunteers with user accounts and in-date training, in bulk."""
    from accounts.models import User

    today = timezone.localdate()
    users = User.objects.bulk_create(
        [User(email=f"bulk{i}@x.test", full_name=f"Bulk {i}") for i in range(n)], batch_size=2000
    )
    signer_a, signer_b = world.manager, world.coordinator
    volunteers = Volunteer.objects.bulk_create(
        [
            Volunteer(
                scheme=world.north, user=u, reference=f"B{i:07d}", first_name="Bulk",
                last_name=f"V{i:05d}", email=u.email, stage=Stage.APPROVED,
                status=VolunteerStatus.AVAILABLE, team_signed_by=signer_a,
                service_signed_by=signer_b, approved_on=today,
                dbs_issued_on=today - timedelta(days=30), dbs_barred_list_checked=True,
                gender=["female", "male"][i % 2], area=f"NE{i % 20}",
                interests=["football, art", "chess", "drawing, music"][i % 3],
                languages=["English", "English, Polish"][i % 2],
                available_weekends=bool(i % 2), prefers_age_from=8 if i % 7 else 15,
            )
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )  # fmt: skip
    TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(volunteer=v, module=m, completed_on=today - timedelta(days=30))
            for v in volunteers
            for m in TrainingModule
        ],
        batch_size=5000,
    )


@pytest.mark.parametrize("n", [10, 200])
def test_suggestions_query_count_does_not_grow(
    world: World, n: int, django_assert_max_num_queries: object
) -> None:
    child, _ = waiting_child(world, **WISHES)
    _bulk_volunteers(world, n)
    selectors.suggestions_for_child(child)  # settings rows are made on first use
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        found = selectors.suggestions_for_child(child)
    assert len(found.ranked) + len(found.excluded) == n


@pytest.mark.perf
def test_suggestions_among_5000_volunteers_under_200ms(
    world: World, django_assert_max_num_queries: object
) -> None:
    child, _ = waiting_child(world, **WISHES)
    _bulk_volunteers(world, 5000)
    with connection.cursor() as cursor:  # planner statistics, as a live database has them
        cursor.execute("ANALYZE volunteers_volunteer, volunteers_trainingrecord, matches_match")
    selectors.suggestions_for_child(child)  # warm: settings rows, plans
    best = float("inf")
    for _ in range(5):
        with django_assert_max_num_queries(4):  # type: ignore[operator]
            # This process's CPU time, not the wall clock: the scoring is Python, and a busy
            # machine (the rest of the suite on both cores) must not fail the test. The SQL is
            # four queries (asserted above) and is timed by `make bench`.
            started = time.process_time()
            found = selectors.suggestions_for_child(child)
            best = min(best, time.process_time() - started)
    assert len(found.ranked) > 4000
    assert "Prefers a female IV: yes" in found.ranked[0].reasons
    print(f"suggestions among 5,000: {best * 1000:.0f} ms")
    assert best < 0.2, f"suggestions took {best * 1000:.0f} ms"

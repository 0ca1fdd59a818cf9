from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.dates import years_after
from core.refusals import NotAllowed
from core.schemesettings import settings_for
from matches import selectors, services
from matches.models import (
    ClosureReason,
    Match,
    MatchEvent,
    MatchSchemeSettings,
    MatchStatus,
    TrialDecision,
)
from matches.tests.helpers import another_child, volunteer_for, waiting_child
from referrals.models import ReferralStatus
from tests.clock import days_ago
from tests.personas import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]

# A day some weeks after the world's matches began (about 326 days before today), so that a
# trial, reviews and an ending all fit before today whatever day the suite runs on.
D = days_ago(300)


def _to_established(world: World) -> Match:
    m = services.match_start_trial(actor=world.coordinator, match=world.match)
    for i in range(4):
        m = services.match_record_trial_visit(
            actor=world.coordinator, match=m, on=D + timedelta(days=14 * i)
        )
    m = services.match_trial_review(
        actor=world.coordinator,
        match=m,
        held_on=D + timedelta(days=60),
        decision=TrialDecision.GO,
        child_view="I like her",
        iv_view="Going well",
    )
    return services.match_establish(actor=world.coordinator, match=m)


def test_the_whole_lifecycle_is_recorded_with_who_and_when(world: World) -> None:
    m = _to_established(world)
    assert m.status == MatchStatus.ESTABLISHED
    assert len(m.trial_visit_dates) == 4
    m = services.match_plan_ending(
        actor=world.manager, match=m, reason="Moving away", planned_end_on=D + timedelta(days=90)
    )
    m = services.match_close(
        actor=world.coordinator,
        match=m,
        ended_on=D + timedelta(days=91),
        reason=ClosureReason.IV_CIRCUMSTANCES,
        review_on=D + timedelta(days=95),
        child_view="Sad",
        iv_view="Sad too",
        carer_view="Thanks",
        sw_view="Good work",
    )
    events = list(MatchEvent.objects.filter(match=m).order_by("at", "pk"))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", "proposed"),
        ("proposed", "introduction"),
        ("introduction", "trial"),
        ("trial", "trial_review"),
        ("trial_review", "established"),
        ("established", "ending"),
        ("ending", "closed"),
    ]
    assert events[-2].actor == world.manager and events[-1].actor == world.coordinator
    assert all(e.at is not None for e in events)
    assert m.closure_carer_view == "Thanks" and m.closed_from == "ending"


@pytest.mark.parametrize(
    "call",
    [
        lambda w, m: services.match_establish(actor=w.coordinator, match=m),
        lambda w, m: services.match_plan_ending(
            actor=w.coordinator, match=m, reason="x", planned_end_on=D
        ),
        lambda w, m: services.match_record_trial_visit(actor=w.coordinator, match=m, on=D),
        lambda w, m: services.match_reopen(actor=w.coordinator, match=m, reason="x"),
        lambda w, m: services.match_start(actor=w.coordinator, match=m, started_on=D),
    ],
)
def test_illegal_moves_are_refused_from_introduction(world: World, call: object) -> None:
    with pytest.raises(ValidationError, match="cannot"):
        call(world, world.match)  # type: ignore[operator]
    assert not MatchEvent.objects.filter(match=world.match, to_status="established").exists()


def test_no_go_cannot_be_established(world: World) -> None:
    m = services.match_start_trial(actor=world.coordinator, match=world.match)
    m = services.match_trial_review(
        actor=world.coordinator, match=m, held_on=D, decision=TrialDecision.NO_GO,
        child_view="No", iv_view="No",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="not to go on"):
        services.match_establish(actor=world.coordinator, match=m)


def test_trial_review_needs_both_views(world: World) -> None:
    m = services.match_start_trial(actor=world.coordinator, match=world.match)
    with pytest.raises(ValidationError):
        services.match_trial_review(
            actor=world.coordinator, match=m, held_on=D, decision="go", child_view="",
            iv_view="ok",
        )  # fmt: skip


def test_starting_grants_iv_and_social_worker_and_closing_revokes(world: World) -> None:
    child, referral = waiting_child(world)
    volunteer = volunteer_for(world.other_iv, world)
    m = services.match_propose(
        actor=world.coordinator, child=child, volunteer=volunteer, referral=referral
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.MATCHED
    iv, sw = world.other_iv, world.social_worker
    assert not iv.has_perm("matches.view_match", m)
    assert not iv.has_perm("referrals.view_visit_card", child)
    assert m not in selectors.matches_visible_to(sw)  # a proposal is not shown yet
    m = services.match_start(actor=world.coordinator, match=m, started_on=D, attended="All")
    iv, sw = type(iv).objects.get(pk=iv.pk), type(sw).objects.get(pk=sw.pk)
    assert iv.has_perm("matches.view_match", m)
    assert iv.has_perm("referrals.view_visit_card", child)
    assert sw.has_perm("matches.view_match", m)
    assert selectors.match_get_for_user(user=sw, public_id=m.public_id) == m
    m = services.match_close(
        actor=world.coordinator, match=m, ended_on=D, reason=ClosureReason.CHILDS_WISH
    )
    iv, sw = type(iv).objects.get(pk=iv.pk), type(sw).objects.get(pk=sw.pk)
    assert not iv.has_perm("matches.view_match", m)
    assert not iv.has_perm("referrals.view_visit_card", child)
    assert not sw.has_perm("matches.view_match", m)
    assert m not in selectors.matches_visible_to(iv)
    assert m not in selectors.matches_visible_to(sw)


def test_reopen_within_the_period_keeps_history_and_grants_again(world: World) -> None:
    today = timezone.localdate()
    m = services.match_close(
        actor=world.coordinator, match=world.match, ended_on=today,
        reason=ClosureReason.CHILDS_WISH,
    )  # fmt: skip
    m = services.match_reopen(actor=world.coordinator, match=m, reason="Changed her mind")
    assert m.status == MatchStatus.INTRODUCTION and m.ended_on is None
    assert m.closure_reason == ClosureReason.CHILDS_WISH  # the closure review stays
    assert m.events.count() == 4
    iv = type(world.iv).objects.get(pk=world.iv.pk)
    assert iv.has_perm("matches.view_match", m)


def test_reopen_after_the_period_is_refused(world: World) -> None:
    today = timezone.localdate()
    m = services.match_close(
        actor=world.coordinator, match=world.match, ended_on=today - timedelta(days=91),
        reason=ClosureReason.CHILDS_WISH,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="has passed"):
        services.match_reopen(actor=world.coordinator, match=m, reason="Too late")


def test_pause_and_resume_keep_working(world: World) -> None:
    m = services.match_pause(actor=world.coordinator, match=world.match, reason="Allegation")
    assert m.status == MatchStatus.PAUSED
    assert not type(world.iv).objects.get(pk=world.iv.pk).has_perm("matches.view_match", m)
    m = services.match_resume(actor=world.coordinator, match=m)
    assert m.status == MatchStatus.INTRODUCTION
    assert type(world.iv).objects.get(pk=world.iv.pk).has_perm("matches.view_match", m)


def test_second_proposal_for_a_matched_volunteer_is_refused_by_the_service(world: World) -> None:
    child, _referral = waiting_child(world)
    ivy = volunteer_for(world.iv, world)  # Ivy is matched with Amy
    with pytest.raises(ValidationError, match="already has an active match"):
        services.match_propose(actor=world.coordinator, child=child, volunteer=ivy)
    other = volunteer_for(world.other_iv, world)
    with pytest.raises(ValidationError, match="already has an active match"):
        services.match_propose(actor=world.coordinator, child=world.child, volunteer=other)
    with pytest.raises(NotAllowed, match="coordinators and managers"):
        services.match_propose(actor=world.social_worker, child=child, volunteer=other)


def test_reviews_frequency_and_next_review(world: World) -> None:
    m = _to_established(world)
    assert m.visiting_frequency == "monthly"
    m = services.match_set_frequency(actor=world.coordinator, match=m, frequency="fortnightly")
    # Six months after the trial review.
    assert selectors.next_review_on(m) == selectors.add_months(D + timedelta(days=60), 6)
    held = D + timedelta(days=184)
    services.match_review_record(
        actor=world.coordinator, match=m, kind="regular", held_on=held, quality=4,
        child_feedback="Fun", iv_feedback="Good", carer_feedback="Fine", sw_feedback="Pleased",
    )  # fmt: skip
    assert selectors.next_review_on(m) == selectors.add_months(held, 6)
    reviews = selectors.match_reviews(m)
    assert m.started_on is not None
    assert selectors.anniversary_review_due(m, reviews) == years_after(m.started_on, 1)
    with pytest.raises(ValidationError):
        services.match_review_record(
            actor=world.coordinator, match=m, kind="regular", held_on=D, quality=9
        )


def test_care_leaver_continuation_only_where_the_scheme_allows(world: World) -> None:
    with pytest.raises(ValidationError, match="does not continue"):
        services.match_care_leaver_continue(actor=world.coordinator, match=world.match)
    config = settings_for(MatchSchemeSettings, world.north)
    config.care_leaver_continuation = True
    config.save()
    m = services.match_care_leaver_continue(actor=world.coordinator, match=world.match)
    assert m.care_leaver
    assert m.eighteenth_birthday == years_after(world.child.date_of_birth, 18)


def test_caseload_counts_active_matches_against_capacity(
    world: World, django_assert_max_num_queries: object
) -> None:
    other = another_child(world)
    services.match_create(actor=world.coordinator, child=other, volunteer=world.other_iv)
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        rows = selectors.caseload(world.manager)
    row = next(r for r in rows if r.coordinator == world.coordinator)
    assert row.active == 1 and row.capacity == 36  # the proposal is not counted

"""What a match's page offers (ADR 0011, "What a page offers"): for every person who can see
the match, in every state, each step's real service is run (and rolled back) and must be
refused exactly when the page does not offer the step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.schemesettings import settings_for
from matches import selectors, services
from matches.models import (
    ClosureReason,
    Match,
    MatchSchemeSettings,
    MatchStatus,
    ReviewKind,
    TrialDecision,
)
from matches.views import ACTIONS
from referrals.tests.offers import check_offers
from tests.personas import World

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("no_second_factor"),
    pytest.mark.dated,
]

S = MatchStatus


def _runs(user: Any, match: Match) -> dict[str, Callable[[], object]]:
    """Each step's service with inputs it takes."""
    today = timezone.localdate()

    def m() -> Match:
        return Match.objects.get(pk=match.pk)

    return {
        "introduction": lambda: services.match_start(
            actor=user, match=m(), started_on=today, attended="All four"
        ),
        "start-trial": lambda: services.match_start_trial(actor=user, match=m()),
        "trial-visit": lambda: services.match_record_trial_visit(actor=user, match=m(), on=today),
        "trial-review": lambda: services.match_trial_review(
            actor=user,
            match=m(),
            held_on=today,
            decision=TrialDecision.GO,
            child_view="Fun",
            iv_view="Good",
        ),
        "establish": lambda: services.match_establish(actor=user, match=m()),
        "ending": lambda: services.match_plan_ending(
            actor=user, match=m(), reason="Moving away", planned_end_on=today + timedelta(days=30)
        ),
        "close": lambda: services.match_close(
            actor=user, match=m(), ended_on=today, reason=ClosureReason.CHILDS_WISH
        ),
        "reopen": lambda: services.match_reopen(actor=user, match=m(), reason="Changed her mind"),
        "pause": lambda: services.match_pause(actor=user, match=m(), reason="Placement review"),
        "resume": lambda: services.match_resume(actor=user, match=m(), reason="Review done"),
        "frequency": lambda: services.match_set_frequency(
            actor=user, match=m(), frequency="fortnightly"
        ),
        "review": lambda: services.match_review_record(
            actor=user, match=m(), kind=ReviewKind.REGULAR, held_on=today, quality=4
        ),
        "care-leaver": lambda: services.match_care_leaver_continue(actor=user, match=m()),
    }


def _in_state(world: World, state: str) -> Match:
    """Amy's match (introduction, begun about 326 days ago) put in `state`."""
    today = timezone.localdate()
    five = [today - timedelta(days=100 - 7 * i) for i in range(services.TRIAL_VISITS_MAX)]
    by_state: dict[str, dict[str, Any]] = {
        "proposed": {"status": S.PROPOSED},
        "introduction": {},
        "trial": {"status": S.TRIAL},
        "trial_full": {"status": S.TRIAL, "trial_visit_dates": five},
        "trial_review_go": {"status": S.TRIAL_REVIEW, "trial_decision": TrialDecision.GO},
        "trial_review_no_go": {"status": S.TRIAL_REVIEW, "trial_decision": TrialDecision.NO_GO},
        "established": {"status": S.ESTABLISHED, "trial_decision": TrialDecision.GO},
        "ending": {"status": S.ENDING},
        "paused": {"status": S.PAUSED, "paused_from": S.ESTABLISHED},
        "paused_suspended": {"status": S.PAUSED, "paused_from": S.ESTABLISHED},
        "closed": {"status": S.CLOSED, "closed_from": S.ESTABLISHED, "ended_on": today},
        "closed_long_ago": {
            "status": S.CLOSED,
            "closed_from": S.ESTABLISHED,
            "ended_on": today - timedelta(days=200),
        },
        "closed_proposal": {"status": S.CLOSED, "closed_from": S.PROPOSED, "ended_on": today},
        "care_leaver_scheme": {"status": S.ESTABLISHED},
        "care_leaver_already": {"status": S.ESTABLISHED, "care_leaver": True},
    }
    Match.objects.filter(pk=world.match.pk).update(**by_state[state])
    if state.startswith("care_leaver"):
        config = settings_for(MatchSchemeSettings, world.north)
        config.care_leaver_continuation = True
        config.save()
    if state == "paused_suspended":
        from volunteers.models import VolunteerStatus
        from volunteers.tests.helpers import approved

        approved(world.north, status=VolunteerStatus.SUSPENDED, user=world.iv)
    return Match.objects.get(pk=world.match.pk)


STATES = [
    "proposed", "introduction", "trial", "trial_full", "trial_review_go", "trial_review_no_go",
    "established", "ending", "paused", "paused_suspended", "closed", "closed_long_ago",
    "closed_proposal", "care_leaver_scheme", "care_leaver_already",
]  # fmt: skip


@pytest.mark.parametrize("state", STATES)
def test_a_match_offers_exactly_what_its_services_allow(world: World, state: str) -> None:
    match = _in_state(world, state)
    assert set(_runs(world.coordinator, match)) == set(ACTIONS) == set(services.STEPS)
    result = check_offers(
        world,
        lambda user: selectors.match_get_for_user(user=user, public_id=match.public_id),
        services.match_actions,
        _runs,
    )
    assert {"coordinator", "manager", "iv", "social_worker"} <= result.seen
    assert not result.wrong, result.wrong


def _page(user: Any, match: Match) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("matches:detail", args=[match.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def _step(match: Match, slug: str) -> str:
    return reverse("matches:act", args=[match.public_id, slug])


def test_the_match_page_links_only_the_steps_offered(world: World) -> None:
    match = world.match  # introduction
    page = _page(world.coordinator, match)
    assert _step(match, "start-trial") in page and _step(match, "pause") in page
    assert _step(match, "establish") not in page and _step(match, "reopen") not in page
    for user in (world.iv, world.social_worker):
        page = _page(user, match)
        assert _step(match, "start-trial") not in page and "Next steps" not in page
    # Closed: reopening is offered within the scheme's period, and not after it.
    closed = _in_state(world, "closed")
    assert _step(closed, "reopen") in _page(world.coordinator, closed)
    late = _in_state(world, "closed_long_ago")
    page = _page(world.coordinator, late)
    assert _step(late, "reopen") not in page and "None: this match is closed" in page


def test_the_visit_card_link_is_for_whoever_may_open_it(world: World) -> None:
    card = reverse("children:visit_card", args=[world.child.public_id])
    for name in ("coordinator", "manager", "iv", "social_worker"):
        user = getattr(world, name)
        client = Client()
        client.force_login(user)
        assert (card in _page(user, world.match)) == (client.get(card).status_code == 200), name


def test_a_paused_or_closed_match_moves_on_only_by_resuming_or_reopening(world: World) -> None:
    """The table of moves lets a paused match go to trial (resuming it) and a closed one to
    established (reopening it); "start the trial", "establish" and "plan the ending" took
    those moves too, skipping the resume (the IV's access) and the reopening period."""
    paused = _in_state(world, "paused")
    with pytest.raises(ValidationError, match="cannot start its trial"):
        services.match_start_trial(actor=world.coordinator, match=paused)
    closed = _in_state(world, "closed_long_ago")
    with pytest.raises(ValidationError, match="cannot be established"):
        services.match_establish(actor=world.coordinator, match=closed)
    with pytest.raises(ValidationError, match="cannot plan its ending"):
        services.match_plan_ending(
            actor=world.coordinator, match=closed, reason="x",
            planned_end_on=timezone.localdate(),
        )  # fmt: skip

"""The matching journey: a coordinator finds an IV for a waiting child and takes the match
from proposal to established; the IV and the social worker see what they should, until the
match closes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from matches.models import Match
from matches.tests.helpers import volunteer_for, waiting_child
from tests.personas import World

pytestmark = [
    pytest.mark.dated,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_second_factor"),
]


def _step(bpage, match: Match, link: str, fill: dict[str, str] | None = None) -> None:
    page = bpage.page
    bpage.goto(reverse("matches:detail", args=[match.public_id]))
    page.get_by_role("link", name=link).click()
    page.get_by_role("heading", level=1, name=link).wait_for()
    bpage.assert_accessible()
    for label, value in (fill or {}).items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name=link).click()
    page.get_by_role("heading", level=1, name="and Cal").wait_for()


def test_matching_journey(bpage, world: World) -> None:
    page = bpage.page
    child, referral = waiting_child(
        world, iv_gender_preference="female", shared_interests_wanted="Football, drawing"
    )
    volunteer = volunteer_for(
        world.other_iv, world, gender="female", interests="Drawing, football",
        available_weekends=True,
    )  # fmt: skip
    today = timezone.localdate()

    bpage.login(world.coordinator)
    bpage.goto(reverse("referrals:detail", args=[referral.public_id]))
    page.get_by_role("link", name="Find an IV").click()
    page.get_by_role("heading", level=1, name="Find an IV for Cal").wait_for()
    bpage.assert_accessible()
    suggestion = page.get_by_test_id("suggestion").first
    text = suggestion.inner_text()
    assert "Prefers a female IV: yes" in text
    assert "Interests the child wants to share: drawing, football" in text
    assert "Free at weekends" in text
    suggestion.get_by_role("button", name=f"Propose {volunteer.full_name}").click()
    page.get_by_text("is proposed").wait_for()
    bpage.assert_accessible()
    match = Match.objects.get(child=child)

    intro = {"Who attended": "Cora, Otto, Cal and Pat", "Notes from the meeting": "Went well"}
    _step(bpage, match, "Record the introduction meeting", intro)
    _step(bpage, match, "Start the trial")
    for i in range(4):
        _step(bpage, match, "Record a trial visit",
              {"Date of the trial visit": (today + timedelta(days=i)).isoformat()})  # fmt: skip
    page.get_by_text("4 recorded").wait_for()
    bpage.goto(reverse("matches:detail", args=[match.public_id]))
    page.get_by_role("link", name="Record the trial review").click()
    bpage.assert_accessible()
    page.get_by_label("Go: the match continues").check()
    page.get_by_label("The child's view").fill("She is fun")
    # Forget the IV's view: the page says so and keeps what was typed.
    page.get_by_role("button", name="Record the trial review").click()
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("The child's view").input_value() == "She is fun"
    bpage.assert_accessible()
    page.get_by_label("The IV's view").fill("Going well")
    page.get_by_role("button", name="Record the trial review").click()
    page.get_by_text("The trial review is recorded").wait_for()
    _step(bpage, match, "Establish the match")
    assert page.get_by_test_id("match-status").inner_text() == "Established"
    bpage.assert_accessible()
    bpage.screenshot("match-established")
    bpage.goto(reverse("matches:list"))
    bpage.assert_accessible()
    bpage.goto(reverse("matches:caseload"))
    bpage.assert_accessible()
    bpage.goto(reverse("matches:volunteer_children", args=[volunteer.public_id]))
    bpage.assert_accessible()

    # The IV sees the match and the child's visit card; the social worker the status.
    page.context.clear_cookies()
    bpage.login(world.other_iv)
    bpage.goto(reverse("matches:detail", args=[match.public_id]))
    page.get_by_role("link", name="Cal's visit card").click()
    page.get_by_role("heading", level=1).wait_for()
    bpage.assert_accessible()
    page.context.clear_cookies()
    bpage.login(world.social_worker)
    bpage.goto(reverse("matches:detail", args=[match.public_id]))
    assert page.get_by_test_id("match-status").inner_text() == "Established"
    bpage.assert_accessible()

    # Closing removes both.
    page.context.clear_cookies()
    bpage.login(world.coordinator)
    bpage.goto(reverse("matches:detail", args=[match.public_id]))
    page.get_by_role("link", name="Close the match").click()
    bpage.assert_accessible()
    page.get_by_label("The child's wish").check()
    page.get_by_label("The child's view").fill("Wants a break")
    page.get_by_role("button", name="Close the match").click()
    page.get_by_text("The match is closed").wait_for()
    for person in (world.other_iv, world.social_worker):
        page.context.clear_cookies()
        bpage.login(person)
        response = bpage.goto(reverse("matches:detail", args=[match.public_id]))
        assert response.status == 404
    response = bpage.goto(reverse("children:visit_card", args=[child.public_id]))
    assert response.status == 404

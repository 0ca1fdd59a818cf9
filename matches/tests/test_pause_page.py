"""Issue 19.2: a coordinator pauses and resumes a match from its page, with a reason."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from matches.models import MatchEvent, MatchStatus
from tests.personas import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor")]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_coordinator_pauses_and_resumes_with_a_reason(world: World) -> None:
    coordinator = signed_in(world.coordinator)
    detail = reverse("matches:detail", args=[world.match.public_id])
    assert "Pause the match" in coordinator.get(detail).content.decode()
    pause = reverse("matches:act", args=[world.match.public_id, "pause"])
    page = coordinator.post(pause, {"reason": ""}).content.decode()
    assert "This field is required." in page
    assert coordinator.post(pause, {"reason": "Placement review"}).status_code == 302
    world.match.refresh_from_db()
    assert world.match.status == MatchStatus.PAUSED
    assert world.match.pause_reason == "Placement review"
    page = coordinator.get(detail).content.decode()
    assert "Placement review" in page and "Resume the match" in page
    # Paused: the IV no longer sees the match or the child's visit card.
    iv = signed_in(world.iv)
    assert iv.get(detail).status_code == 404
    assert iv.get(reverse("children:visit_card", args=[world.child.public_id])).status_code == 404
    assert "contact your coordinator" in iv.get(reverse("portal:home")).content.decode()

    resume = reverse("matches:act", args=[world.match.public_id, "resume"])
    assert coordinator.post(resume, {"reason": "Review done"}).status_code == 302
    world.match.refresh_from_db()
    assert world.match.status == MatchStatus.INTRODUCTION
    assert MatchEvent.objects.filter(match=world.match, note="Resumed: Review done").exists()
    assert iv.get(reverse("children:visit_card", args=[world.child.public_id])).status_code == 200


def test_a_suspended_ivs_match_cannot_resume(world: World) -> None:
    from volunteers import services as volunteer_services
    from volunteers.models import Volunteer, VolunteerStatus
    from volunteers.tests.helpers import approved

    volunteer = approved(world.north, status=VolunteerStatus.MATCHED)
    Volunteer.objects.filter(pk=volunteer.pk).update(user=world.iv)
    volunteer.refresh_from_db()
    volunteer_services.volunteer_set_status(
        actor=world.coordinator, volunteer=volunteer, status=VolunteerStatus.SUSPENDED,
        reason="Allegation",
    )  # fmt: skip
    resume = reverse("matches:act", args=[world.match.public_id, "resume"])
    page = signed_in(world.coordinator).post(resume, {"reason": "Try"}).content.decode()
    assert "The IV is suspended" in page
    world.match.refresh_from_db()
    assert world.match.status == MatchStatus.PAUSED


def test_the_iv_and_other_schemes_cannot_pause(world: World) -> None:
    pause = reverse("matches:act", args=[world.match.public_id, "pause"])
    for user in (world.iv, world.other_coordinator, world.social_worker):
        assert signed_in(user).post(pause, {"reason": "x"}).status_code == 404
    world.match.refresh_from_db()
    assert world.match.status != MatchStatus.PAUSED

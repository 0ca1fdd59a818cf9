"""Issue 19.5: the calendar feed is tied to a live IV role and a live match, and is revoked
when either ends (even when the person keeps another role)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from tests.personas import World, join
from visits.models import CalendarFeed
from visits.tests.helpers import make_visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]

PLACE = "Northtown bowling alley"


def _feed(world: World) -> CalendarFeed:
    make_visit(world, place=PLACE)
    feed = CalendarFeed.objects.create(user=world.iv, token="ivy-token")
    assert PLACE in _get(feed).content.decode()
    return feed


def _get(feed: CalendarFeed):
    return Client().get(reverse("visits:calendar_feed", args=[feed.token]))


def _iv_membership(world: World) -> Membership:
    return Membership.objects.get(user=world.iv, scheme=world.north, role=Role.INDEPENDENT_VISITOR)


def _assert_dead(feed: CalendarFeed) -> None:
    response = _get(feed)
    assert response.status_code in (404, 410)
    assert PLACE not in response.content.decode()
    feed.refresh_from_db()
    assert feed.revoked_at is not None


def test_ending_the_iv_role_revokes_the_feed_though_another_role_stays(world: World) -> None:
    from accounts.services.people import membership_deactivate

    join(world.iv, world.north, Role.SOCIAL_WORKER)
    feed = _feed(world)
    membership_deactivate(actor=world.manager, membership=_iv_membership(world))
    world.iv.refresh_from_db()
    assert world.iv.is_active  # still a social worker
    _assert_dead(feed)


def test_changing_the_iv_role_to_another_revokes_the_feed(world: World) -> None:
    from accounts.services.people import membership_change_role

    feed = _feed(world)
    membership_change_role(
        actor=world.manager, membership=_iv_membership(world), role=Role.SOCIAL_WORKER
    )
    _assert_dead(feed)


def test_a_role_ended_without_the_service_still_closes_the_feed(world: World) -> None:
    feed = _feed(world)
    # A bulk update sends no signal: the feed itself checks for a live IV role.
    Membership.objects.filter(pk=_iv_membership(world).pk).update(is_active=False)
    assert _get(feed).status_code == 404


def test_closing_the_match_revokes_the_feed(world: World) -> None:
    from matches import services as match_services

    feed = _feed(world)
    match_services.match_close(
        actor=world.coordinator, match=world.match, ended_on=timezone.localdate(),
        reason="iv_circumstances",
    )  # fmt: skip
    _assert_dead(feed)


def test_a_paused_match_gives_an_empty_answer_and_resuming_brings_it_back(world: World) -> None:
    from matches import services as match_services

    feed = _feed(world)
    match = match_services.match_pause(actor=world.coordinator, match=world.match, reason="Review")
    assert _get(feed).status_code == 404
    match_services.match_resume(actor=world.coordinator, match=match, reason="Review done")
    assert PLACE in _get(feed).content.decode()

"""Issue 19.2: an allegation against an IV can be recorded by staff, and a suspension, by
either route, cuts the IV off from the child at once (home page, visits, visit card, feed)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from matches.models import MatchStatus
from safeguarding.models import Concern
from tests.personas import World
from visits.models import CalendarFeed
from visits.tests.helpers import make_visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]

PLACE = "Northtown bowling alley"
CARER_PHONE = "07700 900456"
AVOID = "Uncle Roy Dobbs"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _set_the_scene(world: World):
    """Amy's placement, visit card and next visit, Ivy's approved record and her feed."""
    from referrals import services as child_services
    from volunteers.models import Volunteer, VolunteerStatus
    from volunteers.tests.helpers import approved

    child_services.placement_change(
        actor=world.coordinator, child=world.child, kind="foster", carer_name="Jo Carer",
        carer_phone=CARER_PHONE, address="2 Oak Lane, Northtown",
        started_on=timezone.localdate() - timedelta(days=100),
    )  # fmt: skip
    child_services.child_update(actor=world.coordinator, child=world.child, people_to_avoid=AVOID)
    make_visit(world, place=PLACE)
    volunteer = approved(world.north, status=VolunteerStatus.MATCHED)
    Volunteer.objects.filter(pk=volunteer.pk).update(user=world.iv)
    volunteer.refresh_from_db()
    feed = CalendarFeed.objects.create(user=world.iv, token="ivy-feed-token")
    return volunteer, feed


def _iv_pages(world: World) -> str:
    client = signed_in(world.iv)
    pages = [client.get(reverse("portal:home")), client.get(reverse("visits:list"))]
    card = client.get(reverse("children:visit_card", args=[world.child.public_id]))
    assert card.status_code == 404
    return "".join(p.content.decode() for p in pages if p.status_code == 200)


def _assert_cut_off(world: World, volunteer, feed) -> None:
    world.match.refresh_from_db()
    assert world.match.status == MatchStatus.PAUSED
    assert not world.iv.has_perm("matches.view_match", world.match)
    assert not world.iv.has_perm("referrals.view_visit_card", world.child)
    text = _iv_pages(world)
    for secret in ("Amy", PLACE, CARER_PHONE, AVOID, "Jo Carer"):
        assert secret not in text, secret
    assert "contact your coordinator" in text
    response = Client().get(reverse("visits:calendar_feed", args=[feed.token]))
    assert response.status_code in (404, 410)
    feed.refresh_from_db()
    assert feed.revoked_at is not None


def test_before_suspension_the_iv_sees_the_child(world: World) -> None:
    _volunteer, feed = _set_the_scene(world)
    client = signed_in(world.iv)
    assert "Amy" in client.get(reverse("portal:home")).content.decode()
    card = client.get(reverse("children:visit_card", args=[world.child.public_id]))
    assert card.status_code == 200 and CARER_PHONE in card.content.decode()
    assert (
        PLACE in Client().get(reverse("visits:calendar_feed", args=[feed.token])).content.decode()
    )


def test_suspending_by_hand_cuts_the_iv_off(world: World) -> None:
    from volunteers import services as volunteer_services
    from volunteers.models import VolunteerStatus

    volunteer, feed = _set_the_scene(world)
    volunteer_services.volunteer_set_status(
        actor=world.coordinator, volunteer=volunteer, status=VolunteerStatus.SUSPENDED,
        reason="Under review",
    )  # fmt: skip
    _assert_cut_off(world, volunteer, feed)


def test_coordinator_names_the_iv_on_the_form_and_the_iv_is_suspended(world: World) -> None:
    from volunteers.models import VolunteerStatus

    volunteer, feed = _set_the_scene(world)
    client = signed_in(world.coordinator)
    form = client.get(reverse("safeguarding:raise") + f"?child={world.child.public_id}")
    assert "Is it about one of our IVs?" in form.content.decode()
    response = client.post(
        reverse("safeguarding:raise"),
        {
            "child": world.child.public_id, "kind": "concern", "category": "physical",
            "what_happened": "Carer says the IV grabbed Amy's arm",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "told_child": "not_possible", "about_volunteer": world.iv.public_id,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    concern = Concern.objects.get(what_happened__startswith="Carer says the IV")
    assert concern.about_volunteer == world.iv and concern.about_adult
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.SUSPENDED
    _assert_cut_off(world, volunteer, feed)


def test_staff_name_someone_else_by_name(world: World) -> None:
    client = signed_in(world.coordinator)
    response = client.post(
        reverse("safeguarding:raise"),
        {
            "child": world.child.public_id, "kind": "concern", "category": "physical",
            "what_happened": "A teacher shouted at Amy",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "told_child": "yes", "about_adult_name": "Mr Teacher",
        },
    )  # fmt: skip
    assert response.status_code == 302
    concern = Concern.objects.get(what_happened="A teacher shouted at Amy")
    assert concern.about_adult_name == "Mr Teacher" and concern.about_adult
    assert concern.about_volunteer is None
    world.match.refresh_from_db()
    assert world.match.status != MatchStatus.PAUSED


def test_naming_both_or_an_iv_of_another_scheme_is_refused_next_to_the_field(
    world: World,
) -> None:
    client = signed_in(world.coordinator)
    data = {
        "child": world.child.public_id, "kind": "concern", "category": "physical",
        "what_happened": "Something", "told_child": "yes",
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "about_volunteer": world.iv.public_id, "about_adult_name": "Someone",
    }  # fmt: skip
    page = client.post(reverse("safeguarding:raise"), data).content.decode()
    assert "Choose the IV or write the name of someone else, not both." in page
    assert 'value="Someone"' in page
    data.update(about_volunteer=world.south_iv.public_id, about_adult_name="")
    page = client.post(reverse("safeguarding:raise"), data).content.decode()
    assert "Select a valid choice" in page
    world.match.refresh_from_db()
    assert world.match.status != MatchStatus.PAUSED


def test_an_iv_cannot_name_an_adult(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    from safeguarding import services

    form = signed_in(world.iv).get(reverse("safeguarding:raise")).content.decode()
    assert "Is it about one of our IVs?" not in form
    with pytest.raises(PermissionDenied):
        services.concern_raise(
            actor=world.iv, child=world.child, kind="concern", category="physical",
            what_happened="x", occurred_at=timezone.now(), told_child="yes",
            about_volunteer=world.other_iv,
        )  # fmt: skip

"""Visits: planning, lone working, cancellations, reports, the calendar feed and access."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from notifications.models import Notification
from tests.personas import World
from visits import ical, selectors, services
from visits.models import ReportNote, Visit, VisitReport, VisitSettings, VisitStatus
from visits.tests.helpers import make_feed, make_platform, make_report, make_visit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 6, 10, 12, 0, tzinfo=LONDON)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def plan_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "kind": "face_to_face",
        "place": "Northtown park",
        "activity": "Feed the ducks",
        "named_person_name": "Ned Named",
        "named_person_phone": "07700 900111",
    }
    data.update(overrides)
    return data


# --- Planning -------------------------------------------------------------------------------


def test_iv_plans_a_face_to_face_visit(world: World) -> None:
    response = client_for(world.iv).post(reverse("visits:plan"), plan_data())
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("visits:detail", args=[visit.public_id])
    assert visit.match == world.match
    assert visit.named_person_name == "Ned Named"
    assert visit.status == VisitStatus.PLANNED


def test_platform_above_the_childs_age_is_refused_with_the_reason(world: World) -> None:
    whatsapp = make_platform(world.north, "WhatsApp", 16)
    response = client_for(world.iv).post(
        reverse("visits:plan"),
        plan_data(kind="video", platform=whatsapp.pk, activity="Chat about school"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "WhatsApp is for people aged 16 or over, and Amy is 12" in page
    # What was typed is kept.
    assert "Chat about school" in page
    assert not Visit.objects.exists()


def test_platform_the_child_is_old_enough_for_is_accepted(world: World) -> None:
    facetime = make_platform(world.north, "FaceTime", 4)
    response = client_for(world.iv).post(
        reverse("visits:plan"),
        plan_data(kind="video", platform=facetime.pk, place="", named_person_name=""),
    )
    assert response.status_code == 302
    assert Visit.objects.get().platform == facetime


def test_video_needs_a_platform_and_face_to_face_needs_a_named_person(world: World) -> None:
    client = client_for(world.iv)
    page = client.post(reverse("visits:plan"), plan_data(kind="video")).content.decode()
    assert "Choose the platform you will use." in page
    page = client.post(reverse("visits:plan"), plan_data(named_person_phone="")).content.decode()
    assert "named person&#x27;s phone number" in page
    page = client.post(reverse("visits:plan"), plan_data(end_time="09:00")).content.decode()
    assert "The expected end must be after the start." in page
    assert not Visit.objects.exists()


def test_platform_of_another_scheme_cannot_be_chosen(world: World) -> None:
    south = make_platform(world.south, "FaceTime", 4)
    response = client_for(world.iv).post(
        reverse("visits:plan"), plan_data(kind="video", platform=south.pk)
    )
    assert response.status_code == 200
    assert not Visit.objects.exists()


def test_a_volunteer_who_may_not_visit_cannot_plan(world: World, monkeypatch: Any) -> None:
    import visits.services as vs  # where visits reads the volunteer's state

    monkeypatch.setattr(vs, "volunteer_for_user", lambda user: object())
    monkeypatch.setattr(
        vs, "volunteer_can_visit", lambda v: (False, ["The DBS check has expired."])
    )
    page = client_for(world.iv).post(reverse("visits:plan"), plan_data()).content.decode()
    assert "You cannot plan visits at the moment" in page
    assert "The DBS check has expired." in page
    assert not Visit.objects.exists()


def test_seeded_platforms_follow_the_guidance(world: World) -> None:
    assert services.platforms_seed(scheme=world.north) == 5
    assert services.platforms_seed(scheme=world.north) == 0
    ages = dict(selectors.platforms_for_scheme(world.north.pk).values_list("name", "minimum_age"))
    assert ages["WhatsApp"] == 16
    assert ages["Skype"] == 13
    assert ages["Netflix Party"] == 13
    assert ages["FaceTime"] == 4


def test_coordinator_edits_a_platforms_minimum_age(world: World) -> None:
    skype = make_platform(world.north, "Skype", 13)
    client = client_for(world.coordinator)
    response = client.post(
        reverse("visits:platform_edit", args=[skype.public_id]),
        {"name": "Skype", "minimum_age": "14", "is_active": "on"},
    )
    assert response.status_code == 302
    skype.refresh_from_db()
    assert skype.minimum_age == 14


# --- Lone working -----------------------------------------------------------------------


def test_check_in_and_out(world: World) -> None:
    visit = make_visit(world, starts_at=timezone.now() + timedelta(minutes=30))
    client = client_for(world.iv)
    client.post(reverse("visits:check_in", args=[visit.public_id]), {"next": "home"})
    visit.refresh_from_db()
    assert visit.status == VisitStatus.UNDER_WAY
    assert visit.checked_in_at is not None
    # A second tap (a retry on a weak signal) changes nothing.
    first = visit.checked_in_at
    client.post(reverse("visits:check_in", args=[visit.public_id]))
    visit.refresh_from_db()
    assert visit.checked_in_at == first
    client.post(reverse("visits:check_out", args=[visit.public_id]))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.HELD
    assert visit.checked_out_at is not None


def test_check_in_too_early_and_check_out_without_check_in_are_refused(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        visit = make_visit(world, starts_at=NOW + timedelta(hours=5))
        with pytest.raises(ValidationError, match="too early"):
            services.visit_check_in(actor=world.iv, visit=visit)
        with pytest.raises(ValidationError, match="Check in first"):
            services.visit_check_out(actor=world.iv, visit=visit)
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        assert services.visit_check_in(actor=world.iv, visit=visit).status == "under_way"


def test_cancelled_visit_cannot_be_checked_in(world: World) -> None:
    visit = make_visit(world, status=VisitStatus.CANCELLED, starts_at=timezone.now())
    with pytest.raises(ValidationError, match="cancelled"):
        services.visit_check_in(actor=world.iv, visit=visit)


def test_overdue_checkout_query_finds_exactly_the_right_visits(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        ended = NOW - timedelta(hours=2)  # started 4 h ago, expected end 2 h ago
        started = ended - timedelta(hours=2)
        under_way = make_visit(world, status="under_way", starts_at=started)
        never_checked_in = make_visit(world, status="planned", starts_at=started)
        make_visit(world, status="held", starts_at=started)  # checked out
        make_visit(world, status="cancelled", starts_at=started)
        make_visit(world, status="under_way", starts_at=started, overdue_alerted_at=NOW)
        make_visit(world, status="planned", kind="phone", starts_at=started, place="")
        # Within the grace period: ended 30 minutes ago, grace is 60 minutes.
        make_visit(world, status="under_way", starts_at=NOW - timedelta(hours=2, minutes=30))
        # Still going.
        make_visit(world, status="under_way", starts_at=NOW - timedelta(minutes=30))
        # South's grace is 15 minutes, so its visit that ended 30 minutes ago is overdue.
        VisitSettings.objects.create(scheme=world.south, checkout_grace=timedelta(minutes=15))
        south = make_visit(
            world,
            status="under_way",
            match=world.south_match,
            starts_at=NOW - timedelta(hours=2, minutes=30),
        )
        found = set(selectors.visits_overdue_checkout(NOW))
        assert found == {under_way, never_checked_in, south}
        # The job claims each alert once.
        assert services.visit_overdue_alert_mark(visit=under_way, now=NOW) is True
        assert services.visit_overdue_alert_mark(visit=under_way, now=NOW) is False
        assert set(selectors.visits_overdue_checkout(NOW)) == {never_checked_in, south}


def test_remote_contact_is_recorded_as_held_without_check_in(world: World) -> None:
    visit = make_visit(world, kind="phone", starts_at=timezone.now() - timedelta(hours=1), place="")
    client_for(world.iv).post(reverse("visits:record_held", args=[visit.public_id]))
    visit.refresh_from_db()
    assert visit.status == VisitStatus.HELD


# --- Cancellations ----------------------------------------------------------------------


def test_carer_sanction_cancellation_is_flagged_to_the_coordinator(world: World) -> None:
    visit = make_visit(world)
    client = client_for(world.iv)
    # Forgetting to answer the sanction question keeps what was typed.
    page = client.post(
        reverse("visits:cancel", args=[visit.public_id]),
        {"cancelled_by": "carer", "reason": "Grounded for the weekend"},
    ).content.decode()
    assert "because of behaviour" in page
    assert "Grounded for the weekend" in page
    response = client.post(
        reverse("visits:cancel", args=[visit.public_id]),
        {"cancelled_by": "carer", "reason": "Grounded for the weekend", "carer_sanction": "yes"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED
    assert visit.carer_sanction is True
    note = Notification.objects.get(user=world.coordinator, key__startswith="visits:sanction")
    assert note.urgent
    assert "sanction" in note.title
    assert "Amy" not in note.title
    assert not Notification.objects.filter(user=world.other_coordinator).exists()
    # The coordinator's visit page says so.
    detail = client_for(world.coordinator).get(reverse("visits:detail", args=[visit.public_id]))
    assert "as a sanction for behaviour" in detail.content.decode()


def test_other_cancellations_are_not_flagged(world: World) -> None:
    visit = make_visit(world)
    services.visit_cancel(
        actor=world.iv, visit=visit, cancelled_by="child", reason="Party", carer_sanction=True
    )
    visit.refresh_from_db()
    assert visit.carer_sanction is None
    assert visit.cancelled_by == "child"
    assert not Notification.objects.filter(title__contains="sanction").exists()


# --- Reports ----------------------------------------------------------------------------


def report_data(client_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    data = {
        "client_id": client_id or str(uuid.uuid4()),
        "what_we_did": "Bowling then chips",
        "how_child_seemed": "Chatty",
        "child_wants": "To go ice skating next time",
        "follow_up": "",
    }
    data.update(overrides)
    return data


def held_visit(world: World) -> Visit:
    return make_visit(world, status="held", starts_at=timezone.now() - timedelta(days=1))


def test_a_retried_submission_never_makes_a_second_report(world: World) -> None:
    visit = held_visit(world)
    client = client_for(world.iv)
    data = report_data()
    url = reverse("visits:report", args=[visit.public_id])
    first = client.post(url, data, HTTP_ACCEPT="application/json")
    second = client.post(url, data, HTTP_ACCEPT="application/json")
    assert first.status_code == second.status_code == 200
    assert first.json()["created"] is True
    assert second.json()["created"] is False
    assert first.json()["url"] == second.json()["url"]
    assert VisitReport.objects.count() == 1


def test_a_report_is_submitted_once(world: World) -> None:
    visit = held_visit(world)
    client = client_for(world.iv)
    url = reverse("visits:report", args=[visit.public_id])
    client.post(url, report_data())
    response = client.post(url, report_data(what_we_did="Another go"))
    assert "already been sent" in response.content.decode()
    assert VisitReport.objects.count() == 1
    # The form page now shows the report instead.
    assert client.get(url).status_code == 302


def test_report_form_keeps_what_was_typed_on_error(world: World) -> None:
    visit = held_visit(world)
    response = client_for(world.iv).post(
        reverse("visits:report", args=[visit.public_id]),
        report_data(how_child_seemed="", child_wants="Wants a dog"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Wants a dog" in page
    assert "This field is required" in page
    json = client_for(world.iv).post(
        reverse("visits:report", args=[visit.public_id]),
        report_data(how_child_seemed=""),
        HTTP_ACCEPT="application/json",
    )
    assert json.status_code == 400
    assert not VisitReport.objects.exists()


def test_report_only_after_the_visit_happened(world: World) -> None:
    visit = make_visit(world)
    with pytest.raises(ValidationError, match="once the visit has happened"):
        services.report_submit(
            actor=world.iv,
            visit=visit,
            client_id=uuid.uuid4(),
            what_we_did="x",
            how_child_seemed="y",
        )


def test_coordinator_acknowledges_and_replies_iv_adds(world: World) -> None:
    report = make_report(world)
    coordinator = client_for(world.coordinator)
    page = coordinator.get(reverse("visits:report_queue")).content.decode()
    assert report.public_id in page
    coordinator.post(reverse("visits:report_acknowledge", args=[report.public_id]))
    report.refresh_from_db()
    assert report.acknowledged_by == world.coordinator
    assert report.public_id not in coordinator.get(reverse("visits:report_queue")).content.decode()
    coordinator.post(reverse("visits:report_note", args=[report.public_id]), {"text": "Thanks!"})
    client_for(world.iv).post(
        reverse("visits:report_note", args=[report.public_id]),
        {"text": "I forgot: she lost a tooth"},
    )
    kinds = list(ReportNote.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["reply", "addendum"]
    # The report itself is unchanged.
    report.refresh_from_db()
    assert report.what_we_did == "Bowling and chips"


def test_iv_cannot_acknowledge(world: World) -> None:
    report = make_report(world)
    response = client_for(world.iv).post(
        reverse("visits:report_acknowledge", args=[report.public_id])
    )
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.acknowledged_at is None


def test_social_worker_sees_dates_not_content(world: World) -> None:
    held = held_visit(world)
    make_report(world, visit=held, child_wants="SECRET WISH")
    make_visit(world, status="cancelled", starts_at=timezone.now() - timedelta(days=3))
    make_visit(world, place="Planned place")
    response = client_for(world.social_worker).get(reverse("visits:list"))
    page = response.content.decode()
    assert "Held" in page
    assert "Cancelled by the child" in page
    assert "Northtown bowling alley" not in page
    assert "SECRET WISH" not in page
    assert "Planned place" not in page
    assert reverse("visits:detail", args=[held.public_id]) not in page
    other = client_for(world.other_social_worker).get(reverse("visits:list")).content.decode()
    assert "Held" not in other


def test_iv_sees_only_their_own_matchs_visits(world: World) -> None:
    mine = make_visit(world)
    south = make_visit(world, match=world.south_match)
    page = client_for(world.iv).get(reverse("visits:list")).content.decode()
    assert mine.public_id in page
    assert south.public_id not in page
    assert (
        client_for(world.other_iv).get(reverse("visits:detail", args=[mine.public_id])).status_code
        == 404
    )


def test_worried_hands_over_or_says_who_to_call(world: World, monkeypatch: Any) -> None:
    visit = held_visit(world)
    client = client_for(world.iv)
    url = reverse("visits:worried", args=[visit.public_id])
    try:
        target = reverse("safeguarding:raise")
    except NoReverseMatch:
        target = None
    response = client.get(url)
    if target:
        assert response.status_code == 302
        assert response["Location"].startswith(target)
    import visits.views as views

    real = views.reverse

    def no_safeguarding(name: str, *args: Any, **kwargs: Any) -> str:
        if name == "safeguarding:raise":
            raise NoReverseMatch(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(views, "reverse", no_safeguarding)
    world.north.out_of_hours_phone = "0300 123 4001"
    world.north.save()
    page = client.get(url).content.decode()
    assert "call 999 now" in page
    assert "0300 123 4001" in page


# --- IV home ------------------------------------------------------------------------------


def test_iv_home_shows_child_next_visit_and_visit_card(world: World) -> None:
    from referrals import services as child_services

    child = world.child
    child.allergies = "Peanuts"
    child.save()
    child_services.placement_change(
        actor=world.coordinator,
        child=child,
        kind="foster",
        carer_name="Pat Carer",
        carer_phone="07700 900222",
        address="1 Secret Road",
        started_on=timezone.localdate() - timedelta(days=100),
    )
    world.north.out_of_hours_phone = "0300 123 4001"
    world.north.save()
    make_visit(world, starts_at=timezone.now() + timedelta(hours=1))
    held_visit(world)
    page = client_for(world.iv).get(reverse("portal:home")).content.decode()
    assert "Amy, 12" in page
    assert "Atkins" not in page
    assert "1 Secret Road" not in page
    assert "Peanuts" in page
    assert "Never give Amy any medication" in page
    assert "07700 900222" in page
    assert "0300 123 4001" in page
    assert "Check in: the visit is starting" in page
    assert "Plan a visit" in page
    assert "Write the report for" in page


# --- Calendar -----------------------------------------------------------------------------


def test_calendar_feed_is_rfc5545_without_the_childs_name(world: World) -> None:
    make_visit(world, activity="Cinema, then pizza; maybe " + "a very long activity " * 4)
    make_visit(world, status="cancelled")
    make_visit(world, match=world.south_match)
    client = client_for(world.iv)
    client.post(reverse("visits:calendar"), {"action": "renew"})
    feed = selectors.calendar_feed_for(world.iv)
    assert feed is not None
    body = Client().get(reverse("visits:calendar_feed", args=[feed.token]))
    assert body["Content-Type"].startswith("text/calendar")
    text = body.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 1
    assert "Atkins" not in text and "Amy" not in text
    assert "Cinema\\, then pizza\\; maybe" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    # Revoked: the old address stops working.
    client.post(reverse("visits:calendar"), {"action": "revoke"})
    assert Client().get(reverse("visits:calendar_feed", args=[feed.token])).status_code == 404


def test_fold_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 60
    folded = ical.fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_feed_of_another_iv_is_not_shared(world: World) -> None:
    make_visit(world)
    feed = make_feed(world.other_iv, "other-token")
    text = Client().get(reverse("visits:calendar_feed", args=[feed.token])).content.decode()
    assert "BEGIN:VEVENT" not in text


def test_service_worker_is_served_with_its_scope(world: World) -> None:
    response = Client().get(reverse("visits:service_worker"))
    assert response["Service-Worker-Allowed"] == "/visits/"
    assert b'importScripts("/static/visits/offline.js")' in response.content

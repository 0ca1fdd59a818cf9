"""The referral lifecycle, duplicates, eligibility and the pages that drive them."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from notifications.models import Notification
from referrals import selectors, services
from referrals.models import Child, Referral, ReferralEvent, ReferralStatus
from tests.clock import days_ago
from tests.personas import PASSWORD, World, years_before

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def referral_post(**overrides: str) -> dict[str, str]:
    data = {
        "first_name": "Nia", "last_name": "Jones", "date_of_birth": "2014-02-03",
        "gender": "female", "case_number": "N-7007", "legal_status": "s31",
        "wishes_in_own_words": "I want someone who likes horses.", "iv_gender_preference": "female",
        "photo_consent": "ask", "consent_to_share": "on",
        "placement-kind": "foster", "placement-carer_name": "Jo Carer",
        "placement-carer_phone": "07700 900555", "placement-address": "3 Oak Lane",
        "placement-started_on": "2025-01-10",
        "referral-reason": "infrequent_contact", "referral-reason_note": "Rare contact with mum.",
        "action": "send",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_social_worker_sends_a_referral_and_coordinators_are_told(world: World) -> None:
    response = signed_in(world.social_worker).post(reverse("referrals:new"), referral_post())
    assert response.status_code == 302
    referral = Referral.objects.get(child__case_number="N-7007")
    assert referral.status == ReferralStatus.RECEIVED
    assert referral.child.social_worker == world.social_worker
    assert referral.child.placements.get().carer_name == "Jo Carer"
    assert [e.to_status for e in referral.events.all()] == ["draft", "received"]
    # The coordinator is told (on commit; the test client's request ran in the test's
    # transaction, so run what was queued).
    inbox = signed_in(world.coordinator).get(reverse("referrals:inbox")).content.decode()
    assert "Nia Jones" in inbox


def test_notification_on_submit_reaches_coordinators(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(world.social_worker).post(reverse("referrals:new"), referral_post())
    assert (
        Notification.objects.filter(
            user=world.coordinator, title="A new referral has arrived"
        ).count()
        == 2
    )
    assert not Notification.objects.filter(user=world.other_coordinator).exists()


def test_draft_then_send(world: World) -> None:
    client = signed_in(world.social_worker)
    response = client.post(
        reverse("referrals:new"), referral_post(action="draft", **{"referral-reason": ""})
    )
    assert response.status_code == 302
    referral = Referral.objects.get(child__case_number="N-7007")
    assert referral.status == ReferralStatus.DRAFT
    # Coordinators do not see someone else's unsent draft.
    assert (
        signed_in(world.coordinator)
        .get(reverse("referrals:detail", args=[referral.public_id]))
        .status_code
        == 404
    )
    response = client.post(reverse("referrals:send", args=[referral.public_id]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT  # no reason yet: refused
    services.referral_update_draft(
        actor=world.social_worker,
        referral=referral,
        reason="child_interest",
        reason_note="",
        child_objects=False,
    )
    client.post(reverse("referrals:send", args=[referral.public_id]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RECEIVED


def test_sending_needs_a_reason_and_keeps_what_was_typed(world: World) -> None:
    response = signed_in(world.social_worker).post(
        reverse("referrals:new"),
        referral_post(**{"referral-reason": "", "date_of_birth": "not a date"}),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choose the reason for the referral." in text
    assert "Enter a valid date." in text
    assert 'value="Nia"' in text and "I want someone who likes horses." in text
    assert 'value="Jo Carer"' in text
    assert not Referral.objects.filter(child__first_name="Nia").exists()


def test_lifecycle_to_waiting_list_with_days_shown(world: World) -> None:
    coordinator = signed_in(world.coordinator)
    referral = world.referral
    response = coordinator.post(
        reverse("referrals:meeting", args=[referral.public_id]),
        {"met_on": days_ago(31).isoformat(), "child_wants": "Someone who plays Minecraft"},
    )
    assert response.status_code == 302
    coordinator.post(reverse("referrals:wait", args=[referral.public_id]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING
    assert referral.waiting_since == date.today()
    Referral.objects.filter(pk=referral.pk).update(waiting_since=date.today() - timedelta(days=12))
    page = coordinator.get(reverse("referrals:waiting")).content.decode()
    assert "Cal Carter" in page and "<strong>12</strong> days" in page


def test_illegal_transition_is_refused_with_a_message(world: World) -> None:
    with pytest.raises(ValidationError, match="received cannot become waiting for a match"):
        services.referral_add_to_waiting_list(actor=world.coordinator, referral=world.referral)
    response = signed_in(world.coordinator).post(
        reverse("referrals:wait", args=[world.referral.public_id]), follow=True
    )
    assert "cannot become waiting for a match" in response.content.decode()
    assert ReferralEvent.objects.filter(referral=world.referral).count() == 2


def test_declined_referral_carries_its_reason(world: World) -> None:
    client = signed_in(world.coordinator)
    response = client.post(
        reverse("referrals:close", args=[world.referral.public_id]),
        {"outcome": "declined", "closing_reason": "other", "closing_note": ""},
    )
    assert response.status_code == 200
    assert "Say why, when the reason is" in response.content.decode()
    client.post(
        reverse("referrals:close", args=[world.referral.public_id]),
        {
            "outcome": "declined",
            "closing_reason": "other_support",
            "closing_note": "Mentoring fits better",
        },
    )
    world.referral.refresh_from_db()
    assert world.referral.status == ReferralStatus.DECLINED
    assert world.referral.get_closing_reason_display() == "Other support better meets the need"
    page = client.get(reverse("referrals:detail", args=[world.referral.public_id])).content.decode()
    assert "Other support better meets the need: Mentoring fits better" in page


def test_social_worker_may_withdraw_but_not_decline(world: World) -> None:
    client = signed_in(world.social_worker)
    client.post(
        reverse("referrals:close", args=[world.referral.public_id]),
        {"outcome": "declined", "closing_reason": "moved_away"},
    )
    world.referral.refresh_from_db()
    assert world.referral.status == ReferralStatus.RECEIVED
    client.post(
        reverse("referrals:close", args=[world.referral.public_id]),
        {"outcome": "withdrawn", "closing_reason": "moved_away"},
    )
    world.referral.refresh_from_db()
    assert world.referral.status == ReferralStatus.WITHDRAWN


def test_re_referral_of_a_closed_case_keeps_history(world: World) -> None:
    services.referral_close(
        actor=world.coordinator, referral=world.referral, outcome="declined", reason="not_eligible"
    )
    again = services.referral_create(
        actor=world.social_worker, child=world.referral.child, reason="child_interest"
    )
    assert again.pk != world.referral.pk
    assert Referral.objects.filter(child=world.referral.child).count() == 2


def test_coordinator_is_asked_about_a_duplicate_before_anything_is_created(world: World) -> None:
    client = signed_in(world.coordinator)
    post = referral_post(
        first_name="cal", last_name="CARTER",
        date_of_birth=world.referral.child.date_of_birth.isoformat(), case_number="",
    )  # fmt: skip
    response = client.post(reverse("referrals:new"), post)
    assert response.status_code == 200
    text = response.content.decode()
    assert "may already be known to the scheme" in text
    assert Child.objects.filter(first_name__iexact="cal").count() == 1
    # "Different child" proceeds.
    response = client.post(reverse("referrals:new"), {**post, "choice": "new"})
    assert response.status_code == 302
    assert Child.objects.filter(first_name__iexact="cal").count() == 2


def test_social_workers_duplicate_is_flagged_for_the_coordinator_to_link(world: World) -> None:
    services.referral_close(
        actor=world.coordinator, referral=world.referral, outcome="declined", reason="not_eligible"
    )
    client = signed_in(world.other_social_worker)
    client.post(
        reverse("referrals:new"),
        referral_post(
            first_name="Cal",
            last_name="Carter",
            date_of_birth=world.referral.child.date_of_birth.isoformat(),
            case_number="",
        ),
    )
    referral = Referral.objects.exclude(pk=world.referral.pk).get(child__first_name="Cal")
    assert list(referral.possible_duplicates.all()) == [world.referral.child]
    assert referral in selectors.referral_inbox(world.coordinator)
    coordinator = signed_in(world.coordinator)
    assert (
        "Possible duplicate"
        in coordinator.get(reverse("referrals:detail", args=[referral.public_id])).content.decode()
    )
    coordinator.post(
        reverse("referrals:duplicates", args=[referral.public_id]),
        {"choice": world.referral.child.public_id},
    )
    referral.refresh_from_db()
    assert referral.child == world.referral.child and referral.duplicates_resolved
    merged = Child.objects.filter(merged_into=world.referral.child).get()
    assert merged not in selectors.children_visible_to(world.coordinator)


def test_eligibility_warnings(world: World) -> None:
    child = world.referral.child
    with time_machine.travel(years_before(child.date_of_birth, -6)):
        assert any("from 8" in w for w in selectors.eligibility_warnings(child=child))
    child.legal_status = "not_looked_after"
    assert "The child is not looked after, so cannot have an IV." in selectors.eligibility_warnings(
        child=child
    )
    with time_machine.travel(years_before(child.date_of_birth, -19)):
        child.legal_status = "care_leaver"
        assert any("up to 18" in w for w in selectors.eligibility_warnings(child=child))
    world.referral.child_objects = True
    assert "The child has said they do not want an IV." in selectors.eligibility_warnings(
        child=child, referral=world.referral
    )


def test_placement_change_keeps_history_and_tells_coordinators(
    world: World, django_capture_on_commit_callbacks
) -> None:
    client = signed_in(world.social_worker)
    child = world.referral.child
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("children:placement", args=[child.public_id]),
            {
                "kind": "residential",
                "carer_name": "Hill House",
                "address": "Hill Road",
                "started_on": days_ago(60).isoformat(),
            },
        )
    assert response.status_code == 302
    placements = list(child.placements.order_by("started_on"))
    assert [p.ended_on for p in placements] == [days_ago(60), None]
    assert Notification.objects.filter(
        user=world.coordinator, title="A child's placement has changed"
    ).exists()


def test_waiting_list_filters_and_csv(world: World) -> None:
    services.referral_record_meeting(
        actor=world.coordinator, referral=world.referral, met_on=days_ago(31), child_wants="x"
    )
    services.referral_add_to_waiting_list(
        actor=world.coordinator, referral=world.referral, waiting_since=days_ago(92)
    )
    client = signed_in(world.coordinator)
    assert (
        "Cal Carter"
        in client.get(
            reverse("referrals:waiting"), {"gender": "", "min_age": "5", "max_age": "15"}
        ).content.decode()
    )
    assert (
        "Cal Carter"
        not in client.get(reverse("referrals:waiting"), {"min_age": "12"}).content.decode()
    )
    bad = client.get(
        reverse("referrals:waiting"), {"min_age": "12", "max_age": "9"}
    ).content.decode()
    assert "must not be less than" in bad and 'value="12"' in bad
    client.post(reverse("accounts:sudo"), {"password": PASSWORD})
    response = client.get(reverse("referrals:waiting_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][1] == "First name" and rows[1][1] == "Cal"


def test_waiting_list_csv_guards_the_social_workers_name(world: World) -> None:
    """Issue 19.10: the social worker column was written without the formula guard."""
    services.referral_record_meeting(
        actor=world.coordinator, referral=world.referral, met_on=days_ago(31), child_wants="x"
    )
    services.referral_add_to_waiting_list(
        actor=world.coordinator, referral=world.referral, waiting_since=days_ago(92)
    )
    worker = world.referral.child.social_worker
    assert worker is not None
    worker.full_name = '=HYPERLINK("http://evil.example/","Click")'
    worker.save(update_fields=["full_name"])
    client = signed_in(world.coordinator)
    client.post(reverse("accounts:sudo"), {"password": PASSWORD})
    response = client.get(reverse("referrals:waiting_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][6] == "Social worker"
    assert rows[1][6] == "'" + worker.full_name


def test_other_scheme_and_other_team_get_404_and_iv_sees_nothing(world: World) -> None:
    url = reverse("referrals:detail", args=[world.referral.public_id])
    assert signed_in(world.other_social_worker).get(url).status_code == 404
    assert signed_in(world.other_coordinator).get(url).status_code == 404
    assert signed_in(world.iv).get(url).status_code == 404
    assert (
        signed_in(world.iv)
        .get(reverse("children:detail", args=[world.referral.child.public_id]))
        .status_code
        == 404
    )
    assert list(selectors.referrals_visible_to(world.iv)) == []
    assert (
        "Cal"
        not in signed_in(world.other_coordinator).get(reverse("referrals:inbox")).content.decode()
    )


def test_my_children_shows_status_in_one_line(world: World) -> None:
    page = signed_in(world.social_worker).get(reverse("matches:my_children")).content.decode()
    assert "Cal Carter" in page and "received" in page
    assert "Amy Atkins" in page and "introduction" in page

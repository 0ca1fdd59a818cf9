from __future__ import annotations

from datetime import date, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import reminders as complaints_reminders
from expenses import reminders as expenses_reminders
from matches import reminders as matches_reminders
from matches.models import Match
from notifications import delivery, tasks
from notifications.models import Delivery, JobRun, Notification, NotificationPreference
from notifications.services import notify
from referrals import reminders as referrals_reminders
from referrals import services as referral_services
from referrals import tasks as referral_tasks
from referrals.models import Referral
from safeguarding import reminders as safeguarding_reminders
from safeguarding.models import Concern
from tests.clock import days_ago
from tests.personas import World, born_on
from visits import reminders as visits_reminders
from volunteers import reminders as volunteers_reminders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]


def test_notify_is_once_per_person_and_key(world: World) -> None:
    assert notify(users=[world.coordinator, world.manager], title="T", key="k1") == 2
    assert notify(users=[world.coordinator, world.manager], title="T", key="k1") == 0
    assert Notification.objects.filter(key="k1").count() == 2


def test_immediate_email_has_no_sensitive_detail(
    world: World, django_capture_on_commit_callbacks
) -> None:
    # The patch is entered first so that it is still in place when the callbacks run.
    with (
        mock.patch(
            "notifications.tasks.deliver_notifications.apply_async",
            side_effect=lambda args, kwargs, retry: delivery.deliver_immediate(kwargs["ids"]),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(users=[world.coordinator], title="A new safeguarding concern needs your attention",
               url="/safeguarding/abc/", key="concern:abc", urgent=True)  # fmt: skip
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    html = str(message.alternatives[0][0])  # type: ignore[union-attr]
    for body in (str(message.body), html):
        assert "A new safeguarding concern needs your attention" in body
        assert "/safeguarding/abc/" in body
        assert "Amy" not in body and "Atkins" not in body
    # Snapshot of the plain text.
    assert message.body.splitlines()[:3] == [
        "Hello Cora,", "", "A new safeguarding concern needs your attention.",
    ]  # fmt: skip


def test_digest_people_get_routine_items_once_a_day_but_urgent_at_once(world: World) -> None:
    NotificationPreference.objects.create(user=world.coordinator, delivery=Delivery.DIGEST)
    notify(users=[world.coordinator], title="Routine one", key="r1")
    notify(users=[world.coordinator], title="Routine two", key="r2")
    notify(users=[world.coordinator], title="Urgent one", key="u1", urgent=True)
    assert delivery.deliver_immediate() == 1
    assert mail.outbox[-1].subject == "Urgent one"
    assert delivery.deliver_digests() == 1
    assert "Routine one" in mail.outbox[-1].body and "Routine two" in mail.outbox[-1].body
    assert delivery.deliver_digests() == 0 and delivery.deliver_immediate() == 0
    assert len(mail.outbox) == 2


def test_broker_down_the_request_succeeds_and_the_sweep_sends_later(
    world: World, django_capture_on_commit_callbacks
) -> None:
    client = Client()
    client.force_login(world.social_worker)
    with (
        mock.patch(
            "notifications.tasks.deliver_notifications.apply_async",
            side_effect=ConnectionRefusedError("redis is down"),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("safeguarding:raise"),
            {
                "child": world.child.public_id,
                "kind": "concern",
                "category": "neglect",
                "what_happened": "No coat",
                "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "told_child": "yes",
            },
        )
    assert response.status_code == 302
    unsent = Notification.objects.filter(user=world.coordinator, emailed_at__isnull=True)
    assert unsent.exists() and not mail.outbox
    assert tasks.sweep_unsent() >= 1
    assert mail.outbox and not unsent.exists()


def test_escalation_job_due_sent_once_not_due_not_sent(world: World) -> None:
    concern: Concern = world.concern
    with time_machine.travel(concern.acknowledge_by - timedelta(minutes=1)):
        assert safeguarding_reminders.escalate_unacknowledged_concerns(timezone.now()) == 0
    with time_machine.travel(concern.acknowledge_by + timedelta(minutes=1)):
        assert safeguarding_reminders.escalate_unacknowledged_concerns(timezone.now()) == 1
        assert safeguarding_reminders.escalate_unacknowledged_concerns(timezone.now()) == 0
        assert safeguarding_reminders.escalate_unacknowledged_concerns(timezone.now()) == 0
    assert (
        Notification.objects.filter(user=world.manager, key__startswith="concern-escalated").count()
        == 1
    )
    assert not Notification.objects.filter(
        user=world.coordinator, key__startswith="concern-escalated"
    ).exists()


def test_referral_waiting_job(world: World) -> None:
    referral_services.referral_record_meeting(
        actor=world.coordinator, referral=world.referral, met_on=days_ago(10), child_wants="x"
    )
    since = days_ago(5)
    referral_services.referral_add_to_waiting_list(
        actor=world.coordinator, referral=world.referral, waiting_since=since
    )
    assert referrals_reminders.referrals_waiting_too_long(since + timedelta(days=89)) == 0
    assert referrals_reminders.referrals_waiting_too_long(since + timedelta(days=90)) == 1
    for _ in range(3):
        assert referrals_reminders.referrals_waiting_too_long(since + timedelta(days=91)) == 0
    assert Referral.objects.get(pk=world.referral.pk).status == "waiting"


def test_eighteenth_birthday_job(world: World) -> None:
    child = born_on(world.child, date(2014, 5, 17))  # 18 on 2032-05-17
    assert matches_reminders.eighteenth_birthdays(date(2032, 2, 16)) == 0  # 91 days before
    assert matches_reminders.eighteenth_birthdays(date(2032, 2, 17)) == 1  # 90 days before
    assert matches_reminders.eighteenth_birthdays(date(2032, 3, 1)) == 0
    note = Notification.objects.get(user=world.coordinator, key__startswith="turns-18")
    assert child.first_name not in note.title and "17 May 2032" in note.title
    assert Match.objects.filter(pk=world.match.pk).exists()


def test_job_runs_are_recorded_for_the_managers_page(world: World) -> None:
    referral_tasks.referrals_waiting()
    run = JobRun.objects.get()
    assert run.finished_at and run.duration_ms is not None and run.error == ""
    client = Client()
    client.force_login(world.manager)
    assert (
        "Referrals waiting too long" in client.get(reverse("notifications:jobs")).content.decode()
    )


def test_preferences_page(world: World) -> None:
    client = Client()
    client.force_login(world.iv)
    response = client.post(reverse("notifications:preferences"), {"delivery": "sometimes"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    client.post(reverse("notifications:preferences"), {"delivery": "digest"})
    assert NotificationPreference.objects.get(user=world.iv).delivery == "digest"


def test_lapsed_contact_job_and_weekly_report(world: World) -> None:
    from visits.models import Visit

    Match.objects.filter(pk=world.match.pk).update(
        started_on=date(2026, 1, 1), status="established"
    )
    Match.objects.filter(pk=world.south_match.pk).update(started_on=date(2026, 4, 1))
    Visit.objects.create(
        scheme=world.north, match=world.match, kind="phone", status="held",
        starts_at=timezone.make_aware(datetime(2026, 3, 1, 10)),
        expected_end=timezone.make_aware(datetime(2026, 3, 1, 11)),
    )  # fmt: skip
    assert visits_reminders.lapsed_contact(date(2026, 4, 11)) == 0  # 41 days
    assert visits_reminders.lapsed_contact(date(2026, 4, 13)) == 1  # 43 days: told once
    for _ in range(3):
        assert visits_reminders.lapsed_contact(date(2026, 4, 14)) == 0
    assert visits_reminders.weekly_lapsed_report(date(2026, 4, 13)) >= 2  # coordinator and manager
    assert visits_reminders.weekly_lapsed_report(date(2026, 4, 14)) == 0  # same week
    note = Notification.objects.get(user=world.manager, key__startswith="weekly-lapsed")
    assert note.title == "Weekly report: 1 matches with lapsed contact"
    client = Client()
    client.force_login(world.coordinator)
    with time_machine.travel(date(2026, 4, 13)):
        client.force_login(world.coordinator)
        page = client.get(reverse("visits:lapsed")).content.decode()
    assert "Ivy Visitor and Amy" in page


def test_overdue_checkout_and_report_overdue_jobs(world: World) -> None:
    from visits.models import Visit

    start = timezone.make_aware(datetime(2026, 11, 20, 10))
    visit = Visit.objects.create(
        scheme=world.north, match=world.match, kind="face_to_face", status="under_way",
        starts_at=start, expected_end=start + timedelta(hours=2), checked_in_at=start,
        named_person_name="Sam", named_person_phone="0700",
    )  # fmt: skip
    with time_machine.travel(start + timedelta(hours=2, minutes=59)):
        assert visits_reminders.overdue_checkouts(timezone.now()) == 0
    with time_machine.travel(start + timedelta(hours=3, minutes=1)):
        assert visits_reminders.overdue_checkouts(timezone.now()) == 1
        assert visits_reminders.overdue_checkouts(timezone.now()) == 0
    Visit.objects.filter(pk=visit.pk).update(
        status="held", checked_out_at=start + timedelta(hours=4)
    )
    assert visits_reminders.reports_overdue(date(2026, 11, 26)) == 0
    assert visits_reminders.reports_overdue(date(2026, 11, 28)) == 2  # the IV and the coordinator
    assert visits_reminders.reports_overdue(date(2026, 11, 29)) == 0


def test_review_jobs(world: World) -> None:
    from matches.models import MatchReview

    Match.objects.filter(pk=world.match.pk).update(
        status="trial", started_on=date(2026, 1, 10),
        trial_visit_dates=[date(2026, 1, 20), date(2026, 2, 20), date(2026, 3, 20)],
    )  # fmt: skip
    assert matches_reminders.reviews_due(date(2026, 4, 1)) == 0  # three trial visits
    Match.objects.filter(pk=world.match.pk).update(
        trial_visit_dates=[
            date(2026, 1, 20),
            date(2026, 2, 20),
            date(2026, 3, 20),
            date(2026, 4, 2),
        ]
    )
    assert matches_reminders.reviews_due(date(2026, 4, 3)) == 1
    assert matches_reminders.reviews_due(date(2026, 4, 4)) == 0
    # Established after the trial review on 10 April; the scheme reviews every 6 months.
    Match.objects.filter(pk=world.match.pk).update(
        status="established", trial_review_on=date(2026, 4, 10)
    )
    assert matches_reminders.reviews_due(date(2026, 9, 20)) == 0
    assert matches_reminders.reviews_due(date(2026, 9, 27)) == 1  # within 14 days of 10 October
    assert matches_reminders.reviews_due(date(2026, 9, 28)) == 0
    MatchReview.objects.create(
        match=world.match, held_on=date(2026, 10, 8), kind="regular", quality=4
    )
    # The first anniversary (10 January 2027) comes round once.
    sent = matches_reminders.reviews_due(date(2026, 12, 28))
    assert sent >= 1
    assert matches_reminders.reviews_due(date(2026, 12, 29)) == 0
    keys = set(Notification.objects.filter(user=world.coordinator).values_list("key", flat=True))
    assert f"anniversary:{world.match.public_id}" in keys


def test_supervision_overdue_job(world: World) -> None:
    from volunteers.models import Volunteer
    from volunteers.tests.helpers import approved

    volunteer = approved(world.north)
    Volunteer.objects.filter(pk=volunteer.pk).update(approved_on=date(2026, 1, 5))
    assert volunteers_reminders.supervision_overdue(date(2026, 3, 29)) == 0  # 12 weeks on 30 March
    assert volunteers_reminders.supervision_overdue(date(2026, 3, 30)) >= 1
    assert volunteers_reminders.supervision_overdue(date(2026, 3, 31)) == 0


def test_scheme_reminder_settings(world: World) -> None:
    from notifications.models import MonitoringSettings

    client = Client()
    client.force_login(world.manager)
    url = reverse("notifications:scheme_settings", args=["north"])
    response = client.post(
        url,
        {"referral_wait_limit_days": "60", "birthday_notice_days": "120",
         "renewal_notice_days": "soon", "complaint_warning_working_days": "3"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Write whole numbers of days" in response.content.decode()
    assert 'value="120"' in response.content.decode()
    client.post(
        url,
        {"referral_wait_limit_days": "60", "birthday_notice_days": "120",
         "renewal_notice_days": "7, 60,30", "complaint_warning_working_days": "3"},
    )  # fmt: skip
    saved = MonitoringSettings.objects.get(scheme=world.north)
    assert saved.referral_wait_limit_days == 60 and saved.renewal_days() == [60, 30, 7]


def test_claims_waiting_job(world: World, settings, tmp_path) -> None:
    from expenses.models import Claim
    from expenses.tests.helpers import submitted_claim

    settings.MEDIA_ROOT = str(tmp_path)
    claim = submitted_claim(world)
    Claim.objects.filter(pk=claim.pk).update(
        submitted_at=timezone.make_aware(datetime(2026, 11, 2, 9))
    )
    assert expenses_reminders.claims_waiting(date(2026, 11, 7)) == 0  # five days: not yet
    assert expenses_reminders.claims_waiting(date(2026, 11, 8)) == 1  # the north coordinator
    assert expenses_reminders.claims_waiting(date(2026, 11, 9)) == 0


def test_renewals_job_at_each_notice_point(world: World) -> None:
    from volunteers.models import Volunteer
    from volunteers.tests.helpers import approved

    volunteer = approved(world.north)
    # DBS issued 1 Feb 2024: renewal due 1 Feb 2027 (three years by default).
    Volunteer.objects.filter(pk=volunteer.pk).update(dbs_issued_on=date(2024, 2, 1), drives=False)
    assert volunteers_reminders.volunteer_renewals(date(2026, 12, 2)) == 0  # 61 days before
    assert (
        volunteers_reminders.volunteer_renewals(date(2026, 12, 3)) == 1
    )  # 60 days: the coordinator
    assert (
        volunteers_reminders.volunteer_renewals(date(2026, 12, 4)) == 0
    )  # same notice point, once
    assert volunteers_reminders.volunteer_renewals(date(2027, 1, 2)) == 1  # 30 days
    assert volunteers_reminders.volunteer_renewals(date(2027, 1, 25)) == 1  # 7 days
    assert volunteers_reminders.volunteer_renewals(date(2027, 1, 26)) == 0


def test_complaint_deadline_job_five_working_days_before_and_on_the_day(world: World) -> None:
    from complaints.models import Complaint
    from complaints.tests.factories import about_coordinator, make_complaint

    complaint = make_complaint(world)
    Complaint.objects.filter(pk=complaint.pk).update(due_on=date(2026, 12, 4))  # a Friday
    assert (
        complaints_reminders.complaint_deadlines(date(2026, 11, 26)) == 0
    )  # six working days before
    sent = complaints_reminders.complaint_deadlines(date(2026, 11, 27))  # five working days before
    assert sent >= 2  # the coordinator and the managers of north (and the complaints manager)
    assert complaints_reminders.complaint_deadlines(date(2026, 11, 27)) == 0
    assert complaints_reminders.complaint_deadlines(date(2026, 12, 4)) >= 2  # on the day
    # A complaint about a coordinator is never brought to that coordinator.
    hidden = about_coordinator(world)
    Complaint.objects.filter(pk=hidden.pk).update(due_on=date(2026, 12, 11))
    complaints_reminders.complaint_deadlines(date(2026, 12, 11))
    assert not Notification.objects.filter(
        user=world.coordinator, key__contains=hidden.public_id
    ).exists()

"""Retention: each type of record becomes due on the right day, the scan lists it once, the
approval destroys or anonymises it and leaves only the anonymous record."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dataprotection.models import (
    DestructionRecord,
    DueRecord,
    LegalHold,
    RecordType,
    RetentionRule,
)
from dataprotection.services import destruction, retention
from tests.personas import World, born_on

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


@pytest.fixture(autouse=True)
def amy_born_17_may_2014(world: World) -> None:
    """The dates below are worked from Amy's birthday: her 75th is 17 May 2089. Cal, the
    other child of north, is younger (75 on 3 March 2090), so he is never due with her."""
    born_on(world.child, date(2014, 5, 17))
    born_on(world.referral.child, date(2015, 3, 3))


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Any) -> str:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


def at(day: date) -> Any:
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=UTC), tick=False)


def due_keys(scheme: Any, day: date) -> set[tuple[str, int]]:
    with at(day):
        return {(d.record_type, d.object_pk) for d in retention.due_records(scheme, day)}


def left_volunteer(world: World, *, left_on: date, **fields: Any) -> Any:
    from volunteers.tests.helpers import approved

    with at(date(2024, 1, 10)):
        volunteer = approved(world.north, **fields)
    with at(left_on):
        volunteer.status = "left"
        volunteer.status_reason = "Moved away."
        volunteer.save()
    return volunteer


# --- The day each type becomes due ---------------------------------------------------------


def test_child_case_due_on_75th_birthday(world: World) -> None:
    amy = (RecordType.CHILD_CASE, world.child.pk)  # born 17 May 2014
    assert amy not in due_keys(world.north, date(2089, 5, 16))
    assert amy in due_keys(world.north, date(2089, 5, 17))


def test_child_who_died_before_18_is_due_15_years_after_death(world: World) -> None:
    world.child.died_on = date(2027, 3, 4)
    world.child.save()
    key = (RecordType.CHILD_DIED, world.child.pk)
    assert key not in due_keys(world.north, date(2042, 3, 3))
    assert key in due_keys(world.north, date(2042, 3, 4))
    assert (RecordType.CHILD_CASE, world.child.pk) not in due_keys(world.north, date(2089, 5, 17))


def test_child_who_died_as_an_adult_keeps_the_75_year_rule(world: World) -> None:
    world.child.died_on = date(2033, 1, 1)  # aged 18
    world.child.save()
    assert (RecordType.CHILD_DIED, world.child.pk) not in due_keys(world.north, date(2060, 1, 1))
    assert (RecordType.CHILD_CASE, world.child.pk) in due_keys(world.north, date(2089, 5, 17))


def test_volunteer_due_six_years_after_leaving(world: World) -> None:
    volunteer = left_volunteer(world, left_on=date(2026, 3, 1))
    key = (RecordType.VOLUNTEER, volunteer.pk)
    assert key not in due_keys(world.north, date(2032, 2, 29))
    assert key in due_keys(world.north, date(2032, 3, 1))


def _allegation(world: World, user: Any, on: date) -> None:
    from safeguarding.models import Concern

    Concern.objects.filter(pk=world.concern.pk).update(
        about_adult=True,
        about_volunteer=user,
        created_at=datetime(on.year, on.month, on.day, 9, tzinfo=UTC),
    )


def test_allegation_kept_to_67th_birthday_when_later(world: World) -> None:
    volunteer = left_volunteer(
        world, left_on=date(2026, 3, 1), user=world.other_iv, date_of_birth=date(1980, 6, 2)
    )
    _allegation(world, world.other_iv, date(2026, 2, 1))
    key = (RecordType.ALLEGATION, volunteer.pk)
    # Not at six years, not at ten: at their 67th birthday.
    assert key not in due_keys(world.north, date(2036, 2, 1))
    assert (RecordType.VOLUNTEER, volunteer.pk) not in due_keys(world.north, date(2036, 2, 1))
    assert key not in due_keys(world.north, date(2047, 6, 1))
    assert key in due_keys(world.north, date(2047, 6, 2))


def test_allegation_kept_ten_years_when_later_than_retirement(world: World) -> None:
    volunteer = left_volunteer(
        world, left_on=date(2026, 3, 1), user=world.other_iv, date_of_birth=date(1950, 1, 1)
    )
    _allegation(world, world.other_iv, date(2026, 2, 1))
    key = (RecordType.ALLEGATION, volunteer.pk)
    assert key not in due_keys(world.north, date(2036, 1, 31))
    assert key in due_keys(world.north, date(2036, 2, 1))


def test_unsuccessful_applicant_due_after_12_months(world: World) -> None:
    from volunteers.models import StageChange
    from volunteers.tests.helpers import make_volunteer

    applicant = make_volunteer(world.north, "not_proceeding", not_proceeding_reason="Withdrew.")
    StageChange.objects.filter(volunteer=applicant).update(at=datetime(2026, 4, 20, 10, tzinfo=UTC))
    key = (RecordType.APPLICANT, applicant.pk)
    assert key not in due_keys(world.north, date(2027, 4, 19))
    assert key in due_keys(world.north, date(2027, 4, 20))


def test_expense_claim_due_seven_years_after_it_was_decided(world: World) -> None:
    from expenses.models import Claim
    from expenses.tests.helpers import draft_claim

    claim = draft_claim(world)
    Claim.objects.filter(pk=claim.pk).update(
        created_at=datetime(2026, 1, 5, 9, tzinfo=UTC),
        decided_at=datetime(2026, 6, 15, 9, tzinfo=UTC),
    )
    key = (RecordType.EXPENSE, claim.pk)
    assert key not in due_keys(world.north, date(2033, 6, 14))
    assert key in due_keys(world.north, date(2033, 6, 15))


def closed_complaint(world: World, closed_on: date, **kwargs: Any) -> Any:
    from complaints.models import Complaint
    from complaints.tests.factories import make_complaint

    complaint = make_complaint(world, **kwargs)
    Complaint.objects.filter(pk=complaint.pk).update(
        status="closed", closed_on=closed_on, finding="upheld", due_on=None
    )
    return complaint


def test_complaint_due_six_years_after_closure(world: World) -> None:
    complaint = closed_complaint(world, date(2026, 4, 1))
    key = (RecordType.COMPLAINT, complaint.pk)
    assert key not in due_keys(world.north, date(2032, 3, 31))
    assert key in due_keys(world.north, date(2032, 4, 1))


def test_a_schemes_changed_rule_is_used(world: World) -> None:
    complaint = closed_complaint(world, date(2026, 4, 1))
    retention.rule_set(
        actor=world.manager, scheme=world.north, record_type="complaint", years=8, months=6
    )
    key = (RecordType.COMPLAINT, complaint.pk)
    assert key not in due_keys(world.north, date(2034, 9, 30))
    assert key in due_keys(world.north, date(2034, 10, 1))
    assert RetentionRule.history.filter(record_type="complaint").count() == 1


def test_rule_validation(world: World) -> None:
    def refused(**kwargs: Any) -> dict[str, Any]:
        with pytest.raises(ValidationError) as exc:
            retention.rule_set(actor=world.manager, scheme=world.north, **kwargs)
        return exc.value.message_dict

    assert "years" in refused(record_type="child_case", years=74, months=11)
    assert "months" in refused(record_type="complaint", years=1, months=12)
    assert "years" in refused(record_type="complaint", years=0, months=0)
    with pytest.raises(ValidationError, match="Only the scheme's managers"):
        retention.rule_set(
            actor=world.coordinator,
            scheme=world.north,
            record_type="complaint",
            years=3,
            months=0,
        )
    retention.rule_set(
        actor=world.manager, scheme=world.north, record_type="applicant", years=0, months=6
    )
    assert str(retention.rule_for(world.north, "applicant")) == "6 months"


# --- The scan -------------------------------------------------------------------------------


def test_scan_twice_lists_once_and_tells_once(world: World) -> None:
    from notifications.models import Notification

    closed_complaint(world, date(2026, 4, 1))
    with at(date(2032, 4, 1)):
        first = retention.scan_all(timezone.localdate())
        told = Notification.objects.filter(key__startswith="dataprotection:due").count()
        second = retention.scan_all(timezone.localdate())
    assert first == second == 1
    assert DueRecord.objects.count() == 1
    assert told == 2  # the north manager and the data protection officer
    assert Notification.objects.filter(key__startswith="dataprotection:due").count() == told
    title = Notification.objects.filter(user=world.dpo).get().title
    assert title == "1 record is due for a destruction decision in North IV Scheme"


def test_scan_drops_what_is_no_longer_due(world: World) -> None:
    complaint = closed_complaint(world, date(2026, 4, 1))
    with at(date(2032, 4, 1)):
        retention.scan_all(timezone.localdate())
        assert DueRecord.objects.filter(object_pk=complaint.pk).exists()
        retention.rule_set(
            actor=world.manager, scheme=world.north, record_type="complaint", years=7, months=0
        )
        retention.scan_all(timezone.localdate())
    assert not DueRecord.objects.exists()


# --- Holds ----------------------------------------------------------------------------------


def test_a_hold_prevents_listing_and_lifting_it_lists_again(world: World) -> None:
    from dataprotection.services import holds

    hold = holds.place_hold(
        actor=world.manager, child=world.child, reason_kind="police", reason="Op Lantern"
    )
    assert (RecordType.CHILD_CASE, world.child.pk) not in due_keys(world.north, date(2089, 6, 1))
    holds.lift_hold(actor=world.manager, hold=hold, lift_reason="Investigation closed.")
    assert (RecordType.CHILD_CASE, world.child.pk) in due_keys(world.north, date(2089, 6, 1))


def test_a_hold_placed_after_listing_prevents_destruction(world: World) -> None:
    from referrals.models import Child

    with at(date(2089, 5, 17)):
        retention.scan_all(timezone.localdate())
        assert DueRecord.objects.filter(object_pk=world.child.pk).exists()
        # Placed directly, as a hold racing the approval would be (place_hold also unlists).
        LegalHold.objects.create(
            scheme=world.north,
            child=world.child,
            reason_kind="litigation",
            reason="Claim 123",
            placed_by=world.manager,
            placed_at=timezone.now(),
        )
        count = destruction.approve_destruction(
            actor=world.manager, scheme=world.north, record_type="child_case"
        )
    assert count == 0
    assert Child.objects.filter(pk=world.child.pk).exists()
    assert not DestructionRecord.objects.exists()


def test_a_volunteer_hold_covers_their_claims_and_complaints(world: World) -> None:
    from dataprotection.services import holds
    from expenses.models import Claim
    from expenses.tests.helpers import draft_claim
    from volunteers.tests.helpers import make_volunteer

    volunteer = make_volunteer(world.north, user=world.iv)
    claim = draft_claim(world)
    Claim.objects.filter(pk=claim.pk).update(created_at=datetime(2026, 1, 5, tzinfo=UTC))
    complaint = closed_complaint(world, date(2026, 4, 1), subject="iv", subject_user=world.iv)
    holds.place_hold(actor=world.dpo, volunteer=volunteer, reason_kind="inquiry", reason="IICSA")
    keys = due_keys(world.north, date(2040, 1, 1))
    assert (RecordType.EXPENSE, claim.pk) not in keys
    assert (RecordType.COMPLAINT, complaint.pk) not in keys


# --- Destruction ----------------------------------------------------------------------------


def _everything_about_amy(world: World) -> None:
    from core.models import AccessLog
    from dataprotection.services import holds
    from expenses.tests.helpers import approved_claim
    from notifications.models import Notification
    from reports.models import LacSummary
    from visits.tests.helpers import make_visit

    approved_claim(world)
    make_visit(world)
    LacSummary.objects.create(
        match=world.match,
        scheme=world.north,
        review_on=date(2026, 4, 1),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
    )
    for record in (world.child, world.concern, world.match):
        AccessLog.objects.create(
            user=world.manager,
            scheme=world.north,
            record_type=record._meta.label_lower,
            record_public_id=record.public_id,
            path="/somewhere/",
        )
    Notification.objects.create(
        user=world.coordinator,
        title="A concern was raised",
        url=f"/safeguarding/{world.concern.public_id}/",
        key=f"t:{world.concern.public_id}",
    )
    hold = holds.place_hold(
        actor=world.manager, child=world.child, reason_kind="other", reason="Checking."
    )
    holds.lift_hold(actor=world.manager, hold=hold, lift_reason="Done.")


def test_destruction_leaves_only_the_anonymous_record(
    world: World, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    import os

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from django.db import models
    from guardian.models import UserObjectPermission

    from core.models import AccessLog
    from expenses.models import ClaimItem
    from notifications.models import Notification
    from referrals.models import Child

    _everything_about_amy(world)
    receipts = [i.receipt.name for i in ClaimItem.objects.all()]
    assert receipts and all(
        os.path.exists(os.path.join(settings.MEDIA_ROOT, name)) for name in receipts
    )
    gone = destruction.collect(Child, {world.child.pk})
    public_ids = {
        pid
        for m, pks in gone.items()
        if any(f.name == "public_id" for f in m._meta.concrete_fields)
        for pid in m._default_manager.filter(pk__in=pks).values_list("public_id", flat=True)
    }
    assert len(gone) >= 10  # child, placements, referrals, match, visits, claim, concern...

    with at(date(2089, 5, 17)):
        retention.scan_all(timezone.localdate())
    due = DueRecord.objects.get(record_type="child_case", object_pk=world.child.pk)
    with at(date(2089, 5, 17)), django_capture_on_commit_callbacks(execute=True):
        count = destruction.approve_destruction(
            actor=world.manager,
            scheme=world.north,
            record_type="child_case",
            due_ids=[due.public_id],
        )
    assert count == 1

    # No row of any model (live or historical) refers to anything that was destroyed.
    for model in apps.get_models():
        if model in gone:
            assert not model._default_manager.filter(pk__in=gone[model]).exists(), model
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model in gone:
                rows = model._default_manager.filter(
                    **{f"{field.attname}__in": gone[field.related_model]}
                )
                assert not rows.exists(), f"{model._meta.label}.{field.name}"
        history = getattr(model, "instance_type", None)
        if history in gone:
            assert not model._default_manager.filter(id__in=gone[history]).exists(), model
    assert not AccessLog.objects.filter(record_public_id__in=public_ids).exists()
    assert not any(
        pid in url
        for url in Notification.objects.values_list("url", flat=True)
        for pid in public_ids
    )
    for model, pks in gone.items():
        assert not UserObjectPermission.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=[str(pk) for pk in pks],
        ).exists(), model
    assert not any(os.path.exists(os.path.join(settings.MEDIA_ROOT, n)) for n in receipts)

    record = DestructionRecord.objects.get()
    assert (record.record_type, record.action, record.count) == ("child_case", "destroyed", 1)
    assert record.approved_by == world.manager
    assert not DueRecord.objects.filter(scheme=world.north, record_type="child_case").exists()

    # Approving and scanning again destroys nothing more.
    with at(date(2089, 5, 18)):
        assert (
            destruction.approve_destruction(
                actor=world.manager, scheme=world.north, record_type="child_case"
            )
            == 0
        )
        retention.scan_all(timezone.localdate())
    assert DestructionRecord.objects.count() == 1
    assert not DueRecord.objects.filter(scheme=world.north, record_type="child_case").exists()


def test_complaint_destruction_removes_its_stages_letters_and_logs(world: World) -> None:
    from complaints.models import Complaint, ComplaintEvent, ComplaintStage
    from core.models import AccessLog

    complaint = closed_complaint(world, date(2026, 4, 1))
    AccessLog.objects.create(
        user=world.manager,
        scheme=world.north,
        record_type="complaints.complaint",
        record_public_id=complaint.public_id,
        path="/c/",
    )
    with at(date(2032, 4, 1)):
        retention.scan_all(timezone.localdate())
        assert (
            destruction.approve_destruction(
                actor=world.dpo, scheme=world.north, record_type="complaint"
            )
            == 1
        )
    assert not Complaint.objects.filter(pk=complaint.pk).exists()
    assert not ComplaintStage.objects.filter(complaint_id=complaint.pk).exists()
    assert not ComplaintEvent.objects.filter(complaint_id=complaint.pk).exists()
    assert not Complaint.history.filter(id=complaint.pk).exists()
    assert not AccessLog.objects.filter(record_public_id=complaint.public_id).exists()


def test_volunteer_is_anonymised_and_their_account_closed(world: World) -> None:
    from accounts.models import Membership
    from volunteers.models import Reference, Volunteer

    volunteer = left_volunteer(
        world, left_on=date(2026, 3, 1), user=world.other_iv, phone="07700 900999"
    )
    with at(date(2032, 3, 1)):
        retention.scan_all(timezone.localdate())
        assert (
            destruction.approve_destruction(
                actor=world.manager, scheme=world.north, record_type="volunteer"
            )
            == 1
        )
        again = retention.due_records(world.north, timezone.localdate())
    found = Volunteer.objects.get(pk=volunteer.pk)
    assert found.first_name == "Former" and found.phone == "" and found.date_of_birth is None
    assert found.email.endswith("@invalid")
    assert found.reference == volunteer.reference
    assert not Reference.objects.filter(volunteer=found).exists()
    assert not Volunteer.history.filter(id=volunteer.pk).exists()
    user = found.user
    assert user is not None
    assert user.full_name == "Former volunteer" and not user.is_active
    assert not user.has_usable_password()
    assert not Membership.objects.filter(user=user, is_active=True).exists()
    assert not again
    record = DestructionRecord.objects.get()
    assert (record.record_type, record.action) == ("volunteer", "anonymised")


def test_only_managers_and_the_dpo_approve(world: World) -> None:
    closed_complaint(world, date(2026, 4, 1))
    with at(date(2032, 4, 1)):
        retention.scan_all(timezone.localdate())
        for person in (world.coordinator, world.complaints_manager, world.other_coordinator):
            with pytest.raises(ValidationError):
                destruction.approve_destruction(
                    actor=person, scheme=world.north, record_type="complaint"
                )
    assert DueRecord.objects.count() == 1


# --- Pages ----------------------------------------------------------------------------------


def test_due_page_query_count(
    world: World, client: Any, django_assert_max_num_queries: Any, no_second_factor: Any
) -> None:
    DueRecord.objects.bulk_create(
        [
            DueRecord(
                scheme=world.north if n % 2 else world.south,
                record_type="complaint" if n % 3 else "expense",
                object_pk=10_000 + n,
                label=f"Record {n}",
                due_on=date(2026, 1, 1),
            )
            for n in range(200)
        ]
    )
    client.force_login(world.dpo)
    client.get(reverse("dataprotection:due"))  # warm the session
    with django_assert_max_num_queries(10):
        response = client.get(reverse("dataprotection:due"))
    assert response.status_code == 200
    assert b"Record 1" in response.content


def test_approving_from_the_page_needs_the_password(
    world: World, client: Any, no_second_factor: Any
) -> None:
    from complaints.models import Complaint
    from tests.personas import PASSWORD

    complaint = closed_complaint(world, date(2026, 4, 1))
    with at(date(2032, 4, 1)):
        retention.scan_all(timezone.localdate())
        due = DueRecord.objects.get()
        client.force_login(world.manager)
        data = {"scheme": "north", "record_type": "complaint", "due": due.public_id}
        response = client.post(reverse("dataprotection:due"), data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sudo"))
        assert DueRecord.objects.exists()
        client.post(reverse("accounts:sudo"), {"password": PASSWORD})
        response = client.post(reverse("dataprotection:due"), data)
        assert response["Location"] == reverse("dataprotection:due")
        page = client.get(reverse("dataprotection:destructions"))
    assert not Complaint.objects.filter(pk=complaint.pk).exists()
    assert b"Complaint" in page.content


def test_retention_edit_keeps_what_was_typed(
    world: World, client: Any, no_second_factor: Any
) -> None:
    client.force_login(world.manager)
    url = reverse("dataprotection:retention_edit", args=["north", "child_case"])
    response = client.post(url, {"years": "60", "months": "3"})
    assert response.status_code == 200
    assert b"at least 75 years" in response.content
    assert b'value="60"' in response.content
    response = client.post(url, {"years": "80", "months": "0"})
    assert response.status_code == 302
    assert retention.rule_for(world.north, "child_case").years == 80

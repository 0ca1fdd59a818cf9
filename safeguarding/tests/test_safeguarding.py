from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AccessLog
from matches.models import MatchStatus
from notifications.models import Notification
from safeguarding import selectors, services
from safeguarding.models import ActionKind, Concern, Status
from tests.personas import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def raise_one(world: World, **kw) -> Concern:
    args = {
        "actor": world.iv, "child": world.child, "kind": "concern", "category": "neglect",
        "what_happened": "No coat in the snow", "occurred_at": timezone.now(), "told_child": "yes",
    }  # fmt: skip
    args.update(kw)
    return services.concern_raise(**args)


def test_deadlines_urgent_one_hour_otherwise_one_working_day() -> None:
    # Friday 18 December 2026, 16:00: one working day later is Monday 21st, 16:00.
    friday = datetime(2026, 12, 18, 16, 0, tzinfo=UTC)
    deadline = services.acknowledgement_deadline(scheme_id=0, urgent=False, raised_at=friday)
    assert timezone.localtime(deadline).date().isoformat() == "2026-12-21"
    # Christmas Eve (Thursday) -> Christmas and Boxing Day (moved to Monday 28th) are not
    # working days: the next working day is Tuesday 29 December.
    eve = datetime(2026, 12, 24, 10, 0, tzinfo=UTC)
    deadline = services.acknowledgement_deadline(scheme_id=0, urgent=False, raised_at=eve)
    assert timezone.localtime(deadline).date().isoformat() == "2026-12-29"
    assert services.acknowledgement_deadline(
        scheme_id=0, urgent=True, raised_at=eve
    ) == eve + timedelta(hours=1)


def test_immediate_danger_and_missing_are_always_urgent(world: World) -> None:
    assert raise_one(world, immediate_danger=True).urgent
    assert raise_one(world, category="missing").urgent
    assert raise_one(world, kind="incident", category="", incident_type="missing").urgent
    assert not raise_one(world).urgent


def test_overdue_query_returns_exactly_the_overdue_unacknowledged(world: World) -> None:
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=UTC), tick=False):
        urgent = raise_one(world, urgent=True)
        standard = raise_one(world)
        acknowledged = raise_one(world, urgent=True)
        services.concern_acknowledge(actor=world.coordinator, concern=acknowledged)
    with time_machine.travel(datetime(2026, 11, 23, 10, 30, tzinfo=UTC), tick=False):
        overdue = set(selectors.overdue_unacknowledged(timezone.now()))
        assert urgent in overdue and standard not in overdue and acknowledged not in overdue
        just_raised = raise_one(world)
        assert just_raised not in set(selectors.overdue_unacknowledged(timezone.now()))
        # Claimed once: a second run of the job does not escalate it again.
        assert services.concern_mark_escalated(concern_id=urgent.pk) is True
        assert services.concern_mark_escalated(concern_id=urgent.pk) is False
        assert urgent not in set(selectors.overdue_unacknowledged(timezone.now()))
    with time_machine.travel(datetime(2026, 11, 24, 9, 1, tzinfo=UTC), tick=False):
        assert standard in set(selectors.overdue_unacknowledged(timezone.now()))


def test_coordinators_are_told_at_once_without_detail(
    world: World, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        concern = raise_one(world, immediate_danger=True)
    note = Notification.objects.get(
        user=world.coordinator, key=f"concern-raised:{concern.public_id}"
    )
    assert note.urgent and "Amy" not in note.title and "coat" not in note.title
    assert not Notification.objects.filter(user=world.other_coordinator).exists()


def test_chronology_is_signed_and_corrections_are_added(world: World) -> None:
    concern = world.concern
    with pytest.raises(ValidationError, match="Acknowledge the concern first"):
        services.concern_record(
            actor=world.coordinator,
            concern=concern,
            kind="note",
            happened_at=timezone.now(),
            detail="x",
        )
    services.concern_acknowledge(actor=world.coordinator, concern=concern)
    with pytest.raises(ValidationError):
        services.concern_record(
            actor=world.coordinator,
            concern=concern,
            kind=ActionKind.REFERRAL_CSC,
            happened_at=timezone.now(),
            detail="Referred",
        )
    entry = services.concern_record(
        actor=world.coordinator, concern=concern, kind=ActionKind.REFERRAL_CSC,
        happened_at=timezone.now(), detail="Referred to MASH", reference="MASH-123",
    )  # fmt: skip
    correction = services.concern_record(
        actor=world.manager, concern=concern, kind="note", happened_at=timezone.now(),
        detail="The reference is MASH-124", corrects=entry,
    )  # fmt: skip
    entry.refresh_from_db()
    assert entry.reference == "MASH-123" and correction.kind == ActionKind.CORRECTION
    with pytest.raises(PermissionDenied):
        services.concern_close(actor=world.coordinator, concern=concern, outcome="done")
    services.concern_close(actor=world.manager, concern=concern, outcome="Plan in place")
    concern.refresh_from_db()
    assert concern.status == Status.CLOSED and concern.closed_by == world.manager
    with pytest.raises(ValidationError, match="only add a correction"):
        services.concern_record(
            actor=world.coordinator,
            concern=concern,
            kind="note",
            happened_at=timezone.now(),
            detail="x",
        )


def test_raiser_sees_status_not_chronology(world: World) -> None:
    services.concern_acknowledge(actor=world.coordinator, concern=world.concern)
    services.concern_record(
        actor=world.coordinator, concern=world.concern, kind=ActionKind.DECISION,
        happened_at=timezone.now(), detail="Secret strategy decision",
    )  # fmt: skip
    page = (
        signed_in(world.iv)
        .get(reverse("safeguarding:detail", args=[world.concern.public_id]))
        .content.decode()
    )
    assert "Received and acted on" in page
    assert "Secret strategy decision" not in page and "Chronology" not in page
    assert "Atkins" not in page


def test_social_worker_sees_it_only_once_shared(world: World) -> None:
    url = reverse("safeguarding:detail", args=[world.concern.public_id])
    assert signed_in(world.social_worker).get(url).status_code == 404
    services.concern_acknowledge(actor=world.coordinator, concern=world.concern)
    services.concern_share_with_social_worker(actor=world.coordinator, concern=world.concern)
    assert signed_in(world.social_worker).get(url).status_code == 200
    assert signed_in(world.other_social_worker).get(url).status_code == 404


def test_allegation_against_an_iv_suspends_and_pauses_and_hides(world: World) -> None:
    from volunteers.models import Volunteer, VolunteerStatus
    from volunteers.tests.helpers import approved

    volunteer = approved(world.north, status=VolunteerStatus.MATCHED)
    Volunteer.objects.filter(pk=volunteer.pk).update(user=world.iv)
    concern = services.concern_raise(
        actor=world.coordinator, child=world.child, kind="concern", category="physical",
        what_happened="Carer reports the IV grabbed Amy's arm", occurred_at=timezone.now(),
        told_child="not_possible", about_adult=True, about_volunteer=world.iv,
    )  # fmt: skip
    world.match.refresh_from_db()
    assert world.match.status == MatchStatus.PAUSED
    volunteer.refresh_from_db()
    assert volunteer.status == VolunteerStatus.SUSPENDED
    assert concern not in selectors.concerns_visible_to(world.iv)
    assert (
        signed_in(world.iv)
        .get(reverse("safeguarding:detail", args=[concern.public_id]))
        .status_code
        == 404
    )
    # Paused: the IV no longer sees the visit card (and so cannot plan visits).
    assert (
        signed_in(world.iv)
        .get(reverse("children:visit_card", args=[world.child.public_id]))
        .status_code
        == 404
    )
    assert concern.actions.filter(kind=ActionKind.SUSPENDED).exists()
    # And no visit can be planned: the IV has no match they may use.
    response = signed_in(world.iv).post(
        reverse("visits:plan"),
        {"date": "2026-12-05", "starts": "10:00", "ends": "12:00", "kind": "phone"},
    )
    assert response.status_code in (200, 404)
    from visits.models import Visit

    assert not Visit.objects.filter(match=world.match).exists()


def test_form_keeps_what_was_typed_and_explains(world: World) -> None:
    response = signed_in(world.iv).post(
        reverse("safeguarding:raise"),
        {"child": world.child.public_id, "kind": "concern", "what_happened": "She had bruises",
         "occurred_at": "2026-11-23T10:00"},
    )  # fmt: skip
    assert response.status_code == 200
    text = response.content.decode()
    assert "Choose what kind of concern this is." in text and "She had bruises" in text
    assert "call 999 first" in text


def test_every_view_is_in_the_access_log(world: World) -> None:
    for person in (world.coordinator, world.manager, world.iv):
        signed_in(person).get(reverse("safeguarding:detail", args=[world.concern.public_id]))
    logged = set(
        AccessLog.objects.filter(record_public_id=world.concern.public_id).values_list(
            "user", flat=True
        )
    )
    assert logged == {world.coordinator.pk, world.manager.pk, world.iv.pk}


@pytest.mark.parametrize("rows", [10, 200])
def test_register_queries_do_not_grow(
    world: World, rows: int, django_assert_max_num_queries
) -> None:
    now = timezone.now()
    Concern.objects.bulk_create(
        [
            Concern(
                scheme=world.north, child=world.child, raised_by=world.iv, kind="concern",
                category="neglect", what_happened="x", occurred_at=now, told_child="yes",
                acknowledge_by=now + timedelta(days=1),
            )
            for _ in range(rows)
        ]
    )  # fmt: skip
    client = signed_in(world.coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("safeguarding:register"))
    assert response.content.decode().count("Neglect") >= min(rows, 50)


def test_same_client_id_twice_makes_one_concern(world: World) -> None:
    import uuid

    client_id = uuid.uuid4()
    before = Concern.objects.count()
    first = raise_one(world, client_id=client_id)
    again = raise_one(world, client_id=str(client_id), what_happened="Sent again after signal")
    assert again.pk == first.pk
    assert Concern.objects.count() == before + 1
    assert Concern.objects.get(client_id=client_id).what_happened == "No coat in the snow"
    # Someone else cannot claim (or read back) that concern by sending its id.
    with pytest.raises(ValidationError):
        raise_one(world, actor=world.coordinator, client_id=client_id)
    assert Concern.objects.count() == before + 1


def test_form_posted_twice_with_one_client_id_makes_one_concern(world: World) -> None:
    import uuid

    client = signed_in(world.iv)
    data = {
        "child": world.child.public_id, "kind": "concern", "category": "neglect",
        "what_happened": "No coat in the snow",
        "occurred_at": (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "told_child": "yes", "client_id": str(uuid.uuid4()),
    }  # fmt: skip
    before = Concern.objects.count()
    first = client.post(reverse("safeguarding:raise"), data, HTTP_ACCEPT="application/json")
    again = client.post(reverse("safeguarding:raise"), data, HTTP_ACCEPT="application/json")
    assert first.status_code == again.status_code == 200
    assert first.json()["url"] == again.json()["url"]
    assert Concern.objects.count() == before + 1
    refused = client.post(
        reverse("safeguarding:raise"), {**data, "what_happened": ""}, HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 400
    # Without script: a plain post still redirects to the "sent" page.
    plain = client.post(reverse("safeguarding:raise"), {**data, "client_id": ""})
    assert plain.status_code == 302
    assert Concern.objects.count() == before + 2

"""Issue 19, item 8: every create form makes its record once, however often it is sent.

Each test draws the form (which must carry its one-time token), then sends the same filled-in
form several times at the same moment, each on its own connection and session: one record,
no server error, and every copy is sent to the record made."""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from core.models import FormSubmission
from core.once import FIELD
from expenses.models import Claim
from expenses.tests.helpers import held_visit
from referrals.models import Child
from safeguarding import services as safeguarding_services
from safeguarding.forms import ActionForm
from safeguarding.models import ConcernAction
from tests.personas import World
from volunteers.models import Volunteer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.dated]


@pytest.fixture(autouse=True)
def _staff_without_second_factor(no_second_factor: None) -> None:
    """Two-factor sign-in has its own tests."""


TOKEN_RE = re.compile(rf'name="{FIELD}" value="([0-9a-f-]{{36}})"')


def _ago(days: int) -> str:
    """A day before the pinned today, as a date field takes it."""
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localdate() - timedelta(days=days)).isoformat()


def _client(user: Any = None, *, sudo: bool = False) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    if sudo:
        # The password was confirmed a moment ago (accounts.sudo has its own tests).
        import time

        from accounts.sudo import SUDO_SESSION_KEY

        session = client.session
        session[SUDO_SESSION_KEY] = time.time()
        session.save()
    return client


def _token(user: Any, url: str, *, sudo: bool = False) -> str:
    page = _client(user, sudo=sudo).get(url)
    assert page.status_code == 200
    found = TOKEN_RE.search(page.content.decode())
    assert found, f"{url} draws no one-time token"
    return found.group(1)


def _parallel(
    n: int, user: Any, url: str, data: dict[str, Any], *, sudo: bool = False
) -> list[Any]:
    """POST the same form n times at once, each from its own session and connection."""
    clients = [_client(user, sudo=sudo) for _ in range(n)]
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = clients[i].post(url, data)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _check(
    results: list[Any], count: Callable[[], int], *, before: int = 0, shows: str | None = None
) -> None:
    statuses = [getattr(r, "status_code", r) for r in results]
    assert all(s == 302 for s in statuses), statuses
    assert all("two-step" not in r["Location"] for r in results)
    assert count() == before + 1, f"{count() - before} records from {len(results)} copies"
    assert len({r["Location"] for r in results}) == 1, [r["Location"] for r in results]
    if shows is not None:
        assert shows in results[0]["Location"]


def test_expense_claim_for_one_visit(world: World) -> None:
    visit = held_visit(world)
    url = reverse("expenses:start")
    data = {"visit": visit.pk, FIELD: _token(world.iv, url)}
    results = _parallel(8, world.iv, url, data)
    _check(results, lambda: Claim.objects.filter(visit=visit).count())
    claim = Claim.objects.get(visit=visit)
    assert claim.public_id in results[0]["Location"]
    # A second tab (its own token) is sent to the claim already started, not an error.
    again = _client(world.iv).post(url, {"visit": visit.pk, FIELD: str(uuid.uuid4())})
    assert again.status_code == 302 and claim.public_id in again["Location"]
    assert Claim.objects.filter(visit=visit).count() == 1


@pytest.mark.parametrize("case_number", ["N-7001", ""])
def test_new_child(world: World, case_number: str) -> None:
    url = reverse("children:create")
    data = {
        "first_name": "Cara",
        "last_name": "Doyle",
        "date_of_birth": "2013-04-01",
        "case_number": case_number,
        "iv_gender_preference": "none",
        "photo_consent": "ask",
        FIELD: _token(world.coordinator, url),
    }
    results = _parallel(4, world.coordinator, url, data)
    _check(results, lambda: Child.objects.filter(last_name="Doyle").count())


def test_new_child_same_case_number_from_two_forms_is_a_message_not_an_error(
    world: World,
) -> None:
    """Two different forms (no shared token) with one case number: one child, and the
    others are told why next to the field, never a server error."""
    url = reverse("children:create")
    base = {
        "first_name": "Cara", "last_name": "Doyle", "date_of_birth": "2013-04-01",
        "case_number": "N-7002", "iv_gender_preference": "none", "photo_consent": "ask",
    }  # fmt: skip
    barrier = threading.Barrier(4)
    results: list[Any] = [None] * 4
    clients = [_client(world.coordinator) for _ in range(4)]

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = clients[i].post(url, {**base, FIELD: str(uuid.uuid4())})
        except BaseException as exc:  # noqa: BLE001
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(getattr(r, "status_code", r) for r in results)
    assert statuses == [200, 200, 200, 302], statuses
    assert Child.objects.filter(case_number="N-7002").count() == 1
    for r in results:
        if r.status_code == 200:
            assert "case number" in r.content.decode()


def test_public_complaint(world: World) -> None:
    url = reverse("complaints:make", args=["north"])
    data = {
        "complainant_name": "Carrie Carer",
        "complainant_relationship": "carer",
        "on_behalf_of": "Amy",
        "complainant_email": "carrie@example.net",
        "subject": "iv",
        "subject_name": "Ivy",
        "details": "Ivy missed two visits.",
        FIELD: _token(None, url),
    }
    results = _parallel(4, None, url, data)
    _check(results, lambda: Complaint.objects.filter(complainant_name="Carrie Carer").count())
    # Each copy's browser is shown the reference, even one that never saw the first's cookie.
    complaint = Complaint.objects.get(complainant_name="Carrie Carer")
    for r in results:
        assert complaint.reference in _client().get(r["Location"]).content.decode()


def test_staff_complaint(world: World) -> None:
    url = reverse("complaints:create")
    data = {
        "scheme": world.north.pk,
        "received_on": _ago(1),
        "channel": "phone",
        "complainant_name": "Phoned Parent",
        "complainant_relationship": "parent",
        "complainant_phone": "07700 900222",
        "subject": "service",
        "details": "About the scheme.",
        FIELD: _token(world.coordinator, url),
    }
    results = _parallel(4, world.coordinator, url, data)
    _check(results, lambda: Complaint.objects.filter(complainant_name="Phoned Parent").count())


APPLICATION = {
    "first_name": "Jo",
    "last_name": "Phone",
    "email": "jo@example.org",
    "phone": "07700 900111",
    "date_of_birth": "1988-07-14",
    "area": "NE4",
    "motivation": "I have time on Saturdays.",
    "available_weekends": "on",
    "consent_to_checks": "on",
}


def test_volunteer_application(world: World) -> None:
    url = reverse("volunteers:apply", args=["north"])
    results = _parallel(4, None, url, {**APPLICATION, FIELD: _token(None, url)})
    _check(results, lambda: Volunteer.objects.filter(email="jo@example.org").count())
    volunteer = Volunteer.objects.get(email="jo@example.org")
    for r in results:
        assert volunteer.reference in _client().get(r["Location"]).content.decode()


def test_volunteer_enquiry(world: World) -> None:
    url = reverse("volunteers:create")
    data = {
        "scheme": "north",
        "first_name": "Enid",
        "last_name": "Enquirer",
        "email": "enid@example.org",
        FIELD: _token(world.coordinator, url),
    }
    results = _parallel(4, world.coordinator, url, data)
    _check(results, lambda: Volunteer.objects.filter(email="enid@example.org").count())


def test_safeguarding_chronology_entry(world: World) -> None:
    concern = safeguarding_services.concern_acknowledge(
        actor=world.coordinator, concern=world.concern
    )
    url = reverse("safeguarding:record", args=[concern.public_id])
    kind = ActionForm().fields["kind"].choices[1][0]  # type: ignore[attr-defined]
    data = {
        "kind": kind,
        "happened_at": f"{_ago(1)}T09:30",
        "detail": "Rang the carer; Amy is safe tonight.",
        FIELD: _token(world.coordinator, url),
    }
    count = ConcernAction.objects.filter(concern=concern, detail=data["detail"]).count
    results = _parallel(4, world.coordinator, url, data)
    _check(results, count, shows=concern.public_id)


def test_a_refused_form_keeps_its_token_and_is_made_once_when_corrected(world: World) -> None:
    url = reverse("volunteers:create")
    token = _token(world.coordinator, url)
    client = _client(world.coordinator)
    refused = client.post(url, {"scheme": "north", "first_name": "Enid", FIELD: token})
    assert refused.status_code == 200 and token in refused.content.decode()
    assert not FormSubmission.objects.filter(token=token).exists()
    data = {"scheme": "north", "first_name": "Enid", "last_name": "E", "email": "e@example.org"}
    first = client.post(url, {**data, FIELD: token})
    again = client.post(url, {**data, FIELD: token})
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Volunteer.objects.filter(email="e@example.org").count() == 1


def test_a_token_replayed_by_someone_else_shows_them_nothing(world: World) -> None:
    url = reverse("volunteers:create")
    token = _token(world.coordinator, url)
    data = {"scheme": "north", "first_name": "Enid", "last_name": "E", "email": "e@example.org"}
    made = _client(world.coordinator).post(url, {**data, FIELD: token})
    assert made.status_code == 302
    other = _client(world.manager).post(url, {**data, FIELD: token})
    assert other.status_code == 200
    assert made["Location"] not in other.content.decode()
    assert "Reload the page" in other.content.decode()
    assert Volunteer.objects.filter(email="e@example.org").count() == 1


def test_visit_plan(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from visits.models import Visit

    url = reverse("visits:plan")
    data = {
        "date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "kind": "face_to_face",
        "place": "Northtown park",
        "activity": "Feed the ducks twice",
        "named_person_name": "Ned Named",
        "named_person_phone": "07700 900111",
        FIELD: _token(world.iv, url),
    }
    results = _parallel(4, world.iv, url, data)
    _check(results, lambda: Visit.objects.filter(activity="Feed the ducks twice").count())


def test_looked_after_review(world: World) -> None:
    from referrals.models import LookedAfterReview

    child = world.child
    url = reverse("children:review", args=[child.public_id])
    before = LookedAfterReview.objects.filter(child=child).count()
    data = {"held_on": _ago(7), "iv_considered": "on", "notes": "Talked about an IV."}
    results = _parallel(4, world.coordinator, url, {**data, FIELD: _token(world.coordinator, url)})
    _check(results, lambda: LookedAfterReview.objects.filter(child=child).count(), before=before)


def test_legal_hold(world: World) -> None:
    from dataprotection.models import LegalHold
    from volunteers.tests.helpers import make_volunteer

    volunteer = make_volunteer(world.north)
    url = reverse("dataprotection:hold_volunteer", args=[volunteer.public_id])
    data = {"reason_kind": "litigation", "reason": "Claim 99", FIELD: _token(world.manager, url)}
    results = _parallel(4, world.manager, url, data)
    _check(results, lambda: LegalHold.objects.filter(reason="Claim 99").count())


def test_expense_item(world: World) -> None:
    from django.utils import timezone

    from expenses.models import ClaimItem
    from expenses.tests.helpers import draft_claim, insure

    insure(world)
    claim = draft_claim(world)
    url = reverse("expenses:item_add", args=[claim.public_id])
    data = {
        "category": "mileage",
        "spent_on": timezone.localdate(claim.visit.starts_at).isoformat(),
        "miles": "10",
        "description": "To the park and back",
        FIELD: _token(world.iv, url),
    }
    results = _parallel(4, world.iv, url, data)
    _check(results, lambda: ClaimItem.objects.filter(claim=claim).count(), before=1)


def test_subject_access_request(world: World) -> None:
    from dataprotection.models import SubjectAccessRequest

    url = reverse("dataprotection:request_create_child", args=[world.child.public_id])
    data = {
        "requester_name": "Amy Atkins",
        "requester_relationship": "Herself",
        "received_on": _ago(2),
        "assigned_to": world.coordinator.pk,
        FIELD: _token(world.manager, url),
    }
    results = _parallel(4, world.manager, url, data)
    _check(results, lambda: SubjectAccessRequest.objects.filter(child=world.child).count())


def test_match_proposal(world: World) -> None:
    from matches.models import Match
    from matches.tests.helpers import volunteer_for, waiting_child

    child, _ = waiting_child(world, shared_interests_wanted="football")
    volunteer = volunteer_for(world.other_iv, world, interests="Football")
    url = reverse("matches:suggestions", args=[child.public_id])
    data = {"volunteer": volunteer.public_id, FIELD: _token(world.coordinator, url)}
    results = _parallel(4, world.coordinator, url, data)
    _check(results, lambda: Match.objects.filter(child=child).count())


def test_volunteer_reference(world: World) -> None:
    from volunteers.models import Reference
    from volunteers.tests.helpers import make_volunteer

    volunteer = make_volunteer(world.north)
    url = reverse("volunteers:reference_add", args=[volunteer.public_id])
    data = {
        "referee_name": "Rae Referee",
        "relationship": "Neighbour",
        "requested_on": _ago(16),
        "received_on": _ago(7),
        "satisfactory": "yes",
        FIELD: _token(world.coordinator, url),
    }
    results = _parallel(4, world.coordinator, url, data)
    _check(results, lambda: Reference.objects.filter(volunteer=volunteer).count())


@pytest.mark.parametrize("case_number", ["N-7007", ""])
def test_referral_with_a_new_child(world: World, case_number: str) -> None:
    from referrals.models import Referral
    from referrals.tests.test_referrals import referral_post

    url = reverse("referrals:new")
    data = {**referral_post(case_number=case_number), FIELD: _token(world.social_worker, url)}
    results = _parallel(4, world.social_worker, url, data)
    _check(results, lambda: Child.objects.filter(last_name="Jones").count())
    assert Referral.objects.filter(child__last_name="Jones").count() == 1


def test_visit_report_note(world: World) -> None:
    """A hand-written form ({% form_token %}): the coordinator's reply to an IV's report."""
    from visits.models import ReportNote
    from visits.tests.helpers import make_report

    report = make_report(world)
    detail = reverse("visits:report_detail", args=[report.public_id])
    url = reverse("visits:report_note", args=[report.public_id])
    data = {"text": "Thank you, lovely to hear.", FIELD: _token(world.coordinator, detail)}
    results = _parallel(4, world.coordinator, url, data)
    _check(results, lambda: ReportNote.objects.filter(report=report).count())


def test_expense_preauthorisation(world: World) -> None:
    from expenses.models import PreAuthorisation
    from visits.tests.helpers import make_visit

    visit = make_visit(world)
    url = reverse("expenses:preauth_new")
    data = {
        "visit": visit.pk,
        "amount": "40.00",
        "reason": "Theme park tickets",
        FIELD: _token(world.iv, url),
    }
    results = _parallel(4, world.iv, url, data)
    _check(results, lambda: PreAuthorisation.objects.filter(visit=visit).count())


def test_looked_after_review_summary(world: World) -> None:
    from reports.models import LacSummary

    url = reverse("reports:lac_summaries", args=[world.match.public_id])
    data = {
        "review_on": _ago(1), "period_start": _ago(90), "period_end": _ago(2),
        "what_we_did": "Bowling and the cinema.", "child_wants_said": "I like my visits.",
        FIELD: _token(world.coordinator, url),
    }  # fmt: skip
    results = _parallel(4, world.coordinator, url, data)
    _check(results, lambda: LacSummary.objects.filter(match=world.match).count())


def test_a_clash_inside_the_record_is_a_message_not_a_server_error(world: World) -> None:
    """The mechanism itself: a unique constraint the record breaks (another request made
    the same record with another token) comes back as a refusal for the form, with the
    token's claim rolled back so the corrected form can be sent again."""
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError
    from django.test import RequestFactory

    from core.once import submit_once

    token = str(uuid.uuid4())
    request = RequestFactory().post("/", {FIELD: token})
    request.user = world.coordinator

    def clash() -> str:
        raise IntegrityError("duplicate key value violates unique constraint")

    with pytest.raises(ValidationError, match="saved a moment ago"):
        submit_once(request, clash)
    assert not FormSubmission.objects.filter(token=token).exists()
    made = submit_once(request, lambda: "/made/")
    assert (made.url, made.repeat) == ("/made/", False)
    again = submit_once(request, lambda: "/second/")
    assert (again.url, again.repeat) == ("/made/", True)


def test_new_platform(world: World) -> None:
    from visits.models import Platform

    url = reverse("visits:platforms")
    data = {"name": "Signal", "minimum_age": "13", "is_active": "on"}
    results = _parallel(4, world.coordinator, url, {**data, FIELD: _token(world.coordinator, url)})
    _check(results, lambda: Platform.objects.filter(name="Signal").count())


def test_volunteer_support_session(world: World) -> None:
    from volunteers.models import SupportKind, SupportSession
    from volunteers.tests.helpers import approved

    volunteer = approved(world.north)
    url = reverse("volunteers:support", args=[volunteer.public_id])
    data = {
        "kind": SupportKind.values[0],
        "held_on": _ago(1),
        "attended": "on",
        "notes": "Talked through the first visits.",
        FIELD: _token(world.coordinator, url),
    }
    results = _parallel(4, world.coordinator, url, data)
    _check(results, lambda: SupportSession.objects.filter(volunteer=volunteer).count())


def test_match_review(world: World) -> None:
    from matches.models import Match, MatchReview, MatchStatus, ReviewKind

    Match.objects.filter(pk=world.match.pk).update(status=MatchStatus.ESTABLISHED)
    match = world.match
    url = reverse("matches:act", args=[match.public_id, "review"])
    before = MatchReview.objects.filter(match=match).count()
    data = {
        "kind": ReviewKind.values[0],
        "held_on": _ago(1),
        "quality": "4",
        "child_feedback": "Likes the visits.",
        FIELD: _token(world.coordinator, url),
    }
    results = _parallel(4, world.coordinator, url, data)
    _check(results, lambda: MatchReview.objects.filter(match=match).count(), before=before)


@pytest.mark.django_db
def test_form_tokens_older_than_a_month_are_forgotten(world) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from core import services
    from core.models import FormSubmission

    old = FormSubmission.objects.create(token=uuid.uuid4(), user=world.iv, url="/a/")
    fresh = FormSubmission.objects.create(token=uuid.uuid4(), user=world.iv, url="/b/")
    FormSubmission.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert services.form_tokens_prune(keep_days=30) == 1
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_a_copy_that_arrives_after_the_first_finished_goes_to_the_same_place(
    world: World,
) -> None:
    """The race the parallel tests met now and then: the first copy has committed, so to the
    late one the visit is no longer claimable (the form refuses it) or the child no longer
    waiting (404). The late copy is still sent where the first one went."""
    from matches.models import Match
    from matches.tests.helpers import volunteer_for, waiting_child

    visit = held_visit(world)
    url = reverse("expenses:start")
    data = {"visit": visit.pk, FIELD: _token(world.iv, url)}
    first = _client(world.iv).post(url, data)
    late = _client(world.iv).post(url, data)
    assert first.status_code == late.status_code == 302
    assert late["Location"] == first["Location"]
    assert Claim.objects.filter(visit=visit).count() == 1

    child, _ = waiting_child(world, shared_interests_wanted="football")
    volunteer = volunteer_for(world.other_iv, world, interests="Football")
    url = reverse("matches:suggestions", args=[child.public_id])
    data = {"volunteer": volunteer.public_id, FIELD: _token(world.coordinator, url)}
    first = _client(world.coordinator).post(url, data)
    late = _client(world.coordinator).post(url, data)
    assert first.status_code == late.status_code == 302
    assert late["Location"] == first["Location"]
    assert Match.objects.filter(child=child).count() == 1


def test_training_record(world: World) -> None:
    from volunteers.models import TrainingModule, TrainingRecord
    from volunteers.tests.helpers import make_volunteer

    volunteer = make_volunteer(world.north)
    url = reverse("volunteers:training", args=[volunteer.public_id])
    data = {
        "module": TrainingModule.values[0],
        "completed_on": _ago(3),
        FIELD: _token(world.coordinator, url),
    }
    results = _parallel(4, world.coordinator, url, data)
    _check(results, lambda: TrainingRecord.objects.filter(volunteer=volunteer).count())


def test_trial_visit(world: World) -> None:
    from matches.models import Match, MatchStatus

    Match.objects.filter(pk=world.match.pk).update(status=MatchStatus.TRIAL, trial_visit_dates=[])
    match = world.match
    url = reverse("matches:act", args=[match.public_id, "trial-visit"])
    data = {"on": _ago(2), FIELD: _token(world.coordinator, url)}
    results = _parallel(4, world.coordinator, url, data)
    _check(results, lambda: len(Match.objects.get(pk=match.pk).trial_visit_dates))


def test_payment_batch(world: World) -> None:
    """Two taps on "Make a payment batch": one batch, and both are shown it (not the second
    one's "no approved claims waiting")."""
    from expenses.models import PaymentBatch
    from expenses.tests.helpers import approved_claim

    approved_claim(world, amount="4.50")
    finance = reverse("expenses:finance")
    url = reverse("expenses:export", args=["north"])
    data = {FIELD: _token(world.coordinator, finance, sudo=True)}
    results = _parallel(4, world.coordinator, url, data, sudo=True)
    _check(results, lambda: PaymentBatch.objects.filter(scheme=world.north).count())
    batch = PaymentBatch.objects.get(scheme=world.north)
    assert batch.public_id in results[0]["Location"]


def test_report_export(world: World) -> None:
    from reports.models import ReportExport

    page = reverse("reports:index")
    url = reverse("reports:export_create")
    data = {
        "scheme": "north", "start": _ago(90), "end": _ago(1), "format": "csv",
        FIELD: _token(world.manager, page, sudo=True),
    }  # fmt: skip
    results = _parallel(4, world.manager, url, data, sudo=True)
    _check(results, lambda: ReportExport.objects.count())


def test_invite(world: World) -> None:
    from accounts.models import Membership, Role

    url = reverse("people:invite", args=["north"])
    data = {
        "full_name": "Nina New",
        "email": "nina.new@example.org",
        "role": Role.INDEPENDENT_VISITOR,
        FIELD: _token(world.coordinator, url),
    }
    results = _parallel(4, world.coordinator, url, data)
    _check(
        results,
        lambda: Membership.objects.filter(user__email__iexact="nina.new@example.org").count(),
    )


@pytest.mark.parametrize("step", ["acknowledge", "escalate"])
def test_complaint_step(world: World, step: str) -> None:
    """A step taken twice at once is taken once, and both copies are shown the complaint."""
    from complaints.models import ComplaintEvent, ComplaintStage, Finding
    from complaints.tests.factories import make_complaint, respond

    complaint = make_complaint(world, received_on=None)
    if step == "escalate":
        from complaints import services as complaint_services

        complaint_services.complaint_acknowledge(
            actor=world.complaints_manager, complaint=complaint, handler=world.manager,
            on=timezone_today(-55),
        )  # fmt: skip
        respond(world, complaint, timezone_today(-40), outcome=Finding.NOT_UPHELD)
        data = {
            "on": _ago(2), "reason": "Not happy with the answer.",
            "investigating_officer": "Olive Officer", "independent_person": "Ian Independent",
        }  # fmt: skip
    else:
        data = {"on": _ago(58), "handler": world.manager.pk}
    url = reverse("complaints:action", args=[complaint.public_id, step])
    data[FIELD] = _token(world.complaints_manager, url)
    before = ComplaintStage.objects.filter(complaint=complaint).count()
    events = ComplaintEvent.objects.filter(complaint=complaint, action=step).count()
    results = _parallel(4, world.complaints_manager, url, data)
    statuses = [getattr(r, "status_code", r) for r in results]
    assert statuses == [302] * 4, statuses
    assert len({r["Location"] for r in results}) == 1
    assert ComplaintEvent.objects.filter(complaint=complaint, action=step).count() == events + 1
    expected = before + (1 if step == "escalate" else 0)
    assert ComplaintStage.objects.filter(complaint=complaint).count() == expected


def timezone_today(days: int) -> Any:
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() + timedelta(days=days)

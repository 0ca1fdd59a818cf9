"""The volunteer pages through the test client: who may see what, forms that keep what was
typed, the sign-off journey and the PDFs' downloads."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AccessLog
from tests.personas import World
from volunteers.models import Stage, Volunteer, VolunteerStatus
from volunteers.tests.helpers import approved, make_volunteer, ready_for_signoff, service_manager

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor")]

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


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("manager", 200),
        ("other_coordinator", 404),
        ("iv", 404),
        ("social_worker", 404),
        ("complaints_manager", 404),
    ],
)
def test_who_sees_a_volunteer_record(world: World, persona: str, status: int) -> None:
    volunteer = make_volunteer(world.north)
    response = client_for(world.people[persona]).get(
        reverse("volunteers:detail", args=[volunteer.public_id])
    )
    assert response.status_code == status


def test_viewing_a_record_is_in_the_access_log(world: World) -> None:
    volunteer = make_volunteer(world.north)
    client_for(world.coordinator).get(reverse("volunteers:detail", args=[volunteer.public_id]))
    entry = AccessLog.objects.get(record_public_id=volunteer.public_id)
    assert entry.user == world.coordinator and entry.record_type == "volunteers.volunteer"
    page = client_for(world.manager).get(reverse("volunteers:detail", args=[volunteer.public_id]))
    assert "Who has viewed this record" in page.content.decode()


def test_anyone_can_apply_and_gets_a_reference_number(client: Client, world: World) -> None:
    url = reverse("volunteers:apply", args=["north"])
    assert client.get(url).status_code == 200
    response = client.post(url, APPLICATION, follow=True)
    volunteer = Volunteer.objects.get(email="jo@example.org")
    assert volunteer.stage == Stage.APPLICATION and volunteer.available_weekends
    assert volunteer.reference in response.content.decode()
    assert client.get(reverse("volunteers:apply", args=["nowhere"])).status_code == 404


def test_the_application_keeps_what_was_typed_on_error(client: Client, world: World) -> None:
    data = {**APPLICATION, "date_of_birth": "2015-01-01"}
    del data["consent_to_checks"]
    response = client.post(reverse("volunteers:apply", args=["north"]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "must be 18 or over" in page
    assert "Tick the box to agree to the checks" in page
    assert 'value="Jo"' in page and "I have time on Saturdays." in page
    assert not Volunteer.objects.exists()


def test_the_application_is_csrf_protected(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("volunteers:apply", args=["north"]), APPLICATION)
    assert response.status_code == 403
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "error", "kept"),
    [
        ("checks", {"dbs_certificate_number": "12AB"}, "Enter the 12 digits", 'value="12AB"'),
        (
            "interview",
            {"interview_notes": "Calm and kind"},
            "This field is required",
            "Calm and kind",
        ),
        (
            "reference_add",
            {"referee_name": "Rae", "relationship": "", "satisfactory": "yes"},
            "This field is required",
            'value="Rae"',
        ),
        (
            "training",
            {"module": "boundaries", "completed_on": "2099-01-01"},
            "future",
            "2099-01-01",
        ),
        ("edit", {"first_name": "Kim", "email": "nope"}, "valid email", 'value="Kim"'),
        (
            "move",
            {"to_stage": "not_proceeding", "reason": ""},
            "Give the reason they are not proceeding",
            "not_proceeding",
        ),
    ],
)
def test_record_forms_keep_what_was_typed(world, name, data, error, kept) -> None:
    volunteer = make_volunteer(world.north)
    response = client_for(world.coordinator).post(
        reverse(f"volunteers:{name}", args=[volunteer.public_id]), data
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert error in page and kept in page


def test_status_and_profile_forms_keep_what_was_typed(world: World) -> None:
    volunteer = approved(world.north)
    client = client_for(world.coordinator)
    page = client.post(
        reverse("volunteers:status", args=[volunteer.public_id]), {"status": "suspended"}
    ).content.decode()
    assert "Give the reason." in page and 'value="suspended" selected' in page
    page = client.post(
        reverse("volunteers:profile", args=[volunteer.public_id]),
        {"interests": "Football", "prefers_age_from": "14", "prefers_age_to": "9"},
    ).content.decode()
    assert "must not be below" in page and 'value="Football"' in page


def test_enquiry_call_is_recorded(world: World) -> None:
    client = client_for(world.coordinator)
    page = client.post(
        reverse("volunteers:create"), {"first_name": "Eve", "last_name": "Enq", "email": "x"}
    ).content.decode()
    assert 'value="Eve"' in page and "valid email" in page
    response = client.post(
        reverse("volunteers:create"),
        {"first_name": "Eve", "last_name": "Enq", "email": "eve@example.org"},
    )
    volunteer = Volunteer.objects.get(email="eve@example.org")
    assert response.status_code == 302 and volunteer.stage == Stage.ENQUIRY
    assert volunteer.scheme == world.north


def test_sign_off_pages(world: World) -> None:
    volunteer = ready_for_signoff(world.north, email="ready@example.org")
    url = reverse("volunteers:sign_off", args=[volunteer.public_id])
    manager = client_for(world.manager)
    page = manager.post(url, {"decision": "send_back", "comment": ""}).content.decode()
    assert "Give the reason for sending it back." in page
    assert manager.post(url, {"decision": "sign", "comment": "OK"}).status_code == 302
    # The same person is refused as the second signer, with the reason.
    page = manager.post(url, {"decision": "sign", "comment": "again"}).content.decode()
    assert "the second sign-off must be by someone else" in page
    service = client_for(service_manager(world.north))
    response = service.post(url, {"decision": "sign", "comment": "Welcome"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.APPROVED and volunteer.user is not None
    # The papers: staff and the volunteer download them; nobody else.
    for kind in ("letter", "certificate"):
        doc = reverse("volunteers:document", args=[volunteer.public_id, kind])
        response = client_for(world.coordinator).get(doc)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
        assert client_for(volunteer.user).get(doc).status_code == 200
        assert client_for(world.iv).get(doc).status_code == 404
        assert client_for(world.other_coordinator).get(doc).status_code == 404


def test_approval_refused_on_the_page_while_a_check_is_missing(world: World) -> None:
    volunteer = ready_for_signoff(world.north)
    volunteer.code_of_conduct_accepted_on = None
    volunteer.save()
    detail = client_for(world.manager).get(reverse("volunteers:detail", args=[volunteer.public_id]))
    assert "Code of conduct accepted" in detail.content.decode()
    page = client_for(world.manager).post(
        reverse("volunteers:sign_off", args=[volunteer.public_id]), {"decision": "sign"}
    )
    assert "cannot be approved while checks are missing: Code of conduct accepted" in (
        page.content.decode()
    )


def test_suspended_volunteer_pages_say_why(world: World) -> None:
    volunteer = approved(
        world.north, status=VolunteerStatus.SUSPENDED, status_reason="Under investigation"
    )
    volunteer.user = world.iv
    volunteer.save()
    page = client_for(world.coordinator).get(
        reverse("volunteers:detail", args=[volunteer.public_id])
    )
    assert "Cannot be matched or plan visits" in page.content.decode()
    assert "Suspended: Under investigation" in page.content.decode()
    me = client_for(world.iv).get(reverse("volunteers:me")).content.decode()
    assert "You cannot plan visits" in me and "Suspended: Under investigation" in me
    assert "My volunteering" in me  # the navigation item


def test_volunteers_see_only_themselves(world: World) -> None:
    mine = approved(world.north)
    mine.user = world.iv
    mine.save()
    other = approved(world.north)
    client = client_for(world.iv)
    assert client.get(reverse("volunteers:me")).status_code == 200
    for name in ("detail", "checks", "sign_off"):
        for v in (mine, other):
            assert client.get(reverse(f"volunteers:{name}", args=[v.public_id])).status_code == 404
    assert client.get(reverse("volunteers:list")).status_code == 404
    assert client_for(world.other_iv).get(reverse("volunteers:me")).status_code == 404

"""Who sees which complaint, page by page; forms keep what was typed; query counts."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from complaints import selectors, services
from complaints.models import Complaint, ComplaintStage, Status, Subject
from complaints.tests.factories import about_coordinator, make_complaint
from core.models import AccessLog
from core.refusals import NotAllowed
from tests.clock import days_ago
from tests.personas import PASSWORD, World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_subject_coordinator_never_sees_the_complaint(world: World) -> None:
    hidden = about_coordinator(world)
    visible = make_complaint(world, name="Visible Person")
    coord = client_for(world.coordinator)
    assert coord.get(reverse("complaints:detail", args=[hidden.public_id])).status_code == 404
    assert (
        coord.get(reverse("complaints:action", args=[hidden.public_id, "extend"])).status_code
        == 404
    )
    page = coord.get(reverse("complaints:register")).content.decode()
    assert visible.reference in page and hidden.reference not in page
    assert "1 open, " in page  # the count leaves it out too
    counts = selectors.complaint_counts(world.coordinator, None, (days_ago(365), days_ago(0)))
    assert counts.received == 1 and counts.open == 1
    # Nor is the coordinator among the people to tell about it.
    assert world.coordinator not in selectors.complaint_staff_to_notify(hidden)
    assert world.manager in selectors.complaint_staff_to_notify(hidden)
    assert world.coordinator in selectors.complaint_staff_to_notify(visible)
    # Managers and the complaints manager see it, and each view is logged.
    for person in (world.manager, world.complaints_manager):
        response = client_for(person).get(reverse("complaints:detail", args=[hidden.public_id]))
        assert response.status_code == 200
        assert "Cora North" in response.content.decode()
    assert AccessLog.objects.filter(record_public_id=hidden.public_id).count() == 2


def test_complaints_about_a_coordinator_without_a_named_person_are_hidden_too(world: World) -> None:
    """The public form cannot name a user: any complaint about a coordinator is hidden from
    every coordinator of the scheme (docs/decisions/0003)."""
    c = services.complaint_receive(
        actor=None,
        scheme=world.north,
        channel="public_form",
        received_on=days_ago(60),
        complainant_name="Pat",
        complainant_relationship="iv",
        subject=Subject.COORDINATOR,
        subject_name="Cora",
        details="Rude.",
        complainant_phone="0123",
    )
    assert (
        client_for(world.coordinator)
        .get(reverse("complaints:detail", args=[c.public_id]))
        .status_code
        == 404
    )
    assert c in selectors.complaints_visible_to(world.complaints_manager)


def test_a_person_never_sees_a_complaint_about_themselves_whatever_their_roles(
    world: World,
) -> None:
    from tests.personas import join

    join(world.coordinator, world.north, "manager", "team")
    c = about_coordinator(world)
    assert c not in selectors.complaints_visible_to(world.coordinator)


def test_other_schemes_ivs_and_social_workers_get_404(world: World) -> None:
    c = make_complaint(world)
    url = reverse("complaints:detail", args=[c.public_id])
    for persona in ("other_coordinator", "iv", "social_worker"):
        assert client_for(world.people[persona]).get(url).status_code == 404, persona
    for persona in ("iv", "social_worker"):
        assert (
            client_for(world.people[persona]).get(reverse("complaints:register")).status_code == 404
        )
    assert world.other_coordinator not in selectors.complaint_staff_to_notify(c)
    page = client_for(world.other_coordinator).get(reverse("complaints:register")).content.decode()
    assert c.reference not in page


def test_coordinators_record_and_read_but_do_not_run_stages(world: World) -> None:
    c = make_complaint(world)
    coord = client_for(world.coordinator)
    assert coord.get(reverse("complaints:detail", args=[c.public_id])).status_code == 200
    assert coord.get(reverse("complaints:action", args=[c.public_id, "extend"])).status_code == 404
    assert (
        client_for(world.manager)
        .get(reverse("complaints:action", args=[c.public_id, "nope"]))
        .status_code
        == 404
    )


def test_public_form_and_confirmation(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    url = reverse("complaints:make", args=["north"])
    page = client.get(url)
    assert page.status_code == 200
    # Without the CSRF token the post is refused.
    assert client.post(url, {"complainant_name": "X"}).status_code == 403
    token = page.cookies["csrftoken"].value
    data = {
        "csrfmiddlewaretoken": token,
        "complainant_name": "Carrie Carer",
        "complainant_relationship": "carer",
        "on_behalf_of": "Amy",
        "complainant_email": "carrie@example.net",
        "subject": "iv",
        "subject_name": "Ivy",
        "details": "Ivy missed two visits.",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    complaint = Complaint.objects.get()
    assert complaint.reference in done and complaint.reference.startswith("C-")
    assert complaint.channel == "public_form" and complaint.created_by is None
    assert complaint.stages.get().due_on == complaint.due_on
    assert (
        reverse("complaints:make", args=["nowhere"])
        and client.get(reverse("complaints:make", args=["nowhere"])).status_code == 404
    )


def test_forms_keep_what_was_typed(world: World) -> None:
    anon = Client()
    response = anon.post(
        reverse("complaints:make", args=["north"]),
        {"complainant_name": "Kept Name", "details": "Kept details", "subject": "service"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert 'value="Kept Name"' in body and "Kept details" in body
    assert "one way for us to reply" in body

    coord = client_for(world.coordinator)
    response = coord.post(
        reverse("complaints:create"),
        {
            "received_on": "2099-01-01",
            "channel": "phone",
            "complainant_name": "Typed Name",
            "complainant_relationship": "parent",
            "subject": "coordinator",
            "details": "Typed details",
            "complainant_phone": "0700",
        },
    )
    body = response.content.decode()
    assert "cannot be in the future" in body and "Choose the coordinator" in body
    assert 'value="Typed Name"' in body and "Typed details" in body

    c = make_complaint(world)
    manager = client_for(world.manager)
    response = manager.post(
        reverse("complaints:action", args=[c.public_id, "close"]),
        {"on": "2026-03-03", "finding": "upheld", "lessons_learned": "Typed lessons"},
    )
    body = response.content.decode()
    assert "cannot be closed" in body and "Typed lessons" in body
    response = manager.post(
        reverse("complaints:action", args=[c.public_id, "extend"]), {"reason": ""}
    )
    assert "This field is required" in response.content.decode()

    response = manager.post(
        reverse("complaints:letter_template_edit", args=["north", "acknowledgement"]),
        {"body": "Dear {{ nobody }}"},
    )
    assert (
        "does not exist" in response.content.decode()
        and "Dear {{ nobody }}" in response.content.decode()
    )


def test_staff_record_a_complaint_about_a_coordinator(world: World) -> None:
    coord = client_for(world.coordinator)
    response = coord.post(
        reverse("complaints:create"),
        {
            "received_on": days_ago(60).isoformat(),
            "channel": "phone",
            "complainant_name": "Ivy",
            "complainant_relationship": "iv",
            "subject": "coordinator",
            "subject_user": world.coordinator.pk,
            "details": "About Cora.",
            "complainant_phone": "07",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("complaints:register")
    assert "only managers and the complaints manager" in response.content.decode()
    assert Complaint.objects.get().subject_user == world.coordinator


def test_letter_download_needs_permission_and_a_fresh_password(world: World) -> None:
    c = make_complaint(world)
    letter = services.complaint_acknowledge(actor=world.manager, complaint=c, handler=world.manager)
    url = reverse("complaints:letter", args=[c.public_id, letter.public_id])
    manager = client_for(world.manager)
    assert manager.get(url).status_code == 302  # to "confirm your password"
    manager.post(reverse("accounts:sudo"), {"password": PASSWORD})
    response = manager.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.getvalue().startswith(b"%PDF")  # type: ignore[attr-defined]
    other = client_for(world.other_coordinator)
    other.post(reverse("accounts:sudo"), {"password": PASSWORD})
    assert other.get(url).status_code == 404
    wrong = reverse("complaints:letter", args=[make_complaint(world).public_id, letter.public_id])
    assert manager.get(wrong).status_code == 404


def _bulk(world: World, n: int) -> None:
    complaints = Complaint.objects.bulk_create(
        [
            Complaint(
                scheme=world.north,
                reference=f"C-2026-{i + 100:04d}",
                received_on=days_ago(60),
                channel="phone",
                complainant_name=f"P{i}",
                complainant_relationship="carer",
                subject=Subject.SERVICE if i % 3 else Subject.COORDINATOR,
                details="x",
                status=Status.STAGE_1,
                due_on=days_ago(46),
            )
            for i in range(n)
        ]
    )
    ComplaintStage.objects.bulk_create(
        [
            ComplaintStage(complaint=c, number=1, started_on=c.received_on, due_on=days_ago(46))
            for c in complaints
        ]
    )


@pytest.mark.parametrize("rows", [10, 200])
@pytest.mark.parametrize("persona", ["coordinator", "complaints_manager"])
def test_register_queries_do_not_grow(
    world: World, rows: int, persona: str, django_assert_max_num_queries
) -> None:
    _bulk(world, rows)
    client = client_for(world.people[persona])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("complaints:register"))
    assert response.status_code == 200
    body = response.content.decode()
    expected = rows if persona == "complaints_manager" else len([i for i in range(rows) if i % 3])
    assert body.count("Overdue</span>") == expected


def test_a_complaint_about_a_manager_is_hidden_from_that_manager(world: World) -> None:
    """Issue 19.14: a complaint can be about any member of staff (here the scheme's manager)
    and is hidden from that person on every page, count, export and notification; also from
    every coordinator, as any complaint about staff (docs/decisions/0003)."""
    coord = client_for(world.coordinator)
    response = coord.post(
        reverse("complaints:create"),
        {
            "received_on": days_ago(60).isoformat(),
            "channel": "phone",
            "complainant_name": "Ivy",
            "complainant_relationship": "iv",
            "subject": "staff",
            "subject_user": world.manager.pk,
            "details": "About Mona.",
            "complainant_phone": "07",
        },
        follow=True,
    )
    assert "only managers and the complaints manager" in response.content.decode()
    about = Complaint.objects.get()
    assert about.subject_user == world.manager
    visible = make_complaint(world, name="Visible Person")
    manager = client_for(world.manager)
    detail = reverse("complaints:detail", args=[about.public_id])
    assert manager.get(detail).status_code == 404
    assert coord.get(detail).status_code == 404
    page = manager.get(reverse("complaints:register")).content.decode()
    assert visible.reference in page and about.reference not in page
    counts = selectors.complaint_counts(world.manager, None, (days_ago(365), days_ago(0)))
    assert counts.received == 1 and counts.open == 1
    assert world.manager not in selectors.complaint_staff_to_notify(about)
    assert world.coordinator not in selectors.complaint_staff_to_notify(about)
    # The complaints manager runs it, and cannot hand stage 1 to the manager it is about.
    cm = client_for(world.complaints_manager)
    assert "About Mona." in cm.get(detail).content.decode()
    assert world.manager not in selectors.stage_handler_choices(about)
    with pytest.raises(ValidationError, match="about this person"):
        services.complaint_acknowledge(
            actor=world.complaints_manager, complaint=about, handler=world.manager
        )
    from tests.personas import join, make_user

    other = make_user("manager2@north.test", "Max Manager")
    join(other, world.north, "manager", "team")
    letter = services.complaint_acknowledge(
        actor=world.complaints_manager, complaint=about, handler=other
    )
    url = reverse("complaints:letter", args=[about.public_id, letter.public_id])
    manager.post(reverse("accounts:sudo"), {"password": PASSWORD})
    assert manager.get(url).status_code == 404
    assert (
        manager.get(reverse("complaints:action", args=[about.public_id, "respond"])).status_code
        == 404
    )


def test_a_complaint_names_only_a_member_of_staff_of_its_scheme(world: World) -> None:
    with pytest.raises(ValidationError, match="not a member of staff"):
        make_complaint(world, subject=Subject.STAFF, subject_user=world.social_worker)
    with pytest.raises(ValidationError, match="member of staff it is about"):
        make_complaint(world, subject=Subject.STAFF)


def test_a_public_complaint_about_a_manager_is_hidden_once_the_person_is_named(
    world: World,
) -> None:
    """The public form names nobody: the complaints manager names the manager it is about,
    who from then on cannot see it (docs/decisions/0003)."""
    c = services.complaint_receive(
        actor=None,
        scheme=world.north,
        channel="public_form",
        received_on=days_ago(1),
        complainant_name="Pat",
        complainant_relationship="carer",
        subject="staff",
        subject_name="the manager, Mona",
        details="Rude on the phone.",
        complainant_email="pat@example.net",
    )
    detail = reverse("complaints:detail", args=[c.public_id])
    step = reverse("complaints:action", args=[c.public_id, "name_person"])
    assert client_for(world.coordinator).get(detail).status_code == 404
    assert client_for(world.manager).get(detail).status_code == 200
    cm = client_for(world.complaints_manager)
    # Only the scheme's staff and IVs are offered.
    response = cm.post(step, {"subject": "staff", "subject_user": world.social_worker.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = cm.post(step, {"subject": "staff", "subject_user": world.manager.pk})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.subject_user == world.manager
    assert client_for(world.manager).get(detail).status_code == 404
    assert client_for(world.manager).get(step).status_code == 404
    assert cm.get(detail).status_code == 200
    assert c.events.filter(action="name_person", actor=world.complaints_manager).exists()
    with pytest.raises(NotAllowed, match="Only the scheme's managers"):
        services.complaint_name_person(
            actor=world.coordinator, complaint=c, subject="staff", subject_user=world.manager
        )


def test_naming_the_person_keeps_what_was_chosen_when_it_is_refused(world: World) -> None:
    """Item 14's step: a person who does not fit the choice is refused next to the field,
    and the page keeps both answers."""
    c = make_complaint(world)
    manager = client_for(world.complaints_manager)
    url = reverse("complaints:action", args=[c.public_id, "name_person"])
    response = manager.post(url, {"subject": "coordinator", "subject_user": world.iv.pk})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "This person is not a coordinator of that scheme." in body
    assert 'id="id_subject_user_error"' in body
    assert re.search(r'value="coordinator"[^>]*checked', body)
    assert re.search(rf'value="{world.iv.pk}"[^>]*selected', body)
    c.refresh_from_db()
    assert c.subject_user is None
    # With no person chosen: the message is next to that field, the choice of kind kept.
    response = manager.post(url, {"subject": "iv"})
    body = response.content.decode()
    assert 'id="id_subject_user_error"' in body and "This field is required." in body
    assert re.search(r'value="iv"[^>]*checked', body)

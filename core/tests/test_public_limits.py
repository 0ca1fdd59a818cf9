"""Issue 19.9: the public complaint form, the volunteer application and password reset are
limited per address and per email address typed (a plain 429 page, not an error page); every
free-text field of every form has a maximum length with a message next to the field; and a
public complaint tells the complaints manager when it arrives."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core import mail
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint
from core.forms import TEXT_MAX_LENGTH, is_free_text, project_form_classes
from notifications.models import Notification
from tests.personas import World
from volunteers.models import Volunteer
from volunteers.tests.test_pages import APPLICATION

pytestmark = [pytest.mark.django_db]


def complaint(email: str = "carrie@example.net", **extra: Any) -> dict[str, Any]:
    return {
        "complainant_name": "Carrie Carer",
        "complainant_relationship": "carer",
        "complainant_email": email,
        "subject": "service",
        "details": "The visits stopped.",
        **extra,
    }


def test_public_complaints_are_limited_per_address(world: World, settings: Any) -> None:
    settings.RATELIMIT_PUBLIC_FORM_ADDRESS = "3/h"
    url = reverse("complaints:make", args=["north"])
    statuses = [
        Client(REMOTE_ADDR="203.0.113.7").post(url, complaint(f"p{i}@example.net")).status_code
        for i in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Complaint.objects.count() == 3
    page = Client(REMOTE_ADDR="203.0.113.7").post(url, complaint("x@example.net"))
    assert page.status_code == 429 and "Too many attempts" in page.content.decode()
    # Another address is not affected, and nor is reading the form.
    assert Client(REMOTE_ADDR="203.0.113.8").post(url, complaint()).status_code == 302
    assert Client(REMOTE_ADDR="203.0.113.7").get(url).status_code == 200


def test_public_complaints_are_limited_per_email_address(world: World, settings: Any) -> None:
    settings.RATELIMIT_PUBLIC_FORM_EMAIL = "2/h"
    url = reverse("complaints:make", args=["north"])
    statuses = [
        Client(REMOTE_ADDR=f"203.0.113.{i}").post(url, complaint("Same@Example.net ")).status_code
        for i in range(1, 5)
    ]
    assert statuses == [302, 302, 429, 429]


def test_volunteer_applications_are_limited(world: World, settings: Any) -> None:
    settings.RATELIMIT_PUBLIC_FORM_ADDRESS = "2/h"
    url = reverse("volunteers:apply", args=["north"])
    statuses = [
        Client(REMOTE_ADDR="203.0.113.9")
        .post(url, {**APPLICATION, "email": f"jo{i}@example.org"})
        .status_code
        for i in range(4)
    ]
    assert statuses == [302, 302, 429, 429]
    assert Volunteer.objects.filter(email__startswith="jo").count() == 2


def test_password_reset_emails_are_limited_per_target_and_address(
    world: World, settings: Any
) -> None:
    url = reverse("accounts:password_reset")
    email = world.coordinator.email
    statuses = [
        Client(REMOTE_ADDR=f"198.51.100.{i}").post(url, {"email": email}).status_code
        for i in range(1, 6)
    ]
    assert statuses == [302, 302, 302, 429, 429]  # 3 an hour for one account
    assert len(mail.outbox) == 3
    settings.RATELIMIT_PASSWORD_RESET_ADDRESS = "2/h"
    others = [
        Client(REMOTE_ADDR="198.51.100.50").post(url, {"email": f"n{i}@x.test"}).status_code
        for i in range(3)
    ]
    assert others == [302, 302, 429]


def test_an_overlong_text_gets_a_message_next_to_the_field(world: World) -> None:
    url = reverse("complaints:make", args=["north"])
    response = Client().post(url, complaint(details="x" * 2_400_000))
    assert response.status_code == 200
    form = response.context["form"]
    assert "please keep it to 10000 characters or fewer" in form.errors["details"][0]
    assert not Complaint.objects.exists()
    assert f'maxlength="{TEXT_MAX_LENGTH}"' in response.content.decode()


def test_every_free_text_field_of_every_form_has_a_maximum_length() -> None:
    problems = []
    classes = project_form_classes()
    assert len(classes) > 30
    for form_class in classes:
        for name, field in getattr(form_class, "base_fields", {}).items():
            if is_free_text(field):
                assert isinstance(field, forms.CharField)
                if field.max_length is None or field.max_length > TEXT_MAX_LENGTH:
                    problems.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert problems == []


def test_a_public_complaint_notifies_the_complaints_manager(world: World) -> None:
    url = reverse("complaints:make", args=["north"])
    assert Client().post(url, complaint()).status_code == 302
    made = Complaint.objects.get()
    told = Notification.objects.filter(key=f"complaint-received:{made.public_id}")
    assert {n.user for n in told} == {world.complaints_manager}
    assert made.reference in told.get().title

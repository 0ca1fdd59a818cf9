"""Complaints: managers and the complaints manager see every complaint of their scheme;
coordinators see those not about a coordinator; the coordinator a complaint is about gets 404
as if it did not exist; IVs, social workers and other schemes' staff see none. The public
form needs no account.

The complaints are made lazily inside each case (rolled back after it): one about the service
and one about world.coordinator, both in north.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.clock import days_ago
from tests.matrix.base import NOT_FOUND, OK, REDIRECT, Expect, Row, everyone
from tests.personas import PASSWORD

LETTER_FILE = "complaints/letters/permission-matrix.pdf"


def _complaint(world: Any, *, about_coordinator: bool) -> Any:
    from complaints import services
    from complaints.models import Complaint, Subject

    name = "Matrix About Cora" if about_coordinator else "Matrix About Service"
    found = Complaint.objects.filter(scheme=world.north, complainant_name=name).first()
    if found is not None:
        return found
    return services.complaint_receive(
        actor=world.manager,
        scheme=world.north,
        channel="phone",
        received_on=days_ago(60),
        complainant_name=name,
        complainant_relationship="iv",
        subject=Subject.COORDINATOR if about_coordinator else Subject.SERVICE,
        subject_user=world.coordinator if about_coordinator else None,
        details="Matrix.",
        complainant_email="matrix@example.net",
    )


def _letter(world: Any, *, about_coordinator: bool) -> Any:
    # One small file for every case, instead of a real letter (rendered in the app's tests).
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from complaints.models import ComplaintLetter

    if not default_storage.exists(LETTER_FILE):
        default_storage.save(LETTER_FILE, ContentFile(b"%PDF-1.4\n%matrix\n"))
    complaint = _complaint(world, about_coordinator=about_coordinator)
    return ComplaintLetter.objects.create(
        complaint=complaint, kind="acknowledgement", body="Matrix.", pdf=LETTER_FILE
    )


def detail(about_coordinator: bool) -> Any:
    return lambda w: reverse(
        "complaints:detail", args=[_complaint(w, about_coordinator=about_coordinator).public_id]
    )


def action(about_coordinator: bool) -> Any:
    return lambda w: reverse(
        "complaints:action",
        args=[_complaint(w, about_coordinator=about_coordinator).public_id, "extend"],
    )


def letter(about_coordinator: bool) -> Any:
    def path(w: Any) -> str:
        item = _letter(w, about_coordinator=about_coordinator)
        return reverse("complaints:letter", args=[item.complaint.public_id, item.public_id])

    return path


def confirm_password(world: Any, client: Any) -> None:
    """Letters are exports: they need a fresh password confirmation."""
    client.post(reverse("accounts:sudo"), {"password": PASSWORD})


COMPLAINT_STAFF: Expect = everyone(
    NOT_FOUND, coordinator=OK, other_coordinator=OK, manager=OK, complaints_manager=OK
)
NORTH_SEES_IT: Expect = everyone(NOT_FOUND, coordinator=OK, manager=OK, complaints_manager=OK)
NORTH_RUNS_IT: Expect = everyone(NOT_FOUND, manager=OK, complaints_manager=OK)
# About world.coordinator: the coordinator who is the subject gets 404, like everyone else
# who may not see it.
ABOUT_CORA: Expect = everyone(NOT_FOUND, manager=OK, complaints_manager=OK)
PUBLIC: Expect = everyone(OK, anonymous=OK)

ROWS = {
    "complaints:make": Row(lambda w: reverse("complaints:make", args=["north"]), PUBLIC),
    "complaints:make#post": Row(
        lambda w: reverse("complaints:make", args=["north"]),
        everyone(REDIRECT, anonymous=REDIRECT),
        method="post",
        data=lambda w: {
            "complainant_name": "Carrie Carer",
            "complainant_relationship": "carer",
            "complainant_email": "carrie@example.net",
            "subject": "service",
            "details": "A missed visit.",
        },
    ),
    "complaints:make#unknown_scheme": Row(
        lambda w: reverse("complaints:make", args=["nowhere"]),
        everyone(NOT_FOUND, anonymous=NOT_FOUND),
    ),
    "complaints:made": Row(lambda w: reverse("complaints:made", args=["north"]), PUBLIC),
    "complaints:register": Row(lambda w: reverse("complaints:register"), COMPLAINT_STAFF),
    "complaints:create": Row(lambda w: reverse("complaints:create"), COMPLAINT_STAFF),
    "complaints:detail": Row(detail(False), NORTH_SEES_IT),
    "complaints:detail#about_coordinator": Row(detail(True), ABOUT_CORA),
    "complaints:action": Row(action(False), NORTH_RUNS_IT),
    "complaints:action#about_coordinator": Row(action(True), ABOUT_CORA),
    "complaints:letter": Row(letter(False), NORTH_SEES_IT, prepare=confirm_password),
    "complaints:letter#about_coordinator": Row(letter(True), ABOUT_CORA, prepare=confirm_password),
    "complaints:letter#without_password": Row(
        letter(False),
        everyone(NOT_FOUND, coordinator=REDIRECT, manager=REDIRECT, complaints_manager=REDIRECT),
    ),
    "complaints:letter_templates": Row(
        lambda w: reverse("complaints:letter_templates", args=["north"]), NORTH_RUNS_IT
    ),
    "complaints:letter_template_edit": Row(
        lambda w: reverse("complaints:letter_template_edit", args=["north", "acknowledgement"]),
        NORTH_RUNS_IT,
    ),
}

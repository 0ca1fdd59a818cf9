"""Volunteers: the public application form is open to all; a volunteer's record is for the
coordinators and managers of its scheme; a volunteer sees only their own page; the rest 404."""

from django.urls import reverse

from tests.matrix.base import NOT_FOUND, OK, REDIRECT, Expect, Row, everyone


def _applicant(w):
    from volunteers.tests.helpers import make_volunteer

    return make_volunteer(w.north)


def _ready(w):
    from volunteers.tests.helpers import ready_for_signoff

    return ready_for_signoff(w.north)


def _on_record(name):
    return lambda w: reverse(f"volunteers:{name}", args=[_applicant(w).public_id])


def _reference(w):
    from volunteers.tests.helpers import complete_checks

    volunteer = complete_checks(_applicant(w))
    ref = volunteer.references.first()
    return reverse("volunteers:reference_edit", args=[volunteer.public_id, ref.public_id])


def _link_iv(world, client):
    from volunteers.tests.helpers import approved

    volunteer = approved(world.north)
    volunteer.user = world.iv
    volunteer.save()


NORTH_STAFF: Expect = everyone(NOT_FOUND, coordinator=OK, manager=OK)
ANY_STAFF: Expect = everyone(NOT_FOUND, coordinator=OK, other_coordinator=OK, manager=OK)
PUBLIC: Expect = everyone(OK, anonymous=OK)

ROWS = {
    "volunteers:apply": Row(lambda w: reverse("volunteers:apply", args=["north"]), PUBLIC),
    # A valid application from anyone, signed in or not: on to the thank-you page.
    "volunteers:apply#post": Row(
        lambda w: reverse("volunteers:apply", args=["north"]),
        everyone(REDIRECT, anonymous=REDIRECT),
        method="post",
        data=lambda w: {
            "first_name": "Ann",
            "last_name": "Applicant",
            "email": "ann@example.org",
            "phone": "07700 900000",
            "date_of_birth": "1985-01-01",
            "area": "NE1",
            "motivation": "To help.",
            "consent_to_checks": "on",
        },
    ),
    # No application in this session: back to the form.
    "volunteers:apply_done": Row(
        lambda w: reverse("volunteers:apply_done", args=["north"]),
        everyone(REDIRECT, anonymous=REDIRECT),
    ),
    "volunteers:list": Row(lambda w: reverse("volunteers:list"), ANY_STAFF),
    "volunteers:board": Row(lambda w: reverse("volunteers:board"), ANY_STAFF),
    "volunteers:create": Row(lambda w: reverse("volunteers:create"), ANY_STAFF),
    "volunteers:me": Row(
        lambda w: reverse("volunteers:me"), everyone(NOT_FOUND, iv=OK), prepare=_link_iv
    ),
    "volunteers:settings": Row(
        lambda w: reverse("volunteers:settings", args=["north"]), everyone(NOT_FOUND, manager=OK)
    ),
    "volunteers:detail": Row(_on_record("detail"), NORTH_STAFF),
    "volunteers:edit": Row(_on_record("edit"), NORTH_STAFF),
    "volunteers:move": Row(_on_record("move"), NORTH_STAFF),
    "volunteers:interview": Row(_on_record("interview"), NORTH_STAFF),
    "volunteers:checks": Row(_on_record("checks"), NORTH_STAFF),
    "volunteers:reference_add": Row(_on_record("reference_add"), NORTH_STAFF),
    "volunteers:reference_edit": Row(_reference, NORTH_STAFF),
    "volunteers:training": Row(_on_record("training"), NORTH_STAFF),
    "volunteers:sign_off": Row(_on_record("sign_off"), NORTH_STAFF),
    # Only the team manager's sign-off goes through; a coordinator is told why not (200).
    "volunteers:sign_off#post": Row(
        lambda w: reverse("volunteers:sign_off", args=[_ready(w).public_id]),
        everyone(NOT_FOUND, coordinator=OK, manager=REDIRECT),
        method="post",
        data=lambda w: {"decision": "sign", "comment": "Fine."},
    ),
    "volunteers:status": Row(_on_record("status"), NORTH_STAFF),
    "volunteers:profile": Row(_on_record("profile"), NORTH_STAFF),
    "volunteers:support": Row(_on_record("support"), NORTH_STAFF),
    # No papers before approval: 404 for everyone (downloads are tested in volunteers/tests).
    "volunteers:document": Row(
        lambda w: reverse("volunteers:document", args=[_applicant(w).public_id, "letter"]),
        everyone(NOT_FOUND),
    ),
}

"""Retention and legal holds in the browser, on a phone and a desktop, checked with axe: the
schedule and its change form, the records due, an approval with the password, the destruction
log, and a legal hold placed from a child's page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.personas import PASSWORD, World

pytestmark = [
    pytest.mark.dated,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_second_factor"),
]


def _old_complaint(world: World) -> None:
    from complaints.models import Complaint
    from complaints.tests.factories import make_complaint
    from dataprotection.models import DueRecord

    complaint = make_complaint(world, received_on=date(2019, 3, 1), name="Old Complainant")
    Complaint.objects.filter(pk=complaint.pk).update(
        status="closed", closed_on=date(2019, 4, 1), finding="upheld", due_on=None
    )
    DueRecord.objects.create(
        scheme=world.north,
        record_type="complaint",
        object_pk=complaint.pk,
        label=f"Complaint {complaint.reference}",
        due_on=date(2025, 4, 1),
    )


def test_schedule_due_approval_and_log(bpage, world: World) -> None:
    _old_complaint(world)
    page = bpage.page
    bpage.login(world.dpo)
    bpage.goto(reverse("dataprotection:retention"))
    page.get_by_role("heading", name="Retention schedules", level=1).wait_for()
    bpage.assert_accessible()
    bpage.screenshot("retention-schedule")
    page.get_by_role(
        "link", name="Change how long the complaint is kept in North IV Scheme"
    ).click()
    page.get_by_label("Years").fill("0")
    page.get_by_label("Months").fill("0")
    page.get_by_role("button", name="Save the period").click()
    page.get_by_text("Records must be kept for at least 1 month.").first.wait_for()
    bpage.assert_accessible()
    page.get_by_label("Years").fill("6")
    page.get_by_role("button", name="Save the period").click()
    page.get_by_text("now kept for 6 years").wait_for()

    bpage.goto(reverse("dataprotection:due"))
    page.get_by_role("heading", name="Records due for destruction", level=1).wait_for()
    bpage.assert_accessible()
    page.get_by_role("link", name="Confirm your password to approve destruction").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Records due for destruction", level=1).wait_for()
    bpage.assert_accessible()
    bpage.screenshot("records-due")
    page.get_by_role("button", name="Approve destruction of Complaint").click()
    page.get_by_text("1 record destroyed").wait_for()
    page.get_by_text("Nothing is waiting for a decision.").wait_for()
    bpage.assert_accessible()

    bpage.goto(reverse("dataprotection:destructions"))
    page.get_by_role("cell", name="Dee Protection").wait_for()
    bpage.assert_accessible()
    bpage.screenshot("destruction-log")


def test_hold_from_the_child_page(bpage, world: World) -> None:
    page = bpage.page
    bpage.login(world.manager)
    bpage.goto(reverse("children:detail", args=[world.child.public_id]))
    page.get_by_role("link", name="Place a legal hold").click()
    page.get_by_role("heading", name="Place a legal hold").wait_for()
    bpage.assert_accessible()
    page.get_by_role("button", name="Place the hold").click()
    page.get_by_text("Choose why the records must be kept.").first.wait_for()
    bpage.assert_accessible()
    page.get_by_label("Why must the records be kept?").select_option("police")
    page.get_by_label("Details").fill("Northshire Police, ref NP/42")
    page.get_by_role("button", name="Place the hold").click()
    page.get_by_text("Legal hold: do not destroy.").wait_for()
    bpage.assert_accessible()
    bpage.screenshot("child-legal-hold")

    bpage.goto(reverse("dataprotection:holds"))
    page.get_by_role("heading", name="Legal holds", level=1).wait_for()
    bpage.assert_accessible()
    page.get_by_role("link", name="Lift the hold on Amy Atkins").click()
    page.get_by_role("heading", name="Lift a legal hold").wait_for()
    bpage.assert_accessible()
    page.get_by_label("Why is the hold lifted?").fill("The police closed the case.")
    page.get_by_role("button", name="Lift the hold").click()
    page.get_by_text("The legal hold is lifted.").wait_for()
    bpage.assert_accessible()

"""The volunteer journey in a browser, on a phone and a desktop: an applicant applies without
an account, the coordinator takes them through interview, checks and training, a team manager
and then a different service manager sign off, and the approval papers are produced."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import ManagerLevel, Membership, Role
from tests.clock import days_ago
from tests.personas import World, make_user
from volunteers.models import Stage, TrainingModule, Volunteer

pytestmark = [
    pytest.mark.dated,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_second_factor"),
]

SHOTS = Path("var/screenshots")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def switch_to(bpage, user) -> None:
    bpage.page.context.clear_cookies()
    bpage.login(user)


def submit(page, label: str = "Save") -> None:
    page.get_by_role("button", name=label).click()
    page.wait_for_load_state()


def move(bpage, volunteer_url: str, stage: str, reason: str = "") -> None:
    page = bpage.page
    bpage.goto(volunteer_url + "move/")
    page.get_by_label("Move to").select_option(stage)
    if reason:
        page.get_by_label("Reason").fill(reason)
    submit(page)
    page.get_by_text("The volunteer has been moved.").wait_for()


def test_volunteer_journey(bpage, world: World, tmp_path) -> None:
    page = bpage.page
    # 1. Someone applies from their phone, with no account. A mistake keeps what they typed.
    bpage.goto(reverse("volunteers:apply", args=["north"]))
    bpage.assert_accessible()
    page.get_by_label("First name").fill("Jamie")
    page.get_by_label("Surname").fill("Rivers")
    page.get_by_label("Email address").fill("jamie.rivers@example.org")
    page.get_by_label("Phone number").fill("07700 900456")
    page.get_by_label("Date of birth").fill("1991-02-03")
    page.get_by_label("Postcode district").fill("NE2")
    page.get_by_label("Why would you like to be an independent visitor?").fill("To be a constant.")
    page.get_by_label("I can visit at weekends").check()
    submit(page, "Send my application")
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("First name").input_value() == "Jamie"
    bpage.assert_accessible()
    page.get_by_label("I agree to an enhanced DBS check", exact=False).check()
    submit(page, "Send my application")
    page.get_by_role("heading", name="Thank you, we have your application").wait_for()
    volunteer = Volunteer.objects.get(email="jamie.rivers@example.org")
    assert volunteer.reference in page.content()
    bpage.assert_accessible()
    bpage.screenshot("volunteer-applied")

    # 2. The coordinator sees them on the board and takes them through the pipeline.
    bpage.login(world.coordinator)
    bpage.goto(reverse("volunteers:board"))
    page.get_by_role("link", name="Jamie Rivers").wait_for()
    bpage.assert_accessible()
    bpage.screenshot("volunteer-board")
    bpage.goto(reverse("volunteers:list"))
    bpage.assert_accessible()
    url = reverse("volunteers:detail", args=[volunteer.public_id])
    bpage.goto(url)
    page.get_by_role("heading", name="What is missing before approval").wait_for()
    bpage.assert_accessible()
    move(bpage, url, "interview")
    bpage.goto(url + "interview/")
    page.get_by_label("Interview date").fill(days_ago(40).isoformat())
    page.get_by_label("Interviewer").select_option(label="Cora North")
    page.get_by_label("Outcome").select_option("proceed")
    page.get_by_label("Notes").fill("Warm and reliable; understands boundaries.")
    bpage.assert_accessible()
    submit(page)
    move(bpage, url, "checks")
    bpage.goto(url + "checks/")
    page.get_by_label("Enhanced DBS certificate number").fill("12345")
    submit(page)
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("Enhanced DBS certificate number").input_value() == "12345"
    bpage.assert_accessible()
    page.get_by_label("Enhanced DBS certificate number").fill("001234567890")
    for label in (
        "DBS issue date",
        "Statutory checks completed on",
        "Identity checked on",
        "Declared no connection to the local authority on",
        "Code of conduct accepted on",
    ):
        page.get_by_label(label).fill(days_ago(37).isoformat())
    page.get_by_label("The children's barred list was checked").check()
    submit(page)
    page.get_by_text("The checks have been recorded.").wait_for()
    for name in ("Rita Referee", "Rob Referee"):
        bpage.goto(url + "references/new/")
        page.get_by_label("Referee's name").fill(name)
        page.get_by_label("Relationship to the volunteer").fill("Employer")
        page.get_by_label("Requested on").fill(days_ago(39).isoformat())
        page.get_by_label("Received on").fill(days_ago(36).isoformat())
        page.get_by_label("Satisfactory?").select_option("yes")
        submit(page)
    bpage.assert_accessible()
    move(bpage, url, "training")
    for module in TrainingModule:
        bpage.goto(url + "training/")
        page.get_by_label("Module").select_option(module.value)
        page.get_by_label("Completed on").fill(days_ago(34).isoformat())
        submit(page)
    move(bpage, url, "sign_off")
    page.get_by_text("All checks are complete.").wait_for()
    bpage.assert_accessible()

    # 3. The team manager signs off; the same person is refused as the second signer.
    switch_to(bpage, world.manager)
    bpage.goto(url + "sign-off/")
    bpage.assert_accessible()
    page.get_by_label("Sign off").check()
    page.get_by_label("Comment").fill("Strong references.")
    submit(page, "Record decision")
    page.get_by_text("Your team manager sign-off has been recorded.").wait_for()
    bpage.goto(url + "sign-off/")
    page.get_by_label("Sign off").check()
    submit(page, "Record decision")
    page.get_by_role("alert").get_by_text("must be by someone else").wait_for()
    bpage.assert_accessible()

    # 4. A service manager gives the second sign-off: approved, papers made, invitation sent.
    service = make_user("service@north.test", "Sunita Service")
    Membership.objects.create(
        user=service, scheme=world.north, role=Role.MANAGER, manager_level=ManagerLevel.SERVICE
    )
    switch_to(bpage, service)
    bpage.goto(url + "sign-off/")
    page.get_by_label("Sign off").check()
    page.get_by_label("Comment").fill("Welcome aboard.")
    submit(page, "Record decision")
    page.get_by_text("Approved.", exact=False).first.wait_for()
    bpage.assert_accessible()
    bpage.screenshot("volunteer-approved")
    volunteer.refresh_from_db()
    assert volunteer.stage == Stage.APPROVED and volunteer.user is not None

    SHOTS.mkdir(parents=True, exist_ok=True)
    for link, kind, expected in (
        ("approval letter", "letter", "Dear Jamie Rivers"),
        ("certificate", "certificate", "Certificate of Approval"),
    ):
        with page.expect_download() as info:
            page.get_by_role("link", name=f"Download the {link} (PDF)").click()
        pdf = tmp_path / f"{kind}.pdf"
        info.value.save_as(pdf)
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert expected in text and "Sunita Service" in text and "Mona Manager" in text
        prefix = SHOTS / f"volunteer-{kind}-{bpage.viewport}"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(prefix)],
            check=True,
        )
        assert list(SHOTS.glob(f"volunteer-{kind}-{bpage.viewport}*.png"))

    # 5. The new volunteer's own view.
    switch_to(bpage, volunteer.user)
    bpage.goto(reverse("volunteers:me"))
    page.get_by_role("heading", name="What is due").wait_for()
    bpage.assert_accessible()
    bpage.screenshot("volunteer-me")


def test_approved_volunteer_pages(bpage, world: World) -> None:
    from volunteers.tests.helpers import approved

    volunteer = approved(world.north, status="suspended", status_reason="Under review")
    volunteer.user = world.iv
    volunteer.save()
    page = bpage.page
    bpage.login(world.coordinator)
    url = reverse("volunteers:detail", args=[volunteer.public_id])
    bpage.goto(url)
    page.get_by_text("Cannot be matched or plan visits").wait_for()
    bpage.assert_accessible()
    for suffix in ("status/", "profile/", "support/", "edit/"):
        bpage.goto(url + suffix)
        bpage.assert_accessible()
    bpage.goto(reverse("volunteers:create"))
    bpage.assert_accessible()
    switch_to(bpage, world.manager)
    bpage.goto(reverse("volunteers:settings", args=["north"]))
    bpage.assert_accessible()
    switch_to(bpage, world.iv)
    bpage.goto(reverse("volunteers:me"))
    page.get_by_text("You cannot plan visits").wait_for()
    bpage.assert_accessible()

"""The data protection officer's pages: the overview, finding a person, correcting a child's
record, the records of processing and erasing an application, on a phone and a desktop."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.test_expenses import login_with_sudo
from tests.personas import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_second_factor"),
]


def test_dpo_finds_a_child_and_corrects_the_record(bpage, world: World) -> None:
    page = bpage.page
    bpage.login(world.dpo)
    bpage.goto(reverse("portal:home"))
    bpage.open_menu()
    page.get_by_role("link", name="Data protection").click()
    page.get_by_role("heading", name="Data protection", level=1).wait_for()
    bpage.assert_accessible()
    page.get_by_role("link", name="Find a person's records").click()
    page.get_by_label("Name, case number or volunteer reference").fill("Atkins")
    page.get_by_role("button", name="Find").click()
    page.get_by_text("Amy Atkins").wait_for()
    bpage.assert_accessible()
    page.get_by_role("link", name="Correct the record").click()
    page.get_by_role("heading", name="Correct Amy Atkins's record").wait_for()
    bpage.assert_accessible()
    # No reason: the error is next to the field and the correction typed is still there.
    page.get_by_label("Surname").fill("Atkinson")
    page.get_by_role("button", name="Save the correction").click()
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("Surname").input_value() == "Atkinson"
    assert "Say why" in page.locator("#id_reason").locator("..").inner_text()
    bpage.assert_accessible()
    page.get_by_label("Why is the record being corrected?").fill("Birth certificate seen")
    page.get_by_role("button", name="Save the correction").click()
    page.get_by_text("Why: Birth certificate seen").wait_for()
    assert "Atkins → Atkinson" in page.content()
    bpage.assert_accessible()
    bpage.screenshot("dp-correct-child")


def test_records_of_processing(bpage, world: World) -> None:
    page = bpage.page
    bpage.login(world.manager)
    bpage.goto(reverse("dataprotection:processing"))
    page.get_by_role("heading", name="Records of processing", level=1).wait_for()
    page.get_by_text("Children's case records").first.wait_for()
    bpage.assert_accessible()
    bpage.screenshot("dp-processing")


def test_manager_erases_a_withdrawn_application(bpage, world: World) -> None:
    from volunteers.models import Stage
    from volunteers.tests.helpers import make_volunteer

    applicant = make_volunteer(world.north, Stage.NOT_PROCEEDING, first_name="Wendy")
    page = bpage.page
    login_with_sudo(bpage, world.manager)
    bpage.goto(reverse("dataprotection:erase_volunteer", args=[applicant.public_id]))
    page.get_by_role("heading", name="Erase Wendy Tester's application").wait_for()
    bpage.assert_accessible()
    page.get_by_role("button", name="Erase the application").click()
    page.get_by_role("alert").wait_for()
    assert "Tick the box" in page.content()
    bpage.assert_accessible()
    page.get_by_label("The applicant asked to be erased").check()
    page.get_by_role("button", name="Erase the application").click()
    page.get_by_text("The application was erased").wait_for()
    bpage.assert_accessible()
    applicant.refresh_from_db()
    assert applicant.first_name != "Wendy"

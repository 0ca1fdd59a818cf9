"""The pages of the access model as each role meets them, on a phone and a desktop."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.personas import World

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    # These journeys are about what each role sees; two-factor sign-in has its own tests.
    pytest.mark.usefixtures("no_second_factor"),
]


def test_coordinator_children_pages(bpage, world: World) -> None:
    page = bpage.page
    bpage.login(world.coordinator)
    bpage.goto(reverse("portal:home"))
    bpage.assert_accessible()
    bpage.goto(reverse("children:list"))
    page.get_by_role("link", name="Amy Atkins").wait_for()
    bpage.assert_accessible()
    bpage.goto(reverse("children:detail", args=[world.child.public_id]))
    page.get_by_role("heading", name="Amy Atkins", level=1).wait_for()
    bpage.assert_accessible()
    bpage.screenshot("child-detail")
    # A form with a mistake keeps what was typed and explains next to the field.
    bpage.goto(reverse("children:create"))
    page.get_by_label("First name").fill("Dana")
    page.get_by_label("Surname").fill("Evans")
    page.get_by_label("Date of birth").fill("2099-01-01")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("First name").input_value() == "Dana"
    assert "cannot be in the future" in page.locator("#id_date_of_birth").locator("..").inner_text()
    bpage.assert_accessible()
    bpage.goto(reverse("children:visit_card", args=[world.child.public_id]))
    bpage.assert_accessible()


def test_manager_sees_history_and_access_log(bpage, world: World) -> None:
    bpage.login(world.manager)
    bpage.goto(reverse("children:detail", args=[world.child.public_id]))
    bpage.page.get_by_role("heading", name="Who has viewed this record").wait_for()
    bpage.assert_accessible()
    bpage.screenshot("child-detail-manager")


def test_iv_home_and_visit_card(bpage, world: World) -> None:
    page = bpage.page
    bpage.login(world.iv)
    bpage.goto(reverse("portal:home"))
    page.get_by_role("heading", name="Keeping Amy safe").wait_for()
    assert "Atkins" not in page.content()
    bpage.goto(reverse("children:visit_card", args=[world.child.public_id]))
    page.get_by_role("heading", name="Amy, ", level=1).wait_for()
    assert "Atkins" not in page.content()
    bpage.assert_accessible()
    bpage.screenshot("visit-card")


def test_social_worker_home_and_match(bpage, world: World) -> None:
    bpage.login(world.social_worker)
    bpage.goto(reverse("portal:home"))
    bpage.page.get_by_role("link", name="Amy Atkins").wait_for()
    bpage.assert_accessible()
    bpage.goto(reverse("matches:detail", args=[world.match.public_id]))
    bpage.assert_accessible()


def test_people_pages(bpage, world: World) -> None:
    page = bpage.page
    bpage.login(world.coordinator)
    bpage.goto(reverse("people:list", args=["north"]))
    page.get_by_role("cell", name="Ivy Visitor", exact=True).wait_for()
    bpage.assert_accessible()
    bpage.screenshot("people")
    bpage.goto(reverse("people:invite", args=["north"]))
    page.get_by_label("Full name").fill("Nina New")
    page.get_by_label("Email address").fill("not-an-email")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_role("alert").wait_for()
    assert page.get_by_label("Full name").input_value() == "Nina New"
    bpage.assert_accessible()


def test_role_change_and_end_role_pages(bpage, world: World) -> None:
    from tests.personas import PASSWORD

    page = bpage.page
    bpage.login(world.coordinator)
    membership = world.other_iv.memberships.get()
    bpage.goto(reverse("people:change_role", args=[membership.public_id]))
    # A fresh password first, then back to the page asked for.
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.get_by_role("heading", name="Change Otto Visitor's role").wait_for()
    bpage.assert_accessible()
    bpage.goto(reverse("people:deactivate", args=[membership.public_id]))
    page.get_by_role("heading", name="End Otto Visitor's role?").wait_for()
    bpage.assert_accessible()

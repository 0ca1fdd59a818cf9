"""The referral journey as people do it: a social worker on a phone, a coordinator after."""

from __future__ import annotations

import pytest
from django.urls import reverse

from referrals.models import Referral
from tests.personas import PASSWORD, World

pytestmark = [
    pytest.mark.dated,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_second_factor"),
]


def sign_in(bpage, user) -> None:
    page = bpage.page
    bpage.goto(reverse("accounts:login"))
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1).wait_for()


def test_referral_journey(bpage, world: World) -> None:
    page = bpage.page
    sign_in(bpage, world.social_worker)
    bpage.goto(reverse("referrals:new"))
    bpage.assert_accessible()
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Surname").fill("Jones")
    page.get_by_label("Date of birth").fill("2014-02-03")
    page.get_by_label("What the child wants from an IV, in their own words").fill(
        "Someone who likes horses"
    )
    page.get_by_label("Carer's name").fill("Jo Carer")
    page.get_by_label("Address").fill("3 Oak Lane")
    page.get_by_label("Living there since").fill("2025-01-10")
    page.get_by_label("Type of placement").select_option("foster")
    # Forget the reason: the page says so and keeps everything typed.
    page.get_by_role("button", name="Send referral").click()
    page.get_by_role("alert").wait_for()
    assert "Choose the reason for the referral." in page.get_by_role("alert").inner_text()
    assert page.get_by_label("First name").input_value() == "Nia"
    assert page.get_by_label("Carer's name").input_value() == "Jo Carer"
    bpage.assert_accessible()
    page.get_by_label("Infrequent contact with parents").check()
    page.get_by_role("button", name="Send referral").click()
    page.get_by_role("heading", name="Referral of Nia Jones").wait_for()
    bpage.assert_accessible()
    bpage.screenshot("referral-sent")
    referral = Referral.objects.get(child__first_name="Nia")

    page.context.clear_cookies()
    sign_in(bpage, world.coordinator)
    bpage.goto(reverse("referrals:inbox"))
    page.get_by_role("link", name="Nia Jones").click()
    page.get_by_role("link", name="Record meeting with the child").click()
    bpage.assert_accessible()
    page.get_by_label("What the child said they want").fill("A woman IV who likes horses")
    page.get_by_role("button", name="Record the meeting").click()
    page.get_by_role("button", name="Put on the waiting list").click()
    page.get_by_text("is on the waiting list").wait_for()
    Referral.objects.filter(pk=referral.pk).update(
        waiting_since=referral.created_at.date().replace(day=1)
    )
    bpage.goto(reverse("referrals:waiting"))
    row = page.get_by_role("row", name="Nia Jones")
    assert "day" in row.inner_text()
    bpage.assert_accessible()
    bpage.screenshot("waiting-list")


def test_child_and_other_pages_are_accessible(bpage, world: World) -> None:
    bpage.login(world.coordinator)
    child = world.referral.child
    for url in (
        reverse("children:detail", args=[child.public_id]),
        reverse("children:edit", args=[child.public_id]),
        reverse("children:placement", args=[child.public_id]),
        reverse("children:review", args=[child.public_id]),
        reverse("children:visit_card", args=[child.public_id]),
        reverse("referrals:detail", args=[world.referral.public_id]),
        reverse("referrals:close", args=[world.referral.public_id]),
        reverse("notifications:list"),
    ):
        bpage.goto(url)
        bpage.assert_accessible()
    bpage.screenshot("child-full")


def test_social_worker_my_children(bpage, world: World) -> None:
    bpage.login(world.social_worker)
    bpage.goto(reverse("matches:my_children"))
    bpage.page.get_by_role("link", name="Cal Carter").wait_for()
    bpage.assert_accessible()

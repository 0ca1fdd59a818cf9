"""The expenses journey at phone and desktop size: an IV claims after a visit, the coordinator
queries and approves, a manager approves an over-limit claim, finance makes a payment batch."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from expenses import services
from expenses.models import Claim, ClaimStatus, PreAuthorisation, PreAuthStatus
from expenses.tests.helpers import held_visit, insure, jpeg_bytes, receipt, set_limits
from tests.personas import World
from visits.models import Visit, VisitStatus
from visits.tests.helpers import make_visit

pytestmark = [
    pytest.mark.dated,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_second_factor"),
]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def login_with_sudo(bpage, user) -> None:
    from django.test import Client

    from accounts.sudo import SUDO_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[SUDO_SESSION_KEY] = time.time()
    session.save()
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    bpage.page.context.clear_cookies()
    bpage.page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": bpage.base_url}]
    )


def switch(bpage, user) -> None:
    bpage.page.context.clear_cookies()
    bpage.login(user)


def over_limit_claim(world: World, *, same_day_as: Visit) -> Claim:
    """Spent £30 on a visit, with £35 authorised by the coordinator two days before it.

    The visit is held at midnight on the day of `same_day_as`, so that both fall in one month
    whatever day the suite runs on (a visit two days ago is last month on the 2nd)."""
    day = timezone.localtime(same_day_as.starts_at).replace(hour=0, minute=0, second=0)
    visit = make_visit(world, status=VisitStatus.HELD, starts_at=day, hours=2)
    PreAuthorisation.objects.create(
        scheme=world.north, volunteer=world.iv, visit=visit, reference="PA-THEME1",
        amount=Decimal("35.00"), reason="Theme park", status=PreAuthStatus.GRANTED,
        decided_by=world.coordinator, decided_at=visit.starts_at - timedelta(days=2),
    )  # fmt: skip
    claim = services.claim_start(actor=world.iv, visit=visit)
    services.item_add(
        actor=world.iv, claim=claim, category="entrance_fees",
        spent_on=timezone.localdate(visit.starts_at), amount=Decimal("30.00"), receipt=receipt(),
    )  # fmt: skip
    return services.claim_submit(actor=world.iv, claim=claim)


def test_expenses_journey(bpage, world: World) -> None:
    page = bpage.page
    set_limits(world.north, visit="25.00", month="60.00")
    insure(world)
    visit = held_visit(world, days_ago=1)
    big = over_limit_claim(world, same_day_as=visit)

    # The IV, on a phone after the visit.
    bpage.login(world.iv)
    bpage.goto(reverse("expenses:mine"))
    bpage.assert_accessible()
    page.get_by_role("link", name="Claim expenses for a visit").click()
    bpage.assert_accessible()
    page.get_by_label("Which visit is this claim for?").select_option(str(visit.pk))
    page.get_by_role("button", name="Start the claim").click()
    page.get_by_role("heading", name="Add an item").wait_for()
    bpage.assert_accessible()
    assert "of £25.00" in page.get_by_text("This visit:").inner_text()
    page.get_by_label("What did you spend it on?").select_option("refreshments")
    page.get_by_label("Amount in pounds").fill("4.50")
    page.get_by_label("Photo or PDF of the receipt").set_input_files(
        {"name": "receipt.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(gps=True)}
    )
    page.get_by_role("button", name="Add the item").click()
    page.get_by_role("heading", name="Expense claim for").wait_for()
    page.get_by_role("link", name="Add an item").click()
    page.get_by_label("What did you spend it on?").select_option("mileage")
    page.get_by_label("Miles driven (mileage only)").fill("10")
    page.get_by_role("button", name="Add the item").click()
    page.get_by_role("heading", name="Expense claim for").wait_for()
    bpage.assert_accessible()
    assert "Total: £9.00" in page.content()
    # The month already holds the £30 over-limit claim; this one adds £9.
    assert "£39.00" in page.get_by_text("This visit:").locator("..").inner_text()
    page.get_by_role("button", name="Send the claim").click()
    page.get_by_text("Your claim has been sent").wait_for()
    claim = Claim.objects.get(visit=visit)
    assert claim.status == ClaimStatus.SUBMITTED and claim.total == Decimal("9.00")

    # The coordinator queries the refreshments.
    switch(bpage, world.coordinator)
    bpage.goto(reverse("expenses:queue"))
    bpage.assert_accessible()
    page.goto(bpage.base_url + reverse("expenses:detail", args=[claim.public_id]))
    bpage.assert_accessible()
    page.get_by_role("link", name="Ask a question").click()
    bpage.assert_accessible()
    page.get_by_label("Which item is it about? (optional)").select_option(
        str(claim.items.get(category="refreshments").pk)
    )
    page.get_by_label("Your question to the IV").fill("Was this for you and Amy?")
    page.get_by_role("button", name="Send the question").click()
    page.get_by_text("Your question has been sent").wait_for()

    # The IV answers and sends it again.
    switch(bpage, world.iv)
    bpage.goto(reverse("expenses:detail", args=[claim.public_id]))
    bpage.assert_accessible()
    page.get_by_label("Your answer").fill("Yes, two hot chocolates.")
    page.get_by_role("button", name="Save my answer").click()
    page.get_by_role("button", name="Send the claim").click()
    page.get_by_text("Your claim has been sent").wait_for()

    # The coordinator approves; the over-limit claim needs a manager.
    switch(bpage, world.coordinator)
    bpage.goto(reverse("expenses:detail", args=[claim.public_id]))
    page.get_by_role("button", name="Approve the claim").click()
    page.get_by_text("The claim has been approved").wait_for()
    bpage.goto(reverse("expenses:detail", args=[big.public_id]))
    assert page.get_by_role("button", name="Approve the claim").count() == 0
    assert "PA-THEME1" in page.content()

    switch(bpage, world.manager)
    bpage.goto(reverse("expenses:detail", args=[big.public_id]))
    bpage.assert_accessible()
    page.get_by_role("button", name="Approve the claim").click()
    page.get_by_text("The claim has been approved").wait_for()

    # Finance: one batch with both claims, each listed once.
    login_with_sudo(bpage, world.manager)
    bpage.goto(reverse("expenses:finance"))
    bpage.assert_accessible()
    page.get_by_role("button", name="Make a payment batch for North IV Scheme").click()
    page.get_by_role("heading", name="Payment batch").wait_for()
    bpage.assert_accessible()
    rows = page.get_by_role("row").all()
    assert len(rows) == 3  # the heading and two claims
    claim.refresh_from_db()
    big.refresh_from_db()
    assert claim.batch is not None and claim.batch == big.batch
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the CSV for finance").click()
    with open(download.value.path()) as f:
        text = f.read()
    assert text.count(claim.public_id) == 1 and text.count(big.public_id) == 1
    assert "39.00" in text
    page.get_by_role("button", name="Mark the batch as paid").click()
    page.get_by_text("is marked as paid").wait_for()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAID


def test_other_expense_pages_are_accessible(bpage, world: World) -> None:
    from visits.tests.helpers import make_visit

    make_visit(world)
    bpage.login(world.iv)
    for url in (reverse("expenses:preauths"), reverse("expenses:preauth_new")):
        bpage.goto(url)
        bpage.assert_accessible()
    page = bpage.page
    page.get_by_label("Which visit?").select_option(index=1)
    page.get_by_label("Total you expect to spend, in pounds").fill("40")
    page.get_by_label("What it is for").fill("Theme park")
    page.get_by_role("button", name="Send the request").click()
    page.get_by_text("has been sent to your coordinator").wait_for()
    switch(bpage, world.coordinator)
    bpage.goto(reverse("expenses:preauths"))
    bpage.assert_accessible()
    page.get_by_role("link", name="PA-").click()
    page.get_by_label("Grant").wait_for()
    bpage.assert_accessible()
    page.get_by_label("Grant").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Your decision on").wait_for()
    assert PreAuthorisation.objects.get().status == PreAuthStatus.GRANTED
    switch(bpage, world.manager)
    bpage.goto(reverse("expenses:settings", args=["north"]))
    bpage.assert_accessible()

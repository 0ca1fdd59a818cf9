"""The IV's visit journey on a phone: visit card, plan, check in and out, a report written
while the signal drops, then the coordinator acknowledges it."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.personas import World
from visits import services
from visits.models import Visit, VisitReport
from visits.tests.helpers import make_report, make_visit

pytestmark = [
    pytest.mark.dated,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_second_factor"),
]

# Bytes over the network for the page and what it loaded. Read through a PerformanceObserver:
# Playwright's clock (tests/fixtures_browser.py) stands in for window.performance, whose
# getEntries* then return nothing, but the browser's own timeline is still there.
TRANSFER_JS = """() => Promise.all(['navigation', 'resource'].map(type => new Promise(resolve => {
  const observer = new PerformanceObserver(list => {
    observer.disconnect();
    resolve(list.getEntries().reduce((sum, e) => sum + e.transferSize, 0));
  });
  observer.observe({type, buffered: true});
}))).then(sizes => sizes[0] + sizes[1])"""


def visit_times() -> tuple[str, str, str]:
    """A visit today that has already started (so checking in is allowed), ending today."""
    now = timezone.localtime()
    midnight = timezone.make_aware(datetime.combine(now.date(), time(0, 0)))
    start = max(now - timedelta(minutes=30), midnight)
    end = min(start + timedelta(hours=2), midnight + timedelta(hours=23, minutes=59))
    return now.date().isoformat(), start.strftime("%H:%M"), end.strftime("%H:%M")


def prepare(world: World) -> None:
    from referrals import services as child_services

    services.platforms_seed(scheme=world.north)
    world.north.out_of_hours_phone = "0300 123 4001"
    world.north.save()
    child = world.child
    child.allergies = "Peanuts"
    child.save()
    child_services.placement_change(
        actor=world.coordinator,
        child=child,
        kind="foster",
        carer_name="Pat Carer",
        carer_phone="07700 900222",
        address="1 Secret Road",
        started_on=timezone.localdate() - timedelta(days=200),
    )


def test_iv_visit_journey(bpage, world: World) -> None:
    page = bpage.page
    prepare(world)
    bpage.login(world.iv)
    bpage.goto(reverse("portal:home"))
    page.get_by_role("heading", name="Amy, 12").wait_for()
    card = page.get_by_role("region", name="Keeping Amy safe").inner_text()
    assert "Peanuts" in card and "07700 900222" in card and "0300 123 4001" in card
    assert "Never give Amy any medication" in card
    assert "Atkins" not in page.content()
    bpage.assert_accessible()

    page.get_by_role("link", name="Plan a visit").click()
    page.get_by_role("heading", name="Plan a visit with Amy").wait_for()
    bpage.assert_accessible()
    day, start, end = visit_times()
    page.get_by_label("Date").fill(day)
    page.get_by_label("Start time").fill(start)
    page.get_by_label("Expected end time").fill(end)
    page.get_by_role("radio", name="Video call").check()
    page.get_by_label("Platform (for a video call or messages)").select_option(
        label="WhatsApp (16+)"
    )
    page.get_by_role("button", name="Plan the visit").click()
    page.get_by_role("alert").wait_for()
    assert (
        "WhatsApp is for people aged 16 or over, and Amy is 12"
        in page.get_by_role("alert").inner_text()
    )
    assert page.get_by_label("Start time").input_value() == start
    bpage.assert_accessible()
    assert not Visit.objects.exists()

    page.get_by_role("radio", name="Face to face").check()
    page.get_by_label("Where").fill("Northtown bowling alley")
    page.get_by_label("What you plan to do").fill("Bowling")
    page.get_by_label("Your named person", exact=True).fill("Ned Named")
    page.get_by_label("Your named person's phone").fill("07700 900111")
    page.get_by_role("button", name="Plan the visit").click()
    page.get_by_text("Your visit is planned.").wait_for()
    bpage.assert_accessible()

    check_in = page.get_by_role("button", name="Check in: the visit is starting")
    assert check_in.bounding_box()["height"] >= 44
    check_in.click()
    page.get_by_text("You are checked in.").wait_for()
    page.get_by_role("button", name="Check out: the visit has ended").click()
    page.get_by_text("You are checked out.").wait_for()
    assert Visit.objects.get().status == "held"

    page.get_by_role("link", name="Write the report").click()
    page.get_by_role("heading", name="Report on your visit").wait_for()
    bpage.assert_accessible()
    status = page.locator("#report-status")
    page.get_by_label("What did you do together?").fill("Bowling, then chips.")
    page.get_by_text("Saved on this phone at").wait_for()
    page.context.set_offline(True)
    page.get_by_label("How did the child seem?").fill("Happy, a bit tired.")
    page.get_by_label("What does the child want, or what did they say?").fill("Ice skating")
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("You have no signal, so it is not sent yet").wait_for()
    assert "not sent yet" in status.inner_text()
    # Said next to the button just tapped, not at the top of the form out of sight.
    button = page.get_by_role("button", name="Send the report").bounding_box()
    said = status.bounding_box()
    assert button and said and 0 <= said["y"] - (button["y"] + button["height"]) < 40
    bpage.screenshot("report-offline")
    assert VisitReport.objects.count() == 0

    page.context.set_offline(False)
    page.get_by_role("heading", name="Visit report", exact=True).wait_for(timeout=30_000)
    assert "Ice skating" in page.content()
    assert VisitReport.objects.count() == 1
    bpage.assert_accessible()
    # Nothing is left on the phone once the report is sent.
    left = page.evaluate(
        """() => new Promise(resolve => {
             const r = indexedDB.open('ivscheme-visits');
             r.onsuccess = () => { const db = r.result;
               if (!db.objectStoreNames.contains('reports')) { resolve(0); return; }
               const q = db.transaction('reports').objectStore('reports').count();
               q.onsuccess = () => resolve(q.result); };
           })"""
    )
    assert left == 0
    assert VisitReport.objects.count() == 1

    # A repeat visit to a report page: CSS and JS come from the cache.
    other = make_visit(world, status="held", starts_at=timezone.now() - timedelta(days=2))
    url = reverse("visits:report", args=[other.public_id])
    bpage.goto(url)
    page.wait_for_load_state("networkidle")
    bpage.goto(url)
    page.wait_for_load_state("networkidle")
    transferred = page.evaluate(TRANSFER_JS)
    assert transferred < 60_000, f"{transferred} bytes on a repeat visit"

    page.context.clear_cookies()
    bpage.login(world.coordinator)
    bpage.goto(reverse("visits:report_queue"))
    bpage.assert_accessible()
    page.get_by_role("row").nth(1).get_by_role("link").first.click()
    page.get_by_role("button", name="Acknowledge: I have read this report").click()
    page.get_by_text("Report acknowledged.").wait_for()
    bpage.assert_accessible()
    report = VisitReport.objects.get()
    assert report.acknowledged_by == world.coordinator


def test_visit_pages_are_accessible(bpage, world: World) -> None:
    prepare(world)
    planned = make_visit(world)
    make_visit(world, status="cancelled", starts_at=timezone.now() - timedelta(days=5))
    report = make_report(world)
    services.calendar_feed_renew(actor=world.iv)
    pages = {
        world.iv: [
            reverse("visits:list"),
            reverse("visits:cancel", args=[planned.public_id]),
            reverse("visits:calendar"),
            reverse("visits:report_detail", args=[report.public_id]),
        ],
        world.coordinator: [
            reverse("visits:list"),
            reverse("visits:platforms"),
            reverse("visits:report_detail", args=[report.public_id]),
            reverse("visits:detail", args=[planned.public_id]),
        ],
        world.social_worker: [reverse("visits:list")],
    }
    for user, urls in pages.items():
        bpage.page.context.clear_cookies()
        bpage.login(user)
        for url in urls:
            bpage.goto(url)
            bpage.assert_accessible()

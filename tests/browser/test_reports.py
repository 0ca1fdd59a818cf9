"""The coordinator dashboard, the manager's scheme report and an export, on a phone and a
desktop, checked with axe."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.clock import days_ago
from tests.personas import PASSWORD, World

pytestmark = [
    pytest.mark.dated,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("no_second_factor"),
]


def test_coordinator_dashboard(bpage, world: World) -> None:
    page = bpage.page
    bpage.login(world.coordinator)
    bpage.goto(reverse("portal:home"))
    page.get_by_role("heading", name="Needs doing now").wait_for()
    page.get_by_role("img", name="How long children have waited").wait_for()
    bpage.assert_accessible()
    bpage.screenshot("coordinator-dashboard")
    page.get_by_role("link", name="Safeguarding concerns to acknowledge").first.click()
    page.wait_for_url("**/safeguarding/**")


def test_manager_report_and_export(bpage, world: World) -> None:
    from reports import services
    from reports.models import ReportExport

    page = bpage.page
    bpage.login(world.manager)
    bpage.goto(reverse("reports:index"))
    page.get_by_role("heading", name="Scheme report", level=1).wait_for()
    bpage.assert_accessible()
    bpage.screenshot("scheme-report")
    page.get_by_role("link", name="Confirm your password to export this report").click()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("button", name="Export as CSV").click()
    page.get_by_role("heading", name="Report export").wait_for()
    bpage.assert_accessible()
    # No worker runs in the tests: run the job here; the page notices by polling (htmx).
    export = ReportExport.objects.get(requested_by=world.manager)
    services.export_run(export_id=export.pk)
    page.get_by_role("link", name="Download the CSV (spreadsheet) file").wait_for(timeout=8_000)
    bpage.assert_accessible()


def test_lac_summary_pages(bpage, world: World) -> None:
    page = bpage.page
    bpage.login(world.coordinator)
    bpage.goto(reverse("reports:lac_summaries", args=[world.match.public_id]))
    bpage.assert_accessible()
    page.get_by_label("Date of the looked-after review").fill(days_ago(3).isoformat())
    page.get_by_label("Visits from").fill(days_ago(120).isoformat())
    page.get_by_label("Visits to").fill(days_ago(1).isoformat())
    page.get_by_label("What the child wants said at the review, in their words").fill("Hi.")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("heading", name="Agreed").wait_for()
    bpage.assert_accessible()

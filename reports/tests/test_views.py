from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import AccessLog
from reports import services
from reports.models import ExportStatus, ReportExport
from reports.tests import dataset
from tests.personas import PASSWORD, World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_second_factor"), pytest.mark.dated]


def confirm_password(client: Any) -> None:
    client.post(reverse("accounts:sudo"), {"password": PASSWORD})


# --- The dashboard on the home page ----------------------------------------------------------


def test_coordinator_home_shows_the_dashboard_with_links(client: Any, world: World) -> None:
    client.force_login(world.coordinator)
    page = client.get(reverse("portal:home")).content.decode()
    assert "Needs doing now" in page and "Caseload at a glance" in page
    # Amy's concern is waiting: the first item, urgent, with its number linking to the register.
    assert page.index("Safeguarding concerns to acknowledge") < page.index("Visit reports to read")
    assert reverse("safeguarding:register") + "?state=new" in page
    assert reverse("matches:list") + "?status=established" in page
    assert reverse("expenses:queue") in page
    assert "<svg" in page and 'role="img"' in page


def test_iv_and_social_worker_get_no_dashboard(client: Any, world: World) -> None:
    for person in (world.iv, world.social_worker, world.complaints_manager):
        client.force_login(person)
        assert "Needs doing now" not in client.get(reverse("portal:home")).content.decode()


def test_dashboard_counts_only_the_coordinators_schemes(client: Any, world: World) -> None:
    client.force_login(world.other_coordinator)
    page = client.get(reverse("portal:home")).content.decode()
    # South has no unacknowledged concern (Amy's is in north).
    assert 'aria-label="0 safeguarding concerns to acknowledge"' in page


def _add_rows(world: World, n: int, offset: int) -> None:
    from referrals.models import Child, Referral
    from volunteers.models import Volunteer

    today = timezone.localdate()
    for i in range(offset, offset + n):
        child = Child.objects.create(scheme=world.north, first_name=f"C{i}", last_name="Row",
                                     date_of_birth=date(2013, 1, 1))  # fmt: skip
        Referral.objects.create(scheme=world.north, child=child, referred_by=world.coordinator,
                                status="waiting", received_at=timezone.now(),
                                waiting_since=today - timedelta(days=i))  # fmt: skip
        Volunteer.objects.create(scheme=world.north, reference=f"R{i}", first_name="V",
                                 last_name=f"{i}", email=f"v{i}@row.test",
                                 stage="application")  # fmt: skip


# Issue 13: at most 15 queries, however many records (make bench: 15 on 50,000 children).
DASHBOARD_QUERIES = 15


def test_dashboard_query_count_does_not_grow(
    client: Any, world: World, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.coordinator)
    client.get(reverse("portal:home"))  # warm the session and memberships
    _add_rows(world, 10, 0)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        assert client.get(reverse("portal:home")).status_code == 200
    _add_rows(world, 190, 10)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        page = client.get(reverse("portal:home")).content.decode()
    assert "200 children waiting for a match" in page


# --- The report page ----------------------------------------------------------------------------


@pytest.fixture
def data(db: Any) -> dataset.Data:
    return dataset.build()


def test_report_page_for_a_manager(client: Any, data: dataset.Data,
                                   django_assert_max_num_queries: Any) -> None:  # fmt: skip
    client.force_login(data.manager)
    url = reverse("reports:index") + "?scheme=east&start=2025-01-01&end=2025-03-31"
    with django_assert_max_num_queries(REPORT_PAGE_QUERIES):
        page = client.get(url).content.decode()
    assert "5 referrals received" in page
    assert "5.0%</strong> of the local authority's 40 looked-after children" in page
    assert "fewer than 5" in page


# Issue 13: the report page runs at most 15 queries, however many records and schemes.
REPORT_PAGE_QUERIES = 15


def _add_report_rows(data: dataset.Data, n: int, offset: int) -> None:
    """n more of each kind of record the report counts, in both schemes, in the period."""
    from matches.models import Match
    from referrals.models import Child, Referral
    from safeguarding.models import Concern
    from visits.models import Visit
    from volunteers.models import Volunteer

    for i in range(offset, offset + n):
        scheme = (data.east, data.west)[i % 2]
        day = date(2025, 1 + i % 3, 1 + i % 28)
        child = Child.objects.create(scheme=scheme, first_name=f"R{i}", last_name="Row",
                                     date_of_birth=date(2013, 1, 1), gender="female",
                                     ethnicity=f"Group {i % 7}")  # fmt: skip
        Referral.objects.create(scheme=scheme, child=child, referred_by=data.coordinator,
                                status="waiting", received_at=dataset.at(day),
                                waiting_since=day)  # fmt: skip
        iv = User.objects.create_user(f"row{i}@iv.test", "x", full_name=f"Iv Row {i}")
        match = Match.objects.create(scheme=scheme, child=child, volunteer=iv,
                                     coordinator=data.coordinator, status="established",
                                     started_on=day - timedelta(days=40))  # fmt: skip
        Visit.objects.create(scheme=scheme, match=match, starts_at=dataset.at(day),
                             expected_end=dataset.at(day, 12), status="held")  # fmt: skip
        Concern.objects.create(scheme=scheme, child=child, raised_by=iv, what_happened="Row.",
                               occurred_at=dataset.at(day), category="neglect",
                               acknowledge_by=dataset.at(day) + timedelta(days=1))  # fmt: skip
        Volunteer.objects.create(scheme=scheme, reference=f"RV{i}", first_name="V",
                                 last_name=f"{i}", email=f"rv{i}@row.test",
                                 stage="application")  # fmt: skip


@pytest.mark.parametrize("rows", [10, 200])
def test_report_page_queries_do_not_grow(
    client: Any, data: dataset.Data, rows: int, django_assert_max_num_queries: Any
) -> None:
    """All the manager's schemes at once (the default), with many records of every kind."""
    _add_report_rows(data, rows, 0)
    client.force_login(data.both_manager)
    url = reverse("reports:index") + "?scheme=all&start=2025-01-01&end=2025-03-31"
    with django_assert_max_num_queries(REPORT_PAGE_QUERIES):
        page = client.get(url).content.decode()
    assert f"{rows + 6} referrals received" in page


def test_report_page_refuses_other_schemes_and_non_managers(
    client: Any, data: dataset.Data
) -> None:
    client.force_login(data.manager)
    assert (
        client.get(
            reverse("reports:index") + "?scheme=west&start=2025-01-01&end=2025-03-31"
        ).status_code
        == 200
    )  # an invalid choice: the form falls back to east
    page = client.get(reverse("reports:index") + "?scheme=west&start=2025-01-01&end=2025-03-31")
    assert "West IV Scheme" not in page.content.decode()
    client.force_login(data.coordinator)
    assert client.get(reverse("reports:index")).status_code == 404


def test_report_form_errors_are_explained(client: Any, data: dataset.Data) -> None:
    client.force_login(data.manager)
    page = client.get(reverse("reports:index") + "?scheme=east&start=2025-03-01&end=2025-01-01")
    assert "The end of the period must be after its start." in page.content.decode()


# --- Exports ----------------------------------------------------------------------------------


def _export(client: Any, fmt: str, capture: Any) -> ReportExport:
    with capture(execute=False) as callbacks:
        response = client.post(reverse("reports:export_create"), {
            "scheme": "east", "start": "2025-01-01", "end": "2025-03-31", "format": fmt,
        })  # fmt: skip
    assert response.status_code == 302
    assert len(callbacks) == 1  # the task is enqueued once the row is committed
    export = ReportExport.objects.get()
    assert response["Location"] == reverse("reports:export", args=[export.public_id])
    return export


def test_export_needs_a_fresh_password(client: Any, data: dataset.Data) -> None:
    client.force_login(data.manager)
    response = client.post(reverse("reports:export_create"), {
        "scheme": "east", "start": "2025-01-01", "end": "2025-03-31", "format": "csv",
    })  # fmt: skip
    assert response.status_code == 302 and reverse("accounts:sudo") in response["Location"]
    assert not ReportExport.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_export_job_and_download_for_the_requester_only(
    client: Any, data: dataset.Data, django_capture_on_commit_callbacks: Any, fmt: str,
    settings: Any, tmp_path: Any,
) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    client.force_login(data.manager)
    confirm_password(client)
    export = _export(client, fmt, django_capture_on_commit_callbacks)
    status = client.get(reverse("reports:export", args=[export.public_id]))
    assert 'hx-trigger="every 2s"' in status.content.decode()
    services.export_run(export_id=export.pk)
    assert services.export_run(export_id=export.pk) is None  # a redelivered task does nothing
    export.refresh_from_db()
    assert (export.status, export.progress, export.error) == (ExportStatus.DONE, 100, "")
    assert export.file.name.startswith("reports/")
    done = client.get(reverse("reports:export", args=[export.public_id]),
                      headers={"HX-Request": "true"}).content.decode()  # fmt: skip
    assert "every 2s" not in done and "Download" in done
    download = client.get(reverse("reports:export_download", args=[export.public_id]))
    assert download.status_code == 200
    body = b"".join(download.streaming_content)
    if fmt == "pdf":
        assert body.startswith(b"%PDF")
    else:
        text = body.decode("utf-8-sig")
        assert "OFFICIAL-SENSITIVE" in text and "Referrals,Received,5" in text
    actions = set(AccessLog.objects.filter(user=data.manager).values_list("action", flat=True))
    assert actions == {"export_request", "export_download"}
    # Anyone else, even a manager of the same scheme, gets 404.
    client.force_login(data.both_manager)
    confirm_password(client)
    assert client.get(reverse("reports:export", args=[export.public_id])).status_code == 404
    assert (
        client.get(reverse("reports:export_download", args=[export.public_id])).status_code == 404
    )


def test_a_failed_export_says_why(data: dataset.Data, monkeypatch: Any) -> None:
    export = ReportExport.objects.create(requested_by=data.manager, scheme=data.east,
                                         period_start=dataset.START, period_end=dataset.END,
                                         format="pdf")  # fmt: skip

    def broken(report: Any) -> bytes:
        raise RuntimeError("no fonts")

    monkeypatch.setattr(services, "render_report_pdf", broken)
    services.export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED and "no fonts" in export.error


# --- The looked-after review summary ------------------------------------------------------------


def test_lac_summary_is_agreed_by_child_and_iv(client: Any, data: dataset.Data) -> None:
    match = data.matches["m1"]
    client.force_login(data.coordinator)
    url = reverse("reports:lac_summaries", args=[match.public_id])
    response = client.post(url, {
        "review_on": "2025-04-10", "period_start": "2025-01-01", "period_end": "2025-03-31",
        "what_we_did": "Bowling and the cinema.", "child_wants_said": "I like my visits.",
    })  # fmt: skip
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "3 visits held" in page and "Do not share this summary" in page
    client.post(response["Location"], {"who": "child"})
    page = client.get(response["Location"]).content.decode()
    assert "Do not share this summary" in page
    client.post(response["Location"], {"who": "iv"})
    assert "can be shared" in client.get(response["Location"]).content.decode()
    client.force_login(data.both_manager)  # a manager of the scheme may see it
    assert client.get(response["Location"]).status_code == 200

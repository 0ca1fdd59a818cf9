"""Reports: only managers see scheme reports and export them; an export and its file are the
requester's alone (404 for everyone else, even another manager); the looked-after review
summary is for the staff of the match's scheme. The coordinator dashboard is on portal:home.

The export and the summary are made lazily inside each case (rolled back after it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from tests.matrix.base import NOT_FOUND, OK, REDIRECT, Expect, Row, everyone
from tests.personas import PASSWORD

EXPORT_FILE = "reports/permission-matrix.csv"


def _export(world: Any) -> Any:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from reports.models import ReportExport

    found = ReportExport.objects.filter(requested_by=world.manager).first()
    if found is not None:
        return found
    if not default_storage.exists(EXPORT_FILE):
        default_storage.save(EXPORT_FILE, ContentFile(b"Section,Figure,Value\n"))
    return ReportExport.objects.create(
        requested_by=world.manager, scheme=world.north, period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31), format="csv", status="done", progress=100,
        file=EXPORT_FILE,
    )  # fmt: skip


def _summary(world: Any) -> Any:
    from reports.models import LacSummary

    found = LacSummary.objects.filter(match=world.match).first()
    if found is not None:
        return found
    return LacSummary.objects.create(
        match=world.match, scheme=world.north, review_on=date(2026, 4, 1),
        period_start=date(2026, 1, 1), period_end=date(2026, 3, 31),
    )  # fmt: skip


def confirm_password(world: Any, client: Any) -> None:
    """Exports need a fresh password confirmation."""
    client.post(reverse("accounts:sudo"), {"password": PASSWORD})


MANAGER_ONLY: Expect = everyone(NOT_FOUND, manager=OK)
NORTH_STAFF: Expect = everyone(NOT_FOUND, coordinator=OK, manager=OK)
EXPORT_POST = {"scheme": "north", "start": "2026-01-01", "end": "2026-03-31", "format": "csv"}

ROWS = {
    "reports:index": Row(lambda w: reverse("reports:index"), MANAGER_ONLY),
    "reports:index#other_scheme": Row(
        # Another scheme's slug is not a choice: the manager sees their own scheme's report.
        lambda w: reverse("reports:index") + "?scheme=south&start=2026-01-01&end=2026-03-31",
        MANAGER_ONLY,
    ),
    "reports:export_create": Row(
        lambda w: reverse("reports:export_create"),
        everyone(NOT_FOUND, manager=REDIRECT),
        method="post",
        data=lambda w: EXPORT_POST,
        prepare=confirm_password,
    ),
    "reports:export_create#without_password": Row(
        lambda w: reverse("reports:export_create"),
        everyone(NOT_FOUND, manager=REDIRECT),
        method="post",
        data=lambda w: EXPORT_POST,
    ),
    "reports:export_create#get": Row(lambda w: reverse("reports:export_create"), everyone(405)),
    "reports:export": Row(
        lambda w: reverse("reports:export", args=[_export(w).public_id]), MANAGER_ONLY
    ),
    "reports:export_download": Row(
        lambda w: reverse("reports:export_download", args=[_export(w).public_id]), MANAGER_ONLY
    ),
    "reports:lac_summaries": Row(
        lambda w: reverse("reports:lac_summaries", args=[w.match.public_id]), NORTH_STAFF
    ),
    "reports:lac_summaries#south_match": Row(
        lambda w: reverse("reports:lac_summaries", args=[w.south_match.public_id]),
        everyone(NOT_FOUND, other_coordinator=OK),
    ),
    "reports:lac_summary": Row(
        lambda w: reverse("reports:lac_summary", args=[w.match.public_id, _summary(w).public_id]),
        NORTH_STAFF,
    ),
}

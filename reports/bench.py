"""The PDF figures of `make bench` (tools/bench.py): the 12-month scheme report and a
500-page caseload, each timed end to end and counted in pages from the file produced.

The scheme report goes through reports.services.export_run, as a manager's export does (the
export rows and files it makes are removed afterwards, so repeated runs leave the bench
database as it was). The caseload is not an export a person can ask for yet: it is read with
reports.selectors.caseload_export_rows and rendered with reports.services.render_caseload_pdf,
the same WeasyPrint path, sized to about 500 pages.
"""

from __future__ import annotations

import re
import time
import zlib
from typing import Any

from reports import selectors, services
from reports.forms import default_period
from reports.models import ExportFormat, ExportStatus, ReportExport

CASELOAD_PAGES = 500

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF: the page objects, whether plain or inside compressed object streams
    (WeasyPrint writes them compressed)."""
    count = len(_PAGE.findall(data))
    for raw in _STREAM.findall(data):
        try:
            count += len(_PAGE.findall(zlib.decompress(raw)))
        except zlib.error:
            continue
    return count


def _report_export(manager: Any, scheme: Any, start: Any, end: Any) -> dict[str, Any]:
    export = ReportExport.objects.create(
        requested_by=manager, created_by=manager, scheme=scheme, period_start=start,
        period_end=end, format=ExportFormat.PDF,
    )  # fmt: skip
    try:
        t0 = time.perf_counter()
        done = services.export_run(export_id=export.pk)
        seconds = time.perf_counter() - t0
        assert done is not None and done.status == ExportStatus.DONE, done and done.error
        with done.file.open("rb") as f:
            pages = pdf_page_count(f.read())
        done.file.delete(save=False)
    finally:
        ReportExport.objects.filter(pk=export.pk).delete()
    return {"seconds": round(seconds, 2), "pages": pages,
            "pages_per_second": round(pages / seconds, 1)}  # fmt: skip


def measure(scheme: Any, manager: Any) -> dict[str, Any]:
    from django.utils import timezone

    start, end = default_period(timezone.localdate())
    results: dict[str, Any] = {"period": f"{start} to {end}"}
    _report_export(manager, scheme, start, end)  # warm: fonts, templates, plans
    runs = [_report_export(manager, None, start, end) for _ in range(3)]
    results["report_all_schemes"] = min(runs, key=lambda r: r["seconds"])
    runs = [_report_export(manager, scheme, start, end) for _ in range(3)]
    results["report_one_scheme"] = min(runs, key=lambda r: r["seconds"])

    # The caseload: every child of the manager's schemes, as many as fill about 500 pages
    # (the lines a page holds are found from a 1,000-line sample first, not timed).
    ids = [s.pk for s in selectors.report_schemes(manager)]
    label = "All your schemes"
    sample = selectors.caseload_export_rows(ids, limit=1000)
    _, sample_pages = services.render_caseload_pdf(scheme_label=label, rows=sample)
    per_page = max(1, len(sample) // max(1, sample_pages - 1))
    wanted = CASELOAD_PAGES * per_page
    timings = []
    for _ in range(2):  # the better of two
        t0 = time.perf_counter()
        rows = selectors.caseload_export_rows(ids, limit=wanted)
        t1 = time.perf_counter()
        pdf, _ = services.render_caseload_pdf(scheme_label=label, rows=rows)
        t2 = time.perf_counter()
        timings.append((t2 - t0, t1 - t0, t2 - t1))
    total, query, render = min(timings)
    pages = pdf_page_count(pdf)
    results["caseload"] = {
        "children": len(rows),
        "pages": pages,
        "seconds": round(total, 2),
        "query_seconds": round(query, 2),
        "render_seconds": round(render, 2),
        "pages_per_second": round(pages / total, 1),
        "render_pages_per_second": round(pages / render, 1),
        "bytes": len(pdf),
    }
    return results

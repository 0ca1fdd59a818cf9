"""Every write of the reports app: asking for an export, producing it, and the looked-after
review summaries."""

from __future__ import annotations

import io
import logging
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Scheme, User
from core.queue import send_or_log
from core.spreadsheet import csv_writer
from matches.models import MatchStatus
from reports import selectors
from reports.models import ExportFormat, ExportStatus, LacSummary, ReportExport

log = logging.getLogger(__name__)


@transaction.atomic
def export_request(
    *, actor: User, scheme: Scheme | None, start: date, end: date, fmt: str
) -> ReportExport:
    """Record the request and hand it to a worker once the row is committed."""
    if fmt not in ExportFormat.values:
        raise ValidationError("Choose PDF or CSV.")
    if scheme is not None and scheme not in selectors.report_schemes(actor):
        raise ValidationError("You can only export reports of schemes you manage.")
    export = ReportExport(
        requested_by=actor,
        created_by=actor,
        scheme=scheme,
        period_start=start,
        period_end=end,
        format=fmt,
    )
    export.full_clean()
    export.save()
    export_id = export.pk
    transaction.on_commit(lambda: enqueue_export(export_id))
    return export


def enqueue_export(export_id: int) -> None:
    # Here, not at the top: reports.tasks imports this module to run the export.
    from reports.tasks import run_export

    # On failure the row stays "waiting to start"; the person can ask again.
    send_or_log(run_export, what=f"report export {export_id}", args=(export_id,))


def _set(export: ReportExport, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(export, name, value)
    export.save(update_fields=[*fields, "updated_at"])


def export_run(*, export_id: int) -> ReportExport | None:
    """Produce the file. Claimed with a conditional update, so a redelivered task does not
    produce it twice; the figures are computed as the requester sees them."""
    claimed = ReportExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now(), progress=5
    )
    if not claimed:
        return None
    export = ReportExport.objects.select_related("requested_by", "scheme").get(pk=export_id)
    try:
        report = selectors.scheme_report(
            user=export.requested_by,
            slug=export.scheme.slug if export.scheme else "",
            start=export.period_start,
            end=export.period_end,
        )
        _set(export, progress=50)
        stamp = timezone.localtime(report.produced_at).strftime("%Y%m%d-%H%M%S")
        scope = export.scheme.slug if export.scheme else "all-schemes"
        name = f"report-{scope}-{export.period_start:%Y%m%d}-{export.period_end:%Y%m%d}-{stamp}"
        if export.format == ExportFormat.PDF:
            content = render_report_pdf(report)
            name += ".pdf"
        else:
            content = render_report_csv(report)
            name += ".csv"
        _set(export, progress=90)
        export.file.save(name, ContentFile(content), save=False)
        _set(export, file=export.file.name, status=ExportStatus.DONE, progress=100,
             finished_at=timezone.now())  # fmt: skip
    except Exception as exc:
        log.exception("report export %s failed", export_id)
        _set(export, status=ExportStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
             finished_at=timezone.now())  # fmt: skip
    return export


def render_report_pdf(report: selectors.Report) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/report_pdf.html", {"report": report, **chart_context(report)})
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def render_report_csv(report: selectors.Report) -> bytes:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["Section", "Figure", "Value"])
    for row in selectors.report_csv_rows(report):
        writer.writerow(row)
    return out.getvalue().encode("utf-8-sig")


def chart_context(report: selectors.Report) -> dict[str, Any]:
    f = report.figures
    return {
        "contact_chart": selectors.chart(
            [(f"{c['month']:%b %Y}", c["percent"]) for c in f["contact"]]
        ),
        "cancel_chart": selectors.chart(f["visits"]["cancelled_by"]),
        "concern_chart": selectors.chart(f["safeguarding"]["by_category"]),
        "pipeline_chart": selectors.chart(f["volunteers"]["pipeline"]),
        "source_chart": selectors.chart(f["referrals"]["by_source"]),
    }


# --- The looked-after review summary ---------------------------------------------------------


@transaction.atomic
def lac_summary_create(
    *, actor: User, match: Any, review_on: date, period_start: date, period_end: date,
    what_we_did: str, child_wants_said: str,
) -> LacSummary:  # fmt: skip
    summary = LacSummary(
        match=match,
        scheme_id=match.scheme_id,
        created_by=actor,
        review_on=review_on,
        period_start=period_start,
        period_end=period_end,
        what_we_did=what_we_did,
        child_wants_said=child_wants_said,
    )
    summary.full_clean()
    summary.save()
    return summary


@transaction.atomic
def lac_summary_agree(*, actor: User, summary: LacSummary, who: str, on: date) -> LacSummary:
    """Record that the child or the IV agreed the summary (the coordinator records it)."""
    if who not in ("child", "iv"):
        raise ValidationError("Say who agreed: the child or the IV.")
    field = f"{who}_agreed_on"
    setattr(summary, field, on)
    summary.full_clean()
    summary.save(update_fields=[field, "updated_at"])
    return summary


# The caseload listing's columns: (title, width in characters).
CASELOAD_COLUMNS = [
    ("Case number", 18), ("Child", 21), ("Born", 5), ("IV", 22), ("Match", 12),
    ("Since", 10), ("Coordinator", 20), ("Last visit", 10),
]  # fmt: skip


# Lines per text block: WeasyPrint lays out one long block in quadratic time.
CASELOAD_CHUNK = 50


def _fixed(values: list[str]) -> str:
    return " ".join(
        (v if len(v) <= w else v[: w - 1] + "…").ljust(w)
        for v, (_, w) in zip(values, CASELOAD_COLUMNS, strict=True)
    ).rstrip()


def caseload_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The caseload rows (reports.selectors.caseload_export_rows) as fixed-width lines."""

    labels = dict(MatchStatus.choices)
    lines = []
    for r in rows:
        status = r["active__status"]
        last = r["last_visit_at"]
        lines.append(
            _fixed(
                [
                    r["case_number"],
                    f"{r['first_name']} {r['last_name']}",
                    f"{r['date_of_birth']:%Y}",
                    r["active__volunteer__full_name"] or "",
                    labels.get(status, status) if status else "Waiting",
                    f"{r['active__started_on']:%d/%m/%Y}" if r["active__started_on"] else "",
                    r["active__coordinator__full_name"] or "",
                    f"{timezone.localtime(last):%d/%m/%Y}" if last else "",
                ]
            )
        )
    return lines


def render_caseload_pdf(*, scheme_label: str, rows: list[dict[str, Any]]) -> tuple[bytes, int]:
    """The caseload as a PDF listing, through the same WeasyPrint path as the scheme report;
    returns the file and its number of pages. Used by `make bench` (the 500-page caseload)."""
    from weasyprint import HTML

    lines = caseload_lines(rows)
    html = render_to_string(
        "reports/caseload_pdf.html",
        {
            "scheme_label": scheme_label,
            "count": len(rows),
            "header": _fixed([title for title, _ in CASELOAD_COLUMNS]),
            "chunks": [
                "\n".join(lines[i : i + CASELOAD_CHUNK])
                for i in range(0, len(lines), CASELOAD_CHUNK)
            ],
            "produced_at": timezone.now(),
        },
    )
    document = HTML(string=html).render()
    return document.write_pdf(), len(document.pages)  # type: ignore[no-any-return]

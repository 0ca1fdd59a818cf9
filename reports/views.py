from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from accounts.sudo import sudo_active
from core.audit import log_access
from core.once import submit_once
from reports import selectors, services
from reports.forms import ExportForm, LacSummaryForm, ReportForm, default_period
from reports.models import ExportStatus, ReportExport


def _log_export(
    request: AuthedRequest, export: ReportExport, schemes: list[Any], action: str
) -> None:
    # The access log is per scheme: an all-schemes export is written to each scheme's log.
    own = export.scheme_id
    for scheme in schemes:
        export.scheme_id = scheme.pk
        log_access(request, export, action=action)
    export.scheme_id = own


def _confirm_url(next_url: str) -> str:
    return f"{reverse('accounts:sudo')}?{urlencode({'next': next_url})}"


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    schemes = selectors.report_schemes(request.user)
    if not schemes:
        raise Http404("No reports")
    start, end = default_period(timezone.localdate())
    initial: dict[str, Any] = {
        "scheme": schemes[0].slug if len(schemes) == 1 else "all",
        "start": start,
        "end": end,
    }
    form = ReportForm(request.GET or None, schemes=schemes, initial=initial)
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else initial
    report = selectors.scheme_report(
        user=request.user, slug=data["scheme"], start=data["start"], end=data["end"]
    )
    export_form = ExportForm(schemes=schemes, initial={**data, "format": "pdf"})
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            "report": report,
            "export_form": export_form,
            "export_formats": [("pdf", "PDF"), ("csv", "CSV")],
            "exports": selectors.exports_of(request.user),
            "period": data,
            "can_export": sudo_active(request),
            "confirm_url": _confirm_url(request.get_full_path()),
            **services.chart_context(report),
        },
    )


@login_required
@require_POST
def export_create(request: AuthedRequest) -> HttpResponse:
    schemes = selectors.report_schemes(request.user)
    if not schemes:
        raise Http404("No reports")
    if not sudo_active(request):
        # Exports need the password again; the person comes back to the report page (not
        # to this address, which only takes a POST).
        return redirect(
            f"{reverse('accounts:sudo')}?{urlencode({'next': reverse('reports:index')})}"
        )
    form = ExportForm(request.POST, schemes=schemes)
    if not form.is_valid():
        messages.error(request, "The export could not start: check the scheme and the period.")
        return redirect("reports:index")
    covered, scheme = selectors.report_scope(user=request.user, slug=form.cleaned_data["scheme"])

    def create() -> str:
        export = services.export_request(
            actor=request.user,
            scheme=scheme,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            fmt=form.cleaned_data["format"],
        )
        _log_export(request, export, covered, "export_request")
        return reverse("reports:export", args=[export.public_id])

    try:
        # A double tap starts one export (and one background job), and both see it.
        return redirect(submit_once(request, create).url)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:index")


@login_required
def export_detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    export = selectors.export_get_for_user(user=request.user, public_id=public_id)
    context = {
        "export": export,
        "finished": export.status in (ExportStatus.DONE, ExportStatus.FAILED),
    }
    if request.headers.get("HX-Request"):
        return render(request, "reports/_export_status.html", context)
    return render(request, "reports/export.html", context)


@login_required
def export_download(request: AuthedRequest, public_id: str) -> FileResponse:
    export = selectors.export_get_for_user(user=request.user, public_id=public_id)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404("Not ready")
    covered = [export.scheme] if export.scheme else selectors.report_schemes(request.user)
    _log_export(request, export, covered, "export_download")
    content_type = "application/pdf" if export.format == "pdf" else "text/csv"
    name = export.file.name.rsplit("/", 1)[-1]
    return FileResponse(export.file.open("rb"), content_type=content_type, filename=name,
                        as_attachment=True)  # fmt: skip


# --- The looked-after review summary ---------------------------------------------------------


@login_required
def lac_summaries(request: AuthedRequest, public_id: str) -> HttpResponse:
    match = selectors.lac_match_get(user=request.user, public_id=public_id)
    form = LacSummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def create() -> str:
            summary = services.lac_summary_create(
                actor=request.user, match=match, **form.cleaned_data
            )
            return reverse("reports:lac_summary", args=[match.public_id, summary.public_id])

        try:
            return redirect(submit_once(request, create).url)
        except ValidationError as exc:
            form.add_error(None, exc)
    log_access(request, match.child)
    return render(
        request,
        "reports/lac_summaries.html",
        {"match": match, "form": form, "summaries": list(selectors.lac_summaries(match))},
    )


@login_required
def lac_summary(request: AuthedRequest, public_id: str, summary_id: str) -> HttpResponse:
    match = selectors.lac_match_get(user=request.user, public_id=public_id)
    summary = selectors.lac_summary_get(match=match, public_id=summary_id)
    if request.method == "POST":
        try:
            services.lac_summary_agree(
                actor=request.user, summary=summary, who=request.POST.get("who", ""),
                on=timezone.localdate(),
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("reports:lac_summary", match.public_id, summary.public_id)
    log_access(request, match.child)
    return render(
        request,
        "reports/lac_summary.html",
        {
            "match": match,
            "summary": summary,
            "visits": selectors.lac_visits(match, summary.period_start, summary.period_end),
        },
    )

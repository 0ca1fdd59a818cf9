"""Subject access requests: the request, its bundle, redactions, extension and release."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthedRequest
from accounts.sudo import sudo_active, sudo_redirect
from core.audit import log_access
from core.forms import submit_form
from dataprotection import selectors
from dataprotection.forms.requests import AssignForm, ExtendForm, RedactForm, RequestCreateForm
from dataprotection.models import BundleStatus, RequestStatus, SubjectAccessRequest
from dataprotection.selectors import requests as rs
from dataprotection.services import requests as services


@login_required
@require_GET
def request_list(request: AuthedRequest) -> HttpResponse:
    selectors.require_dp(request.user)
    page = Paginator(rs.requests_for_user(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "dataprotection/requests/list.html",
        {"page": page, "today": timezone.localdate()},
    )


def _create(request: AuthedRequest, *, child: Any = None, volunteer: Any = None) -> HttpResponse:
    subject = child or volunteer
    coordinators = rs.coordinators_of(subject.scheme_id)
    form = RequestCreateForm(request.POST or None, coordinators=coordinators)

    def create(data: dict[str, Any]) -> str:
        sar = services.request_create(
            actor=request.user,
            child=child,
            volunteer=volunteer,
            requester_name=data["requester_name"],
            requester_relationship=data["requester_relationship"],
            received_on=data["received_on"],
            assigned_to=data["assigned_to"],
        )
        messages.success(request, f"Request recorded: it is due on {sar.due_on:%-d %B %Y}.")
        return reverse("dataprotection:request", args=[sar.public_id])

    if done := submit_form(request, form, create):
        return done
    return render(
        request,
        "dataprotection/requests/create.html",
        {
            "form": form,
            "subject": subject,
            "kind": "child" if child else "volunteer",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create_child(request: AuthedRequest, public_id: str) -> HttpResponse:
    child = selectors.dp_child_get(user=request.user, public_id=public_id)
    return _create(request, child=child)


@login_required
@require_http_methods(["GET", "POST"])
def request_create_volunteer(request: AuthedRequest, public_id: str) -> HttpResponse:
    volunteer = selectors.dp_volunteer_get(user=request.user, public_id=public_id)
    return _create(request, volunteer=volunteer)


def _detail(
    request: AuthedRequest,
    sar: SubjectAccessRequest,
    *,
    extend_form: ExtendForm | None = None,
    assign_form: AssignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    manage = rs.can_manage(request.user, sar)
    coordinators = rs.coordinators_of(sar.scheme_id) if manage else []
    if manage and assign_form is None:
        assign_form = AssignForm(
            initial={"assigned_to": sar.assigned_to_id}, coordinators=coordinators
        )
    # The page shows what the records hold, so looking at it is in the access log.
    log_access(request, sar, action="view_bundle_contents")
    items = rs.items_with_marks(sar)
    return render(
        request,
        "dataprotection/requests/detail.html",
        {
            "sar": sar,
            "manage": manage,
            "is_open": sar.status == RequestStatus.OPEN,
            "today": timezone.localdate(),
            "extend_form": extend_form or ExtendForm(),
            "assign_form": assign_form,
            "items": items,
            "withheld_count": sum(1 for _, reason in items if reason),
            "current": services.bundle_is_current(sar),
            "finished": sar.bundle_status
            in (BundleStatus.DONE, BundleStatus.FAILED, BundleStatus.NOT_STARTED),
            "latest_due_on": services.latest_due_on(sar.received_on),
            "can_download": sudo_active(request),
        },
        status=status,
    )


@login_required
@require_GET
def request_detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    sar = rs.request_get_for_user(user=request.user, public_id=public_id)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "dataprotection/requests/_bundle_status.html",
            {
                "sar": sar,
                "manage": rs.can_manage(request.user, sar),
                "current": services.bundle_is_current(sar),
                "finished": sar.bundle_status
                in (BundleStatus.DONE, BundleStatus.FAILED, BundleStatus.NOT_STARTED),
                "can_download": sudo_active(request),
            },
        )
    return _detail(request, sar)


@login_required
@require_POST
def request_extend(request: AuthedRequest, public_id: str) -> HttpResponse:
    sar = rs.request_manage_get(user=request.user, public_id=public_id)
    form = ExtendForm(request.POST)

    def extend(data: dict[str, Any]) -> str:
        services.request_extend(
            actor=request.user, sar=sar, new_due_on=data["new_due_on"], reason=data["reason"]
        )
        messages.success(request, f"Extended: now due on {sar.deadline:%-d %B %Y}.")
        return reverse("dataprotection:request", args=[sar.public_id])

    if done := submit_form(request, form, extend, once=False):
        return done
    return _detail(request, sar, extend_form=form, status=400)


@login_required
@require_POST
def request_assign(request: AuthedRequest, public_id: str) -> HttpResponse:
    sar = rs.request_manage_get(user=request.user, public_id=public_id)
    form = AssignForm(request.POST, coordinators=rs.coordinators_of(sar.scheme_id))

    def assign(data: dict[str, Any]) -> str:
        services.request_assign(actor=request.user, sar=sar, coordinator=data["assigned_to"])
        who = sar.assigned_to or "nobody"
        messages.success(request, f"The coordinator preparing it is now {who}.")
        return reverse("dataprotection:request", args=[sar.public_id])

    if done := submit_form(request, form, assign, once=False):
        return done
    return _detail(request, sar, assign_form=form, status=400)


@login_required
@require_POST
def request_redact(request: AuthedRequest, public_id: str) -> HttpResponse:
    sar = rs.request_get_for_user(user=request.user, public_id=public_id)
    form = RedactForm(request.POST)
    anchor = ""
    if not form.is_valid():
        messages.error(request, "Choose an item of this request.")
    else:
        key = form.cleaned_data["item_key"]
        anchor = "#item-" + slugify(key.replace(".", ""))
        try:
            if form.cleaned_data["action"] == "withhold":
                services.redaction_mark(
                    actor=request.user, sar=sar, item_key=key, reason=form.cleaned_data["reason"]
                )
                messages.success(request, "The item will be withheld from the bundle.")
            else:
                services.redaction_unmark(actor=request.user, sar=sar, item_key=key)
                messages.success(request, "The item will be included in the bundle again.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(reverse("dataprotection:request", args=[sar.public_id]) + anchor)


@login_required
@require_POST
def request_bundle(request: AuthedRequest, public_id: str) -> HttpResponse:
    sar = rs.request_manage_get(user=request.user, public_id=public_id)
    try:
        queued = services.bundle_produce(actor=request.user, sar=sar)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if queued:
            messages.success(
                request, "The bundle is being produced: this page shows when it is ready."
            )
        else:
            messages.info(request, "The bundle is already being produced.")
    return redirect(reverse("dataprotection:request", args=[sar.public_id]) + "#bundle")


@login_required
@require_GET
def request_download(request: AuthedRequest, public_id: str, kind: str) -> HttpResponseBase:
    sar = rs.request_manage_get(user=request.user, public_id=public_id)
    if kind not in ("pdf", "csv"):
        raise Http404
    if not sudo_active(request):
        return sudo_redirect(request)
    file = sar.bundle_pdf if kind == "pdf" else sar.bundle_csv
    if sar.bundle_status != BundleStatus.DONE or not file:
        raise Http404("Not ready")
    log_access(request, sar, action=f"bundle_download_{kind}")
    return FileResponse(
        file.open("rb"),
        content_type="application/pdf" if kind == "pdf" else "text/csv",
        filename=f"subject-access-{sar.public_id}.{kind}",
        as_attachment=True,
    )


@login_required
@require_POST
def request_release(request: AuthedRequest, public_id: str) -> HttpResponse:
    sar = rs.request_manage_get(user=request.user, public_id=public_id)
    try:
        services.request_release(actor=request.user, sar=sar)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Recorded as released to the requester.")
    return redirect("dataprotection:request", sar.public_id)


@login_required
@require_POST
def request_withdraw(request: AuthedRequest, public_id: str) -> HttpResponse:
    sar = rs.request_manage_get(user=request.user, public_id=public_id)
    try:
        services.request_withdraw(actor=request.user, sar=sar)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Recorded as withdrawn.")
    return redirect("dataprotection:request", sar.public_id)

"""Retention schedules, records due for destruction, the destruction log and legal holds.

Only the scheme's managers and the organisation's data protection officer reach these pages
(404 for everyone else, exactly like a missing page). Approving a destruction needs the
password again (accounts.sudo)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthedRequest
from accounts.sudo import sudo_active
from core.forms import form_page, submit_form
from dataprotection import selectors
from dataprotection.forms.retention import HoldForm, LiftHoldForm, RetentionRuleForm
from dataprotection.models import RecordType
from dataprotection.services import destruction, holds, retention

PAGE_SIZE = 50


@login_required
@require_GET
def schedule(request: AuthedRequest) -> HttpResponse:
    selectors.require_dp(request.user)
    return render(
        request,
        "dataprotection/retention.html",
        {"schedules": selectors.retention_schedules(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request: AuthedRequest, slug: str, record_type: str) -> HttpResponse:
    scheme = selectors.dp_scheme_get(user=request.user, slug=slug)
    if record_type not in RecordType.values:
        raise Http404
    period = retention.rule_for(scheme, record_type)
    default = retention.DEFAULTS[record_type]
    form = RetentionRuleForm(
        request.POST or None, initial={"years": period.years, "months": period.months}
    )

    def save(data: dict[str, Any]) -> str | HttpResponse | None:
        new = retention.rule_set(
            actor=request.user,
            scheme=scheme,
            record_type=record_type,
            years=form.cleaned_data["years"],
            months=form.cleaned_data["months"],
        )
        messages.success(
            request,
            f"{RecordType(record_type).label} in {scheme.name}: now kept for {new}.",
        )
        return redirect("dataprotection:retention")

    return form_page(
        request,
        form,
        save,
        "dataprotection/retention_edit.html",
        {
            "scheme": scheme,
            "record_type_label": RecordType(record_type).label,
            "default": default,
            "default_period": retention.Period(default.years, default.months, False),
            "period": period,
        },
        once=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def due(request: AuthedRequest) -> HttpResponse:
    selectors.require_dp(request.user)
    if request.method == "POST":
        return _approve(request)
    page = Paginator(selectors.due_for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dataprotection/due.html",
        {
            "summary": selectors.due_summary(request.user),
            "page_obj": page,
            # With what approving does to each: destroyed, or anonymised (retention.DEFAULTS).
            "due_records": [(d, retention.action_for(d.record_type)) for d in page.object_list],
            "sudo": sudo_active(request),
            "sudo_url": reverse("accounts:sudo") + "?" + urlencode({"next": request.path}),
        },
    )


def _approve(request: AuthedRequest) -> HttpResponse:
    if not sudo_active(request):
        due_url = reverse("dataprotection:due")
        return redirect(f"{reverse('accounts:sudo')}?{urlencode({'next': due_url})}")
    scheme = selectors.dp_scheme_get(user=request.user, slug=request.POST.get("scheme", ""))
    record_type = request.POST.get("record_type", "")
    chosen = request.POST.getlist("due") or None
    try:
        count = destruction.approve_destruction(
            actor=request.user, scheme=scheme, record_type=record_type, due_ids=chosen
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("dataprotection:due")
    if count:
        done = "anonymised" if retention.action_for(record_type) == "anonymised" else "destroyed"
        messages.success(
            request,
            f"{count} record{'s' if count != 1 else ''} {done}. The destruction log keeps "
            "how many, when and who approved it.",
        )
    else:
        messages.info(
            request,
            "Nothing was destroyed: the records are no longer due (a legal hold, or they "
            "were dealt with already).",
        )
    return redirect("dataprotection:due")


@login_required
@require_GET
def destructions(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.destructions_for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "dataprotection/destructions.html",
        {"page_obj": page, "destructions": page.object_list},
    )


@login_required
@require_GET
def hold_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.holds_for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "dataprotection/holds.html", {"page_obj": page, "holds": page.object_list}
    )


def _hold_form(
    request: AuthedRequest, *, child: object = None, volunteer: object = None
) -> HttpResponse:
    subject = child or volunteer
    form = HoldForm(request.POST or None)

    def create(data: dict[str, Any]) -> str:
        holds.place_hold(
            actor=request.user,
            child=child,
            volunteer=volunteer,
            reason_kind=form.cleaned_data["reason_kind"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, "Legal hold placed: nothing in this record will be destroyed.")
        if child is not None:
            return reverse("children:detail", args=[child.public_id])  # type: ignore[attr-defined]
        return reverse("volunteers:detail", args=[volunteer.public_id])  # type: ignore[attr-defined]

    if done := submit_form(request, form, create):
        return done
    back = (
        reverse("children:detail", args=[child.public_id])  # type: ignore[attr-defined]
        if child is not None
        else reverse("volunteers:detail", args=[volunteer.public_id])  # type: ignore[attr-defined]
    )
    return render(
        request,
        "dataprotection/hold_form.html",
        {"form": form, "subject": subject, "is_child": child is not None, "back": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def hold_child(request: AuthedRequest, public_id: str) -> HttpResponse:
    child = selectors.dp_child_get(user=request.user, public_id=public_id)
    return _hold_form(request, child=child)


@login_required
@require_http_methods(["GET", "POST"])
def hold_volunteer(request: AuthedRequest, public_id: str) -> HttpResponse:
    volunteer = selectors.dp_volunteer_get(user=request.user, public_id=public_id)
    return _hold_form(request, volunteer=volunteer)


@login_required
@require_http_methods(["GET", "POST"])
def hold_lift(request: AuthedRequest, public_id: str) -> HttpResponse:
    hold = selectors.hold_get(user=request.user, public_id=public_id)
    form = LiftHoldForm(request.POST or None)

    def lift(data: dict[str, Any]) -> str:
        holds.lift_hold(actor=request.user, hold=hold, lift_reason=data["lift_reason"])
        messages.success(
            request, "The legal hold is lifted. The records follow their retention schedule again."
        )
        return reverse("dataprotection:holds")

    if hold.lifted_at is None and (done := submit_form(request, form, lift, once=False)):
        return done
    return render(request, "dataprotection/hold_lift.html", {"hold": hold, "form": form})

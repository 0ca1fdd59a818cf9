"""The data protection overview, records of processing, erasure of an applicant and
corrections to a child's record."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.http import AuthedRequest
from accounts.sudo import sudo_active, sudo_redirect
from core.forms import form_page, submit_form
from dataprotection import processing, selectors
from dataprotection.forms.records import ChildCorrectionForm, ErasureForm
from dataprotection.services import rights
from referrals.selectors import child_history


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    selectors.require_dp(request.user)
    return render(
        request,
        "dataprotection/index.html",
        {"overview": selectors.overview(request.user)},
    )


@login_required
@require_GET
def find(request: AuthedRequest) -> HttpResponse:
    selectors.require_dp(request.user)
    query = request.GET.get("q", "").strip()[:100]
    found = selectors.find_people(user=request.user, query=query) if query else None
    return render(request, "dataprotection/find.html", {"query": query, "found": found})


@login_required
@require_GET
def records_of_processing(request: AuthedRequest) -> HttpResponse:
    selectors.require_dp(request.user)
    schemes = selectors.dp_schemes(request.user)
    return render(
        request,
        "dataprotection/processing.html",
        {"rows": processing.records_of_processing(schemes), "schemes": schemes},
    )


@login_required
@require_http_methods(["GET", "POST"])
def erase_volunteer(request: AuthedRequest, public_id: str) -> HttpResponse:
    volunteer = selectors.dp_volunteer_get(user=request.user, public_id=public_id)
    blockers = rights.erasure_blockers(volunteer)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not blockers and not sudo_active(request):
        return sudo_redirect(request)

    def erase(data: dict[str, Any]) -> str:
        rights.erase_applicant(actor=request.user, volunteer=volunteer)
        messages.success(
            request,
            "The application was erased. Only an anonymous record that one application was "
            "erased is kept.",
        )
        return reverse("dataprotection:destructions")

    if not blockers and (done := submit_form(request, form, erase, once=False)):
        return done
    return render(
        request,
        "dataprotection/erase_volunteer.html",
        {
            "volunteer": volunteer,
            "blockers": blockers,
            "form": form,
            "confirmed": sudo_active(request),
            "can_open_record": selectors.opens_case_records(request.user, volunteer.scheme_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct_child(request: AuthedRequest, public_id: str) -> HttpResponse:
    child = selectors.dp_child_get(user=request.user, public_id=public_id)
    form = ChildCorrectionForm(
        request.POST if request.method == "POST" else None, instance=selectors.fresh_child(child)
    )

    def save(data: dict[str, Any]) -> str | HttpResponse | None:
        rights.child_correct(
            actor=request.user,
            child=child,
            changes=form.changes(),
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, "The record was corrected. The history keeps the old value.")
        return redirect("dataprotection:correct_child", public_id=child.public_id)

    return form_page(
        request,
        form,
        save,
        "dataprotection/correct_child.html",
        {
            "child": child,
            "changes": child_history(child, limit=100),
            "can_open_record": selectors.opens_case_records(request.user, child.scheme_id),
        },
        once=False,
    )

"""The data protection overview, records of processing, erasure of an applicant and
corrections to a child's record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern
from django.views.decorators.http import require_GET

from core.http import AuthedRequest
from dataprotection import selectors


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    selectors.require_dp(request.user)
    return render(
        request,
        "dataprotection/index.html",
        {"overview": selectors.overview(request.user)},
    )


urlpatterns: list[URLPattern] = []

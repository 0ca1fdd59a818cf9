from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from core import access
from core.http import AuthedRequest
from matches import selectors


@login_required
def match_detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    match = selectors.match_get_for_user(user=request.user, public_id=public_id)
    return render(
        request,
        "matches/match_detail.html",
        {
            "match": match,
            "is_staff": access.is_staff_in(request.user, match.scheme_id),
            "is_volunteer": match.volunteer_id == request.user.pk,
        },
    )

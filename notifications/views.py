from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from core import access
from core.http import AuthedRequest
from notifications import selectors, services
from notifications.forms import PreferenceForm


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    form = PreferenceForm(
        request.POST or None, initial={"delivery": selectors.preference_for(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        services.preference_set(actor=request.user, delivery=form.cleaned_data["delivery"])
        messages.success(request, "Saved. Urgent things are always emailed at once.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
def jobs(request: AuthedRequest) -> HttpResponse:
    if not access.scheme_ids_with_role(request.user, [Role.MANAGER]):
        raise Http404("Not found")
    return render(request, "notifications/jobs.html", {"runs": selectors.latest_job_runs()})


@login_required
def lapsed(request: AuthedRequest) -> HttpResponse:
    """The weekly lapsed-contact report, always current: matches in the user's schemes with
    no contact for six weeks, with the days since the last and the next planned visit."""
    from django.utils import timezone

    from notifications.jobs import lapsed_matches

    schemes = access.scheme_ids_with_role(request.user, access.STAFF_ROLES)
    if not schemes:
        raise Http404("Not found")
    rows = lapsed_matches(timezone.localdate(), scheme_ids=schemes)
    return render(request, "notifications/lapsed.html", {"rows": rows})

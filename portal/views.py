"""The home page each role lands on, and /healthz."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts import access
from accounts.http import AuthedRequest
from accounts.models import Role
from accounts.selectors.people import staff_schemes
from core import selectors
from portal import health
from referrals.selectors import children_visible_to
from reports.selectors import dashboard_context
from safeguarding.selectors import unacknowledged_for
from visits.selectors import iv_home


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    roles = access.roles_of(user)
    context = {
        "memberships": access.memberships(user),
        "staff_schemes": staff_schemes(user),
        # Unacknowledged safeguarding concerns come before anything else on a staff home page.
        "concerns_waiting": unacknowledged_for(user) if staff_schemes(user) else [],
        # The IV home screen (visits): child, next visit, check in/out, reports, visit card.
        "iv_home": iv_home(user) if Role.INDEPENDENT_VISITOR in roles else None,
        "my_children": (
            list(children_visible_to(user).filter(social_worker=user)[:50])
            if Role.SOCIAL_WORKER in roles
            else None
        ),
    }
    # The coordinator dashboard (reports app) for coordinators and managers.
    context.update(dashboard_context(user))
    return render(request, "portal/home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = health.check_database()
    broker = health.check_broker()
    body: dict[str, object] = {"database": database, "broker": broker}
    if database == "ok":
        beat = selectors.heartbeat_latest()
        # Informational: a worker that has not beaten recently is worth a look, but the
        # orchestrator should not restart the web container for it.
        body["worker_last_seen"] = beat.created_at.isoformat() if beat else None
    healthy = database == "ok" and broker == "ok"
    body["status"] = "ok" if healthy else "error"
    return JsonResponse(body, status=200 if healthy else 503)

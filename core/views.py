from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import access, health, selectors
from core.http import AuthedRequest


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    from accounts.models import Role
    from accounts.people_selectors import staff_schemes
    from referrals.selectors import children_visible_to
    from safeguarding.selectors import unacknowledged_for
    from visits.selectors import iv_home

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
    from reports.selectors import dashboard_context

    context.update(dashboard_context(user))
    return render(request, "core/home.html", context)


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


@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    from django.core.paginator import Paginator

    page = Paginator(selectors.notifications_for(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "core/notifications.html",
        {"page_obj": page, "notifications": page.object_list},
    )


@login_required
@require_POST
def notification_open(request: AuthedRequest, public_id: str) -> HttpResponse:
    from django.shortcuts import redirect
    from django.utils.http import url_has_allowed_host_and_scheme

    from core import services

    notification = selectors.notification_get_for_user(user=request.user, public_id=public_id)
    services.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        target = "core:notifications"
    return redirect(target)

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import health, selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


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

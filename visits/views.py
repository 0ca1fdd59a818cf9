"""Visit pages: thin. Parse, ask a selector, call a service, render."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import access
from accounts.http import AuthedRequest
from accounts.models import Role
from core.audit import log_access
from core.forms import form_page, submit_form
from core.once import submit_once
from visits import ical, selectors, services
from visits.forms import (
    CancelVisitForm,
    NoteForm,
    PlanVisitForm,
    PlatformForm,
    ReplyForm,
    ReportForm,
)
from visits.models import KINDS_WITH_PLATFORM, VisitStatus

# --- Lists ----------------------------------------------------------------------------------


@login_required
def visit_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    roles = access.roles_of(user)
    if roles & {Role.COORDINATOR, Role.MANAGER, Role.INDEPENDENT_VISITOR}:
        visits = selectors.visits_visible_to(user)
        dates_only = False
    elif Role.SOCIAL_WORKER in roles:
        visits = selectors.visit_dates_for_social_worker(user)
        dates_only = True
    else:
        raise Http404("No visits here")
    page = Paginator(visits, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "visits/visit_list.html",
        {
            "page_obj": page,
            "visits": page.object_list,
            "dates_only": dates_only,
            "is_iv_only": roles == {Role.INDEPENDENT_VISITOR},
        },
    )


@login_required
def lapsed(request: AuthedRequest) -> HttpResponse:
    """The weekly lapsed-contact report, always current: matches in the user's schemes with
    no contact for six weeks, with the days since the last and the next planned visit."""
    schemes = access.scheme_ids_with_role(request.user, access.STAFF_ROLES)
    if not schemes:
        raise Http404("Not found")
    rows = selectors.lapsed_matches(timezone.localdate(), scheme_ids=schemes)
    return render(request, "visits/lapsed.html", {"rows": rows})


@login_required
def report_queue(request: AuthedRequest) -> HttpResponse:
    if not access.scheme_ids_with_role(request.user, access.STAFF_ROLES):
        raise Http404("No reports here")
    page = Paginator(selectors.report_queue(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request, "visits/report_queue.html", {"page_obj": page, "reports": page.object_list}
    )


# --- Plan, check in and out, cancel ----------------------------------------------------------


@login_required
def visit_plan(request: AuthedRequest) -> HttpResponse:
    match = selectors.iv_match(request.user)
    if match is None:
        raise Http404("You have no match to plan visits for")
    child = selectors.iv_child_for_planning(request.user, match)
    platforms = selectors.platforms_for_scheme(match.scheme_id)
    form = PlanVisitForm(request.POST or None, platforms=platforms)

    def create(data: dict[str, Any]) -> str:
        visit = services.visit_plan(
            actor=request.user,
            match=match,
            starts_at=data["starts_at"],
            expected_end=data["expected_end"],
            kind=data["kind"],
            place=data["place"],
            activity=data["activity"],
            platform=data["platform"],
            named_person_name=data["named_person_name"],
            named_person_phone=data["named_person_phone"],
        )
        messages.success(request, "Your visit is planned.")
        return reverse("visits:detail", args=[visit.public_id])

    if done := submit_form(request, form, create):
        return done
    platform_ages = [(p, p.minimum_age <= child.age) for p in platforms]
    return render(
        request,
        "visits/plan.html",
        {
            "form": form,
            "child": child,
            "platform_ages": platform_ages,
            "remote_kinds": KINDS_WITH_PLATFORM,
        },
    )


@login_required
def visit_detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, public_id=public_id)
    report = selectors.report_for_visit(visit) if visit.status == VisitStatus.HELD else None
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "child": visit.match.child,
            "report": report,
            "actions": services.visit_actions(request.user, visit),
            "sections": selectors.visit_sections(request.user, visit),
        },
    )


def _visit_action(request: AuthedRequest, public_id: str, action: Any, done: str) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, public_id=public_id)
    try:
        action(actor=request.user, visit=visit)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    target = request.POST.get("next", "")
    if target == "home":
        return redirect("portal:home")
    return redirect("visits:detail", visit.public_id)


@login_required
@require_POST
def visit_check_in(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _visit_action(
        request,
        public_id,
        services.visit_check_in,
        "You are checked in. Remember to check out when the visit ends.",
    )


@login_required
@require_POST
def visit_check_out(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _visit_action(
        request,
        public_id,
        services.visit_check_out,
        "You are checked out. Tell your named person you are back. Now write your report.",
    )


@login_required
@require_POST
def visit_record_held(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _visit_action(
        request, public_id, services.visit_record_held, "Recorded. Now write your report."
    )


@login_required
def visit_cancel(request: AuthedRequest, public_id: str) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, public_id=public_id)
    form = CancelVisitForm(request.POST or None)

    def save(data: dict[str, Any]) -> str | HttpResponse | None:
        services.visit_cancel(
            actor=request.user,
            visit=visit,
            cancelled_by=form.cleaned_data["cancelled_by"],
            reason=form.cleaned_data["reason"],
            carer_sanction=form.cleaned_data["carer_sanction"],
        )
        messages.success(request, "The visit is cancelled.")
        return redirect("visits:detail", visit.public_id)

    if done := submit_form(request, form, save, once=False):
        return done
    return render(request, "visits/cancel.html", {"form": form, "visit": visit})


# --- Reports ------------------------------------------------------------------------------


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
def report_write(request: AuthedRequest, public_id: str) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, public_id=public_id, purpose="report")
    existing = selectors.report_for_visit(visit)
    if existing is not None and request.method != "POST":
        return redirect("visits:report_detail", existing.public_id)
    # The id that makes a retried submission harmless; the phone keeps it with the draft.
    form = ReportForm(request.POST or None, initial={"client_id": uuid.uuid4()})

    def send(data: dict[str, Any]) -> str | HttpResponse:
        report, created = services.report_submit(actor=request.user, visit=visit, **data)
        url = reverse("visits:report_detail", args=[report.public_id])
        if _wants_json(request):
            return JsonResponse({"status": "sent", "created": created, "url": url})
        messages.success(request, "Your report is sent. Thank you.")
        return url

    # Not `once`: the report's own client id makes a resend harmless (report_submit), and the
    # phone's retries are answered in JSON.
    if done := submit_form(request, form, send, once=False):
        return done
    if request.method == "POST" and _wants_json(request):
        return JsonResponse(
            {"status": "invalid", "errors": form.errors.get_json_data()}, status=400
        )
    return render(
        request,
        "visits/report_form.html",
        {"form": form, "visit": visit, "child_first_name": visit.match.child.first_name},
    )


@login_required
def report_detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, public_id=public_id)
    log_access(request, report)
    return render(
        request,
        "visits/report_detail.html",
        {
            "report": report,
            "visit": report.visit,
            "notes": selectors.report_notes(report),
            "actions": services.report_actions(request.user, report),
            "sections": selectors.report_sections(request.user, report),
            "note_form": NoteForm(),
            "reply_form": ReplyForm(),
        },
    )


@login_required
@require_POST
def report_acknowledge(request: AuthedRequest, public_id: str) -> HttpResponse:
    report = selectors.report_get_for_user(
        user=request.user, public_id=public_id, purpose="acknowledge"
    )
    services.report_acknowledge(actor=request.user, report=report)
    messages.success(request, "Report acknowledged.")
    return redirect("visits:report_detail", report.public_id)


@login_required
@require_POST
def report_note(request: AuthedRequest, public_id: str) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, public_id=public_id)
    form = NoteForm(request.POST)
    if form.is_valid():

        def create() -> str:
            services.report_add_note(
                actor=request.user, report=report, text=form.cleaned_data["text"]
            )
            messages.success(request, "Added to the report.")
            return reverse("visits:report_detail", args=[report.public_id])

        try:
            submit_once(request, create)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    else:
        messages.error(request, "Write something to add.")
    return redirect("visits:report_detail", report.public_id)


@login_required
def worried(request: AuthedRequest, public_id: str) -> HttpResponse:
    """ "I am worried about this child": hand over to the safeguarding concern form when it
    exists; until then, tell the IV plainly who to call now."""
    visit = selectors.visit_get_for_user(user=request.user, public_id=public_id)
    try:
        target = reverse("safeguarding:raise")
    except NoReverseMatch:
        return render(request, "visits/worried.html", {"visit": visit, "scheme": visit.scheme})
    return redirect(f"{target}?visit={visit.public_id}")


# --- Platforms ----------------------------------------------------------------------------


@login_required
def platform_list(request: AuthedRequest) -> HttpResponse:
    schemes = [m.scheme for m in access.memberships(request.user) if m.role in access.STAFF_ROLES]
    if not schemes:
        raise Http404("No platforms here")
    scheme = schemes[0]
    form = PlatformForm(request.POST or None)

    def create(data: dict[str, Any]) -> str:
        services.platform_save(actor=request.user, scheme=scheme, **form.cleaned_data)
        messages.success(request, "Platform added.")
        return reverse("visits:platforms")

    return form_page(
        request,
        form,
        create,
        "visits/platforms.html",
        {
            "platforms": selectors.platforms_visible_to(request.user).order_by("scheme", "name"),
            "scheme": scheme,
        },
    )


@login_required
def platform_edit(request: AuthedRequest, public_id: str) -> HttpResponse:
    platform = selectors.platform_get_for_user(user=request.user, public_id=public_id)
    form = PlatformForm(request.POST or None, instance=platform)

    def save(data: dict[str, Any]) -> str | HttpResponse | None:
        services.platform_save(
            actor=request.user, scheme=platform.scheme, platform=platform, **form.cleaned_data
        )
        messages.success(request, "Platform saved.")
        return redirect("visits:platforms")

    if done := submit_form(request, form, save, once=False):
        return done
    return render(request, "visits/platform_edit.html", {"form": form, "platform": platform})


# --- Calendar -----------------------------------------------------------------------------


@login_required
def calendar(request: AuthedRequest) -> HttpResponse:
    if Role.INDEPENDENT_VISITOR not in access.roles_of(request.user):
        raise Http404("Calendar feeds are for independent visitors")
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(actor=request.user)
            messages.success(request, "Your calendar address no longer works.")
        else:
            services.calendar_feed_renew(actor=request.user)
            messages.success(
                request, "Your new calendar address is ready. The old one no longer works."
            )
        return redirect("visits:calendar")
    feed = selectors.calendar_feed_for(request.user)
    url = (
        request.build_absolute_uri(reverse("visits:calendar_feed", args=[feed.token]))
        if feed
        else None
    )
    return render(request, "visits/calendar.html", {"feed": feed, "feed_url": url})


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No sign-in (calendar apps cannot): the private address is the key."""
    visits = selectors.calendar_feed_visits(token)
    if visits is None:
        raise Http404("No such calendar")
    body = ical.calendar(visits, host=request.get_host(), now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="visits.ics"'
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- The service worker -------------------------------------------------------------------

_SW_PATH = Path(settings.BASE_DIR) / "static" / "visits" / "sw.js"


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served from /visits/ so its scope covers the report pages (a script under /static/
    could only control /static/)."""
    from django.templatetags.static import static

    body = _SW_PATH.read_text().replace("__OFFLINE_JS__", static("visits/offline.js"))
    response = HttpResponse(body, content_type="text/javascript")
    response["Service-Worker-Allowed"] = reverse("visits:list")
    response["Cache-Control"] = "no-cache"
    return response

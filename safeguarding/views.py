from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthedRequest
from core.audit import access_log_for
from core.forms import form_page, submit_form
from matches.selectors import active_match_for_volunteer
from referrals.selectors import children_visible_to
from safeguarding import selectors, services
from safeguarding.forms import ActionForm, CloseForm, ConcernForm, RegisterFilter
from visits.selectors import visits_visible_to


def _visit_of(request: AuthedRequest) -> Any:
    """The visit a concern is raised from ("I am worried" on a visit or its report), if this
    person may see it; anything else in the parameter is ignored."""

    public_id = request.GET.get("visit", "")[:24]
    if not public_id:
        return None
    return (
        visits_visible_to(request.user)
        .filter(public_id=public_id)
        .select_related("match__child__scheme")
        .first()
    )


def _children_for_concern(request: AuthedRequest) -> list[Any]:
    """The children this person could raise a concern about."""
    visit = _visit_of(request)
    if visit is not None:
        return [visit.match.child]
    wanted = request.GET.get("child") or request.POST.get("child")
    children: list[Any] = []
    match = active_match_for_volunteer(request.user)
    if match is not None:
        children.append(match.child)
    visible = children_visible_to(request.user)
    if wanted:
        children += list(visible.filter(public_id=wanted))
    else:
        children += list(visible[:300])
    return list({c.pk: c for c in children}.values())


def _wants_json(request: AuthedRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_http_methods(["GET", "POST"])
def raise_concern(request: AuthedRequest) -> HttpResponse:
    visit = _visit_of(request)
    children = _children_for_concern(request)
    if not children:
        raise Http404("No child you can raise a concern about")
    form = ConcernForm(
        request.POST or None,
        children=children,
        volunteers=selectors.volunteers_namable_by(request.user, children=children),
    )

    def send(data: dict[str, Any]) -> HttpResponse:
        concern = services.concern_raise(
            actor=request.user,
            from_visit=visit.public_id if visit is not None else "",
            **form.concern(),
        )
        url = reverse("safeguarding:raised", args=[concern.public_id])
        if _wants_json(request):
            return JsonResponse({"status": "sent", "url": url})
        return redirect(url)

    # A resend (a double tap, the phone's outbox) is one concern by its client_id, in the
    # service, so the answer can be JSON; no one-time token.
    if done := submit_form(request, form, send, once=False):
        return done
    if request.method == "POST" and _wants_json(request):
        # Sent from the phone's offline copy: the page posts the form again to show why.
        return JsonResponse(
            {"status": "invalid", "errors": form.errors.get_json_data()}, status=400
        )
    scheme = children[0].scheme
    return render(
        request,
        "safeguarding/raise.html",
        {"form": form, "out_of_hours": scheme.out_of_hours_phone},
    )


@login_required
def raised(request: AuthedRequest, public_id: str) -> HttpResponse:
    concern = selectors.concern_get_for_user(user=request.user, public_id=public_id)
    if concern.raised_by_id != request.user.pk:
        raise Http404("Not found")
    return render(request, "safeguarding/raised.html", {"concern": concern})


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    concerns = selectors.concerns_visible_to(request.user).filter(raised_by=request.user)
    page = Paginator(concerns, 30).get_page(request.GET.get("page"))
    return render(
        request, "safeguarding/mine.html", {"concerns": page.object_list, "page_obj": page}
    )


@login_required
def register(request: AuthedRequest) -> HttpResponse:
    if not selectors.can_see_register(request.user):
        raise Http404("Not found")
    form = RegisterFilter(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    concerns = selectors.register(
        request.user, category=filters.get("category", ""), state=filters.get("state", "")
    )
    page = Paginator(concerns, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "safeguarding/register.html",
        {
            "form": form,
            "concerns": page.object_list,
            "page_obj": page,
            "counts": selectors.counts(request.user),
        },
    )


@login_required
def detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    concern = selectors.concern_get_for_user(user=request.user, public_id=public_id)
    staff = selectors.can_see_chronology(user=request.user, concern=concern)
    return render(
        request,
        "safeguarding/detail.html",
        {
            "concern": concern,
            "staff": staff,
            "actions": services.concern_actions(request.user, concern),
            "chronology": selectors.chronology(concern) if staff else None,
            "access_log": access_log_for(concern)
            if selectors.can_see_access_log(user=request.user, concern=concern)
            else None,
        },
    )


def _staff_concern(request: AuthedRequest, public_id: str) -> Any:
    return selectors.concern_get_for_user(user=request.user, public_id=public_id, purpose="act")


@login_required
@require_POST
def acknowledge(request: AuthedRequest, public_id: str) -> HttpResponse:
    concern = _staff_concern(request, public_id)
    try:
        services.concern_acknowledge(actor=request.user, concern=concern)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Acknowledged. Record what you decide and do below.")
    return redirect("safeguarding:detail", public_id=concern.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def record(request: AuthedRequest, public_id: str) -> HttpResponse:
    concern = _staff_concern(request, public_id)
    form = ActionForm(request.POST or None)

    def create(data: dict[str, Any]) -> str:
        services.concern_record(actor=request.user, concern=concern, **data)
        messages.success(request, "Added to the chronology.")
        return reverse("safeguarding:detail", args=[concern.public_id])

    return form_page(
        request,
        form,
        create,
        "safeguarding/form.html",
        {"concern": concern, "title": "Add to the chronology", "submit_label": "Add"},
    )


@login_required
@require_POST
def share(request: AuthedRequest, public_id: str) -> HttpResponse:
    concern = _staff_concern(request, public_id)
    try:
        services.concern_share_with_social_worker(actor=request.user, concern=concern)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Shared with the child's social worker.")
    return redirect("safeguarding:detail", public_id=concern.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def close(request: AuthedRequest, public_id: str) -> HttpResponse:
    concern = _staff_concern(request, public_id)
    services.require_closer(request.user, concern, hidden=True)
    form = CloseForm(request.POST or None)

    def close_it(data: dict[str, Any]) -> str:
        services.concern_close(actor=request.user, concern=concern, outcome=data["outcome"])
        messages.success(request, "The concern is closed.")
        return reverse("safeguarding:detail", args=[concern.public_id])

    return form_page(
        request,
        form,
        close_it,
        "safeguarding/form.html",
        {"concern": concern, "title": "Close the concern", "submit_label": "Close"},
        once=False,
    )

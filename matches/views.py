"""Pages of matches: thin, they ask selectors and call services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import access
from accounts.http import AuthedRequest
from accounts.models import Role
from core import registry
from core.forms import form_page
from core.once import submit_once
from matches import forms, selectors, services
from matches.models import MatchStatus

S = MatchStatus


@dataclass
class Action:
    """A step of a match's page (services.STEPS says when it is open, match_actions whether
    to offer it). `once`: the step adds a record (a trial visit, a review), so a second tap
    goes to what the first made (core.once); the others change the match."""

    label: str
    form: type[django_forms.Form]
    run: Callable[[Any, Any, dict[str, Any]], Any]
    done: str
    intro: str = ""
    once: bool = False


ACTIONS: dict[str, Action] = {
    "introduction": Action(
        "Record the introduction meeting",
        forms.IntroductionForm,
        lambda u, m, d: services.match_start(actor=u, match=m, **d),
        "The introduction is recorded: the IV can now see the child's visit card.",
        "The meeting at the child's home with the coordinator, the IV, the child and the carer.",
    ),
    "start-trial": Action(
        "Start the trial",
        forms.ConfirmForm,
        lambda u, m, d: services.match_start_trial(actor=u, match=m),
        "The trial has started.",
        "Four to five visits, then the trial review.",
    ),
    "trial-visit": Action(
        "Record a trial visit",
        forms.TrialVisitForm,
        lambda u, m, d: services.match_record_trial_visit(actor=u, match=m, **d),
        "The trial visit is recorded.",
        once=True,
    ),
    "trial-review": Action(
        "Record the trial review",
        forms.TrialReviewForm,
        lambda u, m, d: services.match_trial_review(actor=u, match=m, **d),
        "The trial review is recorded.",
    ),
    "establish": Action(
        "Establish the match",
        forms.ConfirmForm,
        lambda u, m, d: services.match_establish(actor=u, match=m),
        "The match is established.",
        "The trial review said go: the match becomes established.",
    ),
    "ending": Action(
        "Plan the ending",
        forms.EndingForm,
        lambda u, m, d: services.match_plan_ending(actor=u, match=m, **d),
        "The ending is planned.",
    ),
    "close": Action(
        "Close the match",
        forms.CloseForm,
        lambda u, m, d: services.match_close(actor=u, match=m, **d),
        "The match is closed: the IV and the social worker no longer see it.",
        "The closure review: everyone's views and the reason.",
    ),
    "reopen": Action(
        "Reopen the match",
        forms.ReopenForm,
        lambda u, m, d: services.match_reopen(actor=u, match=m, **d),
        "The match is reopened.",
    ),
    "pause": Action(
        "Pause the match",
        forms.PauseForm,
        lambda u, m, d: services.match_pause(actor=u, match=m, **d),
        "The match is paused: no visits, and the IV no longer sees the child's details.",
        "While it is paused no visits can be planned and the IV loses access to the child.",
    ),
    "resume": Action(
        "Resume the match",
        forms.ResumeForm,
        lambda u, m, d: services.match_resume(actor=u, match=m, **d),
        "The match has resumed: the IV sees the child's visit card again.",
    ),
    "frequency": Action(
        "Change the visiting frequency",
        forms.FrequencyForm,
        lambda u, m, d: services.match_set_frequency(actor=u, match=m, **d),
        "The visiting frequency is saved.",
    ),
    "review": Action(
        "Record a match review",
        forms.ReviewForm,
        lambda u, m, d: services.match_review_record(actor=u, match=m, **d),
        "The review is recorded.",
        once=True,
    ),
    "care-leaver": Action(
        "Continue as a care-leaver match",
        forms.ConfirmForm,
        lambda u, m, d: services.match_care_leaver_continue(actor=u, match=m),
        "The match will continue as a care-leaver match.",
    ),
}


@login_required
def match_list(request: AuthedRequest) -> HttpResponse:
    if not access.scheme_ids_with_role(request.user, access.STAFF_ROLES):
        raise Http404("Not found")
    status = request.GET.get("status", "")
    return render(
        request,
        "matches/match_list.html",
        {
            "matches": selectors.staff_matches(request.user, status=status)[:500],
            "statuses": MatchStatus.choices,
            "status": status,
        },
    )


@login_required
def caseload(request: AuthedRequest) -> HttpResponse:
    if not access.scheme_ids_with_role(request.user, access.STAFF_ROLES):
        raise Http404("Not found")
    return render(request, "matches/caseload.html", {"rows": selectors.caseload(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def suggestions(request: AuthedRequest, child_public_id: str) -> HttpResponse:
    referral = selectors.waiting_referral_for_child(
        user=request.user, child_public_id=child_public_id
    )
    child = referral.child
    if request.method == "POST":
        volunteer = selectors.volunteer_candidate(
            scheme_id=child.scheme_id, public_id=request.POST.get("volunteer", "")
        )

        def create() -> str:
            match = services.match_propose(
                actor=request.user, child=child, volunteer=volunteer, referral=referral
            )
            messages.success(request, f"A match with {volunteer.full_name} is proposed.")
            return reverse("matches:detail", args=[match.public_id])

        try:
            return redirect(submit_once(request, create).url)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    found = selectors.suggestions_for_child(child)
    return render(
        request,
        "matches/suggestions.html",
        {
            "referral": referral,
            "child": child,
            "ranked": found.ranked,
            "excluded": found.excluded,
            "already_matched": found.already_matched,
        },
    )


@login_required
def volunteer_children(request: AuthedRequest, volunteer_public_id: str) -> HttpResponse:
    volunteer = selectors.volunteer_for_staff(user=request.user, public_id=volunteer_public_id)
    return render(
        request,
        "matches/volunteer_children.html",
        {"volunteer": volunteer, "suggestions": selectors.children_for_volunteer(volunteer)},
    )


@login_required
def my_children(request: AuthedRequest) -> HttpResponse:
    if Role.SOCIAL_WORKER not in access.roles_of(request.user):
        raise Http404("Not found")
    return render(
        request,
        "matches/my_children.html",
        {"rows": selectors.my_children_with_status(request.user)},
    )


@login_required
def match_detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    match = selectors.match_get_for_user(user=request.user, public_id=public_id)
    sections = selectors.match_sections(request.user, match)
    actions = services.match_actions(request.user, match)
    context: dict[str, Any] = {
        "match": match,
        "sections": sections,
        # The steps offered, in the page's order, with their labels.
        "steps": [(slug, a.label) for slug, a in ACTIONS.items() if slug in actions],
        # The last visit held, from visits (core.registry; visits registers it).
        **registry.record_extras_context("match", request.user, match),
    }
    if "casework" in sections:
        context.update(selectors.match_casework(match))
        context["reopen_until"] = services.reopen_deadline(match)
    else:
        context["next_review_on"] = selectors.next_review_on(match)
    return render(request, "matches/match_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def match_action(request: AuthedRequest, public_id: str, action: str) -> HttpResponse:
    step = ACTIONS.get(action)
    if step is None:
        raise Http404("No such step")
    match = selectors.match_get_for_staff(user=request.user, public_id=public_id)
    initial: dict[str, Any] = {
        name: timezone.localdate()
        for name in ("started_on", "on", "held_on", "ended_on", "review_on", "planned_end_on")
    }
    initial["frequency"] = match.visiting_frequency
    form = step.form(request.POST if request.method == "POST" else None, initial=initial)

    def run(data: dict[str, Any]) -> str:
        step.run(request.user, match, data)
        messages.success(request, step.done)
        return reverse("matches:detail", args=[match.public_id])

    context = {"match": match, "title": step.label, "intro": step.intro}
    return form_page(request, form, run, "matches/action.html", context, once=step.once)

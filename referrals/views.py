from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from accounts.http import AuthedRequest
from accounts.selectors.people import staff_schemes
from accounts.sudo import sudo_active, sudo_redirect
from core import registry
from core.audit import access_log_for
from core.forms import form_page, submit_form
from core.spreadsheet import csv_writer
from referrals import selectors, services
from referrals.forms import (
    ChildForm,
    CloseForm,
    DuplicateChoiceForm,
    MeetingForm,
    PlacementForm,
    ReferralReasonForm,
    ReviewForm,
    WaitingListFilter,
)
from referrals.models import Referral

# --- Children ----------------------------------------------------------------------------


def _simple_form(
    request: AuthedRequest,
    form: Any,
    save: Callable[[dict[str, Any]], str | HttpResponse | None],
    *,
    once: bool = False,
    title: str,
    intro: str,
    submit_label: str,
    **back: Any,
) -> HttpResponse:
    """A one-form page of a child or a referral (`back=child` or `back_referral=referral`
    for the link back to it): on a valid POST, `save` (core.forms.submit_form), else the form."""
    return form_page(
        request,
        form,
        save,
        "referrals/simple_form.html",
        {"title": title, "intro": intro, "submit_label": submit_label, **back},
        once=once,
    )


@login_required
def child_list(request: AuthedRequest) -> HttpResponse:
    children = selectors.children_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        children = selectors.children_search(children, query)
    page = Paginator(children, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/child_list.html",
        {
            "children": page.object_list,
            "page_obj": page,
            "query": query,
            "add_schemes": selectors.child_add_schemes(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_create(request: AuthedRequest) -> HttpResponse:
    schemes = selectors.child_add_schemes(request.user)
    if not schemes:
        raise Http404("No scheme where you can add children")
    form = ChildForm(request.POST or None, schemes=schemes)

    def create(data: dict[str, Any]) -> str:
        child = services.child_create(actor=request.user, scheme=data["scheme"], **form.profile())
        messages.success(request, f"{child.first_name}'s record has been created.")
        return reverse("children:detail", args=[child.public_id])

    return form_page(
        request, form, create, "referrals/child_form.html", {"all_forms": [form], "child": None}
    )


@login_required
def child_detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    child = selectors.child_get_for_user(user=request.user, public_id=public_id)
    sections = selectors.child_sections(request.user, child)
    context = {
        "child": child,
        "referrals": list(selectors.referrals_visible_to(request.user).filter(child=child)),
        "placements": selectors.placements_of(child),
        "allocations": selectors.allocations_of(child),
        "reviews": selectors.reviews_of(child),
        "warnings": selectors.eligibility_warnings(child=child),
        "actions": services.child_actions(request.user, child),
        "sections": sections,
        "history": selectors.child_history(child) if "history" in sections else None,
        "access_log": access_log_for(child) if "access_log" in sections else None,
    }
    # The panels other apps add to a child's page: its matches, a legal hold (core.registry).
    context.update(registry.record_extras_context("child", request.user, child))
    return render(request, "referrals/child_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request: AuthedRequest, public_id: str) -> HttpResponse:
    child = selectors.child_get_for_user(user=request.user, public_id=public_id, purpose="edit")
    form = ChildForm(
        request.POST or None,
        instance=child,
        schemes=[child.scheme],
        allow_reallocation="reallocate" in services.child_actions(request.user, child),
    )

    def save(data: dict[str, Any]) -> str:
        changes = {k: v for k, v in form.profile().items() if k in services.CHILD_EDITABLE}
        services.child_update(actor=request.user, child=child, **changes)
        messages.success(request, "The changes have been saved.")
        if not selectors.children_visible_to(request.user).filter(pk=child.pk).exists():
            return reverse("children:list")
        return reverse("children:detail", args=[child.public_id])

    context = {"all_forms": [form], "child": child}
    return form_page(request, form, save, "referrals/child_form.html", context, once=False)


@login_required
@require_http_methods(["GET", "POST"])
def placement_change(request: AuthedRequest, public_id: str) -> HttpResponse:
    child = selectors.child_get_for_user(user=request.user, public_id=public_id, purpose="edit")
    form = PlacementForm(request.POST or None)

    def save(data: dict[str, Any]) -> str | HttpResponse | None:
        services.placement_change(actor=request.user, child=child, **form.cleaned_data)
        messages.success(request, "The new placement has been recorded.")
        return redirect("children:detail", public_id=child.public_id)

    return _simple_form(
        request,
        form,
        save,
        title=f"New placement for {child.first_name}",
        intro="The current placement ends when this one starts; the history is kept.",
        submit_label="Record the new placement",
        back=child,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_add(request: AuthedRequest, public_id: str) -> HttpResponse:
    child = selectors.child_get_for_user(user=request.user, public_id=public_id, purpose="edit")
    form = ReviewForm(request.POST or None)

    def create(data: dict[str, Any]) -> str:
        services.review_record(actor=request.user, child=child, **data)
        messages.success(request, "The review has been recorded.")
        return reverse("children:detail", args=[child.public_id])

    return _simple_form(
        request,
        form,
        create,
        once=True,
        title=f"Looked-after review for {child.first_name}",
        intro="Statutory guidance expects an IV to be considered at every review.",
        submit_label="Record the review",
        back=child,
    )


@login_required
def visit_card(request: AuthedRequest, public_id: str) -> HttpResponse:
    child = selectors.visit_card_get_for_user(user=request.user, public_id=public_id)
    return render(
        request,
        "referrals/visit_card.html",
        {"child": child, "placement": selectors.current_placement(child)},
    )


# --- Referrals ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request: AuthedRequest) -> HttpResponse:
    """One page: the child, where they live, and why they are referred. "Save as draft" keeps
    it for later; "Send referral" submits it. A coordinator is asked about a possible
    duplicate before anything is created; a social worker's referral is flagged instead."""
    schemes = services.referral_schemes(request.user)
    if not schemes:
        raise Http404("You cannot make referrals")
    post = request.POST or None
    child_form = ChildForm(
        post, schemes=schemes, allow_reallocation=services.allocates_in(request.user, schemes)
    )
    placement_form = PlacementForm(post, prefix="placement")
    reason_form = ReferralReasonForm(post, prefix="referral")
    duplicate_form = None
    sending = request.POST.get("action") == "send"
    if request.method == "POST":
        valid = all([child_form.is_valid(), placement_form.is_valid(), reason_form.is_valid()])
        if sending and reason_form.is_valid() and not reason_form.cleaned_data.get("reason"):
            reason_form.add_error("reason", "Choose the reason for the referral.")
            valid = False
        if valid:
            scheme = child_form.cleaned_data["scheme"]
            candidates = selectors.possible_duplicates(
                scheme=scheme,
                first_name=child_form.cleaned_data["first_name"],
                last_name=child_form.cleaned_data["last_name"],
                date_of_birth=child_form.cleaned_data["date_of_birth"],
                case_number=child_form.cleaned_data.get("case_number", ""),
            )
            same_as = None
            # Staff decide on a possible duplicate now; anyone else's is flagged for them.
            decides = services.decides_duplicates(request.user, scheme)
            if candidates and decides:
                duplicate_form = DuplicateChoiceForm(post, candidates=candidates)
                if "choice" not in request.POST or not duplicate_form.is_valid():
                    if "choice" not in request.POST:
                        duplicate_form = DuplicateChoiceForm(candidates=candidates)
                    valid = False
                else:
                    choice = duplicate_form.cleaned_data["choice"]
                    same_as = next((c for c in candidates if c.public_id == choice), None)
            if valid:

                def create(data: dict[str, Any]) -> str:
                    referral = _create_referral(
                        request, scheme, child_form, placement_form, reason_form,
                        same_as=same_as, flagged=[] if same_as or decides else candidates,
                        send=sending,
                    )  # fmt: skip
                    if sending:
                        messages.success(request, "The referral has been sent to the scheme.")
                    else:
                        messages.success(request, "The referral has been saved as a draft.")
                    return reverse("referrals:detail", args=[referral.public_id])

                # The other forms are valid too; the service's refusal or error shows on the
                # child's part, keeping everything typed.
                if done := submit_form(request, child_form, create):
                    return done
    forms_ = [child_form, placement_form, reason_form]
    return render(
        request,
        "referrals/referral_form.html",
        {
            "child_form": child_form,
            "placement_form": placement_form,
            "reason_form": reason_form,
            "duplicate_form": duplicate_form,
            "has_errors": any(f.errors for f in forms_),
            "all_forms": forms_,
        },
    )


@transaction.atomic
def _create_referral(
    request: AuthedRequest,
    scheme: object,
    child_form: ChildForm,
    placement_form: PlacementForm,
    reason_form: ReferralReasonForm,
    *,
    same_as: object,
    flagged: list,
    send: bool,
) -> Referral:
    user = request.user
    if same_as is not None:
        child = same_as
    else:
        profile = child_form.profile()
        if "social_worker" not in child_form.fields:
            # A social worker referring a child is that child's social worker.
            profile["social_worker"] = user
        child = services.child_create(actor=user, scheme=scheme, **profile)  # type: ignore[arg-type]
    services.placement_change(actor=user, child=child, **placement_form.cleaned_data)  # type: ignore[arg-type]
    referral = services.referral_create(
        actor=user,
        child=child,  # type: ignore[arg-type]
        reason=reason_form.cleaned_data.get("reason") or "",
        reason_note=reason_form.cleaned_data.get("reason_note") or "",
        child_objects=reason_form.cleaned_data.get("child_objects") or False,
        possible_duplicates=flagged,
    )
    if send:
        referral = services.referral_submit(actor=user, referral=referral)
    return referral


@login_required
def referral_detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, public_id=public_id)
    actions = services.referral_actions(request.user, referral)
    duplicates = (
        selectors.possible_duplicates_of(referral) if "resolve_duplicate" in actions else []
    )
    context = {
        "referral": referral,
        "child": referral.child,
        "events": selectors.referral_events(referral),
        "warnings": selectors.eligibility_warnings(child=referral.child, referral=referral),
        "actions": actions,
        "duplicate_form": DuplicateChoiceForm(candidates=duplicates) if duplicates else None,
    }
    return render(request, "referrals/referral_detail.html", context)


@login_required
@require_POST
def referral_send(request: AuthedRequest, public_id: str) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, public_id=public_id)
    try:
        # Only its author sends a referral; anyone else is answered 404 (a hidden refusal).
        services.referral_submit(actor=request.user, referral=referral)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The referral has been sent to the scheme.")
    return redirect("referrals:detail", public_id=referral.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def referral_meeting(request: AuthedRequest, public_id: str) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, public_id=public_id)
    access.require_staff(request.user, referral.scheme_id, hidden=True)
    form = MeetingForm(request.POST or None, initial={"met_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> str | HttpResponse | None:
        services.referral_record_meeting(actor=request.user, referral=referral, **form.cleaned_data)
        messages.success(request, f"Your meeting with {referral.child.first_name} is recorded.")
        return redirect("referrals:detail", public_id=referral.public_id)

    return _simple_form(
        request,
        form,
        save,
        title=f"Meeting with {referral.child.first_name}",
        intro="What did the child tell you they want from an IV?",
        submit_label="Record the meeting",
        back_referral=referral,
    )


@login_required
@require_POST
def referral_wait(request: AuthedRequest, public_id: str) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, public_id=public_id)
    access.require_staff(request.user, referral.scheme_id, hidden=True)
    try:
        services.referral_add_to_waiting_list(actor=request.user, referral=referral)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{referral.child.first_name} is on the waiting list.")
    return redirect("referrals:detail", public_id=referral.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def referral_close(request: AuthedRequest, public_id: str) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, public_id=public_id)
    # The scheme declines or withdraws; the person who made the referral may withdraw it.
    outcomes = services.referral_close_outcomes(request.user, referral)
    if not outcomes:
        raise Http404("Not found")
    form = CloseForm(request.POST or None)
    outcome: Any = form.fields["outcome"]
    outcome.choices = [c for c in outcome.choices if c[0] in outcomes]

    def save(data: dict[str, Any]) -> str | HttpResponse | None:
        services.referral_close(
            actor=request.user,
            referral=referral,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["closing_reason"],
            note=form.cleaned_data["closing_note"],
        )
        messages.success(request, "The referral has been closed.")
        return redirect("referrals:detail", public_id=referral.public_id)

    return _simple_form(
        request,
        form,
        save,
        title=f"Close the referral of {referral.child.first_name}",
        intro="The reason is kept with the referral.",
        submit_label="Close the referral",
        back_referral=referral,
    )


@login_required
@require_POST
def referral_duplicates(request: AuthedRequest, public_id: str) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, public_id=public_id)
    access.require_staff(request.user, referral.scheme_id, hidden=True)
    candidates = selectors.possible_duplicates_of(referral)
    form = DuplicateChoiceForm(request.POST, candidates=candidates)
    if not form.is_valid():
        messages.error(request, "Choose whether this is the same child as one listed.")
        return redirect("referrals:detail", public_id=referral.public_id)
    choice = form.cleaned_data["choice"]
    same_as = next((c for c in candidates if c.public_id == choice), None)
    try:
        services.referral_resolve_duplicate(actor=request.user, referral=referral, same_as=same_as)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            "The referral is now on the existing child's record."
            if same_as
            else "Recorded: this is a different child.",
        )
    return redirect("referrals:detail", public_id=referral.public_id)


@login_required
def referral_inbox(request: AuthedRequest) -> HttpResponse:
    if not staff_schemes(request.user):
        raise Http404("Not found")
    page = Paginator(selectors.referral_inbox(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request, "referrals/inbox.html", {"referrals": page.object_list, "page_obj": page}
    )


def _waiting(request: AuthedRequest) -> tuple[WaitingListFilter, object]:
    schemes = staff_schemes(request.user)
    if not schemes:
        raise Http404("Not found")
    form = WaitingListFilter(request.GET or None, scheme_ids=[s.pk for s in schemes])
    referrals = selectors.waiting_list(request.user)
    if form.is_bound and form.is_valid():
        referrals = selectors.waiting_list_filtered(referrals, form.cleaned_data)
    return form, referrals


@login_required
def waiting_list(request: AuthedRequest) -> HttpResponse:
    form, referrals = _waiting(request)
    page: Any = Paginator(referrals, 50).get_page(request.GET.get("page"))  # type: ignore[arg-type]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "referrals/waiting_list.html",
        {
            "form": form,
            "page_obj": page,
            "referrals": page.object_list,
            "filters": query.urlencode(),
        },
    )


@login_required
def waiting_list_csv(request: AuthedRequest) -> HttpResponse:
    _form, referrals = _waiting(request)
    if not sudo_active(request):
        return sudo_redirect(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="waiting-list-{stamp}.csv"'
    writer = csv_writer(response)
    writer.writerow(
        ["Scheme", "First name", "Surname", "Age", "Gender", "Case number", "Social worker",
         "Waiting since", "Days waiting"]
    )  # fmt: skip
    for r in referrals:  # type: ignore[attr-defined]
        child = r.child
        writer.writerow(
            [
                r.scheme.name, child.first_name, child.last_name,
                child.age, child.get_gender_display(), child.case_number,
                child.social_worker.full_name if child.social_worker else "",
                r.waiting_since.isoformat() if r.waiting_since else "", r.days_waiting,
            ]
        )  # fmt: skip
    return response

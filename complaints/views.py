"""Complaint pages: the public form, the register, recording, the complaint and its steps,
letters and their wording. Thin: parse, ask a selector, call a service, render."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.http import AuthedRequest
from accounts.models import User
from accounts.sudo import sudo_active, sudo_redirect
from complaints import forms as cforms
from complaints import selectors, services
from complaints.letters import PLACEHOLDERS
from complaints.models import Channel, Complaint, LetterKind
from core.audit import access_log_for, log_access
from core.forms import submit_form
from core.once import reference_from, with_reference
from core.ratelimits import limit_posts

PUBLIC_SESSION_KEY = "complaints_last_reference"


# --- The public form -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@limit_posts(
    group="complaints.public",
    address_rate="RATELIMIT_PUBLIC_FORM_ADDRESS",
    email_field="complainant_email",
    email_rate="RATELIMIT_PUBLIC_FORM_EMAIL",
)
def complaint_make(request: HttpRequest, scheme_slug: str) -> HttpResponse:
    """Anyone may complain, without an account (CSRF-protected like every form)."""
    scheme = selectors.scheme_for_public_form(scheme_slug)
    form = cforms.PublicComplaintForm(request.POST or None)

    def create(data: dict[str, Any]) -> str:
        complaint = services.complaint_receive(
            actor=None,
            scheme=scheme,
            channel=Channel.PUBLIC_FORM,
            received_on=timezone.localdate(),
            **{k: data[k] for k in _PUBLIC_FIELDS},
        )
        request.session[PUBLIC_SESSION_KEY] = complaint.reference
        made = reverse("complaints:made", kwargs={"scheme_slug": scheme.slug})
        return with_reference(made, complaint.reference)

    if done := submit_form(request, form, create):
        return done
    return render(request, "complaints/make.html", {"form": form, "scheme": scheme})


_PUBLIC_FIELDS = (
    "complainant_name",
    "complainant_relationship",
    "on_behalf_of",
    "complainant_email",
    "complainant_phone",
    "complainant_address",
    "subject",
    "subject_name",
    "details",
    "desired_outcome",
)


def complaint_made(request: HttpRequest, scheme_slug: str) -> HttpResponse:
    """The confirmation, with the reference this browser's complaint was given (and nothing
    else about it: the page is public)."""
    scheme = selectors.scheme_for_public_form(scheme_slug)
    reference = reference_from(request, PUBLIC_SESSION_KEY)
    return render(request, "complaints/made.html", {"scheme": scheme, "reference": reference})


# --- Staff pages -----------------------------------------------------------------------------


def _require_complaint_staff(request: AuthedRequest) -> None:
    if not selectors.can_see_complaints(request.user):
        raise Http404("No complaints here")


@login_required
def register(request: AuthedRequest) -> HttpResponse:
    _require_complaint_staff(request)
    today = timezone.localdate()
    schemes = selectors.complaint_schemes(request.user)
    scheme = next((s for s in schemes if s.slug == request.GET.get("scheme")), None)
    year_start = date(today.year, 1, 1)
    complaints = list(selectors.complaint_register(user=request.user, scheme=scheme)[:500])
    rows = [
        {"complaint": c, "days_left": c.days_left(today), "overdue": c.is_overdue(today)}
        for c in complaints
    ]
    context = {
        "rows": rows,
        "schemes": schemes,
        "scheme": scheme,
        "counts": selectors.complaint_counts(
            request.user, scheme, (year_start, today), today=today
        ),
        "period_start": year_start,
        "today": today,
        "managed": selectors.managed_schemes(request.user),
    }
    return render(request, "complaints/register.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def complaint_create(request: AuthedRequest) -> HttpResponse:
    schemes = selectors.complaint_schemes(request.user)
    if not schemes:
        raise Http404("No scheme where you can record complaints")
    form = cforms.StaffComplaintForm(
        request.POST or None, schemes=schemes, initial={"received_on": timezone.localdate()}
    )

    def create(data: dict[str, Any]) -> str:
        complaint = services.complaint_receive(
            actor=request.user,
            scheme=data["scheme"],
            channel=data["channel"],
            received_on=data["received_on"],
            subject_user=data.get("subject_user"),
            **{k: data[k] for k in _PUBLIC_FIELDS},
        )
        messages.success(request, f"Complaint {complaint.reference} has been recorded.")
        if selectors.complaints_visible_to(request.user).filter(pk=complaint.pk).exists():
            return reverse("complaints:detail", args=[complaint.public_id])
        messages.info(
            request,
            "It is about a member of staff, so only managers and the complaints manager "
            "can see it (never the person it is about).",
        )
        return reverse("complaints:register")

    if done := submit_form(request, form, create):
        return done
    return render(request, "complaints/complaint_form.html", {"form": form})


@login_required
def complaint_detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    complaint = selectors.complaint_get_for_user(user=request.user, public_id=public_id)
    today = timezone.localdate()
    sections = selectors.complaint_sections(request.user, complaint)
    context = {
        "complaint": complaint,
        "stages": selectors.complaint_stages(complaint),
        "events": selectors.complaint_events(complaint),
        "letters": selectors.complaint_letters(complaint),
        "days_left": complaint.days_left(today),
        "overdue": complaint.is_overdue(today),
        "actions": services.complaint_actions(request.user, complaint),
        "steps": ACTION_LABELS.items(),
        "access_log": access_log_for(complaint) if "access_log" in sections else None,
    }
    return render(request, "complaints/detail.html", context)


ACTION_LABELS = {
    "acknowledge": "Acknowledge",
    "extend": "Extend the deadline",
    "respond": "Record the response",
    "escalate": "Escalate to the next stage",
    "convene_panel": "Record the panel's meeting",
    "panel_report": "Record the panel's report",
    "close": "Close with findings",
    "name_person": "Name the person it is about",
}


def _action_form(action: str, complaint: Complaint, data: Any) -> forms.Form:
    stage = complaint.stages.order_by("-number").first()
    number = stage.number if stage else 1
    if action == "acknowledge":
        managers = selectors.stage_handler_choices(complaint)
        return cforms.AcknowledgeForm(data, managers=managers)
    if action == "extend":
        return cforms.ExtendForm(data, stage_number=number)
    if action == "respond":
        return cforms.RespondForm(data)
    if action == "escalate":
        return cforms.EscalateForm(data, next_stage=number + 1)
    if action == "convene_panel":
        return cforms.PanelForm(data, label="Date the panel met")
    if action == "panel_report":
        return cforms.PanelForm(data, label="Date of the panel's report")
    if action == "name_person":
        return cforms.NamePersonForm(
            data,
            scheme=complaint.scheme,
            initial={"subject": complaint.subject, "subject_user": complaint.subject_user},
        )
    return cforms.CloseForm(data)


def _perform(action: str, user: User, complaint: Complaint, data: dict[str, Any]) -> str:
    on = data.get("on")
    if action == "acknowledge":
        services.complaint_acknowledge(
            actor=user, complaint=complaint, handler=data["handler"], on=on
        )
        return "The complaint has been acknowledged and the letter written."
    if action == "extend":
        stage = services.complaint_extend(
            actor=user,
            complaint=complaint,
            reason=data["reason"],
            working_days=data.get("working_days"),
        )
        return f"Stage {stage.number} now ends on {stage.due_on:%d/%m/%Y}."
    if action == "respond":
        services.complaint_respond(
            actor=user,
            complaint=complaint,
            outcome=data["outcome"],
            response=data["response"],
            on=on,
        )
        return "The response has been recorded and the letter written."
    if action == "escalate":
        stage = services.complaint_escalate(
            actor=user,
            complaint=complaint,
            on=on,
            reason=data.get("reason", ""),
            investigating_officer=data.get("investigating_officer", ""),
            independent_person=data.get("independent_person", ""),
        )
        return f"The complaint is now at stage {stage.number}."
    if action == "convene_panel":
        services.complaint_convene_panel(actor=user, complaint=complaint, on=data["on"])
        return "The panel's meeting has been recorded."
    if action == "panel_report":
        services.complaint_panel_report(actor=user, complaint=complaint, on=data["on"])
        return "The panel's report has been recorded."
    if action == "name_person":
        services.complaint_name_person(
            actor=user,
            complaint=complaint,
            subject=data["subject"],
            subject_user=data["subject_user"],
        )
        return "The complaint now names the person it is about, who cannot see it."
    services.complaint_close(
        actor=user,
        complaint=complaint,
        finding=data["finding"],
        lessons_learned=data["lessons_learned"],
        on=on,
    )
    return "The complaint has been closed."


@login_required
@require_http_methods(["GET", "POST"])
def complaint_action(request: AuthedRequest, public_id: str, action: str) -> HttpResponse:
    """One page per step of the procedure; illegal steps are refused with the reason."""
    if action not in ACTION_LABELS:
        raise Http404("No such step")
    complaint = selectors.complaint_get_for_user(
        user=request.user, public_id=public_id, purpose="manage"
    )
    form = _action_form(action, complaint, request.POST or None)

    def run(data: dict[str, Any]) -> str:
        messages.success(request, _perform(action, request.user, complaint, data))
        if not selectors.complaints_visible_to(request.user).filter(pk=complaint.pk).exists():
            return reverse("complaints:register")
        return reverse("complaints:detail", kwargs={"public_id": complaint.public_id})

    # Every step adds to the complaint's record (an event, and a letter or a stage for most):
    # one sent twice (a double tap, a second tab) is taken once.
    if done := submit_form(request, form, run):
        return done
    allowed = action in services.complaint_actions(request.user, complaint)
    return render(
        request,
        "complaints/action.html",
        {
            "complaint": complaint,
            "form": form,
            "title": ACTION_LABELS[action],
            "allowed": allowed,
            "refusal": None
            if allowed
            else f"This step is not possible now: the complaint is at "
            f"“{complaint.get_status_display()}”.",
        },
    )


@login_required
def letter_download(
    request: AuthedRequest, public_id: str, letter_id: str
) -> HttpResponse | FileResponse:
    """A letter's PDF, from private media, for those who may see the complaint; a fresh
    password confirmation first, as for every export."""
    letter = selectors.letter_get_for_user(
        user=request.user, complaint_id=public_id, letter_id=letter_id
    )
    if not sudo_active(request):
        return sudo_redirect(request)
    log_access(request, letter.complaint, action="download_letter")
    name = f"{letter.complaint.reference}-{letter.kind}.pdf"
    return FileResponse(letter.pdf.open("rb"), content_type="application/pdf", filename=name)


@login_required
def letter_templates(request: AuthedRequest, scheme_slug: str) -> HttpResponse:
    scheme, rows = selectors.letter_templates_for(user=request.user, scheme_slug=scheme_slug)

    return render(
        request,
        "complaints/letter_templates.html",
        {"scheme": scheme, "rows": rows, "placeholders": PLACEHOLDERS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def letter_template_edit(request: AuthedRequest, scheme_slug: str, kind: str) -> HttpResponse:
    scheme, rows = selectors.letter_templates_for(user=request.user, scheme_slug=scheme_slug)
    row = next((r for r in rows if r["kind"] == kind), None)
    if row is None:
        raise Http404("No such letter")
    form = cforms.LetterTemplateForm(request.POST or None, initial={"body": row["body"]})

    def save(data: dict[str, Any]) -> str | HttpResponse | None:
        services.letter_template_save(
            actor=request.user, scheme=scheme, kind=kind, body=form.cleaned_data["body"]
        )
        messages.success(request, f"The {LetterKind(kind).label.lower()} letter is saved.")
        return redirect("complaints:letter_templates", scheme_slug=scheme.slug)

    if done := submit_form(request, form, save, once=False):
        return done

    return render(
        request,
        "complaints/letter_template_form.html",
        {"scheme": scheme, "row": row, "form": form, "placeholders": PLACEHOLDERS},
    )

"""Volunteer pages: thin. Parse, ask a selector or call a service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.http import AuthedRequest
from core import registry
from core.audit import access_log_for, log_access
from core.forms import form_page, settings_page, submit_form
from core.once import reference_from, with_reference
from core.ratelimits import limit_posts
from core.schemesettings import settings_for
from volunteers import forms, rules, selectors, services
from volunteers.models import Stage, VolunteerSchemeSettings, VolunteerStatus

APPLY_SESSION_KEY = "volunteer_application_reference"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- Public application -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@limit_posts(
    group="volunteers.apply",
    address_rate="RATELIMIT_PUBLIC_FORM_ADDRESS",
    email_field="email",
    email_rate="RATELIMIT_PUBLIC_FORM_EMAIL",
)
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    scheme = selectors.scheme_for_application(slug)
    form = forms.ApplicationForm(request.POST or None)

    def create(data: dict[str, Any]) -> str:
        volunteer = services.volunteer_apply(scheme=scheme, **data)
        request.session[APPLY_SESSION_KEY] = volunteer.reference
        done = reverse("volunteers:apply_done", kwargs={"slug": scheme.slug})
        return with_reference(done, volunteer.reference)

    if done := submit_form(request, form, create):
        return done
    return render(request, "volunteers/apply.html", {"form": form, "scheme": scheme})


def apply_done(request: HttpRequest, slug: str) -> HttpResponse:
    scheme = selectors.scheme_for_application(slug)
    reference = reference_from(request, APPLY_SESSION_KEY)
    if not reference:
        return redirect("volunteers:apply", slug=scheme.slug)
    return render(request, "volunteers/apply_done.html", {"scheme": scheme, "reference": reference})


# --- Staff lists --------------------------------------------------------------------------


def _require_staff_somewhere(request: AuthedRequest) -> list[Any]:
    schemes = selectors.staff_schemes_for(request.user)
    if not schemes:
        raise Http404("No volunteers to show")
    return schemes


@login_required
def volunteer_list(request: AuthedRequest) -> HttpResponse:
    _require_staff_somewhere(request)
    stage = request.GET.get("stage", "")
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    volunteers = selectors.volunteers_filtered(
        selectors.volunteers_visible_to(request.user), stage=stage, status=status, query=query
    )
    page = Paginator(volunteers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "volunteers/list.html",
        {
            "volunteers": page.object_list,
            "page_obj": page,
            "query": query,
            "stage": stage,
            "status": status,
            "stages": Stage.choices,
            "statuses": VolunteerStatus.choices,
        },
    )


@login_required
def board(request: AuthedRequest) -> HttpResponse:
    schemes = _require_staff_somewhere(request)
    columns = selectors.pipeline_board(request.user)
    return render(request, "volunteers/board.html", {"columns": columns, "schemes": schemes})


@login_required
@require_http_methods(["GET", "POST"])
def enquiry_create(request: AuthedRequest) -> HttpResponse:
    schemes = _require_staff_somewhere(request)
    form = forms.EnquiryForm(request.POST or None, schemes=schemes)

    def create(data: dict[str, Any]) -> str:
        volunteer = services.volunteer_enquiry_create(actor=request.user, **data)
        messages.success(request, f"The enquiry from {volunteer.full_name} has been recorded.")
        return reverse("volunteers:detail", args=[volunteer.public_id])

    return form_page(
        request,
        form,
        create,
        "volunteers/form.html",
        {"title": "Record an enquiry call", "volunteer": None},
    )


# --- A volunteer's record -----------------------------------------------------------------


@login_required
def detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    volunteer = selectors.volunteer_get_for_user(user=request.user, public_id=public_id)
    log_access(request, volunteer)
    sections = selectors.volunteer_sections(request.user, volunteer)
    can_visit, visit_problems = selectors.volunteer_can_visit(volunteer)
    can_match, match_problems = selectors.volunteer_can_be_matched(volunteer)
    can_drive, drive_problems = selectors.volunteer_can_transport(volunteer)
    context = {
        "volunteer": volunteer,
        "missing": rules.missing_checks(volunteer),
        "actions": services.volunteer_actions(request.user, volunteer),
        "training": rules.latest_training(volunteer),
        "training_modules": [
            (m.label, rules.latest_training(volunteer).get(m.value)) for m in rules.TrainingModule
        ],
        "days_in_stage": selectors.days_in_stage(volunteer),
        "can_visit": can_visit,
        "visit_problems": visit_problems,
        "can_match": can_match,
        "match_problems": match_problems,
        "can_drive": can_drive,
        "drive_problems": drive_problems,
        "due": selectors.what_is_due(volunteer) if volunteer.is_approved else [],
        "history": selectors.volunteer_history(volunteer) if "history" in sections else None,
        "access_log": access_log_for(volunteer) if "history" in sections else None,
    }
    # The panels other apps add to a volunteer's page, e.g. a legal hold (core.registry).
    context.update(registry.record_extras_context("volunteer", request.user, volunteer))
    return render(request, "volunteers/detail.html", context)


def _record_form(
    request: AuthedRequest,
    public_id: str,
    *,
    form_class: Any,
    title: str,
    initial_fields: tuple[str, ...] = (),
    save: Any,
    form_kwargs: Any = None,
    done: str = "The changes have been saved.",
    once: bool = False,
) -> HttpResponse:
    """A form on a volunteer's record. `once` for the forms that add a record (a reference,
    training, a support session: they carry a one-time token); the rest are edits."""
    volunteer = selectors.volunteer_get_for_user(user=request.user, public_id=public_id)
    initial = {f: getattr(volunteer, f) for f in initial_fields}
    extra = form_kwargs(volunteer) if form_kwargs else {}
    form = form_class(request.POST or None, initial=initial, **extra)

    def run(data: dict[str, Any]) -> str:
        save(volunteer, data)
        messages.success(request, done)
        return reverse("volunteers:detail", args=[volunteer.public_id])

    context = {"title": title, "volunteer": volunteer}
    return form_page(request, form, run, "volunteers/form.html", context, once=once)


@login_required
@require_http_methods(["GET", "POST"])
def edit_details(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _record_form(
        request,
        public_id,
        form_class=forms.DetailsForm,
        title="Edit details",
        initial_fields=services.DETAIL_FIELDS,
        save=lambda v, d: services.volunteer_update_details(actor=request.user, volunteer=v, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def move(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _record_form(
        request,
        public_id,
        form_class=forms.MoveForm,
        title="Move to another stage",
        form_kwargs=lambda v: {
            "choices": sorted(services.ALLOWED_MOVES[Stage(v.stage)] - {Stage.APPROVED})
        },
        save=lambda v, d: services.volunteer_move(
            actor=request.user, volunteer=v, to_stage=d["to_stage"], reason=d["reason"]
        ),
        done="The volunteer has been moved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def interview(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _record_form(
        request,
        public_id,
        form_class=forms.InterviewForm,
        title="Record the interview",
        initial_fields=services.INTERVIEW_FIELDS,
        form_kwargs=lambda v: {"staff": selectors.scheme_staff_users(v.scheme_id)},
        save=lambda v, d: services.interview_record(actor=request.user, volunteer=v, **d),
        done="The interview has been recorded.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def checks(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _record_form(
        request,
        public_id,
        form_class=forms.ChecksForm,
        title="Record checks",
        initial_fields=services.CHECK_FIELDS,
        save=lambda v, d: services.checks_record(actor=request.user, volunteer=v, **d),
        done="The checks have been recorded.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def reference_add(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _record_form(
        request,
        public_id,
        form_class=forms.ReferenceForm,
        title="Add a reference",
        save=lambda v, d: services.reference_save(actor=request.user, volunteer=v, **d),
        done="The reference has been saved.",
        once=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reference_edit(request: AuthedRequest, public_id: str, reference_id: str) -> HttpResponse:
    volunteer = selectors.volunteer_get_for_user(user=request.user, public_id=public_id)
    reference = selectors.reference_get(volunteer=volunteer, public_id=reference_id)
    satisfactory = {True: "yes", False: "no", None: ""}[reference.satisfactory]
    initial = {
        "referee_name": reference.referee_name,
        "relationship": reference.relationship,
        "requested_on": reference.requested_on,
        "received_on": reference.received_on,
        "satisfactory": satisfactory,
    }
    form = forms.ReferenceForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> str | HttpResponse | None:
        services.reference_save(
            actor=request.user, volunteer=volunteer, reference=reference, **form.cleaned_data
        )
        messages.success(request, "The reference has been saved.")
        return redirect("volunteers:detail", public_id=volunteer.public_id)

    return form_page(
        request,
        form,
        save,
        "volunteers/form.html",
        {"title": "Edit a reference", "volunteer": volunteer},
        once=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def training(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _record_form(
        request,
        public_id,
        form_class=forms.TrainingForm,
        title="Record training",
        save=lambda v, d: services.training_record(actor=request.user, volunteer=v, **d),
        done="The training has been recorded.",
        once=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sign_off(request: AuthedRequest, public_id: str) -> HttpResponse:
    volunteer = selectors.volunteer_get_for_user(user=request.user, public_id=public_id)
    form = forms.SignOffForm(request.POST or None)

    def decide(data: dict[str, Any]) -> str:
        comment = data["comment"]
        if data["decision"] == "send_back":
            services.signoff_send_back(actor=request.user, volunteer=volunteer, reason=comment)
            done = "Sent back to checks."
        elif volunteer.team_signed_by_id is None:
            services.signoff_team(actor=request.user, volunteer=volunteer, comment=comment)
            done = "Your team manager sign-off has been recorded."
        else:
            services.signoff_service(
                actor=request.user,
                volunteer=volunteer,
                comment=comment,
                base_url=_base_url(request),
            )
            done = (
                "Approved. The letter and certificate are ready, and an invitation has been sent."
            )
        messages.success(request, done)
        return reverse("volunteers:detail", args=[volunteer.public_id])

    context = {
        "volunteer": volunteer,
        "missing": rules.missing_checks(volunteer),
        "actions": services.volunteer_actions(request.user, volunteer),
    }
    return form_page(request, form, decide, "volunteers/sign_off.html", context, once=False)


@login_required
@require_http_methods(["GET", "POST"])
def status(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _record_form(
        request,
        public_id,
        form_class=forms.StatusForm,
        title="Change status",
        initial_fields=("status",),
        save=lambda v, d: services.volunteer_set_status(actor=request.user, volunteer=v, **d),
        done="The status has been changed.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _record_form(
        request,
        public_id,
        form_class=forms.ProfileForm,
        title="Availability, preferences and driving",
        initial_fields=services.PROFILE_FIELDS,
        save=lambda v, d: services.volunteer_update_profile(actor=request.user, volunteer=v, **d),
    )


@login_required
@require_http_methods(["GET", "POST"])
def support(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _record_form(
        request,
        public_id,
        form_class=forms.SupportForm,
        title="Record supervision or group support",
        save=lambda v, d: services.support_session_record(actor=request.user, volunteer=v, **d),
        done="The session has been recorded.",
        once=True,
    )


DOCUMENTS = {"letter": "approval_letter", "certificate": "approval_certificate"}


@login_required
def document(request: AuthedRequest, public_id: str, kind: str) -> FileResponse:
    if kind not in DOCUMENTS:
        raise Http404("No such document")
    volunteer = selectors.volunteer_document_get(user=request.user, public_id=public_id)
    field = getattr(volunteer, DOCUMENTS[kind])
    if not field:
        raise Http404("Not produced yet")
    log_access(request, volunteer, action=f"download_{kind}")
    filename = f"{kind}-{volunteer.reference}.pdf"
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )


# --- The volunteer's own view -------------------------------------------------------------


@login_required
def me(request: AuthedRequest) -> HttpResponse:
    volunteer = selectors.volunteer_for_user(request.user)
    if volunteer is None:
        raise Http404("You have no volunteer record")
    can_visit, visit_problems = selectors.volunteer_can_visit(volunteer)
    context: dict[str, Any] = {
        "volunteer": volunteer,
        "due": selectors.what_is_due(volunteer),
        "can_visit": can_visit,
        "visit_problems": visit_problems,
        "supervisions": list(volunteer.support_sessions.all()),
        "training_modules": [
            (m.label, rules.latest_training(volunteer).get(m.value)) for m in rules.TrainingModule
        ],
    }
    return render(request, "volunteers/me.html", context)


# --- Scheme settings ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def scheme_settings(request: AuthedRequest, slug: str) -> HttpResponse:
    scheme = selectors.managed_scheme_get(user=request.user, slug=slug)
    return settings_page(
        request,
        forms.SchemeSettingsForm,
        settings_for(VolunteerSchemeSettings, scheme),
        lambda **values: services.scheme_settings_update(
            actor=request.user, scheme=scheme, **values
        ),
        done="The settings have been saved.",
        then=reverse("volunteers:board"),
        template="volunteers/form.html",
        context={"title": f"Volunteer settings for {scheme.name}", "volunteer": None},
    )

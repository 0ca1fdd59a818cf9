from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.people_selectors import staff_schemes
from core import access
from core.audit import access_log_for, log_access
from core.http import AuthedRequest
from matches import selectors as match_selectors
from referrals import selectors, services
from referrals.forms import ChildForm


def _form_errors_from(form: ChildForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


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
            "can_add": bool(staff_schemes(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_create(request: AuthedRequest) -> HttpResponse:
    schemes = staff_schemes(request.user)
    if not schemes:
        raise Http404("No scheme where you can add children")
    form = ChildForm(request.POST or None, schemes=schemes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = services.child_create(
                actor=request.user,
                scheme=data["scheme"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
                case_number=data["case_number"],
                social_worker=data.get("social_worker"),
            )
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, f"{child.first_name}'s record has been created.")
            return redirect("children:detail", public_id=child.public_id)
    return render(request, "referrals/child_form.html", {"form": form, "child": None})


@login_required
def child_detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    child = selectors.child_get_for_user(user=request.user, public_id=public_id)
    log_access(request, child)
    is_manager = access.has_role(request.user, child.scheme_id, ["manager"])
    context = {
        "child": child,
        "matches": match_selectors.matches_for_child(user=request.user, child=child),
        "can_edit": selectors.child_can_edit(user=request.user, child=child),
        "is_staff": access.is_staff_in(request.user, child.scheme_id),
        "history": selectors.child_history(child) if is_manager else None,
        "access_log": access_log_for(child) if is_manager else None,
    }
    return render(request, "referrals/child_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def child_edit(request: AuthedRequest, public_id: str) -> HttpResponse:
    child = selectors.child_get_for_user(user=request.user, public_id=public_id)
    if not selectors.child_can_edit(user=request.user, child=child):
        raise Http404("No such child")
    is_staff = access.is_staff_in(request.user, child.scheme_id)
    initial = {
        "first_name": child.first_name,
        "last_name": child.last_name,
        "date_of_birth": child.date_of_birth,
        "case_number": child.case_number,
        "social_worker": child.social_worker_id,
    }
    form = ChildForm(
        request.POST or None,
        initial=initial,
        schemes=[child.scheme],
        fixed_scheme=child.scheme,
        allow_reallocation=is_staff,
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: form.cleaned_data[k] for k in services.CHILD_EDITABLE if k in form.fields}
        try:
            services.child_update(actor=request.user, child=child, **changes)
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, "The changes have been saved.")
            if not selectors.children_visible_to(request.user).filter(pk=child.pk).exists():
                return redirect("children:list")
            return redirect("children:detail", public_id=child.public_id)
    return render(request, "referrals/child_form.html", {"form": form, "child": child})


@login_required
def visit_card(request: AuthedRequest, public_id: str) -> HttpResponse:
    child = selectors.visit_card_get_for_user(user=request.user, public_id=public_id)
    log_access(request, child, action="view_visit_card")
    return render(request, "referrals/visit_card.html", {"child": child})

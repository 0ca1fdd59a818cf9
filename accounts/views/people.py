"""Staff pages for the people of a scheme: list, invite, change role, end a role."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import access
from accounts.forms.people import InviteForm, RoleForm
from accounts.http import AuthedRequest
from accounts.selectors import people as selectors
from accounts.services import people as services
from accounts.sudo import sudo_active, sudo_redirect
from core.forms import add_service_errors
from core.once import submit_once


@login_required
def people_list(request: AuthedRequest, slug: str) -> HttpResponse:
    scheme = selectors.scheme_get_for_staff(user=request.user, slug=slug)
    memberships = list(selectors.memberships_of_scheme(scheme=scheme))
    ceiling = access.highest_rank_in(request.user, scheme)
    for m in memberships:
        # Offer only what the services would allow: never your own role, never one above yours.
        m.can_manage = m.user_id != request.user.pk and m.rank <= ceiling  # type: ignore[attr-defined]
    return render(
        request,
        "accounts/people_list.html",
        {"scheme": scheme, "memberships": memberships},
    )


@login_required
@require_http_methods(["GET", "POST"])
def people_invite(request: AuthedRequest, slug: str) -> HttpResponse:
    scheme = selectors.scheme_get_for_staff(user=request.user, slug=slug)
    roles = services.grantable_roles(actor=request.user, scheme=scheme)
    form = InviteForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        role, level = services.split_role(form.cleaned_data["role"])

        def create() -> str:
            membership = services.membership_invite(
                actor=request.user,
                scheme=scheme,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=role,
                manager_level=level,
                base_url=request.build_absolute_uri("/").rstrip("/"),
            )
            messages.success(
                request,
                f"{membership.user.full_name} has been added as {membership.role_label.lower()}"
                " and emailed a link to sign in.",
            )
            return reverse("people:list", kwargs={"slug": scheme.slug})

        try:
            # A double tap invites once (one membership, one email).
            return redirect(submit_once(request, create).url)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("role", str(exc))
    return render(request, "accounts/people_invite.html", {"scheme": scheme, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def people_change_role(request: AuthedRequest, public_id: str) -> HttpResponse:
    # Who may act comes first (404), then the fresh password: nobody else is asked for it.
    membership = selectors.membership_get_for_staff(user=request.user, public_id=public_id)
    if not sudo_active(request):
        return sudo_redirect(request)
    roles = services.grantable_roles(actor=request.user, scheme=membership.scheme)
    form = RoleForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        role, level = services.split_role(form.cleaned_data["role"])
        try:
            services.membership_change_role(
                actor=request.user, membership=membership, role=role, manager_level=level
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("role", str(exc))
        else:
            messages.success(request, f"{membership.user.full_name}'s role has been changed.")
            return redirect("people:list", slug=membership.scheme.slug)
    return render(request, "accounts/people_role.html", {"membership": membership, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def people_deactivate(request: AuthedRequest, public_id: str) -> HttpResponse:
    """GET asks "are you sure?"; POST ends the role."""
    membership = selectors.membership_get_for_staff(user=request.user, public_id=public_id)
    if not sudo_active(request):
        return sudo_redirect(request)
    if request.method == "GET":
        return render(request, "accounts/people_deactivate.html", {"membership": membership})
    try:
        services.membership_deactivate(actor=request.user, membership=membership)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"{membership.user.full_name} no longer has the role of "
            f"{membership.role_label.lower()} in {membership.scheme.name}.",
        )
    return redirect("people:list", slug=membership.scheme.slug)

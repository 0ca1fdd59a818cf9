"""Staff pages for the people of a scheme: list, invite, change role, end a role."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.forms.people import InviteForm, RoleForm
from accounts.http import AuthedRequest
from accounts.selectors import people as selectors
from accounts.services import people as services
from accounts.sudo import sudo_active, sudo_redirect
from core.forms import form_page


@login_required
def people_list(request: AuthedRequest, slug: str) -> HttpResponse:
    scheme = selectors.scheme_get_for_staff(user=request.user, slug=slug)
    rows = [
        (m, services.membership_actions(request.user, m))
        for m in selectors.memberships_of_scheme(scheme=scheme)
    ]
    return render(request, "accounts/people_list.html", {"scheme": scheme, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def people_invite(request: AuthedRequest, slug: str) -> HttpResponse:
    scheme = selectors.scheme_get_for_staff(user=request.user, slug=slug)
    roles = services.grantable_roles(actor=request.user, scheme=scheme)
    form = InviteForm(request.POST or None, roles=roles)

    def invite(data: dict[str, Any]) -> str:
        role, level = services.split_role(data["role"])
        membership = services.membership_invite(
            actor=request.user,
            scheme=scheme,
            email=data["email"],
            full_name=data["full_name"],
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

    # A double tap invites once (one membership, one email).
    return form_page(
        request, form, invite, "accounts/people_invite.html", {"scheme": scheme},
        refused_field="role",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def people_change_role(request: AuthedRequest, public_id: str) -> HttpResponse:
    # Who may act comes first (404), then the fresh password: nobody else is asked for it.
    membership = selectors.membership_get_for_staff(user=request.user, public_id=public_id)
    if not sudo_active(request):
        return sudo_redirect(request)
    roles = services.grantable_roles(actor=request.user, scheme=membership.scheme)
    form = RoleForm(request.POST or None, roles=roles)

    def change(data: dict[str, Any]) -> str:
        role, level = services.split_role(data["role"])
        services.membership_change_role(
            actor=request.user, membership=membership, role=role, manager_level=level
        )
        messages.success(request, f"{membership.user.full_name}'s role has been changed.")
        return reverse("people:list", kwargs={"slug": membership.scheme.slug})

    return form_page(
        request, form, change, "accounts/people_role.html", {"membership": membership},
        once=False, refused_field="role",
    )  # fmt: skip


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

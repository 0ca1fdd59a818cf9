from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access
from accounts.http import AuthedRequest
from accounts.models import Role
from notifications import selectors, services
from notifications.forms import MonitoringSettingsForm, PreferenceForm


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    form = PreferenceForm(
        request.POST or None, initial={"delivery": selectors.preference_for(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        services.preference_set(actor=request.user, delivery=form.cleaned_data["delivery"])
        messages.success(request, "Saved. Urgent things are always emailed at once.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
def jobs(request: AuthedRequest) -> HttpResponse:
    if not access.scheme_ids_with_role(request.user, [Role.MANAGER]):
        raise Http404("Not found")
    managed = [m.scheme for m in access.memberships(request.user) if m.role == Role.MANAGER]
    return render(
        request,
        "notifications/jobs.html",
        {"runs": selectors.latest_job_runs(), "managed_schemes": managed},
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_settings(request: AuthedRequest, slug: str) -> HttpResponse:
    scheme, current = selectors.managed_scheme_settings(user=request.user, slug=slug)
    form = MonitoringSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.monitoring_settings_save(
            actor=request.user, scheme=scheme, **{k: form.cleaned_data[k] for k in form.fields}
        )
        messages.success(request, "The reminder settings are saved.")
        return redirect("notifications:scheme_settings", slug=scheme.slug)
    return render(request, "notifications/scheme_settings.html", {"form": form, "scheme": scheme})


@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "notifications": page.object_list},
    )


@login_required
@require_POST
def notification_open(request: AuthedRequest, public_id: str) -> HttpResponse:
    notification = selectors.notification_get_for_user(user=request.user, public_id=public_id)
    services.notification_mark_read(user=request.user, notification=notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        target = "notifications:list"
    return redirect(target)

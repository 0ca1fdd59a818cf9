"""Expense claim pages: thin views over expenses.selectors and expenses.services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from accounts import access
from accounts.http import AuthedRequest
from accounts.models import Role
from accounts.sudo import sudo_active, sudo_redirect
from core.forms import form_page, settings_page, submit_form
from core.once import submit_once
from core.schemesettings import settings_for
from core.spreadsheet import csv_writer
from expenses import forms, selectors, services
from expenses.models import ExpenseSettings


def _require_iv(request: AuthedRequest) -> None:
    if Role.INDEPENDENT_VISITOR not in access.roles_of(request.user):
        raise Http404("Not found")


def _require_staff(request: AuthedRequest) -> None:
    if not access.scheme_ids_with_role(request.user, access.STAFF_ROLES):
        raise Http404("Not found")


def _act(request: AuthedRequest, action: Callable[[], Any], done: str) -> bool:
    """Run a service for a one-button action; its refusal becomes a message on the page."""
    try:
        action()
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
        return False
    messages.success(request, done)
    return True


# --- The IV's pages ------------------------------------------------------------------------


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    _require_iv(request)
    today = timezone.localdate()
    months = [
        (m.scheme, selectors.month_status_for(request.user, m.scheme_id, today))
        for m in access.memberships(request.user)
        if m.role == Role.INDEPENDENT_VISITOR
    ]
    page = Paginator(selectors.my_claims(request.user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "expenses/mine.html",
        {"page_obj": page, "claims": page.object_list, "months": months},
    )


@login_required
def start(request: AuthedRequest) -> HttpResponse:
    _require_iv(request)
    visits = selectors.claimable_visits(request.user)
    form = forms.StartClaimForm(request.POST or None, visits=visits)

    def create(data: dict[str, Any]) -> str:
        claim = services.claim_start(actor=request.user, visit=data["visit"])
        return reverse("expenses:item_add", args=[claim.public_id])

    if done := submit_form(request, form, create):
        return done
    if request.method == "POST":
        # A second tab, drawn before the claim was started: carry on with the IV's own claim.
        existing = selectors.own_live_claim_for_visit(request.user, request.POST.get("visit"))
        if existing is not None:
            return redirect("expenses:detail", existing.public_id)
    return render(request, "expenses/start.html", {"form": form, "has_visits": visits.exists()})


@login_required
def detail(request: AuthedRequest, public_id: str) -> HttpResponse:
    claim = selectors.claim_get_for_user(user=request.user, public_id=public_id)
    actions = services.claim_actions(request.user, claim)
    context = selectors.claim_page(claim)
    context.update(
        claim=claim,
        actions=actions,
        sections=selectors.claim_sections(request.user, claim),
        answer_form=forms.AnswerForm() if "answer" in actions else None,
    )
    return render(request, "expenses/detail.html", context)


@login_required
def item_add(request: AuthedRequest, public_id: str) -> HttpResponse:
    claim = selectors.claim_get_own(user=request.user, public_id=public_id)
    if not claim.is_editable:
        messages.error(request, "This claim has been sent and cannot be changed now.")
        return redirect("expenses:detail", claim.public_id)
    form = forms.ItemForm(
        request.POST or None,
        request.FILES or None,
        initial={"spent_on": timezone.localdate(claim.visit.starts_at)},
    )

    def create(data: dict[str, Any]) -> str:
        services.item_add(
            actor=request.user,
            claim=claim,
            category=data["category"],
            spent_on=data["spent_on"],
            description=data["description"],
            amount=data["amount"],
            miles=data["miles"],
            receipt=data["receipt"],
        )
        messages.success(request, "The item has been added to your claim.")
        return reverse("expenses:detail", args=[claim.public_id])

    return form_page(
        request,
        form,
        create,
        "expenses/item_form.html",
        {
            "claim": claim,
            "limits": selectors.limits_for_claim(claim),
            "rate": settings_for(ExpenseSettings, claim.scheme_id).mileage_rate,
        },
    )


@login_required
@require_POST
def item_remove(request: AuthedRequest, public_id: str, item_id: str) -> HttpResponse:
    claim = selectors.claim_get_own(user=request.user, public_id=public_id)
    item = selectors.item_get_for_claim(claim=claim, public_id=item_id)
    _act(
        request,
        lambda: services.item_remove(actor=request.user, item=item),
        "The item has been removed.",
    )
    return redirect("expenses:detail", claim.public_id)


@login_required
@require_POST
def submit(request: AuthedRequest, public_id: str) -> HttpResponse:
    claim = selectors.claim_get_own(user=request.user, public_id=public_id)
    _act(
        request,
        lambda: services.claim_submit(actor=request.user, claim=claim),
        "Your claim has been sent to your coordinator.",
    )
    return redirect("expenses:detail", claim.public_id)


@login_required
@require_POST
def answer(request: AuthedRequest, public_id: str) -> HttpResponse:
    claim = selectors.claim_get_own(user=request.user, public_id=public_id)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        _act(
            request,
            lambda: services.query_answer(
                actor=request.user, claim=claim, answer=form.cleaned_data["answer"]
            ),
            "Your answer has been saved. Send the claim again when you are ready.",
        )
    else:
        messages.error(request, "Write your answer.")
    return redirect("expenses:detail", claim.public_id)


@login_required
def receipt(request: AuthedRequest, item_id: str) -> FileResponse:
    item = selectors.item_get_for_user(user=request.user, public_id=item_id)
    ext = item.receipt.name.rsplit(".", 1)[-1]
    response = FileResponse(
        item.receipt.open("rb"),
        as_attachment=ext == "pdf",
        filename=f"receipt-{item.public_id}.{ext}",
        content_type=item.receipt_content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Pre-authorisation ---------------------------------------------------------------------


@login_required
def preauths(request: AuthedRequest) -> HttpResponse:
    sections = selectors.preauth_sections(request.user)
    if not sections:
        raise Http404("Not found")
    return render(
        request,
        "expenses/preauths.html",
        {
            "mine": list(selectors.my_preauths(request.user)) if "mine" in sections else [],
            "waiting": list(selectors.preauth_queue(request.user)) if "waiting" in sections else [],
            "sections": sections,
        },
    )


@login_required
def preauth_new(request: AuthedRequest) -> HttpResponse:
    _require_iv(request)
    visits = selectors.upcoming_visits(request.user)
    form = forms.PreAuthRequestForm(request.POST or None, visits=visits)

    def create(data: dict[str, Any]) -> str:
        preauth = services.preauth_request(actor=request.user, **data)
        messages.success(
            request, f"Your request {preauth.reference} has been sent to your coordinator."
        )
        return reverse("expenses:preauths")

    if done := submit_form(request, form, create):
        return done
    return render(request, "expenses/preauth_form.html", {"form": form})


@login_required
def preauth_decide(request: AuthedRequest, public_id: str) -> HttpResponse:
    preauth = selectors.preauth_get_for_staff(user=request.user, public_id=public_id)
    form = forms.PreAuthDecisionForm(request.POST or None)

    def decide(data: dict[str, Any]) -> str:
        services.preauth_decide(
            actor=request.user,
            preauth=preauth,
            grant=data["decision"] == "grant",
            note=data["note"],
        )
        messages.success(request, f"Your decision on {preauth.reference} has been recorded.")
        return reverse("expenses:preauths")

    return form_page(
        request, form, decide, "expenses/preauth_decide.html", {"preauth": preauth}, once=False
    )


# --- Staff: the queue and decisions --------------------------------------------------------


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    _require_staff(request)
    page = Paginator(selectors.claim_queue(request.user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "expenses/queue.html",
        {
            "page_obj": page,
            "claims": page.object_list,
            "preauth_count": selectors.preauth_queue(request.user).count(),
        },
    )


@login_required
@require_POST
def approve(request: AuthedRequest, public_id: str) -> HttpResponse:
    claim = selectors.claim_get_for_staff(user=request.user, public_id=public_id)
    if _act(
        request,
        lambda: services.claim_approve(actor=request.user, claim=claim),
        "The claim has been approved.",
    ):
        return redirect("expenses:queue")
    return redirect("expenses:detail", claim.public_id)


def _decision_page(
    request: AuthedRequest,
    public_id: str,
    form_class: Any,
    save: Callable[[Any, dict[str, Any]], Any],
    title: str,
    submit_label: str,
    done: str,
) -> HttpResponse:
    claim = selectors.claim_get_for_staff(user=request.user, public_id=public_id)
    kwargs: dict[str, Any] = {"items": claim.items.all()} if form_class is forms.QueryForm else {}
    form = form_class(request.POST or None, **kwargs)

    def decide(data: dict[str, Any]) -> str:
        save(claim, data)
        messages.success(request, done)
        return reverse("expenses:queue")

    context = {"claim": claim, "title": title, "submit_label": submit_label}
    return form_page(request, form, decide, "expenses/decision.html", context, once=False)


@login_required
def query(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _decision_page(
        request,
        public_id,
        forms.QueryForm,
        lambda c, d: services.claim_query(
            actor=request.user, claim=c, question=d["question"], item=d["item"]
        ),
        "Ask the IV a question",
        "Send the question",
        "Your question has been sent to the IV.",
    )


@login_required
def reject(request: AuthedRequest, public_id: str) -> HttpResponse:
    return _decision_page(
        request,
        public_id,
        forms.RejectForm,
        lambda c, d: services.claim_reject(actor=request.user, claim=c, reason=d["reason"]),
        "Reject the claim",
        "Reject the claim",
        "The claim has been rejected.",
    )


# --- Finance -------------------------------------------------------------------------------


def _month_from(form: forms.MonthFilter) -> date:
    """The month asked for, or this month when none was (or a bad one was: the form says why)."""
    month = form.cleaned_data.get("month") if form.is_valid() else None
    return month or timezone.localdate().replace(day=1)


@login_required
def finance(request: AuthedRequest) -> HttpResponse:
    _require_staff(request)
    month_form = forms.MonthFilter(request.GET or None)
    month = _month_from(month_form)
    page = Paginator(selectors.batches_visible_to(request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "expenses/finance.html",
        {
            "waiting": selectors.approved_unpaid_summary(request.user),
            "page_obj": page,
            "batches": page.object_list,
            "month": month,
            "month_form": month_form,
            "totals": selectors.monthly_totals(request.user, month),
        },
    )


@login_required
@require_POST
def export(request: AuthedRequest, slug: str) -> HttpResponse:
    scheme = selectors.staff_scheme_get(user=request.user, slug=slug)
    if not sudo_active(request):
        # Back to the finance page afterwards: this URL only answers POST.
        finance_url = reverse("expenses:finance")
        return redirect(f"{reverse('accounts:sudo')}?{urlencode({'next': finance_url})}")

    def create() -> str:
        batch = services.batch_create(actor=request.user, scheme=scheme)
        messages.success(
            request, f"Payment batch {batch.reference} has been made. Download it below."
        )
        return reverse("expenses:batch", args=[batch.public_id])

    try:
        # A second tap is shown the batch the first one made, not "no claims waiting".
        return redirect(submit_once(request, create).url)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("expenses:finance")


@login_required
def batch(request: AuthedRequest, public_id: str) -> HttpResponse:
    found = selectors.batch_get_for_user(user=request.user, public_id=public_id)
    form = forms.BatchPaidForm(request.POST or None, initial={"paid_on": timezone.localdate()})

    def save(data: dict[str, Any]) -> str | HttpResponse | None:
        services.batch_mark_paid(
            actor=request.user, batch=found, paid_on=form.cleaned_data["paid_on"]
        )
        messages.success(request, f"Batch {found.reference} is marked as paid.")
        return redirect("expenses:batch", found.public_id)

    return form_page(
        request,
        form,
        save,
        "expenses/batch.html",
        {"batch": found, "claims": selectors.batch_claims(found)},
        once=False,
    )


@login_required
def batch_csv(request: AuthedRequest, public_id: str) -> HttpResponse:
    found = selectors.batch_get_for_user(user=request.user, public_id=public_id)
    if not sudo_active(request):
        return sudo_redirect(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="expenses-{found.reference}.csv"'
    writer = csv_writer(response)
    writer.writerow(
        ["Batch", "Claim", "Independent visitor", "Email", "Visit date", "Items", "Amount",
         "Pre-authorisation", "Approved on"]
    )  # fmt: skip
    totals: dict[str, Decimal] = {}
    for c in selectors.batch_claims(found):
        name = c.volunteer.full_name
        totals[name] = totals.get(name, Decimal("0.00")) + c.total
        writer.writerow(
            [
                found.reference, c.public_id, name, c.volunteer.email,
                timezone.localdate(c.visit.starts_at).isoformat(), getattr(c, "item_count", 0),
                f"{c.total:.2f}", c.pre_authorisation.reference if c.pre_authorisation else "",
                timezone.localdate(c.decided_at).isoformat() if c.decided_at else "",
            ]
        )  # fmt: skip
    writer.writerow([])
    writer.writerow(["Totals per volunteer"])
    for name, total in sorted(totals.items()):
        writer.writerow(["", "", name, "", "", "", f"{total:.2f}", "", ""])
    writer.writerow(["", "", "All", "", "", "", f"{found.total:.2f}", "", ""])
    return response


@login_required
def scheme_settings(request: AuthedRequest, slug: str) -> HttpResponse:
    scheme = selectors.managed_scheme_get(user=request.user, slug=slug)
    return settings_page(
        request,
        forms.SettingsForm,
        settings_for(ExpenseSettings, scheme.pk),
        lambda **values: services.settings_update(actor=request.user, scheme=scheme, **values),
        done="The expense limits have been saved.",
        then=reverse("expenses:finance"),
        template="expenses/settings.html",
        context={"scheme": scheme},
    )

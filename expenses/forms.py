"""Phone-first forms: one item at a time, plain English, nothing typed is lost on an error."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from core.forms import MonthField, PlausibleDateField
from core.once import OnceFormMixin
from expenses.models import Category, ClaimItem
from expenses.uploads import CheckedReceipt, check_receipt
from visits.models import Visit


def _text_box(label: str, *, required: str) -> forms.CharField:
    """A short free-text answer (three lines), with what to say when it is left empty."""
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": required}
    )


def _offer(field: Any, queryset: Any, label: Callable[[Any], str]) -> None:
    """Give a choice field its records (already scoped to the person) and how each reads."""
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    field.label_from_instance = label  # type: ignore[method-assign,assignment]


def _pounds_box(label: str, *, required: bool = True, **options: Any) -> forms.DecimalField:
    """An amount in pounds and pence, typed on a phone's number keyboard."""
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **options,
    )


class _OffersVisits(forms.Form):
    """A form whose `visit` field offers the person's visits (already scoped by the view)."""

    def __init__(self, *args: Any, visits: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(
            self.fields["visit"],
            visits,
            lambda v: (
                f"{timezone.localtime(v.starts_at):%-d %b %Y} with {v.match.child.first_name}"
            ),
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # The browser's date picker reads and writes ISO dates only.
        super().__init__(attrs, format="%Y-%m-%d")


class StartClaimForm(OnceFormMixin, _OffersVisits):
    visit = forms.ModelChoiceField(
        label="Which visit is this claim for?",
        queryset=Visit.objects.none(),
        empty_label="Choose a visit",
        error_messages={"required": "Choose the visit you are claiming for."},
    )


class ItemForm(OnceFormMixin, forms.Form):
    category = forms.ChoiceField(
        label="What did you spend it on?",
        choices=[("", "Choose one"), *Category.choices],
        error_messages={"required": "Choose what you spent it on."},
    )
    spent_on = PlausibleDateField(
        label="Date",
        widget=DateInput,
        error_messages={
            "required": "Enter the date you spent it.",
            "invalid": "Enter a real date, for example 14 3 2026.",
        },
    )
    amount = _pounds_box(
        "Amount in pounds",
        required=False,
        help_text="For example 4.50. Leave empty for mileage: we work it out from the miles.",
        error_messages={
            "invalid": "Enter an amount in pounds and pence, for example 4.50.",
            "max_decimal_places": "Use at most two numbers after the point, for example 4.50.",
            "min_value": "The amount must be more than zero.",
        },
    )
    miles = forms.DecimalField(
        label="Miles driven (mileage only)",
        required=False,
        max_digits=6,
        decimal_places=1,
        min_value=Decimal("0.1"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": "Enter the miles as a number, for example 12.5."},
    )
    description = forms.CharField(
        label="Details (optional)", required=False, max_length=200,
        help_text="For example: hot chocolate for two at the leisure centre.",
    )  # fmt: skip
    receipt = forms.FileField(
        label="Photo or PDF of the receipt",
        required=False,
        help_text="Not needed for mileage. A photo from your phone is fine.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def clean_receipt(self) -> CheckedReceipt | None:
        upload = self.cleaned_data.get("receipt")
        if not upload:
            return None
        return check_receipt(upload)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        category = data.get("category")
        if category == Category.MILEAGE:
            if not data.get("miles") and "miles" not in self.errors:
                self.add_error("miles", "Enter how many miles you drove.")
        elif category:
            if data.get("amount") is None and "amount" not in self.errors:
                self.add_error("amount", "Enter the amount in pounds, for example 4.50.")
            if data.get("receipt") is None and "receipt" not in self.errors:
                self.add_error("receipt", "Add a photo or PDF of the receipt.")
        return data


class AnswerForm(forms.Form):
    answer = _text_box("Your answer", required="Write your answer.")


class QueryForm(forms.Form):
    item = forms.ModelChoiceField(
        label="Which item is it about? (optional)",
        queryset=ClaimItem.objects.none(),
        required=False,
        empty_label="The whole claim",
    )
    question = _text_box("Your question to the IV", required="Write your question.")

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer(
            self.fields["item"],
            items,
            lambda i: f"{i.get_category_display()} £{i.amount} on {i.spent_on:%-d %b}",
        )


class RejectForm(forms.Form):
    reason = _text_box("Why is the claim rejected?", required="Say why the claim is rejected.")


class PreAuthRequestForm(OnceFormMixin, _OffersVisits):
    visit = forms.ModelChoiceField(
        label="Which visit?",
        queryset=Visit.objects.none(),
        empty_label="Choose a visit",
        error_messages={"required": "Choose the visit."},
    )
    amount = _pounds_box(
        "Total you expect to spend, in pounds",
        error_messages={
            "required": "Enter the total you expect to spend.",
            "invalid": "Enter an amount in pounds and pence, for example 40.00.",
        },
    )
    reason = _text_box("What it is for", required="Say what the money is for.")


class PreAuthDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("grant", "Grant"), ("refuse", "Refuse")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose grant or refuse."},
    )
    note = forms.CharField(
        label="Note to the IV (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BatchPaidForm(forms.Form):
    paid_on = PlausibleDateField(
        label="Date paid",
        widget=DateInput,
        error_messages={"required": "Enter the date the batch was paid."},
    )


class SettingsForm(forms.Form):
    mileage_rate = forms.DecimalField(
        label="Mileage rate, pounds a mile", max_digits=4, decimal_places=2, min_value=0
    )
    per_visit_limit = forms.DecimalField(
        label="Limit for one visit, in pounds", max_digits=8, decimal_places=2, min_value=0
    )
    monthly_limit = forms.DecimalField(
        label="Limit for one month, in pounds", max_digits=8, decimal_places=2, min_value=0
    )


class MonthFilter(forms.Form):
    """The month of the finance page's totals, as an <input type="month"> sends it (2026-06)."""

    month = MonthField(
        label="Month",
        required=False,
        error_messages={"invalid": "Enter a month such as 2026-06."},
    )

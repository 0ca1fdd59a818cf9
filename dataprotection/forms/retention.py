"""Forms of the retention pages: a scheme's period for a type of record, a legal hold, lifting
it. Plain English; a refusal is shown next to its field and what was typed is kept."""

from __future__ import annotations

from django import forms

from core.once import OnceFormMixin
from dataprotection.models import HoldReason


class RetentionRuleForm(forms.Form):
    years = forms.IntegerField(
        label="Years",
        min_value=0,
        max_value=200,
        error_messages={
            "required": "Enter the number of years (0 if none).",
            "invalid": "Enter a whole number of years.",
            "min_value": "Enter 0 or more years.",
            "max_value": "Enter 200 years or fewer.",
        },
    )
    months = forms.IntegerField(
        label="Months",
        min_value=0,
        max_value=11,
        help_text="0 to 11: 12 months is a year.",
        error_messages={
            "required": "Enter the number of months (0 if none).",
            "invalid": "Enter a whole number of months.",
            "min_value": "Enter 0 or more months.",
            "max_value": "Enter between 0 and 11 months (12 months is a year).",
        },
    )


class HoldForm(OnceFormMixin, forms.Form):
    reason_kind = forms.ChoiceField(
        label="Why must the records be kept?",
        choices=[("", "Choose a reason"), *HoldReason.choices],
        error_messages={"required": "Choose why the records must be kept."},
    )
    reason = forms.CharField(
        label="Details",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example the claim, inquiry or police reference, and who asked.",
        error_messages={"required": "Say what the hold is for."},
    )


class LiftHoldForm(forms.Form):
    lift_reason = forms.CharField(
        label="Why is the hold lifted?",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: the claim was settled on 3 March; the solicitor confirmed.",
        error_messages={"required": "Say why the hold is lifted."},
    )

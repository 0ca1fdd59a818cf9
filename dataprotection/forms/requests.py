"""Forms of subject access requests: plain English labels, and nothing typed is lost."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import User
from core.forms import PastDateField, PlausibleDateField
from core.once import OnceFormMixin

DATE = {"type": "date"}


class CoordinatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class RequestCreateForm(OnceFormMixin, forms.Form):
    requester_name = forms.CharField(label="Who asked", max_length=200)
    requester_relationship = forms.CharField(
        label="Their relationship to the person",
        max_length=200,
        initial="The person themselves",
        help_text="For example the person themselves, their solicitor, a parent with consent.",
    )
    received_on = PastDateField(
        label="Received on",
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        help_text="The request is due one calendar month after this date.",
    )
    assigned_to = CoordinatorChoiceField(
        label="Coordinator preparing it",
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label="Nobody yet",
    )

    def __init__(self, *args: Any, coordinators: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("received_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        _coordinator_choices(self.fields["assigned_to"], coordinators)

    def clean_received_on(self) -> Any:
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date received cannot be in the future.")
        return day


def _coordinator_choices(field: Any, coordinators: list[Any]) -> None:
    field.queryset = User.objects.filter(pk__in=[u.pk for u in coordinators]).order_by(
        "full_name", "email"
    )


class ExtendForm(forms.Form):
    new_due_on = PlausibleDateField(
        kind="plan",
        label="New due date",
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        help_text="At most three months after the request was received.",
    )
    reason = forms.CharField(
        label="Why it needs longer",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example, the request is complex or there are several requests.",
    )


class AssignForm(forms.Form):
    assigned_to = CoordinatorChoiceField(
        label="Coordinator preparing it",
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label="Nobody",
    )

    def __init__(self, *args: Any, coordinators: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _coordinator_choices(self.fields["assigned_to"], coordinators)


class RedactForm(forms.Form):
    item_key = forms.CharField(max_length=120, widget=forms.HiddenInput)
    reason = forms.CharField(label="Why", max_length=300, required=False)
    action = forms.ChoiceField(
        choices=[("withhold", "Withhold"), ("release", "Include again")], widget=forms.HiddenInput
    )

"""Forms for planning, cancelling and reporting on visits. Plain English; a form that fails
keeps everything that was typed (the bound form re-renders it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone

from core.forms import PlausibleDateField
from core.once import OnceFormMixin
from visits.models import CancelledBy, ContactKind, Platform


class PlanVisitForm(OnceFormMixin, forms.Form):
    date = PlausibleDateField(
        kind="plan", label="Date", widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(label="Start time", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(
        label="Expected end time", widget=forms.TimeInput(attrs={"type": "time"})
    )
    kind = forms.ChoiceField(
        label="Kind of contact",
        choices=ContactKind.choices,
        initial=ContactKind.FACE_TO_FACE,
        widget=forms.RadioSelect,
    )
    platform = forms.ModelChoiceField(
        label="Platform (for a video call or messages)",
        queryset=Platform.objects.none(),
        required=False,
        empty_label="Choose a platform",
        help_text=(
            "Each platform has a minimum age. You cannot choose one the child is too young for."
        ),
    )
    place = forms.CharField(label="Where", max_length=200, required=False)
    activity = forms.CharField(label="What you plan to do", max_length=200, required=False)
    named_person_name = forms.CharField(
        label="Your named person",
        max_length=200,
        required=False,
        help_text="Someone who knows where you are and expects to hear from you when you are back.",
    )
    named_person_phone = forms.CharField(
        label="Your named person's phone",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, platforms: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["platform"]
        if platforms is not None and isinstance(field, forms.ModelChoiceField):
            field.queryset = platforms

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError("Choose today or a day in the future.")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            tz = timezone.get_current_timezone()
            data["starts_at"] = timezone.make_aware(datetime.combine(day, start), tz)
            data["expected_end"] = timezone.make_aware(datetime.combine(day, end), tz)
            if end <= start:
                self.add_error("end_time", "The expected end must be after the start.")
        return data


class CancelVisitForm(forms.Form):
    cancelled_by = forms.ChoiceField(
        label="Who cancelled the visit?", choices=CancelledBy.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Why was it cancelled?", widget=forms.Textarea(attrs={"rows": 3})
    )
    carer_sanction = forms.TypedChoiceField(
        label="If the carer cancelled: was it because of the child's behaviour?",
        help_text=(
            "Carers must not cancel visits as a punishment. If they did, we tell the coordinator."
        ),
        choices=[("", "Not the carer"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cancelled_by") == CancelledBy.CARER and data.get("carer_sanction") is None:
            self.add_error(
                "carer_sanction", "Say whether the carer cancelled it because of behaviour."
            )
        return data


class ReportForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    what_we_did = forms.CharField(
        label="What did you do together?", widget=forms.Textarea(attrs={"rows": 4})
    )
    how_child_seemed = forms.CharField(
        label="How did the child seem?", widget=forms.Textarea(attrs={"rows": 3})
    )
    child_wants = forms.CharField(
        label="What does the child want, or what did they say?",
        help_text="In their words if you can.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    follow_up = forms.CharField(
        label="Anything to follow up?", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    expenses_to_claim = forms.BooleanField(label="I have expenses to claim", required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label="Add to this report", widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    text = forms.CharField(label="Reply to the IV", widget=forms.Textarea(attrs={"rows": 3}))


class PlatformForm(OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Platform
        fields = ["name", "minimum_age", "is_active"]

"""Forms for the volunteer pages: plain English labels, and never losing what was typed (a
bound form re-renders every value)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import User
from core.forms import PlausibleDateField
from core.once import OnceFormMixin
from volunteers.models import (
    ChildGender,
    InterviewOutcome,
    Stage,
    SupportKind,
    TrainingModule,
    VolunteerStatus,
)


class DateInput(forms.DateInput):
    input_type = "date"


def _date(
    label: str, required: bool = False, help_text: str = "", kind: str = "any"
) -> forms.DateField:
    return PlausibleDateField(
        label=label, required=required, widget=DateInput, help_text=help_text, kind=kind
    )


def _not_future(value: Any) -> Any:
    if value and value > timezone.localdate():
        raise forms.ValidationError("The date cannot be in the future.")
    return value


class ApplicationForm(OnceFormMixin, forms.Form):
    first_name = forms.CharField(
        label="First name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label="Surname",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    date_of_birth = _date(
        "Date of birth", required=True, help_text="You must be 18 or over.", kind="adult_birth"
    )
    area = forms.CharField(
        label="Postcode district",
        max_length=8,
        help_text="The first part of your postcode, for example NE3",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    motivation = forms.CharField(
        label="Why would you like to be an independent visitor?",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    available_weekdays = forms.BooleanField(label="I can visit on weekdays", required=False)
    available_evenings = forms.BooleanField(label="I can visit in the evenings", required=False)
    available_weekends = forms.BooleanField(label="I can visit at weekends", required=False)
    consent_to_checks = forms.BooleanField(
        label=(
            "I agree to an enhanced DBS check with the children's barred list, statutory "
            "checks and two references being taken up"
        ),
        error_messages={
            "required": "Tick the box to agree to the checks; we cannot go on without them."
        },
    )

    def clean_date_of_birth(self) -> Any:
        born = self.cleaned_data["date_of_birth"]
        today = timezone.localdate()
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        if age < 18:
            raise forms.ValidationError("Independent visitors must be 18 or over.")
        return born


class EnquiryForm(OnceFormMixin, forms.Form):
    scheme = forms.ChoiceField(label="Scheme")
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Surname", max_length=100)
    email = forms.EmailField(label="Email address")
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    enquiry_notes = forms.CharField(
        label="Notes from the call", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, schemes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schemes = {s.slug: s for s in schemes}
        if len(schemes) == 1:
            del self.fields["scheme"]
        else:
            self.fields["scheme"].choices = [(s.slug, s.name) for s in schemes]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        slug = data.get("scheme") or next(iter(self.schemes))
        data["scheme"] = self.schemes[slug]
        return data


class DetailsForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Surname", max_length=100)
    email = forms.EmailField(label="Email address")
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    date_of_birth = _date("Date of birth", kind="adult_birth")
    area = forms.CharField(label="Postcode district", max_length=8, required=False)


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(label="Move to")
    reason = forms.CharField(
        label="Reason",
        required=False,
        help_text="Needed when they are not proceeding or are sent back.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, choices: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(c, Stage(c).label) for c in choices]  # type: ignore[attr-defined]


class InterviewForm(forms.Form):
    interview_on = _date("Interview date", required=True)
    interviewer = forms.ModelChoiceField(label="Interviewer", queryset=User.objects.none())
    interview_outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Not decided yet"), *InterviewOutcome.choices],
        required=False,
    )
    interview_notes = forms.CharField(
        label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interviewer"].queryset = staff  # type: ignore[attr-defined]


class ChecksForm(forms.Form):
    dbs_certificate_number = forms.RegexField(
        label="Enhanced DBS certificate number",
        regex=r"^\d{12}$",
        required=False,
        help_text="The 12 digits on the certificate. Do not upload or copy the certificate.",
        error_messages={"invalid": "Enter the 12 digits of the certificate number."},
    )
    dbs_issued_on = _date("DBS issue date")
    dbs_barred_list_checked = forms.BooleanField(
        label="The children's barred list was checked", required=False
    )
    dbs_update_service = forms.BooleanField(
        label="Subscribed to the DBS Update Service", required=False
    )
    dbs_status_checked_on = _date("Last Update Service status check")
    statutory_checks_on = _date("Statutory checks completed on")
    identity_checked_on = _date("Identity checked on")
    no_connection_declared_on = _date(
        "Declared no connection to the local authority on",
        help_text="Elected members, employees and their households cannot be independent visitors.",
    )
    code_of_conduct_accepted_on = _date("Code of conduct accepted on")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in (
            "dbs_issued_on",
            "dbs_status_checked_on",
            "statutory_checks_on",
            "identity_checked_on",
            "no_connection_declared_on",
            "code_of_conduct_accepted_on",
        ):
            value = data.get(name)
            if value and value > timezone.localdate():
                self.add_error(name, "The date cannot be in the future.")
        if data.get("dbs_certificate_number") and not data.get("dbs_issued_on"):
            self.add_error("dbs_issued_on", "Enter the date the certificate was issued.")
        return data


class ReferenceForm(OnceFormMixin, forms.Form):
    referee_name = forms.CharField(label="Referee's name", max_length=200)
    relationship = forms.CharField(label="Relationship to the volunteer", max_length=200)
    requested_on = _date("Requested on")
    received_on = _date("Received on")
    satisfactory = forms.TypedChoiceField(
        label="Satisfactory?",
        choices=[("", "Not yet known"), ("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
    )


class TrainingForm(OnceFormMixin, forms.Form):
    module = forms.ChoiceField(label="Module", choices=TrainingModule.choices)
    completed_on = _date("Completed on", required=True)

    def clean_completed_on(self) -> Any:
        return _not_future(self.cleaned_data["completed_on"])


class SignOffForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("sign", "Sign off"), ("send_back", "Send back to checks")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        help_text="Required when sending it back: say what needs doing.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "send_back" and not data.get("comment", "").strip():
            self.add_error("comment", "Give the reason for sending it back.")
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=VolunteerStatus.choices)
    reason = forms.CharField(
        label="Reason",
        required=False,
        help_text="Needed for suspended and left.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("status") in (VolunteerStatus.SUSPENDED, VolunteerStatus.LEFT)
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", "Give the reason.")
        return data


class ProfileForm(forms.Form):
    available_weekdays = forms.BooleanField(label="Available on weekdays", required=False)
    available_evenings = forms.BooleanField(label="Available in the evenings", required=False)
    available_weekends = forms.BooleanField(label="Available at weekends", required=False)
    interests = forms.CharField(label="Interests", max_length=500, required=False)
    languages = forms.CharField(label="Languages", max_length=200, required=False)
    area = forms.CharField(label="Postcode district", max_length=8, required=False)
    prefers_age_from = forms.IntegerField(
        label="Child's age from", min_value=5, max_value=25, required=False
    )
    prefers_age_to = forms.IntegerField(
        label="Child's age to", min_value=5, max_value=25, required=False
    )
    prefers_child_gender = forms.ChoiceField(
        label="Gender of child", choices=ChildGender.choices, required=False
    )
    drives = forms.BooleanField(
        label="Will drive a child (needs business car insurance)", required=False
    )
    insurer = forms.CharField(label="Business car insurer", max_length=200, required=False)
    insurance_expires_on = _date("Insurance expiry date")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        frm, to = data.get("prefers_age_from"), data.get("prefers_age_to")
        if frm is not None and to is not None and frm > to:
            self.add_error("prefers_age_to", "The upper age must not be below the lower age.")
        if data.get("insurer") and not data.get("insurance_expires_on"):
            self.add_error("insurance_expires_on", "Enter the date the insurance expires.")
        return data


class SupportForm(OnceFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=SupportKind.choices)
    held_on = _date("Date", required=True)
    attended = forms.BooleanField(label="Attended", required=False, initial=True)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SchemeSettingsForm(forms.Form):
    dbs_renewal_years = forms.IntegerField(
        label="DBS renewal every (years)", min_value=1, max_value=10
    )
    training_refresh_years = forms.IntegerField(
        label="Training refresher every (years)", min_value=1, max_value=10
    )
    supervision_interval_weeks = forms.IntegerField(
        label="Supervision every (weeks)", min_value=1, max_value=52
    )

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import Role, Scheme, User
from complaints.models import PERSON_SUBJECTS, Channel, Finding, Relationship, Subject
from complaints.selectors import staff_choices
from complaints.services import STAGE_2_MAX_DAYS, _check_subject_user
from core.forms import PastDateField, PlausibleDateField, add_service_errors
from core.once import OnceFormMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today_help() -> str:
    return "For example 17/05/2026"


class _ComplainantFields(forms.Form):
    complainant_name = forms.CharField(label="Your name", max_length=200)
    complainant_relationship = forms.ChoiceField(
        label="Who are you?", choices=Relationship.choices, widget=forms.RadioSelect
    )
    on_behalf_of = forms.CharField(
        label="If you are complaining for someone else, their first name",
        max_length=200,
        required=False,
    )
    complainant_email = forms.EmailField(label="Email address", required=False)
    complainant_phone = forms.CharField(label="Phone number", max_length=40, required=False)
    complainant_address = forms.CharField(
        label="Postal address", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    subject = forms.ChoiceField(
        label="Who is your complaint about?", choices=Subject.choices, widget=forms.RadioSelect
    )
    subject_name = forms.CharField(
        label="Their name, if you know it", max_length=200, required=False
    )
    details = forms.CharField(
        label="What happened?",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Say what happened, when, and who was involved.",
    )
    desired_outcome = forms.CharField(
        label="What would put it right?", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (
            data.get("complainant_email")
            or data.get("complainant_phone")
            or data.get("complainant_address")
        ) and not self.has_error("complainant_email"):
            self.add_error(
                "complainant_email",
                "Give at least one way for us to reply: an email address, a phone number or "
                "an address.",
            )
        return data


class PublicComplaintForm(OnceFormMixin, _ComplainantFields):
    """The form anyone can send without an account."""


class StaffComplaintForm(OnceFormMixin, _ComplainantFields):
    """A complaint received by phone, email, letter or in person, recorded by staff."""

    scheme = forms.ModelChoiceField(label="Scheme", queryset=Scheme.objects.none())
    received_on = PastDateField(label="Date received", widget=DATE, help_text=_today_help())
    channel = forms.ChoiceField(label="How was it received?", choices=Channel.choices)
    subject_user = forms.ModelChoiceField(
        label="The member of staff or independent visitor it is about",
        queryset=User.objects.none(),
        required=False,
    )

    field_order = ["scheme", "received_on", "channel"]

    def __init__(self, *args: Any, schemes: list[Scheme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["complainant_name"].label = "Complainant's name"
        self.fields["complainant_relationship"].label = "Who is complaining?"
        self.fields["on_behalf_of"].label = "Made on behalf of (first name), if anyone"
        self.fields["subject"].label = "Who is it about?"
        self.fields["subject_name"].label = "Name given for the person it is about"
        self.fields["details"].label = "What the complaint is about"
        self.fields["desired_outcome"].label = "What would put it right"
        self.fields["channel"].choices = (  # type: ignore[attr-defined]
            [c for c in Channel.choices if c[0] != Channel.PUBLIC_FORM]
        )
        self.fixed_scheme: Scheme | None = None
        if len(schemes) == 1:
            del self.fields["scheme"]
            self.fixed_scheme = schemes[0]
        else:
            self.fields["scheme"].queryset = Scheme.objects.filter(  # type: ignore[attr-defined]
                pk__in=[s.pk for s in schemes]
            )

        people = User.objects.none()
        for scheme in schemes:
            people = people | staff_choices(scheme, SUBJECT_PEOPLE_ROLES)
        self.fields["subject_user"].queryset = people.distinct().order_by("full_name")  # type: ignore[attr-defined]

    def clean_received_on(self) -> Any:
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date received cannot be in the future.")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        scheme = self.fixed_scheme or data.get("scheme")
        data["scheme"] = scheme
        person = data.get("subject_user")
        subject = data.get("subject")
        if subject == Subject.COORDINATOR and person is None:
            self.add_error("subject_user", "Choose the coordinator it is about.")
        elif subject == Subject.STAFF and person is None:
            self.add_error("subject_user", "Choose the member of staff it is about.")
        elif person is not None and scheme is not None and subject:
            try:
                _check_subject_user(scheme, subject, person)
            except forms.ValidationError as exc:
                add_service_errors(self, exc)
        return data


class _OnForm(OnceFormMixin, forms.Form):
    on = PlausibleDateField(label="Date", widget=DATE, help_text=_today_help())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)


# Everyone a complaint can be about (a member of staff or an IV).
SUBJECT_PEOPLE_ROLES: list[str] = [
    Role.COORDINATOR,
    Role.MANAGER,
    Role.COMPLAINTS_MANAGER,
    Role.DATA_PROTECTION_OFFICER,
    Role.INDEPENDENT_VISITOR,
]


class AcknowledgeForm(_OnForm):
    handler = forms.ModelChoiceField(
        label="Responsible manager for stage 1", queryset=User.objects.none()
    )

    def __init__(self, *args: Any, managers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "Date of acknowledgement"
        self.fields["handler"].queryset = managers  # type: ignore[attr-defined]


class ExtendForm(OnceFormMixin, forms.Form):
    reason = forms.CharField(
        label="Reason for the extension", widget=forms.Textarea(attrs={"rows": 3})
    )
    working_days = forms.IntegerField(
        label="New total of working days",
        min_value=26,
        max_value=STAGE_2_MAX_DAYS,
        required=False,
        help_text=f"Stage 2 can run to at most {STAGE_2_MAX_DAYS} working days.",
    )

    def __init__(self, *args: Any, stage_number: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if stage_number == 1:
            del self.fields["working_days"]
        else:
            self.fields["working_days"].required = True


class RespondForm(_OnForm):
    outcome = forms.ChoiceField(label="Outcome", choices=Finding.choices, widget=forms.RadioSelect)
    response = forms.CharField(
        label="Response to the complainant", widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "Date the response is sent"


class EscalateForm(_OnForm):
    reason = forms.CharField(
        label="What the complainant said", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    investigating_officer = forms.CharField(label="Complaints officer", max_length=200)
    independent_person = forms.CharField(label="Independent person", max_length=200)

    def __init__(self, *args: Any, next_stage: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "Date the complainant asked"
        if next_stage != 2:
            del self.fields["investigating_officer"]
            del self.fields["independent_person"]


class PanelForm(_OnForm):
    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label


class CloseForm(_OnForm):
    finding = forms.ChoiceField(label="Findings", choices=Finding.choices, widget=forms.RadioSelect)
    lessons_learned = forms.CharField(
        label="Lessons learned", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = "Date closed"


class LetterTemplateForm(forms.Form):
    body = forms.CharField(
        label="Wording",
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Placeholders in double curly brackets, like {{ reference }}, are filled in.",
    )


class NamePersonForm(OnceFormMixin, forms.Form):
    subject = forms.ChoiceField(
        label="Who is it about?",
        choices=[(s.value, s.label) for s in PERSON_SUBJECTS],
        widget=forms.RadioSelect,
    )
    subject_user = forms.ModelChoiceField(
        label="The person it is about",
        queryset=User.objects.none(),
        help_text="From now on this person cannot see the complaint.",
    )

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        self.fields["subject_user"].queryset = staff_choices(  # type: ignore[attr-defined]
            scheme, SUBJECT_PEOPLE_ROLES
        )

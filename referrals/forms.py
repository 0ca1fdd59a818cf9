from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils import timezone

from accounts.models import Membership, Role, Scheme, User
from core.forms import BirthDateField, PastDateField, PlausibleDateField
from core.once import OnceFormMixin
from referrals import child_fields
from referrals.models import Child, ClosingReason, Gender, Placement, Referral, ReferralStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})

# The child's record on one page, in the order a social worker thinks about it: the sections
# and their fields are declared once, in referrals/child_fields.py.
CHILD_SECTIONS: list[tuple[str, list[str]]] = child_fields.form_sections()

# Free-text fields get a short textarea.
LONG_TEXT_FIELDS = tuple(
    name
    for name in child_fields.form_field_names()
    if isinstance(Child._meta.get_field(name), models.TextField)
)


class ChildForm(OnceFormMixin, forms.ModelForm):
    scheme = forms.ModelChoiceField(label="Scheme", queryset=Scheme.objects.none())

    class Meta:
        model = Child
        fields = [name for _, names in CHILD_SECTIONS for name in names if name != "scheme"]
        widgets = {
            "date_of_birth": DATE,
            "risk_reviewed_on": DATE,
            **dict.fromkeys(LONG_TEXT_FIELDS, SHORT_TEXT),
        }
        field_classes = {"date_of_birth": BirthDateField, "risk_reviewed_on": PastDateField}
        help_texts = {"date_of_birth": "For example 17/05/2014"}

    def __init__(
        self,
        *args: Any,
        schemes: list[Scheme],
        allow_reallocation: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        instance_scheme = self.instance.scheme if self.instance.scheme_id else None
        self.fixed_scheme: Scheme | None = instance_scheme or (
            schemes[0] if len(schemes) == 1 else None
        )
        if self.fixed_scheme is not None:
            del self.fields["scheme"]
            self.instance.scheme = self.fixed_scheme
            scheme_ids = [self.fixed_scheme.pk]
        else:
            scheme_ids = [s.pk for s in schemes]
            self.fields["scheme"].queryset = Scheme.objects.filter(pk__in=scheme_ids)  # type: ignore[attr-defined]
        if allow_reallocation:
            workers = Membership.objects.filter(
                scheme_id__in=scheme_ids, role=Role.SOCIAL_WORKER, is_active=True
            ).values("user_id")
            self.fields["social_worker"].queryset = User.objects.filter(  # type: ignore[attr-defined]
                pk__in=workers, is_active=True
            ).order_by("full_name")
        else:
            del self.fields["social_worker"]
        self.fields[
            "wishes_in_own_words"
        ].help_text = "Write what the child said, in their words. Do not summarise."

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in CHILD_SECTIONS
            if any(name in self.fields for name in names)
        ]

    def clean_date_of_birth(self) -> Any:
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError("The date of birth cannot be in the future.")
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scheme = self.fixed_scheme or data.get("scheme")
        if scheme is not None:
            self.instance.scheme = scheme
        worker = data.get("social_worker")
        if (
            scheme
            and worker
            and not Membership.objects.filter(
                user=worker, scheme=scheme, role=Role.SOCIAL_WORKER, is_active=True
            ).exists()
        ):
            self.add_error("social_worker", "This social worker does not work with that scheme.")
        data["scheme"] = scheme
        return data

    def profile(self) -> dict[str, Any]:
        """The cleaned values the services take as the child's profile."""
        return {k: v for k, v in self.cleaned_data.items() if k not in ("scheme",)}


class PlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["kind", "carer_name", "carer_phone", "carer_email", "address", "started_on"]
        widgets = {"started_on": DATE, "address": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"started_on": PlausibleDateField}
        labels = {"started_on": "Living there since"}

    def clean_started_on(self) -> Any:
        started = self.cleaned_data["started_on"]
        if started > timezone.localdate():
            raise forms.ValidationError("The placement cannot start in the future.")
        return started

    def _post_clean(self) -> None:
        # The child is attached by the service; only the fields' own rules apply here.
        pass


class ReferralReasonForm(forms.ModelForm):
    class Meta:
        model = Referral
        fields = ["reason", "reason_note", "child_objects"]
        widgets = {"reason_note": SHORT_TEXT, "reason": forms.RadioSelect}
        labels = {"child_objects": "The child has said they do not want an IV"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False  # required only to submit, not for a draft
        reason: Any = self.fields["reason"]
        reason.choices = [c for c in reason.choices if c[0]]

    def _post_clean(self) -> None:
        pass


class DuplicateChoiceForm(forms.Form):
    choice = forms.ChoiceField(label="Is this the same child?", widget=forms.RadioSelect)

    def __init__(self, *args: Any, candidates: list[Child], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = [  # type: ignore[attr-defined]
            *[
                (c.public_id, f"Yes: {c.first_name} {c.last_name}, born {c.date_of_birth:%d/%m/%Y}"
                 f"{', case ' + c.case_number if c.case_number else ''}")
                for c in candidates
            ],
            ("new", "No: this is a different child"),
        ]  # fmt: skip


class MeetingForm(forms.Form):
    met_on = PastDateField(label="Date you met the child", widget=DATE)
    child_wants = forms.CharField(
        label="What the child said they want from an IV, in their words", widget=SHORT_TEXT
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[
            (ReferralStatus.DECLINED.value, "Decline the referral"),
            (ReferralStatus.WITHDRAWN.value, "Withdraw the referral"),
        ],
        widget=forms.RadioSelect,
    )
    closing_reason = forms.ChoiceField(
        label="Reason", choices=[("", "Choose a reason"), *ClosingReason.choices]
    )
    closing_note = forms.CharField(label="More about the reason", widget=SHORT_TEXT, required=False)


class ReviewForm(OnceFormMixin, forms.Form):
    held_on = PlausibleDateField(label="Date of the looked-after review", widget=DATE)
    iv_considered = forms.BooleanField(label="An IV was considered at the review", required=False)
    notes = forms.CharField(label="Notes", widget=SHORT_TEXT, required=False)


class WaitingListFilter(forms.Form):
    """Filters of the waiting list. All optional; bad values are explained, not ignored."""

    gender = forms.ChoiceField(label="Gender", required=False)
    min_age = forms.IntegerField(label="Age from", required=False, min_value=0, max_value=25)
    max_age = forms.IntegerField(label="Age to", required=False, min_value=0, max_value=25)
    waited_days = forms.IntegerField(
        label="Waiting at least (days)", required=False, min_value=0, max_value=3650
    )
    social_worker = forms.ModelChoiceField(
        label="Social worker", queryset=User.objects.none(), required=False
    )
    q = forms.CharField(label="Name or case number", required=False)

    def __init__(self, *args: Any, scheme_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

        self.fields["gender"].choices = [("", "Any"), *Gender.choices]  # type: ignore[attr-defined]
        # Only the social workers of children who are waiting: a council has hundreds of
        # social workers, and a choice that filters to nothing helps nobody.

        workers = Referral.objects.filter(
            scheme_id__in=scheme_ids, status=ReferralStatus.WAITING
        ).values("child__social_worker_id")
        self.fields["social_worker"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=workers
        ).order_by("full_name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", "“Age to” must not be less than “Age from”.")
        return data

"""Forms for each step of a match: plain English, and a bound form keeps what was typed."""

from __future__ import annotations

from django import forms

from core.forms import PlausibleDateField
from core.once import OnceFormMixin
from matches.models import ClosureReason, ReviewKind, TrialDecision, VisitingFrequency

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})


class ConfirmForm(forms.Form):
    """A step with nothing to fill in: the button is the decision."""


class IntroductionForm(forms.Form):
    started_on = PlausibleDateField(label="Date of the introduction meeting", widget=DATE)
    attended = forms.CharField(
        label="Who attended",
        max_length=300,
        help_text="The meeting is at the child's home: coordinator, IV, child and carer.",
    )
    notes = forms.CharField(label="Notes from the meeting", widget=SHORT_TEXT, required=False)


class TrialVisitForm(OnceFormMixin, forms.Form):
    on = PlausibleDateField(label="Date of the trial visit", widget=DATE)


class TrialReviewForm(forms.Form):
    held_on = PlausibleDateField(label="Date of the trial review", widget=DATE)
    decision = forms.ChoiceField(
        label="Decision", choices=TrialDecision.choices, widget=forms.RadioSelect
    )
    child_view = forms.CharField(label="The child's view", widget=SHORT_TEXT)
    iv_view = forms.CharField(label="The IV's view", widget=SHORT_TEXT)


class EndingForm(forms.Form):
    reason = forms.CharField(label="Why the match is ending", widget=SHORT_TEXT)
    planned_end_on = PlausibleDateField(kind="plan", label="Planned last visit", widget=DATE)


class CloseForm(forms.Form):
    ended_on = PlausibleDateField(label="Date the match ended", widget=DATE)
    reason = forms.ChoiceField(
        label="Reason for closing", choices=ClosureReason.choices, widget=forms.RadioSelect
    )
    review_on = PlausibleDateField(label="Date of the closure review", widget=DATE)
    child_view = forms.CharField(label="The child's view", widget=SHORT_TEXT, required=False)
    iv_view = forms.CharField(label="The IV's view", widget=SHORT_TEXT, required=False)
    carer_view = forms.CharField(label="The carer's view", widget=SHORT_TEXT, required=False)
    sw_view = forms.CharField(label="The social worker's view", widget=SHORT_TEXT, required=False)
    note = forms.CharField(label="Anything to add", widget=SHORT_TEXT, required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(label="Why the match is reopened", widget=SHORT_TEXT)


class PauseForm(forms.Form):
    reason = forms.CharField(label="Why the match is paused", max_length=200, widget=SHORT_TEXT)


class ResumeForm(forms.Form):
    reason = forms.CharField(label="Why the match can resume", max_length=2000, widget=SHORT_TEXT)


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Agreed visiting frequency", choices=VisitingFrequency.choices
    )


class ReviewForm(OnceFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of review", choices=ReviewKind.choices)
    held_on = PlausibleDateField(label="Date of the review", widget=DATE)
    quality = forms.TypedChoiceField(
        label="Relationship quality",
        coerce=int,
        choices=[
            (5, "5 excellent"),
            (4, "4 good"),
            (3, "3 fair"),
            (2, "2 struggling"),
            (1, "1 poor"),
        ],
    )
    child_feedback = forms.CharField(
        label="The child's feedback", widget=SHORT_TEXT, required=False
    )
    iv_feedback = forms.CharField(label="The IV's feedback", widget=SHORT_TEXT, required=False)
    carer_feedback = forms.CharField(
        label="The carer's feedback", widget=SHORT_TEXT, required=False
    )
    sw_feedback = forms.CharField(
        label="The social worker's feedback", widget=SHORT_TEXT, required=False
    )

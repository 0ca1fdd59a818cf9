from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from core.forms import PlausibleDateField
from core.once import OnceFormMixin
from reports.models import ExportFormat


def default_period(today: date) -> tuple[date, date]:
    """The last twelve whole months."""
    end = today.replace(day=1) - timedelta(days=1)
    start = (end.replace(day=1) - timedelta(days=330)).replace(day=1)
    return start, end


class ReportForm(forms.Form):
    scheme = forms.ChoiceField(label="Scheme")
    start = PlausibleDateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = PlausibleDateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, schemes: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(s.slug, s.name) for s in schemes]
        if len(schemes) > 1:
            choices.insert(0, ("all", "All my schemes"))
        field = self.fields["scheme"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "The end of the period must be after its start.")
            elif (end - start).days > 3 * 366:
                self.add_error("end", "Choose a period of three years or less.")
        return data


class ExportForm(ReportForm):
    format = forms.ChoiceField(label="Format", choices=ExportFormat.choices)


class LacSummaryForm(OnceFormMixin, forms.Form):
    review_on = PlausibleDateField(
        label="Date of the looked-after review", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_start = PlausibleDateField(
        label="Visits from", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = PlausibleDateField(
        label="Visits to", widget=forms.DateInput(attrs={"type": "date"})
    )
    what_we_did = forms.CharField(
        label="What they did together", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    child_wants_said = forms.CharField(
        label="What the child wants said at the review, in their words",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "The end of the period must be after its start.")
        return data

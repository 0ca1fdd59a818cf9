"""Forms for erasure and corrections."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import AdultBirthDateField, PastDateField
from dataprotection.services.rights import CORRECTABLE_FIELDS
from referrals.models import Child

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChildCorrectionForm(forms.ModelForm):
    reason = forms.CharField(
        label="Why is the record being corrected?",
        max_length=100,
        help_text="For example: birth certificate seen, name spelt wrongly at referral. "
        "Kept with the record's history (up to 100 characters).",
        error_messages={"required": "Say why the record is being corrected."},
    )

    class Meta:
        model = Child
        fields = list(CORRECTABLE_FIELDS)
        widgets = {"date_of_birth": DATE, "died_on": DATE}
        # A record is kept long after the child grew up (to 75 for a care leaver's): a
        # correction may be to the date of birth of someone now in their forties.
        field_classes = {"date_of_birth": AdultBirthDateField, "died_on": PastDateField}
        help_texts = {
            "died_on": "Only if the child has died. A child who dies before 18 has their "
            "records kept for 15 years after their death.",
        }

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in CORRECTABLE_FIELDS}


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label="The applicant asked to be erased and I have checked nothing requires us to keep "
        "their application",
        error_messages={"required": "Tick the box to confirm before erasing."},
    )

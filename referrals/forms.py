from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import Membership, Role, Scheme, User


class ChildForm(forms.Form):
    scheme = forms.ModelChoiceField(label="Scheme", queryset=Scheme.objects.none())
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Surname", max_length=100)
    date_of_birth = forms.DateField(
        label="Date of birth",
        help_text="For example 17/05/2014",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    case_number = forms.CharField(
        label="Local authority case number", max_length=50, required=False
    )
    social_worker = forms.ModelChoiceField(
        label="Allocated social worker", queryset=User.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        schemes: list[Scheme],
        fixed_scheme: Scheme | None = None,
        allow_reallocation: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        scheme_ids = [s.pk for s in schemes]
        self.fixed_scheme: Scheme | None
        if fixed_scheme is not None or len(schemes) == 1:
            del self.fields["scheme"]
            self.fixed_scheme = fixed_scheme or schemes[0]
            scheme_ids = [self.fixed_scheme.pk]
        else:
            self.fields["scheme"].queryset = Scheme.objects.filter(pk__in=scheme_ids)  # type: ignore[attr-defined]
            self.fixed_scheme = None
        if allow_reallocation:
            workers = Membership.objects.filter(
                scheme_id__in=scheme_ids, role=Role.SOCIAL_WORKER, is_active=True
            ).values("user_id")
            self.fields["social_worker"].queryset = User.objects.filter(  # type: ignore[attr-defined]
                pk__in=workers, is_active=True
            ).order_by("full_name")
        else:
            del self.fields["social_worker"]

    def clean_date_of_birth(self) -> Any:
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError("The date of birth cannot be in the future.")
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scheme = self.fixed_scheme or data.get("scheme")
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

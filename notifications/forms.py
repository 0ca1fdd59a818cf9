from django import forms

from notifications.models import Delivery


class PreferenceForm(forms.Form):
    delivery = forms.ChoiceField(
        label="How should we email you about routine things?",
        choices=Delivery.choices,
        widget=forms.RadioSelect,
    )


class MonitoringSettingsForm(forms.ModelForm):
    class Meta:
        from notifications.models import MonitoringSettings

        model = MonitoringSettings
        fields = [
            "referral_wait_limit_days",
            "birthday_notice_days",
            "renewal_notice_days",
            "complaint_warning_working_days",
        ]

    def clean_renewal_notice_days(self) -> str:
        value = self.cleaned_data["renewal_notice_days"]
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not parts or not all(p.isdigit() and 0 < int(p) <= 365 for p in parts):
            raise forms.ValidationError(
                "Write whole numbers of days between 1 and 365, e.g. 60,30,7."
            )
        return ",".join(str(n) for n in sorted({int(p) for p in parts}, reverse=True))

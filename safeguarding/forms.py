from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from core.forms import LocalDateTimeField
from safeguarding.models import ActionKind, Category, IncidentType, Kind, Status, ToldChild
from safeguarding.services import RECORDABLE

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXT = forms.Textarea(attrs={"rows": 4})


class ConcernForm(forms.Form):
    """Raise a concern or report an incident in under a minute, on a phone."""

    child = forms.ChoiceField(label="Which child is it about?")
    kind = forms.ChoiceField(
        label="What are you reporting?", choices=Kind.choices, widget=forms.RadioSelect,
        initial=Kind.CONCERN,
    )  # fmt: skip
    immediate_danger = forms.BooleanField(
        label="The child is in immediate danger now", required=False
    )
    category = forms.ChoiceField(
        label="Kind of concern", choices=[("", "Choose one"), *Category.choices], required=False
    )
    incident_type = forms.ChoiceField(
        label="Kind of incident", choices=[("", "Choose one"), *IncidentType.choices],
        required=False,
    )  # fmt: skip
    what_happened = forms.CharField(label="What did you see or hear?", widget=TEXT)
    childs_words = forms.CharField(
        label="What did the child say? Use their words if you can.", widget=TEXT, required=False
    )
    occurred_at = LocalDateTimeField(
        label="When did it happen?", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    told_child = forms.ChoiceField(
        label="Did you tell the child you would have to pass this on?",
        choices=ToldChild.choices, widget=forms.RadioSelect,
    )  # fmt: skip
    urgent = forms.BooleanField(label="This is urgent", required=False)
    about_adult = forms.BooleanField(
        label="It is about an adult who works with children (for example a carer, teacher or IV)",
        required=False,
    )

    # Made by the server (and kept by the phone with an offline copy) so a worry sent again
    # after a lost signal is recorded once. Optional: a form without it still works.
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, children: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_id"].initial = uuid.uuid4()
        self.children = {c.public_id: c for c in children}
        self.fields["child"].choices = [  # type: ignore[attr-defined]
            (c.public_id, c.first_name) for c in children
        ]
        if len(children) == 1:
            self.fields["child"].initial = children[0].public_id
        self.fields["occurred_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Kind.CONCERN and not data.get("category"):
            self.add_error("category", "Choose what kind of concern this is.")
        if data.get("kind") == Kind.INCIDENT and not data.get("incident_type"):
            self.add_error("incident_type", "Choose what kind of incident this was.")
        when = data.get("occurred_at")
        if when and when > timezone.now() + timedelta(minutes=5):
            self.add_error("occurred_at", "When it happened cannot be in the future.")
        if data.get("child") in self.children:
            data["child_obj"] = self.children[data["child"]]
        return data


class ActionForm(forms.Form):
    kind = forms.ChoiceField(label="What are you recording?")
    happened_at = LocalDateTimeField(
        label="When", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    detail = forms.CharField(label="What was decided or done", widget=TEXT)
    reference = forms.CharField(
        label="Their reference (for a referral to social care or the LADO)",
        required=False, max_length=100,
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            ("", "Choose one"),
            *[(k.value, k.label) for k in ActionKind if k in RECORDABLE],
        ]
        self.fields["happened_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class CloseForm(forms.Form):
    outcome = forms.CharField(label="Outcome", widget=TEXT)


class RegisterFilter(forms.Form):
    category = forms.ChoiceField(
        label="Category",
        required=False,
        choices=[("", "All"), *Category.choices, *IncidentType.choices[:3]],
    )
    state = forms.ChoiceField(
        label="State", required=False, choices=[("", "Open"), *Status.choices]
    )

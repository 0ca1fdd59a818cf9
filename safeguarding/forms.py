from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from core.forms import LocalDateTimeField
from core.once import OnceFormMixin
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

    def __init__(
        self, *args: Any, children: list[Any], volunteers: list[Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # Staff only: who the allegation is about. Naming one of the scheme's IVs suspends
        # them at once (and pauses their match); anyone else is written down by name.
        self.volunteers = {v.public_id: v for v in volunteers or []}
        if volunteers is not None:
            self.fields["about_volunteer"] = forms.ChoiceField(
                label="Is it about one of our IVs?",
                choices=[
                    ("", "No, or not known"),
                    *[(v.public_id, v.full_name or v.email) for v in volunteers],
                ],
                required=False,
                help_text="The IV is suspended at once and their match paused.",
            )
            self.fields["about_adult_name"] = forms.CharField(
                label="Or the name of the adult it is about",
                max_length=200,
                required=False,
                help_text="For example a carer or a teacher.",
            )
            names = list(self.fields)
            names.remove("client_id")
            self.order_fields([*names, "client_id"])
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
        data["about_volunteer_obj"] = self.volunteers.get(data.get("about_volunteer") or "")
        if data["about_volunteer_obj"] is not None and data.get("about_adult_name", "").strip():
            self.add_error(
                "about_adult_name", "Choose the IV or write the name of someone else, not both."
            )
        return data

    # Passed to services.concern_raise as they were typed.
    AS_TYPED = (
        "kind", "what_happened", "childs_words", "occurred_at", "told_child", "immediate_danger",
        "urgent", "about_adult",
    )  # fmt: skip

    def concern(self) -> dict[str, Any]:
        """What services.concern_raise needs (besides the actor and the visit), from a valid
        form: a category only for a concern, an incident type only for an incident."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in self.AS_TYPED},
            "child": data["child_obj"],
            "category": data["category"] if data["kind"] == Kind.CONCERN else "",
            "incident_type": data["incident_type"] if data["kind"] == Kind.INCIDENT else "",
            "about_volunteer": data.get("about_volunteer_obj"),
            "about_adult_name": data.get("about_adult_name", ""),
            "client_id": data.get("client_id"),
        }


class ActionForm(OnceFormMixin, forms.Form):
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

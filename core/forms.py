"""Form helpers shared by every app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.once import submit_once
from core.refusals import NotAllowed


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """Show a service's refusal on the form: field errors next to their field (when the form
    has that field), the rest at the top. The form keeps everything the person typed."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def submit_form(
    request: Any,
    form: Any,
    action: Callable[[dict[str, Any]], str | HttpResponse | None],
    *,
    once: bool = True,
    refused_field: str | None = None,
) -> HttpResponse | None:
    """Every form page's POST, in one place. When the form is valid, `action(cleaned_data)`
    calls the service, adds its message and returns where to go (a URL or a response). With
    `once` (forms that create a record, core.once) a second tap or a resend goes to what the
    first made. A ValidationError from the service is shown on the form next to its field,
    keeping what was typed; so is a refusal (core.refusals.NotAllowed), at the top (or next to
    `refused_field`, when the refusal is about what was chosen there), unless it is hidden
    (then the page is a 404). None means: show the form (again)."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        if once:
            return redirect(submit_once(request, lambda: str(action(data))).url)
        done = action(data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    except NotAllowed as exc:
        if exc.hidden:
            raise
        form.add_error(refused_field, exc.message)
        return None
    if done is None or isinstance(done, HttpResponse):
        return done
    return redirect(done)


def form_page(
    request: Any,
    form: Any,
    action: Callable[[dict[str, Any]], str | HttpResponse | None],
    template: str,
    context: dict[str, Any] | None = None,
    *,
    once: bool = True,
    refused_field: str | None = None,
) -> HttpResponse:
    """A page with one form: on a valid POST, `action` (as submit_form); otherwise the page
    (again), with the form and its errors, keeping what was typed."""
    if done := submit_form(request, form, action, once=once, refused_field=refused_field):
        return done
    return render(request, template, {"form": form, **(context or {})})


def settings_page(
    request: Any,
    form_class: type[forms.Form],
    config: Any,
    save: Callable[..., object],
    *,
    done: str,
    then: str,
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A scheme's settings page (core.schemesettings): the form starts from `config`, the
    scheme's settings (a field of the form for each); a valid POST calls
    `save(**cleaned_data)`, the owning app's service (which checks its actor), says `done`
    and goes to the URL `then`. An edit: not `once`."""
    initial = {name: getattr(config, name) for name in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial)

    def action(data: dict[str, Any]) -> str:
        save(**data)
        messages.success(request, done)
        return then

    return form_page(request, form, action, template, context, once=False)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as a person in England types it, on any day of the year.

    Django's own field refuses a time in the hour the clocks repeat (01:30 on the last Sunday
    of October happens twice) or skip (01:30 on the last Sunday of March never happens), with
    a message about time zones that nobody recording a concern at that hour could act on. Here
    a repeated time is the first one (British Summer Time, as the person's clock showed before
    it went back), and a skipped time is read with the offset before the change (01:30 GMT,
    which their clock showed as 02:30 BST).

    Its day must be within the window of its `kind` (DATE_KINDS below), like any date.
    """

    def __init__(self, *args: Any, kind: str = "any", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assert kind in DATE_KINDS, f"unknown date kind {kind!r}"
        self.kind = kind

    def to_python(self, value: Any) -> datetime | None:
        naive: datetime | None = None
        if isinstance(value, datetime):
            if timezone.is_aware(value):
                return value
            naive = value
        else:
            value = value.strip() if isinstance(value, str) else value
            if value in self.empty_values:
                return None
            for fmt in self.input_formats:
                try:
                    naive = datetime.strptime(value, fmt)
                    break
                except (ValueError, TypeError):
                    continue
        if naive is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        check_plausible(naive.date(), self.kind)
        # zoneinfo: fold=0 is the first of a repeated time and the earlier offset of a
        # skipped one. Returned in UTC: Python never finds a time in the repeated hour equal to
        # the same instant in another zone (PEP 495), which would surprise any comparison.
        return naive.replace(tzinfo=timezone.get_current_timezone()).astimezone(UTC)


# --- A length for every free-text field ------------------------------------------------------

# The most a free-text box (a description, notes, a reason) takes. A form field declared with
# its own max_length keeps it; one without (a Textarea, or a model TextField) gets this.
TEXT_MAX_LENGTH = 10_000
TOO_LONG = (
    "This is too long: please keep it to %(limit_value)s characters or fewer "
    "(it has %(show_value)s)."
)


def is_free_text(field: forms.Field) -> bool:
    return isinstance(field, forms.CharField) and not isinstance(field, forms.UUIDField)


def cap_free_text(form_class: type[forms.BaseForm], limit: int = TEXT_MAX_LENGTH) -> None:
    """Give every text field of `form_class` a maximum length (`limit` unless it has its own),
    checked when the form is validated, with a plain message next to the field, and told to
    the browser (maxlength) so nobody can type past it."""
    from django.core.validators import MaxLengthValidator

    base_fields: dict[str, forms.Field] = getattr(form_class, "base_fields", {})
    for field in base_fields.values():
        if not is_free_text(field):
            continue
        assert isinstance(field, forms.CharField)
        if field.max_length is None:
            field.max_length = limit
            field.validators.append(MaxLengthValidator(limit))
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("maxlength", str(limit))
        field.error_messages.setdefault("max_length", TOO_LONG)


def project_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class of the project's own apps (their forms modules imported first)."""
    import importlib
    import pkgutil
    from pathlib import Path

    from django.apps import apps
    from django.conf import settings

    root = Path(settings.BASE_DIR).resolve()
    names = set()
    for app in apps.get_app_configs():
        if not Path(app.path).resolve().is_relative_to(root):
            continue
        names.add(app.name)
        for module in pkgutil.iter_modules([app.path]):
            if module.name == "forms" or module.name.startswith("forms_"):
                imported = importlib.import_module(f"{app.name}.{module.name}")
                # A forms package (one module per topic): every module of it.
                for part in pkgutil.iter_modules(getattr(imported, "__path__", [])):
                    importlib.import_module(f"{imported.__name__}.{part.name}")

    found: list[type[forms.BaseForm]] = []
    stack: list[type[forms.BaseForm]] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.split(".")[0] in names and hasattr(sub, "base_fields"):
                found.append(sub)
    return found


def cap_project_forms() -> None:
    """Called once at start-up (core.apps): every form of the project gets its text caps."""
    for form_class in project_form_classes():
        cap_free_text(form_class)


# --- Plausible dates ----------------------------------------------------------------------
# A date the app could never mean (a child born in year 1, a visit planned for 9999) is a typo
# or a probe, and it does harm further on: the child born in year 1 was due for destruction that
# night. Every date field of every form takes one of these kinds, each a window around today
# (tests/test_form_dates.py walks every form and checks year 1 and 9999 are refused).
DATE_KINDS: dict[str, tuple[int, int, str, str]] = {
    # kind: (days before today, days after today, message when earlier, message when later)
    "birth": (
        30 * 366,
        0,
        "Enter a date of birth in the last 30 years.",
        "The date of birth cannot be in the future.",
    ),
    "adult_birth": (
        100 * 366,
        0,
        "Enter a date of birth in the last 100 years.",
        "The date of birth cannot be in the future.",
    ),
    "past": (
        30 * 366,
        0,
        "Enter a date in the last 30 years.",
        "The date cannot be in the future.",
    ),
    "plan": (
        366,
        2 * 366,
        "Enter a date no more than a year ago.",
        "Enter a date no more than two years ahead: that is too far in the future.",
    ),
    "any": (
        30 * 366,
        10 * 366,
        "Enter a date in the last 30 years.",
        "That date is too far in the future: enter one in the next 10 years.",
    ),
}


def date_window(kind: str, today: date | None = None) -> tuple[date, date]:
    before, after, _, _ = DATE_KINDS[kind]
    today = today or timezone.localdate()
    return today - timedelta(days=before), today + timedelta(days=after)


def check_plausible(day: date, kind: str) -> None:
    earliest, latest = date_window(kind)
    _, _, too_early, too_late = DATE_KINDS[kind]
    if day < earliest:
        raise ValidationError(too_early, code="implausible_date")
    if day > latest:
        raise ValidationError(too_late, code="implausible_date")


class PlausibleDateField(forms.DateField):
    """A date within the window of its kind (DATE_KINDS) around today, with a plain message.

    `kind` is a keyword or the class attribute of a subclass (for a ModelForm's
    Meta.field_classes, which takes a class)."""

    kind = "any"

    def __init__(self, *args: Any, kind: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind is not None:
            self.kind = kind
        assert self.kind in DATE_KINDS, f"unknown date kind {self.kind!r}"

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value not in self.empty_values:
            check_plausible(value, self.kind)


class BirthDateField(PlausibleDateField):
    kind = "birth"


class AdultBirthDateField(PlausibleDateField):
    kind = "adult_birth"


class PastDateField(PlausibleDateField):
    kind = "past"


class MonthField(PlausibleDateField):
    """A month typed as 2026-06 (an <input type="month">): the first day of that month."""

    input_formats = ["%Y-%m"]

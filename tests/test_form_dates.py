"""Every date field of every form of the project refuses an implausible date (issue 19, item 13).

Walks each app's forms modules (forms.py, forms_*.py, each module of a forms package): every
DateField and DateTimeField must refuse year 1 and year 9999 with a plain message, and every
number of a plain form (a filter, a setting) must have a largest value, so that 999999999 is a
message and not a server error.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import timedelta
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.forms import BirthDateField, LocalDateTimeField, PlausibleDateField

pytestmark = pytest.mark.dated


def project_forms() -> list[tuple[str, Any]]:
    found = []
    for app in apps.get_app_configs():
        if not app.path.startswith(str(settings.BASE_DIR)) or "/.venv/" in app.path:
            continue
        for info in pkgutil.iter_modules([app.path]):
            if not info.name.startswith("forms"):
                continue
            top = importlib.import_module(f"{app.name}.{info.name}")
            # A forms package (one module per topic): each of its modules too.
            parts = pkgutil.iter_modules(getattr(top, "__path__", []))
            modules = [top, *(importlib.import_module(f"{top.__name__}.{p.name}") for p in parts)]
            for module, (name, obj) in ((m, item) for m in modules for item in vars(m).items()):
                if (
                    inspect.isclass(obj)
                    and issubclass(obj, forms.BaseForm)
                    and obj.__module__ == module.__name__
                ):
                    found.append((f"{module.__name__}.{name}", obj))
    return sorted(found, key=lambda pair: pair[0])


FORMS = project_forms()
DATE_FIELDS = [
    (f"{form_name}.{field_name}", field)
    for form_name, form in FORMS
    for field_name, field in form.base_fields.items()
    if isinstance(field, forms.DateField | forms.DateTimeField)
]


def test_the_walk_finds_the_forms() -> None:
    names = {name for name, _ in DATE_FIELDS}
    assert "referrals.forms.ChildForm.date_of_birth" in names
    assert "visits.forms.PlanVisitForm.date" in names
    assert "complaints.forms.StaffComplaintForm.received_on" in names
    # Forms in a package of topics are walked too.
    assert "dataprotection.forms.requests.RequestCreateForm.received_on" in names
    assert len(DATE_FIELDS) >= 40


def as_typed(field: Any, day: str) -> str:
    """The day as the field's first input format has it (a month field: its month; 10:00)."""
    formats = [str(f) for f in field.input_formats]
    if not isinstance(field, forms.DateTimeField):
        return day[:7] if formats == ["%Y-%m"] else day
    fmt = formats[0]
    return fmt.replace("%Y-%m-%d", day).replace("%H:%M:%S", "10:00:00").replace("%H:%M", "10:00")


@pytest.mark.parametrize(("name", "field"), DATE_FIELDS, ids=[n for n, _ in DATE_FIELDS])
@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31"])
def test_every_date_field_refuses_an_implausible_year(name: str, field: Any, typed: str) -> None:
    value = as_typed(field, typed)
    with pytest.raises(ValidationError) as refused:
        field.clean(value)
    message = " ".join(refused.value.messages)
    # The window's own message, not Django's "Enter a valid date."
    assert refused.value.error_list[0].code == "implausible_date", message


@pytest.mark.parametrize(("name", "field"), DATE_FIELDS, ids=[n for n, _ in DATE_FIELDS])
def test_every_date_field_takes_today(name: str, field: Any) -> None:
    today = timezone.localdate()
    if isinstance(field, forms.DateTimeField):
        assert field.clean(as_typed(field, f"{today:%Y-%m-%d}")) is not None
    elif getattr(field, "kind", "") == "adult_birth":
        field.clean(f"{today - timedelta(days=40 * 365):%Y-%m-%d}")
    elif getattr(field, "kind", "") == "birth" and field.required:
        field.clean(f"{today - timedelta(days=10 * 365):%Y-%m-%d}")
    else:
        field.clean(as_typed(field, f"{today:%Y-%m-%d}"))


def test_the_windows_of_each_kind() -> None:
    today = timezone.localdate()
    birth = BirthDateField()
    birth.clean(f"{today - timedelta(days=29 * 365):%Y-%m-%d}")
    with pytest.raises(ValidationError, match="in the last 30 years"):
        birth.clean("0001-01-01")
    with pytest.raises(ValidationError, match="date of birth cannot be in the future"):
        birth.clean(f"{today + timedelta(days=1):%Y-%m-%d}")
    plan = PlausibleDateField(kind="plan")
    plan.clean(f"{today + timedelta(days=700):%Y-%m-%d}")
    with pytest.raises(ValidationError, match="two years ahead"):
        plan.clean(f"{today + timedelta(days=800):%Y-%m-%d}")
    occurred = LocalDateTimeField(kind="past", input_formats=["%Y-%m-%dT%H:%M"])
    with pytest.raises(ValidationError, match="cannot be in the future"):
        occurred.clean(f"{today + timedelta(days=2):%Y-%m-%d}T09:00")


NUMBERS = [
    (f"{form_name}.{field_name}", field)
    for form_name, form in FORMS
    if not issubclass(form, forms.ModelForm)  # a model's own range is checked by full_clean
    for field_name, field in form.base_fields.items()
    if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField)
]


@pytest.mark.parametrize(("name", "field"), NUMBERS, ids=[n for n, _ in NUMBERS])
def test_every_number_of_a_plain_form_has_a_largest_value(name: str, field: Any) -> None:
    with pytest.raises(ValidationError):
        field.clean("999999999999")

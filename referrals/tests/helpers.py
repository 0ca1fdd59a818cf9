"""A child with every declared field filled with a value found nowhere else, for the tests
that follow each field of referrals/child_fields.py to the pages and bundles it belongs on."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models

from accounts.models import User
from referrals import child_fields
from referrals.models import Child
from tests.clock import days_ago

# Fields a filled child keeps as they are: its scheme, and a merge would hide the record.
KEPT = ("scheme", "merged_into")


def filled_value(field: Any, n: int) -> Any:
    if field.is_relation:
        return User.objects.create(email=f"zq{n}@example.org", full_name=f"Zq Person {field.name}")
    if field.choices:
        return [value for value, _ in field.choices if value != field.default][-1]
    if isinstance(field, models.DateField):
        return days_ago(4000 + 37 * n)  # about eleven years ago, a different day each
    if isinstance(field, models.BooleanField):
        return not field.default
    return f"Zq-{field.name}"


def fill_child(child: Child) -> Child:
    """Every declared field of `child` (but KEPT) set to a value of its own; returned fresh."""
    values = {
        declared.name: filled_value(Child._meta.get_field(declared.name), n)
        for n, declared in enumerate(child_fields.CHILD_FIELDS)
        if declared.name not in KEPT
    }
    Child.objects.filter(pk=child.pk).update(**values)
    return Child.objects.get(pk=child.pk)


def shown_as(child: Child, name: str) -> str:
    """How a page shows the filled value of field `name`."""
    field: Any = Child._meta.get_field(name)
    value = getattr(child, name)
    if field.is_relation:
        return value.full_name
    if field.choices:
        return getattr(child, f"get_{name}_display")()
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)

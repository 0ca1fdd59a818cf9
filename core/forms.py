"""Form helpers shared by every app."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """Show a service's refusal on the form: field errors next to their field (when the form
    has that field), the rest at the top. The form keeps everything the person typed."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class LocalDateTimeField(forms.DateTimeField):
    """A date and time as a person in England types it, on any day of the year.

    Django's own field refuses a time in the hour the clocks repeat (01:30 on the last Sunday
    of October happens twice) or skip (01:30 on the last Sunday of March never happens), with
    a message about time zones that nobody recording a concern at that hour could act on. Here
    a repeated time is the first one (British Summer Time, as the person's clock showed before
    it went back), and a skipped time is read with the offset before the change (01:30 GMT,
    which their clock showed as 02:30 BST).
    """

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
        # zoneinfo: fold=0 is the first of a repeated time and the earlier offset of a
        # skipped one. Returned in UTC: Python never finds a time in the repeated hour equal to
        # the same instant in another zone (PEP 495), which would surprise any comparison.
        return naive.replace(tzinfo=timezone.get_current_timezone()).astimezone(UTC)

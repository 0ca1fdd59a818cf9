"""Times typed on the nights the clocks change are accepted and mean what the clock showed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django import forms
from django.utils import timezone

from core.forms import LocalDateTimeField

pytestmark = pytest.mark.dated


class WhenForm(forms.Form):
    when = LocalDateTimeField(input_formats=["%Y-%m-%dT%H:%M"])


def parsed(text: str) -> datetime:
    form = WhenForm({"when": text})
    assert form.is_valid(), form.errors
    return form.cleaned_data["when"]


def test_an_ordinary_time_is_london_time() -> None:
    assert parsed("2026-06-17T10:00") == datetime(2026, 6, 17, 9, 0, tzinfo=UTC)
    assert parsed("2026-12-02T10:00") == datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def test_the_repeated_hour_in_october_is_the_first_one() -> None:
    # 25 October 2026: 01:30 BST (00:30 UTC), then an hour later 01:30 GMT again.
    assert parsed("2026-10-25T01:30") == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_the_skipped_hour_in_march_is_read_before_the_change() -> None:
    # 29 March 2026: clocks go from 01:00 GMT to 02:00 BST; "01:30" is 01:30 GMT.
    when = parsed("2026-03-29T01:30")
    assert when == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert timezone.localtime(when).strftime("%H:%M %Z") == "02:30 BST"


def test_nonsense_is_still_refused_with_a_message() -> None:
    form = WhenForm({"when": "2026-02-30T10:00"})
    assert not form.is_valid()
    assert form.errors["when"] == ["Enter a valid date/time."]

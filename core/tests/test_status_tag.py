"""The status tag (templates/includes/status_tag.html) and its one colour map
(core/templatetags/status.py): every status of every model that shows one has a colour, and
the label is always shown beside it."""

from __future__ import annotations

import pytest
from django.db import models
from django.template.loader import render_to_string

from complaints.models import Complaint
from core.templatetags.status import DEFAULT_CLASS, STATUS_CLASSES, status_class
from expenses.models import Claim
from matches.models import Match
from referrals.models import Referral
from safeguarding.models import Concern
from visits.models import Visit
from volunteers.models import Volunteer

# Each model and field drawn with the status tag.
TAGGED: list[tuple[type[models.Model], str]] = [
    (Referral, "status"),
    (Match, "status"),
    (Claim, "status"),
    (Complaint, "status"),
    (Concern, "status"),
    (Visit, "status"),
    (Volunteer, "stage"),
    (Volunteer, "status"),
]


def _choices(model: type[models.Model], field: str) -> list[tuple[str, str]]:
    f = model._meta.get_field(field)
    assert isinstance(f, models.CharField)
    return list(f.choices or [])


VALUES = [
    (f"{model.__name__}.{field}", value)
    for model, field in TAGGED
    for value, _label in _choices(model, field)
]


@pytest.mark.parametrize(("field", "value"), VALUES, ids=[f"{f}={v}" for f, v in VALUES])
def test_every_status_has_a_colour(field: str, value: str) -> None:
    """A new status without a colour fails here: add it to STATUS_CLASSES."""
    assert value in STATUS_CLASSES, f"{field} {value!r} has no colour in STATUS_CLASSES"
    assert STATUS_CLASSES[value].startswith("text-bg-")


def test_the_map_holds_no_stale_values() -> None:
    assert set(STATUS_CLASSES) == {value for _field, value in VALUES}


def test_an_unknown_value_still_gets_a_readable_badge() -> None:
    assert status_class("nonsense") == DEFAULT_CLASS


def test_renders_status_and_label() -> None:
    html = render_to_string(
        "includes/status_tag.html", {"status": "waiting", "label": "Waiting for a match"}
    )
    assert html == '<span class="badge text-bg-warning">Waiting for a match</span>'


def test_renders_a_records_status_and_its_label() -> None:
    html = render_to_string("includes/status_tag.html", {"record": Match(status="established")})
    assert html == '<span class="badge text-bg-success">Established</span>'


def test_the_label_is_escaped() -> None:
    html = render_to_string("includes/status_tag.html", {"status": "new", "label": "<b>x</b>"})
    assert "&lt;b&gt;x&lt;/b&gt;" in html

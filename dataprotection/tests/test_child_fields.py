"""Every field declared in referrals/child_fields.py reaches the subject access bundle (or is
declared out of it) and the records of processing, with its special category."""

from __future__ import annotations

from typing import Any

from django.utils.text import capfirst

from dataprotection import processing
from dataprotection.services import bundle
from dataprotection.subjects import CHILD_SOURCES
from dataprotection.tests.helpers import make_request
from referrals import child_fields
from referrals.models import Child
from referrals.tests.helpers import fill_child, shown_as
from tests.personas import World


def label_of(name: str) -> str:
    field: Any = Child._meta.get_field(name)
    return capfirst(str(field.verbose_name))


def test_the_bundle_shows_every_declared_field_of_a_filled_child(world: World) -> None:
    child = fill_child(world.child)
    items = bundle.items_for(make_request(world, child=child))
    own = next(i for i in items if i.key == bundle.key_of(child) and i.section == "records")
    shown = dict(own.fields)
    for declared in child_fields.CHILD_FIELDS:
        label = label_of(declared.name)
        if declared.in_bundle:
            assert label in shown, f"{declared.name} is declared for the bundle but not in it"
            if not isinstance(getattr(child, declared.name), bool):
                assert shown_as(child, declared.name) in shown[label], declared.name
        else:
            assert label not in shown, f"{declared.name} is declared out of the bundle"


def test_the_bundle_source_is_the_declaration() -> None:
    own = next(s for s in CHILD_SOURCES if s.label == "referrals.Child" and s.path == "pk")
    assert set(own.fields) == {f.name for f in child_fields.CHILD_FIELDS if f.in_bundle}


def test_the_records_of_processing_list_every_declared_field() -> None:
    category = next(c for c in processing.CATEGORIES if "referrals.Child" in c.models)
    row = next(m for m in processing.model_rows(category) if m.label == "referrals.Child")
    listed = {f.label: f.special for f in row.fields}
    for declared in child_fields.CHILD_FIELDS:
        if declared.name == "scheme":
            continue  # the scheme is the controller's own name, not the child's data
        label = label_of(declared.name)
        assert label in listed, f"{declared.name} is not in the records of processing"
        assert listed[label] == declared.special, declared.name

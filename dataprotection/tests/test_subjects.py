"""The registry of where a person's records are is complete: a new model whose foreign keys
reach a child (or a volunteer) fails here until it is in the bundle or excluded with a reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import models

from dataprotection.services import bundle
from dataprotection.subjects import CHILD_SOURCES, EXCLUDED, VOLUNTEER_SOURCES
from dataprotection.tests.helpers import every_record, make_request
from tests.personas import World

IGNORED_TARGETS = {"accounts.User", "accounts.Scheme", "accounts.Organisation"}


def reaching(target: str) -> set[str]:
    """Every model (not Historical*) whose chain of foreign keys reaches `target`, going
    through models that themselves reach it; keys to people and schemes are not followed."""
    concrete = [m for m in apps.get_models() if not m.__name__.startswith("Historical")]
    edges: dict[str, set[str]] = {}
    for m in concrete:
        targets: set[str] = set()
        for f in m._meta.get_fields():
            related: Any = f.related_model
            is_key = f.is_relation and f.concrete and (f.many_to_one or f.one_to_one)
            if is_key and related and related._meta.label not in IGNORED_TARGETS:
                targets.add(related._meta.label)
        edges[m._meta.label] = targets
    found = {target}
    changed = True
    while changed:
        changed = False
        for label, targets in edges.items():
            if label not in found and targets & found:
                found.add(label)
                changed = True
    return found


@pytest.mark.parametrize(
    ("target", "sources"),
    [("referrals.Child", CHILD_SOURCES), ("volunteers.Volunteer", VOLUNTEER_SOURCES)],
    ids=["child", "volunteer"],
)
def test_every_model_about_the_person_is_in_the_bundle_or_excluded(
    target: str, sources: Any
) -> None:
    registered = {s.label for s in sources}
    missing = sorted(reaching(target) - registered - set(EXCLUDED))
    assert not missing, (
        f"These models hold records about a {target} but are not in the subject access "
        f"registry (dataprotection/subjects.py): {missing}. Add a Source for each (the "
        "lookup to the person, a date, the fields to show), or add it to EXCLUDED with the "
        "reason it is left out."
    )


@pytest.mark.django_db
def test_the_registry_names_real_models_and_fields() -> None:
    for source in (*CHILD_SOURCES, *VOLUNTEER_SOURCES):
        model = source.model
        for name in (*source.fields, source.when, *source.third_party):
            assert isinstance(model._meta.get_field(name), models.Field), (source.label, name)
        model._default_manager.filter(**{source.path: 1}).exists()  # the lookup is valid
    for label, reason in EXCLUDED.items():
        apps.get_model(label)
        assert len(reason) > 20, label


def test_a_new_model_with_a_child_key_would_be_found() -> None:
    # The walk follows keys through other models: a visit report reaches the child through
    # its visit and match.
    found = reaching("referrals.Child")
    assert {"visits.ReportNote", "expenses.ClaimItem", "dataprotection.Redaction"} <= found
    assert "accounts.User" not in found


def test_the_bundle_for_amy_has_an_item_of_every_source(world: World) -> None:
    records = every_record(world)
    sar = make_request(world)
    items = bundle.items_for(sar)
    keys = {i.key for i in items}
    titles = {i.type_label for i in items}
    for source in CHILD_SOURCES:
        assert source.title in titles, f"no item from {source.label} ({source.title})"
    for label, obj in records.items():
        if obj is not None and "." in label:
            assert bundle.key_of(obj) in keys, label
    assert bundle.key_of(records["merged"]) in keys
    # The record's history: the correction, with who made it.
    history = [i for i in items if i.type_label.startswith("History")]
    assert any(
        ("Interests and hobbies", "(blank) → Drawing and football") in i.fields for i in history
    )
    # Who viewed the records.
    access = [i for i in items if i.section == "access"]
    assert any(("Who", "Mona Manager") in i.fields for i in access)
    # Time order.
    records_only = [i for i in items if i.section == "records"]
    assert [i.sort_key for i in records_only] == sorted(i.sort_key for i in records_only)


def test_a_volunteers_bundle_withholds_the_childs_name(world: World) -> None:
    from volunteers.tests.helpers import make_volunteer

    volunteer = make_volunteer(world.north, user=world.iv, email=world.iv.email)
    sar = make_request(world, volunteer=volunteer, requester_name="Ivy Visitor")
    items = bundle.items_for(sar)
    matches = [i for i in items if i.type_label == "Match with a child"]
    assert matches and all(
        ("Child", "[Withheld: information about another person]") in i.fields for i in matches
    )
    shown = str([i.fields for i in items if i.type_label in ("Match with a child", "Visit made")])
    assert "Amy" not in shown
    concerns = [i for i in items if i.type_label == "Safeguarding concern they raised"]
    assert concerns

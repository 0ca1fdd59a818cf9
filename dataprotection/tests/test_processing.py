"""Records of processing: generated from the models, so a new model or field cannot be missed."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from dataprotection import processing


def test_every_model_of_ours_is_classified() -> None:
    labels = {m._meta.label for m in processing.project_models()}
    unclassified = labels - processing.classified_labels()
    assert not unclassified, (
        "models with no place in the records of processing: add each to a category in "
        f"dataprotection/processing.py, or to NOT_PERSONAL with a reason: {sorted(unclassified)}"
    )
    stale = processing.classified_labels() - labels
    assert not stale, f"records of processing names models that no longer exist: {stale}"


def test_a_model_is_in_one_category_only() -> None:
    seen: dict[str, str] = {}
    for c in processing.CATEGORIES:
        for label in c.models:
            assert label not in seen, f"{label} is in {seen[label]} and {c.name}"
            assert label not in processing.NOT_PERSONAL, f"{label} is personal and not"
            seen[label] = c.name


def test_special_category_fields_exist() -> None:
    for label, fields in processing.SPECIAL_FIELDS.items():
        names = {f.name for f in apps.get_model(label)._meta.concrete_fields}
        assert set(fields) <= names, f"{label}: no fields {set(fields) - names}"


def test_fields_come_from_the_model() -> None:
    category = processing.CATEGORIES[0]
    child = next(m for m in processing.model_rows(category) if m.label == "referrals.Child")
    labels = {f.label for f in child.fields}
    assert {"First name", "Date of birth", "Date of death", "Ethnicity"} <= labels
    assert "Public id" not in labels
    special = {f.label: f.special for f in child.fields if f.special}
    assert special["Ethnicity"] == "racial or ethnic origin"


@pytest.mark.django_db
def test_the_page_lists_categories_basis_and_retention(
    world: Any, client: Any, no_second_factor: Any
) -> None:
    client.force_login(world.dpo)
    response = client.get(reverse("dataprotection:processing"))
    assert response.status_code == 200
    body = response.content.decode()
    for c in processing.CATEGORIES:
        assert c.name.replace("'", "&#x27;") in body
    assert "Article 6(1)(e)" in body
    assert "75 years" in body
    assert "Medical conditions and medication" in body
    assert "criminal offence data" in body


@pytest.mark.django_db
def test_the_page_is_for_managers_and_the_dpo_only(
    world: Any, client: Any, no_second_factor: Any
) -> None:
    for persona, status in [
        ("manager", 200),
        ("dpo", 200),
        ("coordinator", 404),
        ("iv", 404),
        ("complaints_manager", 404),
    ]:
        client.force_login(world.people[persona])
        assert client.get(reverse("dataprotection:processing")).status_code == status, persona

"""The child's fields are declared once (referrals/child_fields.py): a field of the model that
is not declared fails here, and the visit card shows the declared card fields and no other."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from referrals import child_fields
from referrals.forms import CHILD_SECTIONS, ChildForm
from referrals.models import Child
from referrals.tests.helpers import fill_child, shown_as
from tests.personas import World

DECLARED = {f.name for f in child_fields.CHILD_FIELDS}
ON_CARD = {f.name for f in child_fields.card_fields()}
# The card's page names the child by first name (with their age): never anything else.
NAMED_ON_THE_CARD = {"first_name"}


def test_every_field_of_the_child_is_declared_once() -> None:
    concrete = {f.name for f in Child._meta.concrete_fields} - set(child_fields.TECHNICAL)
    missing = sorted(concrete - DECLARED)
    assert not missing, (
        f"Child fields not in referrals/child_fields.py: {missing}. Add one line for each: "
        "its form section, whether it is on the visit card, its special category and "
        "whether the subject access bundle shows it."
    )
    assert not DECLARED - concrete, f"declared but not on Child: {DECLARED - concrete}"
    names = [f.name for f in child_fields.CHILD_FIELDS]
    assert len(names) == len(set(names)), "a field is declared twice"
    assert {f.section for f in child_fields.CHILD_FIELDS} <= {"", *child_fields.SECTIONS}
    positions = [f.card.position for f in child_fields.CHILD_FIELDS if f.card]
    assert len(positions) == len(set(positions)), "two visit card lines in one position"


def test_the_form_has_the_declared_sections_and_fields() -> None:
    assert [title for title, _ in CHILD_SECTIONS] == list(child_fields.SECTIONS)
    on_form = {f.name for f in child_fields.CHILD_FIELDS if f.section}
    assert set(ChildForm.base_fields) == on_form


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def card_lines(html: str) -> list[tuple[str, str]]:
    card = html[html.index('<dl class="mb-0 visit-card">') :]
    card = card[: card.index("</dl>")]
    return re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", card, flags=re.S)


@pytest.mark.django_db
@pytest.mark.usefixtures("no_second_factor")
@pytest.mark.parametrize("page", ["card", "iv_home"])
def test_the_visit_card_shows_every_card_field_and_nothing_else(world: World, page: str) -> None:
    child = fill_child(world.child)
    url = (
        reverse("children:visit_card", args=[child.public_id])
        if page == "card"
        else reverse("portal:home")
    )
    html = signed_in(world.iv).get(url).content.decode()
    lines = card_lines(html)
    expected = [
        (f.card.label.format(first_name=child.first_name), shown_as(child, f.name))
        for f in child_fields.card_fields()
        if f.card
    ]
    assert lines[: len(expected)] == expected
    assert [label for label, _ in lines[len(expected) :]] == ["Carer", "Out of hours"]
    for declared in child_fields.CHILD_FIELDS:
        name = declared.name
        if name in ON_CARD | NAMED_ON_THE_CARD or name == "scheme" or name == "merged_into":
            continue
        if isinstance(getattr(child, name), bool):
            continue  # a yes or no cannot be told apart on a page
        assert shown_as(child, name) not in html, f"{name} is not on the visit card"


@pytest.mark.django_db
@pytest.mark.usefixtures("no_second_factor")
def test_an_empty_card_line_says_so(world: World) -> None:
    Child.objects.filter(pk=world.child.pk).update(allergies="", diet="", places_to_avoid="")
    html = signed_in(world.iv).get(reverse("children:visit_card", args=[world.child.public_id]))
    lines = dict(card_lines(html.content.decode()))
    assert lines["Allergies"] == "None known"
    assert lines["Diet"] == "No restrictions known"
    assert lines["Places to avoid"] == "None"


@pytest.mark.django_db
@pytest.mark.usefixtures("no_second_factor")
def test_the_childs_page_lists_every_safety_field(world: World) -> None:
    child = fill_child(world.child)
    html = signed_in(world.coordinator).get(reverse("children:detail", args=[child.public_id]))
    body = html.content.decode()
    section = body[body.index('id="safety"') : body.index('id="risk"')]
    for declared in child_fields.section_fields(child_fields.SAFETY):
        assert shown_as(child, declared.name) in section, declared.name

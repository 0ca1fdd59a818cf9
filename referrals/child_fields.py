"""The child's fields, declared once: where each one goes.

Every concrete field of referrals.Child is here (referrals/tests/test_child_fields.py fails if
one is not), in the order the child's form shows them. Each line says:

- section: the form section it is edited in ("" when no form edits it); the fields of the
  safety section are also listed, in this order, on the child's page;
- card: how the IV's visit card shows it (None: never on the card, the IV must not see it);
- page: its label on the child's page when not the field's verbose name;
- special: the special category (UK GDPR Article 9) it holds, for the records of processing
  ("" when none);
- in_bundle: whether a subject access bundle shows it (its label there is the model field's
  verbose name).

Read by the child's form (referrals.forms), the services that save it (referrals.services),
the visit card (templates/referrals/_visit_card.html, through Child.visit_card_lines), the
subject access bundle (dataprotection.subjects) and the records of processing
(dataprotection.processing). To add a field to a child: add it to the model, add one line
here, make the migration.

Plain data only: this module imports nothing of Django, so anything may read it.
"""

from __future__ import annotations

from dataclasses import dataclass

# The form's sections, in the order a social worker thinks about the child.
ABOUT = "About the child"
WANTS = "What the child wants"
SAFETY = "Keeping the child safe on a visit"
RISK = "Risk"
CONSENT = "Consent"
SECTIONS: tuple[str, ...] = (ABOUT, WANTS, SAFETY, RISK, CONSENT)


@dataclass(frozen=True)
class Card:
    """One line of the IV's visit card."""

    position: int  # the card's own order (what matters most on a visit comes first)
    label: str  # "{first_name}" is replaced by the child's first name
    empty: str = "None known"  # shown when the field is empty, so the IV knows it was asked


@dataclass(frozen=True)
class ChildField:
    name: str
    section: str = ""
    card: Card | None = None
    special: str = ""
    in_bundle: bool = True
    page: str = ""


CHILD_FIELDS: tuple[ChildField, ...] = (
    # Identity
    ChildField("scheme", ABOUT, in_bundle=False),  # the scheme's name: not about the child
    ChildField("first_name", ABOUT),
    ChildField("last_name", ABOUT),
    ChildField("date_of_birth", ABOUT),
    ChildField("died_on", special="health"),  # set by the retention review, not the form
    ChildField("gender", ABOUT, special="may reveal gender identity"),
    ChildField("case_number", ABOUT),
    ChildField("legal_status", ABOUT),
    ChildField("ethnicity", ABOUT, special="racial or ethnic origin"),
    ChildField("religion", ABOUT, special="religious beliefs"),
    ChildField("languages", ABOUT),
    ChildField("social_worker", ABOUT),
    # The child's own voice
    ChildField("wishes_in_own_words", WANTS),
    ChildField("iv_gender_preference", WANTS),
    ChildField("shared_interests_wanted", WANTS),
    ChildField("interests", WANTS),
    # What an IV needs to keep the child safe
    ChildField("allergies", SAFETY, Card(1, "Allergies"), special="health"),
    ChildField("phobias", SAFETY, Card(4, "Phobias and fears")),
    ChildField(
        "diet", SAFETY, Card(3, "Diet", "No restrictions known"),
        special="health or religious beliefs",
    ),
    ChildField(
        "medical_conditions", SAFETY, Card(2, "Medical needs"), special="health", page="Medical",
    ),
    ChildField("places_to_avoid", SAFETY, Card(5, "Places to avoid", "None")),
    ChildField(
        "people_to_avoid", SAFETY, Card(6, "People {first_name} must not contact", "None"),
        page="People to avoid",
    ),
    ChildField(
        "cultural_restrictions", SAFETY, Card(7, "Cultural or religious restrictions", "None"),
        special="religious beliefs",
    ),
    ChildField("photo_consent", SAFETY, Card(8, "Photographs")),
    # Risk: staff and the social worker only, never on the visit card
    ChildField("risk_information", RISK, special="may include health and offending"),
    ChildField("risk_reviewed_on", RISK),
    ChildField("risk_reviewed_by"),  # set by the service to whoever reviewed the risk
    ChildField("consent_to_share", CONSENT),
    # The record itself
    ChildField("created_by"),
    # A coordinator's merge decision; the bundle shows the merged record as its own source.
    ChildField("merged_into", in_bundle=False),
)  # fmt: skip

# Columns every record has that say nothing about the child (core.models.BaseModel).
TECHNICAL: tuple[str, ...] = ("id", "public_id", "created_at", "updated_at")


def form_sections() -> list[tuple[str, list[str]]]:
    """The form's sections and their fields, in order."""
    return [(title, [f.name for f in CHILD_FIELDS if f.section == title]) for title in SECTIONS]


def section_fields(title: str) -> tuple[ChildField, ...]:
    return tuple(f for f in CHILD_FIELDS if f.section == title)


def form_field_names() -> tuple[str, ...]:
    return tuple(f.name for f in CHILD_FIELDS if f.section)


def card_fields() -> tuple[ChildField, ...]:
    """The visit card's fields, in the card's order."""
    on_card = [f for f in CHILD_FIELDS if f.card is not None]
    return tuple(sorted(on_card, key=lambda f: f.card.position if f.card else 0))


def bundle_field_names() -> tuple[str, ...]:
    return tuple(f.name for f in CHILD_FIELDS if f.in_bundle)


def special_fields() -> dict[str, str]:
    return {f.name: f.special for f in CHILD_FIELDS if f.special}

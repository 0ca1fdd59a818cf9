"""What a page shows, not only whether it answers (issue 19, acceptance).

For every page of the permission matrix that answers 200 to a persona of scheme north alone,
nothing of scheme south is on it: not the name or case number of south's child, not the name of
south's volunteer, and no public id of south's child, match, volunteer or concern. The complaints
manager and the data protection officer reach both schemes by their role, so they are not here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safeguarding import services as safeguarding_services
from tests.matrix.base import OK
from tests.test_permission_matrix import ROWS
from volunteers.tests.helpers import approved

NORTH_ONLY = ["coordinator", "manager", "iv", "other_iv", "social_worker", "other_social_worker"]

CASES = [
    (name, persona)
    for name in sorted(ROWS)
    if ROWS[name].method == "get"
    for persona in NORTH_ONLY
    if ROWS[name].expect[persona] == OK
]


def south_records(world: Any) -> dict[str, str]:
    """South's demo-like records, each text that must not show north, and what it is."""
    from django.utils import timezone

    volunteer = approved(world.south, first_name="Sunita", last_name="Southgate")
    volunteer.user = world.south_iv
    volunteer.save(update_fields=["user"])
    concern = safeguarding_services.concern_raise(
        actor=world.south_iv, child=world.south_child, kind="concern", category="emotional",
        what_happened="Ben said a neighbour frightens him.", occurred_at=timezone.now(),
        told_child="yes",
    )  # fmt: skip
    child = world.south_child
    return {
        f"{child.first_name} {child.last_name}": "south's child's name",
        child.last_name: "south's child's surname",
        child.case_number: "south's child's case number",
        child.public_id: "south's child's public id",
        world.south_match.public_id: "south's match's public id",
        world.south_iv.full_name: "south's IV's name",
        "Southgate": "south's volunteer's surname",
        volunteer.public_id: "south's volunteer's public id",
        volunteer.reference: "south's volunteer's reference",
        concern.public_id: "south's concern's public id",
        "a neighbour frightens him": "south's concern's text",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_no_page_shows_north_anything_of_south(
    url_name: str, persona: str, world: Any, settings: Any
) -> None:
    settings.OTP_REQUIRED = False
    forbidden = south_records(world)
    row = ROWS[url_name]
    client = Client()
    client.force_login(world.people[persona])
    if row.prepare:
        row.prepare(world, client)
    path = row.path(world)
    response = client.get(path, row.data(world) if row.data else {})
    assert response.status_code == OK, f"{persona} GET {path}: {response.status_code}"
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode(  # type: ignore[attr-defined]
            "utf-8", "replace"
        )
    else:
        body = response.content.decode("utf-8", "replace")
    # A search page echoes what was typed: a text the request itself holds is no leak.
    asked = f"{path} {row.data(world) if row.data else ''}"
    shown = [
        f"{what} ({text!r})"
        for text, what in forbidden.items()
        if text in body and text not in asked
    ]
    assert not shown, f"{persona} GET {path} shows {', '.join(shown)}"


@pytest.mark.django_db
def test_the_check_would_see_south_where_it_belongs(world: Any, settings: Any) -> None:
    """The same texts are on south's own pages, so their absence above means something."""
    settings.OTP_REQUIRED = False
    forbidden = south_records(world)
    client = Client()
    client.force_login(world.other_coordinator)
    body = client.get(f"/children/{world.south_child.public_id}/").content.decode()
    assert world.south_child.case_number in body and world.south_child.last_name in body
    assert any(text in body for text in forbidden if text != world.south_child.last_name)

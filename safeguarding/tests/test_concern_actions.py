"""What a concern's page offers each person (services.concern_actions) is exactly what the
services let them do: every action is tried for real, in a savepoint that is rolled back, by
every persona, at every stage of the concern."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.refusals import NotAllowed
from safeguarding import services
from safeguarding.models import ActionKind, Concern
from tests.personas import World

pytestmark = pytest.mark.django_db

PERSONAS = [
    "coordinator", "manager", "iv", "other_iv", "social_worker", "complaints_manager", "dpo",
    "other_coordinator",
]  # fmt: skip

ACTIONS: dict[str, Callable[[Any, Concern], object]] = {
    "acknowledge": lambda actor, c: services.concern_acknowledge(actor=actor, concern=c),
    "record": lambda actor, c: services.concern_record(
        actor=actor, concern=c, kind=ActionKind.NOTE, happened_at=timezone.now(), detail="Noted."
    ),
    "share": lambda actor, c: _newly_shared(actor, c),
    "close": lambda actor, c: services.concern_close(actor=actor, concern=c, outcome="Resolved."),
}


class _Rollback(Exception):
    pass


def _newly_shared(actor: Any, concern: Concern) -> bool:
    """Sharing again is allowed and does nothing (a double tap): done only the first time."""
    before = concern.shared_with_social_worker_at
    services.concern_share_with_social_worker(actor=actor, concern=concern)
    return before is None


def _allowed(action: str, actor: Any, concern: Concern) -> bool:
    """The service does it (in a savepoint that is rolled back), rather than refusing."""
    try:
        with transaction.atomic():
            done = ACTIONS[action](actor, Concern.objects.get(pk=concern.pk))
            raise _Rollback(done is not False)
    except _Rollback as rollback:
        return bool(rollback.args[0])
    except (NotAllowed, ValidationError):
        return False


def _at(stage: str, world: World) -> Concern:
    concern = world.concern
    if stage in ("open", "shared", "closed"):
        concern = services.concern_acknowledge(actor=world.coordinator, concern=concern)
    if stage == "shared":
        services.concern_share_with_social_worker(actor=world.coordinator, concern=concern)
    if stage == "closed":
        services.concern_close(actor=world.manager, concern=concern, outcome="Resolved.")
    return Concern.objects.get(pk=concern.pk)


@pytest.mark.parametrize("stage", ["new", "open", "shared", "closed"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_page_offers_exactly_what_the_services_allow(
    persona: str, stage: str, world: World
) -> None:
    concern = _at(stage, world)
    actor = getattr(world, persona)
    offered = services.concern_actions(actor, concern)
    assert offered <= set(ACTIONS)
    allowed = {a for a in ACTIONS if _allowed(a, actor, concern)}
    assert offered == allowed


@pytest.mark.usefixtures("no_second_factor")
def test_the_buttons_follow_the_actions(client, world: World) -> None:
    concern = _at("open", world)
    url = reverse("safeguarding:detail", args=[concern.public_id])
    close_url = reverse("safeguarding:close", args=[concern.public_id])
    client.force_login(world.coordinator)
    page = client.get(url).content.decode()
    assert "Add to the chronology" in page and close_url not in page
    client.force_login(world.manager)
    assert close_url in client.get(url).content.decode()

"""Matches: staff of the scheme do everything; the IV and the child's social worker see the
match page (the social worker its status only); nobody else learns that a match exists."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests.matrix.base import NOT_FOUND, OK, REDIRECT, Row, everyone

STAFF_ONLY = everyone(NOT_FOUND, coordinator=OK, manager=OK)
# Every coordinator and manager has a list and a caseload of their own schemes.
ANY_STAFF = everyone(NOT_FOUND, coordinator=OK, manager=OK, other_coordinator=OK)
STAFF_WRITE = everyone(NOT_FOUND, coordinator=REDIRECT, manager=REDIRECT)

_made: dict[str, Any] = {}


def _waiting(world: Any, client: Any) -> None:
    from referrals.models import Referral

    Referral.objects.filter(pk=world.referral.pk).update(
        status="waiting", waiting_since=timezone.localdate()
    )


def _volunteer(world: Any, client: Any) -> None:
    from volunteers.tests.helpers import approved

    _made["volunteer"] = approved(world.north, user=world.other_iv)


def _waiting_and_volunteer(world: Any, client: Any) -> None:
    _waiting(world, client)
    _volunteer(world, client)


ROWS = {
    "matches:my_children": Row(
        lambda w: reverse("matches:my_children"),
        everyone(NOT_FOUND, social_worker=OK, other_social_worker=OK),
    ),
    "matches:list": Row(lambda w: reverse("matches:list"), ANY_STAFF),
    "matches:caseload": Row(lambda w: reverse("matches:caseload"), ANY_STAFF),
    "matches:suggestions": Row(
        lambda w: reverse("matches:suggestions", args=[w.referral.child.public_id]),
        STAFF_ONLY,
        prepare=_waiting,
    ),
    "matches:suggestions#post": Row(
        lambda w: reverse("matches:suggestions", args=[w.referral.child.public_id]),
        STAFF_WRITE,
        method="post",
        data=lambda w: {"volunteer": _made["volunteer"].public_id},
        prepare=_waiting_and_volunteer,
    ),
    "matches:volunteer_children": Row(
        lambda w: reverse("matches:volunteer_children", args=[_made["volunteer"].public_id]),
        STAFF_ONLY,
        prepare=_volunteer,
    ),
    "matches:detail": Row(
        lambda w: reverse("matches:detail", args=[w.match.public_id]),
        everyone(NOT_FOUND, coordinator=OK, manager=OK, iv=OK, social_worker=OK),
    ),
    "matches:act": Row(
        lambda w: reverse("matches:act", args=[w.match.public_id, "start-trial"]), STAFF_ONLY
    ),
    "matches:act#post": Row(
        lambda w: reverse("matches:act", args=[w.match.public_id, "start-trial"]),
        STAFF_WRITE,
        method="post",
    ),
}

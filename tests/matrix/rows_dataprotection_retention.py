"""Data protection, retention and legal holds: only the scheme's managers (north: `manager`)
and the organisation's data protection officer (`dpo`, both schemes) reach these pages; everyone
else gets 404, exactly like a missing page. Holds and volunteers are made lazily inside each
case (rolled back after it)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.matrix.base import NOT_FOUND, OK, REDIRECT, Expect, Row, everyone
from tests.personas import PASSWORD


def _volunteer(world: Any) -> Any:
    from volunteers.models import Volunteer
    from volunteers.tests.helpers import make_volunteer

    found = Volunteer.objects.filter(scheme=world.north, reference="IV-MATRIX").first()
    return found or make_volunteer(world.north, reference="IV-MATRIX")


def _hold(world: Any) -> Any:
    from django.utils import timezone

    from dataprotection.models import LegalHold

    found = LegalHold.objects.filter(child=world.child).first()
    if found is not None:
        return found
    return LegalHold.objects.create(
        scheme=world.north, child=world.child, reason_kind="police", reason="Matrix",
        placed_by=world.manager, placed_at=timezone.now(),
    )  # fmt: skip


def confirm_password(world: Any, client: Any) -> None:
    client.post(reverse("accounts:sudo"), {"password": PASSWORD})


DP: Expect = everyone(NOT_FOUND, manager=OK, dpo=OK)
DP_POST: Expect = everyone(NOT_FOUND, manager=REDIRECT, dpo=REDIRECT)
DPO_ONLY: Expect = everyone(NOT_FOUND, dpo=OK)
HOLD = {"reason_kind": "police", "reason": "Operation Lantern, ref 42"}
APPROVE = {"scheme": "north", "record_type": "complaint"}

ROWS = {
    "dataprotection:retention": Row(lambda w: reverse("dataprotection:retention"), DP),
    "dataprotection:retention_edit": Row(
        lambda w: reverse("dataprotection:retention_edit", args=["north", "complaint"]), DP
    ),
    "dataprotection:retention_edit#south": Row(
        lambda w: reverse("dataprotection:retention_edit", args=["south", "complaint"]), DPO_ONLY
    ),
    "dataprotection:retention_edit#unknown_type": Row(
        lambda w: reverse("dataprotection:retention_edit", args=["north", "nonsense"]),
        everyone(NOT_FOUND),
    ),
    "dataprotection:retention_edit#post": Row(
        lambda w: reverse("dataprotection:retention_edit", args=["north", "complaint"]),
        DP_POST,
        method="post",
        data=lambda w: {"years": "7", "months": "0"},
    ),
    "dataprotection:due": Row(lambda w: reverse("dataprotection:due"), DP),
    "dataprotection:due#post_without_password": Row(
        lambda w: reverse("dataprotection:due"), DP_POST, method="post", data=lambda w: APPROVE
    ),
    "dataprotection:due#post": Row(
        lambda w: reverse("dataprotection:due"),
        DP_POST,
        method="post",
        data=lambda w: APPROVE,
        prepare=confirm_password,
    ),
    "dataprotection:destructions": Row(lambda w: reverse("dataprotection:destructions"), DP),
    "dataprotection:holds": Row(lambda w: reverse("dataprotection:holds"), DP),
    "dataprotection:hold_child": Row(
        lambda w: reverse("dataprotection:hold_child", args=[w.child.public_id]), DP
    ),
    "dataprotection:hold_child#south": Row(
        lambda w: reverse("dataprotection:hold_child", args=[w.south_child.public_id]), DPO_ONLY
    ),
    "dataprotection:hold_child#post": Row(
        lambda w: reverse("dataprotection:hold_child", args=[w.child.public_id]),
        DP_POST,
        method="post",
        data=lambda w: HOLD,
    ),
    "dataprotection:hold_volunteer": Row(
        lambda w: reverse("dataprotection:hold_volunteer", args=[_volunteer(w).public_id]), DP
    ),
    "dataprotection:hold_volunteer#post": Row(
        lambda w: reverse("dataprotection:hold_volunteer", args=[_volunteer(w).public_id]),
        DP_POST,
        method="post",
        data=lambda w: HOLD,
    ),
    "dataprotection:hold_lift": Row(
        lambda w: reverse("dataprotection:hold_lift", args=[_hold(w).public_id]), DP
    ),
    "dataprotection:hold_lift#post": Row(
        lambda w: reverse("dataprotection:hold_lift", args=[_hold(w).public_id]),
        DP_POST,
        method="post",
        data=lambda w: {"lift_reason": "The claim was settled."},
    ),
}

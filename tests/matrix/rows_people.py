from django.urls import reverse

from tests.matrix.base import NOT_FOUND, OK, REDIRECT, Row, everyone
from tests.personas import PASSWORD


def confirm_password(world, client) -> None:
    """Role changes need a fresh password confirmation (sudo mode)."""
    client.post(reverse("accounts:sudo"), {"password": PASSWORD})


def other_iv_membership(world) -> str:
    return world.other_iv.memberships.get().public_id


NORTH_STAFF_ONLY = everyone(NOT_FOUND, coordinator=OK, manager=OK)

ROWS = {
    "people:list": Row(lambda w: reverse("people:list", args=["north"]), NORTH_STAFF_ONLY),
    "people:invite": Row(lambda w: reverse("people:invite", args=["north"]), NORTH_STAFF_ONLY),
    "people:change_role": Row(
        lambda w: reverse("people:change_role", args=[other_iv_membership(w)]),
        NORTH_STAFF_ONLY,
        prepare=confirm_password,
    ),
    "people:deactivate": Row(
        lambda w: reverse("people:deactivate", args=[other_iv_membership(w)]),
        NORTH_STAFF_ONLY,
        prepare=confirm_password,
    ),
    # The POST that ends the role: done, then back to the list.
    "people:deactivate#post": Row(
        lambda w: reverse("people:deactivate", args=[other_iv_membership(w)]),
        everyone(NOT_FOUND, coordinator=REDIRECT, manager=REDIRECT),
        method="post",
        prepare=confirm_password,
    ),
}

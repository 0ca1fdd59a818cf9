from django.urls import reverse

from tests.matrix.base import LOGIN, NOT_FOUND, OK, Expect, Row, everyone

# Amy is a child of scheme north: her coordinator, the manager and her social worker see her
# record; her IV sees only her visit card; everyone else gets 404, as if she did not exist.
CHILD_RECORD: Expect = {
    "coordinator": OK,
    "other_coordinator": NOT_FOUND,
    "manager": OK,
    "iv": NOT_FOUND,
    "other_iv": NOT_FOUND,
    "social_worker": OK,
    "other_social_worker": NOT_FOUND,
    "complaints_manager": NOT_FOUND,
    "dpo": NOT_FOUND,
    "anonymous": LOGIN,
}

ROWS = {
    "portal:home": Row(lambda w: reverse("portal:home"), everyone(OK)),
    "children:list": Row(lambda w: reverse("children:list"), everyone(OK)),
    "children:create": Row(
        lambda w: reverse("children:create"),
        everyone(NOT_FOUND, coordinator=OK, other_coordinator=OK, manager=OK),
    ),
    "children:detail": Row(
        lambda w: reverse("children:detail", args=[w.child.public_id]), CHILD_RECORD
    ),
    "children:edit": Row(
        lambda w: reverse("children:edit", args=[w.child.public_id]), CHILD_RECORD
    ),
    "children:visit_card": Row(
        lambda w: reverse("children:visit_card", args=[w.child.public_id]),
        everyone(NOT_FOUND, coordinator=OK, manager=OK, iv=OK),
    ),
}

from django.urls import reverse

from tests.matrix.base import NOT_FOUND, OK, REDIRECT, Row, everyone

STAFF = everyone(NOT_FOUND, coordinator=OK, other_coordinator=OK, manager=OK)


def concern(name: str):
    return lambda w: reverse(name, args=[w.concern.public_id])


ROWS = {
    "safeguarding:register": Row(lambda w: reverse("safeguarding:register"), STAFF),
    # Anyone with a child they may raise a concern about: the IV (their match), the social
    # worker (allocated children), the scheme's staff.
    "safeguarding:raise": Row(
        lambda w: reverse("safeguarding:raise"),
        everyone(
            NOT_FOUND, coordinator=OK, other_coordinator=OK, manager=OK, iv=OK, social_worker=OK
        ),
    ),
    "safeguarding:mine": Row(lambda w: reverse("safeguarding:mine"), everyone(OK)),
    # Ivy raised it: she sees her report; Amy's social worker does not until it is shared.
    "safeguarding:detail": Row(
        concern("safeguarding:detail"), everyone(NOT_FOUND, coordinator=OK, manager=OK, iv=OK)
    ),
    "safeguarding:raised": Row(concern("safeguarding:raised"), everyone(NOT_FOUND, iv=OK)),
    "safeguarding:acknowledge": Row(
        concern("safeguarding:acknowledge"),
        everyone(NOT_FOUND, coordinator=REDIRECT, manager=REDIRECT),
        method="post",
    ),
    "safeguarding:record": Row(
        concern("safeguarding:record"), everyone(NOT_FOUND, coordinator=OK, manager=OK)
    ),
    "safeguarding:share": Row(
        concern("safeguarding:share"),
        everyone(NOT_FOUND, coordinator=REDIRECT, manager=REDIRECT),
        method="post",
    ),
    "safeguarding:close": Row(concern("safeguarding:close"), everyone(NOT_FOUND, manager=OK)),
}

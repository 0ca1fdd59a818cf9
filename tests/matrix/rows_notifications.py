from django.urls import reverse

from tests.matrix.base import NOT_FOUND, OK, Row, everyone

ROWS = {
    "notifications:preferences": Row(lambda w: reverse("notifications:preferences"), everyone(OK)),
    "notifications:scheme_settings": Row(
        lambda w: reverse("notifications:scheme_settings", args=["north"]),
        everyone(NOT_FOUND, manager=OK),
    ),
    "notifications:jobs": Row(
        lambda w: reverse("notifications:jobs"), everyone(NOT_FOUND, manager=OK)
    ),
}

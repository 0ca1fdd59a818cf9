"""Visits: the IV of the match and the scheme's staff see a visit; a social worker sees only
the dates list; reports are for their author and staff; anyone else gets 404."""

from datetime import timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.matrix.base import NOT_FOUND, OK, REDIRECT, Expect, Row, everyone


def _visit(status="planned", **kw):
    def make(w):
        from visits.tests.helpers import make_visit

        return make_visit(w, status=status, **kw)

    return make


def _past_held(w):
    from visits.tests.helpers import make_visit

    return make_visit(w, status="held", starts_at=timezone.now() - timedelta(days=1))


def _report(w):
    from visits.tests.helpers import make_report

    return make_report(w)


def _on_visit(name, make=None):
    make = make or _visit()
    return lambda w: reverse(f"visits:{name}", args=[make(w).public_id])


def _on_report(name):
    return lambda w: reverse(f"visits:{name}", args=[_report(w).public_id])


def _plan_data(w):
    day = timezone.localdate() + timedelta(days=3)
    return {
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "kind": "face_to_face",
        "place": "Park",
        "activity": "Walk",
        "named_person_name": "Ned",
        "named_person_phone": "07700 900111",
    }


def _report_data(w):
    return {
        "client_id": "8f1c0d2e-1111-4a4a-9b9b-123456789abc",
        "what_we_did": "Cinema",
        "how_child_seemed": "Cheerful",
    }


def _platform(w):
    from visits.tests.helpers import make_platform

    return reverse("visits:platform_edit", args=[make_platform(w.north).public_id])


def _feed(w):
    from visits.tests.helpers import make_feed

    return reverse("visits:calendar_feed", args=[make_feed(w.iv).token])


MANAGE: Expect = everyone(NOT_FOUND, coordinator=OK, manager=OK, iv=OK)
MANAGE_POST: Expect = everyone(NOT_FOUND, coordinator=REDIRECT, manager=REDIRECT, iv=REDIRECT)
STAFF_ANY: Expect = everyone(NOT_FOUND, coordinator=OK, other_coordinator=OK, manager=OK)

try:
    reverse("safeguarding:raise")
    WORRIED_OK: int = REDIRECT  # handed over to the safeguarding concern form
except NoReverseMatch:
    WORRIED_OK = OK  # the "call now" page

ROWS = {
    "visits:lapsed": Row(
        lambda w: reverse("visits:lapsed"),
        everyone(NOT_FOUND, coordinator=OK, other_coordinator=OK, manager=OK),
    ),
    "visits:list": Row(
        lambda w: reverse("visits:list"), everyone(OK, complaints_manager=NOT_FOUND, dpo=NOT_FOUND)
    ),
    "visits:plan": Row(lambda w: reverse("visits:plan"), everyone(NOT_FOUND, iv=OK)),
    "visits:plan#post": Row(
        lambda w: reverse("visits:plan"),
        everyone(NOT_FOUND, iv=REDIRECT),
        method="post",
        data=_plan_data,
    ),
    "visits:service_worker": Row(
        lambda w: reverse("visits:service_worker"), everyone(OK, anonymous=OK)
    ),
    "visits:report_queue": Row(lambda w: reverse("visits:report_queue"), STAFF_ANY),
    "visits:report_detail": Row(_on_report("report_detail"), MANAGE),
    "visits:report_acknowledge": Row(
        _on_report("report_acknowledge"),
        everyone(NOT_FOUND, coordinator=REDIRECT, manager=REDIRECT),
        method="post",
    ),
    "visits:report_note": Row(
        _on_report("report_note"), MANAGE_POST, method="post", data=lambda w: {"text": "More"}
    ),
    "visits:platforms": Row(lambda w: reverse("visits:platforms"), STAFF_ANY),
    "visits:platform_edit": Row(
        _platform,
        everyone(NOT_FOUND, coordinator=OK, manager=OK),
    ),
    "visits:calendar": Row(
        lambda w: reverse("visits:calendar"), everyone(NOT_FOUND, iv=OK, other_iv=OK)
    ),
    "visits:calendar_feed": Row(_feed, everyone(OK, anonymous=OK)),
    "visits:calendar_feed#unknown": Row(
        lambda w: reverse("visits:calendar_feed", args=["not-a-token"]),
        everyone(NOT_FOUND, anonymous=NOT_FOUND),
    ),
    "visits:detail": Row(_on_visit("detail"), MANAGE),
    "visits:check_in": Row(
        _on_visit("check_in", _visit(starts_at=timezone.now())), MANAGE_POST, method="post"
    ),
    "visits:check_out": Row(
        _on_visit("check_out", _visit("under_way", starts_at=timezone.now())),
        MANAGE_POST,
        method="post",
    ),
    "visits:record_held": Row(
        _on_visit("record_held", _visit(kind="phone", starts_at=timezone.now())),
        MANAGE_POST,
        method="post",
    ),
    "visits:cancel": Row(_on_visit("cancel"), MANAGE),
    "visits:cancel#post": Row(
        _on_visit("cancel"),
        MANAGE_POST,
        method="post",
        data=lambda w: {"cancelled_by": "child", "reason": "Unwell"},
    ),
    "visits:report": Row(_on_visit("report", _past_held), everyone(NOT_FOUND, iv=OK)),
    "visits:report#post": Row(
        _on_visit("report", _past_held),
        everyone(NOT_FOUND, iv=REDIRECT),
        method="post",
        data=_report_data,
    ),
    "visits:worried": Row(
        _on_visit("worried"),
        everyone(NOT_FOUND, coordinator=WORRIED_OK, manager=WORRIED_OK, iv=WORRIED_OK),
    ),
}

"""Subject access requests: the scheme's managers and the organisation's data protection officer
reach every page; the coordinator the request is assigned to reaches that request's page and
marks what to withhold, nothing else (not the download: they prepare, managers release).
Everyone else gets 404. The request (for Amy, north, assigned to the north coordinator) is made
lazily inside each case and rolled back after it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.matrix.base import NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Expect, Row, everyone
from tests.matrix.rows_reports import confirm_password

BUNDLE_PDF = "subject-access/permission-matrix.pdf"
BUNDLE_CSV = "subject-access/permission-matrix.csv"


def _request(world: Any) -> Any:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from dataprotection.models import SubjectAccessRequest

    found = SubjectAccessRequest.objects.filter(child=world.child).first()
    if found is not None:
        return found
    for name, content in ((BUNDLE_PDF, b"%PDF-1.4\n"), (BUNDLE_CSV, b"When\n")):
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))
    today = timezone.localdate()
    return SubjectAccessRequest.objects.create(
        scheme=world.north, child=world.child, requester_name="Amy Atkins",
        received_on=today, due_on=today, assigned_to=world.coordinator,
        created_by=world.manager, bundle_status="done", bundle_progress=100,
        bundle_pdf=BUNDLE_PDF, bundle_csv=BUNDLE_CSV, bundle_started_at=timezone.now(),
        bundle_finished_at=timezone.now(),
    )  # fmt: skip


def _in_two_months(world: Any) -> str:
    from dateutil.relativedelta import relativedelta

    return (_request(world).received_on + relativedelta(months=2)).isoformat()


def _volunteer(world: Any) -> Any:
    from volunteers.models import Volunteer

    found = Volunteer.objects.filter(user=world.iv).first()
    if found is not None:
        return found
    return Volunteer.objects.create(
        scheme=world.north, user=world.iv, first_name="Ivy", last_name="Visitor",
        email=world.iv.email, reference="IV-M0001",
    )  # fmt: skip


def _url(name: str, *extra: str) -> Any:
    return lambda w: reverse(f"dataprotection:{name}", args=[_request(w).public_id, *extra])


DP: Expect = everyone(NOT_FOUND, manager=OK, dpo=OK)
DP_POST: Expect = everyone(NOT_FOUND, manager=REDIRECT, dpo=REDIRECT)
POST_ONLY: Expect = everyone(NOT_ALLOWED)


def _post(name: str, data: Any = None) -> Row:
    return Row(_url(name), DP_POST, method="post", data=data)


ROWS = {
    "dataprotection:requests": Row(lambda w: reverse("dataprotection:requests"), DP),
    "dataprotection:request_create_child": Row(
        lambda w: reverse("dataprotection:request_create_child", args=[w.child.public_id]), DP
    ),
    "dataprotection:request_create_child#south": Row(
        # The DPO reaches both schemes; the north manager does not reach a south child.
        lambda w: reverse("dataprotection:request_create_child", args=[w.south_child.public_id]),
        everyone(NOT_FOUND, dpo=OK),
    ),
    "dataprotection:request_create_child#post": Row(
        lambda w: reverse("dataprotection:request_create_child", args=[w.child.public_id]),
        DP_POST,
        method="post",
        data=lambda w: {
            "requester_name": "Amy Atkins",
            "requester_relationship": "Herself",
            "received_on": "2026-01-05",
        },
    ),
    "dataprotection:request_create_volunteer": Row(
        lambda w: reverse(
            "dataprotection:request_create_volunteer", args=[_volunteer(w).public_id]
        ),
        DP,
    ),
    "dataprotection:request_create_volunteer#post": Row(
        lambda w: reverse(
            "dataprotection:request_create_volunteer", args=[_volunteer(w).public_id]
        ),
        DP_POST,
        method="post",
        data=lambda w: {
            "requester_name": "Ivy Visitor",
            "requester_relationship": "Herself",
            "received_on": "2026-01-05",
        },
    ),
    "dataprotection:request": Row(
        _url("request"), everyone(NOT_FOUND, manager=OK, dpo=OK, coordinator=OK)
    ),
    "dataprotection:request_extend": Row(_url("request_extend"), POST_ONLY),
    "dataprotection:request_extend#post": _post(
        "request_extend",
        lambda w: {"new_due_on": _in_two_months(w), "reason": "Complex"},
    ),
    "dataprotection:request_assign": Row(_url("request_assign"), POST_ONLY),
    "dataprotection:request_assign#post": _post(
        "request_assign", lambda w: {"assigned_to": w.coordinator.pk}
    ),
    "dataprotection:request_redact": Row(_url("request_redact"), POST_ONLY),
    "dataprotection:request_redact#post": Row(
        _url("request_redact"),
        everyone(NOT_FOUND, manager=REDIRECT, dpo=REDIRECT, coordinator=REDIRECT),
        method="post",
        data=lambda w: {
            "item_key": f"referrals.Child:{w.child.public_id}",
            "action": "withhold",
            "reason": "Third party",
        },
    ),
    "dataprotection:request_bundle": Row(_url("request_bundle"), POST_ONLY),
    "dataprotection:request_bundle#post": _post("request_bundle"),
    "dataprotection:request_download": Row(
        _url("request_download", "pdf"), DP, prepare=confirm_password
    ),
    "dataprotection:request_download#csv": Row(
        _url("request_download", "csv"), DP, prepare=confirm_password
    ),
    "dataprotection:request_download#without_password": Row(
        _url("request_download", "pdf"), everyone(NOT_FOUND, manager=REDIRECT, dpo=REDIRECT)
    ),
    "dataprotection:request_release": Row(_url("request_release"), POST_ONLY),
    "dataprotection:request_release#post": _post("request_release"),
    "dataprotection:request_withdraw": Row(_url("request_withdraw"), POST_ONLY),
    "dataprotection:request_withdraw#post": _post("request_withdraw"),
}

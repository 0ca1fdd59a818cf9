"""Expenses: an IV sees only their own claims; the scheme's coordinators and managers see and
decide on its claims; finance pages are for staff; anyone else gets 404."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from tests.matrix.base import NOT_FOUND, OK, REDIRECT, Row, everyone


def _visit(w, days_ago=1):
    from visits.tests.helpers import make_visit

    return make_visit(w, status="held", starts_at=timezone.now() - timedelta(days=days_ago))


def _claim(w, status="draft"):
    # Made straight in the database: the matrix is about who may see what, and this keeps
    # receipt files out of MEDIA_ROOT (mileage needs none).
    from expenses.models import Claim, ClaimItem, ClaimQuery

    visit = _visit(w)
    claim = Claim.objects.create(
        scheme=w.north, volunteer=w.iv, visit=visit, match=w.match, status=status,
        total=Decimal("4.50"), submitted_at=None if status == "draft" else timezone.now(),
    )  # fmt: skip
    item = ClaimItem.objects.create(
        claim=claim, category="mileage", miles=Decimal("10"), amount=Decimal("4.50"),
        spent_on=timezone.localdate(),
    )  # fmt: skip
    if status == "queried":
        ClaimQuery.objects.create(claim=claim, item=item, question="Which route?")
    return claim


def _on_claim(name, status="draft"):
    return lambda w: reverse(f"expenses:{name}", args=[_claim(w, status).public_id])


def _item_remove(w):
    claim = _claim(w)
    return reverse("expenses:item_remove", args=[claim.public_id, claim.items.get().public_id])


def _receipt(w):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from expenses.tests.helpers import jpeg_bytes

    name = "expenses/matrix-receipt.jpg"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(jpeg_bytes()))
    claim = _claim(w)
    item = claim.items.get()
    item.category = "parking"
    item.receipt.name = name
    item.receipt_content_type = "image/jpeg"
    item.save()
    return reverse("expenses:receipt", args=[item.public_id])


def _preauth(w):
    from expenses.models import PreAuthorisation
    from visits.tests.helpers import make_visit

    p = PreAuthorisation.objects.create(
        scheme=w.north, volunteer=w.iv, visit=make_visit(w), reference="PA-MATRIX",
        amount=Decimal("40.00"), reason="Theme park",
    )  # fmt: skip
    return reverse("expenses:preauth_decide", args=[p.public_id])


def _batch(name):
    def path(w):
        from expenses.models import Claim, PaymentBatch

        b = PaymentBatch.objects.create(scheme=w.north, reference="B-MATRIX")
        Claim.objects.filter(pk=_claim(w, "approved").pk).update(batch=b)
        return reverse(f"expenses:{name}", args=[b.public_id])

    return path


IVS = everyone(NOT_FOUND, iv=OK, other_iv=OK)
STAFF_ANY = everyone(NOT_FOUND, coordinator=OK, other_coordinator=OK, manager=OK)
NORTH_STAFF = everyone(NOT_FOUND, coordinator=OK, manager=OK)
NORTH_STAFF_POST = everyone(NOT_FOUND, coordinator=REDIRECT, manager=REDIRECT)
OWNER = everyone(NOT_FOUND, iv=OK)
OWNER_POST = everyone(NOT_FOUND, iv=REDIRECT)

ROWS = {
    "expenses:mine": Row(lambda w: reverse("expenses:mine"), IVS),
    "expenses:start": Row(lambda w: reverse("expenses:start"), IVS),
    "expenses:start#post": Row(
        lambda w: reverse("expenses:start"),
        everyone(NOT_FOUND, iv=REDIRECT, other_iv=OK),  # not Otto's visit: the form says so
        method="post",
        data=lambda w: {"visit": _visit(w).pk},
    ),
    "expenses:queue": Row(lambda w: reverse("expenses:queue"), STAFF_ANY),
    "expenses:preauths": Row(
        lambda w: reverse("expenses:preauths"),
        everyone(NOT_FOUND, iv=OK, other_iv=OK, coordinator=OK, other_coordinator=OK, manager=OK),
    ),
    "expenses:preauth_new": Row(lambda w: reverse("expenses:preauth_new"), IVS),
    "expenses:preauth_decide": Row(_preauth, NORTH_STAFF),
    "expenses:finance": Row(lambda w: reverse("expenses:finance"), STAFF_ANY),
    "expenses:export": Row(
        lambda w: reverse("expenses:export", args=["north"]), NORTH_STAFF_POST, method="post"
    ),
    "expenses:settings": Row(
        lambda w: reverse("expenses:settings", args=["north"]), everyone(NOT_FOUND, manager=OK)
    ),
    "expenses:batch": Row(_batch("batch"), NORTH_STAFF),
    "expenses:batch_csv": Row(_batch("batch_csv"), NORTH_STAFF_POST),  # sudo first
    "expenses:receipt": Row(_receipt, everyone(NOT_FOUND, iv=OK, coordinator=OK, manager=OK)),
    "expenses:detail": Row(
        _on_claim("detail", "submitted"), everyone(NOT_FOUND, iv=OK, coordinator=OK, manager=OK)
    ),
    "expenses:item_add": Row(_on_claim("item_add"), OWNER),
    "expenses:item_remove": Row(_item_remove, OWNER_POST, method="post"),
    "expenses:submit": Row(_on_claim("submit"), OWNER_POST, method="post"),
    "expenses:answer": Row(
        _on_claim("answer", "queried"), OWNER_POST, method="post", data=lambda w: {"answer": "A"}
    ),
    "expenses:approve": Row(_on_claim("approve", "submitted"), NORTH_STAFF_POST, method="post"),
    "expenses:query": Row(_on_claim("query", "submitted"), NORTH_STAFF),
    "expenses:reject": Row(_on_claim("reject", "submitted"), NORTH_STAFF),
}

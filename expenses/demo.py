"""Demo expense claims: for each demo IV with visits, a claim in every state (draft, sent,
queried, approved, rejected, paid, and one over the limit with a pre-authorisation).
Idempotent: an IV who already has claims is left alone."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from PIL import Image

from expenses import services
from expenses.models import Claim, PreAuthorisation, PreAuthStatus
from expenses.uploads import CheckedReceipt
from visits.models import Visit, VisitStatus


def _receipt() -> CheckedReceipt:
    out = io.BytesIO()
    Image.new("RGB", (60, 90), (250, 250, 245)).save(out, format="JPEG")
    return CheckedReceipt(content=out.getvalue(), extension="jpg", content_type="image/jpeg")


def seed_demo(*, schemes: dict[str, Any], users: dict[str, Any], stdout: Any) -> None:
    made = 0
    for slug, scheme in schemes.items():
        iv = users.get(f"iv.{slug}@example.org")
        coordinator = users.get(f"coordinator.{slug}@example.org")
        if iv is None or coordinator is None or Claim.objects.filter(volunteer=iv).exists():
            continue
        visits = list(
            Visit.objects.filter(
                match__volunteer=iv, status=VisitStatus.HELD, starts_at__lt=timezone.now()
            )
            .select_related("match")
            .order_by("-starts_at")[:7]
        )
        if len(visits) < 7:
            continue
        draft, sent, queried, approved, rejected, paid, over = visits

        def claim(visit: Any, amount: str, category: str = "refreshments", iv: Any = iv) -> Claim:
            c = services.claim_start(actor=iv, visit=visit)
            services.item_add(
                actor=iv, claim=c, category=category, spent_on=timezone.localdate(visit.starts_at),
                amount=Decimal(amount), receipt=_receipt(), description="Demo receipt",
            )  # fmt: skip
            c.refresh_from_db()
            return c

        claim(draft, "3.80")
        services.claim_submit(actor=iv, claim=claim(sent, "6.40", "entrance_fees"))
        q = services.claim_submit(actor=iv, claim=claim(queried, "12.00", "public_transport"))
        services.claim_query(actor=coordinator, claim=q, question="Was this a return ticket?")
        r = services.claim_submit(actor=iv, claim=claim(rejected, "9.99", "other"))
        services.claim_reject(
            actor=coordinator, claim=r, reason="Personal shopping is not covered."
        )
        p = services.claim_submit(actor=iv, claim=claim(paid, "7.35", "parking"))
        services.claim_approve(actor=coordinator, claim=p)
        batch = services.batch_create(actor=coordinator, scheme=scheme)
        services.batch_mark_paid(
            actor=coordinator,
            batch=batch,
            paid_on=timezone.localdate(paid.starts_at) + timedelta(days=14),
        )
        # Approved after the batch was made, so it waits for the next one.
        a = services.claim_submit(actor=iv, claim=claim(approved, "5.20"))
        services.claim_approve(actor=coordinator, claim=a)
        # Over the per-visit limit, authorised before the visit: waits for a manager.
        PreAuthorisation.objects.create(
            scheme=scheme, volunteer=iv, visit=over, reference=f"PA-DEMO{slug[:1].upper()}1",
            amount=Decimal("40.00"), reason="Theme park day for the child's birthday",
            status=PreAuthStatus.GRANTED, decided_by=coordinator,
            decided_at=over.starts_at - timedelta(days=5), created_by=iv,
        )  # fmt: skip
        services.claim_submit(actor=iv, claim=claim(over, "32.00", "entrance_fees"))
        made += 7
    stdout.write(f"Expenses: {made} demo claims added.")

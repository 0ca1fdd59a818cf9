"""Expense claims by independent visitors (DOMAIN: Expense claim).

A claim belongs to one IV and one visit; its items carry the money. The workflow is
draft -> submitted -> approved / queried (answered, then submitted again) / rejected -> paid,
with the allowed moves in one table in expenses.services and every move a ClaimEvent row.
Money is always Decimal with two places: never a float.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import BaseModel, SchemeSettings, WorkflowEvent

PENNY = Decimal("0.01")


def receipt_path(instance: Any, filename: str) -> str:
    """A random name under MEDIA_ROOT/expenses/ (never served directly): the IV's own file
    name is kept only as a label, never as a path."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"expenses/{secrets.token_hex(16)}.{ext}"


class ExpenseSettings(SchemeSettings):
    """A scheme's limits and mileage rate. A scheme without a row uses the defaults."""

    refused_message = "Only the scheme's managers can change its expense limits."

    scheme = models.OneToOneField(
        "accounts.Scheme", on_delete=models.CASCADE, related_name="expense_settings"
    )
    mileage_rate = models.DecimalField(
        "mileage rate (pounds a mile)",
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.45"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    per_visit_limit = models.DecimalField(
        "limit for one visit (pounds)",
        max_digits=8,
        decimal_places=2,
        default=Decimal("25.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    monthly_limit = models.DecimalField(
        "limit for one month (pounds)",
        max_digits=8,
        decimal_places=2,
        default=Decimal("60.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
    )

    def __str__(self) -> str:
        return f"Expense settings for {self.scheme}"


class Category(models.TextChoices):
    REFRESHMENTS = "refreshments", "Refreshments"
    PUBLIC_TRANSPORT = "public_transport", "Public transport"
    MILEAGE = "mileage", "Mileage"
    PARKING = "parking", "Parking"
    ENTRANCE_FEES = "entrance_fees", "Entrance fees"
    OTHER = "other", "Other"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for approval"
    QUERIED = "queried", "Question from the coordinator"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    PAID = "paid", "Paid"


# Claims that count against the limits: everything the IV has sent that was not turned down.
COUNTED_STATUSES = [
    ClaimStatus.SUBMITTED,
    ClaimStatus.QUERIED,
    ClaimStatus.APPROVED,
    ClaimStatus.PAID,
]


class PreAuthStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a decision"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"


class PreAuthorisation(BaseModel):
    """Spending over a limit, asked for and decided before the visit (the seed: "costs that
    fall outside of these boundaries must be authorised in advance")."""

    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="+")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expense_preauths"
    )
    visit = models.ForeignKey("visits.Visit", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=12, unique=True)
    amount = models.DecimalField(
        "total you expect to spend (pounds)",
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(PENNY)],
    )
    reason = models.TextField("what it is for")
    status = models.CharField(
        max_length=20, choices=PreAuthStatus.choices, default=PreAuthStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("note", blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="preauth_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(status="requested")
                | (models.Q(decided_by__isnull=False) & models.Q(decided_at__isnull=False)),
                name="preauth_decision_says_who_and_when",
            ),
        ]
        indexes = [
            # The coordinator's list of requests waiting for a decision.
            models.Index(fields=["scheme", "status", "created_at"], name="preauth_queue_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class PaymentBatch(BaseModel):
    """Approved claims handed to finance together; paid on one date."""

    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=20, unique=True)
    paid_on = models.DateField("date paid", null=True, blank=True)
    total = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class Claim(BaseModel):
    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="+")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="expense_claims",
        verbose_name="independent visitor",
    )
    visit = models.ForeignKey("visits.Visit", on_delete=models.PROTECT, related_name="+")
    match = models.ForeignKey("matches.Match", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    # The sum of the items, kept by the services that add and remove items (exact pennies).
    total = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0.00"))
    # Set when sent: over a limit, so only a manager may approve it.
    over_limit = models.BooleanField(default=False)
    pre_authorisation = models.ForeignKey(
        PreAuthorisation, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField("reason", blank=True, default="")
    batch = models.ForeignKey(
        PaymentBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    paid_on = models.DateField("date paid", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One live claim per visit: a second would claim the same spending twice.
            models.UniqueConstraint(
                fields=["visit"],
                condition=~models.Q(status="rejected"),
                name="claim_one_live_per_visit",
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="claim_total_not_negative"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="claim_rejected_says_why",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="paid")
                | (models.Q(paid_on__isnull=False) & models.Q(batch__isnull=False)),
                name="claim_paid_has_date_and_batch",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["approved", "paid"])
                | ~models.Q(decided_by=models.F("volunteer")),
                name="claim_not_approved_by_claimant",
            ),
        ]
        indexes = [
            # The coordinators' queue: a scheme's claims waiting, oldest first.
            models.Index(fields=["scheme", "status", "submitted_at"], name="claim_queue_idx"),
            # "My claims" and the monthly limit: an IV's claims.
            models.Index(fields=["volunteer", "-created_at"], name="claim_volunteer_idx"),
        ]

    def __str__(self) -> str:
        return f"Claim for {self.visit}"

    @property
    def is_editable(self) -> bool:
        return self.status in (ClaimStatus.DRAFT, ClaimStatus.QUERIED)


class ClaimItem(BaseModel):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="items")
    category = models.CharField("what for", max_length=20, choices=Category.choices)
    spent_on = models.DateField("date")
    description = models.CharField("details", max_length=200, blank=True, default="")
    miles = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    amount = models.DecimalField(
        "amount (pounds)", max_digits=8, decimal_places=2, validators=[MinValueValidator(PENNY)]
    )
    receipt = models.FileField(upload_to=receipt_path, blank=True)
    receipt_content_type = models.CharField(max_length=50, blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["spent_on", "created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="item_amount_positive"),
            # Receipts are required except for mileage, which is miles times the rate.
            models.CheckConstraint(
                condition=models.Q(category="mileage") | ~models.Q(receipt=""),
                name="item_receipt_unless_mileage",
            ),
            models.CheckConstraint(
                condition=~models.Q(category="mileage") | models.Q(miles__gt=0),
                name="item_mileage_has_miles",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} £{self.amount}"


class ClaimQuery(BaseModel):
    """A coordinator's question about a claim (or one item of it) and the IV's answer."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="queries")
    item = models.ForeignKey(
        ClaimItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.TextField()
    answer = models.TextField(blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Question on {self.claim}"


class ClaimEvent(WorkflowEvent):
    """Every move of a claim: who, when, from, to, and why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass

"""Data protection: retention schedules, what is due for destruction, the anonymous record of
what was destroyed, legal holds, and subject access requests with their redactions.

Who reaches these records: the scheme's managers and the organisation's data protection
officer (accounts.access.data_protection_scheme_ids); the coordinator a request is assigned to
marks what to redact in that one request.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import BaseModel, new_public_id


class RecordType(models.TextChoices):
    CHILD_CASE = "child_case", "Looked-after child's case record"
    CHILD_DIED = "child_died", "Case record of a child who died before 18"
    VOLUNTEER = "volunteer", "Volunteer's record after they leave"
    ALLEGATION = "allegation", "Volunteer's record with a safeguarding allegation"
    APPLICANT = "applicant", "Unsuccessful applicant"
    EXPENSE = "expense", "Expense claim"
    COMPLAINT = "complaint", "Complaint"


class RetentionRule(BaseModel):
    """How long one type of record is kept in one scheme. A scheme without a row for a type
    uses the default in dataprotection.services.retention.DEFAULTS."""

    scheme = models.ForeignKey(
        "accounts.Scheme", on_delete=models.CASCADE, related_name="retention_rules"
    )
    record_type = models.CharField("type of record", max_length=20, choices=RecordType.choices)
    years = models.PositiveSmallIntegerField(default=0)
    months = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme__name", "record_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "record_type"], name="retention_rule_one_per_type"
            ),
            models.CheckConstraint(
                condition=models.Q(months__lt=12), name="retention_rule_months_under_12"
            ),
            models.CheckConstraint(
                condition=models.Q(years__gt=0) | models.Q(months__gt=0),
                name="retention_rule_not_zero",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()}: {self.years} years {self.months} months"


class DueStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a manager's decision"
    APPROVED = "approved", "Approved for destruction"


class DueRecord(models.Model):
    """A record that has passed its retention date, waiting for a manager to approve its
    destruction. Removed when the record is destroyed (only the anonymous DestructionRecord
    stays) or when it is no longer due (a hold, a new event that restarts the clock)."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.CASCADE, related_name="+")
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    # The pk of the record (Child, Volunteer, Claim or Complaint, by record_type).
    object_pk = models.PositiveBigIntegerField()
    label = models.CharField(max_length=300)
    due_on = models.DateField("due for review on")
    found_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=DueStatus.choices, default=DueStatus.PENDING)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["record_type", "due_on", "pk"]
        constraints = [
            # The job run twice lists a record once.
            models.UniqueConstraint(
                fields=["record_type", "object_pk"], name="due_record_once_per_record"
            ),
        ]
        indexes = [
            # The review page: a scheme's due records by type.
            models.Index(fields=["scheme", "status", "record_type"], name="due_record_review_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_record_type_display()} due {self.due_on}"


class DestructionAction(models.TextChoices):
    DESTROYED = "destroyed", "Destroyed"
    ANONYMISED = "anonymised", "Anonymised"
    ERASED = "erased", "Erased at the person's request"


class DestructionRecord(models.Model):
    """What was destroyed: the type, how many, when, who approved. Nothing that identifies
    the person the records were about."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=20, choices=RecordType.choices)
    action = models.CharField(max_length=12, choices=DestructionAction.choices)
    count = models.PositiveIntegerField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField()
    carried_out_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-carried_out_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gt=0), name="destruction_count_set"),
        ]
        indexes = [
            # The destruction log of a scheme, newest first.
            models.Index(fields=["scheme", "-carried_out_at"], name="destruction_log_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.count} {self.get_record_type_display()}"


class HoldReason(models.TextChoices):
    LITIGATION = "litigation", "Litigation or a claim"
    INQUIRY = "inquiry", "Public inquiry"
    POLICE = "police", "Police request"
    OTHER = "other", "Other"


class LegalHold(BaseModel):
    """Nothing about the child or volunteer under a hold is destroyed while it stands."""

    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "referrals.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="holds"
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holds",
    )
    reason_kind = models.CharField("why", max_length=12, choices=HoldReason.choices)
    reason = models.TextField("details", help_text="For example the claim or inquiry reference.")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField("why the hold is lifted", blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-placed_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(child__isnull=False, volunteer__isnull=True)
                    | models.Q(child__isnull=True, volunteer__isnull=False)
                ),
                name="legal_hold_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(lifted_at__isnull=True)
                | (models.Q(lifted_by__isnull=False) & ~models.Q(lift_reason="")),
                name="legal_hold_lift_has_reason",
            ),
        ]
        indexes = [
            # "Is this record under a hold?" on the record pages and in the retention job.
            models.Index(fields=["child", "lifted_at"], name="legal_hold_child_idx"),
            models.Index(fields=["volunteer", "lifted_at"], name="legal_hold_volunteer_idx"),
        ]

    def __str__(self) -> str:
        return f"Legal hold ({self.get_reason_kind_display()})"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    RELEASED = "released", "Released to the requester"
    WITHDRAWN = "withdrawn", "Withdrawn"


class BundleStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not produced yet"
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being produced"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class SubjectAccessRequest(BaseModel):
    """A request by a child (or care-experienced adult) or a volunteer for their records.
    Due one calendar month after it was received, extendable by up to two further months."""

    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "referrals.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_requests",
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_requests",
    )
    requester_name = models.CharField("who asked", max_length=200)
    requester_relationship = models.CharField(
        "their relationship to the person",
        max_length=200,
        default="The person themselves",
        help_text="For example the person themselves, their solicitor, a parent with consent.",
    )
    received_on = models.DateField("received on")
    due_on = models.DateField("due on")
    extended_due_on = models.DateField("extended to", null=True, blank=True)
    extension_reason = models.TextField("why it was extended", blank=True, default="")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="coordinator preparing it",
    )
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    released_on = models.DateField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The bundle: a tracked background job writing a PDF and a CSV to private storage.
    bundle_status = models.CharField(
        max_length=12, choices=BundleStatus.choices, default=BundleStatus.NOT_STARTED
    )
    bundle_progress = models.PositiveSmallIntegerField(default=0)
    bundle_pdf = models.FileField(upload_to="subject-access/", blank=True)
    bundle_csv = models.FileField(upload_to="subject-access/", blank=True)
    bundle_items = models.PositiveIntegerField(default=0)
    bundle_error = models.TextField(blank=True, default="")
    bundle_started_at = models.DateTimeField(null=True, blank=True)
    bundle_finished_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(child__isnull=False, volunteer__isnull=True)
                    | models.Q(child__isnull=True, volunteer__isnull=False)
                ),
                name="access_request_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("received_on")),
                name="access_request_due_after_received",
            ),
            models.CheckConstraint(
                condition=models.Q(extended_due_on__isnull=True)
                | (
                    models.Q(extended_due_on__gt=models.F("due_on"))
                    & ~models.Q(extension_reason="")
                ),
                name="access_request_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(bundle_progress__lte=100),
                name="access_request_progress_percent",
            ),
        ]
        indexes = [
            # The requests list and the daily reminder job: open requests by due date.
            models.Index(fields=["scheme", "status", "due_on"], name="access_request_open_idx"),
        ]

    def __str__(self) -> str:
        return f"Subject access request {self.public_id}"

    @property
    def deadline(self):  # type: ignore[no-untyped-def]
        return self.extended_due_on or self.due_on


class Redaction(models.Model):
    """Third-party information the coordinator marked to be withheld from the released bundle.
    `item_key` names one item of the bundle ("app.Model:public_id" or "app.Model:pk")."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="redactions"
    )
    item_key = models.CharField(max_length=120)
    reason = models.CharField(
        "why", max_length=300, default="Information about another person (third party)"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at"]
        constraints = [
            models.UniqueConstraint(fields=["request", "item_key"], name="redaction_once_per_item"),
        ]

    def __str__(self) -> str:
        return f"Redaction of {self.item_key}"

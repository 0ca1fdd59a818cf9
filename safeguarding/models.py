"""Safeguarding concerns, allegations and incidents.

Never deleted, never overwritten: what was reported stays as reported, and everything that
follows (acknowledgement, referrals, decisions, corrections, closure) is a dated, signed entry
in the chronology.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import BaseModel, SchemeSettings


class Kind(models.TextChoices):
    CONCERN = "concern", "Safeguarding concern"
    INCIDENT = "incident", "Incident or accident"


class Category(models.TextChoices):
    NEGLECT = "neglect", "Neglect"
    PHYSICAL = "physical", "Physical abuse"
    EMOTIONAL = "emotional", "Emotional abuse"
    SEXUAL = "sexual", "Sexual abuse"
    SELF_HARM = "self_harm", "Self-harm or suicidal thoughts"
    ONLINE = "online", "Online exploitation or grooming"
    BULLYING = "bullying", "Bullying"
    MISSING = "missing", "Missing from care"
    EXPLOITATION = "exploitation", "Exploitation"
    RADICALISATION = "radicalisation", "Radicalisation"
    OTHER = "other", "Other"


class IncidentType(models.TextChoices):
    INJURY = "injury", "Injury"
    NEAR_MISS = "near_miss", "Near miss"
    MEDICAL = "medical", "Medical emergency"
    MISSING = "missing", "The child went missing"


class ToldChild(models.TextChoices):
    YES = "yes", "Yes, I told the child I would have to pass this on"
    NO = "no", "No"
    NOT_POSSIBLE = "not_possible", "It was not possible to tell them"


class Status(models.TextChoices):
    NEW = "new", "Not yet acknowledged"
    OPEN = "open", "Acknowledged, being acted on"
    CLOSED = "closed", "Closed"


class Concern(BaseModel):
    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "referrals.Child", on_delete=models.PROTECT, related_name="concerns", null=True
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_raised"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CONCERN)
    category = models.CharField(max_length=20, choices=Category.choices, blank=True, default="")
    incident_type = models.CharField(
        max_length=20, choices=IncidentType.choices, blank=True, default=""
    )
    what_happened = models.TextField("what you saw or were told")
    childs_words = models.TextField("what the child said, in their words", blank=True, default="")
    occurred_at = models.DateTimeField("when it happened")
    immediate_danger = models.BooleanField("the child is in immediate danger", default=False)
    told_child = models.CharField(
        "did you tell the child this would be passed on?",
        max_length=20,
        choices=ToldChild.choices,
    )
    # An allegation against an adult who works with children (LADO); when that adult is one
    # of our IVs they are named here, suspended at once, and never see this record.
    about_adult = models.BooleanField("it is about an adult who works with children", default=False)
    about_volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="the IV it is about",
    )
    # Any other adult (a carer, a teacher, an IV of another scheme), by name, for the LADO.
    about_adult_name = models.CharField("the adult it is about", max_length=200, blank=True)
    # Where it came from: a visit report's public id, when raised from one.
    from_visit = models.CharField(max_length=24, blank=True, default="")
    urgent = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    acknowledge_by = models.DateTimeField("to be acknowledged by")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set by the monitoring job when it tells the manager that nobody acknowledged in time.
    escalated_at = models.DateTimeField(null=True, blank=True)
    shared_with_social_worker_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.TextField(blank=True, default="")
    # Made by the phone before the first attempt to send, so a worry sent again after a lost
    # signal (page and service worker may both try) is recorded once. Empty without script.
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The register (open concerns of a scheme) and the escalation job (unacknowledged,
            # past their deadline).
            models.Index(fields=["scheme", "status", "acknowledge_by"], name="concern_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="concern") | ~models.Q(category=""),
                name="concern_has_category",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="incident") | ~models.Q(incident_type=""),
                name="incident_has_type",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_at__isnull=False),
                name="concern_closed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"

    @property
    def label(self) -> str:
        if self.kind == Kind.INCIDENT:
            return self.get_incident_type_display()
        return self.get_category_display()


class ActionKind(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    DECISION = "decision", "Decision"
    REFERRAL_CSC = "referral_csc", "Referred to children's social care / multi-agency hub"
    REFERRAL_LADO = "referral_lado", "Referred to the LADO"
    SW_INFORMED = "sw_informed", "Social worker informed"
    CARER_INFORMED = "carer_informed", "Carer informed"
    POLICE = "police", "Police involved"
    SHARED = "shared", "Shared with the child's social worker"
    SUSPENDED = "suspended", "IV suspended and match paused"
    NOTE = "note", "Note"
    CORRECTION = "correction", "Correction"
    CLOSED = "closed", "Closed"


class ConcernAction(models.Model):
    """One entry of the chronology: dated, signed, never edited. A correction is a new entry
    that points at the one it corrects."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="actions")
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    happened_at = models.DateTimeField("when")
    detail = models.TextField(blank=True, default="")
    reference = models.CharField("their reference", max_length=100, blank=True, default="")
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )

    class Meta:
        ordering = ["happened_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.happened_at:%d %b %Y %H:%M}"


class SafeguardingSettings(SchemeSettings):
    """How quickly a scheme must acknowledge a concern before it escalates to a manager."""

    refused_message = "Only the scheme's managers can change its safeguarding settings."

    scheme = models.OneToOneField(
        "accounts.Scheme", on_delete=models.CASCADE, related_name="safeguarding_settings"
    )
    urgent_minutes = models.PositiveIntegerField("urgent: acknowledge within (minutes)", default=60)
    standard_working_days = models.PositiveSmallIntegerField(
        "otherwise: acknowledge within (working days)", default=1
    )

    def __str__(self) -> str:
        return f"Safeguarding settings for {self.scheme}"

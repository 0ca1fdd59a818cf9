"""Visits and contact between an IV and their child, lone working, cancellations and reports.

A visit belongs to a match (and so to one IV and one child) and to the match's scheme. Reports
are the child's confidential space: the IV who wrote them and the scheme's staff read them; a
social worker sees only the dates of visits held and cancelled.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import BaseModel, SchemeSettings, WorkflowEvent, new_public_id


class ContactKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone call"
    VIDEO = "video", "Video call"
    MESSAGING = "messaging", "Messaging"
    LETTER = "letter", "Letter or post"


# Remote contact that goes through a platform, checked against the platform's minimum age.
KINDS_WITH_PLATFORM = [ContactKind.VIDEO, ContactKind.MESSAGING]
# Lone working (a named person, check in and out) applies when the IV is out with the child.
LONE_WORKING_KINDS = [ContactKind.FACE_TO_FACE]


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    UNDER_WAY = "under_way", "Under way"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class CancelledBy(models.TextChoices):
    CHILD = "child", "The child"
    IV = "iv", "The independent visitor"
    CARER = "carer", "The carer"
    SOCIAL_WORKER = "social_worker", "The social worker"
    COORDINATOR = "coordinator", "The coordinator"


DEFAULT_CHECKOUT_GRACE = timedelta(minutes=60)


class Platform(models.Model):
    """A way of keeping in touch remotely (WhatsApp, FaceTime...), with the minimum age its
    terms allow. Each scheme keeps its own list: terms change and schemes differ."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    minimum_age = models.PositiveSmallIntegerField("minimum age")
    is_active = models.BooleanField("can be chosen", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="platform_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.minimum_age}+)"


class VisitSettings(SchemeSettings):
    """Per-scheme visit rules. A scheme without a row uses the defaults."""

    refused_message = "Only the scheme's managers can change its visit settings."

    scheme = models.OneToOneField(
        "accounts.Scheme", on_delete=models.CASCADE, related_name="visit_settings"
    )
    checkout_grace = models.DurationField(
        "time after a visit's expected end before a missing check-out raises an alert",
        default=DEFAULT_CHECKOUT_GRACE,
    )

    def __str__(self) -> str:
        return f"Visit settings for {self.scheme}"


class Visit(BaseModel):
    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="+")
    match = models.ForeignKey("matches.Match", on_delete=models.PROTECT, related_name="visits")
    starts_at = models.DateTimeField("start")
    expected_end = models.DateTimeField("expected end")
    place = models.CharField("where", max_length=200, blank=True, default="")
    activity = models.CharField("what you plan to do", max_length=200, blank=True, default="")
    kind = models.CharField(
        "kind of contact",
        max_length=20,
        choices=ContactKind.choices,
        default=ContactKind.FACE_TO_FACE,
    )
    platform = models.ForeignKey(
        Platform, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Lone working: who knows where the IV is and expects to hear they are back.
    named_person_name = models.CharField("named person", max_length=200, blank=True, default="")
    named_person_phone = models.CharField(
        "named person's phone", max_length=40, blank=True, default=""
    )
    status = models.CharField(
        max_length=20, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    checked_in_at = models.DateTimeField("checked in", null=True, blank=True)
    checked_out_at = models.DateTimeField("checked out", null=True, blank=True)
    # Set by the monitoring job when it has told the coordinator about a missing check-out.
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(
        "who cancelled", max_length=20, choices=CancelledBy.choices, blank=True, default=""
    )
    cancel_reason = models.TextField("why", blank=True, default="")
    # Carers must not cancel visits as a sanction for behaviour: a yes is flagged.
    carer_sanction = models.BooleanField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_end__gt=models.F("starts_at")),
                name="visit_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(checked_out_at__isnull=True)
                | models.Q(checked_in_at__isnull=False),
                name="visit_check_out_needs_check_in",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled")
                | (~models.Q(cancelled_by="") & ~models.Q(cancel_reason="")),
                name="visit_cancelled_says_who_and_why",
            ),
            models.CheckConstraint(
                condition=models.Q(carer_sanction__isnull=True) | models.Q(cancelled_by="carer"),
                name="visit_sanction_only_for_carer",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["video", "messaging"])
                | models.Q(platform__isnull=True),
                name="visit_platform_only_for_remote",
            ),
        ]
        indexes = [
            # The IV home, the visit list and the social worker's dates: a match's visits by date.
            models.Index(fields=["match", "-starts_at"], name="visit_match_start_idx"),
            # Coordinators' visit list: a scheme's visits by date.
            models.Index(fields=["scheme", "-starts_at"], name="visit_scheme_start_idx"),
            # visits_overdue_checkout (the monitoring job): open visits by expected end.
            models.Index(
                fields=["expected_end"],
                condition=models.Q(status__in=["planned", "under_way"]),
                name="visit_open_end_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.starts_at:%d %b %Y}"

    @property
    def is_lone_working(self) -> bool:
        return self.kind in LONE_WORKING_KINDS

    @property
    def is_remote(self) -> bool:
        return self.kind != ContactKind.FACE_TO_FACE


class VisitEvent(WorkflowEvent):
    """Every move of a visit: who, when, from what to what (check-in, check-out, held,
    cancelled)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass


class VisitReport(BaseModel):
    """Written once by the IV after a visit; amended only by adding to it (ReportNote)."""

    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="+")
    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="report")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Made by the phone before the first attempt to send: a retried submission carries the
    # same id, so it can never make a second report.
    client_id = models.UUIDField(unique=True)
    what_we_did = models.TextField("what you did together")
    how_child_seemed = models.TextField("how the child seemed")
    child_wants = models.TextField("what the child wants or said", blank=True, default="")
    follow_up = models.TextField("anything to follow up", blank=True, default="")
    expenses_to_claim = models.BooleanField("I have expenses to claim", default=False)
    submitted_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            # The coordinator's queue: a scheme's reports not yet acknowledged, oldest first.
            models.Index(
                fields=["scheme", "submitted_at"],
                condition=models.Q(acknowledged_at__isnull=True),
                name="report_unacknowledged_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Report on {self.visit}"


class ReportNote(BaseModel):
    """Something added to a report after it was sent: the IV's addendum or the
    coordinator's reply. Never edited."""

    class Kind(models.TextChoices):
        ADDENDUM = "addendum", "Added by the IV"
        REPLY = "reply", "Reply from the coordinator"

    report = models.ForeignKey(VisitReport, on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.report}"


class CalendarFeed(models.Model):
    """A private calendar address for one IV's planned visits. Whoever has the address can
    read the feed, so it can be revoked and replaced."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="calendar_feed_one_live_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

"""Volunteers: from the first enquiry call to an approved Independent Visitor who stays safe
to visit.

The pipeline is a state machine (volunteers.services.ALLOWED_MOVES); every move is a
StageChange row, and "days in stage" is read from the newest one. Checks are recorded as
facts (dates, numbers, outcomes), never as copies of certificates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import BaseModel, SchemeSettings, WorkflowEvent

# What a volunteer tells the scheme about themselves: edited on their profile, read by matching
# (matches.selectors.VOLUNTEER_FIELDS).
PROFILE_FIELDS = (
    "available_weekdays",
    "available_evenings",
    "available_weekends",
    "interests",
    "languages",
    "area",
    "prefers_age_from",
    "prefers_age_to",
    "prefers_child_gender",
    "drives",
    "insurer",
    "insurance_expires_on",
)


class Stage(models.TextChoices):
    ENQUIRY = "enquiry", "Enquiry call"
    APPLICATION = "application", "Application"
    INTERVIEW = "interview", "Interview"
    CHECKS = "checks", "Checks"
    TRAINING = "training", "Training"
    SIGN_OFF = "sign_off", "Sign-off"
    APPROVED = "approved", "Approved"
    NOT_PROCEEDING = "not_proceeding", "Not proceeding"


# The board's columns, in pipeline order.
PIPELINE_STAGES = [
    Stage.ENQUIRY,
    Stage.APPLICATION,
    Stage.INTERVIEW,
    Stage.CHECKS,
    Stage.TRAINING,
    Stage.SIGN_OFF,
]


class VolunteerStatus(models.TextChoices):
    AVAILABLE = "available", "Available"
    MATCHED = "matched", "Matched"
    PAUSED = "paused", "Paused"
    LEFT = "left", "Left"
    SUSPENDED = "suspended", "Suspended"


class InterviewOutcome(models.TextChoices):
    PROCEED = "proceed", "Proceed to checks"
    NOT_PROCEED = "not_proceed", "Do not proceed"


class ChildGender(models.TextChoices):
    ANY = "", "No preference"
    GIRL = "girl", "Girl"
    BOY = "boy", "Boy"


class VolunteerGender(models.TextChoices):
    """For a child's wish for "a woman" or "a man" as their IV (matches.selectors)."""

    FEMALE = "female", "Woman"
    MALE = "male", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    NOT_SAID = "not_said", "Prefers not to say"


class TrainingModule(models.TextChoices):
    SAFEGUARDING = "safeguarding", "Safeguarding"
    CONFIDENTIALITY = "confidentiality", "Confidentiality"
    BOUNDARIES = "boundaries", "Boundaries"
    LONE_WORKING = "lone_working", "Lone working"
    ONLINE_SAFETY = "online_safety", "Online safety"
    EQUALITY = "equality", "Equality and diversity"


class SupportKind(models.TextChoices):
    SUPERVISION = "supervision", "Supervision"
    GROUP = "group", "Group support"


class Volunteer(BaseModel):
    scheme = models.ForeignKey(
        "accounts.Scheme", on_delete=models.PROTECT, related_name="volunteers"
    )
    # Set when the approved volunteer is invited, or an existing IV account is linked.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer",
    )
    reference = models.CharField("reference number", max_length=12, unique=True)
    first_name = models.CharField("first name", max_length=100)
    last_name = models.CharField("surname", max_length=100)
    email = models.EmailField("email address")
    phone = models.CharField("phone number", max_length=40, blank=True)
    date_of_birth = models.DateField("date of birth", null=True, blank=True)
    gender = models.CharField(max_length=20, choices=VolunteerGender.choices, blank=True)
    area = models.CharField(
        "area (postcode district)", max_length=8, blank=True, help_text="For example NE3"
    )
    enquiry_notes = models.TextField("notes from the enquiry call", blank=True)
    motivation = models.TextField("why they want to be an independent visitor", blank=True)
    consent_to_checks = models.BooleanField("consents to checks", default=False)
    consent_given_at = models.DateTimeField(null=True, blank=True)

    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.ENQUIRY)
    not_proceeding_reason = models.TextField(blank=True)

    # Interview
    interview_on = models.DateField("interview date", null=True, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    interview_outcome = models.CharField(
        max_length=20, choices=InterviewOutcome.choices, blank=True
    )
    interview_notes = models.TextField(blank=True)

    # Checks: facts only, never a copy of the certificate.
    dbs_certificate_number = models.CharField(
        "enhanced DBS certificate number", max_length=12, blank=True
    )
    dbs_issued_on = models.DateField("DBS issue date", null=True, blank=True)
    dbs_barred_list_checked = models.BooleanField("children's barred list checked", default=False)
    dbs_update_service = models.BooleanField("subscribed to the Update Service", default=False)
    dbs_status_checked_on = models.DateField(
        "last Update Service status check", null=True, blank=True
    )
    statutory_checks_on = models.DateField("statutory checks completed", null=True, blank=True)
    identity_checked_on = models.DateField("identity checked", null=True, blank=True)
    no_connection_declared_on = models.DateField(
        "declared no connection to the local authority", null=True, blank=True
    )
    code_of_conduct_accepted_on = models.DateField(
        "code of conduct accepted", null=True, blank=True
    )

    # Two-step sign-off: a team manager, then a different person who is a service manager.
    team_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team_signed_on = models.DateField(null=True, blank=True)
    team_comment = models.TextField(blank=True)
    service_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_signed_on = models.DateField(null=True, blank=True)
    service_comment = models.TextField(blank=True)
    approved_on = models.DateField(null=True, blank=True)
    approval_letter = models.FileField(upload_to="volunteers/letters/", blank=True)
    approval_certificate = models.FileField(upload_to="volunteers/certificates/", blank=True)

    # After approval
    status = models.CharField(max_length=20, choices=VolunteerStatus.choices, blank=True)
    status_reason = models.TextField(blank=True)
    available_weekdays = models.BooleanField("weekdays", default=False)
    available_evenings = models.BooleanField("evenings", default=False)
    available_weekends = models.BooleanField("weekends", default=False)
    interests = models.CharField(max_length=500, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    prefers_age_from = models.PositiveSmallIntegerField("child's age from", null=True, blank=True)
    prefers_age_to = models.PositiveSmallIntegerField("child's age to", null=True, blank=True)
    prefers_child_gender = models.CharField(
        "gender of child", max_length=10, choices=ChildGender.choices, blank=True
    )
    drives = models.BooleanField("will drive a child", default=False)
    insurer = models.CharField("business car insurer", max_length=200, blank=True)
    insurance_expires_on = models.DateField("insurance expiry", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            # The pipeline board and the volunteer list group and filter by scheme and stage.
            models.Index(fields=["scheme", "stage"], name="volunteer_scheme_stage_idx"),
            # volunteers_available_for_matching(scheme): approved and available.
            models.Index(fields=["scheme", "status"], name="volunteer_scheme_status_idx"),
        ]
        constraints = [
            # Two separate people sign off (DOMAIN: Volunteer).
            models.CheckConstraint(
                condition=models.Q(team_signed_by__isnull=True)
                | models.Q(service_signed_by__isnull=True)
                | ~models.Q(team_signed_by=models.F("service_signed_by")),
                name="volunteer_two_different_signers",
            ),
            # Approved means both sign-offs and an approval date; nobody else has a status.
            models.CheckConstraint(
                condition=~models.Q(stage="approved")
                | models.Q(
                    team_signed_by__isnull=False,
                    service_signed_by__isnull=False,
                    approved_on__isnull=False,
                ),
                name="volunteer_approved_needs_both_signoffs",
            ),
            models.CheckConstraint(
                condition=models.Q(stage="approved") | models.Q(status=""),
                name="volunteer_status_only_when_approved",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_approved(self) -> bool:
        return self.stage == Stage.APPROVED


class Reference(BaseModel):
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="references")
    referee_name = models.CharField("referee's name", max_length=200)
    relationship = models.CharField("relationship to the volunteer", max_length=200)
    requested_on = models.DateField("requested on", null=True, blank=True)
    received_on = models.DateField("received on", null=True, blank=True)
    satisfactory = models.BooleanField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.referee_name} ({self.relationship})"


class TrainingRecord(BaseModel):
    """One completion of a module; a refresher is another row, the newest counts."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="training")
    module = models.CharField(max_length=30, choices=TrainingModule.choices)
    completed_on = models.DateField("completed on")

    class Meta:
        ordering = ["module", "-completed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "module", "completed_on"], name="training_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_module_display()} on {self.completed_on}"


class SupportSession(BaseModel):
    """Supervision (one to one) and group-support attendance."""

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="support_sessions"
    )
    kind = models.CharField(max_length=20, choices=SupportKind.choices)
    held_on = models.DateField("date")
    attended = models.BooleanField(default=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on}"


class StageChange(WorkflowEvent):
    """Every move through the pipeline: who, when, from where to where, and why (the
    volunteers machine's event, core.workflow)."""

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="stage_changes")
    from_status = models.CharField(max_length=20, choices=Stage.choices, blank=True, default="")
    to_status = models.CharField(max_length=20, choices=Stage.choices, blank=True, default="")

    class Meta(WorkflowEvent.Meta):
        ordering = ["-at", "-pk"]
        indexes = [
            # "Days in stage" on the board reads each volunteer's newest change.
            models.Index(fields=["volunteer", "-at"], name="stagechange_volunteer_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} -> {self.to_status} at {self.at:%Y-%m-%d}"


class VolunteerSchemeSettings(SchemeSettings):
    refused_message = "Only the scheme's managers can change its settings."

    scheme = models.OneToOneField(
        "accounts.Scheme", on_delete=models.CASCADE, related_name="volunteer_settings"
    )
    dbs_renewal_years = models.PositiveSmallIntegerField("DBS renewal (years)", default=3)
    training_refresh_years = models.PositiveSmallIntegerField(
        "training refresher (years)", default=3
    )
    supervision_interval_weeks = models.PositiveSmallIntegerField(
        "supervision every (weeks)", default=12
    )

    class Meta:
        verbose_name_plural = "volunteer scheme settings"

    def __str__(self) -> str:
        return f"Volunteer settings for {self.scheme}"

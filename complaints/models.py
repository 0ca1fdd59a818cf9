"""Complaints and their stages (England's children's complaints procedure).

A complaint is received (by staff, through any channel, or through the public form), runs
through up to three stages, each with a statutory deadline in working days, and is closed with
findings and lessons learned. It is never deleted: there is no delete view, the admin cannot
delete, and every foreign key to it protects it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import BaseModel, WorkflowEvent
from core.working_days import working_days_between


class Channel(models.TextChoices):
    PUBLIC_FORM = "public_form", "Online form"
    PHONE = "phone", "Phone"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    OTHER = "other", "Other"


class Relationship(models.TextChoices):
    CHILD = "child", "Child or young person"
    IV = "iv", "Independent visitor"
    CARER = "carer", "Carer"
    SOCIAL_WORKER = "social_worker", "Social worker"
    PARENT = "parent", "Parent"
    OTHER = "other", "Someone else"


class Subject(models.TextChoices):
    SERVICE = "service", "The service"
    COORDINATOR = "coordinator", "A coordinator"
    STAFF = "staff", "Another member of staff (a manager, for example)"
    IV = "iv", "An independent visitor"
    LOCAL_AUTHORITY = "local_authority", "The local authority"


class Status(models.TextChoices):
    STAGE_1 = "stage_1", "Stage 1: local resolution"
    STAGE_1_RESPONDED = "stage_1_responded", "Stage 1 answered"
    STAGE_2 = "stage_2", "Stage 2: investigation"
    STAGE_2_RESPONDED = "stage_2_responded", "Stage 2 answered"
    STAGE_3 = "stage_3", "Stage 3: review panel"
    STAGE_3_RESPONDED = "stage_3_responded", "Stage 3 answered"
    CLOSED = "closed", "Closed"


# Complaints about staff: hidden from every coordinator (docs/decisions/0003).
STAFF_SUBJECTS = (Subject.COORDINATOR, Subject.STAFF)
# Subjects that name a person (`subject_user`).
PERSON_SUBJECTS = (Subject.COORDINATOR, Subject.STAFF, Subject.IV)

OPEN_STATUSES = [s for s in Status if s != Status.CLOSED]
# Statuses waiting for us (a deadline runs) rather than for the complainant.
RUNNING_STATUSES = [Status.STAGE_1, Status.STAGE_2, Status.STAGE_3]


class Finding(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class Complaint(BaseModel):
    scheme = models.ForeignKey(
        "accounts.Scheme", on_delete=models.PROTECT, related_name="complaints"
    )
    reference = models.CharField(max_length=20, unique=True, editable=False)
    received_on = models.DateField("date received")
    channel = models.CharField("how it was received", max_length=20, choices=Channel.choices)

    complainant_name = models.CharField("complainant's name", max_length=200)
    complainant_relationship = models.CharField(
        "complainant is", max_length=20, choices=Relationship.choices
    )
    on_behalf_of = models.CharField(
        "made on behalf of",
        max_length=200,
        blank=True,
        default="",
        help_text="For example the child's first name, when someone complains for them.",
    )
    complainant_email = models.EmailField("email address", blank=True, default="")
    complainant_phone = models.CharField("phone number", max_length=40, blank=True, default="")
    complainant_address = models.TextField("postal address", blank=True, default="")

    subject = models.CharField("who it is about", max_length=20, choices=Subject.choices)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_about",
        verbose_name="person it is about",
    )
    subject_name = models.CharField(
        "name given for the person it is about", max_length=200, blank=True, default=""
    )
    details = models.TextField("what the complaint is about")
    desired_outcome = models.TextField("what would put it right", blank=True, default="")

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.STAGE_1)
    # The deadline of the running stage (null while the complainant decides, and when closed):
    # kept here by the services so the register and the reminder job read one row each.
    due_on = models.DateField("deadline", null=True, blank=True)

    acknowledged_on = models.DateField("acknowledged on", null=True, blank=True)
    closed_on = models.DateField("closed on", null=True, blank=True)
    finding = models.CharField(max_length=20, choices=Finding.choices, blank=True, default="")
    lessons_learned = models.TextField("lessons learned", blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "-created_at"]
        constraints = [
            # Only a complaint about a person (a coordinator, another member of staff, an IV)
            # names the person it is about.
            models.CheckConstraint(
                condition=models.Q(subject_user__isnull=True)
                | models.Q(subject__in=["coordinator", "staff", "iv"]),
                name="complaint_subject_user_only_for_people",
            ),
            # Closed with findings and a date, or open without them (DOMAIN: Complaint).
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed", closed_on__isnull=False) & ~models.Q(finding="")
                )
                | (~models.Q(status="closed") & models.Q(closed_on__isnull=True, finding="")),
                name="complaint_closed_has_findings",
            ),
        ]
        indexes = [
            # The register: a scheme's open complaints, soonest deadline first; and the
            # "stage nearing its deadline" reminder job.
            models.Index(fields=["scheme", "status", "due_on"], name="complaint_register_idx"),
            # complaint_counts: complaints of a scheme received in a period.
            models.Index(fields=["scheme", "received_on"], name="complaint_received_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def is_about_coordinator(self) -> bool:
        return self.subject == Subject.COORDINATOR

    @property
    def is_about_staff(self) -> bool:
        """About a coordinator or another member of staff: hidden from every coordinator."""
        return self.subject in STAFF_SUBJECTS

    def days_left(self, today: date) -> int | None:
        """Working days to the deadline: 0 on the day, negative once passed."""

        if self.due_on is None:
            return None
        return working_days_between(today, self.due_on)

    def is_overdue(self, today: date) -> bool:
        return self.due_on is not None and today > self.due_on


class ComplaintStage(BaseModel):
    """One stage of one complaint: its dates, deadline, extension and outcome, kept for ever."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="stages")
    number = models.PositiveSmallIntegerField(
        choices=[(1, "Stage 1"), (2, "Stage 2"), (3, "Stage 3")]
    )
    started_on = models.DateField("started on")
    due_on = models.DateField("deadline")
    extended = models.BooleanField(default=False)
    extension_reason = models.TextField("reason for the extension", blank=True, default="")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="responsible manager",
    )
    # Stage 2: a complaints officer investigates with an independent person.
    investigating_officer = models.CharField(max_length=200, blank=True, default="")
    independent_person = models.CharField(max_length=200, blank=True, default="")
    # Stage 3: the panel meets within 30 working days of the request, then reports.
    panel_convened_on = models.DateField(null=True, blank=True)
    panel_report_on = models.DateField(null=True, blank=True)

    responded_on = models.DateField("response sent on", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Finding.choices, blank=True, default="")
    response_summary = models.TextField("response", blank=True, default="")

    history = HistoricalRecords()

    class Meta:
        ordering = ["complaint", "number"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "number"], name="complaint_stage_once"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=3), name="complaint_stage_1_to_3"
            ),
            # An extension always has its reason.
            models.CheckConstraint(
                condition=models.Q(extended=False) | ~models.Q(extension_reason=""),
                name="complaint_stage_extension_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint.reference} stage {self.number}"

    @property
    def on_time(self) -> bool | None:
        if self.responded_on is None:
            return None
        return self.responded_on <= self.due_on


class ComplaintEvent(WorkflowEvent):
    """Every step of a complaint: who did what, when, from which status to which."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=40)

    class Meta(WorkflowEvent.Meta):
        indexes = [models.Index(fields=["complaint", "at"], name="complaint_event_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.action}"


class ReferenceCounter(models.Model):
    """The last reference number given in a year (C-2026-0007): one row per year, locked while
    a number is taken, so two complaints arriving at once never share a reference."""

    year = models.PositiveIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    STAGE_1_RESPONSE = "stage_1_response", "Stage 1 response"
    STAGE_2_RESPONSE = "stage_2_response", "Stage 2 response"
    STAGE_3_RESPONSE = "stage_3_response", "Stage 3 response"


class LetterTemplate(BaseModel):
    """A scheme's wording for one kind of letter, with {{ placeholders }}."""

    scheme = models.ForeignKey(
        "accounts.Scheme", on_delete=models.PROTECT, related_name="complaint_letter_templates"
    )
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    body = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="letter_template_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.scheme} {self.get_kind_display()}"


def letter_upload_to(instance: ComplaintLetter, filename: str) -> str:
    return f"complaints/letters/{instance.public_id}.pdf"


class ComplaintLetter(BaseModel):
    """A letter as sent: the PDF (private media, served by a permission-checked view) and the
    text it was made from."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=30, choices=LetterKind.choices)
    body = models.TextField()
    pdf = models.FileField(upload_to=letter_upload_to, max_length=200)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.complaint.reference} {self.get_kind_display()}"

"""Children looked after by the local authority and referred to a scheme.

The access issue builds the record's identity, scheme and allocated social worker; the
referrals issue adds the rest of the child's file and the referral lifecycle.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from core.models import BaseModel, SchemeSettings, WorkflowEvent
from referrals import child_fields


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Describes themselves another way"
    NOT_SAID = "not_said", "Prefers not to say"


class LegalStatus(models.TextChoices):
    S20 = "s20", "Accommodated under section 20"
    S31 = "s31", "Full care order (section 31)"
    S38 = "s38", "Interim care order (section 38)"
    PLACEMENT_ORDER = "placement_order", "Placement order"
    REMAND = "remand", "Remanded to local authority accommodation"
    CARE_LEAVER = "care_leaver", "Care leaver"
    NOT_LOOKED_AFTER = "not_looked_after", "Not looked after"


class IVGenderPreference(models.TextChoices):
    NONE = "none", "No preference"
    FEMALE = "female", "A woman"
    MALE = "male", "A man"


class PhotoConsent(models.TextChoices):
    YES = "yes", "Photos are allowed"
    NO = "no", "No photos"
    ASK = "ask", "Ask the carer first"


class Child(BaseModel):
    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="children")
    # Identity
    first_name = models.CharField("first name", max_length=100)
    last_name = models.CharField("surname", max_length=100)
    date_of_birth = models.DateField("date of birth")
    # Retention: a child who dies before 18 has their file kept 15 years after death instead
    # of to their 75th birthday (dataprotection.services.retention).
    died_on = models.DateField("date of death", null=True, blank=True)
    case_number = models.CharField(
        "local authority case number", max_length=50, blank=True, default=""
    )
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True, default="")
    ethnicity = models.CharField(max_length=100, blank=True, default="")
    religion = models.CharField(max_length=100, blank=True, default="")
    languages = models.CharField(
        "languages spoken",
        max_length=200,
        blank=True,
        default="",
        help_text="For example English, Polish",
    )
    legal_status = models.CharField(
        "legal status", max_length=30, choices=LegalStatus.choices, blank=True, default=""
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="allocated_children",
        verbose_name="allocated social worker",
    )
    # The child's own voice: in their words, never paraphrased.
    interests = models.TextField("interests and hobbies", blank=True, default="")
    wishes_in_own_words = models.TextField(
        "what the child wants from an IV, in their own words", blank=True, default=""
    )
    iv_gender_preference = models.CharField(
        "would like an IV who is",
        max_length=10,
        choices=IVGenderPreference.choices,
        default=IVGenderPreference.NONE,
    )
    shared_interests_wanted = models.CharField(
        "interests they would like to share with an IV", max_length=300, blank=True, default=""
    )
    # What an IV needs to keep the child safe (the visit card).
    allergies = models.TextField(blank=True, default="")
    phobias = models.TextField("phobias and fears", blank=True, default="")
    diet = models.TextField("diet", blank=True, default="")
    medical_conditions = models.TextField(
        "medical conditions and medication",
        blank=True,
        default="",
        help_text="For the IV's information: an IV may never give medication.",
    )
    places_to_avoid = models.TextField("places to avoid", blank=True, default="")
    people_to_avoid = models.TextField("people the child must not contact", blank=True, default="")
    cultural_restrictions = models.TextField(
        "cultural or religious restrictions", blank=True, default=""
    )
    photo_consent = models.CharField(
        "photographs", max_length=10, choices=PhotoConsent.choices, default=PhotoConsent.ASK
    )
    # Risk: visible to staff and the social worker, never on the visit card.
    risk_information = models.TextField("risk information", blank=True, default="")
    risk_reviewed_on = models.DateField("risk last reviewed on", null=True, blank=True)
    risk_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="risk last reviewed by",
    )
    consent_to_share = models.BooleanField(
        "consent to share information with the scheme", default=False
    )
    # Set when a coordinator decides this record duplicates another child's: it is then
    # hidden from lists and its referrals point at the surviving record. Never deleted.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["last_name", "first_name"]
        permissions = [
            # Granted to the IV of the child's active match: first name, age and what keeps
            # the child safe on a visit, never the rest of the file.
            ("view_visit_card", "Can see the child's visit card"),
        ]
        indexes = [
            # Coordinators' child lists filter by scheme and sort by name.
            models.Index(
                fields=["scheme", "last_name", "first_name"], name="child_scheme_name_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "case_number"],
                condition=~models.Q(case_number=""),
                name="child_case_number_unique_in_scheme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int:
        from django.utils import timezone

        return self.age_on(timezone.localdate())

    def _line(self, name: str, label: str, empty: str) -> tuple[str, str, str]:
        field: Any = self._meta.get_field(name)
        label = label or capfirst(str(field.verbose_name))
        if getattr(field, "choices", None):
            value = getattr(self, f"get_{name}_display")()
        else:
            value = getattr(self, name)
        return label.format(first_name=self.first_name), str(value), empty

    @property
    def visit_card_lines(self) -> list[tuple[str, str, str]]:
        """(label, value, shown when empty) for each visit card field of
        referrals.child_fields, in the card's order: what the IV may see, and nothing else."""
        return [
            self._line(f.name, f.card.label, f.card.empty)
            for f in child_fields.card_fields()
            if f.card is not None
        ]

    @property
    def safety_lines(self) -> list[tuple[str, str, str]]:
        """The same for the "Keeping the child safe" section of the child's page: every field
        of the form's safety section, in the form's order."""
        return [
            self._line(f.name, f.page, f.card.empty if f.card else "None known")
            for f in child_fields.section_fields(child_fields.SAFETY)
        ]


class Placement(BaseModel):
    """Where the child lives, with whom; a new row for every change, so the history stays."""

    class Kind(models.TextChoices):
        FOSTER = "foster", "Foster care"
        KINSHIP = "kinship", "Kinship care"
        RESIDENTIAL = "residential", "Residential home"
        SUPPORTED = "supported", "Supported accommodation"
        SECURE = "secure", "Secure unit"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    kind = models.CharField("type of placement", max_length=20, choices=Kind.choices)
    carer_name = models.CharField("carer's name", max_length=200)
    carer_phone = models.CharField("carer's phone", max_length=40, blank=True, default="")
    carer_email = models.EmailField("carer's email", blank=True, default="")
    address = models.TextField("address")
    started_on = models.DateField("from")
    ended_on = models.DateField("until", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_on", "-created_at"]
        constraints = [
            # One current placement per child.
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(ended_on__isnull=True),
                name="placement_one_current_per_child",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.carer_name}"


class SocialWorkerAllocation(models.Model):
    """Who was the child's social worker, and when."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="allocations")
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.social_worker} from {self.started_at:%d %b %Y}"


class LookedAfterReview(BaseModel):
    """Statutory guidance expects an IV to be considered at every looked-after review."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField("review date")
    iv_considered = models.BooleanField("was an IV considered?", default=False)
    notes = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Review on {self.held_on}"


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    RECEIVED = "received", "Received"
    CHILD_MET = "child_met", "Child met"
    WAITING = "waiting", "Waiting for a match"
    MATCHED = "matched", "Matched"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_REFERRAL_STATUSES = [
    ReferralStatus.RECEIVED,
    ReferralStatus.CHILD_MET,
    ReferralStatus.WAITING,
]


class ReferralReason(models.TextChoices):
    INFREQUENT_CONTACT = "infrequent_contact", "Infrequent contact with parents"
    CHILD_INTEREST = "child_interest", "In the child's interest"


class ClosingReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", "Not eligible"
    CHILD_DECLINED = "child_declined", "The child does not want an IV"
    NO_LONGER_LOOKED_AFTER = "no_longer_looked_after", "No longer looked after"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    DUPLICATE = "duplicate", "Duplicate referral"
    OTHER_SUPPORT = "other_support", "Other support better meets the need"
    OTHER = "other", "Other"


class Referral(BaseModel):
    scheme = models.ForeignKey(
        "accounts.Scheme", on_delete=models.PROTECT, related_name="referrals"
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        verbose_name="referred by",
    )
    reason = models.CharField(
        "reason for referral", max_length=30, choices=ReferralReason.choices, blank=True, default=""
    )
    reason_note = models.TextField("about the reason", blank=True, default="")
    child_objects = models.BooleanField("the child does not want an IV", default=False)
    received_at = models.DateTimeField("received", null=True, blank=True)
    met_on = models.DateField("child met on", null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    child_wants = models.TextField(
        "what the child said they want, in their words", blank=True, default=""
    )
    waiting_since = models.DateField("waiting since", null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_reason = models.CharField(
        max_length=30, choices=ClosingReason.choices, blank=True, default=""
    )
    closing_note = models.TextField(blank=True, default="")
    # Children of the scheme that may be the same child (name and date of birth, or case
    # number), found when the referral was made; a coordinator links or proceeds.
    possible_duplicates = models.ManyToManyField(Child, blank=True, related_name="+")
    duplicates_resolved = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A child has at most one open referral; a closed case can be referred again.
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(status__in=["draft", "received", "child_met", "waiting"]),
                name="referral_one_open_per_child",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["declined", "withdrawn"])
                | ~models.Q(closing_reason=""),
                name="referral_closed_has_reason",
            ),
        ]
        indexes = [
            # Inbox and waiting list: a scheme's referrals by status, oldest waiting first.
            models.Index(fields=["scheme", "status", "waiting_since"], name="referral_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.child.first_name} ({self.get_status_display()})"

    @property
    def days_waiting(self) -> int | None:
        from django.utils import timezone

        if self.waiting_since is None or self.status != ReferralStatus.WAITING:
            return None
        return (timezone.localdate() - self.waiting_since).days


class ReferralEvent(WorkflowEvent):
    """Every transition of a referral: who, when, from what to what, and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, blank=True, default=""
    )
    to_status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, blank=True, default=""
    )

    class Meta(WorkflowEvent.Meta):
        pass


class ReferralSettings(SchemeSettings):
    """Eligibility per scheme: 8 to 18 by default, care leavers up to 25 where allowed."""

    refused_message = "Only the scheme's managers can change its referral settings."

    scheme = models.OneToOneField(
        "accounts.Scheme", on_delete=models.CASCADE, related_name="referral_settings"
    )
    min_age = models.PositiveSmallIntegerField(default=8)
    max_age = models.PositiveSmallIntegerField(default=18)
    care_leavers_up_to = models.PositiveSmallIntegerField(
        "care leavers accepted up to age", null=True, blank=True
    )

    def __str__(self) -> str:
        return f"Referral settings for {self.scheme}"

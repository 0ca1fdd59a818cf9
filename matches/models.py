"""A match between one independent visitor and one child, its stages, reviews and endings.

The lifecycle (DOMAIN: Match) is proposed -> introduction -> trial -> trial review ->
established -> ending -> closed; the allowed moves are one table in matches.services, and
every move is a MatchEvent row (who, when, from, to, why).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import BaseModel, SchemeSettings, WorkflowEvent


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    INTRODUCTION = "introduction", "Introduction planned"
    TRIAL = "trial", "Trial"
    TRIAL_REVIEW = "trial_review", "Trial reviewed"
    ESTABLISHED = "established", "Established"
    ENDING = "ending", "Ending"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


# Statuses in which the match is the IV's and the child's one match. The IV holds grants to
# the child's visit card and the match in all of them except PAUSED.
ACTIVE_STATUSES = [
    MatchStatus.INTRODUCTION,
    MatchStatus.TRIAL,
    MatchStatus.TRIAL_REVIEW,
    MatchStatus.ESTABLISHED,
    MatchStatus.ENDING,
    # Still the IV's and the child's one match, but no visits and no access while paused
    # (for example during a safeguarding allegation).
    MatchStatus.PAUSED,
]


class VisitingFrequency(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Every month"
    SIX_WEEKLY = "six_weekly", "Every six weeks"


class TrialDecision(models.TextChoices):
    GO = "go", "Go: the match continues"
    NO_GO = "no_go", "No go: the match ends"


class ClosureReason(models.TextChoices):
    TURNED_18 = "turned_18", "The child turned 18"
    CHILDS_WISH = "childs_wish", "The child's wish"
    IV_CIRCUMSTANCES = "iv_circumstances", "The IV's circumstances"
    PLACEMENT_MOVED = "placement_moved", "The child's placement moved"
    TRIAL_NO_GO = "trial_no_go", "The trial review decided not to go on"
    PROPOSAL_WITHDRAWN = "proposal_withdrawn", "The proposal was withdrawn"
    OTHER = "other", "Other"


class ReviewKind(models.TextChoices):
    REGULAR = "regular", "Regular review"
    ANNIVERSARY = "anniversary", "First-anniversary review"


class Match(BaseModel):
    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="matches")
    child = models.ForeignKey("referrals.Child", on_delete=models.PROTECT, related_name="matches")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="iv_matches",
        verbose_name="independent visitor",
    )
    referral = models.ForeignKey(
        "referrals.Referral", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The coordinator who holds the match (their caseload).
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_matches",
    )
    status = models.CharField(
        max_length=20, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    started_on = models.DateField("start date", null=True, blank=True)
    ended_on = models.DateField("end date", null=True, blank=True)
    paused_from = models.CharField(
        max_length=20, choices=MatchStatus.choices, blank=True, default=""
    )
    pause_reason = models.CharField(max_length=200, blank=True, default="")
    visiting_frequency = models.CharField(
        "agreed visiting frequency",
        max_length=20,
        choices=VisitingFrequency.choices,
        default=VisitingFrequency.MONTHLY,
    )
    # Introduction: the meeting at the child's home with coordinator, IV, child and carer.
    introduction_on = models.DateField("introduction meeting date", null=True, blank=True)
    introduction_attended = models.CharField("who attended", max_length=300, blank=True)
    introduction_notes = models.TextField("notes from the meeting", blank=True)
    # Trial: four to five visits, then the trial review.
    trial_visit_dates = ArrayField(models.DateField(), default=list, blank=True)
    trial_review_on = models.DateField("trial review date", null=True, blank=True)
    trial_decision = models.CharField(
        "decision", max_length=10, choices=TrialDecision.choices, blank=True
    )
    trial_child_view = models.TextField("the child's view", blank=True)
    trial_iv_view = models.TextField("the IV's view", blank=True)
    # Ending: planned, with the reason; then the closure review.
    ending_reason = models.TextField("why the match is ending", blank=True)
    planned_end_on = models.DateField("planned last visit", null=True, blank=True)
    closure_reason = models.CharField(
        "reason for closing", max_length=30, choices=ClosureReason.choices, blank=True
    )
    closure_review_on = models.DateField("closure review date", null=True, blank=True)
    closure_child_view = models.TextField("the child's view", blank=True)
    closure_iv_view = models.TextField("the IV's view", blank=True)
    closure_carer_view = models.TextField("the carer's view", blank=True)
    closure_sw_view = models.TextField("the social worker's view", blank=True)
    closure_note = models.TextField("anything to add", blank=True)
    # The status it closed from, so that a reopened match goes back to where it was.
    closed_from = models.CharField(max_length=20, choices=MatchStatus.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Continues past 18 as a care-leaver match, where the scheme allows it.
    care_leaver = models.BooleanField("continues as a care-leaver match", default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "matches"
        constraints = [
            # One IV has at most one active match, and a child at most one (DOMAIN: Match).
            models.UniqueConstraint(
                fields=["volunteer"],
                condition=models.Q(status__in=ACTIVE_STATUSES),
                name="match_one_active_per_volunteer",
            ),
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(status__in=ACTIVE_STATUSES),
                name="match_one_active_per_child",
            ),
        ]
        indexes = [
            # Match lists and dashboards filter by scheme and status.
            models.Index(fields=["scheme", "status"], name="match_scheme_status_idx"),
            # The coordinator caseload page counts active matches per coordinator.
            models.Index(fields=["coordinator", "status"], name="match_coordinator_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} and {self.child.first_name}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def eighteenth_birthday(self) -> date:
        born = self.child.date_of_birth
        try:
            return born.replace(year=born.year + 18)
        except ValueError:  # born on 29 February
            return born.replace(year=born.year + 18, day=28)

    @property
    def first_anniversary(self) -> date | None:
        if self.started_on is None:
            return None
        try:
            return self.started_on.replace(year=self.started_on.year + 1)
        except ValueError:
            return self.started_on.replace(year=self.started_on.year + 1, day=28)


class MatchEvent(WorkflowEvent):
    """Every transition of a match: who, when, from what to what, and why."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(
        max_length=20, choices=MatchStatus.choices, blank=True, default=""
    )
    to_status = models.CharField(max_length=20, choices=MatchStatus.choices, blank=True, default="")

    class Meta(WorkflowEvent.Meta):
        pass


class MatchReview(BaseModel):
    """A regular or first-anniversary review, with everyone's feedback."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=20, choices=ReviewKind.choices, default=ReviewKind.REGULAR)
    held_on = models.DateField("review date")
    child_feedback = models.TextField("the child's feedback", blank=True)
    iv_feedback = models.TextField("the IV's feedback", blank=True)
    carer_feedback = models.TextField("the carer's feedback", blank=True)
    sw_feedback = models.TextField("the social worker's feedback", blank=True)
    quality = models.PositiveSmallIntegerField(
        "relationship quality (1 poor to 5 excellent)",
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quality__gte=1, quality__lte=5), name="matchreview_quality_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on}"


class MatchSchemeSettings(SchemeSettings):
    """What each scheme decides about its matches."""

    refused_message = "Only the scheme's managers can change its match settings."

    scheme = models.OneToOneField(
        "accounts.Scheme", on_delete=models.CASCADE, related_name="match_settings"
    )
    review_interval_months = models.PositiveSmallIntegerField(
        "months between match reviews", default=6
    )
    reopen_within_days = models.PositiveSmallIntegerField(
        "a closed match can be reopened within (days)", default=90
    )
    care_leaver_continuation = models.BooleanField(
        "matches may continue past 18 as care-leaver matches", default=False
    )
    coordinator_capacity = models.PositiveSmallIntegerField(
        "matches per full-time coordinator", default=36
    )

    def __str__(self) -> str:
        return f"Match settings for {self.scheme}"

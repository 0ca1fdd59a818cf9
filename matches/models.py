"""A match between one independent visitor and one child.

The access issue builds what grants depend on (who is matched to whom, and whether the match
is active); the matching issue adds the stages, reviews and endings.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import BaseModel


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    INTRODUCTION = "introduction", "Introduction"
    TRIAL = "trial", "Trial"
    ESTABLISHED = "established", "Established"
    ENDING = "ending", "Ending"
    CLOSED = "closed", "Closed"


# Statuses in which the IV holds grants to the child's visit card and the match.
ACTIVE_STATUSES = [
    MatchStatus.INTRODUCTION,
    MatchStatus.TRIAL,
    MatchStatus.ESTABLISHED,
    MatchStatus.ENDING,
]


class Match(BaseModel):
    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="matches")
    child = models.ForeignKey("referrals.Child", on_delete=models.PROTECT, related_name="matches")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="iv_matches",
        verbose_name="independent visitor",
    )
    status = models.CharField(
        max_length=20, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    started_on = models.DateField("start date", null=True, blank=True)
    ended_on = models.DateField("end date", null=True, blank=True)

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
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} and {self.child.first_name}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

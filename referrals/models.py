"""Children looked after by the local authority and referred to a scheme.

The access issue builds the record's identity, scheme and allocated social worker; the
referrals issue adds the rest of the child's file and the referral lifecycle.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import BaseModel


class Child(BaseModel):
    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="children")
    first_name = models.CharField("first name", max_length=100)
    last_name = models.CharField("surname", max_length=100)
    date_of_birth = models.DateField("date of birth")
    case_number = models.CharField(
        "local authority case number", max_length=50, blank=True, default=""
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="allocated_children",
        verbose_name="allocated social worker",
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

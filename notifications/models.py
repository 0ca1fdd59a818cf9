"""How people want to be told, and the record of every monitoring job run.

The notifications themselves are core.Notification rows: one per person and key, the key
naming the kind of reminder, the record and the due date or period, under a unique constraint.
That row is the sent-once record: a job that runs again, or twice at once, cannot tell anyone
twice. Its `emailed_at` is the email outbox: a sweep sends whatever is still unsent, so a
broker that is down when a request wants to enqueue delays an email but never loses it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Email me each one as it happens"
    DIGEST = "digest", "One email a day with everything routine (urgent ones still at once)"


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    delivery = models.CharField(
        "how to email you", max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.delivery}"


class JobRun(models.Model):
    """One run of a monitoring job: when, how long, what it sent, and any error."""

    job = models.CharField(max_length=100)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    sent = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            # The managers' "jobs" page shows the latest run of each job.
            models.Index(fields=["job", "-started_at"], name="jobrun_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.job} at {self.started_at:%Y-%m-%d %H:%M}"


class MonitoringSettings(models.Model):
    """Every threshold the jobs use, per scheme, with the defaults the brief gives."""

    scheme = models.OneToOneField(
        "accounts.Scheme", on_delete=models.CASCADE, related_name="monitoring_settings"
    )
    referral_wait_limit_days = models.PositiveIntegerField(
        "tell coordinators when a child has waited this many days", default=90
    )
    birthday_notice_days = models.PositiveIntegerField(
        "warn this many days before a matched child turns 18", default=90
    )
    renewal_notice_days = models.CharField(
        "warn this many days before DBS or insurance expiry (comma-separated)",
        max_length=50,
        default="60,30,7",
    )
    complaint_warning_working_days = models.PositiveSmallIntegerField(
        "warn this many working days before a complaint deadline", default=5
    )

    def __str__(self) -> str:
        return f"Monitoring settings for {self.scheme}"

    def renewal_days(self) -> list[int]:
        return sorted(
            {int(p) for p in self.renewal_notice_days.split(",") if p.strip().isdigit()},
            reverse=True,
        )

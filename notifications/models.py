"""How people want to be told, and the record of every monitoring job run.

The notifications themselves are Notification rows (below): one per person and key, the key
naming the kind of reminder, the record and the due date or period, under a unique constraint.
That row is the sent-once record: a job that runs again, or twice at once, cannot tell anyone
twice. Its `emailed_at` is the email outbox: a sweep sends whatever is still unsent, so a
broker that is down when a request wants to enqueue delays an email but never loses it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core.models import SchemeSettings, new_public_id


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


class MonitoringSettings(SchemeSettings):
    """Every threshold the jobs use, per scheme, with the defaults the brief gives."""

    refused_message = "Only the scheme's managers change its reminder settings."

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


class Notification(models.Model):
    """Something a person should know, shown in the app (the notifications issue adds email
    and digests). `key` makes a reminder idempotent: the same key for the same person is
    stored once, however often the code that raises it runs."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    scheme = models.ForeignKey(
        "accounts.Scheme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Never the child's name or the content of a concern: a title, and a link to the record.
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=500, blank=True, default="")
    urgent = models.BooleanField(default=False)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when the email for it went out (immediately, or in the day's digest).
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Made in core before the outbox had its own app; the table kept its name.
        db_table = "core_notification"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_key"),
        ]
        indexes = [
            # The header's unread count and the notification list.
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox_idx"),
            # The email sweep: what has not been emailed yet.
            models.Index(
                fields=["created_at"],
                condition=models.Q(emailed_at__isnull=True),
                name="notification_unsent_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

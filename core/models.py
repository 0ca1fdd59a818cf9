"""Shared model foundations and the worker heartbeat."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


def new_public_id() -> str:
    """A random, unguessable id for URLs: records are never addressed by their sequential pk."""
    return secrets.token_urlsafe(12)


class BaseModel(models.Model):
    """Every case record knows when it was made and changed, and by whom."""

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def save_by(self, actor: models.Model | None, fields: Iterable[str] | None = None) -> None:
        """Validate and save as `actor` (the history row names them). With `fields`, only
        those columns and `updated_at` are written."""
        self._history_user = actor
        self.full_clean()
        if fields is None:
            self.save()
        else:
            self.save(update_fields=sorted({*fields, "updated_at"}))


class WorkflowEvent(models.Model):
    """One move of a state machine (core.workflow): who, when, from what to what, and why.
    Each machine's event model inherits this and adds its foreign key to the record."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True, default="")
    to_status = models.CharField(max_length=20, blank=True, default="")
    note = models.TextField(blank=True, default="")

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} -> {self.to_status}"


class WorkerHeartbeat(models.Model):
    """One row each time a Celery worker runs the heartbeat task.

    /healthz reports the newest row so that an operator can see that messages put on the
    broker are really consumed by a worker process.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    source = models.CharField(max_length=100)

    class Meta:
        # /healthz reads the newest row; the nightly prune deletes by age.
        indexes = [models.Index(fields=["-created_at"], name="heartbeat_created_idx")]

    def __str__(self) -> str:
        return f"{self.hostname} ({self.pid}) at {self.created_at:%Y-%m-%d %H:%M:%S}"


class AccessLog(models.Model):
    """Every view of a child's record, a safeguarding concern or a complaint.

    Written by the views that show such records (core.audit.log_access); a manager sees the
    entries on the record's page. Never edited, never deleted with the record it describes.
    """

    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_log"
    )
    scheme = models.ForeignKey("accounts.Scheme", on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField(max_length=50)
    record_public_id = models.CharField(max_length=24)
    action = models.CharField(max_length=30, default="view")
    path = models.CharField(max_length=500)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            # The record page's "who has looked at this" panel.
            models.Index(
                fields=["record_type", "record_public_id", "-at"], name="accesslog_record_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.record_type} {self.record_public_id}"


class FormSubmission(models.Model):
    """A create form's one-time token, claimed in the same transaction as the record it made.

    The unique token is what makes a double tap, a resent request or a second copy of the
    same page harmless: the second request waits on the first one's row, then finds it and is
    sent to the record already made (core.once.submit_once).
    """

    token = models.UUIDField(primary_key=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.token)


class SchemeSettings(models.Model):
    """One scheme's settings for one app: at most one row per scheme, defaults when none saved.

    Each subclass declares its own ``scheme = models.OneToOneField("accounts.Scheme", ...)``
    with its own related_name (core imports no app). Read one scheme's with
    ``core.schemesettings.settings_for`` and many schemes' (the reminder jobs) with
    ``settings_by_scheme``. Write only through the owning app's service, which checks its actor
    (``access.require_role(..., Model.refused_message)``) and then calls ``settings_update``.
    """

    refused_message = "Only the scheme's managers can change its settings."
    # Every change keeps who, when, and the old and new values.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

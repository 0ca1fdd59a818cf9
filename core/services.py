"""Writes for the core app."""

from __future__ import annotations

import os
import socket
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.models import FormSubmission, WorkerHeartbeat


@transaction.atomic
def heartbeat_record(*, source: str) -> WorkerHeartbeat:
    beat = WorkerHeartbeat(hostname=socket.gethostname(), pid=os.getpid(), source=source[:100])
    beat.full_clean()
    beat.save()
    return beat


def heartbeat_prune(*, keep_days: int) -> int:
    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted, _ = WorkerHeartbeat.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def form_tokens_prune(*, keep_days: int) -> int:
    """Forget create forms' one-time tokens (core.once) older than any page left open: a
    repeat of a form that old makes a new record, as a new form would."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    deleted, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted

"""Emails for notifications: short, phone-friendly, and never carrying sensitive detail.

A notification's title is written for this (no child's name, no content of a concern); the
email adds only a link to the record, behind sign-in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.queue import send_or_log
from notifications.models import Delivery, Notification, NotificationPreference
from notifications.tasks import deliver_notifications


def site_url() -> str:
    return str(getattr(settings, "SITE_URL", "")).rstrip("/")


def _render(template: str, context: dict[str, object]) -> tuple[str, str]:
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    return text, html


def _send(to: str, subject: str, template: str, context: dict[str, object]) -> None:
    text, html = _render(template, {**context, "site_url": site_url()})
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def _wants_digest(user_ids: Iterable[int]) -> set[int]:
    return set(
        NotificationPreference.objects.filter(
            user_id__in=list(user_ids), delivery=Delivery.DIGEST
        ).values_list("user_id", flat=True)
    )


def deliver_immediate(ids: list[int] | None = None) -> int:
    """Email every unsent notification that should go now: urgent ones always, routine ones
    for people who chose immediate emails. Each is claimed with a conditional update first,
    so two workers running this at once never email the same notification twice."""
    pending = Notification.objects.filter(emailed_at__isnull=True).select_related("user")
    if ids is not None:
        pending = pending.filter(pk__in=ids)
    pending_list = list(pending.order_by("pk")[:500])
    digest_users = _wants_digest({n.user_id for n in pending_list})
    sent = 0
    for n in pending_list:
        if not n.urgent and n.user_id in digest_users:
            continue
        if not n.user.is_active:
            continue
        with transaction.atomic():
            claimed = Notification.objects.filter(pk=n.pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
            if not claimed:
                continue
            # Inside the claim's transaction: if sending fails, the claim rolls back and the
            # next sweep tries again.
            _send(n.user.email, n.title, "notification", {"n": n, "user": n.user})
        sent += 1
    return sent


def deliver_digests() -> int:
    """One email per person who chose the daily digest, listing their unsent routine items."""
    digest_users = set(
        NotificationPreference.objects.filter(delivery=Delivery.DIGEST).values_list(
            "user_id", flat=True
        )
    )
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, user_id__in=digest_users)
        .select_related("user")
        .order_by("user_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for n in pending:
        by_user[n.user_id].append(n)
    sent = 0
    for items in by_user.values():
        user = items[0].user
        if not user.is_active:
            continue
        with transaction.atomic():
            claimed = Notification.objects.filter(
                pk__in=[n.pk for n in items], emailed_at__isnull=True
            ).update(emailed_at=timezone.now())
            if not claimed:
                continue
            _send(
                user.email,
                f"ivscheme: {len(items)} thing{'s' if len(items) != 1 else ''} for you today",
                "digest",
                {"items": items, "user": user},
            )
        sent += 1
    return sent


def enqueue_delivery(ids: list[int] | None) -> None:
    """Ask a worker to email these now (None: everything unsent). If the broker is down the
    request still succeeds: the rows stay unsent and the every-minute sweep sends them."""

    send_or_log(
        deliver_notifications, what="notification delivery; the sweep will send it", ids=ids
    )

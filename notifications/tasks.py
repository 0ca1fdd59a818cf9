"""Thin Celery wrappers: each job runs inside `_recorded`, which keeps a JobRun row (when, how
long, what it sent, any error) for the managers' jobs page."""

from __future__ import annotations

import time
from collections.abc import Callable

from celery import shared_task
from django.utils import timezone

from notifications import delivery, jobs
from notifications.models import JobRun


def _recorded(name: str, work: Callable[[], int]) -> int:
    started = time.monotonic()
    run = JobRun.objects.create(job=name, started_at=timezone.now())
    try:
        sent = work()
    except Exception as exc:
        run.error = f"{type(exc).__name__}: {exc}"[:2000]
        raise
    else:
        run.sent = sent
        return sent
    finally:
        run.finished_at = timezone.now()
        run.duration_ms = int((time.monotonic() - started) * 1000)
        run.save(update_fields=["sent", "error", "finished_at", "duration_ms"])


@shared_task(name="notifications.tasks.deliver_notifications")
def deliver_notifications(ids: list[int] | None = None) -> int:
    return delivery.deliver_immediate(ids)


@shared_task(name="notifications.tasks.sweep_unsent")
def sweep_unsent() -> int:
    return _recorded("Email notifications not yet sent", lambda: delivery.deliver_immediate())


@shared_task(name="notifications.tasks.daily_digest")
def daily_digest() -> int:
    return _recorded("Daily digest emails", delivery.deliver_digests)


@shared_task(name="notifications.tasks.escalate_concerns")
def escalate_concerns() -> int:
    return _recorded(
        "Safeguarding concerns not acknowledged in time",
        lambda: jobs.escalate_unacknowledged_concerns(timezone.now()),
    )


@shared_task(name="notifications.tasks.referrals_waiting")
def referrals_waiting() -> int:
    return _recorded(
        "Referrals waiting too long",
        lambda: jobs.referrals_waiting_too_long(timezone.localdate()),
    )


@shared_task(name="notifications.tasks.birthdays")
def birthdays() -> int:
    return _recorded(
        "Matched children turning 18", lambda: jobs.eighteenth_birthdays(timezone.localdate())
    )


@shared_task(name="notifications.tasks.renewals")
def renewals() -> int:
    return _recorded(
        "DBS and insurance renewals", lambda: jobs.volunteer_renewals(timezone.localdate())
    )


@shared_task(name="notifications.tasks.complaint_deadlines")
def complaint_deadlines() -> int:
    return _recorded(
        "Complaint stage deadlines", lambda: jobs.complaint_deadlines(timezone.localdate())
    )


@shared_task(name="notifications.tasks.overdue_checkouts")
def overdue_checkouts() -> int:
    return _recorded("Visits with no check-out", lambda: jobs.overdue_checkouts(timezone.now()))


@shared_task(name="notifications.tasks.reports_overdue")
def reports_overdue() -> int:
    return _recorded("Visit reports overdue", lambda: jobs.reports_overdue(timezone.localdate()))


@shared_task(name="notifications.tasks.lapsed_contact")
def lapsed_contact() -> int:
    return _recorded("Lapsed contact", lambda: jobs.lapsed_contact(timezone.localdate()))


@shared_task(name="notifications.tasks.weekly_lapsed_report")
def weekly_lapsed_report() -> int:
    return _recorded(
        "Weekly lapsed-contact report",
        lambda: jobs.weekly_lapsed_report(timezone.localdate()),
    )


@shared_task(name="notifications.tasks.reviews_due")
def reviews_due() -> int:
    return _recorded("Match reviews due", lambda: jobs.reviews_due(timezone.localdate()))


@shared_task(name="notifications.tasks.supervision_overdue")
def supervision_overdue() -> int:
    return _recorded("Supervision overdue", lambda: jobs.supervision_overdue(timezone.localdate()))


@shared_task(name="notifications.tasks.claims_waiting")
def claims_waiting() -> int:
    return _recorded(
        "Expense claims waiting for approval", lambda: jobs.claims_waiting(timezone.localdate())
    )

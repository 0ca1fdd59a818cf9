from __future__ import annotations

from typing import Any

from django.db.models import Max, QuerySet
from django.http import Http404

from accounts import access
from accounts.models import User
from core.schemesettings import settings_for
from notifications.models import (
    Delivery,
    JobRun,
    MonitoringSettings,
    Notification,
    NotificationPreference,
)


def preference_for(user: User) -> str:
    found = NotificationPreference.objects.filter(user=user).values_list("delivery", flat=True)
    return next(iter(found), Delivery.IMMEDIATE)


def latest_job_runs() -> list[JobRun]:
    """The newest run of each job, in two queries whatever the history's length."""
    latest = JobRun.objects.values("job").annotate(at=Max("started_at"))
    wanted = {(row["job"], row["at"]) for row in latest}
    runs = JobRun.objects.filter(started_at__in=[at for _, at in wanted]).order_by("job")
    return [r for r in runs if (r.job, r.started_at) in wanted]


def managed_scheme_settings(*, user: User, slug: str) -> tuple[Any, Any]:
    """A scheme this user manages, with its reminder settings (unsaved defaults if none)."""
    from django.http import Http404

    for m in access.memberships(user):
        if m.scheme.slug == slug and m.role == "manager":
            return m.scheme, settings_for(MonitoringSettings, m.scheme)
    raise Http404("No such scheme")


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at")


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_get_for_user(*, user: User, public_id: str) -> Notification:
    found = Notification.objects.filter(user=user, public_id=public_id).first()
    if found is None:
        raise Http404("No such notification")
    return found

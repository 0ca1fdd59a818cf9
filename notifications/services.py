from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import Role, User
from core.schemesettings import settings_update
from notifications.delivery import enqueue_delivery
from notifications.models import Delivery, MonitoringSettings, Notification, NotificationPreference


@transaction.atomic
def preference_set(*, actor: User, delivery: str) -> NotificationPreference:
    if delivery not in Delivery.values:
        raise ValidationError({"delivery": "Choose how you want to be emailed."})
    pref, _ = NotificationPreference.objects.select_for_update().get_or_create(user=actor)
    pref.delivery = delivery
    pref.save(update_fields=["delivery"])
    return pref


@transaction.atomic
def monitoring_settings_save(*, actor: User, scheme: Any, **values: Any) -> Any:
    access.require_role(actor, scheme, [Role.MANAGER], MonitoringSettings.refused_message)
    return settings_update(MonitoringSettings, actor=actor, scheme=scheme, **values)


def notify(
    *,
    users: list,
    title: str,
    url: str = "",
    key: str,
    scheme: object = None,
    scheme_id: int | None = None,
    urgent: bool = False,
) -> int:
    """Tell each person once, in the app and by email: a second call with the same key for the
    same person does nothing (the unique constraint is the sent-once record). The title must
    carry no sensitive detail (no child's name, nothing of a concern): it is also the email.
    Returns how many people were newly told."""
    key = key[:200]
    people = {u.pk: u for u in users if u is not None}
    if not people:
        return 0
    told = set(
        Notification.objects.filter(key=key, user_id__in=people).values_list("user_id", flat=True)
    )
    new = [
        Notification(
            user=u,
            title=title[:200],
            url=url,
            key=key,
            scheme_id=scheme_id if scheme_id is not None else getattr(scheme, "pk", None),
            urgent=urgent,
        )
        for pk, u in people.items()
        if pk not in told
    ]
    # ignore_conflicts: a job running twice at once races here, and the constraint decides.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    ids = list(
        Notification.objects.filter(
            key=key, user_id__in=[n.user_id for n in new], emailed_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: enqueue_delivery(ids))
    return len(ids)


def notify_bulk(items: list[dict[str, Any]]) -> int:
    """Many notifications in a constant number of queries, for jobs that scan thousands of
    records. Each item: user_id, title, url, key, scheme_id, urgent. Same sent-once rule as
    notify(): an existing (user, key) is left alone."""
    if not items:
        return 0
    keys = {i["key"][:200] for i in items}
    told = set(Notification.objects.filter(key__in=keys).values_list("user_id", "key"))
    rows = [
        Notification(
            user_id=i["user_id"], title=i["title"][:200], url=i.get("url", ""),
            key=i["key"][:200], scheme_id=i.get("scheme_id"), urgent=i.get("urgent", False),
        )
        for i in items
        if (i["user_id"], i["key"][:200]) not in told
    ]  # fmt: skip
    # ignore_conflicts: another run racing this one loses at the unique constraint.
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    if rows:
        transaction.on_commit(lambda: enqueue_delivery(None))
    return len(rows)


def notification_mark_read(*, user: object, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])

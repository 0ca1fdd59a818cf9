from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from notifications.models import Delivery, NotificationPreference


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
    from core import access
    from notifications.models import MonitoringSettings

    if not access.has_role(actor, scheme, ["manager"]):
        raise PermissionDenied("Only the scheme's managers change its reminder settings.")
    settings_, _ = MonitoringSettings.objects.select_for_update().get_or_create(scheme=scheme)
    for name, value in values.items():
        setattr(settings_, name, value)
    settings_.full_clean()
    settings_.save()
    return settings_

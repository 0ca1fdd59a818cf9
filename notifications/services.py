from __future__ import annotations

from django.core.exceptions import ValidationError
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

"""Every write of a subject access request: receiving it, its deadline and extension, who
prepares it, what is withheld, producing the bundle, releasing or withdrawing it; and the daily
reminders of deadlines."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.models import Membership, Role, User
from core.queue import send_or_log
from dataprotection.models import (
    BundleStatus,
    Redaction,
    RequestStatus,
    SubjectAccessRequest,
)
from notifications.services import notify_bulk

# History change reasons the bundle and the release check read back.
BUNDLE_ASKED = "Bundle asked for"
REDACTIONS_CHANGED = "Redactions changed"

DEFAULT_REASON = "Information about another person (third party)"


def due_on_for(received_on: date) -> date:
    """One calendar month after receipt; 31 January gives the last day of February."""
    return received_on + relativedelta(months=1)


def latest_due_on(received_on: date) -> date:
    """The furthest an extension may go: two further months, three in all."""
    return received_on + relativedelta(months=3)


def _save(sar: SubjectAccessRequest, actor: User, reason: str, fields: list[str]) -> None:
    sar._history_user = actor  # type: ignore[attr-defined]
    sar._change_reason = reason  # type: ignore[attr-defined]
    sar.full_clean()
    sar.save(update_fields=[*fields, "updated_at"])


def _require_dp(actor: User, scheme_id: int) -> None:
    if scheme_id not in access.data_protection_scheme_ids(actor):
        raise ValidationError(
            "Only the scheme's managers and the data protection officer can do this."
        )


def _require_open(sar: SubjectAccessRequest) -> None:
    if sar.status != RequestStatus.OPEN:
        raise ValidationError(f"This request is closed ({sar.get_status_display().lower()}).")


def _check_coordinator(scheme_id: int, user: User) -> None:
    if user is None:
        return
    if user not in access.users_with_roles(scheme_id, [Role.COORDINATOR]):
        raise ValidationError(
            {"assigned_to": "Choose an active coordinator of the scheme the request is in."}
        )


@transaction.atomic
def request_create(
    *,
    actor: User,
    child: Any = None,
    volunteer: Any = None,
    requester_name: str,
    requester_relationship: str = "The person themselves",
    received_on: date | None = None,
    assigned_to: Any = None,
) -> SubjectAccessRequest:
    if (child is None) == (volunteer is None):
        raise ValidationError("A request is about one child or one volunteer.")
    subject = child or volunteer
    _require_dp(actor, subject.scheme_id)
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "The date received cannot be in the future."})
    _check_coordinator(subject.scheme_id, assigned_to)
    sar = SubjectAccessRequest(
        scheme_id=subject.scheme_id,
        child=child,
        volunteer=volunteer,
        requester_name=requester_name.strip(),
        requester_relationship=requester_relationship.strip() or "The person themselves",
        received_on=received_on,
        due_on=due_on_for(received_on),
        assigned_to=assigned_to,
        created_by=actor,
    )
    sar._history_user = actor  # type: ignore[attr-defined]
    sar.full_clean()
    sar.save()
    return sar


@transaction.atomic
def request_extend(
    *, actor: User, sar: SubjectAccessRequest, new_due_on: date | None, reason: str
) -> SubjectAccessRequest:
    _require_dp(actor, sar.scheme_id)
    _require_open(sar)
    errors: dict[str, str] = {}
    limit = latest_due_on(sar.received_on)
    if not reason.strip():
        errors["reason"] = "Say why the request needs longer (for example, it is complex)."
    if new_due_on is None:
        errors["new_due_on"] = "Enter the new due date."
    elif new_due_on <= sar.deadline:
        errors["new_due_on"] = (
            f"The new date must be after the current deadline, {sar.deadline:%-d %B %Y}."
        )
    elif new_due_on > limit:
        errors["new_due_on"] = (
            "A request can be extended by at most two further months: "
            f"the latest date is {limit:%-d %B %Y}."
        )
    if errors:
        raise ValidationError(errors)
    sar.extended_due_on = new_due_on
    sar.extension_reason = reason.strip()
    _save(sar, actor, "Extended", ["extended_due_on", "extension_reason"])
    return sar


@transaction.atomic
def request_assign(
    *, actor: User, sar: SubjectAccessRequest, coordinator: Any
) -> SubjectAccessRequest:
    _require_dp(actor, sar.scheme_id)
    _require_open(sar)
    _check_coordinator(sar.scheme_id, coordinator)
    sar.assigned_to = coordinator
    _save(sar, actor, "Assigned", ["assigned_to"])
    return sar


def _may_redact(actor: User, sar: SubjectAccessRequest) -> bool:
    if sar.scheme_id in access.data_protection_scheme_ids(actor):
        return True
    return bool(
        sar.assigned_to_id == actor.pk and access.has_role(actor, sar.scheme_id, [Role.COORDINATOR])
    )


def _touch_redactions(actor: User, sar: SubjectAccessRequest) -> None:
    # Recorded in the request's history: release checks the bundle is newer than this.
    _save(sar, actor, REDACTIONS_CHANGED, [])


@transaction.atomic
def redaction_mark(
    *, actor: User, sar: SubjectAccessRequest, item_key: str, reason: str = ""
) -> Redaction:
    # Here, not at the top: dataprotection.services.bundle imports this module (BUNDLE_ASKED).
    from dataprotection.services import bundle

    if not _may_redact(actor, sar):
        raise ValidationError(
            "Only the coordinator preparing the request or a manager can do this."
        )
    _require_open(sar)
    if item_key not in {i.key for i in bundle.collect(sar)}:
        raise ValidationError("That item is not part of this request's records.")
    reason = reason.strip() or DEFAULT_REASON
    redaction, created = Redaction.objects.get_or_create(
        request=sar, item_key=item_key, defaults={"reason": reason[:300], "by": actor}
    )
    if not created and redaction.reason != reason[:300]:
        redaction.reason = reason[:300]
        redaction.save(update_fields=["reason"])
    _touch_redactions(actor, sar)
    return redaction


@transaction.atomic
def redaction_unmark(*, actor: User, sar: SubjectAccessRequest, item_key: str) -> None:
    if not _may_redact(actor, sar):
        raise ValidationError(
            "Only the coordinator preparing the request or a manager can do this."
        )
    _require_open(sar)
    deleted, _ = Redaction.objects.filter(request=sar, item_key=item_key).delete()
    if deleted:
        _touch_redactions(actor, sar)


def redactions_changed_at(sar: SubjectAccessRequest) -> Any:
    last = (
        sar.history.filter(history_change_reason=REDACTIONS_CHANGED)
        .order_by("-history_id")
        .values_list("history_date", flat=True)
        .first()
    )
    return last


def bundle_is_current(sar: SubjectAccessRequest) -> bool:
    """A produced bundle that began after the last change to what is withheld."""
    if sar.bundle_status != BundleStatus.DONE or not sar.bundle_started_at:
        return False
    changed = redactions_changed_at(sar)
    return changed is None or sar.bundle_started_at > changed


@transaction.atomic
def bundle_produce(*, actor: User, sar: SubjectAccessRequest, enqueue: bool = True) -> bool:
    """Queue the bundle (again). Does nothing while one is waiting or being produced.
    Returns whether a job was queued. `enqueue=False` leaves the running to the caller
    (the demo seed runs bundle.build itself)."""
    _require_dp(actor, sar.scheme_id)
    _require_open(sar)
    queued = SubjectAccessRequest.objects.filter(
        pk=sar.pk,
        bundle_status__in=[BundleStatus.NOT_STARTED, BundleStatus.DONE, BundleStatus.FAILED],
    ).update(bundle_status=BundleStatus.QUEUED, bundle_progress=0, bundle_error="")
    if not queued:
        return False
    sar.refresh_from_db()
    _save(sar, actor, BUNDLE_ASKED, [])
    request_id = sar.pk
    if enqueue:
        transaction.on_commit(lambda: enqueue_bundle(request_id))
    return True


def enqueue_bundle(request_id: int) -> None:
    # Here, not at the top: dataprotection.tasks imports this module's neighbours to build it.
    from dataprotection.tasks import build_access_bundle

    # On failure the request stays "waiting to start"; the bundle can be asked for again.
    send_or_log(build_access_bundle, what=f"subject access bundle {request_id}", args=(request_id,))


@transaction.atomic
def request_release(
    *, actor: User, sar: SubjectAccessRequest, released_on: date | None = None
) -> SubjectAccessRequest:
    _require_dp(actor, sar.scheme_id)
    _require_open(sar)
    if not bundle_is_current(sar):
        raise ValidationError(
            "Produce the bundle again first: it must include every change to what is withheld."
        )
    sar.status = RequestStatus.RELEASED
    sar.released_on = released_on or timezone.localdate()
    sar.released_by = actor
    _save(sar, actor, "Released", ["status", "released_on", "released_by"])
    return sar


@transaction.atomic
def request_withdraw(*, actor: User, sar: SubjectAccessRequest) -> SubjectAccessRequest:
    _require_dp(actor, sar.scheme_id)
    _require_open(sar)
    sar.status = RequestStatus.WITHDRAWN
    _save(sar, actor, "Withdrawn", ["status"])
    return sar


# --- Reminders -------------------------------------------------------------------------------


def _stage(deadline: date, today: date) -> tuple[str, str] | None:
    days = (deadline - today).days
    if days == 7:
        return "7days", "A subject access request is due in 7 days"
    if days == 0:
        return "today", "A subject access request is due today"
    if days < 0:
        return "overdue", "A subject access request is overdue"
    return None


def send_reminders(today: date) -> int:
    """For each open request: tell its scheme's managers, the organisation's data protection
    officers and the coordinator preparing it, 7 days before the deadline, on the day and when
    it is overdue. Each reminder is sent once per deadline (an extension sends them again for
    the new date). Returns how many people were newly told."""

    open_requests = list(
        SubjectAccessRequest.objects.filter(status=RequestStatus.OPEN)
        .filter(due_on__lte=today + timedelta(days=7))
        .select_related("scheme", "assigned_to")
        .order_by("pk")
    )
    # The due date may have been extended beyond the window: the deadline decides.
    due = [(sar, _stage(sar.deadline, today)) for sar in open_requests]
    due = [(sar, stage) for sar, stage in due if stage]
    if not due:
        return 0
    scheme_ids = {sar.scheme_id for sar, _ in due}
    managers = access.people_with_roles(scheme_ids, [Role.MANAGER])
    dpos: dict[int, set[int]] = {}
    for org_id, user_id in Membership.objects.filter(
        role=Role.DATA_PROTECTION_OFFICER, is_active=True, user__is_active=True,
        scheme__organisation_id__in={sar.scheme.organisation_id for sar, _ in due},
    ).values_list("scheme__organisation_id", "user_id"):  # fmt: skip
        dpos.setdefault(org_id, set()).add(user_id)
    items = []
    for sar, (stage, title) in due:  # type: ignore[misc]
        people = {u.pk for u in managers.get(sar.scheme_id, [])}
        people |= dpos.get(sar.scheme.organisation_id, set())
        if sar.assigned_to is not None and sar.assigned_to.is_active:
            people.add(sar.assigned_to.pk)
        url = reverse("dataprotection:request", args=[sar.public_id])
        for user_id in sorted(people):
            items.append(
                {
                    "user_id": user_id,
                    "title": title,
                    "url": url,
                    "key": f"sar:{sar.public_id}:{sar.deadline:%Y%m%d}:{stage}",
                    "scheme_id": sar.scheme_id,
                    "urgent": stage == "overdue",
                }
            )
    return notify_bulk(items)

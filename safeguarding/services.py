"""Every write to a concern: raise, acknowledge, record actions, share, close.

Each is a transaction that also writes the chronology entry. Nothing is ever updated in place
except the concern's own workflow fields (status and their dates), which simple-history keeps.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.models import Role, User
from core.refusals import permits
from core.schemesettings import settings_for
from core.working_days import add_working_days
from matches import services as match_services
from notifications.services import notify
from safeguarding.models import (
    ActionKind,
    Category,
    Concern,
    ConcernAction,
    IncidentType,
    Kind,
    SafeguardingSettings,
    Status,
)
from volunteers import services as volunteer_services
from volunteers.selectors import volunteer_for_user


def acknowledgement_deadline(*, scheme_id: int, urgent: bool, raised_at: datetime) -> datetime:
    rules = settings_for(SafeguardingSettings, scheme_id)
    if urgent:
        return raised_at + timedelta(minutes=rules.urgent_minutes)
    local = timezone.localtime(raised_at)
    day = add_working_days(local.date(), rules.standard_working_days)
    return timezone.make_aware(datetime.combine(day, local.time().replace(microsecond=0)))


def _staff(scheme_id: int, roles: tuple[str, ...]) -> list[User]:
    return access.users_with_roles(scheme_id, roles)


def _log(
    concern: Concern,
    *,
    actor: User,
    kind: str,
    happened_at: datetime | None = None,
    detail: str = "",
    reference: str = "",
    corrects: ConcernAction | None = None,
) -> ConcernAction:
    action = ConcernAction(
        concern=concern, actor=actor, kind=kind, happened_at=happened_at or timezone.now(),
        detail=detail.strip(), reference=reference.strip(), corrects=corrects,
    )  # fmt: skip
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def concern_raise(
    *,
    actor: User,
    child: Any,
    kind: str,
    what_happened: str,
    occurred_at: datetime,
    told_child: str,
    category: str = "",
    incident_type: str = "",
    childs_words: str = "",
    immediate_danger: bool = False,
    urgent: bool = False,
    about_adult: bool = False,
    about_volunteer: User | None = None,
    about_adult_name: str = "",
    from_visit: str = "",
    match: Any = None,
    client_id: uuid.UUID | str | None = None,
) -> Concern:
    """Record what was seen or said and tell the scheme's coordinators at once. A child in
    immediate danger, or missing, is always urgent.

    `client_id` is the id the phone made before its first attempt to send: the same person
    sending the same id again (a retry after a lost signal) gets the concern already
    recorded, never a second one."""
    client_uuid = _parse_client_id(client_id)
    if client_uuid is not None:
        existing = _concern_with_client_id(client_uuid, actor=actor)
        if existing is not None:
            return existing
    if occurred_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"occurred_at": "When it happened cannot be in the future."})
    about_adult_name = about_adult_name.strip()
    if about_volunteer is not None or about_adult_name:
        _check_named_adult(
            actor=actor, scheme_id=child.scheme_id, volunteer=about_volunteer,
            name=about_adult_name,
        )  # fmt: skip
        about_adult = True
    urgent = bool(
        urgent
        or immediate_danger
        or category == Category.MISSING
        or incident_type == IncidentType.MISSING
    )
    now = timezone.now()
    deadline = acknowledgement_deadline(scheme_id=child.scheme_id, urgent=urgent, raised_at=now)
    concern = Concern(
        scheme=child.scheme, child=child, raised_by=actor, kind=kind, category=category,
        incident_type=incident_type, what_happened=what_happened.strip(),
        childs_words=childs_words.strip(), occurred_at=occurred_at,
        immediate_danger=immediate_danger, told_child=told_child, about_adult=about_adult,
        about_volunteer=about_volunteer, about_adult_name=about_adult_name,
        from_visit=from_visit, urgent=urgent,
        acknowledge_by=deadline, created_by=actor,
    )  # fmt: skip
    if kind == Kind.CONCERN and not category:
        raise ValidationError({"category": "Choose what kind of concern this is."})
    if kind == Kind.INCIDENT and not incident_type:
        raise ValidationError({"incident_type": "Choose what kind of incident this was."})
    concern.client_id = client_uuid
    concern._history_user = actor  # type: ignore[attr-defined]
    concern.full_clean(exclude=["client_id"])
    try:
        with transaction.atomic():
            concern.save()
    except IntegrityError:
        # Two copies sent at once (page and service worker): the other one was recorded.
        existing = (
            _concern_with_client_id(client_uuid, actor=actor) if client_uuid is not None else None
        )
        if existing is None:
            raise
        return existing
    if about_volunteer is not None:
        _suspend_volunteer(concern, actor=actor)
    url = reverse("safeguarding:detail", args=[concern.public_id])
    title = (
        "URGENT: a safeguarding concern needs your attention now"
        if urgent
        else "A new safeguarding concern needs your attention"
    )
    if kind == Kind.INCIDENT:
        title = title.replace("safeguarding concern", "incident report")
    transaction.on_commit(
        lambda: notify(
            users=_staff(concern.scheme_id, (Role.COORDINATOR,)),
            title=title,
            url=url,
            key=f"concern-raised:{concern.public_id}",
            scheme=concern.scheme,
            urgent=urgent,
        )
    )
    return concern


def _check_named_adult(*, actor: User, scheme_id: int, volunteer: User | None, name: str) -> None:
    """Naming the adult an allegation is about (which suspends an IV at once) is for the
    scheme's coordinators and managers; the IV must be one of this scheme's."""
    access.require_staff(
        actor, scheme_id, "Only the scheme's coordinators and managers name the adult."
    )
    if volunteer is not None and name:
        raise ValidationError(
            {"about_adult_name": "Choose the IV or write the name of someone else, not both."}
        )
    if volunteer is not None and not access.has_role(
        volunteer, scheme_id, [Role.INDEPENDENT_VISITOR]
    ):
        raise ValidationError({"about_volunteer": "Choose an IV of this scheme."})


def _parse_client_id(value: uuid.UUID | str | None) -> uuid.UUID | None:
    if value is None or value == "":
        return None
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValidationError("The report has no valid id. Reload the page and try again.") from exc


def _concern_with_client_id(client_uuid: uuid.UUID, *, actor: User) -> Concern | None:
    existing = Concern.objects.filter(client_id=client_uuid).first()
    if existing is not None and existing.raised_by_id != actor.pk:
        raise ValidationError("This report id belongs to another report. Reload the page.")
    return existing


def _suspend_volunteer(concern: Concern, *, actor: User) -> None:
    """An allegation against an IV: suspended at once, their match paused (no visits)."""
    volunteer_user = concern.about_volunteer
    assert volunteer_user is not None
    volunteer = volunteer_for_user(volunteer_user)
    if volunteer is not None:
        volunteer_services.volunteer_suspend(
            actor=actor, volunteer=volunteer, reason="Safeguarding allegation"
        )
    # volunteer_suspend has paused the matches of a volunteer record; an IV account without
    # one (or a volunteer not yet approved) is cut off from their matches here all the same.
    match_services.matches_pause_for_volunteer(
        actor=actor, volunteer=volunteer_user, reason="Safeguarding allegation"
    )
    _log(
        concern,
        actor=actor,
        kind=ActionKind.SUSPENDED,
        detail="Suspended while this is looked into.",
    )


def _require_staff(actor: User, concern: Concern) -> None:
    access.require_staff(
        actor, concern.scheme_id, "Only the scheme's coordinators and managers act on concerns."
    )


@transaction.atomic
def concern_acknowledge(*, actor: User, concern: Concern) -> Concern:
    _require_staff(actor, concern)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.status != Status.NEW:
        raise ValidationError("This concern has already been acknowledged.")
    concern.status = Status.OPEN
    concern.acknowledged_at = timezone.now()
    concern.acknowledged_by = actor
    concern._history_user = actor  # type: ignore[attr-defined]
    concern.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
    _log(concern, actor=actor, kind=ActionKind.ACKNOWLEDGED)
    return concern


# Entries a coordinator or manager may add to the chronology while the concern is open.
RECORDABLE = [
    ActionKind.DECISION, ActionKind.REFERRAL_CSC, ActionKind.REFERRAL_LADO,
    ActionKind.SW_INFORMED, ActionKind.CARER_INFORMED, ActionKind.POLICE, ActionKind.NOTE,
]  # fmt: skip


@transaction.atomic
def concern_record(
    *,
    actor: User,
    concern: Concern,
    kind: str,
    happened_at: datetime,
    detail: str,
    reference: str = "",
    corrects: ConcernAction | None = None,
) -> ConcernAction:
    _require_staff(actor, concern)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.status == Status.CLOSED and corrects is None:
        raise ValidationError("This concern is closed; you can only add a correction.")
    if corrects is not None:
        if corrects.concern_id != concern.pk:
            raise ValidationError("That entry belongs to another concern.")
        kind = ActionKind.CORRECTION
    elif kind not in RECORDABLE:
        raise ValidationError({"kind": "Choose what you are recording."})
    if concern.status == Status.NEW:
        raise ValidationError("Acknowledge the concern first.")
    if kind in (ActionKind.REFERRAL_CSC, ActionKind.REFERRAL_LADO) and not reference.strip():
        raise ValidationError({"reference": "Add the reference they gave you."})
    if not detail.strip():
        raise ValidationError({"detail": "Say what was decided or done."})
    if happened_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"happened_at": "This cannot be in the future."})
    return _log(
        concern, actor=actor, kind=kind, happened_at=happened_at, detail=detail,
        reference=reference, corrects=corrects,
    )  # fmt: skip


@transaction.atomic
def concern_share_with_social_worker(*, actor: User, concern: Concern) -> Concern:
    _require_staff(actor, concern)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.status == Status.NEW:
        raise ValidationError("Acknowledge the concern first.")
    if concern.child is None or concern.child.social_worker is None:
        raise ValidationError("The child has no allocated social worker to share with.")
    if concern.shared_with_social_worker_at is None:
        concern.shared_with_social_worker_at = timezone.now()
        concern._history_user = actor  # type: ignore[attr-defined]
        concern.save(update_fields=["shared_with_social_worker_at", "updated_at"])
        _log(concern, actor=actor, kind=ActionKind.SHARED)
        worker = concern.child.social_worker
        transaction.on_commit(
            lambda: notify(
                users=[worker],
                title="A safeguarding concern about a child you work with has been shared",
                url=reverse("safeguarding:detail", args=[concern.public_id]),
                key=f"concern-shared:{concern.public_id}",
                scheme=concern.scheme,
            )
        )
    return concern


def require_closer(actor: User, concern: Concern, *, hidden: bool = False) -> None:
    """Closure is a manager's decision. The close page passes `hidden`: a 404 for anyone else."""
    access.require_role(
        actor,
        concern.scheme_id,
        [Role.MANAGER],
        "Only a manager can close a safeguarding concern.",
        hidden=hidden,
    )


def concern_actions(user: User, concern: Concern) -> set[str]:
    """What the concern's page offers `user` now, by the checks the services below make:
    acknowledge a new concern; add to the chronology of an open one, and close it (a manager);
    share an acknowledged one with the child's social worker, once."""
    actions: set[str] = set()
    if permits(lambda: _require_staff(user, concern)):
        if concern.status == Status.NEW:
            actions.add("acknowledge")
        if concern.status == Status.OPEN:
            actions.add("record")
        if concern.status != Status.NEW and concern.shared_with_social_worker_at is None:
            actions.add("share")
    if concern.status == Status.OPEN and permits(lambda: require_closer(user, concern)):
        actions.add("close")
    return actions


@transaction.atomic
def concern_close(*, actor: User, concern: Concern, outcome: str) -> Concern:
    """Closure is a manager's decision, with the outcome written down."""
    require_closer(actor, concern)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.status != Status.OPEN:
        raise ValidationError(
            "Acknowledge the concern before closing it."
            if concern.status == Status.NEW
            else "This concern is already closed."
        )
    if not outcome.strip():
        raise ValidationError({"outcome": "Write down the outcome."})
    concern.status = Status.CLOSED
    concern.closed_at = timezone.now()
    concern.closed_by = actor
    concern.outcome = outcome.strip()
    concern._history_user = actor  # type: ignore[attr-defined]
    concern.save(update_fields=["status", "closed_at", "closed_by", "outcome", "updated_at"])
    _log(concern, actor=actor, kind=ActionKind.CLOSED, detail=outcome)
    return concern


@transaction.atomic
def concern_mark_escalated(*, concern_id: int) -> bool:
    """Claim a concern for escalation exactly once (the monitoring job calls this): True
    only for the caller whose conditional update set escalated_at."""
    claimed = Concern.objects.filter(
        pk=concern_id, status=Status.NEW, escalated_at__isnull=True
    ).update(escalated_at=timezone.now())
    return claimed == 1

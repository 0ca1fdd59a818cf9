"""Destroying and anonymising records that have passed their retention date.

`approve_destruction` is the manager's (or data protection officer's) decision: in one
transaction it re-checks what is still due and under no hold, destroys or anonymises it, and
writes one anonymous DestructionRecord per type. Nothing else about the records stays: their
history rows, the access log entries that describe them, object permissions, notifications
that link to them and their uploaded files go with them.

`destroy_rows` walks the foreign keys that point at the records (set-based: a few queries per
related model, whatever the number of records), so a model added later that refers to a child
is destroyed with the child without this file knowing about it. `anonymise_volunteer` keeps
the volunteer row (other records point at their account) and blanks everything personal; the
erasure of an applicant reuses it.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalChanges
from simple_history.utils import get_history_model_for_model

from accounts import access
from accounts.models import Membership, User
from core.models import AccessLog
from dataprotection.models import (
    DestructionAction,
    DestructionRecord,
    DueRecord,
    DueStatus,
    RecordType,
)
from dataprotection.services import retention
from notifications.models import Notification
from volunteers.models import Reference, StageChange, SupportSession, TrainingRecord, Volunteer

RECORD_MODELS: dict[str, str] = {
    RecordType.CHILD_CASE: "referrals.Child",
    RecordType.CHILD_DIED: "referrals.Child",
    RecordType.VOLUNTEER: "volunteers.Volunteer",
    RecordType.ALLEGATION: "volunteers.Volunteer",
    RecordType.APPLICANT: "volunteers.Volunteer",
    RecordType.EXPENSE: "expenses.Claim",
    RecordType.COMPLAINT: "complaints.Complaint",
}


def record_model(record_type: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(RECORD_MODELS[record_type])


def _is_history(model: type[models.Model]) -> bool:
    return issubclass(model, HistoricalChanges)


def collect(model: type[models.Model], pks: set[int]) -> dict[type[models.Model], set[Any]]:
    """The records and everything that points at them (protected or cascaded), by model."""
    found: dict[type[models.Model], set[Any]] = defaultdict(set)
    queue: list[tuple[type[models.Model], set[Any]]] = [(model, set(pks))]
    while queue:
        current, ids = queue.pop()
        ids = ids - found[current]
        if not ids:
            continue
        found[current] |= ids
        rels: list[Any] = list(current._meta.get_fields(include_hidden=True))
        for rel in rels:
            if not (rel.auto_created and not rel.concrete) or rel.many_to_many:
                continue
            related = rel.related_model
            on_delete = getattr(rel, "on_delete", None)
            if _is_history(related) or on_delete in (
                models.DO_NOTHING,
                models.SET_NULL,
                models.SET_DEFAULT,
            ):
                continue
            field = rel.field
            for chunk in _chunks(sorted(ids)):
                children = set(
                    related._default_manager.filter(**{f"{field.name}__in": chunk}).values_list(
                        "pk", flat=True
                    )
                )
                if children:
                    queue.append((related, children))
    return dict(found)


def _chunks(values: list[Any], size: int = 5000) -> list[list[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)] or [[]]


def _files_of(model: type[models.Model], pks: set[Any]) -> list[tuple[Any, str]]:
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    files: list[tuple[Any, str]] = []
    for f in file_fields:
        for chunk in _chunks(sorted(pks)):
            for name in model._default_manager.filter(pk__in=chunk).values_list(
                f.attname, flat=True
            ):
                if name:
                    files.append((f.storage, name))
    return files


def _forget_traces(model: type[models.Model], pks: set[Any]) -> None:
    """History rows, access log entries, object permissions and notifications about the
    rows (called after they are deleted: deleting writes a last history row)."""
    from django.contrib.contenttypes.models import ContentType
    from guardian.models import GroupObjectPermission, UserObjectPermission

    try:
        history = get_history_model_for_model(model)
    except Exception:  # noqa: BLE001 - the model keeps no history
        history = None
    for chunk in _chunks(sorted(pks)):
        if history is not None:
            history.objects.filter(**{f"{model._meta.pk.attname}__in": chunk}).delete()
        ct = ContentType.objects.get_for_model(model)
        as_text = [str(pk) for pk in chunk]
        UserObjectPermission.objects.filter(content_type=ct, object_pk__in=as_text).delete()
        GroupObjectPermission.objects.filter(content_type=ct, object_pk__in=as_text).delete()


def destroy_rows(model: type[models.Model], pks: set[int]) -> int:
    """Delete the records, everything that points at them and every trace of them. Runs in
    the caller's transaction; foreign keys are checked when it commits (PostgreSQL defers
    them), so the order of the deletes does not matter."""

    if not pks:
        return 0
    found = collect(model, pks)
    files: list[tuple[Any, str]] = []
    public_ids: dict[str, list[str]] = {}
    for m, ids in found.items():
        files += _files_of(m, ids)
        if any(f.name == "public_id" for f in m._meta.concrete_fields):
            public_ids[m._meta.label_lower] = [
                pid
                for chunk in _chunks(sorted(ids))
                for pid in m._default_manager.filter(pk__in=chunk).values_list(
                    "public_id", flat=True
                )
            ]
    # Foreign keys that forget the record instead of protecting it (SET_NULL) are cleared.
    for m, ids in found.items():
        m_rels: list[Any] = list(m._meta.get_fields(include_hidden=True))
        for rel in m_rels:
            if (
                rel.auto_created
                and not rel.concrete
                and not rel.many_to_many
                and getattr(rel, "on_delete", None) is models.SET_NULL
                and not _is_history(rel.related_model)
            ):
                field = rel.field
                for chunk in _chunks(sorted(ids)):
                    rel.related_model._default_manager.filter(
                        **{f"{field.name}__in": chunk}
                    ).update(**{field.name: None})
    for m, ids in found.items():
        for chunk in _chunks(sorted(ids)):
            qs = m._default_manager.filter(pk__in=chunk)
            qs._raw_delete(qs.db)  # type: ignore[attr-defined]
    for m, ids in found.items():
        _forget_traces(m, ids)
    for label, pids in public_ids.items():
        for chunk in _chunks(pids, 500):
            AccessLog.objects.filter(record_type=label, record_public_id__in=chunk).delete()
            link = Q()
            for pid in chunk:
                link |= Q(url__contains=pid)
            if chunk:
                Notification.objects.filter(link).delete()

    transaction.on_commit(lambda: _remove_files(files))
    return len(pks)


def _remove_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        with contextlib.suppress(OSError):  # already gone
            storage.delete(name)


# --- Anonymising a volunteer -----------------------------------------------------------------

FORMER = "Former volunteer"


def is_anonymised(volunteer: Any) -> bool:
    return str(volunteer.email).endswith(retention.ANONYMISED_EMAIL_SUFFIX)


@transaction.atomic
def anonymise_volunteer(*, volunteer: Any, actor: User) -> Any:
    """Blank everything personal about a volunteer and close their account. The row stays
    (matches, claims and concerns point at their account) with its reference, stage and
    dates of checks; their references, training, support notes, reasons given at each stage,
    approval documents and every history row go. Safe to call twice. `actor` is who decided
    (the caller records the decision; nothing here names the volunteer)."""

    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    files = [
        (f.storage, f.name)
        for f in (volunteer.approval_letter, volunteer.approval_certificate)
        if f and f.name
    ]
    email = f"erased-{volunteer.public_id}{retention.ANONYMISED_EMAIL_SUFFIX}"
    blank = {
        "first_name": "Former",
        "last_name": "volunteer",
        "email": email,
        "phone": "",
        "date_of_birth": None,
        "gender": "",
        "area": "",
        "enquiry_notes": "",
        "motivation": "",
        "not_proceeding_reason": "",
        "interview_notes": "",
        "dbs_certificate_number": "",
        "team_comment": "",
        "service_comment": "",
        "approval_letter": "",
        "approval_certificate": "",
        "status_reason": "",
        "interests": "",
        "languages": "",
        "insurer": "",
        "prefers_child_gender": "",
        "prefers_age_from": None,
        "prefers_age_to": None,
    }
    # update(): no history row is written for the change (the history is erased below).
    Volunteer.objects.filter(pk=volunteer.pk).update(**blank, updated_at=timezone.now())
    reference_ids = set(Reference.objects.filter(volunteer=volunteer).values_list("pk", flat=True))
    Reference.objects.filter(pk__in=reference_ids)._raw_delete("default")  # type: ignore[attr-defined]
    _forget_traces(Reference, reference_ids)
    TrainingRecord.objects.filter(volunteer=volunteer).delete()
    SupportSession.objects.filter(volunteer=volunteer).delete()
    StageChange.objects.filter(volunteer=volunteer).update(note="")
    _forget_traces(Volunteer, {volunteer.pk})
    AccessLog.objects.filter(
        record_type=Volunteer._meta.label_lower, record_public_id=volunteer.public_id
    ).delete()
    Notification.objects.filter(url__contains=volunteer.public_id).delete()
    if volunteer.user_id is not None:
        user = User.objects.select_for_update().get(pk=volunteer.user_id)
        User.objects.filter(pk=user.pk).update(
            email=f"erased-{user.public_id}{retention.ANONYMISED_EMAIL_SUFFIX}",
            full_name=FORMER,
            phone="",
            is_active=False,
            password=make_password(None),
        )
        Membership.objects.filter(user=user, is_active=True).update(is_active=False)
        Notification.objects.filter(user=user).delete()
        try:
            history = get_history_model_for_model(User)
        except Exception:  # noqa: BLE001 - accounts keep no history of users
            history = None
        if history is not None:
            history.objects.filter(id=user.pk).delete()
        _end_sessions_and_devices(user)

    transaction.on_commit(lambda: _remove_files(files))
    volunteer.refresh_from_db()
    return volunteer


def _end_sessions_and_devices(user: User) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- The decision ----------------------------------------------------------------------------


def _require_dp(actor: User, scheme_id: int) -> None:
    if scheme_id not in access.data_protection_scheme_ids(actor):
        raise ValidationError(
            "Only the scheme's managers and the data protection officer can do this."
        )


def approve_destruction(
    *,
    actor: User,
    scheme: Any,
    record_type: str,
    due_ids: list[str] | None = None,
    today: Any = None,
) -> int:
    """Destroy (or anonymise) the scheme's records of `record_type` waiting for a decision:
    all of them, or those whose DueRecord public ids are given. What is no longer due (a hold
    placed since, a date changed) is left alone and drops off the list. Returns how many were
    destroyed; running it again destroys nothing more."""
    if record_type not in retention.DEFAULTS:
        raise ValidationError("Choose a type of record.")
    _require_dp(actor, scheme.pk)
    today = today or timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        listed = DueRecord.objects.select_for_update().filter(
            scheme=scheme, record_type=record_type, status=DueStatus.PENDING
        )
        if due_ids is not None:
            listed = listed.filter(public_id__in=due_ids)
        rows = list(listed)
        if not rows:
            return 0
        wanted = {r.object_pk for r in rows}
        still_due = {
            d.object_pk
            for d in retention.due_records(
                scheme, today, record_type=record_type, only=sorted(wanted)
            )
        }
        action = retention.action_for(record_type)
        model = record_model(record_type)
        if action == DestructionAction.ANONYMISED:
            for volunteer in model._default_manager.filter(pk__in=still_due):
                anonymise_volunteer(volunteer=volunteer, actor=actor)
            count = len(still_due)
        else:
            pks = set(model._default_manager.filter(pk__in=still_due).values_list("pk", flat=True))
            count = destroy_rows(model, pks)
        DueRecord.objects.filter(pk__in=[r.pk for r in rows]).delete()
        if count:
            DestructionRecord.objects.create(
                scheme=scheme,
                record_type=record_type,
                action=action,
                count=count,
                approved_by=actor,
                approved_at=now,
            )
    return count

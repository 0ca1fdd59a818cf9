"""Every write to a child's record. Each one is a transaction that also keeps the grants and
the history right."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from accounts.models import Scheme, User
from referrals.models import Child

# What a social worker's allocation grants on the child's record.
SOCIAL_WORKER_PERMS = ("referrals.view_child", "referrals.change_child")


def _grant_social_worker(child: Child, social_worker: User | None) -> None:
    if social_worker is not None:
        for perm in SOCIAL_WORKER_PERMS:
            assign_perm(perm, social_worker, child)


def _revoke_social_worker(child: Child, social_worker: User | None) -> None:
    if social_worker is not None:
        for perm in SOCIAL_WORKER_PERMS:
            remove_perm(perm, social_worker, child)


@transaction.atomic
def child_create(
    *,
    actor: User,
    scheme: Scheme,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    case_number: str = "",
    social_worker: User | None = None,
) -> Child:
    child = Child(
        scheme=scheme,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        case_number=case_number.strip(),
        social_worker=social_worker,
        created_by=actor,
    )
    child._history_user = actor  # type: ignore[attr-defined]
    child.full_clean()
    child.save()
    _grant_social_worker(child, social_worker)
    return child


CHILD_EDITABLE = ("first_name", "last_name", "date_of_birth", "case_number", "social_worker")


@transaction.atomic
def child_update(*, actor: User, child: Child, **changes: Any) -> Child:
    unknown = set(changes) - set(CHILD_EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    # Lock the row: two coordinators reallocating at once must not leave two grants behind.
    child = Child.objects.select_for_update().get(pk=child.pk)
    previous_worker = child.social_worker
    changed = [f for f, v in changes.items() if getattr(child, f) != v]
    if not changed:
        return child
    for field, value in changes.items():
        setattr(child, field, value.strip() if isinstance(value, str) else value)
    child._history_user = actor  # type: ignore[attr-defined]
    child.full_clean()
    child.save(update_fields=[*changed, "updated_at"])
    if "social_worker" in changed:
        _revoke_social_worker(child, previous_worker)
        _grant_social_worker(child, child.social_worker)
    return child

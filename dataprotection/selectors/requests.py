"""Reads for subject access requests, scoped to the person.

The scheme's managers and the organisation's data protection officer see every request of
their schemes; the coordinator a request is assigned to sees that one request (to mark what to
withhold) and nothing else. Everyone else gets 404, exactly like a missing request.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts import access
from accounts.models import Role, User
from dataprotection.models import RequestStatus, SubjectAccessRequest
from dataprotection.services import bundle


def _base() -> QuerySet[SubjectAccessRequest]:
    return SubjectAccessRequest.objects.select_related(
        "scheme", "child", "volunteer", "assigned_to", "released_by"
    ).annotate(deadline_on=Coalesce("extended_due_on", "due_on"))


def requests_for_user(user: User) -> QuerySet[SubjectAccessRequest]:
    """Open requests first, nearest deadline first; then the closed ones, newest first."""
    ids = access.data_protection_scheme_ids(user)
    return (
        _base()
        .filter(scheme_id__in=ids)
        .annotate(
            closed=Case(
                When(status=RequestStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("closed", "deadline_on", "pk")
    )


def request_manage_get(*, user: User, public_id: str) -> SubjectAccessRequest:
    """For the scheme's managers and the data protection officer only."""
    sar = _base().filter(public_id=public_id).first()
    if sar is None or sar.scheme_id not in access.data_protection_scheme_ids(user):
        raise Http404
    return sar


def can_manage(user: User, sar: SubjectAccessRequest) -> bool:
    return sar.scheme_id in access.data_protection_scheme_ids(user)


def request_get_for_user(*, user: User, public_id: str) -> SubjectAccessRequest:
    """Managers and the DPO, or the coordinator of the scheme the request is assigned to."""
    sar = _base().filter(public_id=public_id).first()
    if sar is None:
        raise Http404
    if can_manage(user, sar):
        return sar
    if (
        sar.assigned_to_id == getattr(user, "pk", None)
        and sar.status == RequestStatus.OPEN
        and access.has_role(user, sar.scheme_id, [Role.COORDINATOR])
    ):
        return sar
    raise Http404


def coordinators_of(scheme_id: int) -> list[Any]:
    return sorted(
        access.users_with_roles(scheme_id, [Role.COORDINATOR]), key=lambda u: str(u).lower()
    )


def may_start_request(user: User, scheme_id: int) -> bool:
    """Whether the person sees "Subject access request" on a child's or volunteer's page."""
    return scheme_id in access.data_protection_scheme_ids(user)


def items_with_marks(sar: SubjectAccessRequest) -> list[tuple[Any, str]]:
    """Every item of the request's records with the reason it is withheld ("" when it is
    not): the coordinator sees the content to decide, the bundle leaves it out."""

    withheld = bundle.redactions_of(sar)
    return [(item, withheld.get(item.key, "")) for item in bundle.collect(sar)]

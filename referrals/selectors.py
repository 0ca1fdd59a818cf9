"""The one door to children's records: every read a page needs, already scoped to the user.

Coordinators and managers see every child of their schemes. A social worker sees the children
allocated to them (an object grant, made and removed by referrals.services) in schemes where
they are a social worker. An IV never sees a child's record, only the visit card of the child
of their active match (see visit_card_get_for_user). Forbidden and missing both raise Http404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from accounts.models import Role
from core import access
from referrals.models import Child


def children_visible_to(user: Any) -> QuerySet[Child]:
    staff_schemes = access.scheme_ids_with_role(user, access.STAFF_ROLES)
    sw_schemes = access.scheme_ids_with_role(user, [Role.SOCIAL_WORKER])
    qs = Child.objects.none()
    if staff_schemes:
        qs = Child.objects.filter(scheme_id__in=staff_schemes)
    if sw_schemes:
        granted = get_objects_for_user(
            user, "referrals.view_child", klass=Child, accept_global_perms=False
        ).filter(scheme_id__in=sw_schemes)
        qs = qs | granted if staff_schemes else granted
    return qs.select_related("scheme", "social_worker").order_by("last_name", "first_name")


def child_get_for_user(*, user: Any, public_id: str) -> Child:
    child = children_visible_to(user).filter(public_id=public_id).first()
    if child is None:
        raise Http404("No such child")
    return child


def child_can_edit(*, user: Any, child: Child) -> bool:
    if access.is_staff_in(user, child.scheme_id):
        return True
    return access.has_role(user, child.scheme_id, [Role.SOCIAL_WORKER]) and user.has_perm(
        "referrals.change_child", child
    )


def visit_card_get_for_user(*, user: Any, public_id: str) -> Child:
    """The visit card: for the IV of the child's active match, and for scheme staff."""
    child = Child.objects.select_related("scheme").filter(public_id=public_id).first()
    if child is None:
        raise Http404("No such child")
    if access.is_staff_in(user, child.scheme_id):
        return child
    if access.has_role(user, child.scheme_id, [Role.INDEPENDENT_VISITOR]) and user.has_perm(
        "referrals.view_visit_card", child
    ):
        return child
    raise Http404("No such child")


def child_history(child: Child, limit: int = 50) -> list[dict[str, Any]]:
    """Newest first: when, who, what kind of change, and which fields (by their labels)."""
    records = list(
        child.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    labels = {f.name: str(f.verbose_name) for f in Child._meta.fields}
    entries = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        fields: list[str] = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            fields = [labels.get(c.field, c.field) for c in delta.changes]
        entries.append(
            {
                "at": newer.history_date,
                "user": newer.history_user,
                "kind": newer.get_history_type_display(),
                "fields": fields,
            }
        )
    return entries[:limit]


def children_search(children: QuerySet[Child], query: str) -> QuerySet[Child]:
    from django.db.models import Q

    condition = Q(case_number__iexact=query)
    for word in query.split():
        condition |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return children.filter(condition)

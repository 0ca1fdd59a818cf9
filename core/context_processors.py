"""Navigation for the signed-in person, from their memberships (one cached query)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from accounts.models import Role
from core import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = access.roles_of(user)
    items = [("Home", reverse("core:home"))]
    if roles & {Role.COORDINATOR, Role.MANAGER}:
        items.append(("Referrals", reverse("referrals:inbox")))
        items.append(("Waiting list", reverse("referrals:waiting")))
        items.append(("Matches", reverse("matches:list")))
        items.append(("Reports to read", reverse("visits:report_queue")))
    if Role.SOCIAL_WORKER in roles:
        items.append(("My children", reverse("children:mine")))
    if roles & {Role.COORDINATOR, Role.MANAGER, Role.SOCIAL_WORKER, Role.INDEPENDENT_VISITOR}:
        items.append(("Visits", reverse("visits:list")))
    if roles & {Role.COORDINATOR, Role.MANAGER, Role.SOCIAL_WORKER}:
        items.append(("Children", reverse("children:list")))
    if roles & {Role.COORDINATOR, Role.MANAGER}:
        items.append(("Safeguarding", reverse("safeguarding:register")))
    if roles & {Role.INDEPENDENT_VISITOR, Role.SOCIAL_WORKER}:
        items.append(("Report a worry", reverse("safeguarding:raise")))
    if roles & {Role.COORDINATOR, Role.MANAGER, Role.COMPLAINTS_MANAGER}:
        items.append(("Complaints", reverse("complaints:register")))
    if roles & {Role.COORDINATOR, Role.MANAGER}:
        items.append(("Volunteers", reverse("volunteers:board")))
    if roles & {Role.COORDINATOR, Role.MANAGER}:
        items.append(("Claims", reverse("expenses:queue")))
    if Role.MANAGER in roles:
        items.append(("Reports", reverse("reports:index")))
    if roles & {Role.MANAGER, Role.DATA_PROTECTION_OFFICER}:
        items.append(("Data protection", reverse("dataprotection:index")))
    if Role.INDEPENDENT_VISITOR in roles:
        items.append(("My claims", reverse("expenses:mine")))
    if Role.INDEPENDENT_VISITOR in roles and hasattr(user, "volunteer"):
        items.append(("My volunteering", reverse("volunteers:me")))
    seen = set()
    for m in access.memberships(user):
        if m.role in access.STAFF_ROLES and m.scheme_id not in seen:
            seen.add(m.scheme_id)
            label = "People" if len(seen) == 1 else f"People ({m.scheme.name})"
            items.append((label, reverse("people:list", args=[m.scheme.slug])))
    items.append(("Your account", reverse("accounts:account")))
    from core.selectors import unread_count

    unread = unread_count(user)
    items.append(
        (
            f"Notifications ({unread} unread)" if unread else "Notifications",
            reverse("core:notifications"),
        )
    )
    path = request.path
    return {
        "unread_notifications": unread,
        "nav_items": [
            {
                "label": label,
                "url": url,
                "current": path == url or (url != "/" and path.startswith(url)),
            }
            for label, url in items
        ],
    }

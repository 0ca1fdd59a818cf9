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
    if roles & {Role.COORDINATOR, Role.MANAGER, Role.SOCIAL_WORKER}:
        items.append(("Children", reverse("children:list")))
    seen = set()
    for m in access.memberships(user):
        if m.role in access.STAFF_ROLES and m.scheme_id not in seen:
            seen.add(m.scheme_id)
            label = "People" if len(seen) == 1 else f"People ({m.scheme.name})"
            items.append((label, reverse("people:list", args=[m.scheme.slug])))
    items.append(("Your account", reverse("accounts:account")))
    path = request.path
    return {
        "nav_items": [
            {
                "label": label,
                "url": url,
                "current": path == url or (url != "/" and path.startswith(url)),
            }
            for label, url in items
        ]
    }

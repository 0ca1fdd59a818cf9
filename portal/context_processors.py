"""Navigation for the signed-in person, from their memberships (one cached query) and the
entries each app registers (core.registry)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from accounts import access
from core import registry
from notifications.selectors import unread_count


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = access.roles_of(user)
    items = [("Home", reverse("portal:home"))]
    # Each app declares its own entries (its AppConfig.ready, core.registry).
    items += [
        (entry.label, reverse(entry.url_name))
        for entry in registry.nav_entries()
        if roles & entry.roles and (entry.when is None or entry.when(user))
    ]
    seen = set()
    for m in access.memberships(user):
        if m.role in access.STAFF_ROLES and m.scheme_id not in seen:
            seen.add(m.scheme_id)
            label = "People" if len(seen) == 1 else f"People ({m.scheme.name})"
            items.append((label, reverse("people:list", args=[m.scheme.slug])))
    items.append(("Your account", reverse("accounts:account")))

    unread = unread_count(user)
    items.append(
        (
            f"Notifications ({unread} unread)" if unread else "Notifications",
            reverse("notifications:list"),
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

"""Signed-in sessions: what we keep in each session, and ending them.

Every sign-in is recorded as a UserSession row (accounts.signals), kept up to date by
accounts.middleware.SessionPolicyMiddleware, and removed at sign-out. Ending a session deletes
it from Django's session store, so the browser holding it is signed out on its next request.
"""

from __future__ import annotations

import re
from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import transaction
from django.utils import timezone

from accounts.models import UserSession

if TYPE_CHECKING:
    from accounts.models import User

# Unix times kept in the session (floats: JSON-serialisable, cheap to compare).
SIGNED_IN_AT = "accounts_signed_in_at"
LAST_SEEN_AT = "accounts_last_seen_at"
# How often a request may write "last active" to the session and the UserSession row.
TOUCH_EVERY_SECONDS = 60


def delete_from_store(session_key: str) -> None:
    """Remove one session from the configured session store (a no-op when it is gone)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore().delete(session_key)


def _stored_session_keys(user: User) -> set[str]:
    """Keys of the live database sessions signed in as `user`, including any without a
    UserSession row (made before sessions were tracked). Reads every live session: fine for
    something as rare as deactivating an account or resetting a password."""
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return set()
    from django.contrib.sessions.models import Session

    live = Session.objects.filter(expire_date__gt=timezone.now())
    return {
        session.session_key
        for session in live.iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk)
    }


def end_all_sessions(*, user: User, except_session_key: str | None = None) -> int:
    """Sign `user` out everywhere: delete each of their sessions from the session store and
    their UserSession rows. Returns how many sessions were ended.

    `except_session_key` keeps one session (the browser that just changed the password).
    """

    with transaction.atomic():
        rows = UserSession.objects.select_for_update().filter(user=user)
        if except_session_key:
            rows = rows.exclude(session_key=except_session_key)
        keys = set(rows.values_list("session_key", flat=True))
        keys |= _stored_session_keys(user) - {except_session_key}
        for key in keys:
            delete_from_store(key)
        rows.delete()
    return len(keys)


_BROWSERS = [
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
]
_SYSTEMS = [
    (r"Android", "Android"),
    (r"iPhone|iPod", "iPhone"),
    (r"iPad", "iPad"),
    (r"Windows", "Windows"),
    (r"CrOS", "ChromeOS"),
    (r"Mac OS X|Macintosh", "Mac"),
    (r"Linux", "Linux"),
]


def describe_user_agent(user_agent: str) -> str:
    """A short, human name for a browser: "Chrome on Android", "Safari on iPhone"."""
    if not user_agent:
        return "Unknown device"
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, user_agent)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"

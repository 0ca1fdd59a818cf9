"""Sign-in and sign-out: start and end the session's record. And what accounts tells the apps
above it: `role_granted` (with `membership` and `actor`) when a role is given or changed."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import Signal, receiver
from django.http import HttpRequest

from accounts import services
from accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from core.audit import client_ip

role_granted = Signal()


@receiver(user_logged_in, dispatch_uid="accounts_session_started")
def session_started(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Django has just given the browser a new session key (it does so at every sign-in):
    note when, for the absolute lifetime and the idle timeout, and record the session."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    if request.session.session_key is None:
        request.session.save()
    session_key = request.session.session_key
    if session_key:
        services.user_session_record(
            user=user,
            session_key=session_key,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            signed_in_at=now,
        )


@receiver(user_logged_out, dispatch_uid="accounts_session_ended")
def session_ended(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        services.user_session_forget(session_key=session.session_key)

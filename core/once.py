"""Create forms that make their record once, however often they are sent.

Every create form carries a one-time token (`OnceFormMixin`, a hidden field made when the
page is drawn). `submit_once` claims the token by inserting a `FormSubmission` row in the same
transaction as the record. A double tap, a resend after a lost signal or a second tab with
the same page sends the same token: that request waits on the first one's row and is then
sent to the record already made, with no error page and no second record. When the first
attempt fails (a refusal shown on the form), its transaction and its claim roll back, so the
corrected form can be sent with the same token.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect

from core.models import FormSubmission

FIELD = "form_token"
CLASH = "The same record was saved a moment ago by another request. Reload the page to see it."
STALE = "This form was already sent from another account. Reload the page and try again."


class OnceFormMixin:
    """Adds the hidden one-time token to a create form: a new one each time it is drawn."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A CharField: a mangled token is never an error on the page, just not a token.
        self.fields[FIELD] = forms.CharField(  # type: ignore[attr-defined]
            widget=forms.HiddenInput, required=False, initial=uuid.uuid4
        )

    def clean(self) -> dict[str, Any]:
        # The token is the mechanism's (read from the request), never a value for a service.
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        cleaned.pop(FIELD, None)
        return cleaned


@dataclass(frozen=True)
class Once:
    url: str
    repeat: bool


def token_from(data: Any) -> uuid.UUID | None:
    """The token a request sent, or None (a client that sends none is served as before)."""
    value = data.get(FIELD) if data is not None else None
    if not value:
        return None
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def submit_once(request: Any, create: Callable[[], str], *, data: Any = None) -> Once:
    """Run `create` (which makes the record and returns its page's URL) once per token.

    Returns the URL and whether this request was a repeat. A token sent by someone else is
    refused with a ValidationError rather than showing them another person's record."""
    token = token_from(request.POST if data is None else data)
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    if token is None:
        try:
            with transaction.atomic():
                return Once(url=create(), repeat=False)
        except IntegrityError as exc:
            raise ValidationError(CLASH) from exc
    done = _done(token, user)
    if done is not None:
        return done
    try:
        with transaction.atomic():
            # Claim first: a parallel copy blocks here on the unique token until this commits.
            claim = FormSubmission.objects.create(token=token, user=user, url="")
            claim.url = create()
            claim.save(update_fields=["url"])
    except IntegrityError as exc:
        # The token was claimed (a parallel copy committed): that record is shown. Otherwise
        # the record itself clashed with one another request made a moment ago: a message on
        # the form, never a server error.
        done = _done(token, user)
        if done is None:
            raise ValidationError(CLASH) from exc
        return done
    return Once(url=claim.url, repeat=False)


class RepeatMiddleware:
    """A POST whose token already made its record goes to that record, whatever the view
    would answer now. Checked before the view (a repeat that arrives after the first copy
    finished) and again after it, for a copy that raced the first: once the first has
    committed, the view may see the form as stale (the visit is no longer claimable, the
    referral no longer waiting) and answer with the form or a 404 instead."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        token = token_from(request.POST) if request.method == "POST" else None
        if token is not None:
            done = self._done(token, request)
            if done is not None:
                return redirect(done)
        response = self.get_response(request)
        # Any answer but a server error: a late copy may also meet a view's own redirect
        # (expenses sends a second tab to the claim's page, not where the first copy went).
        if token is not None and response.status_code < 500:
            done = self._done(token, request)
            if done is not None and response.get("Location") != done:
                return redirect(done)
        return response

    @staticmethod
    def _done(token: uuid.UUID, request: Any) -> str | None:
        user = request.user if getattr(request.user, "is_authenticated", False) else None
        try:
            done = _done(token, user)
        except ValidationError:
            return None  # someone else's token: the view refuses it
        return done.url if done is not None and done.url else None


def with_reference(url: str, reference: str) -> str:
    """A public confirmation page's URL carrying the reference, signed, so a repeat (whose
    browser never saw the first response's session cookie) is shown the same reference."""
    return f"{url}?{urlencode({'r': signing.dumps(reference, salt=_SALT)})}"


def reference_from(request: Any, session_key: str) -> str | None:
    signed = request.GET.get("r", "")
    if signed:
        try:
            return str(signing.loads(signed, salt=_SALT, max_age=3600))
        except signing.BadSignature:
            pass
    value = request.session.get(session_key)
    return str(value) if value else None


_SALT = "core.once.reference"


def _done(token: uuid.UUID, user: Any) -> Once | None:
    row = FormSubmission.objects.filter(token=token).first()
    if row is None:
        return None
    if row.user_id != (user.pk if user is not None else None):
        raise ValidationError(STALE)
    return Once(url=row.url, repeat=True)

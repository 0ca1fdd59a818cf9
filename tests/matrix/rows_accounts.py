"""Rows for the sign-in, password, two-step and session pages (accounts namespace)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.matrix.base import NOT_FOUND, OK, REDIRECT, Row, everyone
from tests.personas import PASSWORD, PERSONAS

# Pages anyone may open, signed in or not.
ALL_REDIRECTED: dict[str, int | str] = dict.fromkeys(PERSONAS, REDIRECT)
OPEN: dict[str, int | str] = dict.fromkeys(PERSONAS, OK)


def confirm_password(world: Any, client: Any) -> None:
    """Sudo mode: the password typed again, as a person would."""
    client.post(reverse("accounts:sudo"), {"password": PASSWORD})


def reset_link(world: Any, token: str | None = None) -> str:
    from accounts.models import User

    # Fresh from the database: the token depends on last_login, which earlier cases change.
    person = User.objects.get(pk=world.iv.pk)
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = token or default_token_generator.make_token(person)
    return reverse("accounts:password_reset_confirm", args=[uid, token])


def ivs_session(world: Any) -> str:
    """A recorded session of the IV (a browser elsewhere): only she may end it."""
    from accounts.services import user_session_record

    row = user_session_record(
        user=world.iv, session_key="m" * 32, ip_address="192.0.2.1", user_agent="Firefox/1"
    )
    return reverse("accounts:session_end", args=[row.public_id])


ROWS = {
    "accounts:login": Row(
        lambda w: reverse("accounts:login"),
        # Signed in already: sent on to the home page.
        everyone(REDIRECT, anonymous=OK),
    ),
    "accounts:logout": Row(
        lambda w: reverse("accounts:logout"),
        everyone(REDIRECT, anonymous=REDIRECT),
        method="post",
    ),
    "accounts:account": Row(lambda w: reverse("accounts:account"), everyone(OK)),
    "accounts:password_change": Row(lambda w: reverse("accounts:password_change"), everyone(OK)),
    "accounts:password_change_done": Row(
        lambda w: reverse("accounts:password_change_done"), everyone(OK)
    ),
    "accounts:password_reset": Row(lambda w: reverse("accounts:password_reset"), OPEN),
    "accounts:password_reset_done": Row(lambda w: reverse("accounts:password_reset_done"), OPEN),
    # A good link: Django takes the token out of the address and redirects to the form.
    "accounts:password_reset_confirm": Row(reset_link, ALL_REDIRECTED),
    # A bad link: a page saying so, to anyone.
    "accounts:password_reset_confirm#bad": Row(lambda w: reset_link(w, token="not-a-token"), OPEN),
    "accounts:password_reset_complete": Row(
        lambda w: reverse("accounts:password_reset_complete"), OPEN
    ),
    "accounts:sudo": Row(lambda w: reverse("accounts:sudo"), everyone(OK)),
    "accounts:sessions": Row(lambda w: reverse("accounts:sessions"), everyone(OK)),
    "accounts:session_end": Row(ivs_session, everyone(NOT_FOUND, iv=REDIRECT), method="post"),
    "accounts:session_end#get": Row(ivs_session, everyone(405)),
    "accounts:two_factor_setup": Row(lambda w: reverse("accounts:two_factor_setup"), everyone(OK)),
    # Nobody in the matrix has an app yet: the code page sends them to set one up.
    "accounts:two_factor_verify": Row(
        lambda w: reverse("accounts:two_factor_verify"), everyone(REDIRECT)
    ),
    "accounts:two_factor_backup_codes": Row(
        lambda w: reverse("accounts:two_factor_backup_codes"), everyone(OK)
    ),
    # Making new backup codes needs the password again (sudo mode) ...
    "accounts:two_factor_backup_codes#post": Row(
        lambda w: reverse("accounts:two_factor_backup_codes"),
        everyone(REDIRECT),
        method="post",
    ),
    # ... and, with it, an app (none here): sent to set one up.
    "accounts:two_factor_backup_codes#post-sudo": Row(
        lambda w: reverse("accounts:two_factor_backup_codes"),
        everyone(REDIRECT),
        method="post",
        prepare=confirm_password,
    ),
}

"""Writes for sign-in security: session records, two-factor devices, lockouts."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from accounts.models import UserSession
from accounts.sessions import delete_from_store, end_all_sessions

if TYPE_CHECKING:
    from accounts.models import User

USER_AGENT_LENGTH = 200
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def _from_timestamp(value: float | None) -> datetime:
    if value is None:
        return timezone.now()
    return datetime.fromtimestamp(value, tz=UTC)


# --- Sessions ----------------------------------------------------------------------------


def user_session_record(
    *,
    user: User,
    session_key: str,
    ip_address: str | None,
    user_agent: str,
    signed_in_at: float | None = None,
) -> UserSession:
    """A new sign-in (or a session seen for the first time): make or refresh its row."""
    when = _from_timestamp(signed_in_at)
    row, _ = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={
            "user": user,
            "created_at": when,
            "last_seen_at": timezone.now(),
            "ip_address": ip_address or None,
            "user_agent": user_agent[:USER_AGENT_LENGTH],
        },
    )
    return row


def user_session_touch(
    *,
    user: User,
    session_key: str,
    ip_address: str | None,
    user_agent: str,
    signed_in_at: float | None = None,
) -> None:
    """The session was used just now. One UPDATE; the row is made if it is missing."""
    updated = UserSession.objects.filter(session_key=session_key, user=user).update(
        last_seen_at=timezone.now(),
        ip_address=ip_address or None,
        user_agent=user_agent[:USER_AGENT_LENGTH],
    )
    if not updated:
        user_session_record(
            user=user,
            session_key=session_key,
            ip_address=ip_address,
            user_agent=user_agent,
            signed_in_at=signed_in_at,
        )


def user_session_forget(*, session_key: str) -> None:
    """The session ended by itself (sign-out, expiry): drop its row."""
    UserSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def user_session_end(*, user: User, user_session: UserSession) -> None:
    """`user` ends one of their own sessions: it is deleted from the store and forgotten."""
    if user_session.user_id != user.pk:
        raise ValueError("A person can end only their own sessions.")
    delete_from_store(user_session.session_key)
    user_session.delete()


def user_sessions_prune() -> int:
    """Forget rows of sessions that cannot be alive any more (older than the absolute
    lifetime). Safe to run at any time, e.g. nightly."""
    cutoff = timezone.now() - settings.SESSION_ABSOLUTE_TIMEOUT
    deleted, _ = UserSession.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# --- Passwords ---------------------------------------------------------------------------


@transaction.atomic
def password_was_reset(*, user: User) -> int:
    """After a password is set from an emailed link: the account's lockout (if any) is lifted
    (whoever holds the mailbox has proved it is theirs) and every session is ended. Returns
    the number of sessions ended."""
    axes_reset(username=user.email.lower())
    return end_all_sessions(user=user)


def password_was_changed(*, user: User, current_session_key: str | None) -> int:
    """After a signed-in password change: every other session of the person is ended."""
    return end_all_sessions(user=user, except_session_key=current_session_key)


# --- Two-factor --------------------------------------------------------------------------


def totp_new_key() -> str:
    """A new random secret (hex) for an authenticator app; saved only once it is proved."""
    return default_key()


def totp_verify_key(*, key: str, token: str) -> int | None:
    """Check `token` against a not-yet-saved TOTP secret (hex). The time step it matched, or
    None. Allows one step of clock difference either way, as TOTPDevice does."""
    if not (token.isdigit() and len(token) == 6):
        return None
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    if totp.verify(int(token), tolerance=1):
        return int(totp.t())
    return None


@transaction.atomic
def totp_device_create(*, user: User, key: str, step: int) -> TOTPDevice:
    """Turn on two-factor sign-in with the app the person has just set up and proved with a
    code for time step `step` (see totp_verify_key); that code cannot be used again. Any
    earlier app of the person is replaced."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice(user=user, name=TOTP_DEVICE_NAME, key=key, confirmed=True, last_t=step)
    device.full_clean()
    device.save()
    return device


@transaction.atomic
def backup_codes_create(*, user: User, count: int | None = None) -> list[str]:
    """Make a fresh set of single-use backup codes (the old ones stop working) and return
    them: they are shown once, then only their number is known to the person."""
    count = count or settings.OTP_BACKUP_CODES
    # One backup-code device per person, kept (not replaced) so that a session signed in with
    # a backup code stays signed in; only its codes change.
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticToken.objects.filter(device__user=user).delete()
    codes = [StaticToken.random_token() for _ in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


# Backup codes use the letters a-z and the digits 2-7 only, so a 0, 1 or 8 someone types can
# only be a misread O, L or B.
_MISREAD = str.maketrans({"0": "o", "1": "l", "8": "b"})


def _squash(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


def is_backup_code(token: str) -> bool:
    """Whether a typed code can only be a backup code (an app code is exactly 6 digits)."""
    token = _squash(token)
    return not (token.isdigit() and len(token) == 6)


def normalise_code(token: str) -> str:
    """What people type: spaces and hyphens are ignored, letters in any case, and in a backup
    code a 0, 1 or 8 is read as the letter it was mistaken for."""
    squashed = _squash(token)
    return squashed.translate(_MISREAD) if is_backup_code(squashed) else squashed


def format_backup_code(code: str) -> str:
    """How a backup code is shown: "G6B4 QY6Z"."""
    return f"{code[:4]} {code[4:]}".upper()


@transaction.atomic
def two_factor_verify(*, user: User, token: str) -> Device | None:
    """The device (app or backup codes) that accepts `token`, or None. Each device counts
    wrong codes and makes the person wait longer after each (django-otp's throttling); a
    backup code is deleted once it is used."""
    token = normalise_code(token)
    if not token:
        return None
    # A 6-digit code is from the app; anything else can only be a backup code (8 letters and
    # digits). Trying only the one kind keeps a mistyped code from slowing down both.
    model: type[TOTPDevice] | type[StaticDevice] = (
        StaticDevice if is_backup_code(token) else TOTPDevice
    )
    devices: list[Device] = list(
        model.objects.devices_for_user(user, confirmed=True).select_for_update()
    )
    for device in devices:
        if device.verify_token(token):
            return device
    return None


# --- Lockout -----------------------------------------------------------------------------


def lockout_lift(*, email: str) -> int:
    """Lift a lockout by hand (e.g. a coordinator who has spoken to the person)."""
    return int(axes_reset(username=email.strip().lower()))

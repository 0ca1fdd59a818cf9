"""Reads for sign-in security, each already scoped to the person asking."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import UserSession

_HAS_TOTP_ATTR = "_ivscheme_has_totp"


def user_sessions_of(*, user: Any) -> list[UserSession]:
    """The person's sessions that may still be alive, most recently used first."""
    now = timezone.now()
    sessions = UserSession.objects.filter(
        user=user, created_at__gt=now - settings.SESSION_ABSOLUTE_TIMEOUT
    )
    return list(sessions.order_by("-last_seen_at"))


def user_session_get_for_user(*, user: Any, public_id: str) -> UserSession:
    """One of the person's own sessions; anyone else's is "not found", like a missing one."""
    row = UserSession.objects.filter(user=user, public_id=public_id).first()
    if row is None:
        raise Http404("No such session")
    return row


def has_totp_device(user: Any) -> bool:
    """Whether the person has a confirmed authenticator app (read once per request)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, _HAS_TOTP_ATTR, None)
    if cached is None:
        cached = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        setattr(user, _HAS_TOTP_ATTR, cached)
    return bool(cached)


def backup_codes_left(*, user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_wait_until(*, user: Any, backup_code: bool = False) -> datetime | None:
    """When the person may try another code after several wrong ones, if they must wait.
    App codes and backup codes are counted separately (see services.two_factor_verify)."""
    model: type[TOTPDevice] | type[StaticDevice] = StaticDevice if backup_code else TOTPDevice
    waits = []
    for device in model.objects.filter(user=user, confirmed=True):
        allowed, data = device.verify_is_allowed()
        locked_until = (data or {}).get("locked_until")
        if not allowed and isinstance(locked_until, datetime):
            waits.append(locked_until)
    return max(waits, default=None)


@dataclass(frozen=True)
class TotpSetup:
    """What the set-up page shows for a new authenticator app."""

    config_url: str
    qr_data_uri: str
    secret: str


def totp_setup_for(*, user: Any, key: str) -> TotpSetup:
    """The otpauth:// link for `key` as a QR code (an SVG data: URI, which the Content
    Security Policy allows for images) and the secret in groups of four for typing in."""
    device = TOTPDevice(user=user, key=key)  # never saved: only its otpauth:// URL is needed
    config_url = device.config_url
    image = qrcode.make(
        config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4
    )
    svg: bytes = image.to_string()
    data_uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return TotpSetup(config_url=config_url, qr_data_uri=data_uri, secret=grouped)

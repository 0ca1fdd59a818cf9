"""The Django admin: superusers only, and only after a two-factor code in this session."""

from __future__ import annotations

from django.http import HttpRequest
from django_otp.admin import OTPAdminSite

from accounts.middleware import is_verified


class SuperuserOTPAdminSite(OTPAdminSite):
    """django-otp's admin site (its sign-in form asks for a code too), narrowed to active
    superusers: scheme staff do their work in the app, never in the admin."""

    site_header = "ivscheme administration"
    site_title = "ivscheme administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser and is_verified(user))

"""Typing help for views behind @login_required."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthedRequest(HttpRequest):
    """A request whose user is signed in (the django-stubs pattern for login_required views)."""

    user: User

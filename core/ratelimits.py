"""Limits on the public forms (complaints, volunteer applications) and password reset: per
address and per email address typed, counted by django-ratelimit in the default cache.

A limited request gets a plain page with status 429 (Too Many Requests), never an error page.
The rates are settings (RATELIMIT_* in ivscheme/settings.py), read on each request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from core.audit import client_ip


def _address(group: str, request: HttpRequest) -> str:
    return client_ip(request) or "unknown"


def _rate(name: str) -> Callable[[str, HttpRequest], str]:
    return lambda group, request: getattr(settings, name)


def _email_of(request: HttpRequest, field: str) -> str:
    return str(request.POST.get(field, "")).strip().lower()[:254]


def too_many_requests(request: HttpRequest) -> HttpResponse:
    return render(request, "core/too_many_requests.html", status=429)


def limit_posts(
    *, group: str, address_rate: str, email_field: str = "", email_rate: str = ""
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view so that its POSTs are limited per address (`address_rate`, the name of
    a setting like "10/h") and, when `email_field` is given and filled in, per email address
    typed (`email_rate`). Every POST counts, valid or not."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                limited = is_ratelimited(
                    request,
                    group=f"{group}:address",
                    key=_address,
                    rate=_rate(address_rate),
                    method="POST",
                    increment=True,
                )
                email = _email_of(request, email_field) if email_field else ""
                if email:
                    limited = (
                        is_ratelimited(
                            request,
                            group=f"{group}:email",
                            key=lambda group, request: email,
                            rate=_rate(email_rate),
                            method="POST",
                            increment=True,
                        )
                        or limited
                    )
                if limited:
                    return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

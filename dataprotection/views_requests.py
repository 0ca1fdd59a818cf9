"""Subject access requests: the request, its bundle, redactions, extension and release."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

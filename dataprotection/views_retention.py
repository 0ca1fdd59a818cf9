"""Retention schedules, records due for destruction, the destruction log and legal holds."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

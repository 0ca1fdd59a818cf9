"""`{% form_token %}`: the one-time token (core.once) for a create form written by hand in a
template rather than drawn from a Django form with OnceFormMixin."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.once import FIELD

register = template.Library()


@register.simple_tag
def form_token() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4())

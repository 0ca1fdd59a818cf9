"""{% may_start_access_request record as flag %}: whether the person may start a subject
access request about this child or volunteer (the scheme's managers and the DPO)."""

from __future__ import annotations

from typing import Any

from django import template

from dataprotection.selectors.requests import may_start_request

register = template.Library()


@register.simple_tag(takes_context=True)
def may_start_access_request(context: Any, record: Any) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or record is None:
        return False
    return may_start_request(user, record.scheme_id)

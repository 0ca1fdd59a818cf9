"""`{% load status %}`: `status_class`, the one place a status value gets its badge colour
(templates/includes/status_tag.html). Keyed by the stored value: a value shared by two
models (closed, draft, matched, paused, approved) means the same thing in both and takes
the same colour. The label is always shown beside the colour, so colour is never the only
signal. core/tests/test_status_tag.py fails when a model gains a status missing here."""

from __future__ import annotations

from django import template

register = template.Library()

# Bootstrap's text-bg-* classes set a text colour with enough contrast for their background.
# primary: under way; info: received, not yet acted on; warning: waiting for someone or
# needs attention; danger: needs action now or refused; success: done or good;
# secondary: ended or not going ahead; light: a draft not yet sent.
DRAFT = "text-bg-light border"
STATUS_CLASSES: dict[str, str] = {
    # Shared values.
    "draft": DRAFT,
    "closed": "text-bg-secondary",
    "matched": "text-bg-success",
    "paused": "text-bg-warning",
    "approved": "text-bg-success",
    # Referral.status
    "received": "text-bg-info",
    "child_met": "text-bg-primary",
    "waiting": "text-bg-warning",
    "declined": "text-bg-secondary",
    "withdrawn": "text-bg-secondary",
    # Match.status
    "proposed": "text-bg-info",
    "introduction": "text-bg-primary",
    "trial": "text-bg-primary",
    "trial_review": "text-bg-primary",
    "established": "text-bg-success",
    "ending": "text-bg-warning",
    # Claim.status
    "submitted": "text-bg-warning",
    "queried": "text-bg-warning",
    "rejected": "text-bg-danger",
    "paid": "text-bg-success",
    # Complaint.status
    "stage_1": "text-bg-warning",
    "stage_1_responded": "text-bg-info",
    "stage_2": "text-bg-warning",
    "stage_2_responded": "text-bg-info",
    "stage_3": "text-bg-warning",
    "stage_3_responded": "text-bg-info",
    # Concern.status
    "new": "text-bg-danger",
    "open": "text-bg-warning",
    # Visit.status
    "planned": "text-bg-info",
    "under_way": "text-bg-primary",
    "held": "text-bg-success",
    "cancelled": "text-bg-secondary",
    # Volunteer.stage
    "enquiry": "text-bg-info",
    "application": "text-bg-primary",
    "interview": "text-bg-primary",
    "checks": "text-bg-primary",
    "training": "text-bg-primary",
    "sign_off": "text-bg-primary",
    "not_proceeding": "text-bg-secondary",
    # Volunteer.status
    "available": "text-bg-success",
    "left": "text-bg-secondary",
    "suspended": "text-bg-danger",
}
# A value not in the map (none today; the test keeps it so) still gets a readable badge.
DEFAULT_CLASS = "text-bg-secondary"


@register.filter
def status_class(value: object) -> str:
    """The badge colour class for a status value, e.g. `{{ r.status|status_class }}`."""
    return STATUS_CLASSES.get(str(value), DEFAULT_CLASS)

"""Letters to complainants: the wording comes from the scheme's editable templates, rendered
with Django's template engine from a small context of plain strings, then set as a PDF.

The engine here is a private one with no template folders and no tags, so a template can use
placeholders and the built-in filters but cannot include, load or debug anything, and the
context holds only strings, so no placeholder can reach a model or its relations.
"""

from __future__ import annotations

from datetime import date

from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string

from complaints.models import Complaint, ComplaintStage, LetterKind


class _LetterEngine(Engine):
    # Filters only, no tags: no {% include %}, {% load %} or {% debug %} in an editable letter.
    default_builtins = ["django.template.defaultfilters"]


_ENGINE = _LetterEngine(
    dirs=[], app_dirs=False, autoescape=False, string_if_invalid="\x00MISSING\x00"
)

PLACEHOLDERS = {
    "reference": "The complaint's reference, like C-2026-0007",
    "complainant_name": "The complainant's name",
    "on_behalf_of": "Who the complaint is made for, if anyone",
    "scheme_name": "The scheme's name",
    "local_authority": "The local authority",
    "received_on": "The date the complaint was received",
    "today": "The date of the letter",
    "stage": "The stage number (1, 2 or 3)",
    "deadline": "The current stage's deadline",
    "outcome": "The stage's outcome (upheld, partly upheld, not upheld)",
    "response": "The stage's response, as written on the complaint",
    "signed_by": "The name of the person sending the letter",
}

DEFAULT_BODIES = {
    LetterKind.ACKNOWLEDGEMENT: (
        "Dear {{ complainant_name }},\n\n"
        "Thank you for your complaint, which we received on {{ received_on }}. "
        "Its reference is {{ reference }}; please quote it if you contact us.\n\n"
        "Your complaint is being looked at under stage 1 (local resolution) of the children's "
        "complaints procedure. The responsible manager will reply to you by {{ deadline }}. "
        "If they need longer, we will write to tell you why.\n\n"
        "Yours sincerely,\n\n{{ signed_by }}\n{{ scheme_name }}"
    ),
    LetterKind.STAGE_1_RESPONSE: (
        "Dear {{ complainant_name }},\n\n"
        "Complaint {{ reference }}: our response at stage 1 (local resolution).\n\n"
        "{{ response }}\n\n"
        "Our finding: {{ outcome }}.\n\n"
        "If you are not satisfied, you can ask for your complaint to go to stage 2, an "
        "investigation by a complaints officer with an independent person. Please tell us "
        "within 20 working days of this letter.\n\n"
        "Yours sincerely,\n\n{{ signed_by }}\n{{ scheme_name }}"
    ),
    LetterKind.STAGE_2_RESPONSE: (
        "Dear {{ complainant_name }},\n\n"
        "Complaint {{ reference }}: our response at stage 2 (investigation).\n\n"
        "{{ response }}\n\n"
        "Our finding: {{ outcome }}.\n\n"
        "If you are not satisfied, you can ask for a review panel (stage 3). Please tell us "
        "within 20 working days of this letter.\n\n"
        "Yours sincerely,\n\n{{ signed_by }}\n{{ scheme_name }}"
    ),
    LetterKind.STAGE_3_RESPONSE: (
        "Dear {{ complainant_name }},\n\n"
        "Complaint {{ reference }}: the response to the review panel's report (stage 3).\n\n"
        "{{ response }}\n\n"
        "The panel's finding: {{ outcome }}.\n\n"
        "If you are still not satisfied, you can ask the Local Government and Social Care "
        "Ombudsman to look at your complaint.\n\n"
        "Yours sincerely,\n\n{{ signed_by }}\n{{ scheme_name }}"
    ),
}

RESPONSE_KIND = {
    1: LetterKind.STAGE_1_RESPONSE,
    2: LetterKind.STAGE_2_RESPONSE,
    3: LetterKind.STAGE_3_RESPONSE,
}


def _day(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def letter_context(
    *, complaint: Complaint, stage: ComplaintStage | None, signed_by: str, today: date
) -> dict[str, str]:
    scheme = complaint.scheme
    return {
        "reference": complaint.reference,
        "complainant_name": complaint.complainant_name,
        "on_behalf_of": complaint.on_behalf_of,
        "scheme_name": scheme.name,
        "local_authority": scheme.local_authority,
        "received_on": _day(complaint.received_on),
        "today": _day(today),
        "stage": str(stage.number) if stage else "",
        "deadline": _day(stage.due_on) if stage else "",
        "outcome": stage.get_outcome_display().lower() if stage and stage.outcome else "",
        "response": stage.response_summary if stage else "",
        "signed_by": signed_by,
    }


def template_problems(body: str) -> list[str]:
    """Plain-English problems with a template's wording, or none."""
    try:
        template = _ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        return [f"The wording has a mistake in a placeholder or tag: {exc}"]
    sample = dict.fromkeys(PLACEHOLDERS, "x")
    rendered = template.render(Context(sample, autoescape=False))
    if "\x00MISSING\x00" in rendered:
        names = ", ".join(sorted(PLACEHOLDERS))
        return [f"The wording uses a placeholder that does not exist. You can use: {names}."]
    if "{{" in rendered or "{%" in rendered:
        return ["The wording has a mistake in a placeholder or tag: one is not closed."]
    return []


def render_body(body: str, context: dict[str, str]) -> str:
    """The letter as plain text. Not escaped here: the text is escaped once, where it is set
    into the PDF's HTML (a Context escapes by default, whatever the engine says)."""
    rendered = _ENGINE.from_string(body).render(Context(context, autoescape=False))
    return rendered.replace("\x00MISSING\x00", "")


def render_pdf(*, complaint: Complaint, kind: str, text: str, today: date) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "complaints/letter_pdf.html",
        {
            "complaint": complaint,
            "scheme": complaint.scheme,
            "kind_label": LetterKind(kind).label,
            "text": text,
            "today": today,
        },
    )
    return HTML(string=html).write_pdf()

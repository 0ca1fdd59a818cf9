"""The summary list (templates/includes/summary_list.html) and its row helpers
(core/templatetags/summary.py): the `<dl class="row">` markup the pages used before."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string


def _squash(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_renders_pairs_as_the_row_markup() -> None:
    html = render_to_string("includes/summary_list.html", {"rows": [("Child", "Sam"), ("Age", 9)]})
    assert _squash(html) == (
        '<dl class="row">'
        '<dt class="col-sm-4">Child</dt><dd class="col-sm-8">Sam</dd>'
        '<dt class="col-sm-4">Age</dt><dd class="col-sm-8">9</dd>'
        "</dl>"
    )


def test_triples_and_dicts_show_empty_for_an_empty_value() -> None:
    rows = [
        ("Allergies", "", "None recorded"),
        {"label": "Diet", "value": None, "empty": "Not known"},
        {"label": "Count", "value": 0},
    ]
    html = render_to_string("includes/summary_list.html", {"rows": rows})
    assert '<dd class="col-sm-8">None recorded</dd>' in html
    assert '<dd class="col-sm-8">Not known</dd>' in html
    assert '<dd class="col-sm-8">0</dd>' in html  # no empty given: the value as it is


def test_values_are_escaped_and_linebreaks_kept_when_asked() -> None:
    rows = [("Note", "<b>a</b>\nb")]
    plain = render_to_string("includes/summary_list.html", {"rows": rows})
    assert "&lt;b&gt;a&lt;/b&gt;\nb" in plain
    broken = render_to_string("includes/summary_list.html", {"rows": rows, "linebreaks": True})
    assert "&lt;b&gt;a&lt;/b&gt;<br>b" in broken


def test_more_classes_on_the_list() -> None:
    html = render_to_string("includes/summary_list.html", {"rows": [], "classes": "small mb-2"})
    assert _squash(html) == '<dl class="row small mb-2"></dl>'


def test_summary_rows_builds_pairs_in_a_template() -> None:
    html = Template(
        "{% load summary %}"
        '{% summary_rows "Name" name "Languages" languages|default:"Not recorded" as rows %}'
        '{% include "includes/summary_list.html" with rows=rows only %}'
    ).render(Context({"name": "Sam & Jo", "languages": ""}))
    assert '<dt class="col-sm-4">Name</dt><dd class="col-sm-8">Sam &amp; Jo</dd>' in html
    assert '<dt class="col-sm-4">Languages</dt><dd class="col-sm-8">Not recorded</dd>' in html


def test_summary_rows_refuses_an_odd_count() -> None:
    with pytest.raises(TemplateSyntaxError):
        Template('{% load summary %}{% summary_rows "Name" as rows %}').render(Context())

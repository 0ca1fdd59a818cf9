"""The data table component (`{% table %}`, core/templatetags/table.py and
templates/includes/table.html): headers, hidden and conditional columns, the empty row across
every column, the focusable named scrolling region, and the page links."""

from __future__ import annotations

import re

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template, TemplateSyntaxError

ROWS = (
    '{% load table %}{% table "Name" "Kind"|unless:brief "hidden:Action"|when:can_act '
    'caption="People" empty="Nobody yet." classes="align-middle" paginate=paginate %}'
    "{% for p in people %}<tr><td>{{ p }}</td></tr>{% endfor %}{% endtable %}"
)


def render(source: str = ROWS, **context: object) -> str:
    return Template(source).render(Context({"brief": False, "can_act": False, **context}))


def headers(html: str) -> list[str]:
    return re.findall(r'<th scope="col">(.*?)</th>', html)


def test_headers_in_order_with_hidden_and_conditional_columns() -> None:
    html = render(people=["Ann"], brief=False, can_act=True)
    assert headers(html) == ["Name", "Kind", '<span class="visually-hidden">Action</span>']
    html = render(people=["Ann"], brief=True, can_act=False)
    assert headers(html) == ["Name"]


def test_rows_are_the_body_and_values_stay_escaped() -> None:
    html = render(people=["Ann", "<b>Bo</b>"])
    assert "<tr><td>Ann</td></tr>" in html
    assert "&lt;b&gt;Bo&lt;/b&gt;" in html
    assert "Nobody yet." not in html


def test_no_rows_gives_one_row_across_every_column() -> None:
    html = render(people=[], brief=False, can_act=True)
    assert '<tr><td colspan="3">Nobody yet.</td></tr>' in html
    html = render(people=[], brief=True, can_act=False)
    assert '<tr><td colspan="1">Nobody yet.</td></tr>' in html


def test_the_region_is_named_focusable_and_the_table_captioned() -> None:
    html = render(people=["Ann"])
    assert '<div class="table-responsive" tabindex="0" role="region" aria-label="People">' in html
    assert '<caption class="visually-hidden">People</caption>' in html
    assert '<table class="table align-middle">' in html


def test_page_links_only_when_asked_and_when_there_are_pages() -> None:
    page = Paginator(list(range(30)), 10).page(2)
    assert "Page 2 of 3" in render(people=["Ann"], paginate=True, page_obj=page)
    assert "Page 2 of 3" not in render(people=["Ann"], paginate=False, page_obj=page)


@pytest.mark.parametrize(
    "source",
    [
        '{% load table %}{% table "Name" %}{% endtable %}',
        '{% load table %}{% table "Name" caption="x" colour="red" %}{% endtable %}',
        '{% load table %}{% table caption="x" "Name" %}{% endtable %}',
    ],
)
def test_mistakes_are_template_errors(source: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        render(source)

"""`{% load table %}`: the data table component (templates/includes/table.html).

    {% table "Visit" "IV and child" "Amount" caption="Claims waiting" empty="No claims." %}
      {% for c in claims %}<tr>...</tr>{% endfor %}
    {% endtable %}

- The positional arguments are the column headers, in order. A header that is empty is left
  out, so a column can come and go: `"Kind"|unless:dates_only` or `"Approve"|when:sudo`.
  A header starting with `hidden:` is read by screen readers only (an action column).
- `caption` (required) names the table for screen readers and names the scrolling region,
  which takes the keyboard focus so a keyboard user can scroll it sideways.
- `empty`: the sentence shown in one row across every column when the body has no rows.
- `classes`: more classes on the `<table>`, e.g. "align-middle" or "table-sm".
- `paginate`: when true, the page links (`includes/pagination.html`) follow the table.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()

HIDDEN = "hidden:"


@register.filter
def when(value: Any, condition: Any) -> Any:
    """The header when the condition holds, else nothing (the column is left out)."""
    return value if condition else ""


@register.filter
def unless(value: Any, condition: Any) -> Any:
    """The header unless the condition holds."""
    return "" if condition else value


class TableNode(template.Node):
    def __init__(
        self, headers: list[FilterExpression], options: dict[str, FilterExpression], body: NodeList
    ) -> None:
        self.headers = headers
        self.options = options
        self.body = body

    def render(self, context: Context) -> str:
        options = {name: value.resolve(context) for name, value in self.options.items()}
        if not options.get("caption"):
            raise template.TemplateSyntaxError("{% table %} needs a caption")
        columns = []
        for expression in self.headers:
            header = str(expression.resolve(context) or "")
            if header:
                hidden = header.startswith(HIDDEN)
                columns.append({"label": header.removeprefix(HIDDEN), "hidden": hidden})
        body = self.body.render(context)
        return render_to_string(
            "includes/table.html",
            {
                "columns": columns,
                "body": mark_safe(body),  # noqa: S308 - rendered by the template engine, escaped
                "has_rows": bool(body.strip()),
                "caption": options["caption"],
                "empty": options.get("empty", ""),
                "classes": options.get("classes", ""),
                "paginate": options.get("paginate", False),
                "page_obj": context.get("page_obj"),
                "query": context.get("query"),
            },
        )


@register.tag("table")
def do_table(parser: Parser, token: Token) -> TableNode:
    bits = token.split_contents()[1:]
    headers: list[FilterExpression] = []
    options: dict[str, FilterExpression] = {}
    for bit in bits:
        name, sep, value = bit.partition("=")
        if sep and name.isidentifier():
            if name not in {"caption", "empty", "classes", "paginate"}:
                raise template.TemplateSyntaxError(f"{{% table %}} has no option {name!r}")
            options[name] = parser.compile_filter(value)
        else:
            if options:
                raise template.TemplateSyntaxError("{% table %}: headers come before options")
            headers.append(parser.compile_filter(bit))
    body = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(headers, options, body)

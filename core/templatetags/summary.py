"""`{% load summary %}`: rows for the summary list (templates/includes/summary_list.html).

- `{% summary_rows "Label" value "Label" value ... as rows %}` builds the rows in a template
  (each value may carry its own filters, e.g. `child.ethnicity|default:"Not recorded"`);
- `summary_items` (used by the include) turns each row, a (label, value) pair, a
  (label, value, empty) triple or a dict with label, value and optionally empty, into a dict.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def summary_rows(*pairs: Any) -> list[tuple[Any, Any]]:
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("summary_rows takes label, value pairs")
    return list(zip(pairs[::2], pairs[1::2], strict=True))


@register.filter
def summary_items(rows: Iterable[Any] | None) -> list[dict[str, Any]]:
    items = []
    for row in rows or []:
        if isinstance(row, Mapping):
            items.append(
                {"label": row["label"], "value": row.get("value"), "empty": row.get("empty", "")}
            )
        else:
            label, value, *empty = row
            items.append({"label": label, "value": value, "empty": empty[0] if empty else ""})
    return items

"""The caseload listing that `make bench` renders at 500 pages (reports/bench.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from reports import bench, selectors, services
from reports.tests import dataset

pytestmark = pytest.mark.django_db


def test_caseload_rows_are_the_schemes_children_with_their_active_match(
    django_assert_max_num_queries: Any,
) -> None:
    data = dataset.build()
    with django_assert_max_num_queries(1):
        rows = selectors.caseload_export_rows([data.east.pk])
    assert {r["scheme__name"] for r in rows} == {"East IV Scheme"}  # never West's children
    by_name = {r["first_name"]: r for r in rows}
    assert by_name["K1"]["active__status"] == "established"
    assert by_name["K1"]["active__volunteer__full_name"] == "Iv 1"
    assert by_name["K1"]["last_visit_at"] == dataset.at(date(2025, 3, 8))
    assert by_name["K5"]["active__status"] is None  # the match is closed: waiting
    assert len(selectors.caseload_export_rows([data.east.pk], limit=2)) == 2


def test_caseload_pdf_lists_every_child_one_line_each() -> None:
    data = dataset.build()
    rows = selectors.caseload_export_rows([data.east.pk])
    lines = services.caseload_lines(rows)
    assert len(lines) == len(rows)
    # Fixed columns: the IV's name sits under the "IV" title.
    header = services._fixed([t for t, _ in services.CASELOAD_COLUMNS])
    k1 = next(line for line in lines if " K1 Test " in line)
    assert k1.index("Iv 1") == header.index("IV")
    pdf, pages = services.render_caseload_pdf(scheme_label="East IV Scheme", rows=rows)
    assert pdf.startswith(b"%PDF") and pages == 1
    assert bench.pdf_page_count(pdf) == 1

"""Every report figure against values worked out by hand from reports/tests/dataset.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404

from reports import selectors
from reports.tests import dataset
from reports.tests.dataset import END, START

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


@pytest.fixture
def data(db: Any) -> dataset.Data:
    return dataset.build()


@pytest.fixture
def report(data: dataset.Data) -> selectors.Report:
    return selectors.scheme_report(user=data.manager, slug="east", start=START, end=END)


def test_referrals(report: selectors.Report) -> None:
    r = report.figures["referrals"]
    # K1, K2, K3, K4 and K6 were received in the period; K5 in December.
    assert r["received"] == 5
    assert r["by_source"] == [("Social worker", 3), ("Entered by scheme staff", 2)]
    assert (r["declined"], r["withdrawn"]) == (1, 1)  # K4 declined; K5 withdrawn in January
    # Waiting on 31 March: K2 since 11 Feb (48 days), K3 since 1 Mar (30), K6 since 21 Mar (10).
    assert r["waiting"] == 3
    assert r["waiting_median_days"] == 30
    assert r["waiting_longest_days"] == 48


def test_matches(report: selectors.Report) -> None:
    m = report.figures["matches"]
    assert (m["started"], m["ended"], m["active"]) == (2, 2, 2)
    assert m["ended_by_reason"] == [("The child turned 18", 1), ("The child's wish", 1)]
    # M2: 1 Jun 2024 to 28 Feb 2025 = 272 days; M3: 1 Jan 2024 to 15 Mar 2025 = 439 days.
    assert (date(2025, 2, 28) - date(2024, 6, 1)).days == 272
    assert (date(2025, 3, 15) - date(2024, 1, 1)).days == 439
    assert m["length_median_days"] == 355.5


def test_visits_and_contact(report: selectors.Report) -> None:
    v = report.figures["visits"]
    assert (v["held"], v["cancelled"]) == (7, 2)
    by_who = dict(v["cancelled_by"])
    assert by_who["The child"] == 1 and by_who["The independent visitor"] == 1
    assert sum(by_who.values()) == 2
    contact = [(c["month"], c["active"], c["with_contact"], c["percent"])
               for c in report.figures["contact"]]  # fmt: skip
    assert contact == [
        # January: M1, M2, M3 active; M1 and M2 met (M3's visit was cancelled).
        (date(2025, 1, 1), 3, 2, 67),
        # February: M1, M2, M3; M1 and M3 met (M2's was cancelled).
        (date(2025, 2, 1), 3, 2, 67),
        # March: M1, M3 (ended 15 March), M4 (started 1 March); all met. M2 ended in February.
        (date(2025, 3, 1), 3, 3, 100),
    ]


def test_safeguarding(report: selectors.Report) -> None:
    s = report.figures["safeguarding"]
    assert s["concerns"] == 3
    assert s["by_category"] == [("Neglect", 2), ("Bullying", 1)]
    assert (s["acknowledged"], s["acknowledged_in_time"]) == (2, 1)
    assert s["ack_median_hours"] == 3.0  # 2 and 4 hours
    assert s["ack_longest_hours"] == 4.0
    assert s["incidents"] == 1
    assert s["incidents_by_type"] == [("Injury", 1)]


def test_expenses(report: selectors.Report) -> None:
    e = report.figures["expenses"]
    # 12.50 + 30.00 + 7.50; the rejected and the draft claim do not count.
    assert e["claims"] == 3
    assert e["total"] == Decimal("50.00")
    assert e["matches"] == 2
    assert e["per_match"] == Decimal("25.00")
    assert e["over_limit"] == 1


def test_complaints(report: selectors.Report) -> None:
    c = report.figures["complaints"]
    assert c["received"] == 1
    assert sum(n for _label, n in c["by_stage"]) == 1
    assert (c["responses_on_time"], c["responses_late"]) == (0, 0)


def test_volunteers(report: selectors.Report) -> None:
    v = report.figures["volunteers"]
    assert v["in_pipeline"] == 3
    assert dict(v["pipeline"])["Enquiry call"] == 1
    assert dict(v["pipeline"])["Application"] == 2
    # V4: 1 Jan to 15 Feb = 45 days; V5: 1 Dec to 1 Mar = 90 days. V6 was approved in 2024.
    assert v["approved"] == 2
    assert v["approval_median_days"] == 67.5


def test_monitoring_suppresses_small_numbers(report: selectors.Report) -> None:
    mon = report.figures["monitoring"]
    # Five children referred in the period: four girls (K1-K4) and a boy (K6), all White British.
    assert mon["children_gender"] == [
        {"label": "Female", "count": "fewer than 5"},
        {"label": "Male", "count": "fewer than 5"},
    ]
    assert mon["children_ethnicity"] == [{"label": "White British", "count": "5"}]
    assert mon["volunteers_gender"] == [
        {"label": "Woman", "count": "fewer than 5"},
        {"label": "Man", "count": "fewer than 5"},
    ]


@pytest.mark.parametrize(
    ("n", "shown"), [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5"), (12, "12")]
)
def test_suppressed(n: int, shown: str) -> None:
    assert selectors.suppressed(n) == shown


def test_caseloads_and_headline(report: selectors.Report) -> None:
    assert report.figures["caseloads"] == [
        {"coordinator": "Cy Coord", "scheme": "East IV Scheme", "active": 2, "capacity": 36,
         "percent": 6, "over": False}
    ]  # fmt: skip
    h = report.figures["headline"]
    assert (h["children_with_iv"], h["looked_after"], h["percent"], h["goal"], h["met"]) == (
        2, 40, 5.0, 10, False,
    )  # fmt: skip


def test_no_figure_from_another_scheme(data: dataset.Data) -> None:
    east_only = selectors.scheme_report(user=data.manager, slug="all", start=START, end=END)
    assert east_only.figures["referrals"]["received"] == 5
    with pytest.raises(Http404):
        selectors.scheme_report(user=data.manager, slug="west", start=START, end=END)
    with pytest.raises(Http404):
        selectors.scheme_report(user=data.coordinator, slug="", start=START, end=END)
    both = selectors.scheme_report(user=data.both_manager, slug="all", start=START, end=END)
    assert both.figures["referrals"]["received"] == 6
    assert both.figures["headline"]["looked_after"] == 50
    west = selectors.scheme_report(user=data.both_manager, slug="west", start=START, end=END)
    assert west.figures["referrals"]["received"] == 1
    assert west.figures["visits"]["held"] == 0


def test_csv_rows_carry_the_marking_and_suppression(report: selectors.Report) -> None:
    rows = selectors.report_csv_rows(report)
    assert ["Protective marking", "", "OFFICIAL-SENSITIVE"] in rows
    assert ["Referrals", "Received", 5] in rows
    assert ["Monitoring", "Children by gender: Male", "fewer than 5"] in rows
    assert ["Expenses", "Total (£)", Decimal("50.00")] in rows

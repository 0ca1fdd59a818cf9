"""Cells written to CSV files that people open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, quoted so it stays text; anything that
    is not text (numbers, dates) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer with every cell guarded by csv_safe: the one way this project writes CSV, so
    a new column cannot forget the guard (core/tests/test_spreadsheet.py fails on any module
    that calls csv.writer itself)."""

    def __init__(self, out: Any, **fmtparams: Any) -> None:
        self._writer = csv.writer(out, **fmtparams)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: Any, **fmtparams: Any) -> SafeWriter:
    """A CSV writer onto `out` (a file, a StringIO or an HttpResponse) that guards every cell."""
    return SafeWriter(out, **fmtparams)

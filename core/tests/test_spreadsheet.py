from core.spreadsheet import csv_safe


def test_formulas_are_kept_as_text() -> None:
    for cell in ["=SUM(A1)", "+1", "-2+3", "@cmd", "\tx", "\rx"]:
        assert csv_safe(cell) == "'" + cell


def test_plain_values_are_unchanged() -> None:
    assert csv_safe("Amy") == "Amy"
    assert csv_safe("") == ""
    assert csv_safe(-3) == -3
    assert csv_safe(None) is None

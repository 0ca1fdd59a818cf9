from core.spreadsheet import csv_safe


def test_formulas_are_kept_as_text() -> None:
    for cell in ["=SUM(A1)", "+1", "-2+3", "@cmd", "\tx", "\rx"]:
        assert csv_safe(cell) == "'" + cell


def test_plain_values_are_unchanged() -> None:
    assert csv_safe("Amy") == "Amy"
    assert csv_safe("") == ""
    assert csv_safe(-3) == -3
    assert csv_safe(None) is None


def test_the_safe_writer_guards_every_cell() -> None:
    import io

    from core.spreadsheet import csv_writer

    out = io.StringIO()
    csv_writer(out).writerows([["=1+1", "Amy", 3], ["@cmd", "-2", None]])
    assert out.getvalue().splitlines() == ["'=1+1,Amy,3", "'@cmd,'-2,"]


def test_no_module_writes_csv_without_the_guard() -> None:
    """Every CSV export goes through core.spreadsheet.csv_writer (issue 19.10): a module that
    calls csv.writer or csv.DictWriter itself could write an unguarded cell."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(
        r"\bcsv\s*\.\s*(writer|DictWriter)\s*\(|from\s+csv\s+import\s+.*\b(writer|DictWriter)\b"
    )
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if rel.parts[0] in {".venv", "node_modules", "var", "static"} or "tests" in rel.parts:
            continue
        if rel == Path("core/spreadsheet.py"):
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(rel))
    assert offenders == [], f"Use core.spreadsheet.csv_writer instead of csv.writer in {offenders}"

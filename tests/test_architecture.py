"""Rules of the codebase that a reviewer would otherwise have to remember."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_DIRS = [p.parent for p in ROOT.glob("*/apps.py")]


def test_views_never_query_models_directly() -> None:
    """Views ask selectors, the one door, for records as seen by this user (ENGINEERING 2)."""
    offenders = []
    for app in APP_DIRS:
        for views in [
            *app.glob("views.py"),
            *app.glob("*_views.py"),
            *app.glob("views_*.py"),
            *app.glob("views/*.py"),
        ]:
            for n, line in enumerate(views.read_text().splitlines(), 1):
                if re.search(r"\.objects\.|\._default_manager|get_object_or_404", line):
                    offenders.append(f"{views.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "views must read through selectors:\n" + "\n".join(offenders)


def test_there_are_views_to_check() -> None:
    # The rule above must not pass because it found nothing to read.
    assert any((app / "views.py").exists() for app in APP_DIRS)
    assert len(APP_DIRS) >= 4


def test_every_apps_tests_run_in_the_suite() -> None:
    """`make test` runs pytest's testpaths: an app whose tests are not listed there would
    have tests that never run."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    testpaths = set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    missing = sorted(
        app.name for app in APP_DIRS if (app / "tests").is_dir() and app.name not in testpaths
    )
    assert not missing, f"apps with tests that pytest never collects: {missing}"

"""The order tests are handed to the xdist workers: the longest first.

A test that starts whole processes (`make run` end to end takes about two minutes) or drives
the browser, handed out last, leaves one worker busy while the other has finished: both cores
are used only if they start first. Within each group the order is pytest-django's (tests in a
transaction first, so a module's shared world is never open under a test that commits).
"""

from __future__ import annotations

import pytest


def _weight(item: pytest.Item) -> int:
    if item.get_closest_marker("slow"):
        return 0
    if item.get_closest_marker("browser"):
        return 1
    return 2


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_weight)  # stable: each group keeps its order

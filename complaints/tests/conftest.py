from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Any) -> None:
    """Letters are written to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"

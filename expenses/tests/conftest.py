from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Any) -> str:
    """Receipts go to a throwaway folder, never the developer's var/media."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT

"""The production compose file is valid (validated without a Docker engine)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def compose(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose)")
    # A copy beside an .env made from .env.example, as an operator would set it up.
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    return subprocess.run(
        [exe, "-f", str(tmp_path / "docker-compose.yml"), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_compose_file_is_valid(tmp_path: Path) -> None:
    result = compose(tmp_path, "config", "-q")
    assert result.returncode == 0, result.stderr


def test_compose_runs_every_process_with_health_checks(tmp_path: Path) -> None:
    result = compose(tmp_path, "config", "--services")
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == {"web", "worker", "beat", "postgres", "redis"}
    config = compose(tmp_path, "config").stdout
    assert config.count("healthcheck:") == 5

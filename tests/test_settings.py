"""Production mode fails loudly without its secrets, and is clean under `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "-production-secret-key-with-enough-entropy-0123456789"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_has_no_warnings() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="ivscheme.example.org",
        DATABASE_URL="postgres://ivscheme@db.example.org:5432/ivscheme",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key() -> None:
    result = run_manage(
        "check",
        DEBUG="0",
        ALLOWED_HOSTS="ivscheme.example.org",
        DATABASE_URL="postgres://ivscheme@db.example.org:5432/ivscheme",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts_or_database() -> None:
    result = run_manage("check", DEBUG="0", SECRET_KEY=GOOD_KEY, DATABASE_URL="postgres://x@db/x")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr
    result = run_manage("check", DEBUG="0", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


def test_production_refuses_a_weak_secret_key() -> None:
    result = run_manage(
        "check",
        DEBUG="0",
        SECRET_KEY="short",
        ALLOWED_HOSTS="example.org",
        DATABASE_URL="postgres://x@db/x",
    )
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_debug_defaults_off() -> None:
    result = run_manage(
        "check", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="example.org", DATABASE_URL="postgres://x@db/x"
    )
    # No DEBUG in the environment means production mode, where a check with the settings
    # above passes; with DEBUG on by default the key length rule would not have run at all.
    assert result.returncode == 0, result.stderr
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); "
            "from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **{k: v for k, v in os.environ.items() if k != "DEBUG"},
            "DJANGO_SETTINGS_MODULE": "ivscheme.settings",
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "example.org",
            "DATABASE_URL": "postgres://x@db/x",
        },
    )
    assert probe.stdout.strip() == "False", probe.stderr

"""Loaded with `-p tests.pytest_env` before pytest-django reads the settings.

Tests run in development mode (DEBUG=1 in the environment; pytest-django still renders pages
with DEBUG off) and against a real PostgreSQL: DATABASE_URL when it is set, otherwise the
embedded server from tools/embedded_db.py.
"""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Tasks the code under test enqueues (e.g. email delivery after a commit) must not pile up in
# the `make run` broker folder: give the suite a broker folder of its own.
os.environ.setdefault(
    "CELERY_BROKER_DIR", os.path.join(tempfile.gettempdir(), f"ivscheme-test-broker-{os.getpid()}")
)

from tools.embedded_db import ensure_database_url

ensure_database_url()

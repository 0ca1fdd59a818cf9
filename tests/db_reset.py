"""A faster end to a test on a transactional database (browser journeys, real workers).

Django's TransactionTestCase empties the database after each such test with `flush`: one
TRUNCATE of every table (new files for ~150 tables and their indexes), then the post_migrate
signal, which makes every content type and permission again. Here that took 1.5 s a test.
Deleting the rows instead, with the foreign keys checked once at commit, leaves the same empty
tables in a few milliseconds; content types and permissions, which migrate made once for the
whole run, stay as they are (django-guardian's grants need them).
"""

from __future__ import annotations

from typing import Any

import pytest

# Rows made once when the test database is set up, never by a test.
KEEP = frozenset({"django_migrations", "django_content_type", "auth_permission"})


def empty_tables(using: str = "default") -> None:
    from django.db import connections, transaction

    connection = connections[using]
    tables = [
        t
        for t in connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if t not in KEEP
    ]
    if not tables:
        return
    quote = connection.ops.quote_name
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # Every foreign key of ours is DEFERRABLE INITIALLY DEFERRED: checked at commit, when
        # the rows on both sides are gone.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("; ".join(f"DELETE FROM {quote(t)}" for t in tables))


def _fixture_teardown(self: Any) -> None:
    for db_name in self._databases_names(include_mirrors=False):
        empty_tables(db_name)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    from django.test import TransactionTestCase

    TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[attr-defined]

"""After a test on a transactional database, the next one starts with empty tables
(tests/db_reset.py), and the content types and permissions that grants need are still there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from tests import db_reset
from tests.db_reset import KEEP, empty_tables

pytestmark = pytest.mark.django_db(transaction=True)


def rows_left() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True):
            if table not in KEEP:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
                (n,) = cursor.fetchone()
                if n:
                    counts[table] = n
    return counts


def test_emptying_leaves_no_rows_and_keeps_permissions(world) -> None:
    assert rows_left()  # the world's people, children, matches, history, grants ...
    empty_tables()
    assert rows_left() == {}
    assert Permission.objects.filter(codename="view_match").exists()


def test_it_is_what_ends_every_transactional_test() -> None:
    from django.test import TransactionTestCase

    assert TransactionTestCase._fixture_teardown is db_reset._fixture_teardown  # type: ignore[attr-defined]

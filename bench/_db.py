"""Shared by the benchmarks: each creates a throwaway database beside DATABASE_URL's."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def database_url_with_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def admin_connection(url: str) -> Any:
    """An autocommit connection to the server's `postgres` database (CREATE/DROP DATABASE)."""
    import psycopg2

    connection = psycopg2.connect(database_url_with_name(url, "postgres"))
    connection.autocommit = True
    return connection


@contextmanager
def throwaway_database(*, keep: bool) -> Iterator[str]:
    """Create a database beside DATABASE_URL's, point DATABASE_URL at it, and drop it afterwards
    (or say how to, with ``keep``). Yields its name. Exits with status 2 when DATABASE_URL is
    not PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must point to PostgreSQL (the benchmark creates a database next to it).")
        raise SystemExit(2)
    name = f"magok_bench_{os.getpid()}"
    admin = admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    os.environ["DATABASE_URL"] = database_url_with_name(url, name)
    try:
        yield name
    finally:
        if keep:
            print(f'\nkept database {name}; drop it with: DROP DATABASE "{name}"')
        else:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

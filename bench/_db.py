"""Shared by the benchmarks: each creates a throwaway database beside DATABASE_URL's."""

from __future__ import annotations

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

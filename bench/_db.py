"""Shared by the benchmarks: each creates a throwaway database beside DATABASE_URL's."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
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
def throwaway_database(*, keep: bool, template: str = "template0") -> Iterator[str]:
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
        cursor.execute(f"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" ENCODING 'UTF8'")
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


def migrated_template(url: str, *, migrate: Callable[[str], None]) -> str:
    """A database with every migration applied, to copy (``CREATE DATABASE ... TEMPLATE``) in
    seconds instead of migrating each time. Named after a hash of the migration files, so a new
    migration makes a new one; ``migrate(database_url)`` fills it the first time."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha1()
    for path in sorted(root.glob("*/migrations/*.py")):
        digest.update(path.as_posix().encode() + path.read_bytes())
    name = f"magok_bench_tpl_{digest.hexdigest()[:12]}"
    admin = admin_connection(url)
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                building = f"{name}_building_{os.getpid()}"
                cursor.execute(f"CREATE DATABASE \"{building}\" TEMPLATE template0 ENCODING 'UTF8'")
                try:
                    migrate(database_url_with_name(url, building))
                    cursor.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
                except BaseException:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
                    raise
    finally:
        admin.close()
    return name


# What every in-process benchmark (profile_hotspots.py, profile_api.py, rush_inprocess.py) runs
# under: production settings, a local e-mail backend, no login lockout.
IN_PROCESS_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "bench-" + "0" * 60,
    "ALLOWED_HOSTS": "testserver,127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "AXES_ENABLED": "0",
    "LOG_LEVEL": "ERROR",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "CELERY_TASK_ALWAYS_EAGER": "0",
    "DJANGO_SETTINGS_MODULE": "magok.settings",
}


@contextmanager
def in_process_database(**env: str) -> Iterator[str]:
    """A throwaway copy of the migrated template database (DATABASE_URL's server), with
    ``IN_PROCESS_ENV`` plus ``env`` in ``os.environ``: call ``django.setup()`` inside."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent

    def migrate(url: str) -> None:
        migrate_env = {**os.environ, "DJANGO_ENV": "test", "DATABASE_URL": url}
        command = [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"]
        subprocess.run(command, cwd=root, env=migrate_env, check=True)

    template = migrated_template(os.environ.get("DATABASE_URL", ""), migrate=migrate)
    with throwaway_database(keep=False, template=template) as url:
        os.environ.update({**IN_PROCESS_ENV, **env})
        yield url

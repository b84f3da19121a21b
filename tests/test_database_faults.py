"""PostgreSQL drops a connection the site keeps open (a restart, a failover, a proxy's idle
timeout): the next request reconnects instead of failing.

Requests go through Django's WSGI handler itself, as a WSGI server calls it: the test client
skips the connection housekeeping at the start and end of a request, which is what is tested.
The shared PostgreSQL is not restarted: a second connection terminates the request's backend.
"""

from __future__ import annotations

import io
from typing import Any

import psycopg2
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection


def _get(handler: WSGIHandler, path: str) -> int:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
    }
    status: list[str] = []
    response = handler(environ, lambda line, headers, exc_info=None: status.append(line))
    b"".join(response)
    response.close()  # ends the request: request_finished, as a WSGI server does
    return int(status[0].split()[0])


def _terminate_backend(pid: int) -> None:
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone() == (True,)
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_the_first_request_after_the_server_dropped_the_connection_succeeds(monkeypatch) -> None:
    assert connection.vendor == "postgresql"
    # As in production (DB_CONN_MAX_AGE): the connection outlives the request.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    connection.close()
    handler = WSGIHandler()

    assert _get(handler, "/events/") == 200
    assert connection.connection is not None, "the connection is kept between requests"
    _terminate_backend(connection.connection.get_backend_pid())

    assert _get(handler, "/events/") == 200
    assert _get(handler, "/healthz") == 200

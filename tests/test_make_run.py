"""`make run` stops cleanly: a TERM or Ctrl-C stops the web server, the worker and its beat, and
no process of it is left. The test starts the command `make run` ends with, on a free port and
a throwaway SQLite database, and walks /proc for what it started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.celery.processes import free_port, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.transactional, pytest.mark.xdist_group("make-run")]

BASE_DIR = Path(settings.BASE_DIR)


def _processes() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, session id) of every process, read from /proc/<pid>/stat."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # state ppid pgrp session ...
        found[int(entry.name)] = (int(fields[1]), int(fields[3]))
    return found


def _descendants(root: int) -> set[int]:
    processes = _processes()
    found, todo = set(), [root]
    while todo:
        parent = todo.pop()
        children = {pid for pid, (ppid, _) in processes.items() if ppid == parent}
        todo.extend(children - found)
        found |= children
    return found


def _alive(pids: set[int], sessions: set[int]) -> set[int]:
    """Those of ``pids`` still running, plus anything else in the children's sessions (a
    grandchild re-parented to init when its parent died)."""
    processes = _processes()
    return {pid for pid, (_, session) in processes.items() if pid in pids or session in sessions}


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def local_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of `make run`: development settings, SQLite, no Redis (embedded broker)."""
    database = tmp_path_factory.mktemp("make-run") / "db.sqlite3"
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env |= {"DJANGO_ENV": "development", "DATABASE_URL": f"sqlite:///{database}", "PYTHONUNBUFFERED": "1"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=BASE_DIR, env=env, check=True, capture_output=True
    )
    return env


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "Ctrl-C"])
def test_make_run_stops_the_web_server_the_worker_and_beat(local_env: dict[str, str], signum: int) -> None:
    port = free_port()
    supervisor = subprocess.Popen(
        [sys.executable, "manage.py", "serve_local", f"--port={port}"],
        cwd=BASE_DIR,
        env=local_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), timeout=60, what="the web server")
        # runserver's reloader and its server, the worker, its two pool processes and beat.
        wait_for(lambda: len(_descendants(supervisor.pid)) >= 6, timeout=60, what="the worker's pool and beat")
        started = _descendants(supervisor.pid)
        sessions = {os.getsid(pid) for pid in started if pid in _processes()} - {os.getsid(0)}
        assert len(sessions) == 2  # the web server's and the worker's

        supervisor.send_signal(signum)
        output, _ = supervisor.communicate(timeout=40)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()

    assert "stopped: worker, web" in output.decode()
    assert "killing" not in output.decode(), output.decode()[-2000:]
    deadline = time.monotonic() + 5
    while _alive(started, sessions) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(started, sessions)
    assert not _answers(f"http://127.0.0.1:{port}/healthz")


def test_make_run_serves_on_the_port_given() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("MAKE", "MFLAGS"))}
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", "PORT=8123"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert dry.splitlines()[-1].endswith("manage.py serve_local --port=8123")
    # E-mail and calendar links follow the port unless SITE_URL is set.
    assert "SITE_URL=${SITE_URL:-http://127.0.0.1:8123}" in dry.splitlines()[-1]

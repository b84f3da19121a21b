"""`make run`'s last step: the web server and a Celery worker with embedded beat, stopped together.

Each child runs in a session of its own, so a Ctrl-C in the terminal reaches only this
supervisor (and make), never a child half-way: the supervisor decides the order. The worker
gets TERM on its main process only; it stops its pool and the embedded beat itself (a TERM to
its whole group kills beat under it and leaves the worker hanging). The web server gets TERM on
its whole group, the autoreloader and the server process it restarts. Whatever is still there
after the grace period is killed, group by group, so nothing outlives ``make run``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


@dataclass
class Child:
    name: str
    args: list[str]
    # True: TERM the whole process group; False: TERM the main process, which stops its own.
    term_group: bool
    env: dict[str, str] | None = field(default=None, repr=False)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.args, cwd=settings.BASE_DIR, stdin=subprocess.DEVNULL, start_new_session=True, env=self.env
        )

    def exited(self) -> bool:
        return self.process is None or self.process.poll() is not None

    def signal_group(self, signum: int) -> None:
        # The child leads its session and group; members may outlive the leader.
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def terminate(self) -> None:
        if self.process is None:
            return
        if self.term_group:
            self.signal_group(signal.SIGTERM)
        elif not self.exited():
            self.process.send_signal(signal.SIGTERM)

    def wait(self, deadline: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(deadline - time.monotonic(), 0))
        except subprocess.TimeoutExpired:
            pass


def child_environment(*, port: int, environ: Mapping[str, str]) -> dict[str, str]:
    """The web server's and the worker's environment: links in e-mails and calendars (which
    the worker renders) point at this server's port, unless SITE_URL is set explicitly."""
    return {**environ, "SITE_URL": environ.get("SITE_URL") or f"http://127.0.0.1:{port}"}


class Command(BaseCommand):
    help = (
        "Serve the portal locally: runserver plus a Celery worker with embedded beat. Ctrl-C or TERM "
        "stops all of them, and nothing is left running."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port of the web server on 127.0.0.1.")
        parser.add_argument(
            "--stop-timeout", type=float, default=15.0, help="Seconds to wait for a clean stop before killing."
        )

    def handle(self, *args: Any, port: int, stop_timeout: float, **options: Any) -> None:
        manage = str(settings.BASE_DIR / "manage.py")
        env = child_environment(port=port, environ=os.environ)
        children = [
            Child(
                "worker",
                [sys.executable, "-m", "celery", "-A", "magok", "worker", "--beat", "--loglevel=INFO",
                 "--concurrency=2", "--schedule=var/celerybeat-schedule"],
                term_group=False,
                env=env,
            ),
            Child("web", [sys.executable, manage, "runserver", f"127.0.0.1:{port}"], term_group=True, env=env),
        ]  # fmt: skip
        self.stdout.write(f"Links in e-mails and calendars: {env['SITE_URL']}")
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        died: list[str] = []
        try:
            for child in children:
                child.start()
            while not stop.wait(0.3):
                died = [child.name for child in children if child.exited()]
                if died:
                    break
        finally:
            self._stop(children, stop_timeout)
        if died:
            raise CommandError(f"{', '.join(died)} stopped on its own; the others were stopped too")

    def _stop(self, children: list[Child], stop_timeout: float) -> None:
        for child in children:
            child.terminate()
        deadline = time.monotonic() + stop_timeout
        for child in children:
            child.wait(deadline)
        for child in children:
            if not child.exited():
                self.stderr.write(f"{child.name} did not stop within {stop_timeout:.0f}s; killing it")
            child.signal_group(signal.SIGKILL)
            if child.process is not None:
                child.process.wait()
        self.stdout.write("stopped: " + ", ".join(child.name for child in children))

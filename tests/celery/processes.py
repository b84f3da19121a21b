"""Real processes for the worker tests: a private Redis, an SMTP sink and Celery workers.

Each test gets its own Redis server on a free port, so stopping it (the outage test) does not
disturb tests running in parallel, and the worker only sees this test's messages.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import kombu.pools
import redis
from aiosmtpd.controller import Controller
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], *, timeout: float, interval: float = 0.1, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")


class PrivateRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)

        def up() -> bool:
            try:
                return bool(client.ping())
            except redis.ConnectionError:
                return False

        wait_for(up, timeout=10, what="redis-server")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


class HungRedis:
    """A server that accepts connections and never answers, as a Redis process stopped with
    SIGSTOP (or behind a stalled network) looks to its clients.

    Each connection is closed after ``give_up_after`` seconds, so that code without a socket
    timeout fails its test slowly instead of hanging the test run forever."""

    def __init__(self, give_up_after: float = 20.0) -> None:
        self.give_up_after = give_up_after
        self.server = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.server.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.connections: list[socket.socket] = []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        self.server.settimeout(0.1)
        while not self.stopped.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(connection)
            timer = threading.Timer(self.give_up_after, connection.close)
            timer.daemon = True
            timer.start()

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        self.server.close()
        for connection in self.connections:
            connection.close()


def use_broker(url: str) -> None:
    """Point this test process's Celery app (which publishes) at ``url``."""
    from magok.celery import app

    kombu.pools.reset()  # closes and forgets the pooled connections to the previous server
    # Keys set by Django settings are looked up with their CELERY_ prefix first.
    app.conf["CELERY_BROKER_URL"] = url
    app._after_fork()  # drops the cached connection and producer pools


@dataclass
class Received:
    to: tuple[str, ...]
    subject: str
    message_id: str = ""
    # The client's address and port: one per SMTP connection.
    peer: str = ""


class SinkHandler:
    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.messages: list[Received] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        # Counted as delivered as soon as the data is in, before the reply: a client killed
        # while waiting for "250" has still delivered (the worst case for duplicates).
        with self.lock:
            self.messages.append(
                Received(
                    to=tuple(envelope.rcpt_tos),
                    subject=str(message["subject"]),
                    message_id=str(message["message-id"]),
                    peer=str(session.peer),
                )
            )
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, delay: float = 0.0) -> None:
        self.port = free_port()
        self.handler = SinkHandler(delay)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.messages)

    def count_by_recipient(self) -> Counter[str]:
        return Counter(to for message in self.messages for to in message.to)


def worker_database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class Worker:
    """``celery -A magok worker`` against the test database, a private Redis and the sink."""

    concurrency = 2

    def __init__(self, *, redis_url: str, smtp_port: int, log_dir: Path) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "magok.settings",
            "DJANGO_ENV": "test",
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": redis_url,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_TIMEOUT": "2",
            # Short limits so a killed sender's claim goes stale within the test.
            "OUTBOX_SEND_TIME_LIMIT": "4",
            "OUTBOX_STALE_CLAIM_SECONDS": "5",
            "OUTBOX_SWEEP_AFTER_SECONDS": "1",
            "CELERY_TASK_TIME_LIMIT": "60",
            "CELERY_VISIBILITY_TIMEOUT": "120",
            "LOG_LEVEL": "WARNING",
        }
        self.env.pop("CELERY_BROKER_URL", None)
        self.log_dir = log_dir
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        self.log_path = self.log_dir / f"worker-{self.starts}.log"
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "magok",
                "worker",
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{uuid.uuid4().hex[:8]}@%h",
                "--logfile",
                str(self.log_path),
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: killpg reaches the pool children
        )
        wait_for(self._ready, timeout=40, interval=0.2, what="the Celery worker to be ready")

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"worker exited with {self.process.returncode}: {self.log()}")
        return self.log_path is not None and self.log_path.exists() and " ready." in self.log_path.read_text()

    def log(self) -> str:
        return self.log_path.read_text()[-3000:] if self.log_path and self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once, as a crash or OOM kill would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

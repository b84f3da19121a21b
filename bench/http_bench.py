#!/usr/bin/env python
"""The portal over real HTTP: pages against a bare view, a registration rush, a reminder fan-out.

    make bench                  # the large data set and the demo one, writes bench/RESULTS.md
    make bench SMOKE=1          # tiny data, a second per page: proves the harness still works
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/magok .venv/bin/python bench/http_bench.py \
        [--size large|demo|smoke] [--label NAME] [--server-env KEY=VALUE ...] [--app-dir DIR] \
        [--duration 4] [--rounds 2] [--connections 16] [--skip-rush] [--skip-fanout] [--keep]

One run:

1. creates a throwaway database next to DATABASE_URL's (bench/_db.py) and a private
   ``redis-server`` on a free port (cache and task broker), migrates, loads the demo data and,
   for ``--size large``, bulk-inserts 10,000 companies, 2,000 events and 200,000 registrations
   (bench/bulk_data.py; seconds, not minutes);
2. serves the portal with gunicorn under production settings (``DJANGO_ENV=production``,
   the workers and threads of gunicorn.conf.py unless ``--server-env`` says otherwise);
3. drives it with ``wrk`` (a separate process, ``--connections`` clients): for every page it
   alternates the bare view (``/livez``: ``{"ok": true}`` through the whole middleware stack)
   and the page, ``--rounds`` times ``--duration`` seconds each, and reports the page's
   requests per second as a share of the bare runs next to it, with p50 and p95;
4. the registration rush: 500 users (API tokens) POST a registration for ONE event of 100
   seats, 100 requests in flight; checks 100 confirmed / 400 waitlisted / 0 errors and one
   outbox e-mail per registration;
5. the reminder fan-out: 20,000 confirmed registrations whose reminder is due; ONE Celery worker
   (``--fanout-concurrency`` processes) plans and sends them through Redis to a local SMTP sink
   (aiosmtpd); the time until the last one arrived, and exactly one per registration;
6. writes the figures to ``bench/results/<label>.json`` and rebuilds ``bench/RESULTS.md`` from
   every JSON there (``--output`` writes elsewhere and leaves RESULTS.md alone: the smoke run).

``--app-dir`` serves another checkout of the code (an export of ``main``: the "before" figures);
its settings get the bare view added by bench/bench_urls.py when it has no ``/livez``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from _db import migrated_template, throwaway_database

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(ROOT))
RESULTS_DIR = BENCH_DIR / "results"
SECRET = "bench-" + "0" * 60

SIZES: dict[str, dict[str, int]] = {
    "smoke": dict(
        companies=0, events=0, registrations_per_event=0, rush_users=30, rush_capacity=6,
        reminder_events=2, reminder_per_event=25,
    ),
    "demo": dict(
        companies=0, events=0, registrations_per_event=0, rush_users=500, rush_capacity=100,
        reminder_events=200, reminder_per_event=100,
    ),
    "large": dict(
        companies=10_000, events=2_000, registrations_per_event=100, rush_users=500, rush_capacity=100,
        reminder_events=200, reminder_per_event=100,
    ),
}  # fmt: skip

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"socket_errors":%d,"non2xx":%d,'
    .. '"p50_us":%d,"p95_us":%d,"p99_us":%d}\\n', summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status, latency:percentile(50), latency:percentile(95),
    latency:percentile(99)))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out after {timeout}s waiting for {what}")


def answers(url: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


# --- Environment ------------------------------------------------------------------------


def server_environment(*, redis_url: str, extra: dict[str, str]) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "magok.settings",
        # The rush creates 500 registrations in seconds; the per-hour limits are not measured here.
        "AXES_ENABLED": "0",
        # One client address sends everything: the API limits are paid (counted) but never reached.
        "API_THROTTLE_ANON": "1000000/minute",
        "API_THROTTLE_USER": "1000000/minute",
    }
    env.update(extra)
    return env


class PrivateRedis:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait(self) -> None:
        import redis

        def up() -> bool:
            try:
                return bool(redis.Redis.from_url(self.url).ping())
            except redis.ConnectionError:
                return False

        wait_for(up, timeout=10, what="redis-server")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class Gunicorn:
    def __init__(self, *, env: dict[str, str], app_dir: Path, bare_path: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.bare_path = bare_path
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "magok.wsgi:application",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--chdir",
            str(app_dir),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--access-logfile",
            "/dev/null",
        ]
        if bare_path != "/livez":  # an older checkout: add the bare view (bench/bench_urls.py)
            env = {**env, "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": str(BENCH_DIR)}
        self.process = subprocess.Popen(command, env=env, cwd=app_dir)
        wait_for(lambda: answers(self.base + bare_path), timeout=60, what="gunicorn")

    def worker_rss_mb(self) -> list[float]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        sizes = []
        for pid in children:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(round(int(line.split()[1]) / 1024, 1))
        return sizes

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


# --- Pages --------------------------------------------------------------------------------


def wrk(url: str, *, seconds: float, connections: int, headers: dict[str, str], script: Path) -> dict[str, Any]:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{max(1, round(seconds))}s", "--timeout", "10s"]
    command += ["-s", str(script)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"WRKJSON (\{.*\})", output)
    if match is None:
        raise SystemExit(f"wrk gave no figures for {url}:\n{output}")
    data = json.loads(match.group(1))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def drain(server: Gunicorn, headers: dict[str, str]) -> None:
    """Wait until the requests wrk left behind are answered: the accept queue is served in order,
    so once a request sent now is answered, the previous run no longer takes the workers' time."""
    import urllib.request

    request = urllib.request.Request(server.base + server.bare_path)
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()


def measure_pages(
    server: Gunicorn, pages: list[tuple[str, str, dict[str, str]]], *, seconds: float, rounds: int, connections: int
) -> list[dict[str, Any]]:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(WRK_SCRIPT)
    results = []
    try:
        # Warm up: the first requests of a worker import and compile templates.
        for _, path, headers in pages:
            wrk(server.base + path, seconds=1, connections=2, headers=headers, script=script)
        for name, path, headers in pages:
            bare_runs, page_runs = [], []
            for _ in range(rounds):
                drain(server, headers)
                bare_runs.append(
                    wrk(server.base + server.bare_path, seconds=seconds, connections=connections, headers=headers,
                        script=script)
                )  # fmt: skip
                drain(server, headers)
                page_runs.append(
                    wrk(server.base + path, seconds=seconds, connections=connections, headers=headers, script=script)
                )
            bare_rps = statistics.mean(r["rps"] for r in bare_runs)
            page_rps = statistics.mean(r["rps"] for r in page_runs)
            row = {
                "page": name,
                "path": path,
                "signed_in": "Cookie" in headers or "Authorization" in headers,
                "bare_rps": round(bare_rps, 1),
                "rps": round(page_rps, 1),
                "percent_of_bare": round(100 * page_rps / bare_rps, 1) if bare_rps else 0.0,
                "p50_ms": round(statistics.median(r["p50_us"] for r in page_runs) / 1000, 1),
                "p95_ms": round(max(r["p95_us"] for r in page_runs) / 1000, 1),
                "errors": sum(r["non2xx"] + r["socket_errors"] for r in page_runs),
            }
            log(
                f"{name:<34} {row['rps']:8.1f} req/s {row['percent_of_bare']:5.1f}% of bare "
                f"({row['bare_rps']:.0f}) p50 {row['p50_ms']} ms p95 {row['p95_ms']} ms errors {row['errors']}"
            )
            results.append(row)
    finally:
        script.unlink()
    return results


def page_list(data: Any, *, session_cookie: str, token: str) -> list[tuple[str, str, dict[str, str]]]:
    from django.utils import timezone

    month = timezone.localdate().strftime("%Y-%m")
    anonymous: dict[str, str] = {}
    cookie = {"Cookie": f"sessionid={session_cookie}"}
    api_token = {"Authorization": f"Token {token}"}
    return [
        ("home", "/", anonymous),
        ("directory", "/companies/", anonymous),
        ("directory search 로보", "/companies/?q=%EB%A1%9C%EB%B3%B4", anonymous),
        ("directory search 로", "/companies/?q=%EB%A1%9C", anonymous),
        ("company page", f"/companies/{data.company_slug}/", anonymous),
        ("event list", "/events/", anonymous),
        ("event calendar", f"/events/calendar/?month={month}", anonymous),
        ("event page", f"/events/{data.detail_event_id}/", anonymous),
        ("programmes", "/programs/", anonymous),
        ("feed.ics", "/events/feed.ics", anonymous),
        ("API events (anonymous)", "/api/v1/events/", anonymous),
        ("API companies (anonymous)", "/api/v1/companies/", anonymous),
        ("signed in: home", "/", cookie),
        ("signed in: directory", "/companies/", cookie),
        ("signed in: event list", "/events/", cookie),
        ("signed in: event page", f"/events/{data.detail_event_id}/", cookie),
        ("signed in: my registrations", "/events/my/", cookie),
        ("API events (token)", "/api/v1/events/", api_token),
        ("API companies (token)", "/api/v1/companies/", api_token),
        ("API my registrations (token)", "/api/v1/registrations/", api_token),
    ]


# --- Registration rush ----------------------------------------------------------------------


def registration_rush(server: Gunicorn, data: Any, *, in_flight: int) -> dict[str, Any]:
    import http.client

    from django.db.models import Count

    from events.models import Registration
    from notifications.models import OutboundEmail

    def register(token: str) -> tuple[int, float]:
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
        try:
            connection.request(
                "POST",
                f"/api/v1/events/{data.rush_event_id}/registrations/",
                body=json.dumps({"consent": True}),
                headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
            )
            status = connection.getresponse().status
        except OSError:
            status = 0
        finally:
            connection.close()
        return status, time.perf_counter() - started

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=in_flight) as pool:
        outcomes = list(pool.map(register, data.rush_tokens))
    wall = time.perf_counter() - started
    latencies = sorted(seconds for _, seconds in outcomes)
    statuses = Counter(status for status, _ in outcomes)
    rows = Registration.objects.filter(event_id=data.rush_event_id)
    by_status = dict(rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    emails = list(rows.values_list("email", flat=True))
    outbox = Counter(OutboundEmail.objects.filter(to__in=emails).values_list("to", flat=True))
    result = {
        "users": len(data.rush_tokens),
        "in_flight": in_flight,
        "seconds": round(wall, 2),
        "per_second": round(len(outcomes) / wall, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000),
        "statuses": {str(k): v for k, v in statuses.items()},
        "confirmed": by_status.get(Registration.Status.CONFIRMED, 0),
        "waitlisted": by_status.get(Registration.Status.WAITLISTED, 0),
        "errors": sum(n for status, n in statuses.items() if status != 201),
        "duplicates": len(emails) - len(set(emails)),
        "outbox_emails": sum(outbox.values()),
        "registrations_without_exactly_one_email": sum(1 for e in emails if outbox.get(e, 0) != 1),
    }
    log(f"rush: {result}")
    return result


# --- Reminder fan-out -------------------------------------------------------------------


class SmtpSink:
    """Counts the messages per recipient (aiosmtpd in a thread of this process)."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.received: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.port = free_port()
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                with sink.lock:
                    for recipient in envelope.rcpt_tos:
                        sink.received[recipient.lower()] += 1
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def count(self, prefix: str) -> int:
        with self.lock:
            return sum(n for address, n in self.received.items() if address.startswith(prefix))

    def stop(self) -> None:
        self.controller.stop()


def reminder_fanout(
    env: dict[str, str], data: Any, *, app_dir: Path, concurrency: int, timeout: float
) -> dict[str, Any]:
    from events.models import Registration

    sink = SmtpSink()
    worker_env = {
        **env,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
    }
    worker = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "celery"), "-A", "magok", "worker", "--loglevel=WARNING",
            f"--concurrency={concurrency}", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-n", f"bench-{os.getpid()}@%h",
        ],
        env=worker_env,
        cwd=app_dir,
    )  # fmt: skip
    try:
        from magok.celery import app

        wait_for(lambda: bool(app.control.ping(timeout=1)), timeout=90, what="the Celery worker")
        expected = data.reminder_registrations
        started = time.perf_counter()
        app.send_task("events.tasks.send_due_reminders")
        first_at = None
        while sink.count("reminder-") < expected and time.perf_counter() - started < timeout:
            if first_at is None and sink.count("reminder-"):
                first_at = time.perf_counter() - started
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        time.sleep(2)  # anything sent twice arrives now
        emails = set(
            Registration.objects.filter(email__startswith="reminder-", status="confirmed").values_list(
                "email", flat=True
            )
        )
        with sink.lock:
            received = {address: n for address, n in sink.received.items() if address.startswith("reminder-")}
        result = {
            "reminders_due": expected,
            "worker_concurrency": concurrency,
            "received": sum(received.values()),
            "seconds": round(seconds, 2),
            # Planning the reminders of every live registration comes before the first e-mail.
            "first_email_after_s": round(first_at, 2) if first_at is not None else None,
            "per_second": round(sum(received.values()) / seconds, 1),
            "registrations_without_exactly_one": sum(1 for e in emails if received.get(e, 0) != 1),
            "registrations_with_more_than_one": sum(1 for n in received.values() if n > 1),
            "timed_out": sum(received.values()) < expected,
            "unexpected_recipients": len(set(received) - emails),
        }
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        sink.stop()
    log(f"fan-out: {result}")
    return result


# --- Report ---------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    from django.db import connection

    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (postgres,) = cursor.fetchone()

    def version(command: list[str]) -> str:
        try:
            result = subprocess.run(command, capture_output=True, text=True)
            return (result.stdout or result.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"

    import django
    import gunicorn

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(memory) / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgresql": postgres,
        "redis": version(["redis-server", "--version"]),
        "wrk": version(["wrk", "-v"]),
    }


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def build_data(size: str) -> Any:
    from bulk_data import build
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)  # nothing to do on a copy of the template
    migrated = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", stdout=quiet)
    demo = time.perf_counter()
    data = build(**SIZES[size])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # autocommit here: the planner sees the new rows
    built = time.perf_counter()
    timings = {
        "migrate_s": round(migrated - started, 1),
        "demo_s": round(demo - migrated, 1),
        "bulk_s": round(built - demo, 1),
    }
    log(
        f"data: {data.companies} companies, {data.events} events, {data.registrations} registrations "
        f"({timings})"
    )
    return data, timings


def session_cookie_for(email: str) -> str:
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return str(client.cookies["sessionid"].value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument("--smoke", action="store_true", help="tiny data, 1 s per page: the harness still works")
    parser.add_argument("--label", help="name of this run in RESULTS.md (default: after-<size>)")
    parser.add_argument("--server-env", action="append", default=[], help="KEY=VALUE for the server, repeatable")
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout to serve (default: this one)")
    parser.add_argument("--duration", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rush-in-flight", type=int, default=100)
    parser.add_argument("--fanout-concurrency", type=int, default=4)
    parser.add_argument("--fanout-timeout", type=float, default=600, help="stop waiting for e-mails after this")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-rush", action="store_true")
    parser.add_argument("--skip-fanout", action="store_true")
    parser.add_argument("--output", type=Path, help="write the JSON here and leave RESULTS.md alone")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    if args.smoke:
        args.size, args.duration, args.rounds = "smoke", 1.0, 1
        args.rush_in_flight = min(args.rush_in_flight, 10)
        args.fanout_concurrency = min(args.fanout_concurrency, 2)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    label = args.label or f"after-{args.size}"
    extra = dict(item.split("=", 1) for item in args.server_env)
    bare_path = "/livez" if (args.app_dir / "magok" / "health.py").read_text().count("def livez") else "/bench/bare"

    redis = PrivateRedis()
    try:
        redis.wait()
        def migrate(url: str) -> None:
            log("migrating a template database (once per set of migrations)")
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=ROOT, env={**os.environ, "DJANGO_ENV": "test", "DATABASE_URL": url}, check=True,
            )  # fmt: skip

        template = migrated_template(os.environ.get("DATABASE_URL", ""), migrate=migrate)
        with throwaway_database(keep=args.keep, template=template):
            env = server_environment(redis_url=redis.url, extra=extra)
            os.environ.update({k: v for k, v in env.items() if k not in ("PYTHONPATH",)})
            os.environ["DB_CONN_MAX_AGE"] = "0"  # the bench process's own connection
            import django

            django.setup()
            if args.app_dir == ROOT:
                collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
                subprocess.run(collect, cwd=ROOT, env=env, check=True)
            else:
                subprocess.run(
                    [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
                    cwd=args.app_dir, env=env, check=True,
                )  # fmt: skip
            data, timings = build_data(args.size)
            report: dict[str, Any] = {
                "label": label,
                "size": args.size,
                "data": {"companies": data.companies, "events": data.events, "registrations": data.registrations},
                "build": timings,
                "server_env": extra,
                "app_dir": str(args.app_dir),
                "connections": args.connections,
                "duration_s": args.duration,
                "rounds": args.rounds,
                "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "load_average_start": load_average(),
                "machine": machine(),
            }
            if not args.skip_fanout:
                report["fanout"] = reminder_fanout(
                    env, data, app_dir=args.app_dir, concurrency=args.fanout_concurrency, timeout=args.fanout_timeout
                )
            server = Gunicorn(env=env, app_dir=args.app_dir, bare_path=bare_path)
            try:
                if not args.skip_pages:
                    cookie = session_cookie_for(data.member_email)
                    pages = page_list(data, session_cookie=cookie, token=data.rush_tokens[0])
                    report["pages"] = measure_pages(
                        server, pages, seconds=args.duration, rounds=args.rounds, connections=args.connections
                    )
                if not args.skip_rush:
                    report["rush"] = registration_rush(server, data, in_flight=args.rush_in_flight)
                report["worker_rss_mb"] = server.worker_rss_mb()
            finally:
                server.stop()
            report["load_average_end"] = load_average()
            from django.db import connections

            connections.close_all()
    finally:
        redis.stop()
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False))
        log(f"wrote {args.output}")
    else:
        RESULTS_DIR.mkdir(exist_ok=True)
        (RESULTS_DIR / f"{label}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
        from results_table import write_results

        write_results(RESULTS_DIR, BENCH_DIR / "RESULTS.md")
        log(f"wrote {RESULTS_DIR / (label + '.json')} and bench/RESULTS.md")
    failures = check(report)
    if failures:
        raise SystemExit("benchmark invariants failed: " + "; ".join(failures))


def check(report: dict[str, Any]) -> list[str]:
    """What must hold in every run, smoke included (speed targets are reported, not enforced)."""
    failures = []
    for row in report.get("pages", []):
        if row["errors"]:
            failures.append(f"{row['page']}: {row['errors']} failed requests")
    rush = report.get("rush")
    if rush:
        seats = SIZES[report["size"]]["rush_capacity"]
        if (rush["confirmed"], rush["waitlisted"], rush["errors"]) != (seats, rush["users"] - seats, 0):
            failures.append(
                f"rush: {rush['confirmed']} confirmed, {rush['waitlisted']} waitlisted, {rush['errors']} errors"
            )
        if rush["duplicates"] or rush["registrations_without_exactly_one_email"]:
            failures.append("rush: duplicate registrations or e-mails")
    fanout = report.get("fanout")
    # A fan-out stopped by --fanout-timeout reports its rate so far; one that finished must have
    # sent exactly one e-mail per registration, and none may ever be doubled.
    if fanout and (
        fanout["registrations_with_more_than_one"]
        or fanout["unexpected_recipients"]
        or (not fanout["timed_out"] and fanout["registrations_without_exactly_one"])
    ):
        failures.append(f"fan-out: {fanout['received']} of {fanout['reminders_due']} reminders, not one each")
    return failures


if __name__ == "__main__":
    main()

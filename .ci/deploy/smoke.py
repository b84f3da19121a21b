"""The smoke test of make deploy-check (.ci/deploy/check.sh sets the environment).

Brings up docker-compose.yml with podman-compose and checks, through HAProxy's published port:
/healthz, the directory, an event page, the API; a tenant logs in, registers and uploads a logo;
the confirmation e-mail reaches the SMTP sink exactly once via the worker; beat schedules the
periodic tasks (one beat); a worker killed mid-batch loses no e-mail; a PostgreSQL restart costs
at most the requests in flight; data survives down/up; backup and restore (into emptied volumes);
then the scale-out override: two web containers and two workers behind HAProxy, with sessions,
rate limits and the outbox shared. Prints the figures the README quotes. Standard library only.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import ssl
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zlib
from html.parser import HTMLParser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROJECT = os.environ["COMPOSE_PROJECT_NAME"]
COMPOSE = [os.environ["PODMAN_COMPOSE"], "-f", "docker-compose.yml", "-f", ".ci/deploy/docker-compose.ci.yml"]
SCALE = [*COMPOSE, "-f", "docker-compose.scale.yml"]
BASE = f"https://localhost:{os.environ['HTTPS_PORT']}"
SINK = f"http://127.0.0.1:{os.environ['SMTP_SINK_PORT']}/messages"
SSL = ssl.create_default_context(cafile=os.environ["CA_FILE"])
TENANT = ("ceo@robotis.example.kr", "magok-demo-2027")
FIGURES: dict[str, object] = {}
T0 = time.monotonic()


def log(message: str) -> None:
    print(f"[smoke +{time.monotonic() - T0:5.0f}s] {message}", flush=True)


def check(condition: object, message: str) -> None:
    if not condition:
        raise AssertionError(message)
    log(f"ok: {message}")


def run(*args: str, check_rc: bool = True, timeout: float = 600, quiet: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if check_rc and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    if not quiet:
        print(result.stdout, end="")
    return result


def wait_for(what: str, predicate, timeout: float, interval: float = 1.0):
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
        except Exception as exc:  # noqa: BLE001 - keep waiting, report the last failure
            last = exc
        else:
            if last:
                return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last: {last!r})")


# --- containers ------------------------------------------------------------------------
def containers(service: str, running_only: bool = True) -> list[str]:
    args = [
        "podman",
        "ps",
        "--format",
        "{{.Names}}",
        "--filter",
        f"label=io.podman.compose.project={PROJECT}",
        "--filter",
        f"label=com.docker.compose.service={service}",
    ]
    if not running_only:
        args.insert(2, "-a")
    return sorted(run(*args).stdout.split())


def container(service: str) -> str:
    names = containers(service, running_only=False)
    if len(names) != 1:
        raise AssertionError(f"expected one {service} container, found {names}")
    return names[0]


def psql(sql: str) -> str:
    return run(
        "podman", "exec", container("postgres"), "psql", "-U", "magok", "-d", "magok", "-tAc", sql
    ).stdout.strip()


def manage(*args: str, service: str = "web") -> str:
    return run("podman", "exec", container(service), "python", "manage.py", *args).stdout


def up(files: list[str]) -> None:
    """podman-compose 1.x with podman 4.3 does not wait for service_healthy or
    service_completed_successfully: start in the order the compose file describes, waiting here."""
    started = time.monotonic()
    run(*files, "up", "-d", "--no-build", "postgres", "redis", "smtp")
    wait_for(
        "postgres",
        lambda: run(
            "podman", "exec", container("postgres"), "pg_isready", "-U", "magok", "-d", "magok", check_rc=False
        ).returncode
        == 0,
        120,
    )
    wait_for(
        "redis",
        lambda: run("podman", "exec", container("redis"), "redis-cli", "ping", check_rc=False).stdout.strip() == "PONG",
        60,
    )
    run(*files, "up", "-d", "--no-build", "--no-deps", "migrate")
    code = run("podman", "wait", container("migrate"), timeout=600).stdout.strip()
    if code != "0":
        print(run("podman", "logs", container("migrate"), check_rc=False).stderr[-3000:])
    check(code == "0", "migrate ran (migrations, periodic tasks) and exited 0")
    # migrate has run: start the rest without starting it again.
    services = ["web", "worker", "beat", "lb"] + (["web2", "worker2"] if files == SCALE else [])
    run(*files, "up", "-d", "--no-build", "--no-deps", *services)
    wait_for("/healthz through the balancer", lambda: get(Session(), "/healthz").status == 200, 240, interval=2)
    # /healthz is answered by the web container directly (HealthzMiddleware); the balancer sends
    # other requests only once its own health check has marked the web container(s) up.
    wait_for("a page through the balancer", lambda: get(Session(), "/accounts/login/").status == 200, 120, interval=2)
    FIGURES.setdefault("up_seconds", []).append(round(time.monotonic() - started))  # type: ignore[union-attr]


def down(files: list[str], volumes: bool = False) -> None:
    run(*files, "down", "-t", "10", *(["-v"] if volumes else []))


# --- HTTP ------------------------------------------------------------------------------
class Response:
    def __init__(self, status: int, headers, body: bytes, url: str) -> None:
        self.status, self.headers, self.body, self.url = status, headers, body, url

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


class Session:
    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=SSL), urllib.request.HTTPCookieProcessor(self.jar)
        )

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")


def get(session: Session, path: str, headers: dict[str, str] | None = None, timeout: float = 30) -> Response:
    return request(session, "GET", path, None, headers or {}, timeout)


def request(
    session: Session, method: str, path: str, body: bytes | None, headers: dict[str, str], timeout: float = 30
) -> Response:
    url = path if path.startswith("http") else BASE + path
    req = urllib.request.Request(url, data=body, method=method, headers={"Accept-Language": "ko", **headers})
    try:
        with session.opener.open(req, timeout=timeout) as resp:
            return Response(resp.status, resp.headers, resp.read(), resp.url)
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers, error.read(), url)


class FormParser(HTMLParser):
    """The fields of the forms of a page, as a browser would submit them untouched."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {
                    "action": a.get("action", ""),
                    "method": a.get("method", "get").lower(),
                    "fields": [],
                    "enctype": a.get("enctype", ""),
                }
            )
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind in {"submit", "file", "button", "image"}:
                return
            self.forms[-1]["fields"].append((a["name"], a.get("value", "on" if kind in {"checkbox", "radio"} else "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.forms[-1]["fields"].append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.forms[-1]["fields"].append((self._textarea, ""))

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            name, value = self.forms[-1]["fields"][-1]
            self.forms[-1]["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_on(page: Response, marker: str) -> dict:
    parser = FormParser()
    parser.feed(page.text)
    for form in parser.forms:
        if form["method"] == "post" and any(marker == name for name, _ in form["fields"]):
            return form
    raise AssertionError(f"no POST form with a field {marker!r} on {page.url} (status {page.status})")


def submit(
    session: Session,
    page: Response,
    form: dict,
    values: dict[str, str],
    files: dict[str, tuple[str, str, bytes]] | None = None,
) -> Response:
    fields = [(k, v) for k, v in form["fields"] if k not in values] + list(values.items())
    action = urllib.parse.urljoin(page.url, form["action"] or page.url)
    headers = {"Referer": page.url, "X-CSRFToken": session.csrf()}
    if files:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content_type, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        body = b"".join(parts)
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    else:
        body = urllib.parse.urlencode(fields).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    return request(session, "POST", action, body, headers)


def login(session: Session, email: str, password: str) -> Response:
    page = get(session, "/accounts/login/")
    return submit(session, page, form_on(page, "username"), {"username": email, "password": password})


def png(width: int = 64, height: int = 64) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(
        b"\x00" + b"".join(bytes((x * 4 % 256, y * 4 % 256, 128)) for x in range(width)) for y in range(height)
    )
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def sink() -> list[dict]:
    with urllib.request.urlopen(SINK, timeout=10) as resp:
        return json.loads(resp.read())


# --- the checks ------------------------------------------------------------------------
def check_pages() -> dict:
    s = Session()
    health = get(s, "/healthz")
    check(
        health.status == 200 and health.json()["status"] == "ok" and set(health.json()["checks"].values()) == {"ok"},
        f"/healthz 200 with every check ok: {health.json()}",
    )
    redirect = urllib.request.build_opener(NoRedirect()).open
    try:
        redirect(f"http://localhost:{os.environ['HTTP_PORT']}/companies/", timeout=10)
        status = 200
    except urllib.error.HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
    check(status == 301 and location.startswith("https://"), "plain HTTP is redirected to HTTPS by the balancer")
    timings = {}
    for path in ("/", "/companies/", "/events/", "/api/v1/companies/", "/api/v1/events/", "/api/schema/"):
        started = time.monotonic()
        response = get(s, path)
        timings[path] = round((time.monotonic() - started) * 1000)
        check(response.status == 200, f"GET {path} answers 200 ({timings[path]} ms)")
    events = get(s, "/api/v1/events/").json()
    results = events["results"] if isinstance(events, dict) else events
    check(results, "the API lists events")
    event_page = get(s, f"/events/{results[0]['id']}/")
    title = results[0]["title_ko"]
    check(event_page.status == 200 and title in event_page.text, "an event page answers with its title")
    static = re.search(r'(/static/[^"]+\.css)', get(s, "/").text)
    check(
        static and re.search(r"\.[0-9a-f]{12}\.css$", static.group(1)),
        f"static files have hashed names ({static and static.group(1)})",
    )
    css = get(s, static.group(1), headers={"Accept-Encoding": "gzip"})
    check(
        css.status == 200
        and css.headers.get("Content-Encoding") == "gzip"
        and "max-age=315360000" in css.headers.get("Cache-Control", ""),
        "WhiteNoise serves them compressed with a far-future cache",
    )
    big = request(s, "POST", "/accounts/login/", b"", {"Content-Length": str(65 * 1024 * 1024)}, timeout=10)
    check(big.status == 413, f"a request declaring 65 MiB is refused by the balancer with 413 (got {big.status})")
    FIGURES["page_ms"] = timings
    return {"events": results}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def register_and_upload(events: list[dict]) -> dict:
    s = Session()
    response = login(s, *TENANT)
    check(response.status == 200 and "/accounts/login/" not in response.url, f"the tenant logs in ({response.url})")
    registered = None
    for event in events:
        page = get(s, f"/events/{event['id']}/register/")
        if page.status != 200 or "/register/" not in page.url:
            continue
        try:
            form = form_on(page, "colleagues-TOTAL_FORMS")
        except AssertionError:
            continue
        values = {"consent": "on"} if 'name="consent"' in page.text else {}
        values |= {"include_self": "on"} if 'name="include_self"' in page.text else {}
        result = submit(s, page, form, values)
        if result.status == 200 and "/registered/" in result.url:
            registered = event
            registered["registered_at"] = time.monotonic()
            break
    check(registered, f"the tenant registered for an event ({registered and registered['title_ko']})")
    page = get(s, "/companies/my/edit/")
    check(page.status == 200, "the company profile form answers")
    logo = png()
    result = submit(s, page, form_on(page, "name_en"), {}, files={"logo": ("smoke.png", "image/png", logo)})
    check(
        result.status == 200 and "/edit/" in result.url and "errorlist" not in result.text,
        f"the logo upload is accepted as a change request ({result.status} {result.url})",
    )
    url = re.search(r'(/media/logos/[^"]+)', result.text)
    check(url, "the profile page shows the uploaded (pending) logo")
    served = get(s, url.group(1))
    check(
        served.status == 200 and served.body[:8] == b"\x89PNG\r\n\x1a\n",
        "the logo is served back from the media volume",
    )
    owner = run("podman", "exec", container("web"), "stat", "-c", "%u", "/data/media/logos").stdout.strip()
    check(owner == "1000", f"/data/media on the volume belongs to the app's uid 1000 ({owner})")
    return {
        "event": registered,
        "logo_url": url.group(1),
        "registration_count": int(psql(f"SELECT count(*) FROM events_registration WHERE email = '{TENANT[0]}'") or 0),
    }


def check_confirmation_email(state: dict) -> None:
    title = state["event"]["title_ko"]

    def arrived() -> list[dict]:
        return [m for m in sink() if TENANT[0] in m["to"] and title in m["subject"]]

    messages = wait_for("the confirmation e-mail at the SMTP sink", arrived, 120, interval=0.2)
    FIGURES["confirmation_email_seconds"] = round(time.monotonic() - state["event"]["registered_at"], 1)
    wait_for(
        "the outbox row to be marked sent",
        lambda: psql(
            f"SELECT count(*) FROM notifications_outboundemail WHERE \"to\" = '{TENANT[0]}' AND status <> 'sent'"
        )
        == "0",
        60,
    )
    time.sleep(3)
    messages = arrived()
    check(
        len(messages) == 1,
        f"the confirmation e-mail arrived exactly once ({len(messages)}: {messages[0]['subject']!r})",
    )
    worker_log = run("podman", "logs", container("worker"), check_rc=False)
    check(
        re.search(r"Task notifications\.tasks\.send_email\[[^\]]+\] succeeded", worker_log.stdout + worker_log.stderr),
        "the worker container sent it (send_email in its log)",
    )


def check_beat() -> None:
    check(len(containers("beat")) == 1, "exactly one beat container runs")
    total = wait_for(
        "beat to send a periodic task",
        lambda: int(
            psql(
                "SELECT coalesce(sum(total_run_count), 0) FROM django_celery_beat_periodictask "
                "WHERE task <> 'celery.backend_cleanup'"
            )
            or 0
        )
        > 0
        and psql(
            "SELECT string_agg(task || '=' || total_run_count, ', ') FROM "
            "django_celery_beat_periodictask WHERE total_run_count > 0"
        ),
        200,
        interval=5,
    )
    check(total, f"beat scheduled periodic tasks (runs recorded by DatabaseScheduler: {total})")


QUEUE_BATCH = """
import contextlib
import sys
from django.db import transaction
from notifications.services import email_queue
from events.models import Registration
registration = Registration.objects.select_related("event").order_by("pk").first()
tag = sys.argv[-1]
# In one transaction, as a fan-out queues them, nothing is sent before the commit and the
# workers get them in chunks (send_emails); otherwise each is its own send_email task.
with transaction.atomic() if {atomic} else contextlib.nullcontext():
    for i in range({n}):
        email_queue(to=f"batch{{i}}@example.kr", template="events/emails/event_message",
                    context={{"event": registration.event, "registration": registration,
                              "subject": f"{{tag}} {{i:04d}}", "body": "smoke"}})
print("queued")
"""


def queue_batch(tag: str, n: int, service: str = "web", *, atomic: bool = False) -> None:
    run(
        "podman",
        "exec",
        container(service),
        "python",
        "manage.py",
        "shell",
        "-c",
        QUEUE_BATCH.format(n=n, atomic=atomic).replace("sys.argv[-1]", repr(tag)),
    )


def batch_received(tag: str) -> list[str]:
    return [m["subject"] for m in sink() if f"{tag} " in m["subject"]]


def check_worker_kill() -> None:
    # Large enough that a fast worker (several hundred e-mails a second over one SMTP connection)
    # is still mid-batch when the kill lands: 150 were all sent before it on a fast CI machine.
    n = 2000
    tag = f"killbatch-{uuid.uuid4().hex[:6]}"
    worker = container("worker")
    queue_batch(tag, n, atomic=True)
    wait_for("the worker to be mid-batch", lambda: len(batch_received(tag)) >= 3, 60, interval=0.05)
    run("podman", "kill", worker)
    at_kill = len(set(batch_received(tag)))
    check(at_kill < n, f"the worker was killed mid-batch ({at_kill} of {n} sent)")
    started = time.monotonic()
    run("podman", "start", worker)
    got = wait_for(f"all {n} e-mails of the batch", lambda: len(set(batch_received(tag))) == n, 400, interval=2)
    seconds = round(time.monotonic() - started)
    received = batch_received(tag)
    duplicates = len(received) - len(set(received))
    check(
        got,
        f"after the kill and a restart every e-mail arrived: {n} distinct of {n} in {seconds}s, "
        f"{duplicates} sent twice (the ones in flight when killed)",
    )
    # A sender killed after the SMTP server accepted its e-mail leaves the row "sending": the
    # sweeper sends it again once the claim is stale (at-least-once), so wait for that too.
    wait_for(
        "every outbox row of the batch to be marked sent",
        lambda: psql(
            f"SELECT count(*) FROM notifications_outboundemail WHERE subject LIKE '%{tag}%' AND status <> 'sent'"
        )
        == "0",
        300,
        interval=3,
    )
    received = batch_received(tag)
    duplicates = len(received) - len(set(received))
    log(f"ok: every outbox row of the batch is marked sent; {duplicates} e-mails were sent twice")
    FIGURES["worker_kill"] = {
        "batch": n,
        "sent_before_kill": at_kill,
        "all_sent_after_restart_s": seconds,
        "duplicates": duplicates,
    }


def check_postgres_restart() -> None:
    results: list[tuple[float, int]] = []
    stop = threading.Event()

    def load() -> None:
        s = Session()
        while not stop.is_set():
            started = time.monotonic()
            try:
                status = get(s, "/companies/", timeout=30).status
            except Exception:  # noqa: BLE001 - a dropped connection counts as a failure
                status = 0
            results.append((started, status))

    threads = [threading.Thread(target=load) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(3)
    restart_at = time.monotonic()
    run("podman", "restart", "-t", "10", container("postgres"))
    wait_for(
        "postgres back",
        lambda: run("podman", "exec", container("postgres"), "pg_isready", "-U", "magok", check_rc=False).returncode
        == 0,
        60,
        interval=0.2,
    )
    back_at = time.monotonic()
    time.sleep(5)
    stop.set()
    for t in threads:
        t.join()
    before = [r for r in results if r[0] < restart_at]
    during = [r for r in results if restart_at <= r[0] < back_at]
    after = [r for r in results if r[0] >= back_at]
    failed_during = sum(1 for _, s in during if s != 200)
    check(all(s == 200 for _, s in before), f"{len(before)} requests before the restart all answered 200")
    check(
        after and all(s == 200 for _, s in after),
        f"{len(after)} requests after PostgreSQL was back all answered 200 (kept connections reconnected)",
    )
    FIGURES["postgres_restart"] = {
        "down_s": round(back_at - restart_at, 1),
        "requests_during": len(during),
        "failed_during": failed_during,
        "requests_after": len(after),
    }
    log(
        f"figure: PostgreSQL restart took {back_at - restart_at:.1f}s; {failed_during} of {len(during)} requests "
        "started meanwhile failed; none after"
    )


def check_data(state: dict, when: str) -> None:
    s = Session()
    login(s, *TENANT)
    mine = get(s, "/events/my/")
    check(mine.status == 200 and state["event"]["title_ko"] in mine.text, f"{when}: the registration is still there")
    check(get(s, state["logo_url"]).status == 200, f"{when}: the uploaded logo is still served")


def backup_and_restore(state: dict) -> None:
    backup_dir = os.environ["BACKUP_DIR"]
    env = {**os.environ, "COMPOSE": " ".join(COMPOSE)}
    started = time.monotonic()
    subprocess.run(["deploy/backup.sh", backup_dir], cwd=ROOT, env=env, check=True)
    FIGURES["backup_s"] = round(time.monotonic() - started, 1)
    files = sorted(os.listdir(backup_dir))
    check(
        any(f.endswith(".dump") for f in files) and any(f.endswith(".tar.gz") for f in files),
        f"backup written: {files}",
    )
    down(COMPOSE, volumes=True)
    log("volumes removed (down -v): restoring into an empty stack")
    started = time.monotonic()
    subprocess.run(["deploy/restore.sh", backup_dir], cwd=ROOT, env=env, check=True)
    FIGURES["restore_s"] = round(time.monotonic() - started, 1)
    up(COMPOSE)
    check_data(state, "after restoring the backup into emptied volumes")
    count = int(psql(f"SELECT count(*) FROM events_registration WHERE email = '{TENANT[0]}'") or 0)
    check(count == state["registration_count"], f"the restored database has the tenant's {count} registration(s)")


def check_scale_out() -> None:
    # As an operator scales a running site: add web2 and worker2; HAProxy finds web2 by name.
    started = time.monotonic()
    run(*SCALE, "up", "-d", "--no-build", "--no-deps", "web2", "worker2")
    check(len(containers("web")) == 1 and len(containers("web2")) == 1, "two web containers run")
    check(len(containers("worker")) == 1 and len(containers("worker2")) == 1, "two workers run")
    check(len(containers("beat")) == 1, "still exactly one beat")
    wait_for(
        "the balancer to see both web containers",
        lambda: {get(Session(), "/healthz").headers.get("X-Served-By") for _ in range(4)} == {"web", "web2"},
        300,
        interval=2,
    )
    FIGURES["scale_out_s"] = round(time.monotonic() - started)
    # Sessions: logged in through one container, known by the other.
    s = Session()
    login(s, *TENANT)
    served = {}
    for _ in range(8):
        response = get(s, "/accounts/profile/")
        served.setdefault(response.headers.get("X-Served-By"), []).append(
            response.status == 200 and "/accounts/login/" not in response.url
        )
    check(
        set(served) == {"web", "web2"} and all(all(v) for v in served.values()),
        f"one session is logged in on both web containers ({ {k: len(v) for k, v in served.items()} })",
    )
    # Outbox: e-mails queued on both, sent by both workers, each exactly once.
    tag = f"scalebatch-{uuid.uuid4().hex[:6]}"
    queue_batch(tag + "a", 20, service="web")
    queue_batch(tag + "b", 20, service="web2")
    wait_for(
        "40 e-mails queued on both web containers",
        lambda: len(batch_received(tag + "a")) == 20 and len(batch_received(tag + "b")) == 20,
        180,
        interval=2,
    )
    time.sleep(3)
    received = [m for m in sink() if tag in m["subject"]]
    check(
        len(received) == 40 == len({m["subject"] for m in received}),
        "40 e-mails from both web containers arrived exactly once",
    )
    logs = {w: run("podman", "logs", container(w), check_rc=False) for w in ("worker", "worker2")}
    counts = {
        w: len(re.findall(r"Task notifications\.tasks\.send_email\[[^\]]+\] succeeded", r.stdout + r.stderr))
        for w, r in logs.items()
    }
    check(all(counts.values()), f"both workers sent e-mails ({counts} send_email log lines)")
    # Rate limits: the login throttle (django-axes, in PostgreSQL) counts failures on both web containers.
    s = Session()
    seen = set()
    statuses = []
    for _ in range(6):
        page = get(s, "/accounts/login/")
        result = submit(
            s,
            page,
            form_on(page, "username"),
            {"username": TENANT[0].replace("ceo@", "nobody@"), "password": "wrong-password"},
        )
        seen.add(page.headers.get("X-Served-By"))
        seen.add(result.headers.get("X-Served-By"))
        statuses.append(result.status)
    check(
        seen == {"web", "web2"} and statuses[-1] == 429 and 429 not in statuses[:4],
        f"the login throttle counts failures across both web containers (statuses {statuses})",
    )
    # The API's throttle (DRF, counted in Redis): 120 anonymous requests a minute in all.
    codes = []
    by = set()
    for _ in range(125):
        response = get(Session(), "/api/v1/companies/?page_size=1")
        codes.append(response.status)
        by.add(response.headers.get("X-Served-By"))
        if response.status == 429:
            break
    check(
        by == {"web", "web2"} and codes[-1] == 429 and len(codes) <= 121,
        f"the API throttle is shared: 429 after {len(codes) - 1} requests spread over both web containers",
    )
    FIGURES["scale"] = {
        "session_requests": {k: len(v) for k, v in served.items()},
        "send_email_tasks": counts,
        "api_throttle_after": len(codes) - 1,
    }


def main() -> int:
    if os.environ.get("SMOKE_REUSE") and containers("web"):
        log("SMOKE_REUSE: testing the stack that is up")
    else:
        down(SCALE, volumes=True)
        log("bringing up docker-compose.yml (+ the CI SMTP sink)")
        up(COMPOSE)
        log("loading the demo data")
        manage("load_demo")
    state = check_pages()
    state |= register_and_upload(state["events"])
    check_confirmation_email(state)
    check_worker_kill()
    check_postgres_restart()
    down(COMPOSE)
    log("down (volumes kept), up again")
    up(COMPOSE)
    check_data(state, "after down and up")
    check_beat()
    backup_and_restore(state)
    check_scale_out()
    down(SCALE)
    FIGURES["total_smoke_s"] = round(time.monotonic() - T0)
    print("FIGURES " + json.dumps(FIGURES, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:
        for service in ("web", "web2", "worker", "migrate", "lb", "postgres"):
            for name in containers(service, running_only=False):
                logs = run("podman", "logs", "--tail", "40", name, check_rc=False)
                print(f"--- logs of {name} ---\n{logs.stdout[-4000:]}{logs.stderr[-4000:]}", file=sys.stderr)
        raise

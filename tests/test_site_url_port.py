"""`make run PORT=8080`: every link in e-mails and calendars points at port 8080.

The Makefile passes the port to serve_local (tests/test_make_run.py checks the command), which
gives its web server and worker SITE_URL=http://127.0.0.1:<port> unless SITE_URL is set. Here a
process started with that environment renders a calendar and the links of a registration
e-mail, as the worker does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from magok.management.commands.serve_local import child_environment

BASE_DIR = Path(settings.BASE_DIR)

RENDER = """
from datetime import datetime, timedelta, timezone
from events.ics import event_ics
from events.links import cancel_link_url, ticket_link_url
from events.models import Event, EventKind, Registration
start = datetime(2027, 5, 6, 5, 0, tzinfo=timezone.utc)
event = Event(pk=41, title_ko="마곡기술교류회", kind=EventKind(name_ko="기술교류회"), starts_at=start,
              ends_at=start + timedelta(hours=2), updated_at=start)
registration = Registration(pk=7, event=event)
print(event_ics(event=event).decode())
print(ticket_link_url(registration=registration))
print(cancel_link_url(registration=registration))
"""


def test_serve_local_gives_its_children_the_port_as_site_url() -> None:
    assert child_environment(port=8080, environ={"PATH": "/bin"}) == {
        "PATH": "/bin",
        "SITE_URL": "http://127.0.0.1:8080",
    }
    # An explicit SITE_URL (a tunnel, a LAN address) wins.
    explicit = {"SITE_URL": "http://192.168.0.5:9000"}
    assert child_environment(port=8080, environ=explicit)["SITE_URL"] == "http://192.168.0.5:9000"


def test_links_in_calendars_and_emails_use_the_port_of_make_run() -> None:
    environ = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    environ |= {"DJANGO_ENV": "development", "DATABASE_URL": "sqlite:///:memory:"}
    env = child_environment(port=8080, environ=environ)
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", RENDER],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    unfolded = output.replace("\r\n ", "")
    assert "URL:http://127.0.0.1:8080/events/41/" in unfolded
    links = [line for line in output.splitlines() if line.startswith("http")]
    assert len(links) == 2 and all(link.startswith("http://127.0.0.1:8080/events/tickets/") for link in links)
    assert "127.0.0.1:8000" not in output

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection

from events.services import AttendeeData, registration_create


def attendee(n: int | str, domain: str = "test.example.kr") -> AttendeeData:
    return AttendeeData(name=f"참석자{n}", email=f"a{n}@{domain}", phone="010-0000-0000", position="연구원")


def register(event, by, *attendees: AttendeeData, consent: bool = True, language: str = "ko"):
    if not attendees:
        attendees = (AttendeeData(name=by.name, email=by.email),)
    return registration_create(event=event, by=by, attendees=list(attendees), consent=consent, language=language)


def confirm_link(email) -> str:
    """The confirmation link's path in a verification e-mail (``OutboundEmail``)."""
    import re

    match = re.search(r"https?://[^/\s]+(/events/registrations/confirm/[^/\s]+/)", email.body_text)
    assert match, email.body_text
    return match.group(1)


def run_in_threads(jobs: list[Callable[[], object]]) -> list[BaseException]:
    """Start every job at once (a barrier), each on its own thread and database connection;
    the exceptions they raised."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def worker(job: Callable[[], object]) -> None:
        try:
            barrier.wait()
            job()
        except BaseException as exc:  # noqa: BLE001 - collected and reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors

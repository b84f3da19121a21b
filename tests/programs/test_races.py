"""Two staff members deciding the same application at the same moment: the row lock lets one
win; the other sees the decided status and is refused."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from programs.models import Application, ApplicationEvent
from programs.services import ProgramError, application_transition
from tests.factories import StaffFactory

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_decisions_only_one_wins():
    application = ApplicationFactory(status=Application.Status.SCREENING)
    staff = [StaffFactory(), StaffFactory()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(to: str, by) -> None:
        try:
            barrier.wait()
            application_transition(application=Application.objects.get(pk=application.pk), to=to, by=by)
            outcomes.append("ok")
        except ProgramError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(Application.Status.SELECTED, staff[0])),
        threading.Thread(target=decide, args=(Application.Status.REJECTED, staff[1])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    decisions = ApplicationEvent.objects.filter(application=application)
    assert decisions.count() == 1
    application.refresh_from_db()
    assert application.status == decisions.get().to_status

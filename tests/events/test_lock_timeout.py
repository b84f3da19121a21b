"""The event's seat lock is waited for a bounded time, then the answer is "busy, try again":
another connection holds the lock in a thread, on PostgreSQL, with real commits."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import pytest
from django.db import connection, transaction
from django.forms import MultiWidget
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Audience, Event, Registration
from events.services import EventBusy
from tests.factories import EventFactory, MembershipFactory, UserFactory

from .helpers import register

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("events-race")]

BOUND_MS = 500


@contextmanager
def locked_elsewhere(event: Event) -> Iterator[None]:
    """Another connection holds ``event``'s row lock (as a long registration would) until the block ends."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Event.objects.select_for_update().get(pk=event.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert locked.wait(timeout=10)
    try:
        yield
    finally:
        release.set()
        thread.join(timeout=30)


@pytest.fixture
def bounded(settings):
    settings.EVENT_LOCK_TIMEOUT_MS = BOUND_MS


def test_registration_answers_busy_within_the_bound(bounded):
    event = EventFactory(capacity=5, audience=Audience.PUBLIC)
    user = UserFactory()
    with locked_elsewhere(event):
        started = time.monotonic()
        with pytest.raises(EventBusy) as error:
            register(event, user)
        waited = time.monotonic() - started
    assert error.value.code == "busy"
    assert BOUND_MS / 1000 * 0.8 <= waited < BOUND_MS / 1000 + 2
    assert not Registration.objects.exists()
    # Control: with the lock free again the same registration goes through at once.
    assert register(event, user)[0].status == Registration.Status.CONFIRMED


def test_registration_page_shows_the_busy_message(bounded, client):
    member = MembershipFactory().user
    event = EventFactory(capacity=5)
    client.force_login(member)
    form = {"include_self": "on", "consent": "on", "colleagues-TOTAL_FORMS": "0", "colleagues-INITIAL_FORMS": "0"}
    with locked_elsewhere(event):
        response = client.post(reverse("events:register", args=[event.pk]), form)
    assert response.status_code == 200
    assert "지금 신청이 많습니다. 잠시 후 다시 시도해 주세요." in response.content.decode()
    assert client.post(reverse("events:register", args=[event.pk]), form).status_code == 302


def test_api_answers_409_with_retry_after(bounded):
    member = MembershipFactory().user
    event = EventFactory(capacity=5)
    api = APIClient()
    api.force_authenticate(member)
    with locked_elsewhere(event):
        response = api.post(f"/api/v1/events/{event.pk}/registrations/", {"consent": True}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "busy" and response["Retry-After"] == "3"
    assert api.post(f"/api/v1/events/{event.pk}/registrations/", {"consent": True}, format="json").status_code == 201


def test_admin_cancel_action_reports_busy_instead_of_crashing(bounded, client):
    from tests.factories import StaffFactory

    event = EventFactory(capacity=5)
    client.force_login(StaffFactory())
    data = {"action": "cancel_events", "_selected_action": [event.pk], "apply": "1", "message": "우천으로 취소합니다."}
    with locked_elsewhere(event):
        response = client.post(reverse("admin:events_event_changelist"), data, follow=True)

    assert response.status_code == 200
    assert "지금 신청이 많습니다" in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_admin_event_edit_reports_busy_and_changes_nothing(bounded, client):
    from tests.factories import StaffFactory

    event = EventFactory(capacity=5, venue_ko="마곡 R&D센터")
    client.force_login(StaffFactory())
    url = reverse("admin:events_event_change", args=[event.pk])
    with locked_elsewhere(event):
        response = client.post(url, {**_admin_post_data(client, url), "venue_ko": "FITI 시험연구원"}, follow=True)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors if response.context.get("adminform") else None
    assert "지금 신청이 많습니다" in response.content.decode(), errors
    event.refresh_from_db()
    assert event.venue_ko == "마곡 R&D센터"


def _admin_post_data(client, url: str) -> dict[str, object]:
    """What the admin change page would post back unchanged: every form and inline field."""
    context = client.get(url).context
    data: dict[str, object] = {}
    for form in [context["adminform"].form, *(f for fs in context["inline_admin_formsets"] for f in fs.formset.forms)]:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None:
                continue
            if isinstance(field.widget, MultiWidget):  # the admin's split date and time
                local = timezone.localtime(value) if isinstance(value, datetime) else value
                data[form.add_prefix(name) + "_0"] = local.strftime("%Y-%m-%d")
                data[form.add_prefix(name) + "_1"] = local.strftime("%H:%M:%S")
                continue
            data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list) else value
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data

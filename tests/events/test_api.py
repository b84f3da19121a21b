from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Event, Registration
from tests.factories import EventFactory, EventKindFactory

from .helpers import attendee, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_events_list_is_public_with_filters(api):
    concert = EventKindFactory(slug="tech-concert")
    soon = EventFactory(kind=concert, starts_at=timezone.now() + timedelta(days=3))
    later = EventFactory(starts_at=timezone.now() + timedelta(days=60))
    EventFactory(status=Event.Status.DRAFT)
    data = api.get("/api/v1/events/").json()
    assert [row["id"] for row in data["results"]] == [soon.pk, later.pk]
    assert data["results"][0]["seats_left"] == soon.capacity
    assert [r["id"] for r in api.get("/api/v1/events/", {"kind": "tech-concert"}).json()["results"]] == [soon.pk]
    cutoff = (timezone.now() + timedelta(days=30)).isoformat()
    assert [r["id"] for r in api.get("/api/v1/events/", {"starts_after": cutoff}).json()["results"]] == [later.pk]
    assert [r["id"] for r in api.get("/api/v1/events/", {"starts_before": cutoff}).json()["results"]] == [soon.pk]


def test_event_detail(api):
    event = EventFactory()
    data = api.get(f"/api/v1/events/{event.pk}/").json()
    assert data["title_ko"] == event.title_ko and data["speakers"] == [] and data["waitlist_open"] is False
    assert api.get(f"/api/v1/events/{EventFactory(status='draft').pk}/").status_code == 404


def test_register_colleagues_and_waitlist(api, representative, event):
    api.force_authenticate(representative)
    payload = {"consent": True, "attendees": [{"name": f"동료{i}", "email": f"c{i}@test.example.kr"} for i in range(4)]}
    response = api.post(f"/api/v1/events/{event.pk}/registrations/", payload, format="json")
    assert response.status_code == 201
    rows = response.json()
    assert [r["status"] for r in rows] == ["confirmed"] * 3 + ["waitlisted"]
    assert rows[3]["waitlist_position"] == 1 and rows[3]["ticket_code"] is None


def test_api_applies_the_same_rules(api, member, event):
    api.force_authenticate(member)
    response = api.post(f"/api/v1/events/{event.pk}/registrations/", {"consent": False}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "consent_required"
    api.post(f"/api/v1/events/{event.pk}/registrations/", {"consent": True}, format="json")
    response = api.post(f"/api/v1/events/{event.pk}/registrations/", {"consent": True}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "duplicate"


def test_delete_cancels_and_promotes(api, representative, event):
    regs = register(event, representative, *(attendee(i) for i in range(4)))
    api.force_authenticate(representative)
    assert api.delete(f"/api/v1/registrations/{regs[0].pk}/").status_code == 204
    assert Registration.objects.get(pk=regs[3].pk).status == "confirmed"


def test_schema_documents_the_endpoints(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/events/" in paths and "/api/v1/events/{id}/" in paths
    assert "post" in paths["/api/v1/events/{id}/registrations/"]
    assert "delete" in paths["/api/v1/registrations/{id}/"]
    assert "get" in paths["/api/v1/registrations/"]


def test_registration_api_is_rate_limited_per_user(monkeypatch, event, member):
    # DRF reads the rates into the throttle class when it is first imported.
    monkeypatch.setattr(
        "rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES", {"anon": "2/minute", "user": "2/minute"}
    )
    client = APIClient()
    client.force_authenticate(member)
    statuses = [client.get("/api/v1/registrations/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]

"""One consent-text type serves sign-up, event registration and programme applications; the
versions already stored next to people's consent keep their meaning."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.consent import SIGNUP_CONSENT, ConsentText
from events.consent import REGISTRATION_CONSENT
from events.models import Audience
from programs.consent import PROGRAM_CONSENT
from tests.factories import EventFactory


def test_every_consent_is_one_type_with_its_stored_version() -> None:
    assert all(isinstance(text, ConsentText) for text in (SIGNUP_CONSENT, REGISTRATION_CONSENT, PROGRAM_CONSENT))
    assert (SIGNUP_CONSENT.version, REGISTRATION_CONSENT.version, PROGRAM_CONSENT.version) == (
        "signup-2027-01",
        "events-2026-11",
        "2027-01",
    )


def test_event_registration_page_shows_the_whole_consent_text(client, db) -> None:
    event = EventFactory(audience=Audience.PUBLIC, starts_at=timezone.now() + timedelta(days=7))
    page = client.get(reverse("events:register", args=[event.pk])).content.decode()
    for part in ("title", "purpose", "items", "retention", "refusal"):
        assert str(getattr(REGISTRATION_CONSENT, part)) in page

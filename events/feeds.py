"""The private calendar feed of a logged-in user: a secret URL that calendar apps subscribe to
(``webcal:``), with the events the user may attend and their own registrations.

The URL carries a random token (``CalendarFeedToken``), not the user's id: calendar apps fetch
it without a session. Rotating the token is the revocation: the old URL answers 404 at once.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from .models import Audience, CalendarFeedToken, Event, Registration
from .selectors import invited

if TYPE_CHECKING:
    from accounts.models import User

# What the feed covers: upcoming events and those of the past year (calendar apps keep
# what they fetched before; a bounded window keeps each fetch cheap).
PAST_WINDOW = timedelta(days=365)
FEED_STATUSES = (Event.Status.PUBLISHED, Event.Status.FINISHED, Event.Status.CANCELLED)
FEED_LIMIT = 500


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def calendar_feed_token(*, user: User) -> CalendarFeedToken:
    """The user's feed token, made on first use."""
    feed, _created = CalendarFeedToken.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return feed


@transaction.atomic
def calendar_feed_rotate(*, user: User) -> CalendarFeedToken:
    """Replace the user's token: the old feed URL stops working, the new one is returned."""
    feed = calendar_feed_token(user=user)
    feed.token = _new_token()
    feed.save(update_fields=["token", "created_at"])
    return feed


def calendar_feed_user(*, token: str) -> User | None:
    feed = CalendarFeedToken.objects.select_related("user").filter(token=token).first() if token else None
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


def calendar_feed_urls(*, feed: CalendarFeedToken) -> tuple[str, str]:
    """(https URL, webcal URL) of the feed."""
    url = settings.SITE_URL + reverse("events:personal_feed", kwargs={"token": feed.token})
    return url, "webcal://" + url.split("://", 1)[1]


def personal_feed_events(*, user: User) -> tuple[list[Event], dict[int, Registration]]:
    """Events ``user`` may attend (by audience: public, tenants, executives for a representative,
    invitations of their company) and those of their own live registrations, in the window;
    with their registrations by event id. Two queries."""
    now = timezone.now()
    company = user.company
    may_attend = Q(audience=Audience.PUBLIC)
    if company is not None:
        may_attend |= Q(audience=Audience.TENANTS) | (Q(audience=Audience.INVITED) & invited(company))
        if user.is_representative:
            may_attend |= Q(audience=Audience.EXECUTIVES)
    live = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
    registrations = {
        r.event_id: r
        for r in Registration.objects.filter(
            user=user, status__in=live, event__starts_at__gte=now - PAST_WINDOW
        ).order_by("created_at")
    }
    events: QuerySet[Event] = (
        Event.objects.filter(status__in=FEED_STATUSES, starts_at__gte=now - PAST_WINDOW)
        .filter(may_attend | Q(pk__in=list(registrations)))
        .select_related("kind")
        .order_by("starts_at")
    )
    return list(events[:FEED_LIMIT]), registrations

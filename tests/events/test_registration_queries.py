"""What a registration costs, and that the lean path under the event's lock decides as before.

Under the lock a signed-in registration reads the event's registrations once (``_tally``), then
inserts the registrations, their audit entries and the outbox rows: the counts below are exact,
the same for a confirmed and a waitlisted registration and for an event with many registrations.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from audit.models import AuditAction, AuditEntry
from events import services
from events.models import Audience, Registration
from events.services import (
    AttendeeData,
    RegistrationError,
    _link_validity,
    _locked_event,
    _seats,
    _tally,
    registration_create_check,
    registration_create_do,
)
from notifications.models import OutboundEmail
from tests.factories import EventFactory, MembershipFactory, RegistrationFactory, UserFactory

from .helpers import attendee, register

pytestmark = pytest.mark.django_db

# Under the lock, for one attendee: the tally, the registration's INSERT, the audit entry's
# INSERT, and the outbox row (one INSERT ... ON CONFLICT DO NOTHING: notifications.services._save_queued).
UNDER_THE_LOCK = 4
# registration_create in a test (the test's transaction makes its atomic block a savepoint):
# the user's membership, SAVEPOINT, the lock (SET LOCAL lock_timeout and SELECT ... FOR UPDATE
# in one round trip: events.services._locked_event), the above, RELEASE SAVEPOINT. In
# production BEGIN and COMMIT take the savepoint's places.
REGISTRATION_CREATE = 1 + 1 + 1 + UNDER_THE_LOCK + 1
# The API POST adds the token lookup and the event; the token's query also reads the user and
# their membership (accounts/backends.py), so registration_create does not query the membership.
# The answer reads nothing.
API_POST = 2 + REGISTRATION_CREATE - 1


@pytest.fixture(autouse=True)
def _content_types_cached():
    ContentType.objects.get_for_model(Registration)


def _fresh(user: User) -> User:
    """The user as a request loads it: the membership not read yet."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("taken_before", [0, 40])
def test_registration_create_runs_a_fixed_number_of_queries(django_assert_num_queries, company, taken_before):
    event = EventFactory(capacity=41, audience=Audience.TENANTS)
    RegistrationFactory.create_batch(taken_before, event=event)
    first, second = (_fresh(MembershipFactory(company=company).user) for _ in range(2))

    with django_assert_num_queries(REGISTRATION_CREATE):
        [confirmed] = register(event, first)
    with django_assert_num_queries(REGISTRATION_CREATE):
        [other] = register(event, second)

    assert confirmed.status == Registration.Status.CONFIRMED
    assert other.status == (Registration.Status.CONFIRMED if taken_before == 0 else Registration.Status.WAITLISTED)


def test_several_attendees_cost_one_insert_each_for_registrations_and_audit_together(
    django_assert_num_queries, representative, event
):
    plan = registration_create_check(
        event=event, by=representative, attendees=[attendee(i) for i in range(5)], consent=True, language="ko"
    )
    # The lock (one round trip), one tally, one INSERT of the five registrations, one of their
    # five audit entries, and five outbox rows (one statement each).
    with transaction.atomic(), django_assert_num_queries(1 + 3 + 5):
        created = registration_create_do(plan=plan, event=_locked_event(event.pk))
    assert [r.status for r in created] == ["confirmed"] * 3 + ["waitlisted"] * 2
    assert [getattr(r, "waitlist_position") for r in created] == [None, None, None, 1, 2]  # noqa: B009
    entries = AuditEntry.objects.filter(action=AuditAction.REGISTRATION_CREATE).order_by("pk")
    assert [(e.object_id, e.actor_id, e.after["status"]) for e in entries] == [
        (str(r.pk), representative.pk, r.status) for r in created
    ]
    assert OutboundEmail.objects.filter(to__in=[r.email for r in created]).count() == 5


def test_api_post_runs_a_fixed_number_of_queries_and_answers_what_the_registration_shows(
    django_assert_num_queries, company
):
    event = EventFactory(capacity=1, audience=Audience.TENANTS)
    users = [MembershipFactory(company=company).user for _ in range(2)]
    answers = []
    for user in users:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        with django_assert_num_queries(API_POST):
            response = api.post(f"/api/v1/events/{event.pk}/registrations/", {"consent": True}, format="json")
        assert response.status_code == 201
        [row] = response.json()
        # The answer is built from the rows as written: it equals what the API shows afterwards.
        assert api.get(f"/api/v1/registrations/{row['id']}/").json() == row
        answers.append(row)
    assert [(a["status"], a["waitlist_position"], a["company"]) for a in answers] == [
        ("confirmed", None, company.slug),
        ("waitlisted", 1, company.slug),
    ]
    assert answers[0]["ticket_code"] and answers[1]["ticket_code"] is None


def test_the_tally_counts_as_the_seat_count_and_the_hold_release_do(company, other_company):
    event = EventFactory(capacity=10, audience=Audience.PUBLIC)
    now = timezone.now()
    Status = Registration.Status
    RegistrationFactory(event=event, email="mine@x.kr", company=company)
    RegistrationFactory(event=event, company=other_company)
    RegistrationFactory(event=event, status=Status.WAITLISTED, company=company)
    RegistrationFactory(event=event, status=Status.WAITLISTED, email="theirs@x.kr")
    RegistrationFactory(event=event, status=Status.CANCELLED, email="gone@x.kr", company=company)
    RegistrationFactory(
        event=event, status=Status.PENDING, email="held@x.kr", hold_expires_at=now + timedelta(minutes=5)
    )
    RegistrationFactory(event=event, status=Status.PENDING, hold_expires_at=now - timedelta(seconds=1))
    RegistrationFactory(event=event, status=Status.PENDING, email="unheld@x.kr")
    lapsed = RegistrationFactory(event=event, status=Status.PENDING)
    Registration.objects.filter(pk=lapsed.pk).update(created_at=now - _link_validity() - timedelta(minutes=1))
    RegistrationFactory(status=Status.CONFIRMED, email="mine@x.kr", company=company)  # another event

    emails = ["mine@x.kr", "held@x.kr", "unheld@x.kr", "gone@x.kr", "new@x.kr"]
    with transaction.atomic():
        tally = _tally(_locked_event(event.pk), now=now, emails=emails, company=company)
        seats = _seats(event, now=now)

    rows = Registration.objects.filter(event=event)
    pending = rows.filter(status=Status.PENDING)
    assert (tally.seats.taken, tally.seats.waitlisted) == (seats.taken, seats.waitlisted) == (3, 2)
    due = Q(hold_expires_at__lte=now) | Q(created_at__lte=now - _link_validity())
    assert tally.lapsed == pending.filter(due).count() == 2
    assert tally.pending_of_these == pending.filter(email__in=emails).count() == 2
    assert tally.live_of_these == rows.filter(status__in=services.LIVE, email__in=emails).count() == 1
    assert tally.live_of_company == rows.filter(status__in=services.LIVE, company=company).count() == 2


def test_a_signed_in_registration_releases_an_expired_hold_to_the_waitlist_first(company):
    event = EventFactory(capacity=1, audience=Audience.PUBLIC)
    [held] = register(event, None, attendee("visitor", "visitor.example.kr"))
    assert held.hold_expires_at is not None
    [waiting] = register(event, MembershipFactory(company=company).user)
    assert waiting.status == Registration.Status.WAITLISTED
    Registration.objects.filter(pk=held.pk).update(hold_expires_at=timezone.now() - timedelta(seconds=1))

    [late] = register(event, MembershipFactory(company=company).user)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED  # the freed seat went to the waitlist
    assert late.status == Registration.Status.WAITLISTED and getattr(late, "waitlist_position") == 1  # noqa: B009


def test_a_duplicate_written_without_the_lock_is_refused_by_the_constraint_and_nothing_is_kept(
    monkeypatch, event, member
):
    """If a live registration of the address exists that the tally did not count (written by
    something that does not take the lock), the unique constraint refuses the INSERT: the
    registrant is told it is a duplicate, and no audit entry or e-mail of the attempt remains."""
    register(event, member)
    counted = services._tally

    def blind(*args: object, **kwargs: object) -> services._Tally:
        return replace(counted(*args, **kwargs), live_of_these=0)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "_tally", blind)
    entries, emails = AuditEntry.objects.count(), OutboundEmail.objects.count()

    with pytest.raises(RegistrationError) as error:
        register(event, _fresh(member))

    assert error.value.code == "duplicate" and member.email in error.value.message
    assert (AuditEntry.objects.count(), OutboundEmail.objects.count()) == (entries, emails)
    assert Registration.objects.filter(event=event, email=member.email).count() == 1


def test_a_visitor_pending_registration_gives_way_and_is_counted_again(company):
    event = EventFactory(capacity=1, audience=Audience.PUBLIC)
    owner = MembershipFactory(company=company, user=UserFactory(email="owner@visitor.example.kr")).user
    [typed] = register(event, None, AttendeeData(name="남이 입력", email=owner.email))
    assert typed.hold_expires_at is not None  # it holds the only seat

    [own] = register(event, _fresh(owner))

    typed.refresh_from_db()
    assert typed.status == Registration.Status.CANCELLED
    # Its seat was counted again after it gave way: the owner gets it.
    assert own.status == Registration.Status.CONFIRMED


def test_with_an_idempotency_key_the_post_costs_the_key_claim_and_its_answer_only(django_assert_num_queries, member):
    event = EventFactory(capacity=5, audience=Audience.TENANTS)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=member).key}", HTTP_IDEMPOTENCY_KEY="k-1")
    url = f"/api/v1/events/{event.pk}/registrations/"
    # The outer transaction (a savepoint in a test), the claim (one INSERT ... ON CONFLICT), and
    # the UPDATE that stores the answer.
    with django_assert_num_queries(API_POST + 2 + 1 + 1):
        first = api.post(url, {"consent": True}, format="json")
    # A retry: the token, the claim that finds the key taken, the stored answer.
    with django_assert_num_queries(1 + 2 + 1 + 1):
        retry = api.post(url, {"consent": True}, format="json")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry.headers["Idempotent-Replayed"] == "true"
    assert Registration.objects.filter(event=event).count() == 1

"""Bulk data for the HTTP benchmark (bench/http_bench.py): seconds, not minutes.

On top of the demo data (``load_demo``: 150 companies, the demo events and programmes) it adds
companies, events and registrations with ``bulk_create`` and one ``INSERT ... SELECT
generate_series`` for the registrations, then the users of the registration rush and of the
logged-in pages, and the registrations whose reminders the fan-out sends. Everything is made
for a throwaway database; nothing here is used by the portal itself.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

SYLLABLES = "가나다라마바사아자차카타파하로보티즈테크바이오메디파마소프트에너지"
PASSWORD = "bench-password-2027"


@dataclass
class BenchData:
    rush_event_id: int
    rush_tokens: list[str]
    detail_event_id: int
    company_slug: str
    member_email: str
    reminder_registrations: int
    companies: int
    events: int
    registrations: int


def _korean_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 6)))


@transaction.atomic
def build(
    *,
    companies: int,
    events: int,
    registrations_per_event: int,
    rush_users: int,
    rush_capacity: int,
    reminder_events: int,
    reminder_per_event: int,
) -> BenchData:
    from rest_framework.authtoken.models import Token

    from accounts.models import Membership, User
    from companies.models import Company, Sector, natural_sort_name
    from companies.search import alias_groups
    from events.consent import REGISTRATION_CONSENT_VERSION
    from events.models import Audience, Event, EventKind

    rng = random.Random(2027)
    now = timezone.now()
    sectors = list(Sector.objects.all())
    existing = Company.objects.count()
    new_companies = [
        Company(
            name_ko=f"{_korean_name(rng)}{i}",
            name_en=f"Bench Company {i}",
            slug=f"bench-{i}",
            size_class=rng.choice(Company.SizeClass.values),
            keywords=",".join(_korean_name(rng) for _ in range(3)),
            move_in_status=rng.choice(Company.MoveInStatus.values),
            description_ko="벤치마크용 기업입니다. " * 5,
            description_en="A company made for the benchmark. " * 5,
        )
        for i in range(max(companies - existing, 0))
    ]
    # bulk_create skips Company.save(): write what it would (the natural-order sort key and the
    # search columns), or the directory sorts 10,000 equal keys and searches find nothing.
    aliases = alias_groups()
    for company in new_companies:
        company.sort_name = natural_sort_name(company.name_ko)
        company.refresh_search_document(aliases)
    Company.objects.bulk_create(new_companies, batch_size=2000)
    if sectors and new_companies:
        through = Company.sectors.through
        through.objects.bulk_create(
            [through(company_id=c.pk, sector_id=rng.choice(sectors).pk) for c in new_companies], batch_size=5000
        )
    company_ids = list(Company.objects.values_list("pk", flat=True)[:2000])

    kind = EventKind.objects.order_by("order").first()
    assert kind is not None, "load_demo makes the event kinds"
    existing_events = Event.objects.count()
    # Mostly past (a growing archive), some ahead: the list, API and feed must not read them all.
    new_events = []
    for i in range(max(events - existing_events, 0)):
        # Ahead: at least 8 days, so that none of their reminders is due during the fan-out.
        days = rng.randint(-700, -1) if rng.random() < 0.85 else rng.randint(8, 120)
        starts = now + timedelta(days=days, hours=rng.randint(0, 23))
        new_events.append(
            Event(
                kind=kind,
                title_ko=f"벤치마크 행사 {i}",
                title_en=f"Bench event {i}",
                description_ko="행사 소개 " * 20,
                venue_ko="마곡 R&D 센터",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                capacity=registrations_per_event + 20,
                audience=rng.choice([Audience.PUBLIC, Audience.TENANTS]),
                status=Event.Status.PUBLISHED,
            )
        )
    Event.objects.bulk_create(new_events, batch_size=2000)
    if new_events and registrations_per_event:
        # One statement: registrations_per_event rows per new event, most confirmed.
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO events_registration
                    (event_id, company_id, attendee_name, email, phone, position, language, status,
                     ticket_code, consent_version, consented_at, confirmed_at, created_at, updated_at)
                SELECT e.id, %s, '참석자 ' || n, 'bench-' || e.id || '-' || n || '@example.kr', '', '', 'ko',
                       CASE WHEN n %% 10 = 0 THEN 'waitlisted' WHEN n %% 17 = 0 THEN 'cancelled' ELSE 'confirmed' END,
                       md5(e.id || '-' || n), %s, now(), now(), now(), now()
                FROM events_event e, generate_series(1, %s) AS n
                WHERE e.id >= %s
                """,
                [company_ids[0], REGISTRATION_CONSENT_VERSION, registrations_per_event, new_events[0].pk],
            )

    # Users: members of approved companies, each with an API token (the rush posts with it).
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench-user-{i}@example.kr",
                name=f"사용자{i}",
                password=password,
                privacy_consent_version=REGISTRATION_CONSENT_VERSION,
                privacy_consented_at=now,
            )
            for i in range(rush_users)
        ],
        batch_size=1000,
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                company_id=company_ids[i % len(company_ids)],
                role=Membership.Role.STAFF,
                status=Membership.Status.APPROVED,
                decided_at=now,
            )
            for i, user in enumerate(users)
        ],
        batch_size=1000,
    )
    tokens = Token.objects.bulk_create([Token(user=user, key=secrets.token_hex(20)) for user in users], batch_size=1000)
    rush = Event.objects.create(
        kind=kind,
        title_ko="신청 러시 행사",
        title_en="Registration rush",
        venue_ko="마곡 R&D 센터",
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=30, hours=2),
        capacity=rush_capacity,
        audience=Audience.TENANTS,
        status=Event.Status.PUBLISHED,
    )

    # The fan-out: confirmed registrations of events starting in 10 hours, whose 24-hour
    # reminder is due now (the 7-day one is overdue too; only the nearest is sent).
    reminder_total = 0
    for i in range(reminder_events):
        starts = now + timedelta(hours=10)
        event = Event.objects.create(
            kind=kind,
            title_ko=f"리마인더 행사 {i}",
            title_en=f"Reminder event {i}",
            venue_ko="마곡 R&D 센터",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            capacity=reminder_per_event,
            audience=Audience.TENANTS,
            status=Event.Status.PUBLISHED,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO events_registration
                    (event_id, company_id, attendee_name, email, phone, position, language, status,
                     ticket_code, consent_version, consented_at, confirmed_at, created_at, updated_at)
                SELECT %s, %s, '참석자 ' || n, 'reminder-' || %s || '-' || n || '@example.kr', '', '', 'ko',
                       'confirmed', md5('r-' || %s || '-' || n), %s, now(), now() - interval '30 days',
                       now() - interval '30 days', now()
                FROM generate_series(1, %s) AS n
                """,
                [event.pk, company_ids[0], event.pk, event.pk, REGISTRATION_CONSENT_VERSION, reminder_per_event],
            )
        reminder_total += reminder_per_event

    detail = Event.objects.filter(starts_at__gt=now, audience=Audience.PUBLIC).order_by("starts_at").first()
    company = Company.objects.filter(is_public=True).order_by("pk").first()
    assert detail is not None and company is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events_registration")
        (registration_count,) = cursor.fetchone()
    return BenchData(
        rush_event_id=rush.pk,
        rush_tokens=[t.key for t in tokens],
        detail_event_id=detail.pk,
        company_slug=company.slug,
        member_email=users[0].email,
        reminder_registrations=reminder_total,
        companies=Company.objects.count(),
        events=Event.objects.count(),
        registrations=registration_count,
    )

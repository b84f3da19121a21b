"""Demo recurring events: the monthly CEO Biz Forum and the biweekly Magok Salon. Idempotent."""

from __future__ import annotations

from datetime import date, time

from django.utils import timezone

from .models import Audience, Event, EventKind, EventSeries, Registration
from .recurrence import series_generate


def _kind(slug: str, name_ko: str, name_en: str) -> EventKind:
    kind, _ = EventKind.objects.get_or_create(slug=slug, defaults={"name_ko": name_ko, "name_en": name_en})
    return kind


def load_demo_series() -> str:
    forum_kind = _kind("ceo-biz-forum", "CEO비즈포럼", "CEO Biz Forum")
    salon_kind = _kind("magok-salon", "마곡살롱", "Magok Salon")
    forum, _ = EventSeries.objects.get_or_create(
        kind=forum_kind,
        title_ko="CEO비즈포럼",
        defaults={
            "title_en": "CEO Biz Forum",
            "description_ko": "매월 첫째 주 수요일 아침, 입주기업 대표들이 경영 노하우를 나누고 교류합니다.",
            "description_en": "On the first Wednesday morning of each month, tenant CEOs share know-how and network.",
            "rule": EventSeries.Rule.MONTHLY_FIRST_WEEKDAY,
            "weekday": 2,
            "start_time": time(7, 30),
            "duration_minutes": 120,
            "venue_ko": "마곡 R&D센터 컨퍼런스홀",
            "venue_en": "Magok R&D Center, Conference Hall",
            "capacity": 60,
            "seat_cap_per_company": 2,
            "audience": Audience.EXECUTIVES,
            "months_ahead": 3,
            "holiday_policy": EventSeries.HolidayPolicy.NEXT_WORKING_DAY,
            "registration_opens_days_before": 21,
        },
    )
    salon, _ = EventSeries.objects.get_or_create(
        kind=salon_kind,
        title_ko="마곡살롱",
        defaults={
            "title_en": "Magok Salon",
            "description_ko": (
                "마곡에서 일하는 2030 직장인의 교류 모임. "
                "취미를 나누는 참여형과 인문·자기계발 강연형이 번갈아 열립니다."
            ),
            "description_en": "A meet-up for Magok's young professionals, alternating hobby sharing and talks.",
            "rule": EventSeries.Rule.BIWEEKLY,
            "weekday": 3,
            "anchor_date": date(2026, 1, 8),
            "start_time": time(19, 0),
            "duration_minutes": 120,
            "venue_ko": "마곡 R&D센터 라운지",
            "venue_en": "Magok R&D Center, Lounge",
            "capacity": 40,
            "audience": Audience.TENANTS,
            "months_ahead": 2,
            "holiday_policy": EventSeries.HolidayPolicy.NEXT_WORKING_DAY,
            "formats": ["participatory", "lecture"],
            "registration_opens_days_before": 14,
        },
    )
    created = len(series_generate(series=forum)) + len(series_generate(series=salon))
    registered = _demo_registrations(forum)
    return (
        f"2 series (CEO Biz Forum, Magok Salon), {created} occurrences created, "
        f"{registered} demo registrations for the next forum (its reminders appear in the admin)"
    )


DEMO_ATTENDEES = [
    ("ceo@robotis.example.kr", "robotis", "로보티즈 대표", "ko"),
    ("ceo@pharmsville.example.kr", "pharmsville", "팜스빌 대표", "en"),
]


def _demo_registrations(forum: EventSeries) -> int:
    """Register the demo CEOs for the next forum, so that ``send_due_reminders`` plans their
    reminders on its first run. Demo data only: real registrations go through the events
    app's registration service (capacity, waitlist, confirmation e-mail)."""
    from django.contrib.auth import get_user_model

    from companies.models import Company

    next_forum = (
        Event.objects.filter(series=forum, status=Event.Status.PUBLISHED, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    if next_forum is None:
        return 0
    created = 0
    for email, company_slug, name, language in DEMO_ATTENDEES:
        user = get_user_model().objects.filter(email=email).first()
        _, was_created = Registration.objects.exclude(status=Registration.Status.CANCELLED).get_or_create(
            event=next_forum,
            email=email,
            defaults={
                "user": user,
                "registered_by": user,
                "company": Company.objects.filter(slug=company_slug).first(),
                "attendee_name": getattr(user, "name", "") or name,
                "language": language,
                "status": Registration.Status.CONFIRMED,
                "consent_version": "demo",
                "consented_at": timezone.now(),
            },
        )
        created += was_created
    return created

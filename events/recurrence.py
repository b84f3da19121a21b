"""Recurring events: which dates a series falls on, and creating its occurrences ahead of time.

An occurrence is keyed by the date the rule gives (``Event.occurrence_date``, e.g. the first
Wednesday), not by the day it is held after a holiday moved it. The key never changes, so
the database constraint (one event per series and date) makes creation idempotent, and an
occurrence staff cancelled (skipped) or moved is found again and left alone.
"""

from __future__ import annotations

import calendar
import functools
import logging
from collections.abc import Container
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from .models import Event, EventSeries

logger = logging.getLogger(__name__)

SEOUL = ZoneInfo("Asia/Seoul")
Policy = EventSeries.HolidayPolicy


@dataclass(frozen=True)
class Occurrence:
    scheduled_on: date  # the date the rule gives; the occurrence's key
    held_on: date  # after the holiday policy
    format: str  # "" when the series has no formats


def kr_holidays(years: range | list[int]) -> holidays.HolidayBase:
    return holidays.country_holidays("KR", years=list(years))


@functools.lru_cache(maxsize=32)
def holiday_names(year: int, language: str) -> dict[date, str]:
    """Korean public holidays of ``year`` (substitute holidays included) with their names in
    ``language`` (ko or en), for the month calendar. Cached: the table does not change."""
    names = holidays.country_holidays("KR", years=[year], language="en_US" if language == "en" else "ko")
    return dict(names.items())


def first_weekday_of_month(year: int, month: int, weekday: int) -> date:
    """The first ``weekday`` (0 = Monday) of the month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def is_working_day(day: date, kr: Container[date]) -> bool:
    return day.weekday() < 5 and day not in kr


def adjust_for_holidays(day: date, policy: str, kr: Container[date]) -> date | None:
    """The day the occurrence is held under ``policy``; None when it is skipped."""
    if policy == Policy.KEEP or is_working_day(day, kr):
        return day
    if policy == Policy.SKIP:
        return None
    step = timedelta(days=-1 if policy == Policy.PREVIOUS_WORKING_DAY else 1)
    while not is_working_day(day, kr):
        day += step
    return day


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def _format(series: EventSeries, index: int) -> str:
    formats = [f for f in (series.formats or []) if f]
    return formats[index % len(formats)] if formats else ""


def scheduled_dates(series: EventSeries, start: date, end: date) -> list[tuple[date, int]]:
    """(date the rule gives, occurrence index) for ``start <= date < end``. The index counts
    from a fixed origin, so the formats alternate the same way whatever day this runs."""
    dates: list[tuple[date, int]] = []
    if series.rule == EventSeries.Rule.MONTHLY_FIRST_WEEKDAY:
        year, month = start.year, start.month
        while date(year, month, 1) < end:
            day = first_weekday_of_month(year, month, series.weekday)
            if start <= day < end:
                dates.append((day, year * 12 + month - 1))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    elif series.rule == EventSeries.Rule.BIWEEKLY:
        if series.anchor_date is None:
            raise ValueError(f"series {series.pk} repeats every two weeks but has no anchor date")
        anchor = series.anchor_date
        index = max(0, -(-(start - anchor).days // 14))  # first index on or after start
        day = anchor + timedelta(days=14 * index)
        while day < end:
            dates.append((day, index))
            index += 1
            day += timedelta(days=14)
    else:
        raise ValueError(f"unknown rule {series.rule!r}")
    return dates


def series_dates(series: EventSeries, start: date, months: int) -> list[Occurrence]:
    """The occurrences the series has from ``start`` for ``months`` months, holidays applied."""
    end = add_months(start, months)
    scheduled = scheduled_dates(series, start, end)
    kr = kr_holidays(range(start.year - 1, end.year + 2))
    occurrences = []
    for day, index in scheduled:
        held_on = adjust_for_holidays(day, series.holiday_policy, kr)
        if held_on is not None:
            occurrences.append(Occurrence(scheduled_on=day, held_on=held_on, format=_format(series, index)))
    return occurrences


def _titles(series: EventSeries, fmt: str) -> tuple[str, str]:
    if not fmt or fmt not in Event.Format.values:
        return series.title_ko, series.title_en
    titles = []
    for language, title in (("ko", series.title_ko), ("en", series.title_en or series.title_ko)):
        with translation.override(language):
            titles.append(f"{title} ({Event.Format(fmt).label})")
    return titles[0], titles[1]


def _occurrence_event(series: EventSeries, occurrence: Occurrence) -> Event:
    starts_at = datetime.combine(occurrence.held_on, series.start_time, tzinfo=SEOUL)
    title_ko, title_en = _titles(series, occurrence.format)
    return Event(
        kind=series.kind,
        series=series,
        occurrence_date=occurrence.scheduled_on,
        title_ko=title_ko,
        title_en=title_en,
        description_ko=series.description_ko,
        description_en=series.description_en,
        format=occurrence.format if occurrence.format in Event.Format.values else "",
        venue_ko=series.venue_ko,
        venue_en=series.venue_en,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=series.duration_minutes or 60),
        capacity=series.capacity,
        seat_cap_per_company=series.seat_cap_per_company,
        audience=series.audience,
        registration_opens_at=starts_at - timedelta(days=series.registration_opens_days_before),
        # Registration closes an hour before the start (staff can change it per occurrence).
        registration_closes_at=starts_at - timedelta(hours=1),
        status=Event.Status.PUBLISHED if series.publish_automatically else Event.Status.DRAFT,
    )


def _slot_taken(series: EventSeries, day: date, existing: set[date]) -> bool:
    """Whether the series already has an occurrence for ``day``'s slot: the same month for the
    monthly rule, less than 14 days away for the biweekly one. After staff change the rule,
    weekday or anchor, the occurrences already created stay as they are (staff move or cancel
    them one by one) and the new rule applies from the first free slot, instead of a second
    event in every month already generated."""
    if day in existing:
        return True
    if series.rule == EventSeries.Rule.MONTHLY_FIRST_WEEKDAY:
        return any((other.year, other.month) == (day.year, day.month) for other in existing)
    return any(abs((other - day).days) < 14 for other in existing)


def series_generate(*, series: EventSeries, today: date | None = None) -> list[Event]:
    """Create the occurrences of ``series`` from ``today`` to ``series.months_ahead`` months
    ahead that do not exist yet. Safe to run any number of times, also concurrently: an
    existing (series, occurrence_date) is never created again, whatever its status or time,
    and a slot (month / fortnight) that already has an occurrence is not filled twice.
    Returns the events created now."""
    today = today or timezone.localdate()
    if not series.is_active:
        return []
    # From a month back: a month (or fortnight) already holding an occurrence is taken.
    existing: set[date] = {
        day
        for day in Event.objects.filter(series=series, occurrence_date__gte=add_months(today, -1)).values_list(
            "occurrence_date", flat=True
        )
        if day is not None
    }
    created = []
    for occurrence in series_dates(series, today, series.months_ahead):
        if _slot_taken(series, occurrence.scheduled_on, existing) or occurrence.held_on < today:
            continue
        try:
            # The savepoint keeps a caller's transaction usable when another run won the race.
            with transaction.atomic():
                event = _occurrence_event(series, occurrence)
                event.save()
        except IntegrityError:
            if not Event.objects.filter(series=series, occurrence_date=occurrence.scheduled_on).exists():
                raise
            continue
        created.append(event)
        logger.info("series %s: created occurrence %s on %s", series.pk, event.pk, occurrence.held_on)
    return created


def series_generate_all(*, today: date | None = None) -> int:
    """Run ``series_generate`` for every active series. Returns how many events were created."""
    return sum(len(series_generate(series=s, today=today)) for s in EventSeries.objects.filter(is_active=True))

from __future__ import annotations

from datetime import date, datetime, timedelta

import holidays
import pytest
from django.db import IntegrityError

from events.models import Event, EventSeries
from events.recurrence import (
    SEOUL,
    adjust_for_holidays,
    first_weekday_of_month,
    kr_holidays,
    series_dates,
    series_generate,
)

from .factories import EventSeriesFactory, SalonSeriesFactory
from .helpers import run_in_threads

Policy = EventSeries.HolidayPolicy
WEDNESDAY = 2


def test_first_weekday_of_month() -> None:
    assert first_weekday_of_month(2019, 12, WEDNESDAY) == date(2019, 12, 4)
    assert first_weekday_of_month(2027, 9, WEDNESDAY) == date(2027, 9, 1)  # the 1st is a Wednesday
    assert first_weekday_of_month(2028, 3, WEDNESDAY) == date(2028, 3, 1)


def test_adjust_for_holidays_policies() -> None:
    kr = kr_holidays([2028])
    samiljeol = date(2028, 3, 1)  # 삼일절, a Wednesday
    assert adjust_for_holidays(samiljeol, Policy.NEXT_WORKING_DAY, kr) == date(2028, 3, 2)
    assert adjust_for_holidays(samiljeol, Policy.PREVIOUS_WORKING_DAY, kr) == date(2028, 2, 29)
    assert adjust_for_holidays(samiljeol, Policy.KEEP, kr) == samiljeol
    assert adjust_for_holidays(samiljeol, Policy.SKIP, kr) is None
    assert adjust_for_holidays(date(2028, 3, 8), Policy.SKIP, kr) == date(2028, 3, 8)


def test_chuseok_moves_past_the_substitute_holiday() -> None:
    # 2028-10-04 is the second day of 추석 and 10-05 its substitute holiday: Friday the 6th.
    kr = kr_holidays([2028])
    assert adjust_for_holidays(date(2028, 10, 4), Policy.NEXT_WORKING_DAY, kr) == date(2028, 10, 6)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (
            2027,
            [
                date(2027, 1, 6),
                date(2027, 2, 3),
                date(2027, 3, 3),
                date(2027, 4, 7),
                date(2027, 5, 6),  # 5 May is 어린이날 (Children's Day)
                date(2027, 6, 2),
                date(2027, 7, 7),
                date(2027, 8, 4),
                date(2027, 9, 1),
                date(2027, 10, 6),
                date(2027, 11, 3),
                date(2027, 12, 1),
            ],
        ),
        (
            2028,
            [
                date(2028, 1, 5),
                date(2028, 2, 2),
                date(2028, 3, 2),  # 1 March is 삼일절
                date(2028, 4, 5),
                date(2028, 5, 3),
                date(2028, 6, 7),
                date(2028, 7, 5),
                date(2028, 8, 2),
                date(2028, 9, 6),
                date(2028, 10, 6),  # 4 October is 추석, 5 October its substitute holiday
                date(2028, 11, 1),
                date(2028, 12, 6),
            ],
        ),
    ],
)
def test_next_twelve_forums_are_first_wednesdays_unless_a_holiday_moves_them(
    db: None, year: int, expected: list[date]
) -> None:
    series = EventSeriesFactory.build()
    occurrences = series_dates(series, date(year, 1, 1), 12)

    assert [o.held_on for o in occurrences] == expected
    kr = holidays.country_holidays("KR", years=year)
    for occurrence in occurrences:
        first_wednesday = occurrence.scheduled_on
        assert first_wednesday.weekday() == WEDNESDAY and first_wednesday.day <= 7
        if first_wednesday in kr:
            assert occurrence.held_on > first_wednesday
            # Every day in between is a holiday or weekend; the day held is a working day.
            assert all(
                d in kr or d.weekday() >= 5
                for d in (first_wednesday + timedelta(n) for n in range((occurrence.held_on - first_wednesday).days))
            )
        else:
            assert occurrence.held_on == first_wednesday
        assert occurrence.held_on not in kr and occurrence.held_on.weekday() < 5
    moved = [o for o in occurrences if o.held_on != o.scheduled_on]
    assert moved, "at least one first Wednesday in 2027 and 2028 is a Korean holiday"


def test_salon_alternates_formats_by_occurrence_not_by_run_day(db: None) -> None:
    salon = SalonSeriesFactory.build()
    from_anchor = series_dates(salon, date(2027, 1, 7), 3)
    from_later = series_dates(salon, date(2027, 1, 25), 2)

    assert [o.scheduled_on for o in from_anchor[:3]] == [date(2027, 1, 7), date(2027, 1, 21), date(2027, 2, 4)]
    assert [o.format for o in from_anchor[:4]] == ["participatory", "lecture", "participatory", "lecture"]
    by_date = {o.scheduled_on: o.format for o in from_anchor}
    assert from_later[0].scheduled_on == date(2027, 2, 4)
    assert all(by_date[o.scheduled_on] == o.format for o in from_later if o.scheduled_on in by_date)


def test_generate_creates_occurrences_months_ahead_once(db: None) -> None:
    series = EventSeriesFactory(months_ahead=3, registration_opens_days_before=30)
    today = date(2028, 1, 20)

    created = series_generate(series=series, today=today)
    again = series_generate(series=series, today=today)

    assert [e.occurrence_date for e in created] == [date(2028, 2, 2), date(2028, 3, 1), date(2028, 4, 5)]
    assert again == []
    assert Event.objects.filter(series=series).count() == 3
    samiljeol = Event.objects.get(series=series, occurrence_date=date(2028, 3, 1))
    assert samiljeol.starts_at == datetime(2028, 3, 2, 7, 30, tzinfo=SEOUL)
    assert samiljeol.ends_at - samiljeol.starts_at == timedelta(minutes=120)
    assert samiljeol.registration_opens_at == samiljeol.starts_at - timedelta(days=30)
    assert samiljeol.status == Event.Status.PUBLISHED
    assert samiljeol.capacity == 60 and samiljeol.audience == series.audience


def test_generate_drafts_when_not_published_automatically(db: None) -> None:
    series = EventSeriesFactory(publish_automatically=False, months_ahead=1)
    created = series_generate(series=series, today=date(2027, 6, 1))
    assert created and all(e.status == Event.Status.DRAFT for e in created)


def test_skipped_occurrence_is_not_recreated(db: None) -> None:
    series = EventSeriesFactory(months_ahead=2)
    today = date(2027, 6, 1)
    series_generate(series=series, today=today)
    july = Event.objects.get(series=series, occurrence_date=date(2027, 7, 7))
    july.status = Event.Status.CANCELLED
    july.save()

    assert series_generate(series=series, today=today) == []
    assert Event.objects.filter(series=series, occurrence_date=date(2027, 7, 7)).count() == 1
    july.refresh_from_db()
    assert july.status == Event.Status.CANCELLED


def test_moved_occurrence_is_not_recreated_nor_moved_back(db: None) -> None:
    series = EventSeriesFactory(months_ahead=2)
    today = date(2027, 6, 1)
    series_generate(series=series, today=today)
    june = Event.objects.get(series=series, occurrence_date=date(2027, 6, 2))
    june.starts_at = datetime(2027, 6, 10, 18, 0, tzinfo=SEOUL)
    june.ends_at = june.starts_at + timedelta(hours=2)
    june.save()

    assert series_generate(series=series, today=today) == []
    june.refresh_from_db()
    assert june.starts_at == datetime(2027, 6, 10, 18, 0, tzinfo=SEOUL)
    assert Event.objects.filter(series=series).count() == 2


def test_database_allows_one_occurrence_per_series_and_date(db: None) -> None:
    series = EventSeriesFactory(months_ahead=1)
    (event,) = series_generate(series=series, today=date(2027, 8, 1))
    event.pk = None
    with pytest.raises(IntegrityError):
        event.save()


@pytest.mark.django_db(transaction=True)
def test_concurrent_generators_create_each_occurrence_once() -> None:
    series = EventSeriesFactory(months_ahead=6)
    errors = run_in_threads([lambda: series_generate(series=series, today=date(2027, 6, 1))] * 4)

    assert errors == []
    dates = list(Event.objects.filter(series=series).values_list("occurrence_date", flat=True))
    assert len(dates) == len(set(dates)) == 6


def test_changing_the_weekday_does_not_add_a_second_event_to_months_already_generated(db: None) -> None:
    series = EventSeriesFactory(months_ahead=3, weekday=WEDNESDAY)
    today = date(2027, 1, 1)
    first = series_generate(series=series, today=today)
    assert len(first) == 3
    series.weekday = WEDNESDAY + 1
    series.months_ahead = 4
    series.save()
    added = series_generate(series=series, today=today)
    months = [(e.occurrence_date.year, e.occurrence_date.month) for e in Event.objects.filter(series=series)]
    assert len(months) == len(set(months)) == 4, sorted(months)
    # The new weekday applies from the first month without an occurrence.
    assert [e.occurrence_date for e in added] == [first_weekday_of_month(2027, 4, WEDNESDAY + 1)]


def test_changing_the_weekday_mid_month_does_not_add_a_second_event_to_the_current_month(db: None) -> None:
    series = EventSeriesFactory(months_ahead=1, weekday=0)  # first Monday: 2027-02-01
    series_generate(series=series, today=date(2027, 1, 25))
    series.weekday = 4  # first Friday: 2027-02-05, still ahead on 02-03
    series.save()
    assert series_generate(series=series, today=date(2027, 2, 3)) == []
    assert Event.objects.filter(series=series, occurrence_date__month=2).count() == 1


def test_moving_the_salon_anchor_does_not_add_events_between_generated_ones(db: None) -> None:
    series = SalonSeriesFactory(months_ahead=2)
    today = date(2027, 1, 1)
    before = {e.occurrence_date for e in series_generate(series=series, today=today)}
    series.anchor_date = series.anchor_date + timedelta(days=7)
    series.save()
    series_generate(series=series, today=today)
    dates = sorted(Event.objects.filter(series=series).values_list("occurrence_date", flat=True))
    assert set(dates) == before
    assert all((b - a).days >= 14 for a, b in zip(dates, dates[1:], strict=False))

from __future__ import annotations

from datetime import date, time

import factory
from django.utils import timezone

from events.models import Audience, EventSeries
from events.recurrence import series_dates
from tests.factories import EventKindFactory


class EventSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventSeries

    kind = factory.SubFactory(EventKindFactory, slug="ceo-biz-forum", name_ko="CEO비즈포럼", name_en="CEO Biz Forum")
    title_ko = "CEO비즈포럼"
    title_en = "CEO Biz Forum"
    rule = EventSeries.Rule.MONTHLY_FIRST_WEEKDAY
    weekday = 2
    start_time = time(7, 30)
    duration_minutes = 120
    venue_ko = "마곡 R&D센터"
    venue_en = "Magok R&D Center"
    capacity = 60
    audience = Audience.EXECUTIVES
    months_ahead = 3
    holiday_policy = EventSeries.HolidayPolicy.NEXT_WORKING_DAY


class SalonSeriesFactory(EventSeriesFactory):
    kind = factory.SubFactory(EventKindFactory, slug="magok-salon", name_ko="마곡살롱", name_en="Magok Salon")
    title_ko = "마곡살롱"
    title_en = "Magok Salon"
    rule = EventSeries.Rule.BIWEEKLY
    weekday = 3
    anchor_date = date(2027, 1, 7)
    start_time = time(19, 0)
    audience = Audience.TENANTS
    formats = ["participatory", "lecture"]


def expected_occurrences(series: EventSeries) -> int:
    """How many occurrences ``series_generate`` should create today (computed independently
    of the database)."""
    today = timezone.localdate()
    return sum(1 for o in series_dates(series, today, series.months_ahead) if o.held_on >= today)

from __future__ import annotations

from events.demo_series import load_demo_series as load_demo
from events.models import Event, EventSeries, Registration


def test_demo_series_load_twice_without_duplicates(db: None) -> None:
    load_demo()
    counts = (EventSeries.objects.count(), Event.objects.count(), Registration.objects.count())
    load_demo()

    assert (EventSeries.objects.count(), Event.objects.count(), Registration.objects.count()) == counts
    forum = EventSeries.objects.get(kind__slug="ceo-biz-forum")
    salon = EventSeries.objects.get(kind__slug="magok-salon")
    assert Event.objects.filter(series=forum).count() in (2, 3)  # first Wednesdays within 3 months
    assert Event.objects.filter(series=salon).exists()
    assert set(Event.objects.filter(series=salon).values_list("format", flat=True)) == {"participatory", "lecture"}
    assert Registration.objects.filter(event__series=forum, status=Registration.Status.CONFIRMED).count() == 2

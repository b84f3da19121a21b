"""The demo: the July 2019 exchange's consultations with the two MOUs, loaded twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from meetings import selectors
from meetings.models import ConsultationOutcome, Meeting, MeetingGrid, MeetingRequest, MeetingSeat, Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def event_kinds():
    """The kinds of the events data migration (a transactional test may have flushed them)."""
    import importlib

    from django.apps import apps

    importlib.import_module("events.migrations.0002_event_kinds").create_kinds(apps, None)


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (MeetingGrid, Participant, MeetingRequest, Meeting, MeetingSeat, ConsultationOutcome)
    }


def test_the_demo_has_the_meditech_exchange_mous_and_is_idempotent(event_kinds):
    call_command("load_demo", stdout=StringIO())
    first = _counts()
    grid = MeetingGrid.objects.get(event__title_ko="M-밸리 이화 메디테크 비즈 교류회")
    signed = ConsultationOutcome.objects.filter(result="mou_signed", request__grid=grid)
    pairs = {(o.request.sender.organization, o.request.recipient.organization) for o in signed}
    assert pairs == {("팜스빌", "이화의료원"), ("웰스바이오", "이화의료원")}
    counts = selectors.consultation_mou_counts(year=2019)
    assert sorted(counts.values()) == [1, 1]  # one MOU each for 팜스빌 and 웰스바이오
    # Every accepted request got a meeting, on a published schedule.
    accepted = MeetingRequest.objects.filter(grid=grid, state="accepted").count()
    assert Meeting.objects.filter(grid=grid).count() == accepted and grid.published_at
    call_command("load_demo", stdout=StringIO())
    assert _counts() == first

"""Factories of the meeting engine (also used by the hiring tests)."""

from __future__ import annotations

from datetime import timedelta

import factory

from meetings.models import MeetingGrid, Participant, Table
from meetings.services import grid_slots_generate
from tests.factories import EventFactory


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingGrid

    event = factory.SubFactory(EventFactory)
    slot_minutes = 20
    first_start = factory.LazyAttribute(lambda o: o.event.starts_at)
    last_start = factory.LazyAttribute(lambda o: o.event.starts_at + timedelta(minutes=20 * 2))
    max_meetings_per_participant = 6


class TableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Table

    grid = factory.SubFactory(GridFactory)
    name = factory.Sequence(lambda n: f"상담 테이블 {n}")
    order = factory.Sequence(lambda n: n)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    grid = factory.SubFactory(GridFactory)
    display_name = factory.Sequence(lambda n: f"참가자{n}")
    email = factory.Sequence(lambda n: f"participant{n}@example.kr")
    organization = factory.Sequence(lambda n: f"기관{n}")


def make_grid(*, slots: int = 3, tables: int = 2, **fields):
    """A grid with ``slots`` consecutive 20-minute slots and ``tables`` tables: (grid, slots, tables)."""
    grid = GridFactory(**fields)
    grid.last_start = grid.first_start + timedelta(minutes=grid.slot_minutes * (slots - 1))
    grid.save()
    slot_rows = grid_slots_generate(grid=grid, by=None)
    table_rows = [TableFactory(grid=grid, name=f"상담 테이블 {i + 1}", order=i) for i in range(tables)]
    return grid, slot_rows, table_rows

"""The batch placement of meeting demands on a grid, in plain Python on ids (no database).

``plan`` is greedy, most constrained demand first, and gives a *maximal* placement: when it
returns, no unplaced demand fits anywhere (every (slot, table) is blocked for it by a side's
other meeting or unavailability, the per-participant maximum, or a taken or unavailable table).
It is not always a *maximum* one (that is a hard matching problem); the property tests in
tests/meetings/test_planner_properties.py check every constraint, the maximality, and the
count against upper bounds. ``meetings.services.schedule_plan`` feeds it from the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Why a demand could not be placed (codes; services.UNPLACED_REASONS has the messages).
LIMIT = "limit"  # a side already has the maximum of meetings
UNAVAILABLE = "unavailable"  # no slot in which every side (and its fixed table) is available
BUSY = "busy"  # in every slot where all are available, a side already has another meeting
NO_TABLE = "no_table"  # all sides were free in some slot, but no table was


@dataclass(frozen=True)
class Demand:
    """A meeting wanted between ``participants`` (ids). ``table``: the one table it must use
    (a company's interview table), else any. ``slots``: the only slots it may use, else any."""

    key: str
    participants: tuple[int, ...]
    table: int | None = None
    slots: frozenset[int] | None = None


@dataclass
class Occupancy:
    """What is already taken or excluded on the grid, before planning."""

    participant_busy: set[tuple[int, int]] = field(default_factory=set)  # (participant, slot)
    participant_unavailable: set[tuple[int, int]] = field(default_factory=set)
    table_taken: set[tuple[int, int]] = field(default_factory=set)  # (table, slot)
    table_unavailable: set[tuple[int, int]] = field(default_factory=set)
    meeting_counts: dict[int, int] = field(default_factory=dict)  # participant -> live meetings


@dataclass(frozen=True)
class Placement:
    key: str
    slot: int
    table: int


@dataclass
class Plan:
    placed: list[Placement]
    unplaced: list[tuple[str, str]]  # (key, reason code)


def plan(
    *,
    slots: Sequence[int],
    tables: Sequence[int],
    demands: Iterable[Demand],
    occupancy: Occupancy,
    max_per_participant: int,
) -> Plan:
    """Place as many ``demands`` as the greedy finds room for. Deterministic for equal input.

    Preconditions: ``slots`` in time order; every demand's participants distinct; no demand
    has a placed meeting already (the caller leaves those out and puts them in ``occupancy``).
    """
    demands = list(demands)
    busy = set(occupancy.participant_busy)
    unavailable = occupancy.participant_unavailable
    counts: dict[int, int] = defaultdict(int, occupancy.meeting_counts)
    free_tables: dict[int, set[int]] = {
        s: {t for t in tables if (t, s) not in occupancy.table_taken and (t, s) not in occupancy.table_unavailable}
        for s in slots
    }
    table_unavailable = occupancy.table_unavailable

    def available_slots(demand: Demand) -> list[int]:
        return [
            s
            for s in slots
            if (demand.slots is None or s in demand.slots)
            and not any((p, s) in unavailable for p in demand.participants)
            and (demand.table is None or (demand.table, s) not in table_unavailable)
        ]

    candidates = {d.key: available_slots(d) for d in demands}
    # How many demands each participant is in: a busy person's demands go first among equals,
    # because every slot they lose to someone else's meeting is one their many demands need.
    degree: dict[int, int] = defaultdict(int)
    for d in demands:
        for p in d.participants:
            degree[p] += 1
    order = sorted(
        range(len(demands)),
        key=lambda i: (
            len(candidates[demands[i].key]),
            demands[i].table is None,
            -max((degree[p] for p in demands[i].participants), default=0),
            i,
        ),
    )

    placed: list[Placement] = []
    unplaced: list[tuple[str, str]] = []
    for i in order:
        demand = demands[i]
        sides = demand.participants
        if any(counts[p] >= max_per_participant for p in sides):
            unplaced.append((demand.key, LIMIT))
            continue
        options = candidates[demand.key]
        if not options:
            unplaced.append((demand.key, UNAVAILABLE))
            continue
        sides_free = [s for s in options if not any((p, s) in busy for p in sides)]
        if not sides_free:
            unplaced.append((demand.key, BUSY))
            continue
        chosen: tuple[int, int] | None = None
        # The slot with the most free tables first: it keeps the tables of every slot in use.
        for s in sorted(sides_free, key=lambda s: -len(free_tables[s])):
            room = free_tables[s]
            if demand.table is not None:
                if demand.table in room:
                    chosen = (s, demand.table)
                    break
            elif room:
                chosen = (s, min(room))
                break
        if chosen is None:
            unplaced.append((demand.key, NO_TABLE))
            continue
        s, t = chosen
        free_tables[s].discard(t)
        for p in sides:
            busy.add((p, s))
            counts[p] += 1
        placed.append(Placement(key=demand.key, slot=s, table=t))
    return Plan(placed=placed, unplaced=unplaced)

"""Properties of the batch planner on random grids, demands, meetings and unavailabilities.

The pure planner (meetings.planner.plan) is checked on many examples; schedule_plan, which feeds
it from the database and writes the meetings, on fewer (see test_schedule_plan.py)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from meetings import planner


@st.composite
def problems(draw):
    n_slots = draw(st.integers(1, 6))
    n_tables = draw(st.integers(1, 4))
    n_people = draw(st.integers(2, 10))
    slots = list(range(100, 100 + n_slots))
    tables = list(range(200, 200 + n_tables))
    people = list(range(1, n_people + 1))
    pairs = st.lists(st.sampled_from(people), min_size=2, max_size=2, unique=True).map(tuple)
    raw = draw(st.lists(pairs, max_size=25))
    demands = []
    for i, pair in enumerate(raw):
        table = draw(st.one_of(st.none(), st.sampled_from(tables))) if draw(st.booleans()) else None
        allowed = draw(st.one_of(st.none(), st.frozensets(st.sampled_from(slots), min_size=1)))
        demands.append(planner.Demand(key=f"d{i}", participants=pair, table=table, slots=allowed))
    unavailable = draw(st.sets(st.tuples(st.sampled_from(people), st.sampled_from(slots)), max_size=10))
    table_unavailable = draw(st.sets(st.tuples(st.sampled_from(tables), st.sampled_from(slots)), max_size=4))
    # Meetings already placed (kept): a few (table, slot) with two free people.
    busy: set[tuple[int, int]] = set()
    taken: set[tuple[int, int]] = set()
    counts: Counter[int] = Counter()
    for table, slot, pair in draw(
        st.lists(st.tuples(st.sampled_from(tables), st.sampled_from(slots), pairs), max_size=4)
    ):
        if (table, slot) in taken or any((p, slot) in busy for p in pair):
            continue
        taken.add((table, slot))
        for p in pair:
            busy.add((p, slot))
            counts[p] += 1
    occupancy = planner.Occupancy(
        participant_busy=busy,
        participant_unavailable=unavailable,
        table_taken=taken,
        table_unavailable=table_unavailable,
        meeting_counts=dict(counts),
    )
    maximum = draw(st.integers(1, 4))
    return slots, tables, demands, occupancy, maximum


def _fits(demand, slot, table, *, occupancy, used_tables, busy, counts, maximum):
    return (
        (demand.slots is None or slot in demand.slots)
        and (demand.table is None or demand.table == table)
        and (table, slot) not in used_tables
        and (table, slot) not in occupancy.table_unavailable
        and all(
            (p, slot) not in busy and (p, slot) not in occupancy.participant_unavailable for p in demand.participants
        )
        and all(counts[p] < maximum for p in demand.participants)
    )


@settings(max_examples=150, deadline=None)
@given(problems())
def test_every_constraint_holds_the_plan_is_maximal_and_within_the_bounds(problem):
    slots, tables, demands, occupancy, maximum = problem
    result = planner.plan(slots=slots, tables=tables, demands=demands, occupancy=occupancy, max_per_participant=maximum)
    by_key = {d.key: d for d in demands}

    # Each demand is either placed once or reported once, with a known reason.
    placed_keys = [p.key for p in result.placed]
    unplaced_keys = [key for key, _ in result.unplaced]
    assert sorted(placed_keys + unplaced_keys) == sorted(by_key)
    assert {code for _, code in result.unplaced} <= {planner.LIMIT, planner.UNAVAILABLE, planner.BUSY, planner.NO_TABLE}

    used_tables = set(occupancy.table_taken)
    busy = set(occupancy.participant_busy)
    counts: Counter[int] = Counter(occupancy.meeting_counts)
    for placement in result.placed:
        demand = by_key[placement.key]
        assert placement.slot in slots and placement.table in tables
        # No table twice in a slot (also not on a kept meeting's table), none unavailable.
        assert (placement.table, placement.slot) not in used_tables
        assert (placement.table, placement.slot) not in occupancy.table_unavailable
        assert demand.table is None or placement.table == demand.table
        assert demand.slots is None or placement.slot in demand.slots
        for p in demand.participants:
            # No participant twice in a slot, never in an unavailable one.
            assert (p, placement.slot) not in busy
            assert (p, placement.slot) not in occupancy.participant_unavailable
            busy.add((p, placement.slot))
            counts[p] += 1
        used_tables.add((placement.table, placement.slot))
    # Nobody over the maximum (beyond what kept meetings already gave them).
    for p, n in counts.items():
        assert n <= max(maximum, occupancy.meeting_counts.get(p, 0))

    # Maximal: no unplaced demand fits anywhere in what is left.
    for key in unplaced_keys:
        demand = by_key[key]
        assert not any(
            _fits(demand, s, t, occupancy=occupancy, used_tables=used_tables, busy=busy, counts=counts, maximum=maximum)
            for s in slots
            for t in tables
        ), key

    # Upper bounds: free (table, slot) cells; per participant the maximum left and the free slots;
    # each meeting uses two participant-slots.
    free_cells = len({(t, s) for t in tables for s in slots} - occupancy.table_taken - occupancy.table_unavailable)
    people = {p for d in demands for p in d.participants}
    room = {
        p: min(
            max(maximum - occupancy.meeting_counts.get(p, 0), 0),
            sum(
                1
                for s in slots
                if (p, s) not in occupancy.participant_busy and (p, s) not in occupancy.participant_unavailable
            ),
        )
        for p in people
    }
    assert len(result.placed) <= min(len(demands), free_cells, sum(room.values()) // 2)
    per_person = Counter(p for placement in result.placed for p in by_key[placement.key].participants)
    assert all(per_person[p] <= room[p] for p in per_person)


@settings(max_examples=40, deadline=None)
@given(problems())
def test_the_plan_is_deterministic(problem):
    slots, tables, demands, occupancy, maximum = problem
    first = planner.plan(slots=slots, tables=tables, demands=demands, occupancy=occupancy, max_per_participant=maximum)
    again = planner.plan(slots=slots, tables=tables, demands=demands, occupancy=occupancy, max_per_participant=maximum)
    assert first == again


def test_a_free_grid_places_every_demand_that_fits():
    """With room for everything (each pair once, enough slots and tables), everything is placed."""
    people = range(1, 7)
    demands = [
        planner.Demand(key=f"{a}-{b}", participants=(a, b)) for a in people for b in people if a < b
    ]  # 15 demands, 5 per person
    result = planner.plan(
        slots=list(range(10)), tables=[1, 2, 3], demands=demands, occupancy=planner.Occupancy(), max_per_participant=5
    )
    assert len(result.placed) == 15 and result.unplaced == []

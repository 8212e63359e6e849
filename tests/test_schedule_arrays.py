"""The scheduling passes on arrays agree with the stage-by-stage passes, and the
schedule's columns (to_arrays) with its ScheduledStage objects."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from approval_clock import (
    CalendarDays,
    CalendarMonths,
    Plan,
    Schedule,
    WorkCalendar,
    WorkingDays,
    calendars,
    strategies,
)
from approval_clock.plans import _cpm
from approval_clock.plans.schedule import _network

D = date
CN = calendars.get("CN")
SAT_HALL = CN.with_weekmask("1111110")
MON_FRI = WorkCalendar("Mon-Fri", first=D(2020, 1, 1), last=D(2030, 12, 31))
STARTS = st.dates(D(2021, 1, 1), D(2025, 6, 30))

SIMPLE = strategies.plans(max_stages=12, calendar=st.sampled_from([CN, MON_FRI]))
ANY = strategies.plans(
    max_stages=8,
    calendar=st.sampled_from([CN, MON_FRI]),
    stage_calendars=(None, SAT_HALL),
    durations=st.one_of(
        st.integers(0, 8).map(WorkingDays),
        st.integers(0, 12).map(CalendarDays),
        st.integers(0, 2).map(CalendarMonths),
    ),
    calendar_day_lags=True,
)


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, list[int], list[int]]:
    """Random directed graphs, mostly acyclic, some with cycles."""
    n = draw(st.integers(1, 120))
    m = draw(st.integers(0, 3 * n))
    rank = draw(st.permutations(range(n)))
    cyclic = draw(st.booleans())
    pred: list[int] = []
    succ: list[int] = []
    for _ in range(m):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a == b:
            continue
        if not cyclic and rank[a] > rank[b]:
            a, b = b, a
        pred.append(a)
        succ.append(b)
    return n, pred, succ


@settings(max_examples=150, deadline=None)
@given(graphs(), st.sampled_from([1, _cpm._WIDE]))
def test_levels_order_equals_kahns_order(
    graph: tuple[int, list[int], list[int]], wide: int
) -> None:
    n, pred, succ = graph
    saved = _cpm._WIDE
    _cpm._WIDE = wide  # 1: every level in numpy, however narrow
    try:
        _check_levels(n, pred, succ)
    finally:
        _cpm._WIDE = saved


def _check_levels(n: int, pred: list[int], succ: list[int]) -> None:
    preds: list[list[int]] = [[] for _ in range(n)]
    succs: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(pred, succ, strict=True):
        preds[b].append(a)
        succs[a].append(b)
    order, cycle = _cpm.topological_order(n, preds, succs)
    for small in (False, True):
        if small:  # below the size where arrays pay, lists are used: the same answer
            got = _cpm._small_levels(n, pred, succ)
        else:
            got = _cpm.topological_levels(
                n, np.array(pred, dtype=np.int64), np.array(succ, dtype=np.int64)
            )
        assert got[0].tolist() == order
        assert got[2] == cycle
        if not cycle:
            level = [0] * n
            for i in order:
                for j in succs[i]:
                    level[j] = max(level[j], level[i] + 1)
            assert got[1].tolist() == level


@settings(max_examples=150, deadline=None)
@given(SIMPLE, STARTS)
def test_the_level_by_level_passes_equal_the_stage_by_stage_ones(plan: Plan, start: date) -> None:
    net, _ = _network(plan)
    assert net.simple
    s0 = net.axes[0].ceil(start.toordinal())
    es, ee, drv = _cpm._forward_simple(net, s0)
    ves, vee, vdrv = _cpm._forward_vector(net, s0)
    assert (ves.tolist(), vee.tolist(), vdrv.tolist()) == (es, ee, drv)
    cap = max(ee) + 3
    ls, le = _cpm._backward_simple(net, cap, None, None)
    vls, vle = _cpm._backward_vector(net, cap)
    assert (vls.tolist(), vle.tolist()) == (ls, le)


@settings(max_examples=150, deadline=None)
@given(st.one_of(SIMPLE, ANY), STARTS, st.booleans(), st.data())
def test_free_float_in_one_step_equals_the_second_backward_pass(
    plan: Plan, start: date, bounded: bool, data: st.DataObject
) -> None:
    net, _ = _network(plan)
    first = [ax.ceil(start.toordinal()) for ax in net.axes]
    es, ee, _ = _cpm.forward_bounded(net, [first[c] for c in net.cal_a.tolist()], [-1] * net.n)
    end = max(net.axes[c].ordinal(e - 1) + 1 for c, e in zip(net.cal_a.tolist(), ee, strict=True))
    if not bounded:
        expected, _ = _cpm.backward(net, end, es, es, ee)
        got = _cpm.free_float_starts(net, end, es, ee)
        assert got.tolist() == list(expected)
        if net.simple:  # the one-step form however few the stages (it is used from 256)
            one_step = _cpm._free_float_simple(net, end, np.asarray(es), np.asarray(ee))
            assert one_step.tolist() == list(expected)
        return
    state = data.draw(st.lists(st.sampled_from([0, 0, 1, 2]), min_size=net.n, max_size=net.n))
    expected, _ = _cpm.backward_bounded(net, end, es, ee, es, ee, None, state)
    got = _cpm.free_float_starts(net, end, es, ee, state, bounded=True)
    assert got.tolist() == list(expected)


def _check_columns(sched: Schedule) -> None:
    cols = sched.to_arrays()
    plan = sched.plan
    assert list(cols["id"]) == list(plan.graph.ids)
    for k, sid in enumerate(plan.graph.ids):
        s = sched[sid]
        driver = -1 if s.driver is None else plan.links.index(s.driver)
        row = {c: v[k] for c, v in cols.items()}
        for c in ("start", "finish", "late_start", "late_finish"):
            assert row[c].astype(date) == getattr(s, c), (sid, c)
        for c in ("total_float", "free_float", "working_days", "critical", "milestone"):
            assert row[c] == getattr(s, c), (sid, c)
        assert (row["status"], row["held_by"], row["driver"]) == (s.status, s.held_by, driver)


@settings(max_examples=150, deadline=None)
@given(st.one_of(SIMPLE, ANY), STARTS, st.booleans(), st.data())
def test_the_columns_equal_the_scheduled_stages(
    plan: Plan, start: date, live: bool, data: st.DataObject
) -> None:
    try:
        sched = plan.schedule(start=start)
    except Exception:  # a plan past its calendars: nothing to compare
        return
    _check_columns(sched)
    if not live:
        return
    as_of = start + timedelta(days=data.draw(st.integers(0, 30)))
    actuals = {}
    for s in sched:
        if s.start <= as_of and data.draw(st.booleans()):
            done = s.finish <= as_of and data.draw(st.booleans())
            actuals[s.id] = (s.start, s.finish if done else None)
    try:
        live_sched = plan.schedule(start=start, actuals=actuals, as_of=as_of)
    except Exception:  # past the calendar's range
        return
    _check_columns(live_sched)


def test_a_wide_plan_takes_the_level_by_level_passes() -> None:
    rng = np.random.default_rng(5)
    n = 4_000
    a = rng.integers(0, n, 12_000)
    b = rng.integers(0, n, 12_000)
    keep = a != b
    pairs = np.unique(np.stack([np.minimum(a, b), np.maximum(a, b)])[:, keep], axis=1)
    ids = [f"s{i}" for i in range(n)]
    plan = Plan.from_frame(
        {"id": ids, "duration": rng.integers(0, 4, n)},
        {
            "predecessor": [ids[i] for i in pairs[0]],
            "successor": [ids[j] for j in pairs[1]],
            "kind": rng.choice(["FS", "SS", "FF"], pairs.shape[1]),
            "lag": rng.integers(-2, 3, pairs.shape[1]),
        },
        calendar=CN,
    )
    net, _ = _network(plan)
    assert net.vector
    sched = plan.schedule(start=D(2021, 9, 1))
    # The same schedule from the stage-by-stage passes.
    s0 = net.axes[0].ceil(D(2021, 9, 1).toordinal())
    es, _, drv = _cpm._forward_simple(net, s0)
    assert (sched._es.tolist(), sched._drv.tolist()) == (es, drv)
    _check_columns(sched)

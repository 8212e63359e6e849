"""Results are values: frozen, picklable (to worker processes and back), caches kept outside."""

from __future__ import annotations

import inspect
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from datetime import date

import attrs
import numpy as np
import pytest

from approval_clock import (
    CycleError,
    Link,
    Plan,
    Schedule,
    ScheduledStage,
    Stage,
    Sweep,
    calendars,
    sweep,
)
from approval_clock.plans.schedule import schedule_plan

D = date
CN = calendars.get("CN")


def _plan() -> Plan:
    hall = CN.with_weekmask("1111110")
    return Plan(
        stages=[
            Stage("apply", 3, kind="applicant"),
            Stage("notice", "20cd", kind="notice", calendar=hall),
            Stage("review", 5, finish_by=D(2021, 10, 29)),
            Stage("issued", 0),
        ],
        links=[
            Link("apply", "notice"),
            Link("apply", "review", "SS", 2),
            Link("notice", "issued"),
            Link("review", "issued", "FF"),
        ],
        calendar=CN,
        name="demo",
    )


def _summary(s: Schedule) -> tuple[object, ...]:
    return (
        s.start,
        s.finish,
        s.duration,
        s.approval_days,
        s.calendar_days,
        s.provisional,
        s.certainty,
        s.critical_path,
        s.as_of,
        s.requested_start,
    )


def test_results_refuse_assignment() -> None:
    plan = _plan()
    sched = plan.schedule(start=D(2021, 9, 1))
    swept = sweep(plan, [D(2021, 9, 1), D(2021, 9, 2)])
    for obj, attr in [
        (sched, "duration"),
        (sched, "plan"),
        (sched, "_es"),
        (sched["review"], "total_float"),
        (swept, "finish"),
        (plan, "name"),
        (plan, "graph"),
        (plan.graph, "ids"),
    ]:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            setattr(obj, attr, 999)
        assert isinstance(attrs.exceptions.FrozenInstanceError(), AttributeError)
    # The plan's arrays are read-only too (the columns to_arrays gives are the caller's).
    with pytest.raises(ValueError, match="read-only"):
        plan.graph.duration[0] = 1
    with pytest.raises(ValueError, match="read-only"):
        plan.graph.successor[0] = 0


def test_a_plan_and_its_schedule_pickle() -> None:
    plan = _plan()
    sched = plan.schedule(start=D(2021, 9, 1))
    fresh = pickle.dumps(_plan())
    list(sched)  # per-stage objects made and kept beside the schedule
    assert sched["review"].stage is plan.stages[2]
    # A scheduled plan pickles as an unscheduled one: nothing derived is inside it.
    assert len(pickle.dumps(plan)) == len(fresh)
    back = pickle.loads(pickle.dumps(plan))
    assert back == plan
    assert back.schedule(start=D(2021, 9, 1)).to_records() == sched.to_records()
    again = pickle.loads(pickle.dumps(sched))
    assert again.to_records() == sched.to_records()
    assert _summary(again) == _summary(sched)
    assert again.plan == plan
    assert again.explain("issued") == sched.explain("issued")
    assert not again._es.flags.writeable
    assert not again.plan.graph.duration.flags.writeable
    one = sched["notice"]
    assert pickle.loads(pickle.dumps(one)) == one


def test_a_live_schedule_and_a_sweep_pickle() -> None:
    plan = _plan()
    live = plan.schedule(
        start=D(2021, 9, 1), actuals={"apply": (D(2021, 9, 1), D(2021, 9, 3))}, as_of=D(2021, 9, 6)
    )
    again = pickle.loads(pickle.dumps(live))
    assert again.to_records() == live.to_records()
    swept = sweep(plan, year=2021)
    back = pickle.loads(pickle.dumps(swept))
    assert isinstance(back, Sweep)
    for column in ("starts", "finish", "duration", "approval_days", "calendar_days", "certainty"):
        assert np.array_equal(getattr(back, column), getattr(swept, column)), column
    assert back.uncovered == swept.uncovered


def test_schedules_come_back_from_worker_processes() -> None:
    plan = _plan()
    starts = [D(2021, 9, 1), D(2021, 9, 27), D(2021, 12, 20)]
    # spawn: a fresh interpreter, so nothing is shared but what is pickled.
    with ProcessPoolExecutor(
        max_workers=2, mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        remote = list(pool.map(plan.schedule, starts))
    for start, got in zip(starts, remote, strict=True):
        assert isinstance(got, Schedule)
        here = plan.schedule(start=start)
        assert got.to_records() == here.to_records()
        assert _summary(got) == _summary(here)
        assert isinstance(got["review"], ScheduledStage)


def test_a_cycle_through_100_000_stages_has_a_short_message() -> None:
    n = 100_000
    ids = [f"s{i}" for i in range(n)]
    with pytest.raises(CycleError) as e:
        Plan(
            stages=[Stage(i, 1) for i in ids],
            links=[Link(ids[i], ids[(i + 1) % n]) for i in range(n)],
            calendar=CN,
        )
    message = str(e.value)
    assert len(message) < 400
    assert message.startswith(
        "links form a cycle of 100000 stages: 's0' -> 's1' -> 's2' -> 's3' -> 's4' -> 's5' -> "
        "'s6' -> 's7' -> 's8' -> 's9' -> ... (99990 more) -> 's0'"
    )
    assert len(e.value.cycle) == n  # the whole cycle is there for whoever needs it
    with pytest.raises(CycleError) as f:
        Plan.from_frame(
            {"id": ids, "duration": [1] * n},
            {"predecessor": ids, "successor": ids[1:] + ids[:1]},
            calendar=CN,
        )
    assert str(f.value) == message


def test_no_test_switches_in_public_signatures() -> None:
    for f in (sweep, schedule_plan, Plan.schedule, Plan.from_frame, Schedule.to_arrays):
        private = [p for p in inspect.signature(f).parameters if p.startswith("_")]
        assert not private, (f.__qualname__, private)

"""Safe to run in a service: no global interpreter state touched, caches that let go.

(More of the service contract — bounded work, confined files, numbers at the
edges — is tested next to it as it lands.)
"""

from __future__ import annotations

import gc
import threading
from datetime import date

import pytest

import approval_clock
from approval_clock import Link, Plan, Stage, WorkCalendar, _cpm, calendars

D = date


def test_plans_and_schedules_leave_the_garbage_collector_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse() -> None:
        raise AssertionError("library code disabled the garbage collector")

    monkeypatch.setattr(gc, "disable", refuse)
    cn = calendars.get("CN")
    stages = [Stage(f"s{i}", 1 + i % 3) for i in range(300)]
    links = [Link(f"s{i}", f"s{i + 1}") for i in range(299)]
    Plan(stages, links, calendar=cn).schedule(start=D(2021, 6, 1))


def test_concurrent_plans_keep_the_collector_on() -> None:
    cn = calendars.get("CN")
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                stages = [Stage(f"s{i}", 2) for i in range(200)]
                links = [Link(f"s{i}", f"s{i + 1}") for i in range(199)]
                Plan(stages, links, calendar=cn).schedule(start=D(2021, 6, 1))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert gc.isenabled()


def _long(name: str, years: int = 300) -> WorkCalendar:
    return WorkCalendar(name, first=D(2000, 1, 1), last=D(2000 + years - 1, 12, 31))


def test_a_dropped_calendar_takes_its_axis_with_it() -> None:
    approval_clock.clear_caches()
    cal = _long("long")
    Plan([Stage("a", 5)], calendar=cal).schedule(start=D(2001, 1, 1))
    assert len(_cpm.AXES) == 1
    assert _cpm.AXES.size > 0
    del cal
    gc.collect()
    assert len(_cpm.AXES) == 0
    assert _cpm.AXES.size == 0


def test_the_axis_cache_is_bounded_by_size(monkeypatch: pytest.MonkeyPatch) -> None:
    approval_clock.clear_caches()
    kept = [_long(f"c{k}", years=100) for k in range(4)]
    one = (len(_cpm.Axis(kept[0])._floor) + len(_cpm.Axis(kept[0])._ord)) * 40
    monkeypatch.setattr(_cpm.AXES, "limit", 2 * one)
    for cal in kept:
        Plan([Stage("a", 5)], calendar=cal).schedule(start=D(2001, 1, 1))
    assert len(_cpm.AXES) == 2  # the two most recent
    assert _cpm.AXES.size <= 2 * one
    # Answers do not depend on the cache.
    again = Plan([Stage("a", 5)], calendar=kept[0]).schedule(start=D(2001, 1, 1))
    assert again.finish == D(2001, 1, 5)
    approval_clock.clear_caches()
    assert len(_cpm.AXES) == 0

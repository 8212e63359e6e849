"""Safe to run in a service: no global interpreter state touched, caches that let go.

Here: the garbage collector, the axis cache, compiling a calendar once however
many threads ask first, the warning filters, and joint calendars that once grew
without bound (``calendar = ["CN", "CN", ...]``). The rest of the service
contract (docs/security.md) is tested next to it: confined and bounded files in
``test_safety_files.py``, numbers at the edges in ``test_safety_numbers.py``,
work limits in ``test_safety_limits.py``, the command line's output in
``test_safety_cli.py``.
"""

from __future__ import annotations

import gc
import threading
from datetime import date

import pytest

import approval_clock
from approval_clock import Link, Plan, Stage, WorkCalendar, calendars
from approval_clock.plans import _cpm

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


# -- compiled once, from many threads ---------------------------------------------------


def test_the_first_use_from_many_threads_compiles_the_calendar_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    approval_clock.clear_caches()
    made: list[object] = []
    compile_cn = calendars._official._make

    def counted(*args: object) -> WorkCalendar:
        made.append(args)
        return compile_cn(*args)

    monkeypatch.setattr(calendars._official, "_make", counted)
    start = threading.Barrier(16)
    got: list[WorkCalendar] = []

    def first_request() -> None:
        start.wait()
        got.append(calendars.get("CN"))

    threads = [threading.Thread(target=first_request) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert made == [("CN", None)]
    assert len(got) == 16
    assert all(cal is got[0] for cal in got)
    approval_clock.clear_caches()
    assert calendars.get("CN") is not got[0]  # cleared: compiled again
    assert len(made) == 2


def test_a_failed_compile_is_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    calendars._official.cache_clear()
    compile_cn = calendars._official._make
    calls: list[int] = []

    def flaky(*args: object) -> WorkCalendar:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk hiccup")
        return compile_cn(*args)

    monkeypatch.setattr(calendars._official, "_make", flaky)
    with pytest.raises(OSError, match="hiccup"):
        calendars.get("CN")
    assert calendars.get("CN").code == "CN"  # the next call tries again
    assert len(calls) == 2


# -- warning filters: never the library's to change ------------------------------------------


def test_workalendar_calendars_leave_the_warning_filters_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import warnings

    from approval_clock.calendars import _workalendar

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("library code changed the process-wide warning filters")

    before = list(warnings.filters)
    _workalendar._window.cache_clear()  # probe the codes' years again
    for name in ("catch_warnings", "simplefilter", "filterwarnings", "resetwarnings"):
        monkeypatch.setattr(warnings, name, refuse)
    errors: list[BaseException] = []

    def compile_one(code: str, years: tuple[int, int]) -> None:
        try:
            calendars.get(code, years=years)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    # SG warns about its Islamic holidays, each year compiled or probed: the
    # warnings come through as workalendar issues them (the suite ignores them).
    jobs = [("SG", (2001 + k, 2002 + k)) for k in range(6)]
    threads = [threading.Thread(target=compile_one, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    monkeypatch.undo()
    assert errors == []
    assert warnings.filters == before


# -- joint calendars: the 660-byte plan that took 137 MB --------------------------------------


def _joint_plan(n: int, code: str = "CN") -> str:
    codes = ", ".join([f'"{code}"'] * n)
    return f'format = 1\ncalendar = [{codes}]\n[[stages]]\nid = "a"\nduration = 5\n'


def test_a_calendar_combined_with_itself_is_itself(cn: WorkCalendar) -> None:
    assert (cn & cn) is cn
    assert (cn | cn) is cn
    assert (cn & calendars.get("CN", notices_through=2026)) is cn  # equal counts as the same


def test_a_long_list_of_calendars_is_refused_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from approval_clock import PlanFileError

    text = _joint_plan(2000)  # 12 KB: this ran out of memory
    assert len(text.encode()) > 12_000

    def no_calendar(*args: object, **kwargs: object) -> None:
        raise AssertionError("a calendar was loaded before the list was refused")

    monkeypatch.setattr(calendars, "get", no_calendar)
    with pytest.raises(PlanFileError) as e:
        Plan.loads(text, source="plan.toml")
    assert str(e.value) == (
        "plan.toml: calendar: a joint calendar of 2000 calendars, more than the 8 accepted "
        "(limits.calendars)"
    )


def test_a_calendar_named_many_times_counts_once(cn: WorkCalendar) -> None:
    from approval_clock.limits import Limits

    # (The time this took before, 55 s and 6 GB for 2 000 names, is measured by
    # hand, not asserted: shared machines stall.) Counted once, it is CN itself.
    plan = Plan.loads(_joint_plan(2000), limits=Limits(calendars=5000))
    assert plan.calendar is calendars.get("CN")
    assert Plan.loads(plan.to_toml()) == plan
    hk = calendars.get("HK", years=(2021, 2021))
    joint = Plan.loads(
        'format = 1\ncalendar = ["CN", "HK", "CN", "HK"]\n[[stages]]\nid = "a"\nduration = 5\n'
    )
    assert joint.calendar == calendars.get("CN") & calendars.get("HK")
    assert joint.calendar.name == "Mainland China & Hong Kong"
    assert (cn & hk).name == "Mainland China & Hong Kong"


def test_names_of_compositions_stay_short_however_deep(cn: WorkCalendar) -> None:
    # Distinct calendars (so that nothing is deduplicated), nested left and right.
    parts = [
        cn.with_holidays([D(2021, 3, k + 1)], name=f"closure {k}").renamed(f"office {k}")
        for k in range(8)
    ]
    deep = parts[0]
    for k, part in enumerate(parts[1:]):
        deep = (deep & part) if k % 2 else (part & deep)
    balanced = parts
    while len(balanced) > 1:
        balanced = [a & b for a, b in zip(balanced[::2], balanced[1::2], strict=True)]
    for joint in (deep, balanced[0]):
        assert len(joint.name) <= 120
        # "<side>: <its reason>; <side>: <its reason>", each part at most 120 characters.
        assert max(len(n) for n in joint.holidays.values()) <= 2 * (120 + 2 + 120) + 2
        assert max(len(n) for n in joint.names_zh.values()) <= 2 * (120 + 1 + 120) + 1
        # The days are right, whatever the names say.
        assert [joint.is_working_day(D(2021, 3, k + 1)) for k in range(8)] == [False] * 8
        assert joint.is_working_day(D(2021, 3, 15))

"""sweep(): every start of a year, the fast path equal to scheduling each start."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approval_clock import (
    CalendarCoverageError,
    Link,
    Plan,
    PolicyError,
    Stage,
    calendars,
    sweep,
)
from approval_clock.checks.sweeps import Sweep, _is_uniform, _starts, _sweep_each

D = date
CN = calendars.get("CN")
COLUMNS = (
    "starts",
    "first",
    "finish",
    "duration",
    "approval_days",
    "notice_days",
    "calendar_days",
    "longest_notice",
    "provisional",
    "certainty",
)


def _each(plan: Plan, starts: object = None, *, year: int | None = None) -> Sweep:
    """The sweep that schedules every start (what the fast path must equal)."""
    return _sweep_each(plan, _starts(plan, starts, year))  # type: ignore[arg-type]


def _same(a: object, b: object) -> None:
    for c in COLUMNS:
        assert np.array_equal(getattr(a, c), getattr(b, c)), c
    assert a.uncovered == b.uncovered  # type: ignore[attr-defined]


def test_45_working_days_over_2021_by_hand() -> None:
    plan = Plan(stages=[Stage("all", 45)], calendar=CN)
    s = sweep(plan, year=2021)
    assert s.fast
    assert len(s) == 250  # the working days of 2021
    assert set(s.approval_days.tolist()) == {45}
    k = s.starts.tolist().index(D(2021, 9, 1))
    # From Wed 2021-09-01: Sep 1-3 (3), 6-10 (8), 13-17 (13), Sat 18 (14), 22-24 (17),
    # Sun 26 (18), 27-30 (22), Oct 8 (23), Sat 9 (24), 11-15 (29), 18-22 (34),
    # 25-29 (39), Nov 1-5 (44), Nov 8 (45): 69 calendar days.
    assert s.finish[k] == np.datetime64("2021-11-08")
    assert s.calendar_days[k] == 69


def test_fast_path_equals_scheduling_each_start() -> None:
    plan = Plan.from_toml("examples/huludao/reform.toml")
    _same(sweep(plan, year=2021), _each(plan, year=2021))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.integers(0, 12), min_size=1, max_size=5),
    st.lists(
        st.tuples(
            st.integers(0, 4),
            st.integers(0, 4),
            st.sampled_from(["FS", "SS", "FF"]),
            st.integers(-3, 3),
        ),
        max_size=5,
    ),
    st.integers(2005, 2025),
)
def test_fast_path_equals_slow_path_on_random_plans(
    days: list[int], raw_links: list[tuple[int, int, str, int]], year: int
) -> None:
    n = len(days)
    links = {}
    for a, b, kind, lag in raw_links:
        if a < b < n:
            links[(a, b, kind)] = Link(f"s{a}", f"s{b}", kind, lag)
    plan = Plan(
        stages=[Stage(f"s{i}", d, kind="notice" if i == 0 else "work") for i, d in enumerate(days)],
        links=list(links.values()),
        calendar=CN,
    )
    starts = [D(year, m, 1 + 7 * k) for m in (1, 2, 9, 10, 12) for k in range(4)]
    _same(sweep(plan, starts), _each(plan, starts))


def test_uncovered_starts_are_listed_not_dropped() -> None:
    plan = Plan(stages=[Stage("all", 45)], calendar=CN)
    s = sweep(plan, year=2026)
    assert len(s) + len(s.uncovered) == 248
    first_out, why = s.uncovered[0]
    assert first_out == D(2026, 11, 2)  # 45 working days from here end in 2027
    assert "would end after the range" in why
    slow = _each(plan, year=2026)
    assert [d for d, _ in slow.uncovered] == [d for d, _ in s.uncovered]


def test_projection_makes_late_starts_provisional() -> None:
    ext = CN.extended(until=D(2027, 12, 31))
    plan = Plan(stages=[Stage("all", 45)], calendar=ext)
    s = sweep(plan, year=2026)
    assert not s.uncovered
    assert s.provisional.sum() == 44
    assert not s.provisional[s.starts < np.datetime64("2026-11-02")].any()
    _same(s, _each(plan, year=2026))


def test_general_path_for_calendar_day_stages_and_other_calendars() -> None:
    plan = Plan(
        stages=[Stage("notice", "10cd", kind="notice"), Stage("review", 5)],
        links=[Link("notice", "review")],
        calendar=CN,
    )
    s = sweep(plan, [D(2021, 9, 16), D(2021, 9, 17), D(2021, 9, 21)])
    assert not s.fast
    # From Thu 16 Sep, 10 calendar days end Sat 25 Sep, a rest day, rolled to Sun 26,
    # a makeup working day: working days 16, 17, Sat 18 (makeup), 22, 23, 24, 26 = 7.
    # From Fri 17 Sep they end on Sun 26 itself: 17, 18, 22, 23, 24, 26 = 6.
    # Tue 21 Sep is Mid-autumn: the notice starts Wed 22, ends Fri 1 Oct (National
    # Day), rolled to Fri 8 Oct: 22, 23, 24, 26, 27, 28, 29, 30, Oct 8 = 9.
    assert s.notice_days.tolist() == [7, 6, 9]
    assert s.first.tolist() == [D(2021, 9, 16), D(2021, 9, 17), D(2021, 9, 22)]
    assert not _is_uniform(plan)  # calendar days: no fast path


def test_summary_worst_crossing_records() -> None:
    plan = Plan(stages=[Stage("all", 5)], calendar=CN)
    s = sweep(plan, year=2021)
    assert s.crossing("National Day") == [D(2021, 9, k) for k in (27, 28, 29, 30)]
    assert s.crossing("Nonexistent Day") == []
    worst = s.worst(2)
    assert s.calendar_days[s.starts.tolist().index(worst[0])] == s.summary()["max"]
    rec = s.to_records()[0]
    assert rec["start"] == D(2021, 1, 4)
    assert rec["finish"] == D(2021, 1, 8)
    assert rec["calendar_days"] == 5


def test_arguments_are_checked() -> None:
    plan = Plan(stages=[Stage("all", 5)], calendar=CN)
    with pytest.raises(PolicyError, match="either starts"):
        sweep(plan)
    with pytest.raises(PolicyError, match="either starts"):
        sweep(plan, [D(2021, 1, 4)], year=2021)
    with pytest.raises(CalendarCoverageError, match="year 2030"):
        sweep(plan, year=2030)
    with pytest.raises(TypeError, match=r"datetime\.date"):
        sweep(plan, ["2021-01-04"])  # type: ignore[list-item]
    with pytest.raises(PolicyError, match="column"):
        sweep(plan, year=2021).summary("hours")  # type: ignore[arg-type]


def test_starts_outside_the_calendar_are_uncovered() -> None:
    plan = Plan(stages=[Stage("all", 5)], calendar=CN)
    s = sweep(plan, [D(2003, 12, 1), D(2021, 1, 4)])
    assert len(s) == 1
    assert s.uncovered[0][0] == D(2003, 12, 1)
    assert "outside calendar" in s.uncovered[0][1]


def test_longest_notice_is_one_stage_not_the_windows() -> None:
    # Two 20-day notices, the second starting 15 working days into the first: the
    # windows cover 35 working days, the longest single notice is 20.
    plan = Plan(
        stages=[Stage("n1", 20, kind="notice"), Stage("n2", 20, kind="notice")],
        links=[Link("n1", "n2", "SS", 15)],
        calendar=CN,
    )
    s = sweep(plan, year=2021)
    assert set(s.notice_days.tolist()) == {35}
    assert set(s.longest_notice.tolist()) == {20}
    assert s.to_records()[0]["longest_notice"] == 20
    _same(s, _each(plan, year=2021))


def test_a_not_before_date_is_swept_start_by_start() -> None:
    # A listing not before Fri 8 Oct 2021: from any start up to then, the 5-day notice
    # after it runs Oct 8, 9 (makeup Saturday), 11, 12, 13; from later starts it moves.
    plan = Plan(
        stages=[Stage("listing", 0, not_before=D(2021, 10, 8)), Stage("notice", 5, kind="notice")],
        links=[Link("listing", "notice")],
        calendar=CN,
    )
    s = sweep(plan, [D(2021, 9, 1), D(2021, 9, 30), D(2021, 10, 8), D(2021, 10, 11)])
    assert not s.fast
    assert s.finish.tolist() == [D(2021, 10, 13), D(2021, 10, 13), D(2021, 10, 13), D(2021, 10, 15)]
    # The duration counts from each start: Sep 1 .. Oct 13 is 29 working days.
    assert s.duration.tolist()[0] == CN.count(D(2021, 9, 1), D(2021, 10, 13))
    assert not _is_uniform(plan)  # a not_before date does not shift with the start


def test_a_closing_finish_milestone_keeps_the_fast_path_equal() -> None:
    # A finish milestone dated on the last working day (2026-12-31) is inside the
    # range, but its boundary is past it: both paths refuse that start alike.
    plan = Plan(stages=[Stage("a", 5), Stage("done", 0)], links=[Link("a", "done")], calendar=CN)
    starts = CN.working_days(D(2026, 12, 21), D(2026, 12, 31))
    fast, slow = sweep(plan, starts), _each(plan, starts)
    for c in COLUMNS:
        assert np.array_equal(getattr(fast, c), getattr(slow, c)), c
    # The 5 working days from Fri 25 Dec end Thu 31 Dec; the milestone's boundary
    # is the start of the day after, outside the range: starts from Dec 25 are
    # uncovered on both paths (their messages say it in different words).
    assert [d for d, _ in fast.uncovered] == [d for d, _ in slow.uncovered]
    assert fast.uncovered[0][0] == D(2026, 12, 25)
    assert fast.requested == slow.requested == len(starts)

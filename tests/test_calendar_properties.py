"""Properties of WorkCalendar, on random calendars and on the mainland calendar.

The compiled engine is checked against a deliberately naive reference that walks
day by day (``_Naive``), so a wrong prefix-sum index cannot hide behind an
invariant that both sides share.
"""

from __future__ import annotations

import calendar as pycal
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from approval_clock import (
    CalendarCoverageError,
    CalendarDays,
    CalendarMonths,
    WorkCalendar,
    WorkingDays,
    calendars,
)
from approval_clock.strategies import calendars as calendars_strategy

FIRST, LAST = date(2024, 1, 1), date(2026, 12, 31)
CN = calendars.get("CN")


def work_calendars(name: str = "R") -> st.SearchStrategy[WorkCalendar]:
    """Random calendars over exactly FIRST..LAST (the naive reference stops at LAST)."""
    return calendars_strategy(
        min_value=FIRST,
        max_value=LAST,
        min_days=(LAST - FIRST).days + 1,
        max_holidays=40,
        max_workdays=15,
        name=name,
    )


class _Naive:
    """The rules read literally, one day at a time."""

    def __init__(self, cal: WorkCalendar) -> None:
        self.cal = cal
        self.mask = cal.weekmask
        self.hol = cal.holidays
        self.wd = cal.workdays

    def working(self, d: date) -> bool:
        if d in self.wd:
            return True
        if d in self.hol:
            return False
        return self.mask[d.weekday()] == "1"

    def count(self, a: date, b: date) -> int:
        return sum(self.working(a + timedelta(days=k)) for k in range((b - a).days + 1))

    def deadline_wd(self, d: date, n: int) -> date | None:
        k, day = 0, d
        while k < n:
            day += timedelta(days=1)
            if day > LAST:
                return None
            k += self.working(day)
        return day

    def roll(self, d: date) -> date | None:
        while d <= LAST and not self.working(d):
            d += timedelta(days=1)
        return d if d <= LAST else None

    def deadline_months(self, d: date, n: int) -> date | None:
        y, m = divmod(d.month - 1 + n, 12)
        y += d.year
        day = min(d.day, pycal.monthrange(y, m + 1)[1])
        end = date(y, m + 1, day)
        return self.roll(end) if end <= LAST else None


dates_in_range = st.dates(FIRST, LAST)


@settings(max_examples=60, deadline=None)
@given(work_calendars(), dates_in_range, dates_in_range, st.integers(0, 60))
def test_engine_equals_the_naive_reference(cal: WorkCalendar, a: date, b: date, n: int) -> None:
    ref = _Naive(cal)
    a, b = min(a, b), max(a, b)
    assert cal.is_working_day(a) == ref.working(a)
    assert cal.count(a, b) == ref.count(a, b)
    expected = ref.deadline_wd(a, n)
    if expected is None:
        try:
            cal.deadline(a, WorkingDays(n))
        except CalendarCoverageError:
            pass
        else:
            raise AssertionError("deadline past the range must raise")
    else:
        assert cal.deadline(a, WorkingDays(n)) == expected
    end = a + timedelta(days=n)
    rolled = ref.roll(end) if end <= LAST else None
    if rolled is not None:
        assert cal.deadline(a, CalendarDays(n)) == rolled
    months = ref.deadline_months(a, n % 13)
    if months is not None:
        assert cal.deadline(a, CalendarMonths(n % 13)) == months


@settings(max_examples=200)
@given(st.dates(date(2004, 1, 1), date(2026, 6, 30)), st.integers(0, 120))
def test_elapsed_inverts_deadline_on_cn(d: date, n: int) -> None:
    end = CN.deadline(d, WorkingDays(n))
    assert CN.elapsed(d, end) == n
    if n > 0:
        assert CN.is_working_day(end)
        # The deadline is the first day on which n working days have elapsed.
        assert CN.elapsed(d, end - timedelta(days=1)) == n - 1


@settings(max_examples=100, deadline=None)
@given(work_calendars(), dates_in_range, st.integers(0, 200))
def test_elapsed_inverts_deadline_on_random_calendars(cal: WorkCalendar, d: date, n: int) -> None:
    try:
        end = cal.deadline(d, WorkingDays(n))
    except CalendarCoverageError:
        assume(False)
        return
    assert cal.elapsed(d, end) == n


@settings(max_examples=200)
@given(st.lists(st.dates(date(2004, 1, 1), date(2026, 12, 31)), min_size=3, max_size=3))
def test_count_and_elapsed_are_additive(days: list[date]) -> None:
    a, b, c = sorted(days)
    assume(b < c)
    assert CN.count(a, b) + CN.count(b + timedelta(days=1), c) == CN.count(a, c)
    assert CN.elapsed(a, b) + CN.elapsed(b, c) == CN.elapsed(a, c)
    assert CN.elapsed(a, c) == -CN.elapsed(c, a)
    # count includes the start day; elapsed does not.
    assert CN.count(a, c) == CN.elapsed(a, c) + int(CN.is_working_day(a))


@settings(max_examples=100)
@given(st.dates(date(2004, 1, 1), date(2026, 11, 30)), st.integers(0, 400))
def test_calendar_day_deadline_is_the_first_working_day_on_or_after(d: date, n: int) -> None:
    target = d + timedelta(days=n)
    assume(target <= date(2026, 12, 20))
    end = CN.deadline(d, CalendarDays(n))
    assert end >= target
    assert CN.is_working_day(end)
    assert CN.count(target, end) == 1  # no working day between target and end


@settings(max_examples=50, deadline=None)
@given(
    # From 2004-01-10: previous_working_day needs a working day before the start.
    st.lists(st.dates(date(2004, 1, 10), date(2026, 6, 30)), min_size=1, max_size=50),
    st.lists(st.integers(0, 150), min_size=1, max_size=50),
    st.integers(0, 40),
)
def test_vector_equals_scalar(starts: list[date], spans: list[int], n: int) -> None:
    k = min(len(starts), len(spans))
    a = np.array(starts[:k], dtype="datetime64[D]")
    b = a + np.array(spans[:k], dtype="timedelta64[D]")
    counts = CN.count(a, b)
    elapsed = CN.elapsed(a, b)
    working = CN.is_working_day(a)
    ends = CN.deadline(a, WorkingDays(n))
    cal_ends = CN.deadline(a, CalendarDays(n))
    month_ends = CN.deadline(a, CalendarMonths(n % 7))
    nexts = CN.next_working_day(a)
    prevs = CN.previous_working_day(b)
    numbers = CN.working_day_number(a)
    for i in range(k):
        da, db = starts[i], b[i].astype(date)
        assert counts[i] == CN.count(da, db)
        assert elapsed[i] == CN.elapsed(da, db)
        assert working[i] == CN.is_working_day(da)
        assert ends[i].astype(date) == CN.deadline(da, WorkingDays(n))
        assert cal_ends[i].astype(date) == CN.deadline(da, CalendarDays(n))
        assert month_ends[i].astype(date) == CN.deadline(da, CalendarMonths(n % 7))
        assert nexts[i].astype(date) == CN.next_working_day(da)
        assert prevs[i].astype(date) == CN.previous_working_day(db)
        assert numbers[i] == CN.working_day_number(da)


@settings(max_examples=50, deadline=None)
@given(work_calendars("A"), work_calendars("B"), dates_in_range)
def test_composition_laws(a: WorkCalendar, b: WorkCalendar, d: date) -> None:
    shared = any(x == y == "1" for x, y in zip(a.weekmask, b.weekmask, strict=True))
    if not shared:
        # No common working weekday: refused with a clear message, not an odd calendar.
        with pytest.raises(ValueError, match="no working weekday"):
            _ = a & b
        return
    both, either = a & b, a | b
    assert both.is_working_day(d) == (a.is_working_day(d) and b.is_working_day(d))
    assert either.is_working_day(d) == (a.is_working_day(d) or b.is_working_day(d))
    assert (b & a).is_working_day(d) == both.is_working_day(d)
    assert (a & a).is_working_day(d) == a.is_working_day(d)
    assert (a | (a & b)).is_working_day(d) == a.is_working_day(d)  # absorption
    for c in (both, either):
        text = c.describe(d)
        assert c.is_working_day(d) == (text == "working day" or text.startswith("makeup"))


@settings(max_examples=60, deadline=None)
@given(work_calendars(), dates_in_range)
def test_describe_agrees_with_is_working_day(cal: WorkCalendar, d: date) -> None:
    text = cal.describe(d)
    working = cal.is_working_day(d)
    assert working == (text == "working day" or text.startswith("makeup working day for "))


@settings(max_examples=100)
@given(st.dates(date(2004, 1, 1), date(2026, 12, 31)))
def test_working_day_numbers_invert(d: date) -> None:
    k = CN.working_day_number(d)
    if CN.is_working_day(d):
        assert CN.date_of_working_day(k) == d
    elif k > 0:
        assert CN.date_of_working_day(k) < d

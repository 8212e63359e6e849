"""Vector queries: the fast path (``calendars/_vector.py``) gives exactly the answers of the
general path and of the scalar path, on random arrays with NaT, dates outside the range
and every datetime64 unit; pandas Series keep their index and name, and two Series are
paired by index or refused, never by position.

The general path is reached by passing the same dates as a list (the fast path takes
numpy arrays and pandas objects only); the scalar path is the method called on each
date. No test here times anything: the speed is measured by ``benchmarks/``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approval_clock import (
    ApprovalClockError,
    CalendarCoverageError,
    CalendarDays,
    CalendarMonths,
    DateOrderError,
    DurationError,
    WorkCalendar,
    WorkingDays,
    calendars,
)
from approval_clock.calendars import _vector
from approval_clock.strategies import calendars as calendars_strategy

CN = calendars.get("CN")
EPOCH = date(1970, 1, 1)
PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400 * 10**6}
PER_DAY["ns"] = 86_400 * 10**9
NAT = np.iinfo(np.int64).min

# Short random calendars: an array is then often longer than the calendar has days,
# which is when deadlines in months are answered from a table.
SHORT = calendars_strategy(
    min_value=date(2021, 1, 1), max_value=date(2021, 3, 31), min_days=20, max_holidays=6
)


@st.composite
def day_arrays(
    draw: st.DrawFn,
    cal: WorkCalendar,
    *,
    size: int = 40,
    nat: bool = True,
    outside: bool = False,
    units: tuple[str, ...] = tuple(PER_DAY),
) -> np.ndarray[Any, Any]:
    """datetime64 arrays of a drawn unit over ``cal``'s range (a few days past it if ``outside``)."""
    first, last = cal.coverage
    lo, hi = (first - EPOCH).days, (last - EPOCH).days
    margin = 3 if outside else 0
    day = st.integers(lo - margin, hi + margin)
    element = st.one_of(day, st.none()) if nat else day
    days = draw(st.lists(element, max_size=size))
    unit = draw(st.sampled_from(units))
    per = PER_DAY[unit]
    times = draw(st.lists(st.integers(0, per - 1), min_size=len(days), max_size=len(days)))
    raw = [NAT if d is None else d * per + t for d, t in zip(days, times, strict=True)]
    return np.array(raw, dtype=np.int64).view(f"datetime64[{unit}]")


def _outcome(run: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "ok", run()
    except ApprovalClockError as e:
        return type(e).__name__, str(e)


_MISSING = ("NAType", "NaTType")


def _plain(values: Any) -> list[Any]:
    """Results as comparable Python values; missing (NaT, NaN, <NA>) as None."""
    out: list[Any] = []
    for v in np.asarray(values, dtype=object).reshape(-1).tolist():
        if v is None or (isinstance(v, float) and v != v) or type(v).__name__ in _MISSING:
            out.append(None)
        elif type(v).__name__ == "Timestamp":
            out.append(v.date())
        elif isinstance(v, np.datetime64):
            out.append(None if np.isnat(v) else v.astype("datetime64[D]").item())
        else:
            out.append(v)
    return out


def _same_result(fast: Any, general: Any) -> None:
    assert type(fast) is type(general)
    if isinstance(fast, np.ndarray):
        assert fast.dtype == general.dtype
        assert fast.shape == general.shape
        np.testing.assert_array_equal(fast, general)
    else:
        assert fast == general


def _scalar(d: np.datetime64) -> date | None:
    return None if np.isnat(d) else d.astype("datetime64[D]").item()


UNARY: dict[str, Callable[[WorkCalendar, Any], Any]] = {
    "is_working_day": lambda c, d: c.is_working_day(d),
    "working_day_number": lambda c, d: c.working_day_number(d),
    "next_working_day": lambda c, d: c.next_working_day(d),
    "previous_working_day": lambda c, d: c.previous_working_day(d),
    "roll_forward": lambda c, d: c.roll_forward(d),
    "day_kind": lambda c, d: c.day_kind(d),
    "certainty": lambda c, d: c.certainty(d),
}


def _check_unary(cal: WorkCalendar, arr: np.ndarray[Any, Any], name: str) -> None:
    query = UNARY[name]
    fast = _outcome(lambda: query(cal, arr))
    general = _outcome(lambda: query(cal, list(arr)))
    if fast[0] != "ok" or general[0] != "ok":
        assert fast == general
        return
    _same_result(fast[1], general[1])
    # Each element as a scalar: the same answer, or (for NaT) a missing one.
    for k, (x, got) in enumerate(zip(arr, _plain(fast[1]), strict=True)):
        d = _scalar(x)
        if d is None:
            assert got in (None, False), k  # numpy has no missing bool: NaT is not working
            continue
        want = _outcome(lambda d=d: query(cal, d))  # type: ignore[misc]
        if want[0] == "ok":
            assert got == want[1], (k, d)
        else:
            raise AssertionError(f"the array answered {got} for {d}, the scalar raised {want}")


@settings(max_examples=150, deadline=None)
@given(st.data(), st.sampled_from(sorted(UNARY)))
def test_unary_queries_agree_on_cn(data: st.DataObject, name: str) -> None:
    arr = data.draw(day_arrays(CN, outside=data.draw(st.booleans())))
    _check_unary(CN, arr, name)


@settings(max_examples=150, deadline=None)
@given(SHORT, st.data(), st.sampled_from(sorted(UNARY)))
def test_unary_queries_agree_on_short_random_calendars(
    cal: WorkCalendar, data: st.DataObject, name: str
) -> None:
    arr = data.draw(day_arrays(cal, outside=data.draw(st.booleans())))
    _check_unary(cal, arr, name)


@settings(max_examples=200, deadline=None)
@given(
    SHORT,
    st.data(),
    st.sampled_from([WorkingDays, CalendarDays, CalendarMonths]),
    st.integers(0, 70),
)
def test_deadlines_agree(cal: WorkCalendar, data: st.DataObject, unit: type, n: int) -> None:
    arr = data.draw(day_arrays(cal, size=90, outside=data.draw(st.booleans())))
    duration = unit(n if unit is not CalendarMonths else n % 4)
    fast = _outcome(lambda: cal.deadline(arr, duration))
    general = _outcome(lambda: cal.deadline(list(arr), duration))
    scalars = [
        None if _scalar(x) is None else _outcome(lambda x=x: cal.deadline(_scalar(x), duration))
        for x in arr
    ]  # type: ignore[misc]
    if fast[0] != "ok" or general[0] != "ok":
        assert fast == general
        # An array raises exactly when some date of it does, as a scalar.
        assert any(s is not None and s[0] != "ok" for s in scalars)
        return
    _same_result(fast[1], general[1])
    for got, want in zip(_plain(fast[1]), scalars, strict=True):
        assert got == (None if want is None else want[1])


def test_deadline_in_months_from_a_table_equals_the_general_path() -> None:
    # 9000 dates: more than the 8401 days of CN, so the answers come from a table.
    rng = np.random.default_rng(3)
    arr = np.datetime64("2004-01-01") + rng.integers(0, 7500, 9000).astype("timedelta64[D]")
    for n in (0, 1, 2, 13):
        fast = CN.deadline(arr, CalendarMonths(n))
        _same_result(fast, CN.deadline(list(arr), CalendarMonths(n)))
    for k in range(0, 9000, 97):
        d = arr[k].item()
        assert fast[k].item() == CN.deadline(d, CalendarMonths(13))
    with pytest.raises(CalendarCoverageError, match="ends after the range"):
        CN.deadline(arr, CalendarMonths(120))


PAIRS: dict[str, Callable[[WorkCalendar, Any, Any], Any]] = {
    "count": lambda c, a, b: c.count(a, b),
    "elapsed": lambda c, a, b: c.elapsed(a, b),
    "certainty": lambda c, a, b: c.certainty(a, b),
}


@settings(max_examples=200, deadline=None)
@given(st.data(), st.sampled_from(sorted(PAIRS)), st.sampled_from(["both", "a", "b"]))
def test_pairwise_queries_agree(data: st.DataObject, name: str, scalar: str) -> None:
    cal = data.draw(st.sampled_from([CN, data.draw(SHORT)]))
    outside = data.draw(st.booleans())
    a = data.draw(day_arrays(cal, outside=outside))
    b = data.draw(day_arrays(cal, outside=outside, size=len(a)))
    b = b[: len(a)] if len(b) >= len(a) else np.resize(b, len(a)) if len(b) else a.copy()
    if name == "count" and data.draw(st.booleans()):
        a, b = np.minimum(a, b), np.maximum(a, b)  # mostly ordered pairs, NaT kept
        a = np.where(np.isnat(b), b, a)
    query = PAIRS[name]
    left: Any = a
    right: Any = b
    if scalar == "a" and len(a):
        left = a[0]
    elif scalar == "b" and len(b):
        right = b[0]
    fast = _outcome(lambda: query(cal, left, right))
    general = _outcome(
        lambda: query(
            cal,
            list(left) if isinstance(left, np.ndarray) else left,
            list(right) if isinstance(right, np.ndarray) else right,
        )
    )
    if fast[0] != "ok" or general[0] != "ok":
        assert fast == general
        return
    _same_result(fast[1], general[1])
    lefts = np.broadcast_to(np.asarray(left), np.shape(fast[1]))
    rights = np.broadcast_to(np.asarray(right), np.shape(fast[1]))
    for got, x, y in zip(_plain(fast[1]), lefts, rights, strict=True):
        dx, dy = _scalar(x), _scalar(y)
        if dx is None or dy is None:
            assert got is None
        else:
            assert got == query(cal, dx, dy)


def test_count_refuses_a_reversed_pair_on_the_fast_path_as_on_the_general_one() -> None:
    a = np.array(["2021-01-04", "2021-02-01", "2021-03-01"], dtype="datetime64[D]")
    b = np.array(["2021-01-08", "2021-01-01", "2021-02-01"], dtype="datetime64[D]")
    with pytest.raises(DateOrderError, match="position 1") as fast:
        CN.count(a, b)
    with pytest.raises(DateOrderError) as general:
        CN.count(list(a), list(b))
    assert str(fast.value) == str(general.value)
    with pytest.raises(DateOrderError, match="position 1"):
        CN.count(a, np.datetime64("2021-01-31"))
    with pytest.raises(DateOrderError, match="position 0"):
        CN.count(date(2021, 1, 5), a)


@pytest.mark.parametrize("unit", ["D", "h", "s", "ms", "us", "ns"])
def test_times_of_any_unit_are_their_day(unit: str) -> None:
    stamps = np.array(["2021-10-09T23:59", "2021-10-10T00:01"], dtype="datetime64[m]")
    arr = stamps.astype(f"datetime64[{unit}]")
    # Sat 9 Oct 2021 was a makeup working day, Sun 10 Oct a rest day.
    assert CN.is_working_day(arr).tolist() == [True, False]
    assert CN.count(arr, arr).tolist() == [1, 0]
    assert _plain(CN.deadline(arr, WorkingDays(1))) == [date(2021, 10, 11), date(2021, 10, 11)]


def test_nat_in_nanoseconds_is_missing_even_where_it_floors_into_the_range() -> None:
    # NaT is the smallest int64: in nanoseconds it floors to 1677-09-21.
    cal = WorkCalendar("Old", first=date(1677, 1, 1), last=date(1678, 12, 31))
    arr = np.array(["1677-09-22", "NaT"], dtype="datetime64[ns]")
    assert cal.is_working_day(arr).tolist() == [True, False]  # a Wednesday
    numbers = cal.working_day_number(arr)
    assert numbers[0] == cal.working_day_number(date(1677, 9, 22))
    assert np.isnan(numbers[1])
    assert _plain(cal.deadline(arr, CalendarDays(1))) == [date(1677, 9, 23), None]
    assert _plain(cal.count(arr, arr)) == [1, None]


def test_a_date_outside_the_range_is_named_in_every_unit() -> None:
    for unit in ("D", "s", "ns"):
        arr = np.array(["2021-01-04", "2027-03-01"], dtype=f"datetime64[{unit}]")
        with pytest.raises(CalendarCoverageError, match="2027-03-01 is after the range"):
            CN.is_working_day(arr)
        with pytest.raises(CalendarCoverageError, match="2027-03-01 is after the range"):
            CN.count(arr, arr)
    with pytest.raises(CalendarCoverageError, match="2003-12-31 is before the range"):
        CN.deadline(np.array(["2003-12-31"], dtype="datetime64[D]"), WorkingDays(3))


def test_a_date_past_year_9999_is_named_as_numpy_shows_it() -> None:
    arr = np.array(["2021-01-04", "10000-01-01"], dtype="datetime64[D]")
    with pytest.raises(CalendarCoverageError, match="10000-01-01 is after the range"):
        CN.is_working_day(arr)


def test_past_the_range_raises_on_the_fast_path_too() -> None:
    last = CN.coverage[1]
    arr = np.array([last - timedelta(days=40), last - timedelta(days=2)], dtype="datetime64[D]")
    with pytest.raises(CalendarCoverageError, match=r"ends after the range"):
        CN.deadline(arr, WorkingDays(20))
    with pytest.raises(CalendarCoverageError, match=r"ends after the range"):
        CN.deadline(arr, CalendarDays(20))
    with pytest.raises(CalendarCoverageError, match="ends after the range"):
        CN.next_working_day(np.array([last], dtype="datetime64[D]"))
    with pytest.raises(CalendarCoverageError, match="no working day before"):
        CN.previous_working_day(np.array([CN.coverage[0]], dtype="datetime64[D]"))


def test_long_arrays_cross_chunk_boundaries() -> None:
    size = 2 * _vector.CHUNK + 17
    rng = np.random.default_rng(11)
    a = np.datetime64("2005-01-01") + rng.integers(0, 7000, size).astype("timedelta64[D]")
    b = a + rng.integers(0, 300, size).astype("timedelta64[D]")
    counts = CN.count(a, b)
    _same_result(counts, CN.count(a.astype(object), b.astype(object)))
    # A problem in the last chunk only is still found.
    b[-1] = a[-1] - np.timedelta64(1, "D")
    with pytest.raises(DateOrderError, match=f"position {size - 1}"):
        CN.count(a, b)
    a[-1] = np.datetime64("NaT")
    assert np.isnan(CN.count(a, b)[-1])


def test_empty_and_multidimensional_arrays() -> None:
    empty = np.array([], dtype="datetime64[D]")
    assert CN.count(empty, empty).shape == (0,)
    assert CN.is_working_day(empty).dtype == bool
    assert CN.deadline(empty, WorkingDays(3)).dtype == np.dtype("datetime64[D]")
    grid = np.array([["2021-10-08", "2021-10-09"], ["2021-10-10", "2021-10-11"]], "datetime64[D]")
    assert CN.is_working_day(grid).tolist() == [[True, True], [False, True]]
    # Broadcast (the general path): row 0 is 8 Oct..10 Oct and 9 Oct..11 Oct.
    assert CN.count(grid, grid[1]).tolist() == [[2, 2], [0, 1]]
    assert CN.deadline(grid, WorkingDays(1)).shape == (2, 2)
    # A column: not contiguous in memory. 8 Oct -> Sat 9 Oct (makeup); 10 Oct -> 11 Oct.
    assert CN.deadline(grid[:, 0], WorkingDays(1)).tolist() == [
        date(2021, 10, 9),
        date(2021, 10, 11),
    ]


# -- pandas ------------------------------------------------------------------------


@pytest.fixture
def pd() -> Any:
    return pytest.importorskip("pandas")


@pytest.mark.parametrize("unit", ["ns", "us", "s"])
def test_series_in_series_out_with_index_and_name(pd: Any, unit: str) -> None:
    days = pd.to_datetime(["2021-09-28", "2021-09-30", "2021-10-09"]).as_unit(unit)
    s = pd.Series(days, index=[10, 20, 30], name="accepted")
    for name, query in UNARY.items():
        out = query(CN, s)
        assert isinstance(out, pd.Series), name
        assert list(out.index) == [10, 20, 30]
        assert out.name == "accepted"
        assert _plain(out) == _plain(query(CN, s.to_numpy())), name
    ends = CN.deadline(s, WorkingDays(3))
    assert ends.name == "accepted"
    assert list(ends.index) == [10, 20, 30]
    assert ends[10] == pd.Timestamp("2021-10-08")
    assert ends[30] == pd.Timestamp("2021-10-13")  # makeup Saturday 9 Oct is not counted


def test_two_series_are_paired_by_index_and_named(pd: Any) -> None:
    a = pd.Series(pd.to_datetime(["2021-08-18", "2021-09-28"]), index=["x", "y"], name="start")
    b = pd.Series(pd.to_datetime(["2021-09-10", "2021-10-08"]), index=["x", "y"], name="end")
    counts = CN.count(a, b)
    assert counts.to_dict() == {"x": 18, "y": 4}
    assert counts.name == "count"  # two names: the operation's
    assert CN.elapsed(a, b).name == "elapsed"
    assert CN.count(a, b.rename("start")).name == "start"  # one shared name: kept
    # A Series with an array pairs by position, as pandas does; the Series shapes the result.
    out = CN.count(a.to_numpy(), b)
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["x", "y"]
    assert out.name == "end"


def test_two_series_with_different_indexes_are_refused_not_paired_by_position(pd: Any) -> None:
    a = pd.Series(pd.to_datetime(["2021-08-18", "2021-09-28"]), index=[1, 2])
    b = pd.Series(pd.to_datetime(["2021-10-08", "2021-09-10"]), index=[2, 1])
    for query in (CN.count, CN.elapsed, CN.certainty):
        with pytest.raises(ApprovalClockError, match=r"different indexes .* align them first") as e:
            query(a, b)
        assert isinstance(e.value, ValueError)
    # Aligned first, the same data gives the answers of the matching rows.
    assert CN.count(a, b.reindex(a.index)).tolist() == [18, 4]


def test_series_with_nat_give_nullable_results(pd: Any) -> None:
    a = pd.Series(pd.to_datetime(["2021-08-18", None]), index=[5, 6], name="a")
    assert CN.count(a, a).tolist() == [1, pd.NA]
    assert str(CN.count(a, a).dtype) == "Int64"
    assert CN.is_working_day(a).isna().tolist() == [False, True]
    assert pd.isna(CN.deadline(a, WorkingDays(2))[6])


# -- one working-day duration per row -----------------------------------------------


def test_deadline_with_one_limit_per_row_equals_the_scalar_deadlines() -> None:
    rng = np.random.default_rng(5)
    starts = np.datetime64("2005-01-01") + rng.integers(0, 7000, 300).astype("timedelta64[D]")
    limits = rng.integers(0, 60, 300)
    for dtype in (np.int64, np.int32, np.uint16):
        ends = CN.deadline(starts, limits.astype(dtype))
        assert ends.dtype == np.dtype("datetime64[D]")
        for k in range(300):
            want = CN.deadline(starts[k].item(), WorkingDays(int(limits[k])))
            assert ends[k].item() == want
    # One start, several limits: broadcast like numpy.
    one = CN.deadline(date(2021, 9, 28), [0, 1, 3])
    assert _plain(one) == [date(2021, 9, 28), date(2021, 9, 29), date(2021, 10, 8)]


def test_deadline_per_row_refuses_negative_bool_float_and_wrong_length() -> None:
    starts = np.array(["2021-09-28", "2021-09-29"], dtype="datetime64[D]")
    with pytest.raises(DurationError, match=r">= 0, got -1 at position 1"):
        CN.deadline(starts, np.array([3, -1]))
    with pytest.raises(DurationError, match="got booleans"):
        CN.deadline(starts, np.array([True, False]))
    with pytest.raises(DurationError, match=r"float64.*astype\('Int64'\)"):
        CN.deadline(starts, np.array([3.0, 4.0]))
    with pytest.raises(DurationError, match="at most 3652058"):
        CN.deadline(starts, np.array([3, 2**40]))
    with pytest.raises(DurationError, match="at most 3652058"):
        CN.deadline(starts, np.array([3, 2**63], dtype=np.uint64))
    with pytest.raises(ValueError, match="do not broadcast"):
        CN.deadline(starts, np.array([1, 2, 3]))
    with pytest.raises(CalendarCoverageError, match="ends after the range"):
        CN.deadline(starts, np.array([3, 10**6]))


def test_deadline_per_row_with_series(pd: Any) -> None:
    starts = pd.Series(pd.to_datetime(["2021-09-28", "2021-09-28", None]), index=[3, 4, 5])
    starts.name = "accepted"
    limits = pd.Series([1, pd.NA, 2], index=[3, 4, 5], dtype="Int64", name="limit")
    ends = CN.deadline(starts, limits)
    assert isinstance(ends, pd.Series)
    assert list(ends.index) == [3, 4, 5]
    assert ends.name == "accepted"
    assert ends[3] == pd.Timestamp("2021-09-29")
    assert pd.isna(ends[4])  # a missing limit
    assert pd.isna(ends[5])  # a missing start
    with pytest.raises(ApprovalClockError, match="different indexes"):
        CN.deadline(starts, limits.set_axis([5, 4, 3]))
    with pytest.raises(DurationError, match="got booleans"):
        CN.deadline(starts, pd.Series([True, False, True], index=[3, 4, 5]))


def test_a_calendar_without_a_working_day() -> None:
    cal = WorkCalendar("Weekend", first=date(2026, 3, 7), last=date(2026, 3, 8))  # Sat, Sun
    days = np.array(["2026-03-07", "2026-03-08"], dtype="datetime64[D]")
    assert cal.is_working_day(days).tolist() == [False, False]
    assert cal.count(days, days[1]).tolist() == [0, 0]
    assert cal.working_day_number(days).tolist() == [0, 0]
    assert _plain(cal.deadline(days, WorkingDays(0))) == [date(2026, 3, 7), date(2026, 3, 8)]
    assert _plain(cal.deadline(days, np.array([0, 0]))) == [date(2026, 3, 7), date(2026, 3, 8)]
    missing = np.array(["NaT"], dtype="datetime64[D]")  # found by the properties above
    assert _plain(cal.deadline(missing, CalendarDays(0))) == [None]
    assert _plain(cal.deadline(missing, WorkingDays(2))) == [None]
    assert _plain(cal.previous_working_day(missing)) == [None]
    for query in (
        lambda: cal.next_working_day(days),
        lambda: cal.previous_working_day(days),
        lambda: cal.roll_forward(days),
        lambda: cal.deadline(days, WorkingDays(1)),
        lambda: cal.deadline(days, CalendarMonths(0)),
        lambda: cal.deadline(days, np.array([0, 1])),
    ):
        with pytest.raises(CalendarCoverageError):
            query()


@settings(max_examples=150, deadline=None)
@given(SHORT, st.data())
def test_deadline_per_row_agrees_with_the_scalar_deadlines(
    cal: WorkCalendar, data: st.DataObject
) -> None:
    arr = data.draw(day_arrays(cal, outside=data.draw(st.booleans())))
    counts = np.array(
        data.draw(st.lists(st.integers(0, 30), min_size=len(arr), max_size=len(arr))),
        dtype=np.int64,
    )
    fast = _outcome(lambda: cal.deadline(arr, counts))
    general = _outcome(lambda: cal.deadline(list(arr), list(counts)))
    scalars = [
        None if _scalar(x) is None else _outcome(lambda x=x, n=n: cal.deadline(_scalar(x), int(n)))  # type: ignore[misc]
        for x, n in zip(arr, counts, strict=True)
    ]
    if fast[0] != "ok" or general[0] != "ok":
        assert fast == general
        assert any(s is not None and s[0] != "ok" for s in scalars)
        return
    _same_result(fast[1], general[1])
    assert _plain(fast[1]) == [None if s is None else s[1] for s in scalars]

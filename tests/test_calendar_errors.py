"""WorkCalendar raises only our errors: each bad argument is an ApprovalClockError (and the
builtin it resembles), never a bare ValueError or TypeError from deeper down; and the
duration vocabulary (issue 12) works wherever a calendar takes a duration.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest

from approval_clock import (
    ApprovalClockError,
    ArgumentTypeError,
    CalendarCoverageError,
    CalendarDays,
    CalendarError,
    CalendarMonths,
    DateTypeError,
    DurationError,
    WorkCalendar,
    WorkingDays,
    calendars,
)

CN = calendars.get("CN")
D = date(2021, 5, 6)


def _tiny(**kw: Any) -> WorkCalendar:
    return WorkCalendar("Tiny", first=date(2026, 1, 1), last=date(2026, 12, 31), **kw)


# -- the cases found one by one ----------------------------------------------------------


def test_an_aware_datetime_on_a_calendar_without_zone_is_a_calendar_error() -> None:
    cal = _tiny()
    for value in (datetime(2026, 3, 2, tzinfo=UTC), np.array([datetime(2026, 3, 2, tzinfo=UTC)])):
        with pytest.raises(CalendarError, match="needs a calendar time zone") as e:
            cal.is_working_day(value)
        assert isinstance(e.value, ValueError)


def test_an_aware_datetime_series_on_a_calendar_without_zone_is_a_calendar_error() -> None:
    pd = pytest.importorskip("pandas")
    s = pd.Series(pd.to_datetime(["2026-03-02T10:00Z"]))
    with pytest.raises(CalendarError, match="needs a calendar time zone"):
        _tiny().count(s, s)


def test_an_aware_datetime_whose_local_day_is_past_9999_is_outside_the_range() -> None:
    late = datetime(
        9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))
    )  # 04:00 UTC, 1 Jan 10000
    with pytest.raises(CalendarCoverageError, match="9999-12-31 23:00:00-05:00 is after"):
        CN.is_working_day(late)
    early = datetime(1, 1, 1, 1, tzinfo=timezone(timedelta(hours=5)))  # before 0001-01-01 UTC
    with pytest.raises(CalendarCoverageError, match="is before the range"):
        CN.is_working_day(early)


@pytest.mark.parametrize("bad", [[[D], [D, D]], [D, [D]]])
def test_ragged_lists_are_a_date_type_error(bad: object) -> None:
    with pytest.raises(DateTypeError, match="which is not an array"):
        CN.is_working_day(bad)
    with pytest.raises(ArgumentTypeError, match="expected an int or an integer array"):
        CN.date_of_working_day([[1], [1, 2]])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weekmask": 5}, "weekmask: expected 7 characters"),
        ({"holidays": 5}, "holidays: expected dates, or a mapping"),
        ({"workdays": date(2026, 3, 7)}, "workdays: expected dates, or a mapping"),
        ({"statutory": 5}, "statutory: expected dates"),
        ({"statutory": "2026-01-01"}, "statutory: expected dates"),
        ({"law": ["CN"]}, "law: expected None or one of 'CN'"),
    ],
)
def test_calendar_arguments_of_the_wrong_kind_are_our_errors(
    kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ApprovalClockError, match=message):
        _tiny(**kwargs)


def test_with_holidays_of_a_single_date_is_a_type_error_not_a_crash() -> None:
    with pytest.raises(ArgumentTypeError, match="holidays: expected dates"):
        CN.with_holidays(date(2026, 4, 20))  # type: ignore[arg-type]


def test_arrays_or_series_where_a_word_is_expected_are_refused() -> None:
    words = np.array(["en", "zh"])
    with pytest.raises(ArgumentTypeError, match="lang: expected one of 'en', 'zh'"):
        CN.describe(D, lang=words)  # type: ignore[arg-type]
    with pytest.raises(CalendarError, match="rule: expected one of"):
        CN.extended(until=date(2027, 12, 31), rule=words)  # type: ignore[arg-type]


def test_an_ical_stamp_without_a_utc_time_is_refused() -> None:
    pd = pytest.importorskip("pandas")
    late = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))
    for stamp in (pd.NaT, late):
        with pytest.raises(ArgumentTypeError, match="stamp: expected None"):
            CN.to_ical(date(2026, 10, 1), date(2026, 10, 31), stamp=stamp)


# -- a table of bad values through every public method ------------------------------------


def _bad_values() -> list[Any]:
    values: list[Any] = [
        None,
        "2021-05-06",
        3,
        2.5,
        float("nan"),
        True,
        object(),
        b"2021-05-06",
        1j,
        {"a": 1},
        [[D], [D, D]],
        [None],
        (D, "x"),
        np.array(["x"]),
        np.array([1.5]),
        np.array([D], dtype=object),
        np.array([[D]], dtype=object),
        np.zeros((2, 0), "datetime64[D]"),
        np.array(["2021-05-06"], ">M8[D]"),
        np.array(["2021-05-06"], "M8[W]"),
        np.array([10**15], "M8[Y]"),
        np.datetime64(10**15, "Y"),
        np.datetime64("NaT"),
        np.datetime64("2021-05-06T12", "h"),
        np.int64(5),
        datetime(2021, 5, 6, tzinfo=UTC),
        datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),
        10**30,
        range(3),
    ]
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dev dependency
        return values
    return [
        *values,
        pd.NaT,
        pd.Series(["x"]),
        pd.Series([D]),
        pd.Index(["x"]),
        pd.Series([], dtype=object),
        pd.Timestamp("2021-05-06", tz="UTC"),
        pd.DataFrame({"a": [D]}),
    ]


BAD = _bad_values()
ARRAY = np.array([D, D + timedelta(days=3)], dtype="datetime64[D]")

CALLS: dict[str, Callable[[WorkCalendar, Any], Any]] = {
    "is_working_day": lambda c, x: c.is_working_day(x),
    "day_kind": lambda c, x: c.day_kind(x),
    "certainty": lambda c, x: c.certainty(x),
    "certainty(x, d)": lambda c, x: c.certainty(x, D),
    "certainty(d, x)": lambda c, x: c.certainty(D, x),
    "describe": lambda c, x: c.describe(x),
    "describe(lang=x)": lambda c, x: c.describe(D, lang=x),
    "status": lambda c, x: c.status(x),
    "is_provisional": lambda c, x: c.is_provisional(x),
    "next_working_day": lambda c, x: c.next_working_day(x),
    "previous_working_day": lambda c, x: c.previous_working_day(x),
    "roll_forward": lambda c, x: c.roll_forward(x),
    "working_day_number": lambda c, x: c.working_day_number(x),
    "date_of_working_day": lambda c, x: c.date_of_working_day(x),
    "count(x, d)": lambda c, x: c.count(x, D),
    "count(d, x)": lambda c, x: c.count(D, x),
    "count(array, x)": lambda c, x: c.count(ARRAY, x),
    "elapsed(x, d)": lambda c, x: c.elapsed(x, D),
    "elapsed(array, x)": lambda c, x: c.elapsed(ARRAY, x),
    "working_days": lambda c, x: c.working_days(x, D),
    "rest_days": lambda c, x: c.rest_days(D, x),
    "deadline(d, x)": lambda c, x: c.deadline(D, x),
    "deadline(array, x)": lambda c, x: c.deadline(ARRAY, x),
    "deadline(x, wd)": lambda c, x: c.deadline(x, WorkingDays(3)),
    "deadline(x, cd)": lambda c, x: c.deadline(x, CalendarDays(3)),
    "deadline(x, mo)": lambda c, x: c.deadline(x, CalendarMonths(3)),
    "with_holidays": lambda c, x: c.with_holidays(x),
    "with_holidays(name=x)": lambda c, x: c.with_holidays([D], name=x),
    "with_holidays(statutory=x)": lambda c, x: c.with_holidays([D], statutory=x),
    "with_workdays": lambda c, x: c.with_workdays(x),
    "with_weekmask": lambda c, x: c.with_weekmask(x),
    "renamed": lambda c, x: c.renamed(x),
    "diff": lambda c, x: c.diff(x),
    "extended(until=x)": lambda c, x: c.extended(until=x),
    "extended(rule=x)": lambda c, x: c.extended(until=date(2030, 1, 1), rule=x),
    "to_ical(stamp=x)": lambda c, x: c.to_ical(date(2026, 1, 1), date(2026, 1, 31), stamp=x),
    "WorkCalendar(weekmask=x)": lambda c, x: WorkCalendar(
        "x", first=date(2026, 1, 1), last=date(2026, 12, 31), weekmask=x
    ),
    "WorkCalendar(holidays=x)": lambda c, x: WorkCalendar(
        "x", first=date(2026, 1, 1), last=date(2026, 12, 31), holidays=x
    ),
    "WorkCalendar(law=x)": lambda c, x: WorkCalendar(
        "x", first=date(2026, 1, 1), last=date(2026, 12, 31), law=x
    ),
    "WorkCalendar(statutory=x)": lambda c, x: WorkCalendar(
        "x", first=date(2026, 1, 1), last=date(2026, 12, 31), statutory=x
    ),
    "WorkCalendar(tentative=x)": lambda c, x: WorkCalendar(
        "x", first=date(2026, 1, 1), last=date(2026, 12, 31), tentative=x
    ),
}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_bad_values_raise_only_our_errors(call: str) -> None:
    leaked = []
    for cal in (CN, _tiny()):
        for bad in BAD:
            try:
                CALLS[call](cal, bad)
            except ApprovalClockError:
                pass
            except Exception as e:
                leaked.append(f"{type(bad).__name__}: {type(e).__name__}: {str(e)[:80]}")
    assert not leaked, f"{call} leaked builtin errors:\n" + "\n".join(leaked)


# -- the duration vocabulary ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "meant"),
    [
        (20, WorkingDays(20)),
        (np.int64(20), WorkingDays(20)),
        ("20wd", WorkingDays(20)),
        ("30cd", CalendarDays(30)),
        ("2mo", CalendarMonths(2)),
        (0, WorkingDays(0)),
    ],
)
def test_deadline_takes_every_form_of_a_duration(given: object, meant: object) -> None:
    start = date(2021, 9, 28)
    assert CN.deadline(start, given) == CN.deadline(start, meant)
    assert CN.deadline(np.datetime64(start), given) == CN.deadline(start, meant)
    starts = np.array([start, date(2021, 2, 9)], dtype="datetime64[D]")
    np.testing.assert_array_equal(CN.deadline(starts, given), CN.deadline(starts, meant))


def test_deadline_refuses_bool_float_and_negative_durations() -> None:
    for bad, message in ((True, "got bool True"), (20.0, "got float 20.0"), (-3, ">= 0, got -3")):
        with pytest.raises(DurationError, match=f"^duration: .*{message}"):
            CN.deadline(D, bad)

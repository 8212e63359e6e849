"""Turning the many kinds of date users hold into day numbers, and results back.

Private helpers for :mod:`approval_clock.calendars.workcalendar`. Day numbers are proleptic
Gregorian ordinals (``date.toordinal()``); numpy ``datetime64[D]`` values are days
since 1970-01-01, so the two differ by :data:`EPOCH_ORDINAL`.

Nothing here imports pandas: a pandas object is recognised by its type's module,
and pandas is then already imported by the caller.
"""

from __future__ import annotations

import calendar
import struct
import sys
from datetime import date, datetime, tzinfo
from typing import Any

import numpy as np
import numpy.typing as npt

from approval_clock.errors import (
    CalendarCoverageError,
    CalendarError,
    DateTypeError,
    MissingDateError,
)

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
NAT_INT = np.iinfo(np.int64).min
_DAY = np.dtype("datetime64[D]")

# A numpy datetime64 scalar exposes its 8 bytes (native order) through the buffer
# protocol: unpacking them is about twice as fast as .item(), which builds a date.
_INT64 = struct.Struct("=q").unpack

UNITS_PER_DAY = {
    "D": 1,
    "h": 24,
    "m": 24 * 60,
    "s": 86_400,
    "ms": 86_400 * 10**3,
    "us": 86_400 * 10**6,
    "ns": 86_400 * 10**9,
    "ps": 86_400 * 10**12,
    "fs": 86_400 * 10**15,
    "as": 86_400 * 10**18,
}
"""How many of each datetime64 unit make a day (the units a day is a whole number of)."""

_COMMON_UNITS = tuple(
    (np.dtype(f"datetime64[{unit}]"), UNITS_PER_DAY[unit]) for unit in ("ns", "us", "s", "ms")
)

ACCEPTED = "a date (datetime.date, datetime.datetime, numpy.datetime64 or pandas.Timestamp)"
ACCEPTED_ARRAY = (
    "dates as a numpy datetime64 array, a pandas Series or DatetimeIndex, "
    "or a list of datetime.date"
)


def describe_value(value: object) -> str:
    """``type repr`` of a value, cut short, for error messages.

    >>> describe_value([1, 2]), len(describe_value("x" * 1000))
    ('list [1, 2]', 64)
    >>> describe_value(10**5000)   # repr() of it would raise (or take long)
    'int of 16610 bits'
    """
    if isinstance(value, int) and value.bit_length() > 128:
        return f"{type(value).__name__} of {value.bit_length()} bits"
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


def is_pandas(value: object) -> bool:
    """True for a pandas object (told by its type's module: pandas is not imported)."""
    return type(value).__module__.partition(".")[0] == "pandas"


def is_missing_scalar(value: object) -> bool:
    """True for pandas.NaT and numpy NaT scalars."""
    if isinstance(value, np.datetime64):
        return bool(np.isnat(value))
    return type(value).__name__ == "NaTType"


def is_vector(value: object) -> bool:
    """True when ``value`` should be handled element-wise."""
    if type(value) is np.datetime64:  # the common scalar that is not a date: answer fast
        return False
    if isinstance(value, (np.ndarray, list, tuple)):
        return True
    return is_pandas(value) and hasattr(value, "__array__") and hasattr(value, "shape")


def _no_zone(calendar: str) -> CalendarError:
    return CalendarError(
        f"an aware datetime needs a calendar time zone, and calendar {calendar!r} has none; "
        f"give the calendar a timezone (e.g. calendars.get(code, timezone='Europe/Paris')) "
        f"or pass local dates"
    )


def scalar_ordinal(value: object, zone: tzinfo | None, calendar: str = "") -> int:
    """The ordinal of one date-like value, in the calendar's time zone."""
    if isinstance(value, np.datetime64):  # first: numpy scalars are slow enough already
        return datetime64_ordinal(value)
    if isinstance(value, datetime):
        if is_missing_scalar(value):
            raise MissingDateError("missing date (NaT): a single missing date has no answer")
        if value.tzinfo is not None and value.utcoffset() is not None:
            if zone is None:
                raise _no_zone(calendar)
            try:
                value = value.astimezone(zone)
            except OverflowError:
                # Within hours of 0001-01-01 or 9999-12-31 UTC, the local day is
                # outside datetime.date: outside every calendar, which says so.
                return 0 if value.year == 1 else date.max.toordinal() + 1
        return value.toordinal()
    if isinstance(value, date):
        return value.toordinal()
    raise DateTypeError(f"expected {ACCEPTED}, got {describe_value(value)}")


def datetime64_ordinal(value: np.datetime64) -> int:
    """The ordinal of the day of a ``numpy.datetime64`` scalar (any unit; NaT refused).

    >>> datetime64_ordinal(np.datetime64("2021-10-09")) == date(2021, 10, 9).toordinal()
    True
    """
    if value.dtype == _DAY:
        (days,) = _INT64(value)  # type: ignore[arg-type]  # numpy scalars are buffers
        if days == NAT_INT:
            raise MissingDateError("missing date (NaT): a single missing date has no answer")
        return days + EPOCH_ORDINAL  # type: ignore[no-any-return]
    return datetime64_days(value) + EPOCH_ORDINAL


def datetime64_days(value: np.datetime64) -> int:
    """Days since 1970-01-01 of a ``numpy.datetime64`` scalar of any unit (floored).

    ``datetime64('2021-10-09T23:59', 'm')`` is day 18909 like ``datetime64('2021-10-09')``;
    a time before 1970 belongs to its day (floor, not truncation). Raises
    :class:`~approval_clock.errors.MissingDateError` for NaT.

    >>> datetime64_days(np.datetime64("2021-10-09T23:59")), datetime64_days(np.datetime64("2021-10"))
    (18909, 18901)
    >>> datetime64_days(np.datetime64("1969-12-31T23:00:00.000000000"))
    -1
    """
    dtype = value.dtype
    for known, units in _COMMON_UNITS:  # cheaper than asking numpy for the unit
        if dtype == known:
            (raw,) = _INT64(value)  # type: ignore[arg-type]
            if raw == NAT_INT:
                raise MissingDateError("missing date (NaT): a single missing date has no answer")
            return int(raw) // units
    unit, step = np.datetime_data(dtype)
    per_day = UNITS_PER_DAY.get(unit)
    if per_day is None or not dtype.isnative:
        # Weeks, months, years (and generic NaT): numpy's own conversion to days.
        value = value.astype(_DAY)
        per_day, step = 1, 1
    (raw,) = _INT64(value)  # type: ignore[arg-type]
    if raw == NAT_INT:
        raise MissingDateError("missing date (NaT): a single missing date has no answer")
    # Python integers: exact for every unit and step, with floor division.
    return int(raw) * step // per_day


def day_array(values: object, zone_name: str | None, calendar: str = "") -> npt.NDArray[np.int64]:
    """Days since 1970-01-01 for each value (NaT as :data:`NAT_INT`), in the calendar's zone."""
    arr: np.ndarray[Any, Any]
    if is_pandas(values):
        pd = sys.modules["pandas"]
        dtype = getattr(values, "dtype", None)
        if isinstance(dtype, pd.DatetimeTZDtype):
            if zone_name is None:
                raise _no_zone(calendar)
            # Aware timestamps: the local date in the calendar's zone, then drop the zone.
            if isinstance(values, pd.Series):
                local = values.dt.tz_convert(zone_name).dt.tz_localize(None)
            else:
                local = values.tz_convert(zone_name).tz_localize(None)  # type: ignore[attr-defined]
            arr = np.asarray(local, dtype="datetime64[ns]")
        elif dtype is not None and dtype.kind == "M":
            arr = np.asarray(values)
        else:
            arr = np.asarray(values, dtype=object)
    else:
        try:
            arr = np.asarray(values)
        except (ValueError, TypeError) as e:  # ragged nested lists, odd objects
            raise DateTypeError(
                f"expected {ACCEPTED_ARRAY}, got {describe_value(values)}, which is not "
                f"an array ({e})"
            ) from None
    if arr.dtype.kind == "M":
        unit, step = np.datetime_data(arr.dtype)
        per_day = UNITS_PER_DAY.get(unit)
        if unit != "D" and per_day is not None and step == 1 and arr.dtype.isnative:
            # Floor division of the int64 values: numpy's own cast to days overflows
            # for the first day of datetime64[ns] (1677-09-21/22 become 2262).
            raw = arr.view(np.int64)
            return np.where(raw == NAT_INT, NAT_INT, raw // per_day)
        # No copy when it is datetime64[D] already: callers never write into it.
        return arr.astype(_DAY, copy=False).view(np.int64)
    if arr.dtype.kind == "O" or arr.size == 0:
        return _object_days(arr, zone_name, calendar)
    raise DateTypeError(f"expected {ACCEPTED_ARRAY}, got an array of {arr.dtype}")


def _object_days(
    arr: np.ndarray[Any, Any], zone_name: str | None, calendar: str
) -> npt.NDArray[np.int64]:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(zone_name) if zone_name else None
    out = np.empty(arr.shape, dtype=np.int64)
    flat_in = arr.reshape(-1)
    flat_out = out.reshape(-1)
    # Object arrays hold Python objects; converting them one by one is unavoidable.
    for k, v in enumerate(flat_in):
        if v is None or is_missing_scalar(v) or (isinstance(v, float) and v != v):
            flat_out[k] = NAT_INT
        elif isinstance(v, (date, np.datetime64)):
            flat_out[k] = scalar_ordinal(v, zone, calendar) - EPOCH_ORDINAL
        else:
            raise DateTypeError(f"expected {ACCEPTED_ARRAY}; element {k} is {describe_value(v)}")
    return out


NO_NAME: Any = object()
"""``wrap(..., name=NO_NAME)``: the result keeps the name of the input it is shaped like."""


def wrap(result: np.ndarray[Any, Any], like: object, name: object = NO_NAME) -> Any:
    """Give ``result`` the shape of the input: a Series in gives a Series out.

    The Series keeps the index of ``like`` and its name, or ``name`` when given.
    ``result`` is fresh, so pandas takes it without a copy.
    """
    # A Series broadcast against a longer array has no index for the result.
    if is_pandas(like) and result.shape == getattr(like, "shape", None):
        pd = sys.modules["pandas"]
        if name is NO_NAME:
            name = getattr(like, "name", None)
        if isinstance(like, pd.Series):
            return pd.Series(result, index=like.index, name=name, copy=False)
        if isinstance(like, pd.Index):
            return pd.Index(result, name=name, copy=False)
    return result


def is_series(value: object) -> bool:
    """True for a pandas Series (pandas is not imported to find out)."""
    return is_pandas(value) and isinstance(value, sys.modules["pandas"].Series)


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(d: date, months: int) -> date:
    """Civil Code art. 202: the same day ``months`` later, or the last day of that month.

    >>> add_months(date(2021, 1, 31), 1), add_months(date(2020, 1, 31), 1)
    (datetime.date(2021, 2, 28), datetime.date(2020, 2, 29))
    """
    y, m = divmod(d.month - 1 + months, 12)
    year = d.year + y
    if year > date.max.year:
        raise CalendarCoverageError(f"{d} plus {months} months is past the year 9999")
    day = d.day
    if day > 28:
        last = _MONTH_DAYS[m]
        if m == 1 and calendar.isleap(year):
            last = 29
        day = min(day, last)
    return date(year, m + 1, day)

"""Turning the many kinds of date users hold into day numbers, and results back.

Private helpers for :mod:`approval_clock.calendars.workcalendar`. Day numbers are proleptic
Gregorian ordinals (``date.toordinal()``); numpy ``datetime64[D]`` values are days
since 1970-01-01, so the two differ by :data:`EPOCH_ORDINAL`.

Nothing here imports pandas: a pandas object is recognised by its type's module,
and pandas is then already imported by the caller.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, tzinfo
from typing import Any

import numpy as np
import numpy.typing as npt

from approval_clock.errors import DateTypeError, MissingDateError

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
NAT_INT = np.iinfo(np.int64).min
_DAY = np.dtype("datetime64[D]")

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


def _is_pandas(value: object) -> bool:
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
    return _is_pandas(value) and hasattr(value, "__array__") and hasattr(value, "shape")


def _no_zone(calendar: str) -> ValueError:
    return ValueError(
        f"an aware datetime needs a calendar time zone, and calendar {calendar!r} has none; "
        f"give the calendar a timezone (e.g. calendars.get(code, timezone='Europe/Paris')) "
        f"or pass local dates"
    )


def scalar_ordinal(value: object, zone: tzinfo | None, calendar: str = "") -> int:
    """The ordinal of one date-like value, in the calendar's time zone."""
    if isinstance(value, np.datetime64):  # first: numpy scalars are slow enough already
        return _datetime64_ordinal(value)
    if isinstance(value, datetime):
        if is_missing_scalar(value):
            raise MissingDateError("missing date (NaT): a single missing date has no answer")
        if value.tzinfo is not None and value.utcoffset() is not None:
            if zone is None:
                raise _no_zone(calendar)
            value = value.astimezone(zone)
        return value.toordinal()
    if isinstance(value, date):
        return value.toordinal()
    raise DateTypeError(f"expected {ACCEPTED}, got {describe_value(value)}")


def _datetime64_ordinal(value: np.datetime64) -> int:
    # .item() of a datetime64[D] is a datetime.date (None for NaT, an int of
    # days for years outside 1..9999); cheaper than arithmetic on the scalar.
    day = (value if value.dtype == _DAY else value.astype(_DAY)).item()
    if day is None:
        raise MissingDateError("missing date (NaT): a single missing date has no answer")
    if isinstance(day, int):
        return day + EPOCH_ORDINAL
    return int(day.toordinal())


def day_array(values: object, zone_name: str | None, calendar: str = "") -> npt.NDArray[np.int64]:
    """Days since 1970-01-01 for each value (NaT as :data:`NAT_INT`), in the calendar's zone."""
    arr: np.ndarray[Any, Any]
    if _is_pandas(values):
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
        arr = np.asarray(values)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[D]").view(np.int64)
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


def wrap(result: np.ndarray[Any, Any], like: object) -> Any:
    """Give ``result`` the shape of the input: a Series in gives a Series out."""
    if _is_pandas(like):
        pd = sys.modules["pandas"]
        if isinstance(like, pd.Series):
            return pd.Series(result, index=like.index, name=like.name)
        if isinstance(like, pd.Index):
            return pd.Index(result, name=like.name)
    return result

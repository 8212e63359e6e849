"""Reading the columns of approval records into plain numpy arrays.

Private helpers for :mod:`approval_clock.records`. Dates become day numbers
(days since 1970-01-01, ``int64``; missing is :data:`NAT`), limits become
``float64`` (missing is NaN), each with a mask of the values that were present
but could not be read. Whole-column problems (no such column, a dtype that cannot
hold dates) raise, naming the column; bad single values are left to the caller,
which rejects their rows.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from datetime import date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from approval_clock.errors import ColumnTypeError, RecordsError

NAT = np.iinfo(np.int64).min
"""The day number of a missing date (numpy's NaT viewed as int64)."""

EPOCH = date(1970, 1, 1)

Days = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]


def check_frame(frame: object, what: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise ColumnTypeError(
            f"{what}: expected a pandas DataFrame, got {type(frame).__name__}; "
            f"build one with pandas.DataFrame(...) or dask's map_partitions"
        )
    return frame


def get_column(frame: pd.DataFrame, name: Hashable, what: str, param: str) -> pd.Series[Any]:
    """The column ``name`` of ``frame``, or its index level of that name."""
    if name in frame.columns:
        col = frame[name]
        if isinstance(col, pd.DataFrame):
            raise RecordsError(f"{what}: there are {col.shape[1]} columns named {name!r}")
        return col
    if name is not None and name in frame.index.names:
        level = list(frame.index.names).index(name)
        return pd.Series(frame.index.get_level_values(level), index=frame.index, name=name)
    cols = ", ".join(repr(c) for c in list(frame.columns)[:12])
    raise RecordsError(
        f"{what}: no column {name!r} (columns: {cols}); "
        f"name the right one with {param}=... (an index level of that name also works)"
    )


def _aware_to_local(s: pd.Series[Any], label: str, zone: str | None, cal: str) -> pd.Series[Any]:
    if zone is None:
        raise RecordsError(
            f"{label} holds time-zone-aware timestamps and calendar {cal!r} has no time "
            f"zone to read them in; give the calendar a timezone or convert the column "
            f"to local dates first"
        )
    local: pd.Series[Any] = s.dt.tz_convert(zone).dt.tz_localize(None)
    return local


def _days(s: pd.Series[Any]) -> Days:
    values = s.to_numpy(dtype="datetime64[ns]") if s.dtype.kind != "M" else s.to_numpy()
    out: Days = values.astype("datetime64[D]").view(np.int64)
    return out


def parse_dates(s: pd.Series[Any], label: str, zone: str | None, cal: str) -> tuple[Days, Mask]:
    """Day numbers of a date column (in the calendar's zone) and the unparseable mask.

    datetime64 columns (naive or aware) are taken as they are; object and string
    columns may hold ``date``/``datetime`` objects and ISO 8601 strings, anything
    else in them is unparseable. Other dtypes (numbers, booleans) are refused:
    a number is not a date.
    """
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        s = s.astype(object)
        dtype = s.dtype
    unparseable = np.zeros(len(s), dtype=bool)
    if isinstance(dtype, pd.DatetimeTZDtype):
        return _days(_aware_to_local(s, label, zone, cal)), unparseable
    if dtype.kind == "M":
        return _days(s), unparseable
    if _is_object(dtype) or isinstance(dtype, pd.StringDtype):
        # Numbers are not dates (pandas would read them as nanoseconds since 1970):
        # they are unparseable. Only a column that holds some needs the slow check.
        numeric = unparseable
        if _is_object(dtype) and pd.api.types.infer_dtype(s, skipna=True) not in _NO_NUMBERS:
            numeric = s.map(_is_number, na_action="ignore").fillna(False).to_numpy(dtype=bool)
        values = s.where(~numeric)
        try:
            parsed = pd.to_datetime(values, errors="coerce", format="ISO8601")
        except (ValueError, TypeError) as e:
            # Different UTC offsets: fine if every value has one (each is an instant);
            # aware values mixed with naive ones are ambiguous.
            zoned = values.map(_has_zone, na_action="ignore").fillna(True).to_numpy(dtype=bool)
            if not zoned.all():
                k = int(np.flatnonzero(~zoned)[0])
                raise RecordsError(
                    f"{label} mixes values with a UTC offset and values without one "
                    f"(such as {s.iloc[k]!r} at index {s.index[k]!r}), which is ambiguous; "
                    f"convert the column to aware or to local values first"
                ) from e
            parsed = pd.to_datetime(values, errors="coerce", format="ISO8601", utc=True)
        unparseable = parsed.isna().to_numpy() & s.notna().to_numpy()
        if isinstance(parsed.dtype, pd.DatetimeTZDtype):
            parsed = _aware_to_local(parsed, label, zone, cal)
        return _days(parsed), unparseable
    raise ColumnTypeError(
        f"{label}: expected dates (datetime64, datetime.date objects or ISO 8601 "
        f"strings), got dtype {dtype}"
    )


_NO_NUMBERS = frozenset({"string", "empty", "date", "datetime", "datetime64"})
_NO_BOOLS = frozenset({"string", "empty", "integer", "floating", "decimal", "mixed-integer-float"})


# A UTC offset after a time of day ("...T10:00:00+08:00", "...10:00Z"); a date alone has none.
_OFFSET = re.compile(r"\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:Z|[+-]\d\d(?::?\d\d)?)\s*$")


def _has_zone(v: object) -> bool:
    if isinstance(v, str):
        return _OFFSET.search(v) is not None
    if isinstance(v, datetime):
        return v.tzinfo is not None
    return False


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))


def parse_limits(s: pd.Series[Any], label: str) -> tuple[npt.NDArray[np.float64], Mask]:
    """Limits as float64 (missing: NaN) and the mask of values that are not numbers."""
    dtype = s.dtype
    unparseable = np.zeros(len(s), dtype=bool)
    if dtype.kind == "b" or isinstance(dtype, pd.BooleanDtype):
        raise ColumnTypeError(f"{label}: expected whole numbers of working days, got booleans")
    if pd.api.types.is_numeric_dtype(dtype):
        return s.to_numpy(dtype=np.float64, na_value=np.nan), unparseable
    if _is_object(dtype) or isinstance(dtype, pd.StringDtype):
        flags = unparseable
        if _is_object(dtype) and pd.api.types.infer_dtype(s, skipna=True) not in _NO_BOOLS:
            flags = s.map(_is_bool, na_action="ignore").fillna(False).to_numpy(dtype=bool)
        num = pd.to_numeric(s.where(~flags), errors="coerce")
        values = num.to_numpy(dtype=np.float64, na_value=np.nan)
        unparseable = np.isnan(values) & s.notna().to_numpy()
        return values, unparseable
    raise ColumnTypeError(
        f"{label}: expected whole numbers of working days (integers, or numeric "
        f"strings), got dtype {dtype}"
    )


def _is_bool(v: object) -> bool:
    return isinstance(v, (bool, np.bool_))


def scalar_day(value: object, label: str, zone: str | None, cal: str) -> int:
    """The day number of one date-like argument (``as_of``), in the calendar's zone."""
    if isinstance(value, (datetime, np.datetime64)) or type(value) is date:
        ts = pd.Timestamp(value)
        if pd.isna(ts):
            raise RecordsError(f"{label}: expected a date, got a missing value")
        if ts.tzinfo is not None:
            if zone is None:
                raise RecordsError(
                    f"{label} is time-zone-aware and calendar {cal!r} has no time zone; pass a date"
                )
            ts = ts.tz_convert(zone)
        return ts.date().toordinal() - EPOCH.toordinal()
    raise ColumnTypeError(
        f"{label}: expected a date (datetime.date, datetime.datetime, numpy.datetime64 "
        f"or pandas.Timestamp), got {type(value).__name__} {value!r}"
    )


def _is_object(dtype: object) -> bool:
    return isinstance(dtype, np.dtype) and dtype.kind == "O"

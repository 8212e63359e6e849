"""Reading the columns of approval records into plain numpy arrays.

Private helpers for :mod:`approval_clock.records`. Dates become day numbers
(days since 1970-01-01, ``int64``; missing is :data:`NAT`), limits become
``float64`` (missing is NaN), ids become integer codes (missing is -1), each
with masks of the values that were present but could not be read. Whole-column
problems (no such column, a dtype that cannot hold dates) raise, naming the
column; bad single values are left to the caller, which rejects their rows.

Text columns are read through their distinct values (``pandas.factorize``):
exports repeat the same few thousand dates over millions of rows, so every
per-value check (blank, partial, UTC offset, Excel serial) runs on the distinct
values only, and the answers are spread back with one ``take``.

Frames other than pandas (polars, pyarrow tables, anything that speaks the
Arrow PyCapsule interface ``__arrow_c_stream__``) are converted once, through
pyarrow, by :func:`as_pandas`.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Hashable, Iterable
from datetime import date, datetime
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from approval_clock import _advice
from approval_clock.errors import ColumnTypeError, RecordsError

NAT = np.iinfo(np.int64).min
"""The day number of a missing date (numpy's NaT viewed as int64)."""

EPOCH = date(1970, 1, 1)

Days = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.int64]

# Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 the 29 February
# 1900 that never was (Lotus 1-2-3's bug, kept for compatibility), so from serial
# 61 (1 March 1900) on, day = serial - 25569 days from 1970-01-01.
_EXCEL_EPOCH_OFFSET = 25569
_EXCEL_FIRST, _EXCEL_LAST = 61, 2958465  # 1900-03-01 .. 9999-12-31

ID_STEPS = ("strip", "case", "width")
"""The id normalisations :func:`approval_clock.records.analyze` knows (``normalize_ids=``)."""


# -- frames -------------------------------------------------------------------------------


def as_pandas(frame: object, what: str) -> pd.DataFrame:
    """``frame`` as a pandas DataFrame: as is, or converted through Arrow.

    Integer columns with missing values stay integers (pandas' nullable ``Int64``
    and friends) instead of becoming floats, so that an id ``17`` stays ``17``.
    """
    if isinstance(frame, pd.DataFrame):
        return frame
    kind = f"{type(frame).__module__.split('.')[0]}.{type(frame).__name__}"
    if hasattr(frame, "__arrow_c_stream__"):
        try:
            pa = importlib.import_module("pyarrow")
        except ImportError:
            raise ColumnTypeError(
                f"{what}: a {kind} is read through Arrow, which needs pyarrow; install it "
                f"with pip install pyarrow (the 'polars' extra has it; see docs/install.md)"
            ) from None
        table = pa.table(frame)
        return _arrow_to_pandas(table, pa)
    hint = ""
    if hasattr(frame, "collect") and not hasattr(frame, "compute"):
        hint = "; collect() a lazy frame first"
    elif hasattr(frame, "compute") or hasattr(frame, "map_partitions"):
        hint = (
            "; for a dask DataFrame use analyze_partitions(...), which runs analyze on "
            "each partition"
        )
    raise ColumnTypeError(
        f"{what}: expected a pandas DataFrame or a frame that speaks Arrow (polars, "
        f"pyarrow), got {kind}{hint}"
    )


def _arrow_to_pandas(table: Any, pa: Any) -> pd.DataFrame:
    nullable = {
        pa.int8(): pd.Int8Dtype(),
        pa.int16(): pd.Int16Dtype(),
        pa.int32(): pd.Int32Dtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.uint8(): pd.UInt8Dtype(),
        pa.uint16(): pd.UInt16Dtype(),
        pa.uint32(): pd.UInt32Dtype(),
        pa.uint64(): pd.UInt64Dtype(),
    }
    columns = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        if col.null_count and col.type in nullable:
            values: Any = pd.array(col.to_pandas(types_mapper=nullable.get))
        elif pa.types.is_large_string(col.type) or pa.types.is_string_view(col.type):
            values = col.cast(pa.string()).to_pandas()
        else:
            values = col.to_pandas()
        columns[name] = values
    return pd.DataFrame(columns)


def check_frame(frame: object, what: str) -> pd.DataFrame:
    """``frame`` as pandas (see :func:`as_pandas`); anything else is a ``ColumnTypeError``."""
    return as_pandas(frame, what)


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
        f"{_advice.say('name_column', param=str(param))} (an index level of that name "
        f"also works)"
    )


# -- dates --------------------------------------------------------------------------------


@attrs.frozen
class DateOptions:
    """How the date columns of one call to ``analyze`` are read."""

    zone: str | None
    cal: str
    date_format: str | None = None
    dayfirst: bool = False
    excel_serial: bool = False
    open_values: frozenset[str] = frozenset()


@attrs.frozen
class ParsedDates:
    """Day numbers of a column, and the masks of values that could not be used."""

    days: Days
    unparseable: Mask
    partial: Mask


def check_date_options(
    date_format: object, dayfirst: object, excel_serial: object, open_values: object
) -> tuple[str | None, bool, bool, frozenset[str]]:
    """The date options of ``analyze``, checked: each a ``ColumnTypeError`` or ``RecordsError``."""
    if date_format is not None:
        if not isinstance(date_format, str):
            raise ColumnTypeError(
                f"date_format: expected a strptime format such as '%Y年%m月%d日' or "
                f"'%d/%m/%Y', got {type(date_format).__name__} {date_format!r}"
            )
        if "%d" not in date_format and "%j" not in date_format:
            raise RecordsError(
                f"date_format {date_format!r} has no day (%d or %j): a year and month is "
                f"not a date, and such values would be read as the 1st of the month"
            )
        if dayfirst:
            raise RecordsError(
                "date_format and dayfirst=True both say how to read dates; give one of them"
            )
    for name, flag in (("dayfirst", dayfirst), ("excel_serial", excel_serial)):
        if not isinstance(flag, bool):
            raise ColumnTypeError(f"{name}: expected True or False, got {flag!r}")
    if isinstance(open_values, str) or not isinstance(open_values, Iterable):
        raise ColumnTypeError(
            f"open_values: expected a list of strings such as ['未办结'], got {open_values!r}"
        )
    values = list(open_values)
    wrong = [v for v in values if not isinstance(v, str)]
    if wrong:
        raise ColumnTypeError(f"open_values: expected strings, got {wrong[0]!r}")
    return date_format, bool(dayfirst), bool(excel_serial), frozenset(v.strip() for v in values)


def _days(values: npt.NDArray[Any]) -> Days:
    out: Days = values.astype("datetime64[D]").view(np.int64)
    return out


def _aware_to_local(s: pd.Series[Any], label: str, opts: DateOptions) -> pd.Series[Any]:
    if opts.zone is None:
        raise RecordsError(
            f"{label} holds time-zone-aware timestamps and calendar {opts.cal!r} has no time "
            f"zone to read them in; give the calendar a timezone or convert the column "
            f"to local dates first"
        )
    local: pd.Series[Any] = s.dt.tz_convert(opts.zone).dt.tz_localize(None)
    return local


def parse_dates(s: pd.Series[Any], label: str, opts: DateOptions, *, end: bool) -> ParsedDates:
    """Day numbers of a date column (in the calendar's zone) and the masks of bad values.

    datetime64 columns (naive or aware) are taken as they are. Text and object
    columns may hold ``date``/``datetime`` objects and strings: ISO 8601 by
    default, ``opts.date_format`` or day-first when asked; blank strings are
    missing, and so (in a completion or resume column, ``end``) are the
    ``opts.open_values``. A value with a UTC offset is converted to the calendar's
    zone, one without is local. A year or a year and month alone is ``partial``.
    Numbers are Excel serial days with ``opts.excel_serial``; otherwise a numeric
    column is refused (a number is not a date), and a number in a text column is
    unparseable.
    """
    dtype = s.dtype
    n = len(s)
    none = np.zeros(n, dtype=bool)
    if isinstance(dtype, pd.DatetimeTZDtype):
        return ParsedDates(_days(_aware_to_local(s, label, opts).to_numpy()), none, none)
    if dtype.kind == "M":
        return ParsedDates(_days(s.to_numpy()), none, none)
    if _is_bool_dtype(dtype):
        raise ColumnTypeError(f"{label}: expected dates, got booleans")
    if pd.api.types.is_numeric_dtype(dtype):
        if not opts.excel_serial:
            raise ColumnTypeError(
                f"{label}: expected dates (datetime64, datetime.date objects or date "
                f"strings), got dtype {dtype}; if these are Excel serial day numbers "
                f"(44426 is 2021-08-18), pass excel_serial=True"
            )
        days, bad = _excel_days(s.to_numpy(dtype=np.float64, na_value=np.nan))
        return ParsedDates(days, bad, none)
    if not (
        _is_object(dtype) or isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype, pd.ArrowDtype))
    ):
        raise ColumnTypeError(
            f"{label}: expected dates (datetime64, datetime.date objects or date "
            f"strings), got dtype {dtype}"
        )
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if isinstance(uniques, pd.Categorical):
        uniques = np.asarray(uniques, dtype=object)
    u_days, u_bad, u_partial = _parse_distinct(pd.Index(uniques), label, opts, end=end)
    # Code -1 (missing) takes the appended last entry: missing, not bad.
    u_days = np.append(u_days, NAT)
    u_bad = np.append(u_bad, False)
    u_partial = np.append(u_partial, False)
    return ParsedDates(u_days[codes], u_bad[codes], u_partial[codes])


def _excel_days(serial: npt.NDArray[np.float64]) -> tuple[Days, Mask]:
    with np.errstate(invalid="ignore"):
        ok = (serial >= _EXCEL_FIRST) & (serial < _EXCEL_LAST + 1)
    days = np.full(len(serial), NAT, dtype=np.int64)
    days[ok] = np.floor(serial[ok]).astype(np.int64) - _EXCEL_EPOCH_OFFSET
    return days, ~ok & ~np.isnan(serial)


# A year, or a year and a month, alone: "2021", "2021-08", "2021/8", "2021年8月", "202108".
_PARTIAL = re.compile(r"\d{4}(?:\s*[-/.年]\s*\d{1,2}\s*月?)?|\d{6}|\d{4}-?W\d{2}")
_PARTIAL_SEPARATED = re.compile(r"\d{4}\s*(?:[-/.年]\s*\d{1,2}\s*月?|年)")
# A UTC offset after a time of day ("...T10:00:00+08:00", "...10:00Z"); a date alone has none.
_OFFSET = r"\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:Z|[+-]\d\d(?::?\d\d)?)\s*$"
_NUMBER = r"\d+(?:\.\d*)?"


def _parse_distinct(
    values: pd.Index[Any], label: str, opts: DateOptions, *, end: bool
) -> tuple[Days, Mask, Mask]:
    """Day numbers, unparseable and partial masks of the distinct non-missing values."""
    n = len(values)
    days = np.full(n, NAT, dtype=np.int64)
    bad = np.zeros(n, dtype=bool)
    partial = np.zeros(n, dtype=bool)
    if n == 0:
        return days, bad, partial
    kind = pd.api.types.infer_dtype(values, skipna=True)
    is_text = np.ones(n, dtype=bool) if kind == "string" else _kinds(values, str)
    if not is_text.all():
        other = np.flatnonzero(~is_text)
        d, b = _parse_objects(values[other], label, opts)
        days[other], bad[other] = d, b
    where = np.flatnonzero(is_text)
    if not len(where):
        return days, bad, partial
    text = pd.Series(values[where], dtype=object).str.strip()
    missing = (text == "").to_numpy(dtype=bool, copy=True)
    if end and opts.open_values:
        missing |= text.isin(opts.open_values).to_numpy(dtype=bool)
    short = (text.str.len() <= 9).to_numpy() & ~missing
    part = np.zeros(len(text), dtype=bool)
    if short.any():
        # With a format of its own, bare digits ("010821") may be whole dates in it.
        pattern = _PARTIAL if opts.date_format is None else _PARTIAL_SEPARATED
        part[short] = text[short].str.fullmatch(pattern).to_numpy(dtype=bool)
    serial = np.zeros(len(text), dtype=bool)
    if opts.excel_serial:
        serial = text.str.fullmatch(_NUMBER).to_numpy(dtype=bool) & ~missing & ~part
        if serial.any():
            d, b = _excel_days(np.asarray(text[serial].astype(np.float64), dtype=np.float64))
            days[where[serial]], bad[where[serial]] = d, b
    rest = ~(missing | part | serial)
    zoned = np.zeros(len(text), dtype=bool)
    colon = rest & text.str.contains(":", regex=False).to_numpy(dtype=bool)
    if colon.any():
        zoned[colon] = text[colon].str.contains(_OFFSET, regex=True).to_numpy(dtype=bool)
    naive = rest & ~zoned
    for mask, aware in ((naive, False), (zoned, True)):
        if not mask.any():
            continue
        parsed = _to_datetime(text[mask], opts, aware=aware)
        if aware:
            parsed = _aware_to_local(parsed, label, opts)
        got = _days(parsed.to_numpy(dtype="datetime64[ns]"))
        days[where[mask]] = got
        bad[where[mask]] = got == NAT
    partial[where[part]] = True
    return days, bad, partial


def _to_datetime(text: pd.Series[Any], opts: DateOptions, *, aware: bool) -> pd.Series[Any]:
    kw: dict[str, Any] = {"errors": "coerce", "utc": aware}
    if opts.date_format is not None:
        kw["format"] = opts.date_format
    elif opts.dayfirst:
        kw |= {"format": "mixed", "dayfirst": True}
    else:
        kw["format"] = "ISO8601"
    try:
        out: pd.Series[Any] = pd.to_datetime(text, **kw)
    except (ValueError, TypeError, OverflowError):
        # A format pandas cannot apply to the column as a whole: one value at a time.
        out = pd.Series([_one_datetime(t, kw) for t in text], index=text.index)
        out = pd.to_datetime(out, utc=aware)
    if opts.date_format is not None and out.isna().any():
        # ISO 8601 is unambiguous: values in it are read as such whatever the format.
        miss = out.isna()
        iso = pd.to_datetime(text[miss], errors="coerce", utc=aware, format="ISO8601")
        out = out.where(~miss, iso)
    return out


def _one_datetime(text: str, kw: dict[str, Any]) -> Any:
    try:
        return pd.to_datetime(text, **kw)
    except (ValueError, TypeError, OverflowError):
        return pd.NaT


def _kinds(values: pd.Index[Any], kind: type) -> Mask:
    return np.fromiter((isinstance(v, kind) for v in values), dtype=bool, count=len(values))


def _parse_objects(values: pd.Index[Any], label: str, opts: DateOptions) -> tuple[Days, Mask]:
    """Day numbers of objects that are not text: dates, datetimes, numbers, anything else."""
    days = np.full(len(values), NAT, dtype=np.int64)
    bad = np.zeros(len(values), dtype=bool)
    for i, v in enumerate(values):
        if isinstance(v, (datetime, np.datetime64)) or type(v) is date:
            ts = pd.Timestamp(v)
            if pd.isna(ts):
                continue
            if ts.tzinfo is not None:
                if opts.zone is None:
                    raise RecordsError(
                        f"{label} holds time-zone-aware values such as {v!r} and calendar "
                        f"{opts.cal!r} has no time zone to read them in; give the calendar a "
                        f"timezone or convert the column to local dates first"
                    )
                ts = ts.tz_convert(opts.zone)
            days[i] = ts.date().toordinal() - EPOCH.toordinal()
        elif _is_number(v) and opts.excel_serial:
            d, b = _excel_days(np.array([float(v)]))
            days[i], bad[i] = d[0], b[0]
        else:
            bad[i] = True
    return days, bad


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))


def _is_bool_dtype(dtype: object) -> bool:
    return (isinstance(dtype, np.dtype) and dtype.kind == "b") or isinstance(dtype, pd.BooleanDtype)


# -- limits -------------------------------------------------------------------------------


def parse_limits(s: pd.Series[Any], label: str) -> tuple[npt.NDArray[np.float64], Mask]:
    """Limits as float64 (missing: NaN) and the mask of values that are not numbers.

    Blank strings are missing; numbers may carry the unit's word (``"5"``, ``" 5 "``).
    """
    dtype = s.dtype
    unparseable = np.zeros(len(s), dtype=bool)
    if _is_bool_dtype(dtype):
        raise ColumnTypeError(f"{label}: expected whole numbers of working days, got booleans")
    if pd.api.types.is_numeric_dtype(dtype):
        return s.to_numpy(dtype=np.float64, na_value=np.nan), unparseable
    if _is_object(dtype) or isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype)):
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        u = pd.Series(pd.Index(uniques), dtype=object)
        is_bool = u.map(_is_bool).to_numpy(dtype=bool)
        is_text = u.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        text = u.where(~is_text, u[is_text].str.strip() if is_text.any() else u)
        blank = is_text & (text == "").to_numpy(dtype=bool)
        num = pd.to_numeric(text.where(~is_bool & ~blank), errors="coerce")
        values = np.append(num.to_numpy(dtype=np.float64, na_value=np.nan), np.nan)
        bad = np.append(np.isnan(values[:-1]) & ~blank, False)
        return values[codes], bad[codes]
    raise ColumnTypeError(
        f"{label}: expected whole numbers of working days (integers, or numeric "
        f"strings), got dtype {dtype}"
    )


def _is_bool(v: object) -> bool:
    return isinstance(v, (bool, np.bool_))


# -- units of limits -----------------------------------------------------------------------

UNIT_NAMES = {
    "wd": "wd",
    "working days": "wd",
    "working day": "wd",
    "工作日": "wd",
    "个工作日": "wd",
    "cd": "cd",
    "calendar days": "cd",
    "calendar day": "cd",
    "days": "cd",
    "日": "cd",
    "天": "cd",
    "自然日": "cd",
    "个自然日": "cd",
}
"""Words for the unit of a time limit: working days (``wd``) or calendar days (``cd``)."""


def parse_units(s: pd.Series[Any], default: str) -> tuple[npt.NDArray[np.bool_], Mask]:
    """Per row: is the limit in calendar days, and the mask of unknown unit words.

    Missing and blank values take ``default``.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    u = pd.Series(pd.Index(uniques), dtype=object)
    words = u.map(lambda v: v.strip().lower() if isinstance(v, str) else v)
    unit = words.map(
        lambda w: default if w == "" else UNIT_NAMES.get(w) if isinstance(w, str) else None
    )
    cd = np.append((unit == "cd").to_numpy(dtype=bool), default == "cd")
    bad = np.append(unit.isna().to_numpy(dtype=bool), False)
    return cd[codes], bad[codes]


# -- ids ----------------------------------------------------------------------------------


@attrs.frozen
class Ids:
    """A column of ids as codes into ``labels`` (missing: -1), and the kind of its values."""

    codes: Codes
    labels: pd.Index[Any]
    kind: str  # "text", "integer" or "other": what matching across frames looks at
    dtype: str


def check_id_steps(steps: object) -> tuple[str, ...]:
    """``normalize_ids`` as a tuple of known steps."""
    if steps is None:
        return ()
    items = [steps] if isinstance(steps, str) else steps
    if not isinstance(items, Iterable):
        raise ColumnTypeError(f"normalize_ids: expected some of {list(ID_STEPS)}, got {steps!r}")
    out = tuple(items)
    for step in out:
        if step not in ID_STEPS:
            raise RecordsError(
                f"normalize_ids: unknown step {step!r}; expected some of {list(ID_STEPS)} "
                f"(strip: surrounding spaces, case: upper and lower case alike, width: "
                f"full-width letters and digits as ASCII)"
            )
    return out


def parse_ids(s: pd.Series[Any], steps: tuple[str, ...]) -> Ids:
    """Integer codes of an id column; missing and blank (or all-space) values are -1.

    ``steps`` normalise text ids first: ``strip`` (surrounding spaces), ``case``
    (case-folded), ``width`` (NFKC: full-width ``Ｐ０１`` as ``P01``). Numbers that
    are whole (``17.0``, as a column of integers with a gap becomes) are ids ``17``.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    codes = codes.astype(np.int64, copy=False)
    labels = pd.Index(uniques)
    kind = _id_kind(labels)
    dtype = str(s.dtype)
    if kind == "integer" and labels.dtype.kind == "f":
        labels = pd.Index(labels.astype(np.int64))
    if kind == "text" or (kind == "other" and len(labels)):
        is_text = _kinds(labels, str) if kind == "other" else np.ones(len(labels), dtype=bool)
        # Text labels keep their dtype: pandas' Arrow strings strip without a Python loop.
        text = (
            pd.Series(labels[is_text])
            if kind == "text"
            else pd.Series(labels[is_text], dtype=object)
        )
        clean = text.str.strip()
        blank = (clean == "").to_numpy(dtype=bool)
        if blank.any() or steps:
            if "strip" in steps:
                text = clean
            if "width" in steps:
                text = text.map(lambda t: unicodedata.normalize("NFKC", t))
            if "case" in steps:
                text = text.str.casefold()
            # Python objects only when labels change: most exports have clean ids.
            new = labels.to_numpy(dtype=object, copy=True)
            new[np.flatnonzero(is_text)] = text.to_numpy(dtype=object)
            drop = np.zeros(len(labels), dtype=bool)
            drop[np.flatnonzero(is_text)[blank]] = True
            # Merge labels that became equal; blank ones become missing.
            merged, merged_labels = pd.factorize(pd.Index(new, dtype=object))
            remap = np.where(drop, -1, merged).astype(np.int64)
            keep = np.unique(remap[remap >= 0])
            dense = np.full(len(merged_labels), -1, dtype=np.int64)
            dense[keep] = np.arange(len(keep))
            remap = np.where(remap >= 0, dense[np.maximum(remap, 0)], -1)
            codes = np.append(remap, -1)[codes]
            labels = pd.Index(np.asarray(merged_labels, dtype=object)[keep], dtype=object)
    return Ids(codes, labels, kind, dtype)


def _id_kind(labels: pd.Index[Any]) -> str:
    inferred = pd.api.types.infer_dtype(labels, skipna=True)
    if inferred in ("string", "empty"):
        return "text"
    if inferred == "integer":
        return "integer"
    if inferred == "floating":
        v = labels.to_numpy(dtype=np.float64)
        if np.all(np.isfinite(v) & (v == np.floor(v))):
            return "integer"
    return "other"


def _joinable(a: pd.Series[Any], b: pd.Series[Any]) -> bool:
    """Whether two id columns can be factorised as one: the same text or integer dtype."""
    if a.dtype != b.dtype:
        return False
    dtype = a.dtype
    return isinstance(dtype, pd.StringDtype) or (isinstance(dtype, np.dtype) and dtype.kind in "iu")


def parse_id_pair(
    ours: pd.Series[Any], theirs: pd.Series[Any] | None, steps: tuple[str, ...]
) -> tuple[Ids, Ids | None, Codes, int, bool]:
    """The ids of the stages (``ours``) and of the pauses (``theirs``), in one code space.

    Returns the stage ids, the pause ids as parsed on their own (``None`` when they
    were factorised together with the stage ids), the pause codes in the stages'
    code space, the size of that space and whether the two were matched by their
    text (integers in one frame, text in the other). Columns of the same text or
    integer dtype are factorised once, together: the stage ids first, so their
    codes are those they would get alone, then the pause ids that no stage has.
    Other pairs are parsed apart and matched (:func:`match_ids`).
    """
    if theirs is None:
        alone = parse_ids(ours, steps)
        return alone, None, np.zeros(0, dtype=np.int64), len(alone.labels), False
    if _joinable(ours, theirs):
        n = len(ours)
        both = pd.concat(
            [ours.reset_index(drop=True), theirs.reset_index(drop=True)], ignore_index=True
        )
        joint = parse_ids(both, steps)
        del both
        codes = joint.codes
        labels = joint.labels
        if not steps and labels.dtype != ours.dtype and isinstance(ours.dtype, pd.StringDtype):
            # Blank pause ids turned the labels into objects; the stage ids alone
            # keep their dtype unless they have blanks of their own.
            blank_here = bool(((codes[:n] < 0) & ours.notna().to_numpy(dtype=bool)).any())
            if not blank_here:
                labels = pd.Index(labels.astype(ours.dtype))
        mine = Ids(codes[:n], labels, joint.kind, str(ours.dtype))
        return mine, None, codes[n:], len(joint.labels), False
    mine = parse_ids(ours, steps)
    other = parse_ids(theirs, steps)
    codes, size, by_text = match_ids(mine, other)
    return mine, other, codes, size, by_text


def match_ids(ours: Ids, theirs: Ids) -> tuple[Codes, int, bool]:
    """``theirs``' codes in ``ours``' code space (new codes past it for ids ``ours`` lacks).

    Returns the codes, the size of the joint code space and whether the two were
    matched by their text because one holds integers and the other text.
    """
    by_text = {ours.kind, theirs.kind} == {"text", "integer"}
    if by_text:
        mine = pd.Index([str(v) for v in ours.labels], dtype=object)
        other = pd.Index([str(v) for v in theirs.labels], dtype=object)
    else:
        mine, other = ours.labels, theirs.labels
    found = mine.get_indexer(other).astype(np.int64)
    extra = found < 0
    found[extra] = len(mine) + np.arange(int(extra.sum()))
    codes = np.append(found, -1)[theirs.codes]
    return codes, len(mine) + int(extra.sum()), by_text


# -- as_of --------------------------------------------------------------------------------


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

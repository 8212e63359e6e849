"""Plans from tables: stage and link columns read into arrays and validated as arrays.

The engine behind :meth:`Plan.from_frame <approval_clock.Plan.from_frame>`. A
frame is read column by column into numpy arrays (:func:`read_columns`: pandas
as is, polars and pyarrow tables and anything else that speaks Arrow through
pyarrow, other frames through pandas' dataframe interchange protocol, or a plain
mapping of column name to values); each column is checked as an array, falling
back to the per-value checks of :class:`~approval_clock.Stage` and
:class:`~approval_clock.Link` only for columns of Python objects (durations
written ``"35wd"``, ids outside ASCII), so the messages say what the object path
says, with the row: ``stages[3] (stage 'x'): duration: ...``. The result is a
:class:`~approval_clock.plans.model.PlanGraph`, the same one the plan built from
objects has: no Stage or Link object is made here.

>>> import numpy as np
>>> g = graph_from_frames({"id": np.array(["a", "b"]), "duration": np.array([3, 0])},
...                       {"predecessor": ["a"], "successor": ["b"], "kind": ["FF"]})
>>> g.ids, g.duration.tolist(), g.link_kind.tolist(), g.order.tolist()
(('a', 'b'), [3, 0], [2], [0, 1])
"""

from __future__ import annotations

import importlib
import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from approval_clock._dates import describe_value as shown
from approval_clock.calendars.workcalendar import WorkCalendar
from approval_clock.durations import MAX_DURATION, CalendarDays, WorkingDays
from approval_clock.errors import MissingExtraError, PlanError
from approval_clock.plans import _rules as rules
from approval_clock.plans import model
from approval_clock.plans.model import LINK_KINDS, STAGE_KINDS, PlanGraph

__all__ = ["LINK_COLUMNS", "STAGE_COLUMNS", "Column", "graph_from_frames", "read_columns"]

STAGE_COLUMNS: Final = ("id", "duration", "kind", "name", "calendar", "not_before", "finish_by")
"""The columns of a stages frame; ``id`` and ``duration`` are required."""

LINK_COLUMNS: Final = ("predecessor", "successor", "kind", "lag")
"""The columns of a links frame; ``predecessor`` and ``successor`` are required."""

_Array = npt.NDArray[Any]
_Ints = npt.NDArray[np.int64]


# -- reading frames -----------------------------------------------------------------------


class Column:
    """One column of a frame: its values as a 1-D numpy array (made when first asked
    for), and, where the frame holds text in Arrow form (pandas' Arrow strings,
    polars, pyarrow), that Arrow array, so that link ends and kinds are looked up
    without making a Python string per row.

    >>> column = Column(lambda: np.array(["FS", "SS"], dtype=object), 2)
    >>> column.length, column.values.tolist(), column.arrow_text() is None
    (2, ['FS', 'SS'], True)
    """

    __slots__ = ("_arrow", "_get", "_values", "length")

    def __init__(
        self,
        get: Callable[[], _Array],
        length: int | None = None,
        arrow: Callable[[], Any] | None = None,
    ) -> None:
        self._get = get
        self._values: _Array | None = None
        self._arrow = arrow
        if length is None:
            self._values = get()
            length = len(self._values) if self._values.ndim == 1 else -1
        self.length = length

    @property
    def values(self) -> _Array:
        """The values as a numpy array (text and other objects as Python objects)."""
        if self._values is None:
            self._values = self._get()
        return self._values

    def arrow_text(self) -> Any:
        """The values as an Arrow string array, or ``None`` (not held as Arrow text)."""
        pa = sys.modules.get("pyarrow")
        if self._arrow is None or pa is None:
            return None
        try:
            arr = self._arrow()
        except (TypeError, ValueError, pa.ArrowException):
            return None
        if arr is None:
            return None
        t = arr.type
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            return arr
        if pa.types.is_string_view(t):
            return arr.cast(pa.large_string())
        return None


def read_columns(
    frame: object, what: str, allowed: Sequence[str], required: Sequence[str]
) -> tuple[dict[str, Column], int]:
    """The columns of ``frame`` (see :class:`Column`), and the number of rows.

    ``what`` names the frame in messages. Columns outside ``allowed`` are an
    error, and so are missing ``required`` ones.

    Raises:
        PlanError: not a frame, a column unknown, missing or not one-dimensional.
        MissingExtraError: a frame that needs pyarrow (or pandas) to be read.

    >>> cols, n = read_columns({"id": ["a", "b"], "duration": [1, "2cd"]}, "stages",
    ...                        STAGE_COLUMNS, ("id", "duration"))
    >>> n, cols["duration"].values.dtype, cols["duration"].values.tolist()
    (2, dtype('O'), [1, '2cd'])
    >>> read_columns({"id": ["a"], "durations": [1]}, "stages", STAGE_COLUMNS, ("id",))
    Traceback (most recent call last):
    ...
    approval_clock.errors.PlanError: stages: unknown column 'durations'; the columns are 'id', 'duration', 'kind', 'name', 'calendar', 'not_before', 'finish_by' (select them first: frame[['id']])
    """
    names, get = _column_source(frame, what)
    for name in names:
        if name not in allowed:
            listed = ", ".join(repr(c) for c in allowed)
            keep = [c for c in names if c in allowed]
            raise PlanError(
                f"{what}: unknown column {name!r}; the columns are {listed} (select them "
                f"first: frame[{keep!r}])"
            )
    for name in required:
        if name not in names:
            raise PlanError(f"{what}: no column {name!r} (the columns are {_names(names)})")
    out: dict[str, Column] = {}
    rows: int | None = None
    for name in names:
        column = get(name)
        if column.length < 0:
            raise PlanError(
                f"{what}[{name!r}]: expected one value per row, got shape {column.values.shape}"
            )
        if rows is None:
            rows = column.length
        elif column.length != rows:
            raise PlanError(
                f"{what}[{name!r}]: {column.length} values, but {what}[{names[0]!r}] has {rows}"
            )
        out[name] = column
    return out, rows or 0


def _names(names: Sequence[str]) -> str:
    return ", ".join(repr(c) for c in names) if names else "none"


def _column_source(frame: Any, what: str) -> tuple[list[str], Callable[[str], Column]]:
    """The column names of ``frame`` and a function giving one :class:`Column`."""
    module = type(frame).__module__.partition(".")[0]
    if isinstance(frame, Mapping):
        names = list(frame)
        bad = [k for k in names if not isinstance(k, str)]
        if bad:
            raise PlanError(f"{what}: column names must be strings, got {shown(bad[0])}")
        return names, lambda name: Column(lambda: _as_array(frame[name]))
    if module == "pandas" and hasattr(frame, "columns"):
        names = list(frame.columns)
        if len(set(names)) < len(names):
            raise PlanError(f"{what}: a column name is given twice ({_names(names)})")
        bad = [k for k in names if not isinstance(k, str)]
        if bad:
            raise PlanError(f"{what}: column names must be strings, got {shown(bad[0])}")

        def pandas_column(name: str) -> Column:
            series = frame[name]
            held = series.array
            arrow = (
                (lambda: sys.modules["pyarrow"].array(held))
                if hasattr(held, "__arrow_array__")
                else None
            )
            return Column(lambda: np.asarray(series.to_numpy()), len(series), arrow)

        return names, pandas_column
    if module == "polars" and hasattr(frame, "get_column"):
        if hasattr(frame, "collect") and not hasattr(frame, "height"):
            raise PlanError(f"{what}: a lazy polars frame; collect() it first")

        # Directly, not through Arrow: a column of calendars (polars Object) has no
        # Arrow form.
        def polars_column(name: str) -> Column:
            series = frame.get_column(name)
            return Column(lambda: np.asarray(series.to_numpy()), len(series), series.to_arrow)

        return list(frame.columns), polars_column
    if hasattr(frame, "__arrow_c_stream__"):
        try:
            pa = importlib.import_module("pyarrow")
        except ImportError:
            raise MissingExtraError(
                f"{what}: a {_kind(frame)} is read through Arrow, which needs pyarrow; "
                f"install it with pip install pyarrow (the 'polars' extra has it; see docs/install.md)"
            ) from None
        table = pa.table(frame)

        def arrow_column(name: str) -> Column:
            chunked = table.column(name)
            return Column(
                lambda: np.asarray(chunked.to_numpy()), len(chunked), chunked.combine_chunks
            )

        return list(table.column_names), arrow_column
    if hasattr(frame, "__dataframe__"):
        try:
            interchange = importlib.import_module("pandas.api.interchange")
        except ImportError:
            raise MissingExtraError(
                f"{what}: a {_kind(frame)} is read through the dataframe interchange "
                f"protocol, which needs pandas; install it with pip install "
                f"pandas (the 'pandas' extra; see docs/install.md)"
            ) from None
        return _column_source(interchange.from_dataframe(frame), what)
    hint = "; collect() a lazy frame first" if hasattr(frame, "collect") else ""
    raise PlanError(
        f"{what}: expected a pandas DataFrame, a frame that speaks Arrow (polars, pyarrow) "
        f"or a mapping of column name to values, got {_kind(frame)}{hint}"
    )


def _kind(frame: object) -> str:
    return f"{type(frame).__module__.partition('.')[0]}.{type(frame).__name__}"


def _as_array(values: object) -> _Array:
    """A column given as a sequence: an array of its values (objects stay objects)."""
    if isinstance(values, np.ndarray):
        return values
    to_numpy = getattr(values, "to_numpy", None)
    if callable(to_numpy):  # a pandas or polars Series, a pyarrow array
        return np.asarray(to_numpy())
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        return np.asarray(values, dtype=object)  # 0-d: refused as not a column
    items = list(values)
    if items and all(type(v) is int for v in items) and -(2**63) < min(items) <= max(items) < 2**63:
        return np.array(items, dtype=np.int64)
    out = np.empty(len(items), dtype=object)
    for k, v in enumerate(items):
        out[k] = v
    return out


# -- values -------------------------------------------------------------------------------


def _missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA: a cell with no value."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(value))
    return type(value).__name__ in ("NAType", "NaTType")


def _objects(values: _Array) -> list[Any]:
    """The values as Python objects (``str`` for numpy strings, ``int`` for ints)."""
    out: list[Any] = values.tolist()
    return out


class _Rows:
    """How messages name a row: ``stages[3] (stage 'x')``."""

    def __init__(self, what: str, ids: Sequence[Any] | None = None) -> None:
        self.what = what
        self.ids = ids

    def __call__(self, k: int, column: str) -> str:
        sid = "" if self.ids is None else f" (stage {self.ids[k]!r})"
        return f"{self.what}[{k}]{sid}: {column}"


def _whole_numbers(values: _Array, where: Callable[[int], str], expected: str) -> _Ints:
    """A numeric column as int64: ints as they are, floats if whole (NaN: missing)."""
    if values.dtype.kind in "iu":
        if values.dtype.kind == "u" and len(values) and values.max() > 2**62:
            k = int(np.argmax(values > 2**62))
            raise PlanError(f"{where(k)}: {expected}, got {int(values[k])}")
        return values.astype(np.int64)
    assert values.dtype.kind == "f"
    bad = ~np.isfinite(values) | (values != np.floor(values)) | (np.abs(values) > 2**62)
    if bad.any():
        k = int(np.argmax(bad))
        v = float(values[k])
        got = "a missing value" if math.isnan(v) else shown(v)
        raise PlanError(f"{where(k)}: {expected}, got {got}")
    return values.astype(np.int64)


def _plain_text(items: list[Any]) -> bool:
    """True when every item is a non-blank ASCII ``str`` without white space (checked
    at C speed on the joined text: the usual ids, which need no normalising)."""
    try:
        joined = "".join(items)
    except TypeError:  # not all str
        return False
    return (
        all(type(v) is str for v in items)
        and joined.isascii()
        and _SPACE.search(joined) is None
        and min(map(len, items), default=1) > 0
    )


_SPACE: Final = re.compile(r"\s")


def _ids(values: _Array) -> tuple[str, ...]:
    items = _objects(values)
    if _plain_text(items) or all(type(v) is str and v.isascii() and v.strip() for v in items):
        return tuple(items)
    out: list[str] = []
    for k, v in enumerate(items):
        if type(v) is str and v.isascii() and v.strip():
            out.append(v)
        else:
            hint = (
                " (ids are text: convert the column with .astype(str))"
                if isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                else ""
            )
            try:
                out.append(model.normalize_id(v, f"stages[{k}]: stage id"))
            except PlanError as e:
                raise PlanError(f"{e}{hint}") from None
    return tuple(out)


def _durations(values: _Array, where: Callable[[int], str]) -> tuple[_Ints, npt.NDArray[np.int8]]:
    n = len(values)
    if values.dtype.kind in "iuf":
        numbers = _whole_numbers(values, where, "expected a whole number of working days")
        return _check_days(numbers, where), np.zeros(n, dtype=np.int8)
    if values.dtype.kind == "b":
        raise PlanError(
            f"{where(0)}: expected a whole number of working days, WorkingDays, CalendarDays, "
            f"CalendarMonths or a short form such as '20wd', got {shown(bool(values[0]))}"
        )
    items = _objects(values)
    if all(type(v) is int for v in items) and min(items) >= 0 and max(items) <= MAX_DURATION:
        return np.array(items, dtype=np.int64), np.zeros(n, dtype=np.int8)
    numbers = np.empty(n, dtype=np.int64)
    units = np.empty(n, dtype=np.int8)
    memo: dict[Any, tuple[int, int]] = {}
    unit_code = {WorkingDays: 0, CalendarDays: 1}
    for k, v in enumerate(items):
        key = (type(v), v) if type(v) in (int, str) else None
        hit = memo.get(key) if key is not None else None
        if hit is None:
            if _missing(v):
                raise PlanError(f"{where(k)}: expected a duration, got a missing value")
            if type(v) is int and v > MAX_DURATION:
                raise PlanError(f"{where(k)}: {_too_long(v)}")
            d = rules.duration(v, where(k))
            hit = (d.n, unit_code.get(type(d), 2))
            if key is not None:
                memo[key] = hit
        numbers[k], units[k] = hit
    return numbers, units


def _too_long(value: int) -> str:
    big = value if value.bit_length() <= 128 else f"an int of {value.bit_length()} bits"
    return (
        f"expected at most {MAX_DURATION} working days (the days from 0001-01-01 to "
        f"9999-12-31), got {big}"
    )


def _check_days(numbers: _Ints, where: Callable[[int], str]) -> _Ints:
    if len(numbers) and numbers.min() < 0:
        k = int(np.argmax(numbers < 0))
        raise PlanError(f"{where(k)}: expected a whole number of days >= 0, got {numbers[k]}")
    if len(numbers) and numbers.max() > MAX_DURATION:
        k = int(np.argmax(numbers > MAX_DURATION))
        raise PlanError(f"{where(k)}: {_too_long(int(numbers[k]))}")
    return numbers


def _codes(
    column: Column | None,
    n: int,
    choices: Sequence[str],
    default: int,
    where: Callable[[int], str],
) -> npt.NDArray[np.int8]:
    """A column of kinds as indices into ``choices`` (missing: ``default``)."""
    if column is None:
        return np.full(n, default, dtype=np.int8)
    codes = np.full(n, -1, dtype=np.int8)
    text = column.arrow_text()
    if text is not None:
        pa = sys.modules["pyarrow"]
        pc = importlib.import_module("pyarrow.compute")
        found = pc.index_in(text, value_set=pa.array(list(choices), type=text.type))
        codes = np.asarray(pc.fill_null(found, -1).to_numpy(), dtype=np.int8)
    elif column.values.dtype.kind in "OUT":
        values = column.values
        # One comparison per choice at C speed (kinds are few), not a look-up per row.
        for k, c in enumerate(choices):
            try:
                hit = np.asarray(values == c, dtype=bool)
            except (TypeError, ValueError):  # a value that compares oddly
                break
            if hit.shape != codes.shape:
                break
            codes[hit] = k
    if (codes < 0).any():
        items = _objects(column.values)
        for k in np.flatnonzero(codes < 0).tolist():
            v = items[k]
            if isinstance(v, str) and v in choices:
                codes[k] = choices.index(v)
            elif _missing(v):
                codes[k] = default
            else:
                raise PlanError(
                    f"{where(k)}: expected one of {', '.join(map(repr, choices))}, got {shown(v)}"
                )
    return codes


def _names_column(values: _Array | None, n: int, where: Callable[[int], str]) -> tuple[str, ...]:
    if values is None:
        return ("",) * n
    items = _objects(values)
    if all(type(v) is str for v in items):
        return tuple(items)
    out: list[str] = []
    for k, v in enumerate(items):
        if isinstance(v, str):
            out.append(str(v))
        elif _missing(v):
            out.append("")
        else:
            raise PlanError(f"{where(k)}: expected a string, got {shown(v)}")
    return tuple(out)


def _calendars(
    values: _Array | None, n: int, where: Callable[[int], str]
) -> tuple[_Ints, tuple[WorkCalendar, ...]]:
    if values is None:
        return np.full(n, -1, dtype=np.int64), ()
    own: list[WorkCalendar | None] = []
    for k, v in enumerate(_objects(values)):
        if isinstance(v, WorkCalendar):
            own.append(v)
        elif _missing(v):
            own.append(None)
        else:
            raise PlanError(f"{where(k)}: expected a WorkCalendar or None, got {shown(v)}")
    codes, calendars = rules.calendar_codes(own)
    return codes, tuple(calendars)


def _dates(values: _Array | None, n: int, where: Callable[[int], str]) -> npt.NDArray[Any]:
    """A column of dates as ``datetime64[D]`` (missing: NaT)."""
    if values is None:
        return np.full(n, np.datetime64("NaT", "D"))
    if values.dtype.kind == "M":
        days = values.astype("datetime64[D]")
        off = (values != days.astype(values.dtype)) & ~np.isnat(values)
        if off.any():
            k = int(np.argmax(off))
            raise PlanError(f"{where(k)}: expected a date, got {values[k]} (a time of day)")
        return days
    out = np.full(n, np.datetime64("NaT", "D"))
    for k, v in enumerate(_objects(values)):
        if type(v) is date:
            out[k] = v
        elif not _missing(v):
            rules.optional_date(v, where(k))  # raises, naming the value
            raise AssertionError  # pragma: no cover
    return out


def _lags(
    values: _Array | None, n: int, where: Callable[[int], str]
) -> tuple[_Ints, npt.NDArray[np.int8]]:
    if values is None:
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int8)
    expected = f"expected working days from -{MAX_DURATION} to {MAX_DURATION}"
    if values.dtype.kind in "iuf":
        lags = _whole_numbers(values, where, "expected a whole number of working days")
        if len(lags) and (lags.min() < -MAX_DURATION or lags.max() > MAX_DURATION):
            k = int(np.argmax(np.abs(lags) > MAX_DURATION))
            raise PlanError(f"{where(k)}: {expected}, got {lags[k]}")
        return lags, np.zeros(n, dtype=np.int8)
    items = _objects(values)
    lags = np.zeros(n, dtype=np.int64)
    units = np.zeros(n, dtype=np.int8)
    memo: dict[str, int | CalendarDays] = {}
    for k, v in enumerate(items):
        if type(v) is int:
            lag: int | CalendarDays = v
        elif _missing(v):
            continue
        elif type(v) is str and v in memo:
            lag = memo[v]
        else:
            lag = rules.lag(v, where(k))
            if type(v) is str:
                memo[v] = lag
        if isinstance(lag, CalendarDays):
            lags[k], units[k] = lag.n, 1
        elif not -MAX_DURATION <= lag <= MAX_DURATION:
            big = lag if abs(lag) < 10**30 else f"an int of {lag.bit_length()} bits"
            raise PlanError(f"{where(k)}: {expected}, got {big}")
        else:
            lags[k] = lag
    return lags, units


def _ends(
    columns: Sequence[tuple[str, Column]], index: Mapping[str, int], ids: Sequence[str]
) -> list[_Ints]:
    """Link ends as stage positions; ids are compared in NFC, as ``Link`` keeps them."""
    found = _look_up([c for _, c in columns], index, ids)
    out: list[_Ints] = []
    get = index.get
    for (column, values), at in zip(columns, found, strict=True):
        if (at < 0).any():
            items = _objects(values.values)
            for k in np.flatnonzero(at < 0).tolist():
                v = items[k]
                if not isinstance(v, str) or not v.strip():
                    raise PlanError(
                        f"links[{k}]: {column}: expected a stage id (a string), got {shown(v)}"
                    )
                sid = model.normalize_id(v, f"links[{k}]: {column}")
                p = get(sid, -1)
                if p < 0:
                    raise PlanError(
                        f"links[{k}]: unknown {column} {sid!r}; the stages are {rules.listing(ids)}"
                    )
                at[k] = p
        out.append(at)
    return out


def _look_up(
    columns: Sequence[Column], index: Mapping[str, int], ids: Sequence[str]
) -> list[_Ints]:
    """The position of each value among ``ids`` (-1: not there, or not text).

    A hash look-up at C speed where a library that has one is loaded already
    (pyarrow, else pandas: a frame read through either has loaded it), else a
    dict look-up per value. The columns are looked up together (one hash table).
    """
    sizes = [c.length for c in columns]
    pa = sys.modules.get("pyarrow")
    if pa is not None:
        pc = importlib.import_module("pyarrow.compute")
        try:
            parts = [c.arrow_text() for c in columns]
            arrays = [
                p if p is not None else pa.array(c.values, type=pa.large_string())
                for p, c in zip(parts, columns, strict=True)
            ]
            both = pa.chunked_array([a.cast(pa.large_string()) for a in arrays])
            hit = pc.index_in(both, value_set=pa.array(ids, type=pa.large_string()))
            flat = np.array(pc.fill_null(hit, -1).to_numpy(), dtype=np.int64)  # writeable
            return np.split(flat, np.cumsum(sizes)[:-1])
        except (pa.ArrowException, TypeError, ValueError):  # values that are not all text
            pass
    pd = sys.modules.get("pandas")
    values = [c.values for c in columns]
    if pd is not None and all(v.dtype.kind in "OU" for v in values):
        try:
            at = pd.Index(ids, dtype=object).get_indexer(np.concatenate(values))
            return np.split(np.asarray(at, dtype=np.int64), np.cumsum(sizes)[:-1])
        except (TypeError, ValueError):
            pass
    out: list[_Ints] = []
    get = index.get
    for v in values:
        items = _objects(v)
        try:
            at = [get(x, -1) for x in items]
        except TypeError:  # an unhashable value
            at = [get(x, -1) if getattr(x, "__hash__", None) is not None else -1 for x in items]
        out.append(np.array(at, dtype=np.int64))
    return out


def _values(columns: Mapping[str, Column], name: str) -> _Array | None:
    column = columns.get(name)
    return None if column is None else column.values


# -- the plan -----------------------------------------------------------------------------


def graph_from_frames(stages: object, links: object = None) -> PlanGraph:
    """Read, validate and order the stage and link frames into a :class:`PlanGraph`.

    See :meth:`Plan.from_frame <approval_clock.Plan.from_frame>` for the columns
    and what is checked. O(rows) array work, plus per-value checks for columns
    of Python objects (memoized for repeated text such as ``"35wd"``), and the
    topological order (O(stages + links log links)).
    """
    cols, n = read_columns(stages, "stages", STAGE_COLUMNS, ("id", "duration"))
    if not n:
        raise PlanError("stages: a plan needs at least one stage")
    ids = _ids(cols["id"].values)
    index = dict(zip(ids, range(n), strict=True))
    if len(index) < n:
        rules.duplicate_ids(ids)
    row = _Rows("stages", ids)
    duration, unit = _durations(cols["duration"].values, lambda k: row(k, "duration"))
    kind = _codes(cols.get("kind"), n, STAGE_KINDS, 0, lambda k: row(k, "kind"))
    names = _names_column(_values(cols, "name"), n, lambda k: row(k, "name"))
    cal, calendars = _calendars(_values(cols, "calendar"), n, lambda k: row(k, "calendar"))
    not_before = _dates(_values(cols, "not_before"), n, lambda k: row(k, "not_before"))
    finish_by = _dates(_values(cols, "finish_by"), n, lambda k: row(k, "finish_by"))
    swapped = finish_by < not_before  # NaT compares False
    if swapped.any():
        k = int(np.argmax(swapped))
        raise PlanError(
            f"stages[{k}] (stage {ids[k]!r}): finish_by {finish_by[k]} is before not_before "
            f"{not_before[k]}; no schedule can keep both (are the two dates swapped?)"
        )
    if links is None:
        link_cols: dict[str, Column] = {}
        m = 0
    else:
        link_cols, m = read_columns(links, "links", LINK_COLUMNS, ("predecessor", "successor"))
    if m:
        pred, succ = _ends(
            [(end, link_cols[end]) for end in ("predecessor", "successor")], index, ids
        )
    else:
        pred = succ = np.zeros(0, dtype=np.int64)

    def at(k: int, column: str) -> str:
        return f"links[{k}] ({ids[pred[k]]!r} -> {ids[succ[k]]!r}): {column}"

    link_kind = _codes(link_cols.get("kind"), m, LINK_KINDS, 0, lambda k: at(k, "kind"))
    itself = pred == succ
    if itself.any():
        k = int(np.argmax(itself))
        raise PlanError(
            f"links[{k}] ({ids[pred[k]]!r} -> {ids[succ[k]]!r}): a stage cannot be linked to itself"
        )
    lag, lag_unit = _lags(_values(link_cols, "lag"), m, lambda k: at(k, "lag"))
    dup = rules.first_duplicate_link(pred, succ, link_kind, n)
    if dup is not None:
        first, k = dup
        raise PlanError(
            f"link {ids[pred[k]]!r} -> {ids[succ[k]]!r} ({LINK_KINDS[link_kind[k]]}) is given "
            f"twice (links[{first}] and links[{k}]); a pair may have one link of each kind"
        )
    return model._graph(
        ids=ids,
        names=names,
        duration=duration,
        unit=unit,
        kind=kind,
        calendar=cal,
        calendars=calendars,
        not_before=not_before,
        finish_by=finish_by,
        predecessor=pred,
        successor=succ,
        link_kind=link_kind,
        lag=lag,
        lag_unit=lag_unit,
        index=index,
    )

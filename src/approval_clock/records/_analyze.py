"""The steps of :func:`approval_clock.records.analyze`, each a function of its own.

Private to :mod:`approval_clock.records`. :func:`run` reads the arguments and
columns (:func:`read_options`, :func:`read_stages`, :func:`read_pauses`, with
:func:`read_ids` factorising the case and stage ids of both frames once), then
rejects the stage rows that cannot be measured (:func:`reject_stages`), attaches
the pauses to their stages (:func:`attach_pauses`), counts working days
(:func:`count_days`) and builds the result frames (:func:`assemble`).

Memory is the constraint at national scale, so the steps pass each other only
what is still needed, and drop the rest as soon as it is used: full-length
arrays die when the valid rows are picked, working-day numbers when the counts
are done. Day numbers and working-day numbers of valid rows are ``int32``
(days since 1970 and the count of working days in a calendar both fit), the
output columns ``int64`` as before; every output array is computed into its own
buffer and goes into the result frame as it is, without a copy. Working-day
numbers come from two small tables per call (one entry per day of the
calendar's range, one per working day), read through the calendar's public
methods once, so that each lookup is one ``numpy.take``.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterable
from datetime import date
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from approval_clock import _advice
from approval_clock._check import fail_type
from approval_clock.calendars import _certainty
from approval_clock.calendars.workcalendar import CERTAINTIES, WorkCalendar
from approval_clock.durations import WorkingDays
from approval_clock.errors import ColumnTypeError, RecordsError
from approval_clock.records import _core as core
from approval_clock.records import _kpis as kp
from approval_clock.records._parse import (
    EPOCH,
    NAT,
    DateOptions,
    Ids,
    ParsedDates,
    check_date_options,
    check_frame,
    check_id_steps,
    get_column,
    parse_dates,
    parse_id_pair,
    parse_limits,
    parse_units,
    scalar_day,
)

STAGE_COLUMNS = (
    "open",
    "measured_to",
    "elapsed_gross",
    "paused_days",
    "elapsed",
    "limit_days",
    "deadline",
    "days_left",
    "overdue",
    "days_overdue",
    "same_day",
    "status",
    "certainty",
)
"""Columns :func:`run` adds to each accepted stage row, in this order."""

MAX_LIMIT = 10**9  # any limit beyond this already puts the deadline past every calendar
OUT = "date outside calendar coverage"
SECONDS_PER_DAY = 86_400
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
_NA_LEFT = np.iinfo(np.int64).min  # days_left of a calendar-day deadline past the range
DENSE_PAIRS = 4
"""(case, stage) pairs are looked up in a dense table while their code space is at
most this many times the stage rows (plus 1024); else in a sorted array."""


# -- helpers -------------------------------------------------------------------------------


def as_ints(a: npt.NDArray[Any]) -> I64:
    """``a`` as ``int64`` (no copy when it already is)."""
    return np.asarray(a, dtype=np.int64)


def day_dates(days: npt.NDArray[Any]) -> npt.NDArray[np.datetime64]:
    """Day numbers (:data:`NAT` for missing, in an ``int64`` array) as ``datetime64[s]``."""
    return as_ints(days).view("datetime64[D]").astype("datetime64[s]")


def _seconds_in_place(days: I64) -> npt.NDArray[np.datetime64]:
    """``int64`` day numbers (NAT kept) turned into ``datetime64[s]`` in their own buffer."""
    known = days != NAT
    np.multiply(days, SECONDS_PER_DAY, out=days, where=known)
    return days.view("datetime64[s]")


def _column(values: Any, index: pd.Index[Any]) -> pd.Series[Any]:
    """``values`` as a Series on ``index`` without a copy (a frame takes a Series as it is)."""
    return pd.Series(values, index=index, copy=False)


class Reasons:
    """First-reason-wins bookkeeping for rejected rows."""

    def __init__(self, n: int) -> None:
        self.code = np.zeros(n, dtype=np.int8)
        self.table: list[tuple[str, str]] = []

    def add(self, mask: Mask, reason: str, column: str) -> None:
        """Give the rows of ``mask`` that have no reason yet this one."""
        self.table.append((reason, column))
        free = self.code == 0
        free &= mask
        self.code[free] = len(self.table)

    @property
    def ok(self) -> Mask:
        """The rows without a reason."""
        return np.asarray(self.code == 0, dtype=np.bool_)


def reasons_frame(frame: pd.DataFrame, why: Reasons) -> pd.DataFrame:
    """The rejected rows of ``frame`` as given, plus ``reason`` and ``column``."""
    bad = why.code > 0
    out = frame[bad].copy()
    picked = why.code[bad] - 1
    for name, k in (("reason", 0), ("column", 1)):
        words = np.asarray([entry[k] for entry in why.table], dtype=object)
        out[name] = pd.Series(words[picked], index=out.index, dtype=object)
    return out


def check_outputs(frame: pd.DataFrame, names: Iterable[str], what: str) -> None:
    """Refuse a frame with a column that the result would overwrite."""
    clash = [c for c in names if c in frame.columns]
    if clash:
        raise RecordsError(
            f"{what}: column {clash[0]!r} would be overwritten by analyze's output; rename it first"
        )


def warn_days(warn_within: object) -> int:
    """``warn_within`` as a number of working days >= 0."""
    if isinstance(warn_within, WorkingDays):
        return warn_within.n
    if isinstance(warn_within, (int, np.integer)) and not isinstance(warn_within, bool):
        if warn_within >= 0:
            return int(warn_within)
        raise RecordsError(f"warn_within: expected working days >= 0, got {warn_within}")
    raise ColumnTypeError(
        f"warn_within: expected an int or WorkingDays, got {type(warn_within).__name__} "
        f"{warn_within!r}"
    )


def check_name(value: object, param: str) -> Hashable:
    """A column name argument: anything hashable (a list or a dict is not a name)."""
    try:
        hash(value)
    except TypeError:
        raise fail_type(
            param, "a column name (a string or another hashable value)", value
        ) from None
    return value


# -- step 1: arguments ---------------------------------------------------------------------


@attrs.frozen(eq=False)
class Names:
    """The column names of one call (each hashable, or ``ArgumentTypeError``)."""

    case: Hashable
    stage: Hashable
    accepted: Hashable
    completed: Hashable
    limit: Hashable
    paused: Hashable
    resumed: Hashable
    unit: Hashable | None

    def __attrs_post_init__(self) -> None:
        for field in attrs.fields(Names):
            param = "limit_unit_column" if field.name == "unit" else field.name
            check_name(getattr(self, field.name), param)


@attrs.frozen(eq=False)
class Options:
    """The checked arguments of one call, and the calendar read into lookup tables.

    ``numbers[d - first]`` is ``calendar.working_day_number`` of day number ``d``
    within the range; ``dates[k - 1]`` the day number of working day ``k``.
    """

    calendar: WorkCalendar
    names: Names
    warn: int
    dates_as: DateOptions
    steps: tuple[str, ...]
    limit_unit: str
    as_of_day: int | None
    as_of: date | None
    first: int
    last: int
    total: int
    numbers: I32
    dates: I32

    @property
    def big(self) -> int:
        """A number above every working-day number (for grouped interval arithmetic)."""
        return self.total + 2

    def number_of(self, days: npt.NDArray[Any]) -> I32:
        """Working-day numbers of day numbers within the range."""
        return np.take(self.numbers, days - self.first)

    def date_of(self, numbers: npt.NDArray[Any]) -> I64:
        """Day numbers (``int64``) of working-day numbers in ``1..total``."""
        return np.take(self.dates, numbers - 1).astype(np.int64)


def read_options(
    calendar: object,
    *,
    as_of: object,
    warn_within: object,
    names: Names,
    date_format: object,
    dayfirst: object,
    excel_serial: object,
    open_values: object,
    normalize_ids: object,
    limit_unit: object,
) -> Options:
    """Check the arguments that are not frames, in the order ``analyze`` documents.

    Raises ``ColumnTypeError`` for a wrong type, ``RecordsError`` for a bad value,
    ``CalendarCoverageError`` for ``as_of`` outside the calendar.
    """
    if not isinstance(calendar, WorkCalendar):
        raise ColumnTypeError(
            f"calendar: expected a WorkCalendar such as calendars.get('CN'), "
            f"got {type(calendar).__name__}"
        )
    warn = warn_days(warn_within)
    fmt, first_day, serial, opens = check_date_options(
        date_format, dayfirst, excel_serial, open_values
    )
    steps = check_id_steps(normalize_ids)
    if not isinstance(limit_unit, str):
        raise fail_type("limit_unit", "'wd' (working days) or 'cd' (calendar days)", limit_unit)
    if limit_unit not in ("wd", "cd"):
        raise RecordsError(
            f"limit_unit: expected 'wd' (working days) or 'cd' (calendar days), got {limit_unit!r}"
        )
    dates_as = DateOptions(calendar.timezone, calendar.name, fmt, first_day, serial, opens)
    first, last = (d.toordinal() - EPOCH.toordinal() for d in calendar.coverage)
    numbers = as_ints(
        calendar.working_day_number(np.arange(first, last + 1).view("datetime64[D]"))
    ).astype(np.int32)
    total = int(numbers[-1])
    dates = (
        np.asarray(calendar.date_of_working_day(np.arange(1, total + 1)), dtype="datetime64[D]")
        .view(np.int64)
        .astype(np.int32)
    )
    return Options(
        calendar=calendar,
        names=names,
        warn=warn,
        dates_as=dates_as,
        steps=steps,
        limit_unit=str(limit_unit),
        as_of_day=None,
        as_of=None,
        first=first,
        last=last,
        total=total,
        numbers=numbers,
        dates=dates,
    )


def read_as_of(opts: Options, as_of: object) -> Options:
    """``opts`` with ``as_of`` read (in the calendar's zone) and checked against its range."""
    if as_of is None:
        return opts
    day = scalar_day(as_of, "as_of", opts.dates_as.zone, opts.dates_as.cal)
    when = date.fromordinal(day + EPOCH.toordinal())
    opts.calendar.working_day_number(when)  # raises CalendarCoverageError outside
    return attrs.evolve(opts, as_of_day=day, as_of=when)


# -- step 2: columns -----------------------------------------------------------------------


@attrs.define(eq=False)
class StageColumns:
    """The stage rows' columns as arrays (full length, all rows)."""

    case_col: pd.Series[Any]
    stage_col: pd.Series[Any]
    acc: ParsedDates
    com: ParsedDates
    limit: npt.NDArray[np.float64]
    limit_bad: Mask
    in_cd: Mask
    unit_bad: Mask | None


@attrs.define(eq=False)
class PauseColumns:
    """The pause rows' columns: ids as given, dates as day numbers."""

    case_col: pd.Series[Any]
    stage_col: pd.Series[Any]
    start: ParsedDates | None = None
    stop: ParsedDates | None = None


def _dates_of(
    frame: pd.DataFrame, what: str, name: Hashable, param: str, opts: Options, *, end: bool
) -> ParsedDates:
    col = get_column(frame, name, what, param)
    return parse_dates(col, f"{what}[{name!r}]", opts.dates_as, end=end)


def read_stages(stages: pd.DataFrame, opts: Options) -> StageColumns:
    """Find and read the stage columns: ids as given, dates, limits and their units.

    Raises ``RecordsError`` for a missing or clashing column, ``ColumnTypeError``
    for a column whose dtype cannot hold what it should.
    """
    nm = opts.names
    check_outputs(stages, STAGE_COLUMNS, "stages")
    check_outputs(stages, ("reason", "column"), "stages")
    case_col = get_column(stages, nm.case, "stages", "case")
    stage_col = get_column(stages, nm.stage, "stages", "stage")
    acc = _dates_of(stages, "stages", nm.accepted, "accepted", opts, end=False)
    com = _dates_of(stages, "stages", nm.completed, "completed", opts, end=True)
    limit_col = get_column(stages, nm.limit, "stages", "limit")
    limit, limit_bad = parse_limits(limit_col, f"stages[{nm.limit!r}]")
    unit_bad: Mask | None = None
    if nm.unit is not None:
        unit_col = get_column(stages, nm.unit, "stages", "limit_unit_column")
        in_cd, unit_bad = parse_units(unit_col, opts.limit_unit)
    else:
        in_cd = np.full(len(stages), opts.limit_unit == "cd")
    return StageColumns(case_col, stage_col, acc, com, limit, limit_bad, in_cd, unit_bad)


def read_pause_ids(pauses: pd.DataFrame, opts: Options) -> PauseColumns:
    """Find the pauses' id columns (their dates are read after the ids, as before)."""
    check_outputs(pauses, ("paused_days", "reason", "column"), "pauses")
    nm = opts.names
    case_col = get_column(pauses, nm.case, "pauses", "case")
    stage_col = get_column(pauses, nm.stage, "pauses", "stage")
    return PauseColumns(case_col, stage_col)


def read_pause_dates(pauses: pd.DataFrame, cols: PauseColumns, opts: Options) -> None:
    """Read the pauses' dates into ``cols``."""
    nm = opts.names
    cols.start = _dates_of(pauses, "pauses", nm.paused, "paused", opts, end=False)
    cols.stop = _dates_of(pauses, "pauses", nm.resumed, "resumed", opts, end=True)


@attrs.define(eq=False)
class Keys:
    """Case and stage ids as codes of one code space per id, shared by both frames.

    ``s_pair`` / ``p_pair`` number each row's (case, stage) pair (-1 when an id is
    missing); equal pairs have equal numbers in both frames.
    """

    case_labels: pd.Index[Any]
    stage_labels: pd.Index[Any]
    s_case: npt.NDArray[np.int64]
    s_stage: npt.NDArray[np.int64]
    s_pair: I64
    p_pair: I64
    p_missing: Mask
    space: int
    messages: list[str]


def _type_message(what: str, ours: Ids, theirs: Ids, unmatched: int, total: int) -> str:
    return (
        f"{what} ids are {ours.kind} in stages (dtype {ours.dtype}) and {theirs.kind} in "
        f"pauses (dtype {theirs.dtype}): matched them by their text (17 is '17'); "
        f"{unmatched} of {total} pause {what} ids match no stage row; convert one column "
        f"to the other's type to silence this warning"
    )


def read_ids(stages: StageColumns, pauses: PauseColumns | None, opts: Options) -> Keys:
    """Factorise the case and stage ids of both frames once, into shared code spaces.

    Ids of the same dtype in both frames are factorised together; ids typed
    differently are matched (by their text when one frame has integers and the
    other text, with a warning message).
    """
    messages: list[str] = []
    codes: dict[str, tuple[Ids, npt.NDArray[np.int64], int]] = {}
    for which, ours, theirs in (
        ("case", stages.case_col, None if pauses is None else pauses.case_col),
        ("stage", stages.stage_col, None if pauses is None else pauses.stage_col),
    ):
        mine, other, p_codes, space, by_text = parse_id_pair(ours, theirs, opts.steps)
        if by_text and other is not None and len(other.labels):
            size = len(mine.labels)
            matched = np.unique(p_codes[(p_codes >= 0) & (p_codes < size)])
            present = np.unique(p_codes[p_codes >= 0])
            name = str(opts.names.case if which == "case" else opts.names.stage)
            messages.append(
                _type_message(name, mine, other, len(present) - len(matched), len(present))
            )
        codes[which] = (mine, p_codes, space)
    s_case, pc, _ = codes["case"]
    s_stage, ps, n_stage_space = codes["stage"]
    width = n_stage_space + 1
    s_pair = s_case.codes * width
    s_pair += s_stage.codes
    s_pair[(s_case.codes < 0) | (s_stage.codes < 0)] = -1
    if pauses is None:
        p_pair = np.zeros(0, dtype=np.int64)
        p_missing = np.zeros(0, dtype=bool)
    else:
        p_missing = (pc < 0) | (ps < 0)
        p_pair = pc * width
        p_pair += ps
        p_pair[p_missing] = -1
    space = max(len(s_case.labels), int(pc.max(initial=-1)) + 1) * width
    return Keys(
        case_labels=s_case.labels,
        stage_labels=s_stage.labels,
        s_case=s_case.codes,
        s_stage=s_stage.codes,
        s_pair=s_pair,
        p_pair=p_pair,
        p_missing=p_missing,
        space=space,
        messages=messages,
    )


# -- step 3: which stage rows are measured -------------------------------------------------


@attrs.define(eq=False)
class Valid:
    """The accepted stage rows (``pos`` into the input), as compact arrays.

    Day numbers are ``int32``; ``end`` is the completion or ``as_of``. What the
    rejected rows keep for grouped KPIs (``r_key``, ``r_acc``, ``r_com``) is here
    too, and the table that finds the stage row of a (case, stage) pair.
    """

    pos: I64
    why: Reasons
    case: npt.NDArray[np.int64]
    stage: npt.NDArray[np.int64] | None
    acc: I32
    end: I32
    is_open: Mask
    limit: I64
    in_cd: Mask
    r_key: I64
    r_acc: I64
    r_com: I64
    row_of: PairRows


class PairRows:
    """The stage row of each (case, stage) pair: its accepted row, -2 when all its rows
    were rejected, -1 when no stage row has it.

    A dense table when the pairs' code space is small (a few times the rows), else
    a sorted array of the pairs searched with ``numpy.searchsorted``.
    """

    def __init__(self, s_pair: I64, pos: I64, space: int, n_rows: int) -> None:
        has = s_pair >= 0
        self.dense = _dense(space, n_rows)
        if self.dense:
            table = np.full(max(space, 1), -1, dtype=np.int32)
            table[s_pair[has]] = -2
            table[s_pair[pos]] = np.arange(len(pos), dtype=np.int32)
            self.table = table
        else:
            pairs = s_pair[has]
            rows = np.full(len(s_pair), -2, dtype=np.int32)
            rows[pos] = np.arange(len(pos), dtype=np.int32)
            rows = rows[has]
            order = np.argsort(pairs, kind="stable")
            self.sorted_pairs = pairs[order]
            self.rows = rows[order]

    def lookup(self, pair: I64) -> I64:
        """The stage row of each pair (-1 for a missing pair)."""
        out = np.full(len(pair), -1, dtype=np.int64)
        has = pair >= 0
        if self.dense:
            inside = has & (pair < len(self.table))
            out[inside] = self.table[pair[inside]]
            return out
        where = np.searchsorted(self.sorted_pairs, pair[has])
        where = np.minimum(where, max(len(self.sorted_pairs) - 1, 0))
        if len(self.sorted_pairs):
            found = self.sorted_pairs[where] == pair[has]
            got = np.where(found, self.rows[where], -1)
            out[np.flatnonzero(has)] = got
        return out


def _dense(space: int, n: int) -> bool:
    return space <= DENSE_PAIRS * n + 1024


def _duplicated(s_pair: I64, space: int, n: int) -> Mask:
    """Rows whose (case, stage) pair occurs more than once (missing pairs never)."""
    has = s_pair >= 0
    if _dense(space, n):
        counts = np.bincount(s_pair[has], minlength=space)
        dup = np.zeros(n, dtype=bool)
        dup[has] = counts[s_pair[has]] > 1
        return dup
    pairs = s_pair[has]
    order = np.argsort(pairs, kind="stable")
    ordered = pairs[order]
    same = np.zeros(len(ordered), dtype=bool)
    if len(ordered) > 1:
        eq = ordered[1:] == ordered[:-1]
        same[1:] |= eq
        same[:-1] |= eq
    dup = np.zeros(n, dtype=bool)
    dup[np.flatnonzero(has)[order[same]]] = True
    return dup


def reject_stages(stages: pd.DataFrame, cols: StageColumns, keys: Keys, opts: Options) -> Valid:
    """Give every stage row that cannot be measured its first reason; keep the others.

    The reasons, in order, are :data:`approval_clock.records.STAGE_REASONS`. Raises
    ``RecordsError`` when a valid stage is open and there is no ``as_of``.
    """
    nm = opts.names
    n = len(stages)
    acc, com = cols.acc.days, cols.com.days
    lim = cols.limit
    first, last = opts.first, opts.last
    why = Reasons(n)
    why.add(keys.s_pair < 0, "missing case or stage", f"{nm.case}, {nm.stage}")
    why.add(cols.acc.unparseable, "unparseable value", str(nm.accepted))
    why.add(cols.com.unparseable, "unparseable value", str(nm.completed))
    why.add(cols.limit_bad, "unparseable value", str(nm.limit))
    if cols.unit_bad is not None:
        why.add(cols.unit_bad, "unparseable value", str(nm.unit))
    why.add(cols.acc.partial, "partial date", str(nm.accepted))
    why.add(cols.com.partial, "partial date", str(nm.completed))
    why.add(acc == NAT, "missing acceptance", str(nm.accepted))
    why.add((acc != NAT) & ((acc < first) | (acc > last)), OUT, str(nm.accepted))
    why.add((com != NAT) & ((com < first) | (com > last)), OUT, str(nm.completed))
    why.add(np.isnan(lim), "unknown limit", str(nm.limit))
    with np.errstate(invalid="ignore"):
        why.add(lim < 0, "negative limit", str(nm.limit))
        why.add(~np.isfinite(lim) | (lim != np.floor(lim)), "non-integer limit", str(nm.limit))
    why.add((com != NAT) & (com < acc), "completion before acceptance", str(nm.completed))
    is_open = com == NAT
    if opts.as_of_day is None:
        waiting = why.ok & is_open
        if waiting.any():
            at = stages.index[int(np.flatnonzero(waiting)[0])]
            raise RecordsError(
                f"as_of is required: {int(waiting.sum())} stage row(s) have no completion "
                f"(column {nm.completed!r}), the first at index {at!r}; "
                f"{_advice.say('records_as_of')} to measure open stages up to it"
            )
    else:
        why.add(is_open & (acc > opts.as_of_day), "accepted after as_of", str(nm.accepted))
    why.add(
        _duplicated(keys.s_pair, keys.space, n), "duplicate (case, stage)", f"{nm.case}, {nm.stage}"
    )
    pos = np.flatnonzero(why.ok)
    bad_rows = np.flatnonzero(why.code > 0)
    valid_acc = acc[pos].astype(np.int32)
    if opts.as_of_day is None:
        valid_end = com[pos].astype(np.int32)
    else:
        valid_end = np.where(is_open[pos], opts.as_of_day, com[pos]).astype(np.int32)
    return Valid(
        pos=pos,
        why=why,
        case=keys.s_case[pos],
        stage=keys.s_stage[pos] if opts.steps else None,
        acc=valid_acc,
        end=valid_end,
        is_open=is_open[pos],
        limit=np.minimum(lim[pos], MAX_LIMIT).astype(np.int64),
        in_cd=cols.in_cd[pos],
        r_key=keys.s_pair[bad_rows],
        r_acc=acc[bad_rows],
        r_com=com[bad_rows],
        row_of=PairRows(keys.s_pair, pos, keys.space, n),
    )


# -- step 4: pauses ------------------------------------------------------------------------


@attrs.define(eq=False)
class Attached:
    """The accepted pauses, clipped to their stages, in working-day numbers.

    ``row`` is the stage row (into :class:`Valid`), ``start``/``end`` the pause's
    ``(start, end]`` clipped to the stage's span; ``cd_blocks`` the merged pauses
    of stages with limits in calendar days, in day numbers.
    """

    why: Reasons | None
    pos: I64
    row: I64
    start: I64
    end: I64
    cd_blocks: core.Blocks | None
    rp_key: I64
    rp_row: I64


def _no_pauses() -> Attached:
    empty = np.zeros(0, dtype=np.int64)
    return Attached(None, empty, empty, empty, empty.copy(), None, empty, empty)


def attach_pauses(
    cols: PauseColumns | None,
    keys: Keys,
    valid: Valid,
    na: I32,
    ne: I32,
    opts: Options,
) -> Attached:
    """Find each pause's stage row, reject the pauses that cannot apply, clip the others.

    The reasons, in order, are :data:`approval_clock.records.PAUSE_REASONS`. A
    pause with no resume runs to the end of its stage's measurement.
    """
    if cols is None:
        return _no_pauses()
    assert cols.start is not None
    assert cols.stop is not None
    nm = opts.names
    p_from, p_to = cols.start.days, cols.stop.days
    first, last = opts.first, opts.last
    m = len(p_from)
    stage_row = valid.row_of.lookup(keys.p_pair)
    why = Reasons(m)
    why.add(keys.p_missing, "missing case or stage", f"{nm.case}, {nm.stage}")
    why.add(cols.start.unparseable, "unparseable value", str(nm.paused))
    why.add(cols.stop.unparseable, "unparseable value", str(nm.resumed))
    why.add(cols.start.partial, "partial date", str(nm.paused))
    why.add(cols.stop.partial, "partial date", str(nm.resumed))
    why.add(p_from == NAT, "missing pause start", str(nm.paused))
    why.add((p_from != NAT) & ((p_from < first) | (p_from > last)), OUT, str(nm.paused))
    why.add((p_to != NAT) & ((p_to < first) | (p_to > last)), OUT, str(nm.resumed))
    why.add((p_to != NAT) & (p_to < p_from), "resumed before paused", str(nm.resumed))
    why.add(stage_row == -1, "no such stage", f"{nm.case}, {nm.stage}")
    why.add(stage_row == -2, "stage rejected", f"{nm.case}, {nm.stage}")
    row = np.maximum(stage_row, 0)
    if len(valid.pos):
        outside = (p_from < valid.acc[row]) | (p_from > valid.end[row])
    else:
        outside = np.ones(m, dtype=bool)
    why.add(outside, "pause outside stage", str(nm.paused))
    del row, outside
    # The same pause twice (same stage, same days): the later copies are flagged.
    dup = np.zeros(m, dtype=bool)
    good = np.flatnonzero(why.ok)
    if len(good):
        same = pd.DataFrame({"r": stage_row[good], "f": p_from[good], "t": p_to[good]}).duplicated(
            keep="first"
        )
        dup[good[same.to_numpy(dtype=bool)]] = True
    why.add(dup, "duplicate pause", f"{nm.case}, {nm.stage}, {nm.paused}, {nm.resumed}")
    del dup, good
    p_pos = np.flatnonzero(why.ok)
    p_row = stage_row[p_pos]
    from_days = p_from[p_pos]
    to_days = p_to[p_pos]
    still = to_days == NAT
    start = as_ints(opts.number_of(from_days))
    end = as_ints(ne[p_row])
    resumed = np.flatnonzero(~still)
    end[resumed] = np.minimum(opts.number_of(to_days[resumed]), end[resumed])
    np.maximum(start, na[p_row], out=start)
    cd_blocks = None
    if valid.in_cd.any():
        # Stages with limits in calendar days: their pauses in calendar days too.
        in_cd = valid.in_cd[p_row]
        c_row = p_row[in_cd]
        stage_end = as_ints(valid.end[c_row])
        c_start = np.maximum(from_days[in_cd], valid.acc[c_row])
        c_to = to_days[in_cd]
        c_end = np.minimum(np.where(c_to == NAT, stage_end, c_to), stage_end)
        cd_blocks = core.merge(c_row, as_ints(c_start), c_end, last + 2)
    bad = np.flatnonzero(~why.ok)
    rp_row = np.maximum(stage_row[bad], -1)
    rp_key = np.where(stage_row[bad] == -1, -1, keys.p_pair[bad])
    return Attached(why, p_pos, p_row, start, end, cd_blocks, rp_key, rp_row)


# -- step 5: working days ------------------------------------------------------------------


@attrs.define(eq=False)
class Counted:
    """The output columns of the stage rows, each in the buffer the frame will hold."""

    gross: I64
    paused: I64
    net: I64
    deadline: I64  # day numbers, NAT past the range
    left: I64
    over: Mask
    overdue_days: I64
    blocks: core.Blocks


def count_days(valid: Valid, pauses: Attached, na: I32, ne: I32, opts: Options) -> Counted:
    """Elapsed, paused and net working days, deadlines, days left and overdue.

    Integer arithmetic on working-day numbers, written into preallocated arrays.
    Limits in calendar days are then handled by :func:`calendar_day_limits`.
    """
    n = len(valid.pos)
    blocks = core.merge(pauses.row, pauses.start, pauses.end, opts.big)
    paused = core.lengths_per_group(blocks, n)
    gross = np.subtract(ne, na, dtype=np.int64)
    net = np.subtract(gross, paused)
    # The deadline's working-day number: acceptance + limit + the pauses before it.
    k = core.deadline_shift(blocks, na, valid.limit)
    k += na
    k += valid.limit
    deadline = np.full(n, NAT, dtype=np.int64)
    zero = valid.limit == 0
    deadline[zero] = valid.acc[zero]
    fits = np.flatnonzero(~zero & (k <= opts.total))
    deadline[fits] = opts.date_of(k[fits])
    del k, fits, zero
    left = np.subtract(valid.limit, net)
    over = net > valid.limit
    overdue_days = np.negative(left)
    np.maximum(overdue_days, 0, out=overdue_days)
    counted = Counted(gross, paused, net, deadline, left, over, overdue_days, blocks)
    if valid.in_cd.any():
        calendar_day_limits(valid, pauses, ne, counted, opts)
    return counted


def calendar_day_limits(
    valid: Valid, pauses: Attached, ne: I32, counted: Counted, opts: Options
) -> None:
    """Deadlines and lights of the stages whose limits are in calendar days, in place.

    The deadline is ``limit`` calendar days after acceptance, moved later by the
    calendar days paused before it, and rolled forward to a working day (Civil
    Code art. 203). Overdue means measured past that deadline; days left and
    overdue are the working days to it and past it (pauses after it excluded).
    A deadline past the calendar's range is missing: not overdue, days left unknown.
    """
    cd = valid.in_cd
    acc = as_ints(valid.acc)
    end = as_ints(valid.end)
    ne64 = as_ints(ne)
    limit = valid.limit
    first, last, total = opts.first, opts.last, opts.total
    blocks = counted.blocks
    rows = np.flatnonzero(cd)
    n = len(acc)
    cd_blocks = pauses.cd_blocks
    if cd_blocks is None:
        cd_blocks = core.Blocks(*(np.zeros(0, dtype=np.int64) for _ in range(3)))
    shift = core.deadline_shift(cd_blocks, acc, limit)
    raw = acc + limit + shift
    in_range = cd & (raw <= last)
    rolled = np.full(n, NAT, dtype=np.int64)
    if in_range.any():
        days = raw[in_range]
        number = as_ints(opts.number_of(days))
        before = np.where(
            days - 1 < first, number - 1, as_ints(opts.number_of(np.maximum(days - 1, first)))
        )
        working = number > before
        nxt = number + 1
        fits = working | (nxt <= total)
        got = np.full(len(days), NAT, dtype=np.int64)
        got[working] = days[working]
        roll = ~working & fits
        if roll.any():
            got[roll] = opts.date_of(nxt[roll])
        rolled[np.flatnonzero(in_range)] = got
    known = cd & (rolled != NAT)
    nd = np.zeros(n, dtype=np.int64)
    if known.any():
        nd[known] = opts.number_of(rolled[known])
    # Paused working days after the deadline, per stage.
    after = np.zeros(n, dtype=np.int64)
    if len(blocks.group):
        g = blocks.group
        np.add.at(after, g, np.maximum(0, blocks.end - np.maximum(blocks.start, nd[g])))
    late = known & (end > rolled)
    counted.deadline[rows] = rolled[rows]
    counted.over[rows] = late[rows]
    lateness = np.maximum(ne64 - nd - after, 0)
    counted.overdue_days[rows] = np.where(late[rows], lateness[rows], 0)
    # Days left: working days to the deadline (negative past it); unknown deadline: NA.
    to_go = np.where(late, -lateness, nd - ne64)
    counted.left[rows] = np.where(known[rows], to_go[rows], _NA_LEFT)


def row_certainty(valid: Valid, deadline: I64, last: int, calendar: WorkCalendar) -> Any:
    """Per row, the least certain day of ``acc .. max(end, deadline)``, as an ordered categorical.

    A missing deadline lies past the calendar's range: the answer then rests on
    every day up to its last. Days before the calendar's first tentative or
    projected day are official, so only the rows that reach that far are looked
    up (none, for records that end before late December of the last notice's year).
    """
    n = len(valid.acc)
    codes = np.zeros(n, dtype=np.int8)
    uncertain = _certainty.first_uncertain(calendar)
    if uncertain is not None and n:
        lo = uncertain.toordinal() - EPOCH.toordinal()
        missing = deadline == NAT
        # Reductions alone tell whether any row reaches that far (most records do not).
        if max(int(valid.end.max()), int(deadline.max())) >= lo or missing.any():
            latest = np.maximum(as_ints(valid.end), np.where(missing, last, deadline))
            late = latest >= lo
            if late.any():
                got = calendar.certainty(
                    as_ints(valid.acc[late]).view("datetime64[D]"),
                    latest[late].view("datetime64[D]"),
                )
                picked = np.full(len(got), -1, dtype=np.int8)
                for k, name in enumerate(CERTAINTIES):
                    picked[got == name] = k
                codes[late] = picked
    return pd.Categorical.from_codes(codes, categories=pd.Index(CERTAINTIES), ordered=True)


# -- step 6: the result frames -------------------------------------------------------------


def case_frame(
    valid: Valid, keys: Keys, counted: Counted, na: I32, ne: I32, opts: Options
) -> tuple[pd.DataFrame, npt.NDArray[np.int32]]:
    """``Analysis.cases``, and the dense case code of every accepted stage row."""
    present = np.zeros(len(keys.case_labels), dtype=bool)
    present[valid.case] = True
    dense = np.cumsum(present, dtype=np.int64)
    dense -= 1
    case_dense = dense[valid.case].astype(np.int32)
    del dense
    labels = keys.case_labels[present]
    done_day = as_ints(valid.end).copy()
    done_day[valid.is_open] = NAT
    fig = kp.case_figures(
        case_dense,
        len(labels),
        valid.acc,
        done_day,
        na,
        ne,
        counted.blocks,
        counted.over,
        valid.is_open,
        counted.paused,
        opts.big,
    )
    del done_day
    for col in ("first_accepted", "last_completed"):
        fig[col] = _seconds_in_place(as_ints(fig[col]))
    cases = pd.DataFrame(fig, index=pd.Index(labels, name=opts.names.case), copy=False)
    return cases, case_dense


def stage_frame(
    stages: pd.DataFrame, valid: Valid, keys: Keys, counted: Counted, opts: Options
) -> pd.DataFrame:
    """The accepted stage rows as given, plus :data:`STAGE_COLUMNS`; ``counted`` is used up."""
    nm = opts.names
    n = len(valid.pos)
    is_open = valid.is_open
    status = np.zeros(n, dtype=np.int8)  # done on time
    status[counted.over] = 1  # done late
    status[is_open] = 2  # open
    status[is_open & (counted.left <= opts.warn)] = 3  # open warning
    status[is_open & counted.over] = 4  # open overdue
    same_day = ~is_open & (valid.end == valid.acc)
    certainty = row_certainty(valid, counted.deadline, opts.last, opts.calendar)
    measured_to = _seconds_in_place(as_ints(valid.end).copy())
    left_missing = ~is_open | (counted.left == _NA_LEFT)
    counted.left[~is_open] = 0
    days_left = pd.arrays.IntegerArray(counted.left, left_missing)
    deadline = _seconds_in_place(counted.deadline)
    # Under copy-on-write, a shallow copy shares the input's columns until one changes.
    result = stages.iloc[valid.pos] if n < len(stages) else stages.copy(deep=False)
    index = result.index
    if opts.steps:
        if nm.case in result.columns:
            result[nm.case] = _column(keys.case_labels.take(valid.case), index)
        if nm.stage in result.columns and valid.stage is not None:
            result[nm.stage] = _column(keys.stage_labels.take(valid.stage), index)
    new: dict[str, Any] = {
        "open": is_open,
        "measured_to": measured_to,
        "elapsed_gross": counted.gross,
        "paused_days": counted.paused,
        "elapsed": counted.net,
        "limit_days": valid.limit,
        "deadline": deadline,
        "days_left": days_left,
        "overdue": counted.over,
        "days_overdue": counted.overdue_days,
        "same_day": same_day,
        "status": pd.Categorical.from_codes(status, categories=pd.Index(kp.STATUSES)),
        "certainty": certainty,
    }
    for name in STAGE_COLUMNS:
        result[name] = _column(new.pop(name), index)
    return result


def pause_frames(
    pauses: pd.DataFrame | None, attached: Attached
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The accepted pauses with their ``paused_days``, and the rejected ones with reasons."""
    if pauses is None or attached.why is None:
        good = pd.DataFrame({"paused_days": np.zeros(0, dtype=np.int64)})
        bad = pd.DataFrame({"reason": pd.Series([], dtype=object)})
        return good, bad
    p_pos = attached.pos
    good = pauses.iloc[p_pos] if len(p_pos) < len(pauses) else pauses.copy(deep=False)
    days = np.subtract(attached.end, attached.start)
    np.maximum(days, 0, out=days)
    good["paused_days"] = _column(days, good.index)
    return good, reasons_frame(pauses, attached.why)


# -- all steps -----------------------------------------------------------------------------


def run(
    stages: pd.DataFrame,
    pauses: Any,
    as_of: object,
    opts: Options,
) -> tuple[dict[str, Any], list[str]]:
    """All steps: the fields of an ``Analysis``, and the warnings to issue.

    ``stages`` is a pandas frame already; ``pauses`` any frame (or ``None``).
    Each intermediate is dropped as soon as the next step has what it needs.
    """
    cols = read_stages(stages, opts)
    opts = read_as_of(opts, as_of)
    p_cols = None
    if pauses is not None:
        pauses = check_frame(pauses, "pauses")
        p_cols = read_pause_ids(pauses, opts)
    keys = read_ids(cols, p_cols, opts)
    if pauses is not None:
        assert p_cols is not None
        read_pause_dates(pauses, p_cols, opts)
    valid = reject_stages(stages, cols, keys, opts)
    del cols
    keys.s_case = keys.s_stage = keys.s_pair = np.zeros(0, dtype=np.int64)
    na = opts.number_of(valid.acc)
    ne = opts.number_of(valid.end)
    attached = attach_pauses(p_cols, keys, valid, na, ne, opts)
    del p_cols
    keys.p_pair = np.zeros(0, dtype=np.int64)
    valid.row_of = PairRows(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), 0, 0)
    counted = count_days(valid, attached, na, ne, opts)
    cases, case_dense = case_frame(valid, keys, counted, na, ne, opts)
    del na, ne
    if not opts.steps:
        valid.case = np.zeros(0, dtype=np.int64)  # the result keeps the ids as given
    rows = kp.Rows(
        case_code=case_dense,
        acc=valid.acc,
        p_row=attached.row.astype(np.int32),
        p_start=attached.start.astype(np.int32),
        p_end=attached.end.astype(np.int32),
        r_key=valid.r_key,
        r_acc=valid.r_acc,
        r_com=valid.r_com,
        rp_key=attached.rp_key,
        rp_row=attached.rp_row,
    )
    calendar_days = valid.in_cd if bool(valid.in_cd.any()) else None
    result = stage_frame(stages, valid, keys, counted, opts)
    del counted
    rejected = reasons_frame(stages, valid.why)
    good_pauses, bad_pauses = pause_frames(pauses, attached)
    fields = {
        "stages": result,
        "rejected": rejected,
        "cases": cases,
        "pauses": good_pauses,
        "rejected_pauses": bad_pauses,
        "as_of": opts.as_of,
        "calendar": opts.calendar,
        "warn_within": opts.warn,
        "rows": rows,
        "case_column": opts.names.case,
        "stage_column": opts.names.stage,
        "calendar_day_limits": calendar_days,
    }
    return fields, keys.messages


def warn_all(messages: list[str], category: type[Warning], stacklevel: int) -> None:
    """Issue the warnings :func:`run` collected."""
    for message in messages:
        warnings.warn(message, category, stacklevel=stacklevel + 1)

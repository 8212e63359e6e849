"""Analysis of real approval records: elapsed working days, paused clocks, overdue, KPIs.

Approval offices time every step of every case (所有环节计时管理). Given their
records as pandas frames — one row per (case, stage) with its acceptance date,
completion date (missing while open) and time limit in working days, and
optionally a frame of clock pauses (补正 requests for missing documents, 特别程序
such as hearings and expert reviews) — :func:`analyze` computes, vectorized:

* per stage: elapsed working days with the start day not counted (Civil Code
  art. 201, ALA art. 82), minus paused days (ALA art. 45), the deadline moved by
  the pauses, working days overdue and a status (the yellow and red lights);
* per case: steps, first acceptance, last completion, elapsed days and the
  days on which some stage's clock was running;
* KPIs as additive parts (:meth:`Analysis.kpi_parts`) so that partitions of a
  national data set can be analysed apart (dask ``map_partitions``) and combined
  exactly (:func:`combine_kpi_parts`, :func:`kpis_from_parts`);
* :func:`limit_compression` for a catalogue's average compression of time limits.

Nothing is lost: every input row is in the result or in ``rejected`` with a
reason, and every pause in ``pauses`` or ``rejected_pauses``. The semantics,
with the articles of law, are in ``docs/records.md``. This module needs pandas
(``pip install 'approval-clock[pandas]'``); ``import approval_clock`` does not
import it.

>>> import pandas as pd
>>> from approval_clock import calendars
>>> from approval_clock.records import analyze
>>> stages = pd.DataFrame({
...     "case": ["A", "A"], "stage": ["planning", "construction"],
...     "accepted": pd.to_datetime(["2021-08-18", "2021-08-26"]),
...     "completed": pd.to_datetime(["2021-08-26", "2021-09-10"]),
...     "limit": [5, 10]})
>>> result = analyze(stages, calendar=calendars.get("CN"))
>>> result.stages[["stage", "elapsed", "deadline", "status"]]
          stage  elapsed   deadline        status
0      planning        6 2021-08-25     done late
1  construction       11 2021-09-09     done late
"""

from __future__ import annotations

try:
    import pandas as pd
except ImportError as e:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "approval_clock.records needs pandas; install it with pip install 'approval-clock[pandas]'"
    ) from e

import math
from collections.abc import Hashable, Iterable, Mapping
from datetime import date
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from approval_clock import _certainty
from approval_clock import _records_core as core
from approval_clock._records_parse import (
    EPOCH,
    NAT,
    Days,
    Mask,
    check_frame,
    get_column,
    parse_dates,
    parse_limits,
    scalar_day,
)
from approval_clock.calendar import CERTAINTIES, Certainty, WorkCalendar
from approval_clock.durations import WorkingDays
from approval_clock.errors import ColumnTypeError, RecordsError

__all__ = [
    "PAUSE_REASONS",
    "STAGE_REASONS",
    "STATUSES",
    "Analysis",
    "analyze",
    "combine_kpi_parts",
    "kpis_from_parts",
    "limit_compression",
]

STATUSES = ("done on time", "done late", "open", "open warning", "open overdue")
"""The five values of the ``status`` column, in this order (a pandas categorical).

>>> STATUSES[3]
'open warning'
"""

STAGE_REASONS = (
    "missing case or stage",
    "unparseable value",
    "missing acceptance",
    "date outside calendar coverage",
    "unknown limit",
    "negative limit",
    "non-integer limit",
    "completion before acceptance",
    "accepted after as_of",
    "duplicate (case, stage)",
)
"""Why a stage row is rejected; a row with several problems gets the first that applies.

>>> "duplicate (case, stage)" in STAGE_REASONS
True
"""

PAUSE_REASONS = (
    "missing case or stage",
    "unparseable value",
    "missing pause start",
    "date outside calendar coverage",
    "resumed before paused",
    "no such stage",
    "stage rejected",
    "pause outside stage",
)
"""Why a pause row is rejected; the first that applies, in this order.

>>> PAUSE_REASONS[-1]
'pause outside stage'
"""

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
"""Columns :func:`analyze` adds to each accepted stage row."""

_MAX_LIMIT = 10**9  # any limit beyond this already puts the deadline past every calendar


def _as_ints(a: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    return np.asarray(a, dtype=np.int64)


def _dates(days: npt.NDArray[np.int64]) -> npt.NDArray[np.datetime64]:
    """Day numbers (NAT for missing) as ``datetime64[s]`` values for pandas."""
    return days.view("datetime64[D]").astype("datetime64[s]")


@attrs.frozen(eq=False, repr=False)
class Analysis:
    """What :func:`analyze` found: frames for stages, cases, pauses and rejections.

    Attributes:
        stages: the accepted stage rows (original index and columns) plus
            ``open``, ``measured_to``, ``elapsed_gross``, ``paused_days``,
            ``elapsed``, ``limit_days``, ``deadline``, ``days_left``, ``overdue``,
            ``days_overdue``, ``same_day``, ``status`` and ``certainty`` (an
            ordered categorical of ``"official"``, ``"tentative"``,
            ``"projected"``: the least certain day the row's answer rests on, see
            :func:`analyze`).
        rejected: the rejected stage rows as given, plus ``reason`` (one of
            :data:`STAGE_REASONS`) and ``column`` (the column at fault).
        cases: one row per case (indexed by case id): ``steps``, ``open_steps``,
            ``first_accepted``, ``last_completed``, ``elapsed``, ``clock_days``,
            ``paused_days``, ``overdue_steps``, ``open``.
        pauses: the accepted pause rows plus ``paused_days`` (this pause's own
            working days within its stage, before merging with overlapping ones).
        rejected_pauses: the rejected pause rows plus ``reason`` (one of
            :data:`PAUSE_REASONS`) and ``column``.
        as_of: the date open stages are measured to (``None`` when not given).
        calendar: the calendar the working days come from.
        warn_within: open stages with at most this many working days left are
            ``"open warning"``.

    >>> import pandas as pd
    >>> from approval_clock import calendars
    >>> frame = pd.DataFrame({"case": [1], "stage": ["permit"],
    ...     "accepted": [pd.Timestamp("2021-09-01")], "completed": [pd.NaT], "limit": [20]})
    >>> result = analyze(frame, calendar=calendars.get("CN"), as_of=pd.Timestamp("2021-09-30"))
    >>> result
    <Analysis of 1 stage rows (0 rejected), 0 pauses (0 rejected), as of 2021-09-30>
    >>> result.stages[["elapsed", "days_left", "status"]]
       elapsed  days_left        status
    0       21         -1  open overdue
    """

    stages: pd.DataFrame
    rejected: pd.DataFrame
    cases: pd.DataFrame
    pauses: pd.DataFrame
    rejected_pauses: pd.DataFrame
    as_of: date | None
    calendar: WorkCalendar
    warn_within: int

    def __repr__(self) -> str:
        n = len(self.stages) + len(self.rejected)
        p = len(self.pauses) + len(self.rejected_pauses)
        when = f", as of {self.as_of}" if self.as_of is not None else ""
        return (
            f"<Analysis of {n} stage rows ({len(self.rejected)} rejected), "
            f"{p} pauses ({len(self.rejected_pauses)} rejected){when}>"
        )

    @property
    def certainty(self) -> Certainty:
        """The least certain of the stage rows' ``certainty`` (``"official"`` when there are none).

        ``"tentative"``: some row rests on late-December days that the next notice
        may still change; ``"projected"``: on days past the last loaded notice.

        >>> import pandas as pd
        >>> from approval_clock import calendars
        >>> frame = pd.DataFrame({"case": [1, 2], "stage": ["s", "s"], "limit": [2, 2],
        ...     "accepted": pd.to_datetime(["2021-09-01", "2026-12-28"]),
        ...     "completed": pd.to_datetime(["2021-09-02", "2026-12-29"])})
        >>> result = analyze(frame, calendar=calendars.get("CN"))
        >>> result.stages["certainty"].tolist(), result.certainty
        (['official', 'tentative'], 'tentative')
        """
        codes = self.stages["certainty"].cat.codes.to_numpy()
        return CERTAINTIES[int(codes.max(initial=0))]

    def overdue(self) -> pd.DataFrame:
        """The overdue stages (done late or open overdue), most working days overdue first.

        >>> import pandas as pd
        >>> from approval_clock import calendars
        >>> frame = pd.DataFrame({"case": [1, 2], "stage": ["s", "s"],
        ...     "accepted": pd.to_datetime(["2021-09-01", "2021-09-01"]),
        ...     "completed": pd.to_datetime(["2021-09-02", "2021-09-30"]), "limit": [5, 5]})
        >>> analyze(frame, calendar=calendars.get("CN")).overdue()[["case", "days_overdue"]]
           case  days_overdue
        1     2            16
        """
        late = self.stages[self.stages["overdue"]]
        return late.sort_values("days_overdue", ascending=False, kind="stable")

    def kpi_parts(self) -> pd.DataFrame:
        """The KPIs' additive parts: a frame of ``part`` names and integer ``value``\\ s.

        Parts of several analyses (partitions of one data set) combine by adding
        the values of equal parts (:func:`combine_kpi_parts`); :func:`kpis_from_parts`
        turns the sums into rates, means and percentiles. Elapsed days of done
        stages are kept as a histogram (parts ``elapsed=K``), so percentiles
        combine exactly. Case counts add up only when each case lies wholly in one
        partition (partition by case id).

        >>> import pandas as pd
        >>> from approval_clock import calendars
        >>> frame = pd.DataFrame({"case": [1], "stage": ["s"], "limit": [5],
        ...     "accepted": [pd.Timestamp("2021-09-01")], "completed": [pd.Timestamp("2021-09-03")]})
        >>> parts = analyze(frame, calendar=calendars.get("CN")).kpi_parts()
        >>> parts.set_index("part").loc[["stages", "done_on_time", "elapsed=2"], "value"].tolist()
        [1, 1, 1]
        """
        st = self.stages
        status = st["status"].to_numpy()
        done = ~st["open"].to_numpy(dtype=bool)
        elapsed = st["elapsed"].to_numpy(dtype=np.int64)
        cases = self.cases
        case_done = ~cases["open"].to_numpy(dtype=bool)
        counts: dict[str, int] = {
            "stages": len(st),
            "rejected": len(self.rejected),
            "pauses": len(self.pauses),
            "rejected_pauses": len(self.rejected_pauses),
            "done": int(done.sum()),
            "open": int((~done).sum()),
        }
        for name in STATUSES:
            counts[_status_part(name)] = int((status == name).sum())
        counts |= {
            "same_day": int(st["same_day"].to_numpy(dtype=bool).sum()),
            "overdue_days": int(st["days_overdue"].to_numpy(dtype=np.int64).sum()),
            "elapsed_done_sum": int(elapsed[done].sum()),
            "paused_days": int(st["paused_days"].to_numpy(dtype=np.int64).sum()),
            "cases": len(cases),
            "cases_done": int(case_done.sum()),
            "case_elapsed_done_sum": int(
                cases["elapsed"].to_numpy(dtype=np.int64)[case_done].sum()
            ),
            "case_clock_done_sum": int(
                cases["clock_days"].to_numpy(dtype=np.int64)[case_done].sum()
            ),
        }
        values, freq = np.unique(elapsed[done], return_counts=True)
        names = list(counts) + [f"elapsed={v}" for v in values.tolist()]
        numbers = list(counts.values()) + freq.tolist()
        return pd.DataFrame(
            {"part": pd.Series(names, dtype=object), "value": np.asarray(numbers, dtype=np.int64)}
        )

    def kpis(self) -> dict[str, float]:
        """The KPIs of this analysis: ``kpis_from_parts(self.kpi_parts())``.

        >>> import pandas as pd
        >>> from approval_clock import calendars
        >>> frame = pd.DataFrame({"case": [1, 1], "stage": ["a", "b"], "limit": [5, 1],
        ...     "accepted": pd.to_datetime(["2021-09-01", "2021-09-06"]),
        ...     "completed": pd.to_datetime(["2021-09-01", "2021-09-08"])})
        >>> k = analyze(frame, calendar=calendars.get("CN")).kpis()
        >>> k["on_time_rate"], k["same_day_rate"], k["mean_steps_per_case"]
        (0.5, 0.5, 2.0)
        """
        return kpis_from_parts(self.kpi_parts())

    def _repr_html_(self) -> str:
        """The KPIs and the most overdue stages as HTML, for notebooks (values escaped).

        >>> import pandas as pd
        >>> from approval_clock import calendars
        >>> frame = pd.DataFrame({"case": [1], "stage": ["s"], "limit": [5],
        ...     "accepted": [pd.Timestamp("2021-09-01")], "completed": [pd.Timestamp("2021-09-03")]})
        >>> "<td>on_time_rate</td><td>1</td>" in analyze(frame, calendar=calendars.get("CN"))._repr_html_()
        True
        """
        from approval_clock import _html

        return _html.analysis(self)


def _status_part(name: str) -> str:
    return name.replace(" ", "_") if name != "open" else "open_on_track"


def _warn_days(warn_within: object) -> int:
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


def _reasons_frame(
    frame: pd.DataFrame,
    code: npt.NDArray[np.int8],
    table: list[tuple[str, str]],
) -> pd.DataFrame:
    bad = code > 0
    out = frame[bad].copy()
    picked = code[bad] - 1
    out["reason"] = pd.Series(
        np.asarray([r for r, _ in table], dtype=object)[picked], index=out.index, dtype=object
    )
    out["column"] = pd.Series(
        np.asarray([c for _, c in table], dtype=object)[picked], index=out.index, dtype=object
    )
    return out


class _Reasons:
    """First-reason-wins bookkeeping for rejected rows."""

    def __init__(self, n: int) -> None:
        self.code = np.zeros(n, dtype=np.int8)
        self.table: list[tuple[str, str]] = []

    def add(self, mask: npt.NDArray[np.bool_], reason: str, column: str) -> None:
        self.table.append((reason, column))
        self.code[(self.code == 0) & mask] = len(self.table)

    @property
    def ok(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.code == 0, dtype=np.bool_)


def _check_outputs(frame: pd.DataFrame, names: Iterable[str], what: str) -> None:
    clash = [c for c in names if c in frame.columns]
    if clash:
        raise RecordsError(
            f"{what}: column {clash[0]!r} would be overwritten by analyze's output; rename it first"
        )


def analyze(
    stages: pd.DataFrame,
    *,
    calendar: WorkCalendar,
    pauses: pd.DataFrame | None = None,
    as_of: Any = None,
    warn_within: int | WorkingDays = 3,
    case: Hashable = "case",
    stage: Hashable = "stage",
    accepted: Hashable = "accepted",
    completed: Hashable = "completed",
    limit: Hashable = "limit",
    paused: Hashable = "paused",
    resumed: Hashable = "resumed",
) -> Analysis:
    """Analyse approval records: elapsed and paused working days, deadlines, status, cases.

    Args:
        stages: one row per (case, stage): case id, stage, acceptance date,
            completion date (missing while the stage is open) and time limit in
            working days. Dates may be datetime64 (naive, or aware: read in the
            calendar's time zone), ``datetime.date`` objects or ISO 8601 strings.
            The case id may also be the frame's index (level) of that name.
        calendar: the working-day calendar, e.g. ``calendars.get("CN")``.
        pauses: optional clock pauses (补正, 特别程序): case id, stage, paused and
            resumed dates (resumed missing: still paused).
        as_of: the date open stages are measured to; required when some stage is
            open.
        warn_within: an open stage with at most this many working days left gets
            ``"open warning"`` (default 3).
        case, stage, accepted, completed, limit, paused, resumed: column names.

    Returns:
        An :class:`Analysis`. Rows with bad values are not errors: they go to
        ``rejected`` / ``rejected_pauses`` with a reason, so that
        ``len(stages) == len(result.stages) + len(result.rejected)``.

    Raises:
        RecordsError: a column is missing or would be overwritten; ``as_of`` is
            missing while some stage is open; aware timestamps without a calendar
            time zone, or with mixed offsets in a text column.
        ColumnTypeError: a column whose dtype cannot hold what it should (numbers
            for dates, dates for limits), or an argument of the wrong type.
        CalendarCoverageError: ``as_of`` outside the calendar's range.

    Elapsed is ``calendar.elapsed(accepted, completed or as_of)``: working days in
    (accepted, end], the day of acceptance not counted. A pause from P to R stops
    the clock on the working days in (P, R]; overlapping pauses are merged. The
    deadline is the day the net elapsed reaches the limit. ``certainty`` is the
    least certain day of ``accepted .. max(measured_to, deadline)``, a deadline past
    the calendar's range counted as its last day (:meth:`WorkCalendar.certainty`):
    ``"tentative"`` or ``"projected"`` where the row's answer rests on days that
    no notice has fixed for good; :attr:`Analysis.certainty` is the least certain
    over the rows.

    A pause across the 2021 National Day holiday: accepted Monday 27 September
    with a 5-day limit, paused on the 28th, resumed Friday 8 October (working days
    29, 30 September and 8 October paused; 1-7 October are holidays), done
    Wednesday 13 October: of the 8 working days in (27 Sep, 13 Oct] (Saturday 9
    October is a makeup working day), 3 are paused, so 5 count, and the deadline
    moved from 8 to 13 October:

    >>> import pandas as pd
    >>> from approval_clock import calendars
    >>> stages = pd.DataFrame({"case": ["C1"], "stage": ["review"], "limit": [5],
    ...     "accepted": [pd.Timestamp("2021-09-27")], "completed": [pd.Timestamp("2021-10-13")]})
    >>> pauses = pd.DataFrame({"case": ["C1"], "stage": ["review"],
    ...     "paused": [pd.Timestamp("2021-09-28")], "resumed": [pd.Timestamp("2021-10-08")]})
    >>> r = analyze(stages, calendar=calendars.get("CN"), pauses=pauses)
    >>> r.stages[["elapsed_gross", "paused_days", "elapsed", "deadline", "status"]]
       elapsed_gross  paused_days  elapsed   deadline        status
    0              8            3        5 2021-10-13  done on time
    """
    check_frame(stages, "stages")
    if not isinstance(calendar, WorkCalendar):
        raise ColumnTypeError(
            f"calendar: expected a WorkCalendar such as calendars.get('CN'), "
            f"got {type(calendar).__name__}"
        )
    warn = _warn_days(warn_within)
    cal = calendar.name
    zone = calendar.timezone
    first_cov, last_cov = (d.toordinal() - EPOCH.toordinal() for d in calendar.coverage)
    total = int(calendar.working_day_number(calendar.coverage[1]))
    big = total + 2
    _check_outputs(stages, STAGE_COLUMNS, "stages")
    _check_outputs(stages, ("reason", "column"), "stages")

    def dates(frame: pd.DataFrame, what: str, name: Hashable, param: str) -> tuple[Days, Mask]:
        return parse_dates(get_column(frame, name, what, param), f"{what}[{name!r}]", zone, cal)

    s_case = get_column(stages, case, "stages", "case")
    s_stage = get_column(stages, stage, "stages", "stage")
    acc, acc_bad = dates(stages, "stages", accepted, "accepted")
    com, com_bad = dates(stages, "stages", completed, "completed")
    lim, lim_bad = parse_limits(get_column(stages, limit, "stages", "limit"), f"stages[{limit!r}]")

    as_of_day: int | None = None
    as_of_date: date | None = None
    if as_of is not None:
        as_of_day = scalar_day(as_of, "as_of", zone, cal)
        as_of_date = date.fromordinal(as_of_day + EPOCH.toordinal())
        calendar.working_day_number(as_of_date)  # raises CalendarCoverageError outside

    n = len(stages)
    if pauses is not None:
        check_frame(pauses, "pauses")
        _check_outputs(pauses, ("paused_days", "reason", "column"), "pauses")
        p_case = get_column(pauses, case, "pauses", "case")
        p_stage = get_column(pauses, stage, "pauses", "stage")
        p_from, p_from_bad = dates(pauses, "pauses", paused, "paused")
        p_to, p_to_bad = dates(pauses, "pauses", resumed, "resumed")
        keys_case = pd.concat([s_case, p_case], ignore_index=True)
        keys_stage = pd.concat([s_stage, p_stage], ignore_index=True)
    else:
        keys_case, keys_stage = s_case, s_stage

    # One integer per (case, stage) over stages and pauses together: -1 when missing.
    case_code, _ = pd.factorize(keys_case, use_na_sentinel=True)
    stage_code, stage_uniques = pd.factorize(keys_stage, use_na_sentinel=True)
    key_missing = (case_code < 0) | (stage_code < 0)
    pair = case_code.astype(np.int64) * (len(stage_uniques) + 1) + stage_code
    key, _ = pd.factorize(np.where(key_missing, -1, pair), use_na_sentinel=True)
    key = np.where(key_missing, -1, key).astype(np.int64)
    s_key = key[:n]

    # -- stage rows: the first problem of each decides its reason -----------------
    why = _Reasons(n)
    why.add(key_missing[:n], "missing case or stage", f"{case}, {stage}")
    why.add(acc_bad, "unparseable value", str(accepted))
    why.add(com_bad, "unparseable value", str(completed))
    why.add(lim_bad, "unparseable value", str(limit))
    why.add(acc == NAT, "missing acceptance", str(accepted))
    why.add((acc != NAT) & ((acc < first_cov) | (acc > last_cov)), _OUT, str(accepted))
    why.add((com != NAT) & ((com < first_cov) | (com > last_cov)), _OUT, str(completed))
    why.add(np.isnan(lim), "unknown limit", str(limit))
    with np.errstate(invalid="ignore"):
        why.add(lim < 0, "negative limit", str(limit))
        why.add(~np.isfinite(lim) | (lim != np.floor(lim)), "non-integer limit", str(limit))
    why.add((com != NAT) & (com < acc), "completion before acceptance", str(completed))
    is_open = com == NAT
    if as_of_day is None:
        waiting = why.ok & is_open
        if waiting.any():
            first = stages.index[int(np.flatnonzero(waiting)[0])]
            raise RecordsError(
                f"as_of is required: {int(waiting.sum())} stage row(s) have no completion "
                f"(column {completed!r}), the first at index {first!r}; pass as_of=<the date "
                f"the records were taken> to measure open stages up to it"
            )
        end = com
    else:
        why.add(is_open & (acc > as_of_day), "accepted after as_of", str(accepted))
        end = np.where(is_open, as_of_day, com)
    counted = np.bincount(s_key[s_key >= 0], minlength=int(key.max(initial=-1)) + 2)
    duplicate = (s_key >= 0) & (counted[np.maximum(s_key, 0)] > 1)
    why.add(duplicate, "duplicate (case, stage)", f"{case}, {stage}")
    ok = why.ok
    pos = np.flatnonzero(ok)

    # -- the valid stages, as working-day numbers ---------------------------------
    acc_ok, end_ok = acc[pos], end[pos]
    limit_ok = np.minimum(lim[pos], _MAX_LIMIT).astype(np.int64)
    na = _as_ints(calendar.working_day_number(acc_ok.view("datetime64[D]")))
    ne = _as_ints(calendar.working_day_number(end_ok.view("datetime64[D]")))

    # -- pauses ------------------------------------------------------------------
    stage_of_key = np.full(int(key.max(initial=-1)) + 2, -1, dtype=np.int64)
    stage_of_key[s_key[pos]] = np.arange(len(pos), dtype=np.int64)
    any_row_of_key = np.zeros(len(stage_of_key), dtype=bool)
    any_row_of_key[s_key[s_key >= 0]] = True
    if pauses is not None:
        m = len(pauses)
        p_key = key[n:]
        pwhy = _Reasons(m)
        pwhy.add(key_missing[n:], "missing case or stage", f"{case}, {stage}")
        pwhy.add(p_from_bad, "unparseable value", str(paused))
        pwhy.add(p_to_bad, "unparseable value", str(resumed))
        pwhy.add(p_from == NAT, "missing pause start", str(paused))
        outside_p = (p_from != NAT) & ((p_from < first_cov) | (p_from > last_cov))
        outside_r = (p_to != NAT) & ((p_to < first_cov) | (p_to > last_cov))
        pwhy.add(outside_p, _OUT, str(paused))
        pwhy.add(outside_r, _OUT, str(resumed))
        pwhy.add((p_to != NAT) & (p_to < p_from), "resumed before paused", str(resumed))
        safe_key = np.maximum(p_key, 0)
        pwhy.add(~any_row_of_key[safe_key] & (p_key >= 0), "no such stage", f"{case}, {stage}")
        p_stage_row = np.where(p_key >= 0, stage_of_key[safe_key], -1)
        pwhy.add(p_stage_row < 0, "stage rejected", f"{case}, {stage}")
        row = np.maximum(p_stage_row, 0)
        if len(pos):
            outside = (p_from < acc_ok[row]) | (p_from > end_ok[row])
        else:
            outside = np.ones(m, dtype=bool)
        pwhy.add(outside, "pause outside stage", str(paused))
        p_pos = np.flatnonzero(pwhy.ok)
        p_row = p_stage_row[p_pos]
        p_start = _as_ints(calendar.working_day_number(p_from[p_pos].view("datetime64[D]")))
        to_days = p_to[p_pos]
        still = to_days == NAT
        p_end = np.empty(len(p_pos), dtype=np.int64)
        if (~still).any():
            p_end[~still] = calendar.working_day_number(to_days[~still].view("datetime64[D]"))
        # A pause with no resume runs to the end of its stage's measurement.
        p_end[still] = ne[p_row[still]]
        p_start = np.maximum(p_start, na[p_row])
        p_end = np.minimum(p_end, ne[p_row])
    else:
        p_row = p_start = p_end = np.zeros(0, dtype=np.int64)

    blocks = core.merge(p_row, p_start, p_end, big)
    paused_days = core.lengths_per_group(blocks, len(pos))
    shift = core.deadline_shift(blocks, na, limit_ok)

    gross = ne - na
    net = gross - paused_days
    k = na + limit_ok + shift
    deadline_day = np.full(len(pos), NAT, dtype=np.int64)
    zero = limit_ok == 0
    deadline_day[zero] = acc_ok[zero]
    fits = ~zero & (k <= total)
    if fits.any():
        deadline_day[fits] = np.asarray(
            calendar.date_of_working_day(k[fits]), dtype="datetime64[D]"
        ).view(np.int64)
    left = limit_ok - net
    open_ok = is_open[pos]
    over = net > limit_ok
    status_code: npt.NDArray[np.int8] = np.where(
        open_ok,
        np.where(over, 4, np.where(left <= warn, 3, 2)),
        np.where(over, 1, 0),
    ).astype(np.int8)

    result = stages.iloc[pos].copy() if len(pos) < n else stages.copy()
    result["open"] = open_ok
    result["measured_to"] = _dates(end_ok)
    result["elapsed_gross"] = gross
    result["paused_days"] = paused_days
    result["elapsed"] = net
    result["limit_days"] = limit_ok
    result["deadline"] = _dates(deadline_day)
    result["days_left"] = pd.arrays.IntegerArray(np.where(open_ok, left, 0), ~open_ok)
    result["overdue"] = over
    result["days_overdue"] = np.maximum(net - limit_ok, 0)
    result["same_day"] = ~open_ok & (end_ok == acc_ok)
    result["status"] = pd.Categorical.from_codes(status_code, categories=pd.Index(STATUSES))
    result["certainty"] = _row_certainty(calendar, acc_ok, end_ok, deadline_day, last_cov)

    rejected = _reasons_frame(stages, why.code, why.table)

    # -- pauses out ----------------------------------------------------------------
    if pauses is not None:
        good_pauses = pauses.iloc[p_pos].copy()
        good_pauses["paused_days"] = np.maximum(p_end - p_start, 0)
        bad_pauses = _reasons_frame(pauses, pwhy.code, pwhy.table)
    else:
        good_pauses = pd.DataFrame({"paused_days": np.zeros(0, dtype=np.int64)})
        bad_pauses = pd.DataFrame({"reason": pd.Series([], dtype=object)})

    cases = _cases(
        s_case.to_numpy()[pos],
        case,
        acc_ok,
        np.where(open_ok, NAT, end_ok),
        na,
        ne,
        blocks,
        paused_days,
        over,
        open_ok,
        big,
    )
    return Analysis(
        stages=result,
        rejected=rejected,
        cases=cases,
        pauses=good_pauses,
        rejected_pauses=bad_pauses,
        as_of=as_of_date,
        calendar=calendar,
        warn_within=warn,
    )


_OUT = "date outside calendar coverage"


def _row_certainty(
    calendar: WorkCalendar,
    acc: Days,
    end: Days,
    deadline: Days,
    last_cov: int,
) -> pd.Categorical[str]:
    """Per row, the least certain day of ``acc .. max(end, deadline)``, as an ordered categorical.

    A missing deadline lies past the calendar's range: the answer then rests on
    every day up to its last. Days before the calendar's first tentative or
    projected day are official, so only the rows that reach that far are looked
    up (none, for records that end before late December of the last notice's year).
    """
    codes = np.zeros(len(acc), dtype=np.int8)
    uncertain = _certainty.first_uncertain(calendar)
    if uncertain is None or not len(acc):
        return pd.Categorical.from_codes(codes, categories=pd.Index(CERTAINTIES), ordered=True)
    lo = uncertain.toordinal() - EPOCH.toordinal()
    missing = deadline == NAT
    # Reductions alone tell whether any row reaches that far (most records do not).
    if max(int(end.max()), int(deadline.max())) >= lo or missing.any():
        latest = np.maximum(end, np.where(missing, last_cov, deadline))
        late = latest >= lo
        if late.any():
            got = calendar.certainty(
                acc[late].view("datetime64[D]"), latest[late].view("datetime64[D]")
            )
            picked = np.full(len(got), -1, dtype=np.int8)
            for k, name in enumerate(CERTAINTIES):
                picked[got == name] = k
            codes[late] = picked
    return pd.Categorical.from_codes(codes, categories=pd.Index(CERTAINTIES), ordered=True)


def _cases(
    case_values: npt.NDArray[Any],
    name: Hashable,
    acc: npt.NDArray[np.int64],
    done_day: npt.NDArray[np.int64],
    na: npt.NDArray[np.int64],
    ne: npt.NDArray[np.int64],
    pauses: core.Blocks,
    paused_days: npt.NDArray[np.int64],
    over: npt.NDArray[np.bool_],
    is_open: npt.NDArray[np.bool_],
    big: int,
) -> pd.DataFrame:
    codes, uniques = pd.factorize(case_values)
    codes = codes.astype(np.int64)
    c = len(uniques)

    def total(values: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
        out = np.zeros(c, dtype=np.int64)
        np.add.at(out, codes, values.astype(np.int64))
        return out

    def reduce(op: np.ufunc, values: npt.NDArray[np.int64], fill: int) -> npt.NDArray[np.int64]:
        out = np.full(c, fill, dtype=np.int64)
        op.at(out, codes, values)
        return out

    big_int = np.iinfo(np.int64).max
    open_steps = total(is_open)
    first_acc = reduce(np.minimum, acc, big_int)
    # NAT is the smallest int64, so a max over completions ignores open stages...
    last_done = reduce(np.maximum, done_day, NAT)
    # ...and a case with an open stage has no last completion yet.
    last_done[open_steps > 0] = NAT
    first_n = reduce(np.minimum, na, big_int)
    last_n = reduce(np.maximum, ne, -1)
    running = core.running_intervals(pauses, na, ne)
    clock = core.merge(codes[running.group], running.start, running.end, big)
    return pd.DataFrame(
        {
            "steps": np.bincount(codes, minlength=c).astype(np.int64),
            "open_steps": open_steps,
            "first_accepted": _dates(first_acc),
            "last_completed": _dates(last_done),
            "elapsed": last_n - first_n,
            "clock_days": core.lengths_per_group(clock, c),
            "paused_days": total(paused_days),
            "overdue_steps": total(over),
            "open": open_steps > 0,
        },
        index=pd.Index(uniques, name=name),
    )


def _parts_series(parts: pd.DataFrame | pd.Series[Any] | Mapping[str, int]) -> pd.Series[Any]:
    if isinstance(parts, pd.DataFrame):
        if list(parts.columns) != ["part", "value"]:
            raise RecordsError(
                f"KPI parts: expected a frame with columns ['part', 'value'] as "
                f"kpi_parts() gives, got columns {list(parts.columns)}"
            )
        series = parts.groupby("part", sort=True)["value"].sum()
    elif isinstance(parts, pd.Series):
        series = parts.groupby(level=0, sort=True).sum()
    elif isinstance(parts, Mapping):
        series = pd.Series(dict(parts), dtype=np.int64)
    else:
        raise ColumnTypeError(
            f"KPI parts: expected the frame kpi_parts() gives, got {type(parts).__name__}"
        )
    return series.astype(np.int64)


def combine_kpi_parts(*parts: pd.DataFrame) -> pd.DataFrame:
    """Add up the KPI parts of several analyses (partitions of one data set).

    Each argument is a frame from :meth:`Analysis.kpi_parts` (or the
    concatenation of several, as dask's ``map_partitions(...).compute()`` gives).

    >>> import pandas as pd
    >>> a = pd.DataFrame({"part": ["stages", "done"], "value": [3, 2]})
    >>> b = pd.DataFrame({"part": ["stages", "done", "elapsed=4"], "value": [1, 1, 1]})
    >>> combine_kpi_parts(a, b)
            part  value
    0       done      3
    1  elapsed=4      1
    2     stages      4
    """
    if not parts:
        return pd.DataFrame({"part": pd.Series([], dtype=object), "value": np.zeros(0, np.int64)})
    series = _parts_series(pd.concat(parts, ignore_index=True))
    return pd.DataFrame(
        {"part": pd.Series(series.index.tolist(), dtype=object), "value": series.to_numpy()}
    )


def _percentile(hist: pd.Series[Any], q: float) -> float:
    """The smallest value v with at least q of the values <= v (numpy's "inverted_cdf")."""
    n = int(hist.sum())
    if n == 0:
        return math.nan
    cum = np.cumsum(hist.to_numpy())
    rank = max(1, math.ceil(q * n - 1e-9))
    return float(hist.index[int(np.searchsorted(cum, rank))])


def kpis_from_parts(parts: pd.DataFrame | pd.Series[Any] | Mapping[str, int]) -> dict[str, float]:
    """Turn (summed) KPI parts into the KPIs: counts, rates, means, percentiles.

    ``parts`` is a frame from :meth:`Analysis.kpi_parts`, several of them
    concatenated (equal parts are added first), or a Series / mapping of part
    name to value. Rates and means of an empty denominator are NaN.

    The KPIs (see ``docs/records.md`` for the exact definitions): ``stages``,
    ``rejected``, ``pauses``, ``rejected_pauses``, ``done``, ``open``, one count
    per status (``done_on_time``, ``done_late``, ``open_on_track``,
    ``open_warning``, ``open_overdue``), ``overdue``, ``overdue_days``,
    ``on_time_rate`` (done on time / done), ``same_day`` and ``same_day_rate``
    (即来即办率: done on the day of acceptance / done), ``cases``, ``cases_done``,
    ``mean_steps_per_case`` (平均办理环节), ``mean_elapsed``, ``p50_elapsed``,
    ``p90_elapsed``, ``p95_elapsed``, ``max_elapsed`` (net working days of done
    stages), ``paused_days``, ``mean_case_elapsed``, ``mean_case_clock_days``
    (done cases).

    >>> parts = {"stages": 4, "done": 4, "done_on_time": 3, "same_day": 1, "cases": 2,
    ...          "elapsed=0": 1, "elapsed=3": 2, "elapsed=9": 1, "elapsed_done_sum": 15}
    >>> k = kpis_from_parts(parts)
    >>> k["on_time_rate"], k["same_day_rate"], k["mean_steps_per_case"], k["p50_elapsed"]
    (0.75, 0.25, 2.0, 3.0)
    """
    s = _parts_series(parts)

    def get(name: str) -> int:
        return int(s.get(name, 0))

    def ratio(a: int, b: int) -> float:
        return a / b if b else math.nan

    hist = s[s.index.str.startswith("elapsed=")]
    hist.index = hist.index.str.slice(len("elapsed=")).astype(np.int64)
    hist = hist.sort_index()
    out: dict[str, float] = {
        name: get(name)
        for name in ("stages", "rejected", "pauses", "rejected_pauses", "done", "open")
    }
    for status in STATUSES:
        out[_status_part(status)] = get(_status_part(status))
    out["overdue"] = get("done_late") + get("open_overdue")
    out["overdue_days"] = get("overdue_days")
    out["on_time_rate"] = ratio(get("done_on_time"), get("done"))
    out["same_day"] = get("same_day")
    out["same_day_rate"] = ratio(get("same_day"), get("done"))
    out["cases"] = get("cases")
    out["cases_done"] = get("cases_done")
    out["mean_steps_per_case"] = ratio(get("stages"), get("cases"))
    out["mean_elapsed"] = ratio(get("elapsed_done_sum"), get("done"))
    for q in (50, 90, 95):
        out[f"p{q}_elapsed"] = _percentile(hist, q / 100)
    out["max_elapsed"] = float(hist.index.max()) if len(hist) and hist.sum() else math.nan
    out["paused_days"] = get("paused_days")
    out["mean_case_elapsed"] = ratio(get("case_elapsed_done_sum"), get("cases_done"))
    out["mean_case_clock_days"] = ratio(get("case_clock_done_sum"), get("cases_done"))
    return out


def limit_compression(
    catalog: pd.DataFrame,
    *,
    statutory: Hashable = "statutory",
    committed: Hashable = "committed",
) -> dict[str, float]:
    """Average compression of time limits (平均压缩时限) over a catalogue of service items.

    Each row is a service item with its statutory time limit (法定时限) and the
    limit the office commits to (承诺时限), both in working days. Returns:

    * ``items``, ``statutory_days``, ``committed_days``, ``days_saved`` (sums);
    * ``compression``: ``days_saved / statutory_days`` — the share of the
      statutory time the catalogue as a whole gives back (the headline figure,
      "承诺时限比法定时限平均压缩 X%");
    * ``mean_item_compression``: the mean over items with a statutory limit > 0
      of ``1 - committed / statutory`` (every item weighs the same);
    * ``mean_days_saved``: ``days_saved / items``.

    Raises:
        RecordsError: a missing, negative or non-integer limit, or a committed
            limit above the statutory one (the message names the row).
        ColumnTypeError: a column that does not hold numbers.

    >>> import pandas as pd
    >>> catalog = pd.DataFrame({"item": ["planning permit", "construction permit"],
    ...                         "statutory": [20, 15], "committed": [5, 9]})
    >>> c = limit_compression(catalog)
    >>> c["compression"], c["mean_item_compression"], c["mean_days_saved"]
    (0.6, 0.575, 10.5)
    """
    check_frame(catalog, "catalog")
    values = {}
    for name, param in ((statutory, "statutory"), (committed, "committed")):
        label = f"catalog[{name!r}]"
        col = get_column(catalog, name, "catalog", param)
        v, bad = parse_limits(col, label)
        with np.errstate(invalid="ignore"):
            wrong = bad | np.isnan(v) | (v < 0) | ~np.isfinite(v) | (v != np.floor(v))
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            raise RecordsError(
                f"{label} at index {catalog.index[i]!r}: expected a whole number of "
                f"working days >= 0, got {col.iloc[i]!r}"
            )
        values[param] = v.astype(np.int64)
    s, c = values["statutory"], values["committed"]
    above = c > s
    if above.any():
        i = int(np.flatnonzero(above)[0])
        raise RecordsError(
            f"catalog at index {catalog.index[i]!r}: the committed limit ({c[i]}) exceeds "
            f"the statutory one ({s[i]}); an office may shorten a statutory limit, not lengthen it"
        )
    items = len(s)
    has = s > 0
    saved = int((s - c).sum())
    total_s = int(s.sum())
    return {
        "items": items,
        "statutory_days": total_s,
        "committed_days": int(c.sum()),
        "days_saved": saved,
        "compression": saved / total_s if total_s else math.nan,
        "mean_item_compression": float(np.mean(1 - c[has] / s[has])) if has.any() else math.nan,
        "mean_days_saved": saved / items if items else math.nan,
    }

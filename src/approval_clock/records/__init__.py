"""Analysis of real approval records: elapsed working days, paused clocks, overdue, KPIs.

Approval offices time every step of every case (所有环节计时管理). Given their
records as frames — one row per (case, stage) with its acceptance date,
completion date (missing while open) and time limit, and optionally a frame of
clock pauses (补正 requests for missing documents, 特别程序 such as hearings and
expert reviews) — :func:`analyze` computes, vectorized:

* per stage: elapsed working days with the start day not counted (Civil Code
  art. 201, ALA art. 82), minus paused days (ALA art. 45), the deadline moved by
  the pauses, working days overdue and a status (the yellow and red lights);
* per case: steps, first acceptance, last completion, elapsed days and the
  days on which some stage's clock was running;
* KPIs, in total or by group (:meth:`Analysis.kpis` with ``by="office"``,
  ``by=["office", "month"]``, ``by="stage"``), as additive parts
  (:meth:`Analysis.kpi_parts`) so that partitions of a national data set can be
  analysed apart (:func:`analyze_partitions` on dask) and combined exactly
  (:func:`combine_kpi_parts`, :func:`kpis_from_parts`);
* :func:`limit_compression` for a catalogue's average compression of time limits;
* the ways out: a notebook view (:meth:`Analysis.view`, Chinese labels with
  ``lang="zh"``), charts (:meth:`Analysis.plot`) and an Excel report
  (:meth:`Analysis.to_excel`).

Records come as analysts get them: text dates (ISO 8601, or ``date_format=`` /
``dayfirst=True``), Excel serial numbers (``excel_serial=True``), blank strings,
words for "not finished" (``open_values=``), ids typed differently in the two
frames, time limits in calendar days (``limit_unit=``), and frames other than
pandas (polars, pyarrow: anything that speaks Arrow). Nothing is lost: every
input row is in the result or in ``rejected`` with a reason, and every pause in
``pauses`` or ``rejected_pauses``. The semantics, with the articles of law, are
in ``docs/records.md``. This module needs pandas
(``pip install pandas (the 'pandas' extra; see docs/install.md)``); ``import approval_clock`` does not
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
        "approval_clock.records needs pandas; install it with pip install pandas (the 'pandas' extra; see docs/install.md)"
    ) from e

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import attrs
import numpy as np
import numpy.typing as npt

from approval_clock._check import check_path, fail_type, shown
from approval_clock.calendars.workcalendar import CERTAINTIES, Certainty, WorkCalendar
from approval_clock.durations import MAX_DURATION, WorkingDays
from approval_clock.errors import ColumnTypeError, RecordsError
from approval_clock.records import _analyze
from approval_clock.records import _core as core
from approval_clock.records import _kpis as kp
from approval_clock.records._parse import NAT, check_frame, get_column, parse_limits

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = [
    "KPI_LABELS",
    "KPI_NAMES",
    "PAUSE_REASONS",
    "STAGE_REASONS",
    "STATUSES",
    "Analysis",
    "HTMLView",
    "KPIs",
    "RecordsWarning",
    "analyze",
    "analyze_partitions",
    "combine_kpi_parts",
    "kpis_from_parts",
    "limit_compression",
]

STATUSES = kp.STATUSES
"""The five values of the ``status`` column, in this order (a pandas categorical).

>>> STATUSES[3]
'open warning'
"""

KPI_NAMES = kp.KPI_NAMES
"""The KPIs, in the order :meth:`Analysis.kpis` gives them (the columns of a grouped table).

>>> KPI_NAMES[:3]
('stages', 'rejected', 'pauses')
"""

STAGE_REASONS = (
    "missing case or stage",
    "unparseable value",
    "partial date",
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
    "partial date",
    "missing pause start",
    "date outside calendar coverage",
    "resumed before paused",
    "no such stage",
    "stage rejected",
    "pause outside stage",
    "duplicate pause",
)
"""Why a pause row is rejected; the first that applies, in this order.

>>> PAUSE_REASONS[-1]
'duplicate pause'
"""

STAGE_COLUMNS = _analyze.STAGE_COLUMNS
"""Columns :func:`analyze` adds to each accepted stage row."""

KPI_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "stages": "stage rows",
        "rejected": "rejected rows",
        "pauses": "pauses",
        "rejected_pauses": "rejected pauses",
        "done": "done",
        "open": "open",
        "done_on_time": "done on time",
        "done_late": "done late",
        "open_on_track": "open, on track",
        "open_warning": "open, warning",
        "open_overdue": "open, overdue",
        "overdue": "overdue",
        "overdue_days": "working days overdue",
        "on_time_rate": "on-time rate",
        "same_day": "same day",
        "same_day_rate": "same-day rate",
        "cases": "cases",
        "cases_done": "cases done",
        "mean_steps_per_case": "mean steps per case",
        "mean_elapsed": "mean working days",
        "p50_elapsed": "median working days",
        "p90_elapsed": "p90 working days",
        "p95_elapsed": "p95 working days",
        "max_elapsed": "max working days",
        "paused_days": "paused working days",
        "mean_case_elapsed": "mean working days per case",
        "mean_case_clock_days": "mean clock days per case",
        "items": "service items",
        "statutory_days": "statutory days",
        "committed_days": "committed days",
        "days_saved": "days saved",
        "compression": "average compression of time limits",
        "mean_item_compression": "mean compression per item",
        "mean_days_saved": "mean days saved per item",
    },
    "zh": {
        "stages": "办理环节数",
        "rejected": "剔除记录数",
        "pauses": "暂停计时次数",
        "rejected_pauses": "剔除暂停记录数",
        "done": "已办结",
        "open": "在办",
        "done_on_time": "按时办结",
        "done_late": "超期办结",
        "open_on_track": "在办（正常）",
        "open_warning": "在办（预警）",
        "open_overdue": "在办（超期）",
        "overdue": "超期环节",
        "overdue_days": "超期工作日",
        "on_time_rate": "按时办结率",
        "same_day": "即来即办",
        "same_day_rate": "即来即办率",
        "cases": "办件数",
        "cases_done": "已办结件数",
        "mean_steps_per_case": "平均办理环节",
        "mean_elapsed": "平均用时（工作日）",
        "p50_elapsed": "用时中位数",
        "p90_elapsed": "用时90%分位",
        "p95_elapsed": "用时95%分位",
        "max_elapsed": "最长用时",
        "paused_days": "暂停工作日",
        "mean_case_elapsed": "件均用时（工作日）",
        "mean_case_clock_days": "件均计时工作日",
        "items": "事项数",
        "statutory_days": "法定时限合计",
        "committed_days": "承诺时限合计",
        "days_saved": "压缩工作日",
        "compression": "平均压缩时限",
        "mean_item_compression": "事项平均压缩率",
        "mean_days_saved": "事项平均压缩工作日",
    },
}
"""What the notebook view, the charts and the Excel report call each KPI, by language.

>>> KPI_LABELS["zh"]["on_time_rate"], KPI_LABELS["zh"]["compression"]
('按时办结率', '平均压缩时限')
"""


class RecordsWarning(UserWarning):
    """Something in the records that was handled but that you should know about.

    Issued once per call, for example when the case ids are integers in one frame
    and text in the other (they are matched by their text, and the warning names
    the two types).
    """


def _as_ints(a: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
    return np.asarray(a, dtype=np.int64)


def _check_lang(lang: object) -> str:
    if not isinstance(lang, str):
        raise fail_type("lang", "'en' or 'zh'", lang)
    if lang not in KPI_LABELS:
        raise ColumnTypeError(f"lang: expected 'en' or 'zh', got {shown(lang)}")
    return lang


class KPIs(dict[str, float]):
    """The KPIs of an analysis: a plain ``dict`` of name to number, shown as a table.

    In a notebook it displays as a two-column table with rates as percentages
    (:meth:`view` for Chinese labels); everywhere else it is the dict it always was.

    >>> k = KPIs({"done": 4, "on_time_rate": 0.75})
    >>> k["on_time_rate"], dict(k)
    (0.75, {'done': 4, 'on_time_rate': 0.75})
    >>> "<td>75.0%</td>" in k._repr_html_()
    True
    """

    def view(self, lang: str = "en") -> HTMLView:
        """These KPIs as an HTML table, labelled in ``lang`` (``"en"`` or ``"zh"``)."""
        from approval_clock import _html

        return HTMLView(_html.kpi_list(self, KPI_LABELS[_check_lang(lang)]))

    def _repr_html_(self) -> str:
        return self.view().html


@attrs.frozen
class HTMLView:
    """HTML for a notebook: Jupyter shows ``_repr_html_``; ``str()`` gives the markup.

    >>> HTMLView("<p>x</p>")._repr_html_()
    '<p>x</p>'
    """

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


Month = Literal["accepted", "completed"]
PlotKind = Literal["overdue", "on_time_by_month", "stages"]


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
        case_column, stage_column: the names of the case id and stage columns.
        calendar_day_limits: per row of ``stages``, whether its limit is in
            calendar days (``None`` when every limit is in working days).

    An ``Analysis`` is frozen (its attributes cannot be reassigned; the frames
    are pandas frames, so treat them as read-only) and pickles, so that it can be
    returned from a worker process; it holds nothing but these fields and the
    compact row codes that grouped KPIs need, and caches nothing.

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
    case_column: Hashable = "case"
    stage_column: Hashable = "stage"
    calendar_day_limits: npt.NDArray[np.bool_] | None = None
    _rows: kp.Rows | None = None

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

    # -- KPIs ---------------------------------------------------------------------------

    def kpi_parts(
        self, by: Hashable | Sequence[Hashable] | None = None, *, month: Month = "accepted"
    ) -> pd.DataFrame:
        """The KPIs' additive parts: a frame of ``part`` names and integer ``value``\\ s.

        Parts of several analyses (partitions of one data set) combine by adding
        the values of equal parts (:func:`combine_kpi_parts`); :func:`kpis_from_parts`
        turns the sums into rates, means and percentiles. Elapsed days of done
        stages are kept as a histogram (parts ``elapsed=K``), so percentiles
        combine exactly. Case counts add up only when each case lies wholly in one
        partition (partition by case id: :func:`analyze_partitions` checks it).

        With ``by`` (see :meth:`kpis`), the frame has the group's key columns
        before ``part`` and ``value``: the parts of each group, which combine the
        same way.

        >>> import pandas as pd
        >>> from approval_clock import calendars
        >>> frame = pd.DataFrame({"case": [1], "stage": ["s"], "limit": [5],
        ...     "accepted": [pd.Timestamp("2021-09-01")], "completed": [pd.Timestamp("2021-09-03")]})
        >>> parts = analyze(frame, calendar=calendars.get("CN")).kpi_parts()
        >>> parts.set_index("part").loc[["stages", "done_on_time", "elapsed=2"], "value"].tolist()
        [1, 1, 1]
        """
        cols = _by_list(by)
        if cols is None:
            return self._parts(None, None)
        keys, groups = self._groups(cols, month)
        return self._parts(keys, groups)

    @overload
    def kpis(  # type: ignore[overload-overlap]  # None is Hashable: the first match wins
        self, by: None = None, *, month: Month = "accepted"
    ) -> KPIs: ...

    @overload
    def kpis(
        self, by: Hashable | Sequence[Hashable], *, month: Month = "accepted"
    ) -> pd.DataFrame: ...

    def kpis(
        self, by: Hashable | Sequence[Hashable] | None = None, *, month: Month = "accepted"
    ) -> KPIs | pd.DataFrame:
        """The KPIs of this analysis, in total (a :class:`KPIs` dict) or by group (a frame).

        Args:
            by: ``None`` for the totals; or a column of the stage rows (``"office"``,
                ``"stage"``, the case id), or a list of them, for one row of KPIs
                per group. ``"month"`` (unless the stages have a column of that
                name) is the month of acceptance, or of completion with
                ``month="completed"`` (open stages then have no month).
            month: what ``"month"`` is the month of: ``"accepted"`` or ``"completed"``.

        A group's KPIs are those of its rows: its stage rows (accepted and
        rejected), the pauses of those stages, and the cases restricted to them
        (a case with stages in two offices counts once in each, with its steps
        there). They equal the KPIs of analysing that subset alone whenever no
        duplicate (case, stage) key spans two groups. A rejected pause that
        matches no single group's stage goes to the group of its own columns of
        those names, if the pauses have them, else to the group whose keys are
        missing; so the counts of all groups add up to the totals. Rows with a
        missing key form their own group (``NaN``).

        >>> import pandas as pd
        >>> from approval_clock import calendars
        >>> frame = pd.DataFrame({"case": [1, 1, 2], "stage": ["a", "b", "a"], "limit": [5, 1, 5],
        ...     "office": ["north", "north", "south"],
        ...     "accepted": pd.to_datetime(["2021-09-01", "2021-09-06", "2021-09-06"]),
        ...     "completed": pd.to_datetime(["2021-09-01", "2021-09-08", "2021-09-07"])})
        >>> result = analyze(frame, calendar=calendars.get("CN"))
        >>> k = result.kpis()
        >>> k["on_time_rate"], k["same_day_rate"], k["mean_steps_per_case"]
        (0.6666666666666666, 0.3333333333333333, 1.5)
        >>> result.kpis(by="office")[["stages", "cases", "on_time_rate", "same_day_rate"]]
                stages  cases  on_time_rate  same_day_rate
        office
        north        2      1           0.5            0.5
        south        1      1           1.0            0.0
        """
        cols = _by_list(by)
        parts = self.kpi_parts(cols, month=month)
        table = kp.kpi_table(parts, cols)
        if cols is None:
            return KPIs(kp.one_row(table))
        return table

    def _parts(self, keys: pd.DataFrame | None, groups: tuple[Any, ...] | None) -> pd.DataFrame:
        st = self.stages
        status = st["status"].cat.codes.to_numpy()
        done = ~st["open"].to_numpy(dtype=bool)
        elapsed = st["elapsed"].to_numpy(dtype=np.int64)
        if groups is None:
            n_groups = 1
            g = np.zeros(len(st), dtype=np.int64)
            g_r = np.zeros(len(self.rejected), dtype=np.int64)
            g_p = np.zeros(len(self.pauses), dtype=np.int64)
            g_rp = np.zeros(len(self.rejected_pauses), dtype=np.int64)
        else:
            g, g_r, g_p, g_rp = groups
            n_groups = len(keys) if keys is not None else 1

        def count(codes: npt.NDArray[np.int64], mask: Any = None) -> npt.NDArray[np.int64]:
            c = codes if mask is None else codes[mask]
            return np.bincount(c, minlength=n_groups).astype(np.int64)

        def total(values: npt.NDArray[Any]) -> npt.NDArray[np.int64]:
            w = values.astype(np.float64)
            return np.bincount(g, weights=w, minlength=n_groups).round().astype(np.int64)

        counts: dict[str, npt.NDArray[np.int64]] = {
            "stages": count(g),
            "rejected": count(g_r),
            "pauses": count(g_p),
            "rejected_pauses": count(g_rp),
            "done": count(g, done),
            "open": count(g, ~done),
        }
        for k, name in enumerate(kp.STATUS_PARTS):
            counts[name] = count(g, status == k)
        counts["same_day"] = count(g, st["same_day"].to_numpy(dtype=bool))
        counts["overdue_days"] = total(st["days_overdue"].to_numpy(dtype=np.int64))
        counts["elapsed_done_sum"] = total(np.where(done, elapsed, 0))
        counts["paused_days"] = total(st["paused_days"].to_numpy(dtype=np.int64))
        if groups is None:
            cases = self.cases
            case_done = ~cases["open"].to_numpy(dtype=bool)
            c_group = np.zeros(len(cases), dtype=np.int64)
            c_elapsed = cases["elapsed"].to_numpy(dtype=np.int64)
            c_clock = cases["clock_days"].to_numpy(dtype=np.int64)
        else:
            c_group, case_done, c_elapsed, c_clock = self._group_cases(g)
        counts["cases"] = count(c_group)
        counts["cases_done"] = count(c_group, case_done)
        for part, values in (
            ("case_elapsed_done_sum", c_elapsed),
            ("case_clock_done_sum", c_clock),
        ):
            # Exact integer sums per group (bincount's weights would be floats).
            sums = np.zeros(n_groups, dtype=np.int64)
            np.add.at(sums, c_group[case_done], values[case_done])
            counts[part] = sums
        hist = kp.histogram(g[done], elapsed[done])
        return kp.parts_frame(counts, *hist, keys)

    def _need_rows(self) -> kp.Rows:
        if self._rows is None:
            raise RecordsError(
                "this Analysis was built by hand, without the row index analyze() keeps; "
                "grouped KPIs need an Analysis from analyze()"
            )
        return self._rows

    def _group_cases(
        self, g: npt.NDArray[np.int64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_], npt.NDArray[np.int64], Any]:
        """The cases restricted to each group: their group, done flag, elapsed, clock days."""
        rows = self._need_rows()
        st = self.stages
        cal = self.calendar
        n_cases = max(len(self.cases), 1)
        sub, _ = pd.factorize(g * n_cases + rows.case_code.astype(np.int64))
        sub = sub.astype(np.int64)
        n_sub = int(sub.max(initial=-1)) + 1
        sub_group = np.zeros(n_sub, dtype=np.int64)
        sub_group[sub] = g
        acc = rows.acc.astype(np.int64)
        end = st["measured_to"].to_numpy().astype("datetime64[D]").view(np.int64)
        is_open = st["open"].to_numpy(dtype=bool)
        na = _as_ints(cal.working_day_number(acc.view("datetime64[D]")))
        ne = _as_ints(cal.working_day_number(end.view("datetime64[D]")))
        big = int(cal.working_day_number(cal.coverage[1])) + 2
        blocks = core.merge(
            rows.p_row.astype(np.int64),
            rows.p_start.astype(np.int64),
            rows.p_end.astype(np.int64),
            big,
        )
        fig = kp.case_figures(
            sub,
            n_sub,
            acc,
            np.where(is_open, NAT, end),
            na,
            ne,
            blocks,
            st["overdue"].to_numpy(dtype=bool),
            is_open,
            st["paused_days"].to_numpy(dtype=np.int64),
            big,
        )
        return sub_group, ~fig["open"], fig["elapsed"], fig["clock_days"]

    def _groups(self, by: list[Hashable], month: Month) -> tuple[pd.DataFrame, tuple[Any, ...]]:
        """One row of keys per group, and the group code of every row of each frame."""
        if not isinstance(month, str):
            raise fail_type("month", "'accepted' or 'completed'", month)
        if month not in ("accepted", "completed"):
            raise RecordsError(f"month: expected 'accepted' or 'completed', got {month!r}")
        rows = self._need_rows()
        st, rj = self.stages, self.rejected

        def has(frame: pd.DataFrame, name: Hashable) -> bool:
            return name in frame.columns or (name is not None and name in frame.index.names)

        derived = [c for c in by if c == kp.MONTH and not has(st, c)]
        for c in by:
            if c not in derived and not has(st, c):
                raise RecordsError(
                    f"kpis(by=...): no column {c!r} in the stage rows (columns: "
                    f"{', '.join(repr(x) for x in list(st.columns)[:12])}); "
                    f"'month' is the month of acceptance (or of completion, month='completed')"
                )

        def months(acc: npt.NDArray[np.int64], com: npt.NDArray[np.int64]) -> pd.Series[Any]:
            days = acc if month == "accepted" else com
            return pd.Series(days.view("datetime64[D]")).dt.to_period("M")

        end = st["measured_to"].to_numpy().astype("datetime64[D]").view(np.int64)
        st_com = np.where(st["open"].to_numpy(dtype=bool), NAT, end)

        def keys_of(frame: pd.DataFrame, acc: Any, com: Any) -> pd.DataFrame:
            cols: dict[Hashable, Any] = {}
            for c in by:
                if c in derived:
                    cols[c] = months(acc, com)
                else:
                    cols[c] = get_column(frame, c, "stages", "by").reset_index(drop=True)
            return pd.DataFrame(cols)

        k_s = keys_of(st, rows.acc.astype(np.int64), st_com)
        k_r = keys_of(rj, rows.r_acc, rows.r_com)
        n_s, n_r = len(k_s), len(k_r)
        # A rejected pause goes with its stage: an accepted stage row (rp_row), or the
        # rejected rows of its key when they all have the same group keys.
        rp = self.rejected_pauses
        rep = np.where(rows.rp_row >= 0, rows.rp_row, -1).astype(np.int64)
        look = (rep < 0) & (rows.rp_key >= 0)
        if look.any() and n_r:
            codes_r = k_r.groupby(by, dropna=False, sort=False, observed=True).ngroup()
            by_key = pd.DataFrame({"k": rows.r_key, "g": codes_r.to_numpy(), "i": np.arange(n_r)})
            agg = by_key.groupby("k").agg(lo=("g", "min"), hi=("g", "max"), i=("i", "first"))
            single = agg[agg["lo"] == agg["hi"]]["i"]
            found = single.reindex(rows.rp_key[look]).to_numpy(dtype=np.float64)
            rep[np.flatnonzero(look)] = np.where(np.isnan(found), -1, n_s + np.nan_to_num(found))
        orphan = rep < 0
        parts = [k_s, k_r]
        if orphan.any():
            if not derived and all(has(rp, c) for c in by):
                parts.append(keys_of(rp.iloc[np.flatnonzero(orphan)], None, None))
            else:
                missing = {}
                for c in by:
                    blank = pd.Series([np.nan] * int(orphan.sum()), dtype=object)
                    missing[c] = (
                        pd.Series(pd.NaT, index=blank.index).dt.to_period("M")
                        if c in derived
                        else blank
                    )
                parts.append(pd.DataFrame(missing))
        whole = pd.concat(parts, ignore_index=True)
        grouper = whole.groupby(by, dropna=False, sort=True, observed=True)
        codes = grouper.ngroup().to_numpy(dtype=np.int64)
        g_s, g_r = codes[:n_s], codes[n_s : n_s + n_r]
        g_rp = np.empty(len(rp), dtype=np.int64)
        g_rp[~orphan] = codes[rep[~orphan]]
        g_rp[orphan] = codes[n_s + n_r :]
        keys = grouper.size().index.to_frame(index=False)
        g_p = g_s[rows.p_row.astype(np.int64)]
        return keys, (g_s, g_r, g_p, g_rp)

    # -- the ways out ---------------------------------------------------------------------

    def view(
        self,
        *,
        lang: str = "en",
        by: Hashable | Sequence[Hashable] | None = None,
        month: Month = "accepted",
        top: int = 10,
        catalog: pd.DataFrame | Mapping[str, float] | None = None,
    ) -> HTMLView:
        """The analysis as HTML for a notebook: the KPI table, the most overdue stages.

        Args:
            lang: ``"en"`` or ``"zh"`` (按时办结率, 即来即办率, 平均办理环节 ...).
            by: show one row of KPIs per group (see :meth:`kpis`) instead of the totals.
            month: with ``by`` including ``"month"``: the month of ``"accepted"`` or ``"completed"``.
            top: how many of the most overdue stages to list.
            catalog: a catalogue of statutory and committed limits (or the dict
                :func:`limit_compression` gives) to show the average compression of
                time limits (平均压缩时限).

        Rates are percentages, means have two decimals, missing values are empty
        cells; all values are escaped. The complete list of KPIs with their raw
        values follows, folded (``<details>``).

        >>> import pandas as pd
        >>> from approval_clock import calendars
        >>> frame = pd.DataFrame({"case": [1], "stage": ["s"], "limit": [5],
        ...     "accepted": [pd.Timestamp("2021-09-01")], "completed": [pd.Timestamp("2021-09-03")]})
        >>> html = analyze(frame, calendar=calendars.get("CN")).view(lang="zh").html
        >>> "<th>按时办结率</th>" in html, "<td>100.0%</td>" in html
        (True, True)
        """
        from approval_clock import _html

        labels = KPI_LABELS[_check_lang(lang)]
        if isinstance(top, bool) or not isinstance(top, int) or top < 0:
            raise ColumnTypeError(f"top: expected a whole number >= 0, got {top!r}")
        compression: Mapping[str, float] | None = None
        if isinstance(catalog, pd.DataFrame):
            compression = limit_compression(catalog)
        elif isinstance(catalog, Mapping):
            compression = catalog
        elif catalog is not None:
            raise fail_type(
                "catalog",
                "a DataFrame of statutory and committed limits, or the dict limit_compression() "
                "gives",
                catalog,
            )
        table = self.kpis() if by is None else self.kpis(by, month=month)
        return HTMLView(
            _html.analysis(self, table, labels, top=top, compression=compression, lang=lang)
        )

    def _repr_html_(self) -> str:
        """The KPIs and the most overdue stages as HTML, for notebooks (values escaped).

        >>> import pandas as pd
        >>> from approval_clock import calendars
        >>> frame = pd.DataFrame({"case": [1], "stage": ["s"], "limit": [5],
        ...     "accepted": [pd.Timestamp("2021-09-01")], "completed": [pd.Timestamp("2021-09-03")]})
        >>> "<td>on_time_rate</td><td>1</td>" in analyze(frame, calendar=calendars.get("CN"))._repr_html_()
        True
        """
        return self.view().html

    def plot(self, kind: PlotKind = "overdue", ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Draw a chart of the analysis and return its matplotlib ``Axes``.

        ``kind``: ``"overdue"`` (how many working days over the limit the overdue
        stages are: :func:`approval_clock.plot.plot_overdue`), ``"on_time_by_month"``
        (the on-time rate month by month, with the number of stages done:
        :func:`~approval_clock.plot.plot_on_time_by_month`) or ``"stages"`` (working
        days per stage, box plots against the limit:
        :func:`~approval_clock.plot.plot_stage_days`). Keyword arguments go to
        the function. Needs matplotlib (``pip install matplotlib (the 'plot' extra; see docs/install.md)``).

        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import pandas as pd
        >>> from approval_clock import calendars
        >>> frame = pd.DataFrame({"case": [1, 2], "stage": ["s", "s"], "limit": [1, 1],
        ...     "accepted": pd.to_datetime(["2021-09-01", "2021-09-01"]),
        ...     "completed": pd.to_datetime(["2021-09-02", "2021-09-08"])})
        >>> ax = analyze(frame, calendar=calendars.get("CN")).plot("overdue")
        >>> ax.get_xlabel()
        'working days over the limit'
        >>> matplotlib.pyplot.close(ax.figure)
        """
        if not isinstance(kind, str):
            raise fail_type("kind", "'overdue', 'on_time_by_month' or 'stages'", kind)
        if ax is not None:
            from matplotlib.axes import Axes as _Axes

            if not isinstance(ax, _Axes):
                raise fail_type("ax", "a matplotlib Axes or None", ax)
        from approval_clock import plot

        if kind == "overdue":
            return plot.plot_overdue(self, ax, **kwargs)
        if kind == "on_time_by_month":
            return plot.plot_on_time_by_month(self, ax, **kwargs)
        if kind == "stages":
            return plot.plot_stage_days(self, ax, **kwargs)
        raise ColumnTypeError(
            f"kind: expected 'overdue', 'on_time_by_month' or 'stages', got {kind!r}"
        )

    def to_excel(
        self,
        path: str | Path,
        *,
        by: Hashable | Sequence[Hashable] | None = None,
        month: Month = "accepted",
        lang: str = "en",
    ) -> Path:
        """Write an Excel report (``.xlsx``): stages, rejected rows, cases, pauses, KPIs.

        Sheets: ``KPIs`` (the totals, labelled in ``lang``), ``KPIs by <group>``
        when ``by`` is given (see :meth:`kpis`), ``stages``, ``rejected`` (with
        ``reason`` and ``column``), ``cases``, ``pauses`` and ``rejected pauses``.
        Dates are Excel dates; a sheet longer than Excel's 1,048,576 rows
        continues on ``stages (2)`` and so on, so no row is left out. Written with
        openpyxl (``pip install openpyxl (the 'excel' extra; see docs/install.md)``). Returns the path.

        >>> import pandas as pd, tempfile, pathlib
        >>> from approval_clock import calendars
        >>> frame = pd.DataFrame({"case": [1], "stage": ["s"], "limit": [5],
        ...     "accepted": [pd.Timestamp("2021-09-01")], "completed": [pd.Timestamp("2021-09-03")]})
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.xlsx"
        >>> analyze(frame, calendar=calendars.get("CN")).to_excel(out).name
        'report.xlsx'
        >>> pd.read_excel(out, sheet_name=None).keys()
        dict_keys(['KPIs', 'stages', 'rejected', 'cases', 'pauses', 'rejected pauses'])
        """
        from approval_clock.records import _io as _records_io

        where = check_path(path, "path")
        labels = KPI_LABELS[_check_lang(lang)]
        grouped = None if by is None else self.kpis(by, month=month)
        return _records_io.write_excel(self, where, self.kpis(), grouped, labels)


def _by_list(by: Hashable | Sequence[Hashable] | None) -> list[Hashable] | None:
    if by is None:
        return None
    if isinstance(by, (list, tuple)):
        if not by:
            raise RecordsError("by: expected a column name or a non-empty list of them, got []")
        return [_analyze.check_name(c, f"by[{i}]") for i, c in enumerate(by)]
    return [_analyze.check_name(by, "by")]


def analyze(
    stages: Any,
    *,
    calendar: WorkCalendar,
    pauses: Any = None,
    as_of: Any = None,
    warn_within: int | WorkingDays = 3,
    case: Hashable = "case",
    stage: Hashable = "stage",
    accepted: Hashable = "accepted",
    completed: Hashable = "completed",
    limit: Hashable = "limit",
    paused: Hashable = "paused",
    resumed: Hashable = "resumed",
    date_format: str | None = None,
    dayfirst: bool = False,
    excel_serial: bool = False,
    open_values: Iterable[str] = (),
    normalize_ids: str | Iterable[str] | None = None,
    limit_unit: str = "wd",
    limit_unit_column: Hashable | None = None,
) -> Analysis:
    """Analyse approval records: elapsed and paused working days, deadlines, status, cases.

    Args:
        stages: one row per (case, stage): case id, stage, acceptance date,
            completion date (missing while the stage is open) and time limit.
            A pandas DataFrame, or any frame that speaks Arrow (polars, pyarrow;
            converted once). Dates may be datetime64 (naive, or aware: read in
            the calendar's time zone), ``datetime.date`` objects or strings (ISO
            8601 unless ``date_format`` or ``dayfirst`` says otherwise), each
            string with or without a UTC offset. The case id may also be the
            frame's index (level) of that name.
        calendar: the working-day calendar, e.g. ``calendars.get("CN")``.
        pauses: optional clock pauses (补正, 特别程序): case id, stage, paused and
            resumed dates (resumed missing: still paused).
        as_of: the date open stages are measured to; required when some stage is
            open.
        warn_within: an open stage with at most this many working days left gets
            ``"open warning"`` (default 3).
        case, stage, accepted, completed, limit, paused, resumed: column names.
        date_format: a ``strptime`` format for text dates, e.g. ``"%Y年%m月%d日"``
            or ``"%d/%m/%Y"`` (it must have a day).
        dayfirst: read text dates such as ``18/08/2021`` day first (each value on
            its own; ISO 8601 values still read as such).
        excel_serial: numbers in date columns are Excel serial days (44426 is
            2021-08-18; a fraction is a time of day), numeric strings too.
        open_values: texts that mean "not finished" in the completion and resume
            columns, e.g. ``["未办结", "在办"]``: read as missing.
        normalize_ids: how to normalise text ids of cases and stages before
            matching them: some of ``"strip"`` (surrounding spaces), ``"case"``
            (case-folded), ``"width"`` (full-width letters and digits as ASCII).
            The accepted rows then carry the normalised ids; rejected ones keep
            them as given.
        limit_unit: the unit of the limits: ``"wd"`` (working days, the default)
            or ``"cd"`` (calendar days, where the catalogue says 日).
        limit_unit_column: a column giving each row's unit (``wd``/``cd``,
            ``工作日``/``日``/``自然日``, ``working days``/``calendar days``);
            blank or missing values take ``limit_unit``.

    Returns:
        An :class:`Analysis`. Rows with bad values are not errors: they go to
        ``rejected`` / ``rejected_pauses`` with a reason, so that
        ``len(stages) == len(result.stages) + len(result.rejected)``.

    Raises:
        RecordsError: a column is missing or would be overwritten; ``as_of`` is
            missing while some stage is open; aware timestamps without a calendar
            time zone; contradictory options.
        ColumnTypeError: a column whose dtype cannot hold what it should (numbers
            for dates without ``excel_serial``, dates for limits), or an argument
            of the wrong type (``calendar``, ``as_of``, ``warn_within``, a frame).
        ArgumentTypeError: a column name that is not hashable (a list, a dict),
            ``limit_unit`` that is not a string. ``ColumnTypeError`` is an
            ``ArgumentTypeError`` too: catch that for every wrong type.
        CalendarCoverageError: ``as_of`` outside the calendar's range.

    Warns:
        RecordsWarning: the case (or stage) ids are integers in one frame and
            text in the other; they are matched by their text.

    Elapsed is ``calendar.elapsed(accepted, completed or as_of)``: working days in
    (accepted, end], the day of acceptance not counted. A pause from P to R stops
    the clock on the working days in (P, R]; overlapping pauses are merged. The
    deadline is the day the net elapsed reaches the limit. A limit in calendar
    days ends ``limit`` calendar days after acceptance, moved later by the paused
    calendar days, and on the next working day if that is a rest day (Civil Code
    art. 203); elapsed, overdue and left days are working days for every unit.
    ``certainty`` is the least certain day of ``accepted .. max(measured_to,
    deadline)``, a deadline past the calendar's range counted as its last day
    (:meth:`WorkCalendar.certainty`); :attr:`Analysis.certainty` is the least
    certain over the rows.

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
    stages = check_frame(stages, "stages")
    names = _analyze.Names(
        case=case,
        stage=stage,
        accepted=accepted,
        completed=completed,
        limit=limit,
        paused=paused,
        resumed=resumed,
        unit=limit_unit_column,
    )
    opts = _analyze.read_options(
        calendar,
        as_of=as_of,
        warn_within=warn_within,
        names=names,
        date_format=date_format,
        dayfirst=dayfirst,
        excel_serial=excel_serial,
        open_values=open_values,
        normalize_ids=normalize_ids,
        limit_unit=limit_unit,
    )
    fields, messages = _analyze.run(stages, pauses, as_of, opts)
    _analyze.warn_all(messages, RecordsWarning, stacklevel=2)
    return Analysis(**fields)


# -- KPIs from parts -------------------------------------------------------------------------


def combine_kpi_parts(*parts: pd.DataFrame) -> pd.DataFrame:
    """Add up the KPI parts of several analyses (partitions of one data set).

    Each argument is a frame from :meth:`Analysis.kpi_parts` (or the
    concatenation of several, as dask's ``map_partitions(...).compute()`` gives),
    grouped or not (then all grouped by the same columns).

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
    frames = [kp.as_parts(p) for p in parts]
    keys = {tuple(kp.key_columns(f)) for f in frames}
    if len(keys) > 1:
        raise RecordsError(
            f"KPI parts: the frames are grouped differently ({sorted(keys)}); combine parts "
            f"grouped by the same columns"
        )
    return kp.combine(frames)


@overload
def kpis_from_parts(parts: Any, by: None = None) -> KPIs: ...


@overload
def kpis_from_parts(parts: Any, by: Hashable | Sequence[Hashable]) -> pd.DataFrame: ...


def kpis_from_parts(
    parts: Any, by: Hashable | Sequence[Hashable] | None = None
) -> KPIs | pd.DataFrame:
    """Turn (summed) KPI parts into the KPIs: counts, rates, means, percentiles.

    ``parts`` is a frame from :meth:`Analysis.kpi_parts`, several of them
    concatenated (equal parts are added first), or a Series / mapping of part
    name to value. Rates and means of an empty denominator are NaN. Grouped
    parts (``kpi_parts(by=...)``) need the same ``by``: the result is then a
    frame with one row per group, as :meth:`Analysis.kpis` gives.

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
    frame = kp.as_parts(parts)
    cols = _by_list(by)
    table = kp.kpi_table(frame, cols)
    if cols is None:
        return KPIs(kp.one_row(table))
    return table


def analyze_partitions(
    stages: Any, pauses: Any = None, *, calendar: WorkCalendar, **options: Any
) -> Any:
    """Analyse dask frames partition by partition, after checking that no case is split.

    See :func:`approval_clock.records._dask.analyze_partitions` (documented in
    ``docs/records.md``): ``stages`` and ``pauses`` must be indexed by the case
    id with known divisions, the pauses on the stages' divisions; the result has
    ``stages()``, ``rejected()``, ``kpi_parts(by=...)`` and ``kpis(by=...)``.
    """
    from approval_clock.records import _dask as _records_dask

    return _records_dask.analyze_partitions(stages, pauses, calendar=calendar, **options)


def _catalog_frame(catalog: object) -> pd.DataFrame:
    """A catalogue as a frame: a frame as it is, a mapping of columns (scalars: one item)."""
    if not isinstance(catalog, Mapping):
        return check_frame(catalog, "catalog")
    columns = dict(catalog)
    if all(np.ndim(v) == 0 for v in columns.values()):
        columns = {k: [v] for k, v in columns.items()}
    try:
        return pd.DataFrame(columns)
    except (TypeError, ValueError) as e:
        raise RecordsError(
            f"catalog: a mapping of column names to values of equal length, such as "
            f"{{'statutory': [20, 10], 'committed': [5, 10]}}, was expected; pandas said: {e}"
        ) from None


def limit_compression(
    catalog: Any,
    *,
    statutory: Hashable = "statutory",
    committed: Hashable = "committed",
) -> KPIs:
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
    catalog = _catalog_frame(catalog)
    values = {}
    for name, param in ((statutory, "statutory"), (committed, "committed")):
        _analyze.check_name(name, param)
        label = f"catalog[{name!r}]"
        col = get_column(catalog, name, "catalog", param)
        v, bad = parse_limits(col, label)
        with np.errstate(invalid="ignore"):
            wrong = bad | np.isnan(v) | (v < 0) | ~np.isfinite(v) | (v != np.floor(v))
            # A limit longer than the calendar can hold is a typo, and would wrap
            # in the int64 sums below.
            wrong |= v > MAX_DURATION
        if wrong.any():
            i = int(np.flatnonzero(wrong)[0])
            raise RecordsError(
                f"{label} at index {catalog.index[i]!r}: expected a whole number of "
                f"working days from 0 to {MAX_DURATION}, got {col.iloc[i]!r}"
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
    return KPIs(
        {
            "items": items,
            "statutory_days": total_s,
            "committed_days": int(c.sum()),
            "days_saved": saved,
            "compression": saved / total_s if total_s else math.nan,
            "mean_item_compression": float(np.mean(1 - c[has] / s[has])) if has.any() else math.nan,
            "mean_days_saved": saved / items if items else math.nan,
        }
    )

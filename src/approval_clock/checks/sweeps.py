"""Sweeps: one plan scheduled from every start date of a year (or any list of dates).

A reform is promised for every project that could start this year, and 45
working days took 61 calendar days from one 2021 start and 70 from another, when
Spring Festival or National Day falls inside. :func:`sweep` answers for every
start at once and returns a :class:`Sweep`: per start the finish, duration,
approval days, notice days and calendar days, with their spread and the worst
starts.

Fast path: when every stage and lag of the plan is in working days of the plan's
one calendar, the schedule in working-day numbers is the same from every start,
shifted; only the calendar spans differ. Then one schedule and a few vectorized
calendar look-ups answer the whole year. Otherwise each start is scheduled (the
plan's integer form is built once and reused).

Starts whose schedule would leave the calendar's range are not dropped: they are
listed in :attr:`Sweep.uncovered` with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from approval_clock._check import (
    check_choice,
    check_instance,
    check_int,
    check_sequence,
    check_str,
    fail_type,
)
from approval_clock.calendars import _certainty
from approval_clock.errors import CalendarCoverageError, PolicyError
from approval_clock.plans.model import STAGE_KINDS, Plan

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from approval_clock.plans.schedule import Schedule

__all__ = ["Sweep", "sweep"]

Column = Literal["duration", "approval_days", "notice_days", "calendar_days"]
COLUMNS: tuple[Column, ...] = ("duration", "approval_days", "notice_days", "calendar_days")

_Ints = npt.NDArray[np.int64]
_Days = npt.NDArray[np.datetime64]


@attrs.frozen(eq=False)
class Sweep:
    """A plan scheduled from many start dates. Made by :func:`sweep`.

    Array attributes have one entry per covered start, in the order given:
    ``starts`` (as requested), ``first`` (the schedule's start: the requested start
    rolled to a working day), ``finish``, and the int arrays ``duration``,
    ``approval_days``, ``notice_days`` (working days in notice windows, overlaps
    counted once), ``calendar_days`` (calendar days from ``first`` to ``finish``:
    the duration as the World Bank's construction-permit indicator counts it,
    next to the working days) and ``longest_notice`` (working days of the longest
    single notice stage, what a statutory-notice rule asks for);
    ``provisional`` says which rest on a projected calendar, and
    ``certainty`` (an object array of ``"official"``, ``"tentative"``,
    ``"projected"``) what each start's schedule can claim: its
    :attr:`Schedule.certainty <approval_clock.Schedule.certainty>`.

    >>> from approval_clock import Plan, Stage, calendars
    >>> plan = Plan(stages=[Stage("review", 45)], calendar=calendars.get("CN"))
    >>> s = sweep(plan, year=2021)
    >>> len(s), s.summary("calendar_days")
    (250, {'min': 61, 'median': 65.0, 'max': 70})
    >>> s.worst(1)   # 45 working days from 9 February run through Spring Festival
    [datetime.date(2021, 2, 9)]
    >>> late = sweep(plan, year=2026)   # the last three covered starts end on 29-31 December
    >>> late.starts[late.certainty == "tentative"].tolist()[0]
    datetime.date(2026, 10, 28)
    """

    plan: Plan
    starts: _Days
    first: _Days
    finish: _Days
    duration: _Ints
    approval_days: _Ints
    notice_days: _Ints
    calendar_days: _Ints
    provisional: npt.NDArray[np.bool_]
    certainty: npt.NDArray[np.object_]
    uncovered: tuple[tuple[date, str], ...]
    fast: bool
    longest_notice: _Ints | None = None

    @property
    def requested(self) -> int:
        """How many starts were asked for: the covered ones plus the uncovered ones."""
        return len(self.starts) + len(self.uncovered)

    def __len__(self) -> int:
        return len(self.starts)

    def column(self, name: Column) -> _Ints:
        """One column's values, one per covered start, by name (one of :data:`COLUMNS`).

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars, sweep
        >>> s = sweep(Plan([Stage("a", 5)], calendar=calendars.get("CN")), [date(2021, 9, 28)])
        >>> s.column("calendar_days").tolist()
        [12]
        """
        values: _Ints = getattr(self, check_choice(name, COLUMNS, "column", error=PolicyError))
        return values

    def summary(self, column: Column = "calendar_days") -> dict[str, float]:
        """Minimum, median and maximum of a column over the covered starts."""
        values = self.column(column)
        if not len(values):
            raise PolicyError("the sweep covers no start date: see .uncovered")
        return {
            "min": int(values.min()),
            "median": float(np.median(values)),
            "max": int(values.max()),
        }

    def worst(self, n: int = 5, column: Column = "calendar_days") -> list[date]:
        """The ``n`` starts with the largest values of ``column``, largest first (ties by date)."""
        n = check_int(n, "n", min_value=0)
        values = self.column(column)
        order = np.lexsort((self.starts, -values))[:n]
        return [d.astype(date) for d in self.starts[order]]

    def crossing(self, holiday: str) -> list[date]:
        """The starts whose schedule (first start to finish) contains a rest day named ``holiday``.

        A rest day's name is what ``calendar.describe`` says; ``"Spring Festival"``
        also matches a combined name such as "National Day and Mid-autumn Festival"
        only if it contains the text.

        >>> from approval_clock import Plan, Stage, calendars
        >>> plan = Plan(stages=[Stage("review", 5)], calendar=calendars.get("CN"))
        >>> sweep(plan, year=2021).crossing("National Day")
        [datetime.date(2021, 9, 27), datetime.date(2021, 9, 28), datetime.date(2021, 9, 29), datetime.date(2021, 9, 30)]
        """
        holiday = check_str(holiday, "holiday")
        cal = self.plan.calendar
        days = np.array(
            sorted(d for d, name in cal.holidays.items() if holiday in name), dtype="datetime64[D]"
        )
        if not len(days):
            return []
        inside = np.searchsorted(days, self.finish, side="right") - np.searchsorted(
            days, self.first, side="left"
        )
        return [d.astype(date) for d in self.starts[inside > 0]]

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per covered start, ready for ``pandas.DataFrame``."""
        return [
            {
                "start": self.starts[k].astype(date),
                "first": self.first[k].astype(date),
                "finish": self.finish[k].astype(date),
                "duration": int(self.duration[k]),
                "approval_days": int(self.approval_days[k]),
                "notice_days": int(self.notice_days[k]),
                "calendar_days": int(self.calendar_days[k]),
                "longest_notice": None
                if self.longest_notice is None
                else int(self.longest_notice[k]),
                "provisional": bool(self.provisional[k]),
                "certainty": str(self.certainty[k]),
            }
            for k in range(len(self))
        ]

    def to_dict(self) -> dict[str, Any]:
        """The sweep in its JSON form: the plan, one record per covered start, the rest.

        Valid against ``approval_clock.schema("sweep")``; :meth:`from_dict` sweeps
        the plan again over the same starts and checks the records agree.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars, sweep
        >>> s = sweep(Plan([Stage("a", 5)], calendar=calendars.get("CN")), year=2021)
        >>> d = s.to_dict()
        >>> len(d["records"]), d["records"][0]["finish"]
        (250, '2021-01-08')
        >>> Sweep.from_dict(d).to_dict() == d
        True
        """
        from approval_clock._toml import json_types

        return {
            "format": 1,
            "plan": self.plan.to_dict(),
            "records": json_types(self.to_records()),
            "uncovered": [{"start": d.isoformat(), "reason": why} for d, why in self.uncovered],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], **plan_options: Any) -> Sweep:
        """The sweep in ``data`` (:meth:`to_dict`), made again from its plan.

        Raises :class:`~approval_clock.errors.PolicyError` naming the first start
        whose record differs (a calendar changed since, say).
        """
        from approval_clock._toml import check_same, read_form

        r, t = read_form(
            data, "sweep", PolicyError, {"format", "plan", "records", "uncovered"}, {"plan"}
        )
        records = r.array(t.get("records", []), "records")
        missing = r.array(t.get("uncovered", []), "uncovered")
        starts = [
            r.date(
                r.table(x, f"records[{k}]", set(_RECORD_KEYS), {"start"})["start"],
                f"records[{k}].start",
            )
            for k, x in enumerate(records)
        ]
        starts += [
            r.date(
                r.table(x, f"uncovered[{k}]", {"start", "reason"}, {"start"})["start"],
                f"uncovered[{k}].start",
            )
            for k, x in enumerate(missing)
        ]
        made = sweep(Plan.from_dict(t["plan"], **plan_options), starts)
        check_same(r, t, made.to_dict(), ("records",))
        return made

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Draw a column over the start dates; see :func:`approval_clock.plot.plot_sweep`.

        Needs matplotlib (``pip install matplotlib (the 'plot' extra; see docs/install.md)``).

        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from approval_clock import Plan, Stage, calendars
        >>> ax = sweep(Plan(stages=[Stage("review", 20)], calendar=calendars.get("CN")),
        ...            year=2021).plot(column="calendar_days")
        >>> ax.get_xlabel()
        'start date'
        >>> matplotlib.pyplot.close(ax.figure)
        """
        from approval_clock.plot import plot_sweep

        return plot_sweep(self, ax, **kwargs)

    def __repr__(self) -> str:
        if not len(self):
            return f"<Sweep of {self.plan.name or 'plan'!r}: no covered start>"
        s = self.summary()
        return (
            f"<Sweep of {self.plan.name or 'plan'!r}: {len(self)} starts "
            f"{self.starts[0]}..{self.starts[-1]}, calendar days {s['min']}..{s['max']}"
            f"{f', {len(self.uncovered)} uncovered' if self.uncovered else ''}>"
        )


_RECORD_KEYS = (
    "start",
    "first",
    "finish",
    "duration",
    "approval_days",
    "notice_days",
    "calendar_days",
    "longest_notice",
    "provisional",
    "certainty",
)


def _starts(plan: Plan, starts: Iterable[date] | None, year: int | None) -> _Days:
    check_instance(plan, Plan, "sweep: plan", "a Plan")
    if (starts is None) == (year is None):
        raise PolicyError("sweep: give either starts=[dates] or year=YYYY")
    if year is not None:
        year = check_int(year, "year", min_value=1, max_value=9999, what="a year such as 2026")
        cal = plan.calendar
        lo = max(date(year, 1, 1), cal.coverage[0])
        hi = min(date(year, 12, 31), cal.coverage[1])
        if lo > hi:
            raise CalendarCoverageError(
                f"year {year} is outside calendar {cal.name!r} ({cal.coverage[0]}..{cal.coverage[1]})"
            )
        return np.array(cal.working_days(lo, hi), dtype="datetime64[D]")
    assert starts is not None
    values: list[object] = check_sequence(starts, "starts", what="a list of datetime.date")
    bad = [v for v in values if type(v) is not date]
    if bad:
        raise fail_type("starts", "datetime.date values", bad[0])
    return np.array(values, dtype="datetime64[D]")


def _is_uniform(plan: Plan) -> bool:
    """Every stage and lag in working days of the plan calendar: a shift-invariant schedule.

    A ``not_before`` date does not shift with the start, so a plan with one is
    scheduled start by start; a ``finish_by`` date changes floats only. Read from
    the plan's graph (no Stage object is made).
    """
    g = plan.graph
    cal = plan.calendar
    return (
        not g.unit.any()
        and not g.lag_unit.any()
        and bool(np.isnat(g.not_before).all())
        and all(c == cal for c in g.calendars)
    )


_NOTICE = STAGE_KINDS.index("notice")


def _notices(plan: Plan) -> int:
    return int(np.count_nonzero(plan.graph.kind == _NOTICE))


def _longest_notice(s: Schedule, notice_days: int) -> int:
    # With one notice stage (or none) the longest is the notice windows' length;
    # only plans with several are asked per start (schedules are built in loops).
    if _notices(s.plan) < 2:
        return notice_days
    longest = s.longest_stage(["notice"])
    return 0 if longest is None else longest.working_days


def sweep(
    plan: Plan,
    starts: Iterable[date] | None = None,
    *,
    year: int | None = None,
) -> Sweep:
    """Schedule ``plan`` from each start date: ``starts``, or every working day of ``year``.

    ``year`` takes the working days of the plan calendar in that year (within its
    range). Starts whose schedule leaves a calendar's range are reported in
    ``uncovered``, with the reason, not dropped. To sweep up to the end of the
    official range, extend the calendar explicitly (``cal.extended(until=...)``):
    the results that rest on the projection are marked ``provisional``, and
    ``certainty`` says per start which rest on tentative or projected days.

    Raises:
        PolicyError: neither or both of ``starts`` and ``year``.
        CalendarCoverageError: ``year`` outside the plan calendar's range.

    >>> from datetime import date
    >>> from approval_clock import Plan, Stage, calendars
    >>> plan = Plan(stages=[Stage("review", 20)], calendar=calendars.get("CN"))
    >>> s = sweep(plan, [date(2021, 9, 17), date(2021, 9, 24)])
    >>> s.finish.tolist(), s.calendar_days.tolist()
    ([datetime.date(2021, 10, 20), datetime.date(2021, 10, 26)], [34, 33])
    """
    days = _starts(plan, starts, year)
    return (_sweep_fast if _is_uniform(plan) else _sweep_each)(plan, days)


def _empty(plan: Plan, uncovered: list[tuple[date, str]], fast: bool) -> Sweep:
    no_days = np.array([], dtype="datetime64[D]")
    no_ints = np.array([], dtype=np.int64)
    return Sweep(
        plan,
        no_days,
        no_days,
        no_days,
        no_ints,
        no_ints,
        no_ints,
        no_ints,
        np.array([], dtype=bool),
        np.array([], dtype=object),
        tuple(uncovered),
        fast,
        no_ints,
    )


def _sweep_each(plan: Plan, days: _Days) -> Sweep:
    rows: list[tuple[Any, ...]] = []
    uncovered: list[tuple[date, str]] = []
    several = _notices(plan) > 1
    for d in days.tolist():
        try:
            s = plan.schedule(start=d)
        except CalendarCoverageError as e:
            uncovered.append((d, str(e)))
            continue
        notice = s.days_in_progress(["notice"])
        rows.append(
            (
                d,
                s.start,
                s.finish,
                s.duration,
                s.approval_days,
                notice,
                s.calendar_days,
                s.provisional,
                s.certainty,
                _longest_notice(s, notice) if several else notice,
            )
        )
    if not rows:
        return _empty(plan, uncovered, False)
    cols = list(zip(*rows, strict=True))
    return Sweep(
        plan,
        np.array(cols[0], dtype="datetime64[D]"),
        np.array(cols[1], dtype="datetime64[D]"),
        np.array(cols[2], dtype="datetime64[D]"),
        np.array(cols[3], dtype=np.int64),
        np.array(cols[4], dtype=np.int64),
        np.array(cols[5], dtype=np.int64),
        np.array(cols[6], dtype=np.int64),
        np.array(cols[7], dtype=bool),
        np.array(cols[8], dtype=object),
        tuple(uncovered),
        False,
        np.array(cols[9], dtype=np.int64),
    )


def _sweep_fast(plan: Plan, days: _Days) -> Sweep:
    cal = plan.calendar
    lo, hi = (np.datetime64(d, "D") for d in cal.coverage)
    total = int(cal.working_day_number(cal.coverage[1]))
    inside = (days >= lo) & (days <= hi)
    # Working-day number of the first working day on or after each start.
    k = np.zeros(len(days), dtype=np.int64)
    if inside.any():
        wn = np.asarray(cal.working_day_number(days[inside]), dtype=np.int64)
        working = np.asarray(cal.is_working_day(days[inside]), dtype=bool)
        k[inside] = wn + ~working
    candidates = np.flatnonzero(inside & (k <= total))
    uncovered: dict[int, str] = {
        int(i): f"{days[i]} is outside calendar {cal.name!r} ({cal.coverage[0]}..{cal.coverage[1]})"
        for i in np.flatnonzero(~inside)
    }
    if not len(candidates):
        for i in np.flatnonzero(inside):
            uncovered[int(i)] = f"no working day on or after {days[i]} in calendar {cal.name!r}"
        return _empty(plan, [(days[i].astype(date), uncovered[i]) for i in sorted(uncovered)], True)
    # One schedule from the earliest start; every other start is the same shifted.
    ref_i = int(candidates[np.argmin(k[candidates])])
    try:
        ref = plan.schedule(start=days[ref_i].astype(date))
    except CalendarCoverageError as e:
        for i in candidates:
            uncovered[int(i)] = str(e)
        return _empty(plan, [(days[i].astype(date), uncovered[i]) for i in sorted(uncovered)], True)
    k_ref = int(cal.working_day_number(ref.start))
    finish_off = int(cal.working_day_number(ref.finish)) - k_ref
    # The latest boundary any stage touches (a closing start milestone may lie after
    # finish; a finish milestone is dated on the day before its boundary), read
    # from the schedule's columns: no ScheduledStage is made.
    cols = ref.to_arrays()
    last = np.asarray(cal.working_day_number(cols["finish"]), dtype=np.int64)
    last += cols["milestone"] == "finish"
    reach = max(finish_off, int(last.max()) - k_ref)
    ok = np.zeros(len(days), dtype=bool)
    ok[candidates] = k[candidates] + reach <= total
    for i in np.flatnonzero(inside & ~ok):
        uncovered[int(i)] = (
            f"the plan from {days[i]} would end after the range of calendar {cal.name!r}, "
            f"which covers {cal.coverage[0]}..{cal.coverage[1]}; {cal.how_to_extend}"
        )
    kk = k[ok]
    first = np.asarray(cal.date_of_working_day(kk), dtype="datetime64[D]")
    finish = np.asarray(cal.date_of_working_day(kk + finish_off), dtype="datetime64[D]")
    n = len(kk)
    span = (finish - first).astype(np.int64) + 1 if ref.duration else np.zeros(n, dtype=np.int64)
    projected = cal.provisional
    uncertain = _certainty.first_uncertain(cal)
    provisional = np.zeros(n, dtype=bool)
    certainty = np.full(n, "official", dtype=object)
    if uncertain is not None and n:
        # The latest day each start's schedule touches, as the schedule itself
        # takes it (Schedule.certainty): from the requested start to there.
        latest = np.asarray(cal.date_of_working_day(kk + reach), dtype="datetime64[D]")
        if projected is not None:
            provisional = latest >= np.datetime64(projected[0], "D")
        late = latest >= np.datetime64(uncertain, "D")
        if late.any():
            certainty[late] = cal.certainty(days[ok][late], latest[late])
    notice = ref.days_in_progress(["notice"])
    longest = notice
    if _notices(plan) > 1:
        longest = int(cols["working_days"][plan.graph.kind == _NOTICE].max())
    return Sweep(
        plan,
        days[ok],
        first,
        finish,
        np.full(n, ref.duration, dtype=np.int64),
        np.full(n, ref.approval_days, dtype=np.int64),
        np.full(n, notice, dtype=np.int64),
        span,
        provisional,
        certainty,
        tuple((days[i].astype(date), uncovered[i]) for i in sorted(uncovered)),
        True,
        np.full(n, longest, dtype=np.int64),
    )

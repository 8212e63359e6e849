"""Schedules: a plan laid onto its calendars from a start date.

:meth:`approval_clock.Plan.schedule` reduces the plan to integers (working-day
numbers of each stage's calendar), runs the forward and backward passes of
:mod:`approval_clock._cpm`, and returns a :class:`Schedule`: when each stage
starts and finishes, how far it could slip (total and free float), which stages
are critical, how long the whole process takes (``duration``) and how much of
that time the approval clock runs (``approval_days``).

The rules (DESIGN.md, "Scheduling"):

* A stage of ``n`` working days starting on working day ``s`` occupies
  ``[s, s + n)``: it starts on day ``s`` and finishes on day ``s + n - 1``. A stage
  of 0 days is a milestone: it takes no time and is dated on the day it is
  reached (its finish is its start).
* A stage in calendar days or months that starts on ``d`` finishes on
  ``calendar.deadline(d - 1 day, duration)`` in its own calendar (the start day
  is day 1; an end on a rest day rolls forward, Civil Code art. 203).
* Every stage starts on a working day of its own calendar, no earlier than the
  first working day on or after the plan's start, and as early as its links
  allow: FS (after the predecessor finishes, plus the lag), SS (no earlier than
  the predecessor starts, plus the lag), FF (finishes no earlier than the
  predecessor finishes, plus the lag). When an FF link is what holds a stage
  back, the stage *starts later* so that it finishes no earlier — it keeps its
  duration, as in MS Project and Primavera.
* Floats are counted in working days of the plan's calendar; a stage is
  critical when its early and late start coincide.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import numpy.typing as npt

from approval_clock import _certainty, _cpm
from approval_clock.calendar import CERTAINTIES, Certainty, WorkCalendar
from approval_clock.calendar import _add_months as add_months
from approval_clock.durations import CalendarDays, Duration, WorkingDays
from approval_clock.errors import (
    ArgumentTypeError,
    CalendarCoverageError,
    DateTypeError,
    PlanError,
    UnknownStageError,
)
from approval_clock.plan import STAGE_KINDS, Link, Plan, Stage

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Schedule", "ScheduledStage"]

_KIND = {"FS": _cpm.FS, "SS": _cpm.SS, "FF": _cpm.FF}


@attrs.frozen
class ScheduledStage:
    """One stage of a :class:`Schedule`: its dates, floats and what drives it.

    Attributes:
        stage: the :class:`~approval_clock.Stage` scheduled.
        calendar: the calendar it was counted on (its own or the plan's).
        start, finish: early start and finish dates (for a milestone, the same day).
        late_start, late_finish: the latest dates that do not delay the plan.
        total_float: how many working days (plan calendar) the stage can slip
            without delaying the plan's finish.
        free_float: how many it can slip without moving any successor.
        critical: early and late start coincide: any slip delays the plan.
        driver: the link that fixes the start, or ``None`` when the plan's start does.
        working_days: working days of the plan calendar from start to finish, both
            included (0 for a milestone).

    >>> from datetime import date
    >>> from approval_clock import Plan, Stage, calendars
    >>> s = Plan(stages=[Stage("a", 3)], calendar=calendars.get("CN")).schedule(
    ...     start=date(2021, 9, 30))["a"]
    >>> s.start, s.finish, s.working_days, s.critical   # Sep 30, Oct 8, Oct 9 (makeup Saturday)
    (datetime.date(2021, 9, 30), datetime.date(2021, 10, 9), 3, True)
    """

    stage: Stage
    calendar: WorkCalendar = attrs.field(repr=False)
    start: date
    finish: date
    late_start: date
    late_finish: date
    total_float: int
    free_float: int
    critical: bool
    driver: Link | None
    working_days: int

    @property
    def id(self) -> str:
        """The stage id."""
        return self.stage.id

    @property
    def name(self) -> str:
        """The stage name (its id when it has none)."""
        return self.stage.name or self.stage.id

    @property
    def kind(self) -> str:
        """The stage kind (``work``, ``notice``, ``applicant``, ``special``)."""
        return self.stage.kind

    @property
    def duration(self) -> Duration:
        """The stage's duration as declared."""
        return self.stage.duration

    @property
    def counts(self) -> bool:
        """True when the stage counts on the approval clock (``work`` or ``notice``)."""
        return self.stage.counts

    def to_record(self) -> dict[str, Any]:
        """The stage as a plain dict (one row of :meth:`Schedule.to_records`)."""
        return {
            "id": self.id,
            "name": self.stage.name,
            "kind": self.kind,
            "duration": str(self.duration),
            "calendar": self.calendar.name,
            "start": self.start,
            "finish": self.finish,
            "late_start": self.late_start,
            "late_finish": self.late_finish,
            "total_float": self.total_float,
            "free_float": self.free_float,
            "critical": self.critical,
            "working_days": self.working_days,
            "counts": self.counts,
            "driver": None if self.driver is None else str(self.driver),
        }


class Schedule:
    """A plan scheduled from a start date.

    Built by :meth:`approval_clock.Plan.schedule`. Per stage: ``sched[id]`` (a
    :class:`ScheduledStage`), iteration in topological order, :meth:`to_records`
    and :meth:`explain`. For the whole plan:

    * ``start``, ``finish``: the first day any stage could be in progress (the
      requested start rolled forward on each stage's calendar, the earliest) and
      the last day any stage is in progress (a milestone takes no time, so it does
      not extend the plan);
    * ``duration``: working days (plan calendar) from ``start`` to ``finish``, both
      included — a serial chain of 5 and 10 days lasts 15;
    * ``approval_days``: working days (plan calendar) on which at least one
      ``work`` or ``notice`` stage is in progress — the approval clock;
    * ``calendar_days``: calendar days from ``start`` to ``finish``, both included;
    * ``provisional``: True when any date rests on a projected part of a calendar
      (see :meth:`WorkCalendar.extended`);
    * ``certainty``: the least certain day any of its calendars is asked about,
      from the requested start to the latest day each calendar touches:
      ``"official"``, ``"tentative"`` (late-December days the next notice may
      still change) or ``"projected"`` (past the notices; see
      :meth:`WorkCalendar.certainty`). A ``provisional`` schedule is always
      ``"projected"``;
    * ``critical_path``: the ids of the critical stages, in order of start.

    >>> from datetime import date
    >>> from approval_clock import Plan, Stage, Link, calendars
    >>> plan = Plan(
    ...     stages=[Stage("prepare", 3, kind="applicant"), Stage("review", 5),
    ...             Stage("hearing", 2, kind="special")],
    ...     links=[Link("prepare", "review"), Link("review", "hearing", "SS", 1)],
    ...     calendar=calendars.get("CN"))
    >>> sched = plan.schedule(start=date(2021, 8, 18))
    >>> sched.start, sched.finish, sched.duration, sched.approval_days
    (datetime.date(2021, 8, 18), datetime.date(2021, 8, 27), 8, 5)
    >>> sched.critical_path, sched["hearing"].total_float
    (('prepare', 'review'), 2)

    Seven working days from Monday 2026-12-21 end on Tuesday 29 December, which
    the 2027 notice may still change:

    >>> late = Plan(stages=[Stage("review", 7)], calendar=calendars.get("CN")).schedule(
    ...     start=date(2026, 12, 21))
    >>> late.finish, late.certainty
    (datetime.date(2026, 12, 29), 'tentative')
    """

    __slots__ = (
        "_axes",
        "_cache",
        "_cal",
        "_calendars",
        "_drv",
        "_ee",
        "_es",
        "_fls",
        "_le",
        "_ls",
        "_topo",
        "approval_days",
        "calendar_days",
        "certainty",
        "critical_path",
        "duration",
        "finish",
        "plan",
        "provisional",
        "requested_start",
        "start",
    )

    plan: Plan
    requested_start: date
    _axes: list[_cpm.Axis]
    _cache: dict[int, ScheduledStage]
    _cal: list[int]
    _calendars: list[WorkCalendar]
    _drv: list[int]
    _ee: list[int]
    _es: list[int]
    _fls: list[int]
    _le: list[int]
    _ls: list[int]
    _topo: list[int]
    start: date
    finish: date
    duration: int
    approval_days: int
    calendar_days: int
    provisional: bool
    certainty: Certainty
    critical_path: tuple[str, ...]

    def __init__(self) -> None:
        raise ArgumentTypeError("Schedule objects are made by Plan.schedule(start=...)")

    # -- per stage ------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.plan.stages)

    def __contains__(self, id: object) -> bool:
        return id in self.plan

    def __iter__(self) -> Iterator[ScheduledStage]:
        """The scheduled stages in topological order (every stage after its predecessors)."""
        for i in self._topo:
            yield self._stage(i)

    def __getitem__(self, id: str) -> ScheduledStage:
        """The :class:`ScheduledStage` with this id.

        Raises:
            UnknownStageError: no such stage (also a ``KeyError``).
        """
        k = self.plan._index.get(id) if isinstance(id, str) else None
        if k is None:
            raise UnknownStageError(f"no stage {id!r} in the schedule of plan {self.plan.name!r}")
        return self._stage(k)

    def days_in_progress(self, kinds: Iterable[str] = ("work", "notice")) -> int:
        """Working days (plan calendar) on which a stage of one of ``kinds`` is in progress.

        ``days_in_progress()`` is :attr:`approval_days`; ``days_in_progress(["notice"])``
        is the part of it spent in statutory notice windows, which no reform can
        compress. Overlapping stages count each day once.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, Link, calendars
        >>> plan = Plan(stages=[Stage("notice", 35, kind="notice"), Stage("review", 10)],
        ...             links=[Link("notice", "review", "SS", 30)], calendar=calendars.get("CN"))
        >>> sched = plan.schedule(start=date(2021, 6, 1))
        >>> sched.approval_days, sched.days_in_progress(["notice"]), sched.days_in_progress(["work"])
        (40, 35, 10)
        """
        wanted = set(kinds)
        unknown = wanted - set(STAGE_KINDS)
        if unknown:
            raise PlanError(
                f"kinds: unknown stage kind {sorted(unknown)[0]!r}; expected some of "
                f"{', '.join(repr(k) for k in STAGE_KINDS)}"
            )
        keep = [st.kind in wanted for st in self.plan.stages]
        return _union_length(_intervals(self._axes, self._cal, self._es, self._ee, keep))

    def _date(self, i: int, k: int) -> date:
        return date.fromordinal(self._axes[self._cal[i]].ordinal(k))

    def _finish(self, i: int, s: int, e: int) -> date:
        return self._date(i, e - 1 if e > s else s)

    def _stage(self, i: int) -> ScheduledStage:
        cached = self._cache.get(i)
        if cached is not None:
            return cached
        plan = self.plan
        ax = self._axes[self._cal[i]]
        pax = self._axes[0]
        es, ee, ls, le = self._es[i], self._ee[i], self._ls[i], self._le[i]
        base = pax.floor(ax.ordinal(es))
        start = self._date(i, es)
        finish = self._finish(i, es, ee)
        d = self._drv[i]
        stage = plan.stages[i]
        out = ScheduledStage(
            stage=stage,
            calendar=self._calendars[self._cal[i]],
            start=start,
            finish=finish,
            late_start=self._date(i, ls),
            late_finish=self._finish(i, ls, le),
            total_float=pax.floor(ax.ordinal(ls)) - base,
            free_float=pax.floor(ax.ordinal(self._fls[i])) - base,
            critical=ls == es,
            driver=None if d < 0 else plan.links[d],
            working_days=(
                0 if ee == es else pax.floor(finish.toordinal()) - pax.ceil(start.toordinal()) + 1
            ),
        )
        self._cache[i] = out
        return out

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per stage, in topological order: ``pandas.DataFrame(records)``.

        Keys: id, name, kind, duration (short form), calendar (name), start,
        finish, late_start, late_finish, total_float, free_float, critical,
        working_days, counts, driver (the driving link as text, or None).

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars
        >>> rec = Plan(stages=[Stage("a", 2)], calendar=calendars.get("CN")).schedule(
        ...     start=date(2021, 8, 18)).to_records()[0]
        >>> rec["start"], rec["finish"], rec["duration"], rec["driver"]
        (datetime.date(2021, 8, 18), datetime.date(2021, 8, 19), '2wd', None)
        """
        return [s.to_record() for s in self]

    def explain(self, id: str) -> str:
        """Why a stage starts when it does, naming the link that drives its start.

        When the schedule is not :attr:`certainty` ``"official"``, a second line
        says what it rests on (its floats depend on the whole schedule).

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, Link, calendars
        >>> plan = Plan(stages=[Stage("a", 5), Stage("b", 2)], links=[Link("a", "b", "FF")],
        ...             calendar=calendars.get("CN"))
        >>> print(plan.schedule(start=date(2021, 8, 18)).explain("b"))
        'b' starts 2021-08-23 and finishes 2021-08-24 (2wd): the FF link 'a' -> 'b' (FF) holds its finish back until 'a' has finished (2021-08-24), so it starts later; total float 0 (critical), free float 0.
        """
        s = self[id]
        head = f"{id!r} starts {s.start} and finishes {s.finish} ({s.duration})"
        if s.stage.is_milestone:
            head = f"{id!r} (a milestone) is reached on {s.start}"
        link = s.driver
        if link is None:
            why = (
                f"nothing holds it back, so it starts on the first working day of "
                f"{s.calendar.name!r} on or after the plan start {self.requested_start}"
            )
        else:
            p = self[link.predecessor]
            lag = "" if link.lag == 0 else f" with a lag of {link.lag}"
            if link.kind == "FS":
                why = f"the FS link {link} starts it after {p.id!r} finishes ({p.finish}){lag}"
            elif link.kind == "SS":
                why = (
                    f"the SS link {link} lets it start no earlier than {p.id!r} starts "
                    f"({p.start}){lag}"
                )
            else:
                why = (
                    f"the FF link {link} holds its finish back until {p.id!r} has finished "
                    f"({p.finish}){lag}, so it starts later"
                )
        crit = " (critical)" if s.critical else ""
        text = f"{head}: {why}; total float {s.total_float}{crit}, free float {s.free_float}."
        note = _certainty.line(self.certainty)
        return text if note is None else f"{text}\n{note}"

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Draw the schedule as a Gantt chart; see :func:`approval_clock.plot.plot_schedule`.

        Needs matplotlib (``pip install 'approval-clock[plot]'``).

        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars
        >>> ax = Plan(stages=[Stage("a", 3)], calendar=calendars.get("CN")).schedule(
        ...     start=date(2021, 9, 29)).plot()
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['a']
        >>> matplotlib.pyplot.close(ax.figure)
        """
        from approval_clock.plot import plot_schedule

        return plot_schedule(self, ax, **kwargs)

    def _repr_html_(self) -> str:
        """The schedule as an HTML table, for notebooks (every value escaped).

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars
        >>> sched = Plan(stages=[Stage("a", 3)], calendar=calendars.get("CN")).schedule(
        ...     start=date(2021, 9, 29))
        >>> "<td>2021-10-08</td>" in sched._repr_html_()
        True
        """
        from approval_clock import _html

        return _html.schedule(self)

    def __repr__(self) -> str:
        crit = list(self.critical_path)
        shown = ", ".join(crit[:6]) + (f" and {len(crit) - 6} more" if len(crit) > 6 else "")
        name = f" {self.plan.name!r}" if self.plan.name else ""
        return (
            f"<Schedule{name} {self.start}..{self.finish}: {self.duration} working days, "
            f"{self.approval_days} approval days; critical: {shown}>"
        )


def _span(
    calendars: list[WorkCalendar], axes: list[_cpm.Axis], cal: list[int], durs: list[Duration]
) -> _cpm.Span:
    def span(i: int, s: int) -> int:
        ax = axes[cal[i]]
        # The period counts from the stage's first day: it ends on deadline(day
        # before, duration), computed here as date arithmetic then a roll forward,
        # so that a stage starting on the calendar's first day needs no day before it.
        before = date.fromordinal(ax.ordinal(s) - 1)
        d = durs[i]
        try:
            if isinstance(d, CalendarDays):
                target = before + timedelta(days=d.n)
            else:
                target = add_months(before, d.n)
            if target < calendars[cal[i]].coverage[0]:
                return s  # a period of no days
            end = calendars[cal[i]].roll_forward(target)
        except (CalendarCoverageError, ValueError, OverflowError):
            return ax.total + 2  # past the range: reported by the coverage check
        return ax.floor(end.toordinal()) + 1

    return span


def _network(plan: Plan, general: bool) -> tuple[_cpm.Network, list[WorkCalendar]]:
    key = "general" if general else "network"
    cached: tuple[_cpm.Network, list[WorkCalendar]] | None = plan._cache.get(key)
    if cached is not None:
        return cached
    calendars: list[WorkCalendar] = [plan.calendar]
    numbering: dict[WorkCalendar, int] = {plan.calendar: 0}
    cal: list[int] = []
    dur: list[int] = []
    durs: list[Duration] = []
    for stage in plan.stages:
        c = stage.calendar
        if c is None:
            cal.append(0)
        else:
            k = numbering.get(c)
            if k is None:
                k = numbering[c] = len(calendars)
                calendars.append(c)
            cal.append(k)
        d = stage.duration
        durs.append(d)
        dur.append(d.n if type(d) is WorkingDays or d.n == 0 else -1)
    axes = [_cpm.axis(c) for c in calendars]
    kinds: list[int] = []
    lags: list[int] = []
    cds: list[int] = []
    for link in plan.links:
        kinds.append(_KIND[link.kind])
        if isinstance(link.lag, CalendarDays):
            lags.append(0)
            cds.append(link.lag.n)
        else:
            lags.append(link.lag)
            cds.append(-1)
    net = _cpm.Network(
        order=list(plan._order),
        dur=dur,
        cal=cal,
        axes=axes,
        pred=list(plan._pred),
        succ=list(plan._succ),
        kind=kinds,
        lag=lags,
        cd=cds,
        span=_span(calendars, axes, cal, durs),
        general=general,
    )
    plan._cache[key] = (net, calendars)
    return net, calendars


def schedule_plan(plan: Plan, start: date, *, _general: bool = False) -> Schedule:
    """Schedule ``plan`` from ``start``; the engine behind :meth:`Plan.schedule`.

    ``_general`` forces the general (multi-calendar) passes even for a simple
    plan; the tests use it to check the two implementations against each other.
    """
    if type(start) is not date:
        raise DateTypeError(
            f"start: expected a datetime.date, got {type(start).__name__} {start!r}"
        )
    net, calendars = _network(plan, _general)
    axes, cal = net.axes, net.cal
    t0 = start.toordinal()
    for c, ax in zip(calendars, axes, strict=True):
        if not ax.first <= t0 <= ax.last:
            try:
                c.is_working_day(start)
            except CalendarCoverageError as e:
                raise CalendarCoverageError(f"plan start: {e}") from None
    es, ee, drv = _cpm.forward(net, [ax.ceil(t0) for ax in axes])
    _check_range(plan, calendars, net, es, ee)
    end = _cpm.end_instant(net, es, ee)
    ls, le = _cpm.backward(net, end, es, None, None)
    fls, _ = _cpm.backward(net, end, es, es, ee)

    sched = object.__new__(Schedule)
    set_ = object.__setattr__
    set_(sched, "plan", plan)
    set_(sched, "requested_start", start)
    for name, value in (
        ("_axes", axes),
        ("_cal", cal),
        ("_calendars", calendars),
        ("_es", es),
        ("_ee", ee),
        ("_ls", ls),
        ("_le", le),
        ("_fls", fls),
        ("_drv", drv),
        ("_topo", net.order),
        ("_cache", {}),
    ):
        set_(sched, name, value)
    _summarise(sched, plan, calendars, net, es, ee, ls, end, t0)
    return sched


def _check_range(
    plan: Plan, calendars: list[WorkCalendar], net: _cpm.Network, es: list[int], ee: list[int]
) -> None:
    axes, cal = net.axes, net.cal
    if net.simple and max(max(es), max(ee) - 1) <= axes[0].total:
        return
    for i, (c, s, e) in enumerate(zip(cal, es, ee, strict=True)):
        if max(s, e - 1) > axes[c].total:
            first, last = calendars[c].coverage
            raise CalendarCoverageError(
                f"stage {plan.stages[i].id!r} would finish after the range of calendar "
                f"{calendars[c].name!r}, which covers {first}..{last}; "
                f"{calendars[c].how_to_extend}"
            )


def _summarise(
    sched: Schedule,
    plan: Plan,
    calendars: list[WorkCalendar],
    net: _cpm.Network,
    es: list[int],
    ee: list[int],
    ls: list[int],
    end: int,
    t0: int,
) -> None:
    axes, cal = net.axes, net.cal
    pax = axes[0]
    n = len(es)
    counts = [s.counts for s in plan.stages]
    # The plan starts on the first day any of its stages could be in progress: the
    # requested start rolled forward on each stage calendar, the earliest of them.
    # It depends on the stages' calendars only, not on links or durations, so the
    # duration (start to last finish) never shrinks when a link is added or a
    # stage lengthened; with one calendar it is the first stages' start.
    used = sorted(set(cal)) if n else [0]
    start_ord = min(axes[c].ordinal(axes[c].ceil(t0)) for c in used)
    first_b = pax.ceil(start_ord)
    # Stages on the plan calendar need no conversion (the common case, and the one
    # that must be fast).
    if net.simple:
        keep = np.asarray(counts) & (np.asarray(ee) > np.asarray(es))
        intervals = (np.asarray(es)[keep], np.asarray(ee)[keep] - 1)
    else:
        los: list[int] = []
        his: list[int] = []
        for i in range(n):
            if counts[i] and ee[i] > es[i]:
                ax = axes[cal[i]]
                los.append(pax.ceil(ax.ordinal(es[i])))
                his.append(pax.floor(ax.ordinal(ee[i] - 1)))
        intervals = (np.asarray(los, dtype=np.int64), np.asarray(his, dtype=np.int64))
    finish_ord = max(end - 1, start_ord)
    if not net.simple and not pax.first <= start_ord <= finish_ord <= pax.last:
        # Stages on calendars of their own may reach past the plan calendar, on
        # which the duration and the approval clock are counted: the days there
        # are not known, and counting them as working days would be a guess.
        pc = calendars[0]
        outside = date.fromordinal(finish_ord if finish_ord > pax.last else start_ord)
        raise CalendarCoverageError(
            f"the plan's duration and approval clock are counted on its calendar "
            f"{pc.name!r}, which covers {pc.coverage[0]}..{pc.coverage[1]}, but its stages "
            f"run to {outside} on their own calendars; give the plan a calendar that covers "
            f"them (plan.with_calendar(...), with the same notices or projection)"
        )
    last_b = pax.floor(end - 1) + 1
    duration = max(0, last_b - first_b)
    approval = _union_length(intervals)
    set_ = object.__setattr__
    set_(sched, "start", date.fromordinal(start_ord))
    set_(sched, "finish", date.fromordinal(finish_ord))
    set_(sched, "duration", duration)
    set_(sched, "approval_days", approval)
    set_(sched, "calendar_days", finish_ord - start_ord + 1 if duration else 0)
    position = [0] * n
    for k, i in enumerate(net.order):
        position[i] = k
    critical = np.flatnonzero(np.asarray(ls) == np.asarray(es))
    if net.simple:
        when = np.asarray(es)[critical]
    else:
        when = np.asarray([axes[cal[i]].ordinal(es[i]) for i in critical.tolist()], dtype=np.int64)
    critical = critical[np.lexsort((np.asarray(position)[critical], when))]
    stages = plan.stages
    set_(sched, "critical_path", tuple(stages[i].id for i in critical.tolist()))
    provisional, certainty = _certainty_of(calendars, net, es, ee, finish_ord, t0)
    set_(sched, "provisional", provisional)
    set_(sched, "certainty", certainty)


def _intervals(
    axes: list[_cpm.Axis], cal: list[int], es: list[int], ee: list[int], keep: list[bool]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Closed intervals of plan-calendar working-day numbers of the kept stages."""
    pax = axes[0]
    los: list[int] = []
    his: list[int] = []
    for i, (c, s, e) in enumerate(zip(cal, es, ee, strict=True)):
        if keep[i] and e > s:
            if c == 0:
                los.append(s)
                his.append(e - 1)
            else:
                ax = axes[c]
                los.append(pax.ceil(ax.ordinal(s)))
                his.append(pax.floor(ax.ordinal(e - 1)))
    return np.asarray(los, dtype=np.int64), np.asarray(his, dtype=np.int64)


def _union_length(intervals: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]) -> int:
    """How many integers lie in the union of the closed intervals ``[lo, hi]``."""
    lo, hi = intervals
    if not len(lo):
        return 0
    order = np.argsort(lo, kind="stable")
    lo, hi = lo[order], hi[order]
    # What the earlier intervals already cover reaches up to reach[i - 1].
    reach = np.maximum.accumulate(hi)
    before = np.concatenate(([lo[0] - 1], reach[:-1]))
    return int(np.maximum(0, hi - np.maximum(lo - 1, before)).sum())


def _certainty_of(
    calendars: list[WorkCalendar],
    net: _cpm.Network,
    es: list[int],
    ee: list[int],
    finish_ord: int,
    t0: int,
) -> tuple[bool, Certainty]:
    """``(provisional, certainty)``: what the days asked about, per calendar, can claim.

    Each calendar is asked about the days from the requested start ``t0`` to its
    latest day: the latest day of its stages (the start of a milestone), and for
    the plan calendar the plan's finish. (A plan whose stages run past the plan
    calendar's range is refused before this; should a day past a calendar's range
    ever be asked about, it rests on no notice and counts as ``"projected"``.)

    Schedules are built in hot loops: when no calendar has a tentative or
    projected day, or an upper bound of the latest days (found at C speed, with
    no per-stage Python) comes before the first of them, the answer is
    ``(False, "official")`` at once.
    """
    axes, cal = net.axes, net.cal
    # No calendar's stages reach past working-day number `top` of their calendar.
    top = max(max(es), max(ee) - 1)
    if net.simple:
        lo = _certainty.first_uncertain(calendars[0])
        if lo is None:
            return False, "official"
        b = max(top, axes[0].floor(finish_ord))
        if axes[0].ordinal(b) < lo.toordinal():  # the requested start comes before too
            return False, "official"
        lows: list[date | None] = [lo]
        latest = {0: b}
    else:
        lows = [_certainty.first_uncertain(c) for c in calendars]
        # Ordinals grow with working-day numbers, so day `top` of each calendar bounds
        # its latest day; the plan calendar is also asked about the plan's finish.
        bounds = [max(ax.ordinal(top), t0) for ax in axes]
        bounds[0] = max(bounds[0], finish_ord)
        if finish_ord <= axes[0].last and all(
            lo is None or b < lo.toordinal() for b, lo in zip(bounds, lows, strict=True)
        ):
            return False, "official"
        latest = {0: axes[0].floor(finish_ord)}
        for c, s, e in zip(cal, es, ee, strict=True):
            b = max(s, e - 1)
            if b > latest.get(c, 0):
                latest[c] = b
    provisional = False
    level = 0
    start = date.fromordinal(t0)
    for c, b in latest.items():
        last = axes[c].ordinal(b)
        # Projected days sit at the end of a calendar's range: the latest day says it.
        p = calendars[c].provisional
        if p is not None and last >= p[0].toordinal():
            provisional = True
        last = max(last, t0)
        lo = lows[c]
        if last > axes[c].last:
            level = 2
        elif lo is not None and last >= lo.toordinal():
            got = calendars[c].certainty(start, date.fromordinal(last))
            level = max(level, CERTAINTIES.index(got))
    return provisional, CERTAINTIES[level]

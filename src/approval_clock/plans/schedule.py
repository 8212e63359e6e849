"""Schedules: a plan laid onto its calendars from a start date.

:meth:`approval_clock.Plan.schedule` reduces the plan to integers (working-day
numbers of each stage's calendar), runs the forward and backward passes of
:mod:`approval_clock.plans._cpm`, and returns a :class:`Schedule`: when each stage
starts and finishes, how far it could slip (total and free float), which stages
are critical, how long the whole process takes (``duration``) and how much of
that time the approval clock runs (``approval_days``).

The rules (DESIGN.md, "Scheduling"):

* A stage of ``n`` working days starting on working day ``s`` occupies
  ``[s, s + n)``: it starts on day ``s`` and finishes on day ``s + n - 1``. A stage
  of 0 days is a milestone: it takes no time. A *finish milestone* (reached when
  a predecessor finishes: placed by an FS or FF link) is dated on that
  predecessor's finish day, as MS Project and Primavera P6 show it; a *start
  milestone* (placed by the plan start, a date constraint or an SS link) is
  dated on the day its successors start.
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
  critical when its total float is 0 or less (less: a ``finish_by`` date it
  cannot meet makes it late, as Primavera P6 reports negative float).
* ``not_before`` holds a stage's start back to a date; ``actuals`` and ``as_of``
  turn a schedule into the forecast of a case in progress (see
  :meth:`approval_clock.Plan.schedule`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
import numpy.typing as npt

from approval_clock._check import check_date, check_sequence, fail_type, shown
from approval_clock._dates import add_months
from approval_clock.calendars import _certainty
from approval_clock.calendars.workcalendar import CERTAINTIES, Certainty, WorkCalendar
from approval_clock.durations import CalendarDays, Duration
from approval_clock.errors import (
    ArgumentTypeError,
    CalendarCoverageError,
    PlanError,
    UnknownStageError,
)
from approval_clock.plans import _cpm
from approval_clock.plans._cache import PerObject
from approval_clock.plans.model import (
    COUNTING_KINDS,
    DURATION_UNITS,
    STAGE_KINDS,
    Link,
    Plan,
    Stage,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from approval_clock.limits import Limits

__all__ = ["Schedule", "ScheduledStage"]

_Ints = npt.NDArray[np.int64]

Status = Literal["planned", "in progress", "done"]
HeldBy = Literal["plan start", "link", "not_before", "as_of", "actual"]
MilestoneKind = Literal["start", "finish"]

_HELD_BY: dict[int, HeldBy] = {
    _cpm.BY_START: "plan start",
    _cpm.BY_NOT_BEFORE: "not_before",
    _cpm.BY_ACTUAL: "actual",
    _cpm.BY_AS_OF: "as_of",
}
_STATUS: tuple[Status, ...] = ("planned", "in progress", "done")


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
        critical: the total float is 0 or less: any slip delays the plan (or, with
            a negative float, a ``finish_by`` date is missed already). A finished
            stage of a live schedule is never critical.
        driver: the link that fixes the start (for a started stage of a live
            schedule: the FF link that holds its finish back), or ``None``.
        working_days: working days of the plan calendar from start to finish, both
            included (0 for a milestone).
        status: ``"planned"``, or in a live schedule ``"in progress"`` or ``"done"``.
        held_by: what fixes the start: ``"link"`` (the ``driver``), ``"plan start"``,
            ``"not_before"``, ``"as_of"`` (nothing is forecast on or before the
            ``as_of`` date of a live schedule) or ``"actual"`` (an actual date).
        milestone: for a milestone, ``"finish"`` (dated on the finish day of the
            predecessor that places it) or ``"start"`` (dated on the day its
            successors start); ``None`` for other stages.

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
    status: Status = "planned"
    held_by: HeldBy = "plan start"
    milestone: MilestoneKind | None = None

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

    @property
    def calendar_days(self) -> int:
        """Calendar days from start to finish, both included (0 for a milestone)."""
        return 0 if self.stage.is_milestone else (self.finish - self.start).days + 1

    @property
    def misses_finish_by(self) -> bool:
        """True when the stage has a ``finish_by`` date and finishes after it."""
        fb = self.stage.finish_by
        return fb is not None and self.finish > fb

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
            "calendar_days": self.calendar_days,
            "counts": self.counts,
            "driver": None if self.driver is None else str(self.driver),
            "held_by": self.held_by,
            "status": self.status,
            "milestone": self.milestone,
            "not_before": self.stage.not_before,
            "finish_by": self.stage.finish_by,
        }


@attrs.frozen(init=False, eq=False, repr=False)
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
    * ``critical_path``: the ids of the critical stages, in order of start;
    * ``missed_deadlines``: the ids of the stages that finish after their
      ``finish_by`` date (their total float, and that of the stages that make
      them late, is negative);
    * ``as_of``: for a live schedule (a case in progress, see
      :meth:`approval_clock.Plan.schedule`), the day the actual dates report on.

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

    plan: Plan
    requested_start: date
    as_of: date | None
    start: date
    finish: date
    duration: int
    approval_days: int
    calendar_days: int
    provisional: bool
    certainty: Certainty
    critical_path: tuple[str, ...]
    # The schedule in integers (working-day numbers of each stage's calendar), as
    # read-only arrays; ScheduledStage objects are made from them when asked for.
    _calendars: tuple[WorkCalendar, ...]
    _axes: tuple[_cpm.Axis, ...]
    _cal: _Ints
    _es: _Ints
    _ee: _Ints
    _ls: _Ints
    _le: _Ints
    _fls: _Ints
    _drv: _Ints
    _topo: _Ints
    _phase: Mapping[int, MilestoneKind]
    _state: _Ints | None
    _actual: Mapping[int, tuple[date, date | None]]

    def __init__(self) -> None:
        raise ArgumentTypeError("Schedule objects are made by Plan.schedule(start=...)")

    def __getstate__(self) -> dict[str, Any]:
        # Its fields only: the ScheduledStage objects made so far are not pickled,
        # and an axis pickles as a reference to its calendar.
        return {a.name: getattr(self, a.name) for a in attrs.fields(Schedule)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
            object.__setattr__(self, key, value)

    # -- per stage ------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.plan.graph.ids)

    def __contains__(self, id: object) -> bool:
        return id in self.plan

    def __iter__(self) -> Iterator[ScheduledStage]:
        """The scheduled stages in topological order (every stage after its predecessors)."""
        for i in self._topo.tolist():
            yield self._stage(i)

    def __getitem__(self, id: str) -> ScheduledStage:
        """The :class:`ScheduledStage` with this id.

        Raises:
            UnknownStageError: no such stage (also a ``KeyError``).
        """
        k = self.plan.index(id) if isinstance(id, str) else None
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
        keep = _kind_mask(self.plan, _kinds(kinds))
        return _union_length(_intervals(self._axes, self._cal, self._es, self._ee, keep))

    def _date(self, i: int, k: int) -> date:
        return date.fromordinal(self._axes[self._cal[i]].ordinal(k))

    def _finish(self, i: int, s: int, e: int) -> date:
        return self._date(i, e - 1 if e > s else s)

    def _dates(self, i: int, s: int, e: int) -> tuple[date, date]:
        """Start and finish dates of stage ``i`` with boundaries ``s``, ``e``."""
        phase = self._phase.get(i) if e == s else None
        if phase == "finish":
            day = self._date(i, s - 1)
            return day, day
        if phase == "start":
            day = self._date(i, s)
            return day, day
        return self._date(i, s), self._finish(i, s, e)

    def _stage(self, i: int) -> ScheduledStage:
        made: dict[int, ScheduledStage] = _MADE.get(self).setdefault("stages", {})
        cached = made.get(i)
        if cached is not None:
            return cached
        graph = self.plan.graph
        c = int(self._cal[i])
        ax = self._axes[c]
        pax = self._axes[0]
        es, ee = int(self._es[i]), int(self._ee[i])
        ls, le = int(self._ls[i]), int(self._le[i])
        fls = int(self._fls[i])
        state = _cpm.PLANNED if self._state is None else int(self._state[i])
        if ee > es:  # not a milestone: no phase to look up
            date_of = self._date
            start, finish = date_of(i, es), date_of(i, ee - 1)
            late_start, late_finish = date_of(i, ls), date_of(i, le - 1 if le > ls else ls)
        else:
            start, finish = self._dates(i, es, ee)
            late_start, late_finish = self._dates(i, ls, le)
        if state == _cpm.PLANNED:
            base = pax.floor(ax.ordinal(es))
            total = pax.floor(ax.ordinal(ls)) - base
            free = pax.floor(ax.ordinal(fls)) - base
        elif state == _cpm.STARTED:
            # Its start is past: the floats are counted at its end.
            start = late_start = self._actual[i][0]
            base = pax.floor(ax.ordinal(ee - 1))
            total = pax.floor(ax.ordinal(ee - 1 + ls - es)) - base
            free = pax.floor(ax.ordinal(ee - 1 + fls - es)) - base
        else:
            a_start, a_finish = self._actual[i]
            start = late_start = a_start
            finish = late_finish = a_start if a_finish is None else a_finish
            total = free = 0
        d = int(self._drv[i])
        stage = graph.stage(i)
        if stage.is_milestone or ee == es:
            working = 0
        else:
            working = max(0, pax.floor(finish.toordinal()) - pax.ceil(start.toordinal()) + 1)
        out = ScheduledStage(
            stage=stage,
            calendar=self._calendars[c],
            start=start,
            finish=finish,
            late_start=late_start,
            late_finish=late_finish,
            total_float=total,
            free_float=free,
            critical=state != _cpm.DONE and ls <= es,
            driver=None if d < 0 else graph.link(d),
            working_days=working,
            status=_STATUS[state],
            held_by="link" if d >= 0 else _HELD_BY[d],
            milestone=self._phase.get(i) if stage.is_milestone else None,
        )
        made[i] = out
        return out

    @property
    def missed_deadlines(self) -> tuple[str, ...]:
        """The ids of the stages that finish after their ``finish_by`` date, in plan order.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, Link, calendars
        >>> plan = Plan(stages=[Stage("review", 10), Stage("permit", 5, finish_by=date(2021, 9, 17))],
        ...             links=[Link("review", "permit")], calendar=calendars.get("CN"))
        >>> sched = plan.schedule(start=date(2021, 9, 1))
        >>> sched.missed_deadlines, sched["permit"].finish, sched["permit"].total_float
        (('permit',), datetime.date(2021, 9, 22), -2)
        """
        cons = _constraints(self.plan)
        if cons is None:
            return ()
        ids = self.plan.graph.ids
        return tuple(ids[i] for i in cons[1] if self._stage(i).misses_finish_by)

    def calendar_days_in_progress(self, kinds: Iterable[str] = ("work", "notice")) -> int:
        """Calendar days from the first to the last day of stages of ``kinds``, overlaps once.

        The calendar-day twin of :meth:`days_in_progress`: a stage in progress
        from a Friday to the next Monday spans 4 calendar days (2 working days).

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars
        >>> sched = Plan(stages=[Stage("notice", 35, kind="notice")],
        ...              calendar=calendars.get("CN")).schedule(start=date(2021, 6, 1))
        >>> sched.days_in_progress(["notice"]), sched.calendar_days_in_progress(["notice"])
        (35, 50)
        """
        keep = _kind_mask(self.plan, _kinds(kinds))
        keep &= (self._ee > self._es) & (self.plan.graph.duration != 0)
        los: list[int] = []
        his: list[int] = []
        for i in np.flatnonzero(keep).tolist():
            s = self._stage(i)
            los.append(s.start.toordinal())
            his.append(s.finish.toordinal())
        return _union_length((np.asarray(los, dtype=np.int64), np.asarray(his, dtype=np.int64)))

    def longest_stage(self, kinds: Iterable[str] = ("notice",)) -> ScheduledStage | None:
        """The stage of ``kinds`` in progress on the most working days (first in plan order).

        The statutory-notice rule of a policy asks for one uninterrupted notice,
        not notice windows that add up: this is the stage it looks at.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, Link, calendars
        >>> plan = Plan(stages=[Stage("n1", 20, kind="notice"), Stage("n2", 20, kind="notice")],
        ...             links=[Link("n1", "n2", "SS", 15)], calendar=calendars.get("CN"))
        >>> sched = plan.schedule(start=date(2021, 6, 1))
        >>> sched.days_in_progress(["notice"]), sched.longest_stage(["notice"]).working_days
        (35, 20)
        """
        best: ScheduledStage | None = None
        for i in np.flatnonzero(_kind_mask(self.plan, _kinds(kinds))).tolist():
            s = self._stage(i)
            if best is None or s.working_days > best.working_days:
                best = s
        return best

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per stage, in topological order: ``pandas.DataFrame(records)``.

        Keys: id, name, kind, duration (short form), calendar (name), start,
        finish, late_start, late_finish, total_float, free_float, critical,
        working_days, calendar_days, counts, driver (the driving link as text, or
        None), held_by, status, milestone, not_before, finish_by.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars
        >>> rec = Plan(stages=[Stage("a", 2)], calendar=calendars.get("CN")).schedule(
        ...     start=date(2021, 8, 18)).to_records()[0]
        >>> rec["start"], rec["finish"], rec["duration"], rec["driver"]
        (datetime.date(2021, 8, 18), datetime.date(2021, 8, 19), '2wd', None)
        """
        return [s.to_record() for s in self]

    def to_arrays(self) -> dict[str, npt.NDArray[Any]]:
        """The schedule as columns of numpy arrays, one entry per stage in plan order.

        The values of :meth:`to_records` without a Python object per stage (a plan
        of 100 000 stages gives its columns in milliseconds): ``id`` (object),
        ``start``, ``finish``, ``late_start``, ``late_finish`` (``datetime64[D]``),
        ``total_float``, ``free_float``, ``working_days`` (int64), ``critical``
        (bool), ``milestone`` and ``status`` (object: as in
        :class:`ScheduledStage`), ``driver`` (the position of the driving link in
        ``plan.links``, -1 for none) and ``held_by`` (object).
        ``pandas.DataFrame(sched.to_arrays())`` is a table of the schedule.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, Link, calendars
        >>> plan = Plan(stages=[Stage("a", 3), Stage("b", 0)], links=[Link("a", "b")],
        ...             calendar=calendars.get("CN"))
        >>> cols = plan.schedule(start=date(2021, 9, 30)).to_arrays()
        >>> cols["finish"].tolist(), cols["milestone"].tolist(), cols["driver"].tolist()
        ([datetime.date(2021, 10, 9), datetime.date(2021, 10, 9)], [None, 'finish'], [-1, 0])
        """
        g = self.plan.graph
        n = len(g.ids)
        cal, es, ee, ls, le, fls = self._cal, self._es, self._ee, self._ls, self._le, self._fls
        fin = np.zeros(n, dtype=bool)
        phased = np.full(n, None, dtype=object)
        for i, ph in self._phase.items():
            if g.duration[i] == 0:
                phased[i] = ph
            fin[i] = ph == "finish"
        axes = self._axes
        pax = axes[0]

        def ordinals(k: _Ints) -> _Ints:
            return _per_calendar(axes, cal, k, lambda ax, x: ax.ordinals(x))

        def to_plan(ax: _cpm.Axis, k: _Ints) -> _Ints:
            # Day k of a stage calendar as a number of the plan calendar (floor).
            return pax.floors(ax.ordinals(k))

        def plan_days(k: _Ints, at: _Ints = cal) -> _Ints:
            return _per_calendar(axes, at, k, to_plan, same=True)

        start = ordinals(es - fin)
        finish = ordinals(np.where(ee > es, ee - 1, es - fin))
        late_start = ordinals(ls - (fin & (le == ls)))
        late_finish = ordinals(np.where(le == ls, ls - fin, np.where(le > ls, le - 1, ls)))
        base = plan_days(es)
        total = plan_days(ls) - base
        free = plan_days(fls) - base
        state = np.zeros(n, dtype=np.int64) if self._state is None else self._state
        started = np.flatnonzero(state == _cpm.STARTED)
        if len(started):
            # Its start is past: the floats are counted at its end.
            at = cal[started]
            end = ee[started] - 1
            b = plan_days(end, at)
            total[started] = plan_days(end + ls[started] - es[started], at) - b
            free[started] = plan_days(end + fls[started] - es[started], at) - b
        for i, (a_start, a_finish) in self._actual.items():
            start[i] = late_start[i] = a_start.toordinal()
            if state[i] == _cpm.DONE:
                finish[i] = late_finish[i] = (a_start if a_finish is None else a_finish).toordinal()
                total[i] = free[i] = 0
        takes_time = (g.duration != 0) & (ee != es)
        working = np.where(
            takes_time, np.maximum(0, pax.floors(finish) - (pax.floors(start - 1) + 1) + 1), 0
        )
        drv = self._drv
        held = np.full(n, "link", dtype=object)
        for code, name in _HELD_BY.items():
            held[drv == code] = name
        return {
            "id": np.asarray(g.ids, dtype=object),
            "start": _days(start),
            "finish": _days(finish),
            "late_start": _days(late_start),
            "late_finish": _days(late_finish),
            "total_float": total,
            "free_float": free,
            "working_days": working,
            "critical": (state != _cpm.DONE) & (ls <= es),
            "milestone": phased,
            "status": np.asarray(_STATUS, dtype=object)[state],
            "driver": np.maximum(drv, -1),
            "held_by": held,
        }

    def to_dict(
        self, *, calendar_refs: Mapping[WorkCalendar, str | list[str]] | None = None
    ) -> dict[str, Any]:
        """The schedule in its JSON form: what was scheduled, and what came out.

        ``plan`` (the plan's JSON form), ``start``, ``as_of`` and ``actuals`` are the
        inputs; ``figures`` and ``stages`` (one record a stage, as
        :meth:`to_records`) the results, for readers in other languages. Dates are
        ISO strings. Valid against ``approval_clock.schema("schedule")``;
        :meth:`from_dict` schedules the plan again and checks the results agree.

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, calendars
        >>> sched = Plan([Stage("a", 5)], calendar=calendars.get("CN")).schedule(date(2021, 6, 1))
        >>> d = sched.to_dict()
        >>> d["start"], d["figures"]["finish"], d["stages"][0]["working_days"]
        ('2021-06-01', '2021-06-07', 5)
        >>> Schedule.from_dict(d).to_dict() == d   # schedules compare by identity
        True
        """
        from approval_clock._toml import json_types

        ids = self.plan.graph.ids
        out: dict[str, Any] = {
            "format": 1,
            "plan": self.plan.to_dict(calendar_refs=calendar_refs),
            "start": self.requested_start.isoformat(),
        }
        if self.as_of is not None:
            out["as_of"] = self.as_of.isoformat()
        if self._actual:
            out["actuals"] = {
                ids[i]: [a.isoformat(), None if b is None else b.isoformat()]
                for i, (a, b) in sorted(self._actual.items())
            }
        out["figures"] = json_types(
            {
                "start": self.start,
                "finish": self.finish,
                "duration": self.duration,
                "approval_days": self.approval_days,
                "calendar_days": self.calendar_days,
                "certainty": self.certainty,
                "critical_path": list(self.critical_path),
                "missed_deadlines": list(self.missed_deadlines),
            }
        )
        out["stages"] = json_types(self.to_records())
        return out

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, limits: Limits | None = None, **plan_options: Any
    ) -> Schedule:
        """The schedule in ``data`` (:meth:`to_dict`): its plan scheduled again.

        The recorded results must agree with the new ones; when they do not (the
        plan's calendar has changed since, say), :class:`~approval_clock.errors.PlanError`
        names the first difference. ``plan_options`` go to :meth:`Plan.from_dict`
        (``base_dir``, ``calendar_dirs``).
        """
        from approval_clock._toml import check_same, read_form

        allowed = {"format", "plan", "start", "as_of", "actuals", "figures", "stages"}
        r, t = read_form(data, "schedule", PlanError, allowed, {"plan", "start"}, limits)
        plan = Plan.from_dict(t["plan"], limits=limits, **plan_options)
        actuals: dict[str, tuple[date, date | None]] | None = None
        if "actuals" in t:
            raw = t["actuals"]
            if not isinstance(raw, dict):
                raise r.fail(
                    "actuals", f"expected a table of stage id -> [start, finish], got {shown(raw)}"
                )
            actuals = {}
            for sid, pair in raw.items():
                at = f"actuals.{sid}"
                if not isinstance(pair, list) or len(pair) != 2:
                    raise r.fail(at, f"expected [start, finish or null], got {shown(pair)}")
                actuals[sid] = (
                    r.date(pair[0], at),
                    None if pair[1] is None else r.date(pair[1], at),
                )
        as_of = r.date(t["as_of"], "as_of") if "as_of" in t else None
        sched = plan.schedule(r.date(t["start"], "start"), actuals=actuals, as_of=as_of)
        check_same(r, t, sched.to_dict(), ("figures", "stages"))
        return sched

    def explain(self, id: str) -> str:
        """Why a stage starts when it does, naming the link that drives its start.

        A stage with a ``finish_by`` date gets a verdict line: met (with the
        working days to spare) or missed (by how many, and which stages carry
        the negative float). When the schedule is not :attr:`certainty`
        ``"official"``, a last line says what it rests on (its floats depend on
        the whole schedule).

        >>> from datetime import date
        >>> from approval_clock import Plan, Stage, Link, calendars
        >>> plan = Plan(stages=[Stage("a", 5), Stage("b", 2)], links=[Link("a", "b", "FF")],
        ...             calendar=calendars.get("CN"))
        >>> print(plan.schedule(start=date(2021, 8, 18)).explain("b"))
        'b' starts 2021-08-23 and finishes 2021-08-24 (2wd): the FF link 'a' -> 'b' (FF) holds its finish back until 'a' has finished (2021-08-24), so it starts later; total float 0 (critical), free float 0.

        Ten working days of review from Wednesday 22 September 2021 run over
        National Day to Saturday 9 October (a makeup working day); a permit of two
        days promised by 8 October is three working days late, and so is the review
        that makes it late:

        >>> late = Plan(stages=[Stage("review", 10), Stage("permit", 2, finish_by=date(2021, 10, 8))],
        ...             links=[Link("review", "permit")], calendar=calendars.get("CN"))
        >>> print(late.schedule(start=date(2021, 9, 22)).explain("permit"))
        'permit' starts 2021-10-11 and finishes 2021-10-12 (2wd): the FS link 'review' -> 'permit' (FS) starts it after 'review' finishes (2021-10-09); total float -3 (critical), free float 0.
        finish by 2021-10-08: MISSED, 3 working days late; negative float on 'review', 'permit'
        """
        s = self[id]
        head = f"{s.id!r} starts {s.start} and finishes {s.finish} ({s.duration})"
        if s.stage.is_milestone:
            kind = f"a {s.milestone} milestone" if s.milestone else "a milestone"
            head = f"{s.id!r} ({kind}) is reached on {s.start}"
        elif s.status == "done":
            head = f"{s.id!r} started {s.start} and finished {s.finish} ({s.duration} planned)"
        elif s.status == "in progress":
            head = (
                f"{s.id!r} started {s.start} and is forecast to finish {s.finish} "
                f"({s.duration} planned)"
            )
        link = s.driver
        if s.status == "done":
            why = f"these are its actual dates, as of {self.as_of}"
        elif s.status == "in progress" and link is None:
            why = (
                f"its actual start, as of {self.as_of}; it finishes when its duration from "
                f"there ends, and not before the first working day after {self.as_of}"
            )
        elif link is None:
            if s.held_by == "not_before":
                why = (
                    f"its not_before date {s.stage.not_before} holds it back, so it starts on "
                    f"the first working day of {s.calendar.name!r} on or after that date"
                )
            elif s.held_by == "as_of":
                why = (
                    f"nothing is forecast on or before as_of {self.as_of}, so it starts on the "
                    f"first working day of {s.calendar.name!r} after it"
                )
            else:
                why = (
                    f"nothing holds it back, so it starts on the first working day of "
                    f"{s.calendar.name!r} on or after the plan start {self.requested_start}"
                )
        else:
            p = self[link.predecessor]
            lag = "" if link.lag == 0 else f" with a lag of {link.lag}"
            if s.status == "in progress":
                why = (
                    f"it started {s.start} (actual), and the FF link {link} holds its finish "
                    f"back until {p.id!r} has finished ({p.finish}){lag}"
                )
            elif link.kind == "FS":
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
        if s.status == "done":
            text = f"{head}: {why}."
        else:
            crit = " (critical)" if s.critical else ""
            text = f"{head}: {why}; total float {s.total_float}{crit}, free float {s.free_float}."
        lines = [text]
        verdict = self._finish_by_line(s)
        if verdict is not None:
            lines.append(verdict)
        note = _certainty.line(self.certainty)
        if note is not None:
            lines.append(note)
        return "\n".join(lines)

    def _finish_by_line(self, s: ScheduledStage) -> str | None:
        fb = s.stage.finish_by
        if fb is None:
            return None
        pax = self._axes[0]
        # Working days of the plan calendar between the finish and the date.
        gap = pax.floor(fb.toordinal()) - pax.floor(s.finish.toordinal())
        if not s.misses_finish_by:
            spare = "" if s.status == "done" else f", {gap} working days to spare"
            return f"finish by {fb}: met{spare}"
        late = -gap if gap < 0 else 0
        days = f"{late} working day{'s' if late != 1 else ''} late" if late else "late"
        carriers = [t.id for t in self if t.status != "done" and t.total_float < 0]
        where = f"; negative float on {', '.join(map(repr, carriers))}" if carriers else ""
        return f"finish by {fb}: MISSED, {days}{where}"

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Draw the schedule as a Gantt chart; see :func:`approval_clock.plot.plot_schedule`.

        Needs matplotlib (``pip install matplotlib (the 'plot' extra; see docs/install.md)``).

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


def _kinds(kinds: Iterable[str]) -> set[str]:
    if isinstance(kinds, str):
        raise PlanError(f"kinds: expected a list of stage kinds such as ['notice'], got {kinds!r}")
    items: list[object] = check_sequence(
        kinds, "kinds", what="a list of stage kinds such as ['notice']"
    )
    wanted: set[str] = set()
    for k in items:
        if not isinstance(k, str):
            raise fail_type("kinds", "a list of stage kinds such as ['notice']", items)
        wanted.add(k)
    unknown = wanted - set(STAGE_KINDS)
    if unknown:
        raise PlanError(
            f"kinds: unknown stage kind {sorted(unknown, key=str)[0]!r}; expected some of "
            f"{', '.join(repr(k) for k in STAGE_KINDS)}"
        )
    return wanted


def _kind_mask(plan: Plan, wanted: set[str] | frozenset[str]) -> npt.NDArray[np.bool_]:
    """Which stages are of one of the ``wanted`` kinds."""
    table = np.asarray([name in wanted for name in STAGE_KINDS])
    return table[plan.graph.kind]


def _span(
    calendars: list[WorkCalendar],
    axes: list[_cpm.Axis],
    cal: list[int],
    durs: Mapping[int, Duration],
) -> _cpm.Span:
    def span(i: int, s: int) -> int:
        ax = axes[cal[i]]
        # The period counts from the stage's first day: it ends on deadline(day
        # before, duration), computed here as date arithmetic then a roll forward,
        # so that a stage starting on the calendar's first day needs no day before it.
        d = durs[i]
        try:
            # A start pushed past 9999-12-31 (a huge lag) has no date at all.
            before = date.fromordinal(ax.ordinal(s) - 1)
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


# What scheduling derives from a plan alone (its integer network, the indices of
# its constrained stages and milestones), kept beside the frozen plan for as long
# as it lives, so that scheduling one plan from many starts does that work once;
# and the ScheduledStage objects a schedule has made.
_DERIVED = PerObject()
_MADE = PerObject()


def _network(plan: Plan, general: bool = False) -> tuple[_cpm.Network, list[WorkCalendar]]:
    derived = _DERIVED.get(plan)
    key = "general" if general else "network"
    cached: tuple[_cpm.Network, list[WorkCalendar]] | None = derived.get(key)
    if cached is not None:
        return cached
    g = plan.graph
    calendars: list[WorkCalendar] = [plan.calendar]
    numbering: dict[WorkCalendar, int] = {plan.calendar: 0}
    codes: list[int] = []
    for c in g.calendars:  # equal calendars are one calendar of the network
        k = numbering.get(c)
        if k is None:
            k = numbering[c] = len(calendars)
            calendars.append(c)
        codes.append(k)
    own = g.calendar >= 0
    cal = np.zeros(len(g.ids), dtype=np.int64)
    if codes:
        cal[own] = np.asarray(codes, dtype=np.int64)[g.calendar[own]]
    in_days = (g.unit == 0) | (g.duration == 0)
    dur = np.where(in_days, g.duration, -1)
    durs: dict[int, Duration] = {
        i: DURATION_UNITS[g.unit[i]](int(g.duration[i])) for i in np.flatnonzero(~in_days).tolist()
    }
    axes = [_cpm.axis(c) for c in calendars]
    by_days = g.lag_unit == 1
    net = _cpm.Network(
        order=g.order,
        level=g.level,
        dur=dur,
        cal=cal,
        axes=axes,
        pred=g.predecessor,
        succ=g.successor,
        kind=g.link_kind.astype(np.int64),
        lag=np.where(by_days, 0, g.lag),
        cd=np.where(by_days, g.lag, -1),
        span=_span(calendars, axes, cal.tolist() if durs else [], durs),
        general=general,
    )
    derived[key] = (net, calendars)
    return net, calendars


def _constraints(plan: Plan) -> tuple[list[int], list[int]] | None:
    """Indices of the stages with ``not_before`` and with ``finish_by`` (cached), or None."""
    derived = _DERIVED.get(plan)
    if "constraints" in derived:
        cached: tuple[list[int], list[int]] | None = derived["constraints"]
        return cached
    g = plan.graph
    nb: list[int] = np.flatnonzero(~np.isnat(g.not_before)).tolist()
    fb: list[int] = np.flatnonzero(~np.isnat(g.finish_by)).tolist()
    out = (nb, fb) if nb or fb else None
    derived["constraints"] = out
    return out


def _milestones(plan: Plan, net: _cpm.Network) -> list[int]:
    """The milestones, in topological order (cached)."""
    derived = _DERIVED.get(plan)
    cached: list[int] | None = derived.get("milestones")
    if cached is None:
        order = net.order_a
        cached = order[net.dur_a[order] == 0].tolist()
        derived["milestones"] = cached
    return cached


def _phases(
    plan: Plan,
    net: _cpm.Network,
    es: list[int],
    ee: list[int],
    drv: list[int],
    lowest: list[int] | None,
    first: list[int],
    reached_at_end: set[int] | frozenset[int] = frozenset(),
) -> dict[int, MilestoneKind]:
    """Whether each milestone is a start or a finish milestone.

    A milestone is an instant between two working days; which of the two it is
    dated on depends on what places it. Placed by a stage's finish (an FS or FF
    link from a stage that takes time), it is the end of that stage's last day
    (plus the lag): a *finish* milestone, dated on the day before its boundary.
    Placed by a start (the plan start, a date constraint, an SS link), it is the
    start of a day: a *start* milestone, dated on its boundary. Placed by another
    milestone, it is that milestone's instant (moved by the lag): the same kind.
    When a start and a finish place it together, the start wins (as clock times:
    the start of Tuesday comes after the end of Monday); in particular a milestone
    whose lowest allowed start binds is a start milestone, so that no milestone is
    dated before the plan start or its ``not_before``. Across calendars, a
    milestone whose calendar does not work on the day its FS predecessor finishes
    waits for its next working day, as in MS Project: a start milestone. A
    milestone reached in a live schedule is dated on its actual day.
    """
    out: dict[int, MilestoneKind] = {}
    net.lists()
    pred, kind, dur, cal = net.pred, net.kind, net.dur, net.cal
    for j in _milestones(plan, net):
        d = drv[j]
        if d == _cpm.BY_ACTUAL:
            # Reached at the start or the end of its actual day (see _live_bounds).
            out[j] = "finish" if j in reached_at_end else "start"
            continue
        low = first[cal[j]] if lowest is None else lowest[j]
        if d < 0 or es[j] <= low:
            out[j] = "start"
            continue
        # The start of a day comes after the end of the day before: when a start
        # and a finish bind together, the milestone is at the start.
        phase: MilestoneKind = "finish"
        for k in _cpm.binding_links(net, j, es, ee):
            i = pred[k]
            if dur[i] == 0:
                this = out.get(i, "start")
            elif kind[k] == _cpm.SS or _cpm.waits_for_its_calendar(net, k, ee):
                this = "start"
            else:
                this = "finish"
            if this == "start":
                phase = "start"
                break
        out[j] = phase
    return out


def _live_bounds(
    plan: Plan,
    net: _cpm.Network,
    calendars: list[WorkCalendar],
    start: date,
    actuals: Mapping[str, tuple[date, date | None]] | None,
    as_of: date | None,
) -> tuple[list[int], list[int], list[int], dict[int, tuple[date, date | None]], set[int]]:
    """``(state, fixed_start, fixed_end, actual dates, milestones reached at the end
    of their day)`` of a live schedule, checked."""
    n = net.n
    state = [_cpm.PLANNED] * n
    fixed_s = [0] * n
    fixed_e = [0] * n
    actual: dict[int, tuple[date, date | None]] = {}
    if actuals is None:
        return state, fixed_s, fixed_e, actual, set()
    if not isinstance(actuals, Mapping):
        raise ArgumentTypeError(
            f"actuals: expected a mapping of stage id -> (actual start, actual finish or "
            f"None), got {type(actuals).__name__}"
        )
    if actuals and as_of is None:
        raise PlanError(
            "actuals: give as_of=date, the last day the actual dates report on (a stage "
            "without an actual finish is still open on that day)"
        )
    net.lists()
    axes, cal = net.axes, net.cal
    ids = plan.graph.ids
    for sid, value in actuals.items():
        i = plan.index(sid) if isinstance(sid, str) else None
        if i is None:
            raise UnknownStageError(
                f"actuals: no stage {sid!r} in the plan; the stages are "
                f"{', '.join(repr(s) for s in ids[:8])}"
                + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
            )
        where = f"actuals[{ids[i]!r}]"
        if not isinstance(value, tuple) or len(value) != 2:
            raise PlanError(
                f"{where}: expected (actual start, actual finish or None), got "
                f"{type(value).__name__} {value!r}"
            )
        a_start = check_date(value[0], f"{where}: actual start")
        a_finish = None if value[1] is None else check_date(value[1], f"{where}: actual finish")
        assert as_of is not None
        if a_start < start:
            raise PlanError(f"{where}: actual start {a_start} is before the plan start {start}")
        if a_start > as_of:
            raise PlanError(
                f"{where}: actual start {a_start} is after as_of {as_of}; a stage that has "
                f"not started by then has no actual dates yet"
            )
        if a_finish is not None and a_finish < a_start:
            raise PlanError(
                f"{where}: actual finish {a_finish} is before the actual start {a_start}"
            )
        if a_finish is not None and a_finish > as_of:
            raise PlanError(f"{where}: actual finish {a_finish} is after as_of {as_of}")
        c = cal[i]
        ax = axes[c]
        for day in (a_start, a_finish):
            if day is not None and not ax.first <= day.toordinal() <= ax.last:
                try:
                    calendars[c].is_working_day(day)
                except CalendarCoverageError as e:
                    raise CalendarCoverageError(f"{where}: {e}") from None
        if net.dur[i] == 0:
            # A milestone reached on a day; whether at its start or its end is
            # decided below, once the other actual dates are known.
            state[i] = _cpm.DONE
            actual[i] = (a_start, a_start)
            continue
        s0 = ax.ceil(a_start.toordinal())
        if a_finish is not None:
            state[i], fixed_s[i] = _cpm.DONE, s0
            fixed_e[i] = max(s0, ax.floor(a_finish.toordinal()) + 1)
        else:
            d = net.dur[i]
            planned = s0 + d if d >= 0 else net.span(i, s0)
            # Still open on as_of: it finishes on a working day after it at the earliest.
            state[i], fixed_s[i] = _cpm.STARTED, s0
            fixed_e[i] = max(planned, ax.floor(as_of.toordinal()) + 2)
        actual[i] = (a_start, a_finish)
    # A milestone reached on a day is at the end of that day when it waits for the
    # finish of something (an FS or FF link from a stage that takes time, or from
    # a milestone that does), as the plan would date it; otherwise (SS links only,
    # or none: "accepted") at the start of its day. In topological order.
    net.lists()
    finish_kind: set[int] = set()
    waits: set[int] = set()
    for i in net.order:
        if net.dur[i] != 0:
            continue
        if any(
            net.kind[k] != _cpm.SS and (net.dur[net.pred[k]] != 0 or net.pred[k] in waits)
            for k in net.ins[i]
        ):
            waits.add(i)
        if i not in actual:
            continue
        day = actual[i][0]
        ax = axes[cal[i]]
        at_end = i in waits
        if at_end:
            finish_kind.add(i)
            b = ax.floor(day.toordinal()) + 1
        else:
            b = ax.ceil(day.toordinal())
        fixed_s[i] = fixed_e[i] = b
    return state, fixed_s, fixed_e, actual, finish_kind


def schedule_plan(
    plan: Plan,
    start: date,
    *,
    actuals: Mapping[str, tuple[date, date | None]] | None = None,
    as_of: date | None = None,
) -> Schedule:
    """Schedule ``plan`` from ``start``; the engine behind :meth:`Plan.schedule`.

    >>> from approval_clock import Plan, Stage, calendars
    >>> schedule_plan(Plan([Stage("a", 2)], calendar=calendars.get("CN")),
    ...               date(2021, 9, 30)).finish
    datetime.date(2021, 10, 8)
    """
    return _schedule(plan, start, actuals=actuals, as_of=as_of)


def _schedule(
    plan: Plan,
    start: date,
    *,
    actuals: Mapping[str, tuple[date, date | None]] | None = None,
    as_of: date | None = None,
    general: bool = False,
) -> Schedule:
    """:func:`schedule_plan`; ``general`` forces the general (multi-calendar) passes
    even for a simple plan (the tests check the two against each other)."""
    check_date(start, "start")
    if as_of is not None:
        check_date(as_of, "as_of")
    net, calendars = _network(plan, general)
    axes = net.axes
    t0 = start.toordinal()
    for c, ax in zip(calendars, axes, strict=True):
        if not ax.first <= t0 <= ax.last:
            try:
                c.is_working_day(start)
            except CalendarCoverageError as e:
                raise CalendarCoverageError(f"plan start: {e}") from None
    first = [ax.ceil(t0) for ax in axes]
    cons = _constraints(plan)
    bounded = cons is not None or actuals is not None or as_of is not None
    state: list[int] | None = None
    actual: dict[int, tuple[date, date | None]] = {}
    reached_at_end: set[int] = set()
    es: _cpm.Bounds
    ee: _cpm.Bounds
    drv: _cpm.Bounds
    if not bounded:
        es, ee, drv = _cpm.forward(net, first)
        lowest: list[int] | None = None
    else:
        if as_of is not None and not axes[0].first <= as_of.toordinal() <= axes[0].last:
            try:
                calendars[0].is_working_day(as_of)
            except CalendarCoverageError as e:
                raise CalendarCoverageError(f"as_of: {e}") from None
        lowest, why = _lowest_starts(plan, net, first, as_of)
        live = actuals is not None or as_of is not None
        if live:
            state, fixed_s, fixed_e, actual, reached_at_end = _live_bounds(
                plan, net, calendars, start, actuals, as_of
            )
            es, ee, drv = _cpm.forward_bounded(net, lowest, why, state, fixed_s, fixed_e)
        else:
            es, ee, drv = _cpm.forward_bounded(net, lowest, why)
    es_a = np.asarray(es, dtype=np.int64)
    ee_a = np.asarray(ee, dtype=np.int64)
    phase = (
        _phases(plan, net, _listed(es), _listed(ee), _listed(drv), lowest, first, reached_at_end)
        if _milestones(plan, net)
        else {}
    )
    _check_range(plan, calendars, net, es_a, ee_a)
    end = _cpm.end_instant(net, es_a, ee_a)
    if not bounded:
        ls, le = _cpm.backward(net, end, es, None, None)
        fls = _cpm.free_float_starts(net, end, es_a, ee_a)
    else:
        es_l, ee_l = _listed(es), _listed(ee)
        latest = _latest_ends(plan, net, phase) if cons is not None and cons[1] else None
        ls, le = _cpm.backward_bounded(net, end, es_l, ee_l, None, None, latest, state)
        fls = _cpm.free_float_starts(net, end, es_a, ee_a, state, bounded=True)
    ls_a = np.asarray(ls, dtype=np.int64)
    state_a = None if state is None else _frozen(np.asarray(state, dtype=np.int64))
    summary = _summarise(plan, calendars, net, es_a, ee_a, ls_a, end, t0, state_a, phase)
    sched = object.__new__(Schedule)
    sched.__attrs_init__(
        plan,
        start,
        as_of,
        *summary,
        tuple(calendars),
        tuple(axes),
        _frozen(net.cal_a),
        _frozen(es_a),
        _frozen(ee_a),
        _frozen(ls_a),
        _frozen(np.asarray(le, dtype=np.int64)),
        _frozen(np.asarray(fls, dtype=np.int64)),
        _frozen(np.asarray(drv, dtype=np.int64)),
        _frozen(net.order_a),
        phase,
        state_a,
        actual,
    )
    return sched


def _per_calendar(
    axes: Sequence[_cpm.Axis],
    cal: _Ints,
    k: _Ints,
    f: Callable[[_cpm.Axis, _Ints], _Ints],
    *,
    same: bool = False,
) -> _Ints:
    """``f(axis, k)`` for the stages of each calendar; ``same``: ``f`` is the identity
    on the plan calendar (a plan-calendar number as a plan-calendar number)."""
    if not cal.any():  # every stage on the plan calendar: the usual case
        return k.copy() if same else f(axes[0], k)
    out = np.empty(len(k), dtype=np.int64)
    for c in np.unique(cal).tolist():
        sel = cal == c
        out[sel] = k[sel] if same and c == 0 else f(axes[c], k[sel])
    return out


def _days(ordinals: _Ints) -> npt.NDArray[np.datetime64]:
    return (ordinals - _EPOCH).astype("datetime64[D]")


_EPOCH = date(1970, 1, 1).toordinal()


def _listed(values: _cpm.Bounds) -> list[int]:
    if isinstance(values, list):
        return values
    out: list[int] = values.tolist()
    return out


def _frozen(a: _Ints) -> _Ints:
    if a.flags.writeable:
        a.flags.writeable = False
    return a


def _lowest_starts(
    plan: Plan, net: _cpm.Network, first: list[int], as_of: date | None
) -> tuple[list[int], list[int]]:
    """Per stage the lowest start boundary and what sets it (plan start, not_before, as_of)."""
    axes, cal = net.axes, net.cal_a
    lowest_a = np.asarray(first, dtype=np.int64)[cal]
    why_a = np.full(net.n, _cpm.BY_START, dtype=np.int64)
    if as_of is not None:
        after = np.asarray([ax.floor(as_of.toordinal()) + 1 for ax in axes], dtype=np.int64)[cal]
        later = after > lowest_a
        lowest_a = np.where(later, after, lowest_a)
        why_a[later] = _cpm.BY_AS_OF
    lowest: list[int] = lowest_a.tolist()
    why: list[int] = why_a.tolist()
    not_before = plan.graph.not_before
    cons = _constraints(plan)
    for i in cons[0] if cons is not None else ():
        nb = not_before[i].astype(date)
        b = axes[int(cal[i])].ceil(nb.toordinal())
        # A not_before on or before the plan start changes nothing; one on the day
        # after as_of is named, being the stage's own.
        if b > lowest[i] or (b == lowest[i] and why[i] == _cpm.BY_AS_OF):
            lowest[i], why[i] = b, _cpm.BY_NOT_BEFORE
    return lowest, why


def _latest_ends(
    plan: Plan, net: _cpm.Network, phase: Mapping[int, MilestoneKind]
) -> list[int | None]:
    """Per stage the highest end boundary its ``finish_by`` allows (``None``: no date)."""
    cons = _constraints(plan)
    assert cons is not None
    latest: list[int | None] = [None] * net.n
    axes, cal = net.axes, net.cal_a
    finish_by = plan.graph.finish_by
    for i in cons[1]:
        fb = finish_by[i].astype(date)
        b = axes[int(cal[i])].floor(fb.toordinal())
        # The stage's last day (a finish milestone's date) on or before the date; a
        # start milestone is dated on its boundary itself.
        latest[i] = b if phase.get(i) == "start" else b + 1
    return latest


def _check_range(
    plan: Plan, calendars: list[WorkCalendar], net: _cpm.Network, es: _Ints, ee: _Ints
) -> None:
    axes, cal = net.axes, net.cal_a
    top = np.maximum(es, ee - 1)
    if net.simple and int(top.max()) <= axes[0].total:
        return
    totals = np.asarray([ax.total for ax in axes], dtype=np.int64)[cal]
    past = top > totals
    if past.any():
        i = int(np.argmax(past))
        c = int(cal[i])
        first, last = calendars[c].coverage
        raise CalendarCoverageError(
            f"stage {plan.graph.ids[i]!r} would finish after the range of calendar "
            f"{calendars[c].name!r}, which covers {first}..{last}; "
            f"{calendars[c].how_to_extend}"
        )


def _on_plan_calendar(axes: Sequence[_cpm.Axis], cal: _Ints, k: _Ints, *, up: bool) -> _Ints:
    """Working-day numbers ``k`` of each stage's calendar as numbers of the plan's:
    the first plan working day on or after that day (``up``), else the last one
    on or before it."""
    pax = axes[0]
    out = k.copy()
    for c in np.unique(cal).tolist():
        if c == 0:
            continue
        sel = cal == c
        t = axes[c].ordinals(k[sel])
        out[sel] = pax.floors(t - 1) + 1 if up else pax.floors(t)
    return out


def _summarise(
    plan: Plan,
    calendars: list[WorkCalendar],
    net: _cpm.Network,
    es: _Ints,
    ee: _Ints,
    ls: _Ints,
    end: int,
    t0: int,
    state: _Ints | None,
    phase: Mapping[int, MilestoneKind],
) -> tuple[date, date, int, int, int, bool, Certainty, tuple[str, ...]]:
    """``(start, finish, duration, approval_days, calendar_days, provisional,
    certainty, critical_path)`` of a schedule."""
    axes, cal = net.axes, net.cal_a
    pax = axes[0]
    n = len(es)
    # The plan starts on the first day any of its stages could be in progress: the
    # requested start rolled forward on each stage calendar, the earliest of them.
    # It depends on the stages' calendars only, not on links or durations, so the
    # duration (start to last finish) never shrinks when a link is added or a
    # stage lengthened; with one calendar it is the first stages' start.
    used = [0] if net.simple else np.unique(cal).tolist()
    start_ord = min(axes[c].ordinal(axes[c].ceil(t0)) for c in used)
    first_b = pax.ceil(start_ord)
    keep = _kind_mask(plan, COUNTING_KINDS)
    intervals = _intervals(axes, cal, es, ee, keep)
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
    position = np.empty(n, dtype=np.int64)
    position[net.order_a] = np.arange(n, dtype=np.int64)
    # Critical: no float left, or less (a finish_by date missed); never a stage done.
    crit = ls <= es
    if state is not None:
        crit &= state != _cpm.DONE
    critical = np.flatnonzero(crit)
    # In order of start: the day each is dated on (a finish milestone on the day
    # before its boundary), then the instant, then the topological order.
    at = es[critical]
    day = at
    if phase:
        fin = np.zeros(n, dtype=np.int64)
        fin[[i for i, p in phase.items() if p == "finish"]] = 1
        day = at - fin[critical]
    if not net.simple:
        cc = cal[critical]
        at = _per_calendar(axes, cc, at, lambda ax, x: ax.ordinals(x))
        day = _per_calendar(axes, cc, day, lambda ax, x: ax.ordinals(x))
    critical = critical[np.lexsort((position[critical], at, day))]
    ids = plan.graph.ids
    provisional, certainty = _certainty_of(calendars, net, es, ee, finish_ord, t0)
    return (
        date.fromordinal(start_ord),
        date.fromordinal(finish_ord),
        duration,
        approval,
        finish_ord - start_ord + 1 if duration else 0,
        provisional,
        certainty,
        tuple([ids[i] for i in critical.tolist()]),
    )


def _intervals(
    axes: Sequence[_cpm.Axis],
    cal: _Ints,
    es: _Ints,
    ee: _Ints,
    keep: npt.NDArray[np.bool_],
) -> tuple[_Ints, _Ints]:
    """Closed intervals of plan-calendar working-day numbers of the kept stages."""
    keep = keep & (ee > es)
    c = cal[keep]
    lo, hi = es[keep], ee[keep] - 1
    if len(c) and int(c.max()) > 0:
        lo = _on_plan_calendar(axes, c, lo, up=True)
        hi = _on_plan_calendar(axes, c, hi, up=False)
    return lo, hi


def _union_length(intervals: tuple[_Ints, _Ints]) -> int:
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
    es: _Ints,
    ee: _Ints,
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
    axes, cal = net.axes, net.cal_a
    tops = np.maximum(es, ee - 1)
    # No calendar's stages reach past working-day number `top` of their calendar.
    top = int(tops.max())
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
        for c in np.unique(cal).tolist():
            b = int(tops[cal == c].max())
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

"""Plans: approval stages and the links between them, validated on construction.

An approval process is a graph. A :class:`Stage` is one step (an application
examined by one office, a statutory public notice, the applicant's own work);
a :class:`Link` says how one stage waits for another: finish-to-start (``FS``),
start-to-start (``SS``) or finish-to-finish (``FF``), each with a lag. A
:class:`Plan` holds both and a working-day calendar. Reforms are written as
changes to a plan (``replace_stage``, ``with_link``, ``without_link``), which
return new plans: a plan never changes once built.

Stage ids are text in Unicode normal form NFC (``"é"`` typed either way is one
id), and an id that mixes letters of look-alike scripts (Latin, Greek,
Cyrillic, fullwidth Latin: ``"rеview"`` with a Cyrillic ``е``) is refused, since
it would print exactly like another id. The reprs of :class:`Stage`,
:class:`Link` and :class:`Plan` are short and evaluate back to equal objects
(with ``datetime`` and these names imported), so a failing example that
hypothesis prints can be pasted into a test.

Scheduling a plan from a start date gives a :class:`~approval_clock.Schedule`
(:mod:`approval_clock.plans.schedule`); plans are read from and written to TOML files
by :mod:`approval_clock.plans._file`. ``docs/plans.md`` explains the model.

>>> from datetime import date
>>> from approval_clock import Plan, Stage, Link, calendars
>>> plan = Plan(
...     stages=[Stage("apply", 5), Stage("review", 10)],
...     links=[Link("apply", "review")],
...     calendar=calendars.get("CN"),
... )
>>> plan.schedule(start=date(2021, 8, 18)).duration   # serial: 5 + 10 working days
15
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from approval_clock._dates import describe_value as shown
from approval_clock.calendars.workcalendar import WorkCalendar
from approval_clock.durations import (
    MAX_DURATION,
    CalendarDays,
    CalendarMonths,
    Duration,
    WorkingDays,
    parse_duration,
)
from approval_clock.errors import (
    ApprovalClockError,
    CycleError,
    DurationError,
    PlanError,
    UnknownStageError,
)
from approval_clock.plans import _cpm

if TYPE_CHECKING:
    from approval_clock.limits import Limits
    from approval_clock.plans.schedule import Schedule

__all__ = ["COUNTING_KINDS", "LINK_KINDS", "STAGE_KINDS", "Link", "Plan", "Stage", "normalize_id"]

StageKind = Literal["work", "notice", "applicant", "special"]
LinkKind = Literal["FS", "SS", "FF"]

STAGE_KINDS: Final = ("work", "notice", "applicant", "special")
"""Stage kinds: ``work`` (an office examines), ``notice`` (statutory public notice),
``applicant`` (the applicant's own work) and ``special`` (特别程序: hearings, expert
review, inspection — not counted in the statutory time limit, ALA art. 45)."""

COUNTING_KINDS: Final = frozenset({"work", "notice"})
"""The stage kinds that count on the approval clock."""

LINK_KINDS: Final = ("FS", "SS", "FF")
"""Link kinds: finish-to-start, start-to-start, finish-to-finish."""


# Scripts whose letters look alike: an id mixing two of them prints like an id
# in one script ("rеview" with a Cyrillic е looks exactly like "review").
_LOOKALIKE_SCRIPTS: Final = {
    "LATIN": "Latin",
    "GREEK": "Greek",
    "CYRILLIC": "Cyrillic",
    "FULLWIDTH": "fullwidth Latin",
}


def _script(ch: str) -> str | None:
    if ch < "\x80":
        return "Latin" if ch.isalpha() else None
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    return _LOOKALIKE_SCRIPTS.get(name.partition(" ")[0])


def normalize_id(value: object, where: str = "stage id") -> str:
    """A stage id as the library keeps it: NFC text, letters of one look-alike script.

    ``where`` names the place in messages. ASCII ids are returned as they are.

    Raises:
        PlanError: not a non-empty string, or letters of two look-alike scripts
            (the message shows the id escaped, so that the odd letter can be seen).

    >>> normalize_id("e\\u0301tude") == "\\u00e9tude"      # NFD in, NFC out
    True
    >>> normalize_id("规划许可_permit")                    # Chinese and Latin: no look-alikes
    '规划许可_permit'
    >>> normalize_id("r\\u0435view")
    Traceback (most recent call last):
    ...
    approval_clock.errors.PlanError: stage id 'r\\u0435view' mixes Latin and Cyrillic letters (U+0435 CYRILLIC SMALL LETTER IE at position 1), so it would look like another id; write it in one script
    """
    if not isinstance(value, str) or not value.strip():
        raise PlanError(f"{where}: expected a non-empty string, got {shown(value)}")
    if value.isascii():
        return value
    text = unicodedata.normalize("NFC", value)
    first: tuple[str, int] | None = None
    for k, ch in enumerate(text):
        script = _script(ch)
        if script is None:
            continue
        if first is None:
            first = (script, k)
        elif script != first[0]:
            raise PlanError(
                f"{where} {text!a} mixes {first[0]} and {script} letters "
                f"(U+{ord(ch):04X} {unicodedata.name(ch, '?')} at position {k}), so it would "
                f"look like another id; write it in one script"
            )
    return text


def _lookup_id(value: str) -> str:
    # What a look-up by id compares: the NFC form (a look-up never raises on odd text).
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def _calendar_repr(calendar: WorkCalendar) -> str:
    """``calendars.get('CN')`` when that gives the calendar back, else its plain repr."""
    from approval_clock import calendars

    code = calendar.code
    if code is not None:
        try:
            if calendars.get(code) == calendar:
                return f"calendars.get({code!r})"
        except (ApprovalClockError, ValueError, TypeError, LookupError):
            pass
    return repr(calendar)


def _duration_repr(d: Duration) -> str:
    return str(d.n) if type(d) is WorkingDays else repr(str(d))


def _optional_date(value: object, where: str) -> date | None:
    if value is None or type(value) is date:
        return value
    raise PlanError(f"{where}: expected a datetime.date or None, got {shown(value)}")


def _duration(value: object, where: str) -> Duration:
    if isinstance(value, (WorkingDays, CalendarDays, CalendarMonths)):
        return value
    if type(value) is int:
        if value < 0:
            raise PlanError(f"{where}: expected a whole number of days >= 0, got {value}")
        return WorkingDays(value)
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except DurationError as e:
            raise PlanError(f"{where}: {e}") from None
    raise PlanError(
        f"{where}: expected a whole number of working days, WorkingDays, CalendarDays, "
        f"CalendarMonths or a short form such as '20wd', got {shown(value)}"
    )


@attrs.frozen(init=False, repr=False)
class Stage:
    """One step of an approval process.

    Args:
        id: a unique identifier within the plan (``"planning_permit"``), kept in
            Unicode normal form NFC; an id mixing look-alike scripts is refused
            (see :func:`normalize_id`).
        duration: an int (working days), ``WorkingDays``, ``CalendarDays`` or
            ``CalendarMonths``, or a short form (``"35wd"``, ``"20cd"``, ``"3mo"``).
            0 makes the stage a milestone.
        name: a display name (``"建设工程规划许可证"``).
        kind: ``"work"`` (the default), ``"notice"``, ``"applicant"`` or ``"special"``;
            ``work`` and ``notice`` count on the approval clock (see :data:`STAGE_KINDS`).
        calendar: a calendar for this stage instead of the plan's (a joint stage of
            two jurisdictions: ``cn & hk``).
        not_before: the stage starts no earlier than this date (start no earlier
            than: the land listing date, the day a committee meets).
        finish_by: the stage should finish no later than this date (a statutory or
            promised deadline). A schedule that cannot meet it is not refused: the
            stage and the stages that make it late get a negative total float, as
            Primavera P6 reports it, and ``Schedule.explain`` says by how much.

    Raises:
        PlanError: a value is invalid; the message names the stage and the field.

    The repr is short and evaluates back to an equal stage:

    >>> Stage("notice", "35wd", kind="notice")
    Stage('notice', 35, kind='notice')
    >>> Stage("design", 10).is_milestone, Stage("issued", 0).is_milestone
    (False, True)
    >>> Stage("permit", 5, finish_by=date(2021, 9, 30))
    Stage('permit', 5, finish_by=datetime.date(2021, 9, 30))
    """

    id: str
    duration: Duration
    name: str
    kind: StageKind
    calendar: WorkCalendar | None
    not_before: date | None
    finish_by: date | None

    def __init__(
        self,
        id: str,
        duration: int | Duration | str,
        *,
        name: str = "",
        kind: StageKind = "work",
        calendar: WorkCalendar | None = None,
        not_before: date | None = None,
        finish_by: date | None = None,
    ) -> None:
        # Plans of 100 000 stages are built from frames: plain ASCII ids and int
        # durations take the short way.
        if type(id) is not str or not id.isascii() or not id.strip():
            id = normalize_id(id)
        dur = (
            WorkingDays(duration)
            if type(duration) is int and duration >= 0
            else _duration(duration, f"stage {id!r}: duration")
        )
        if type(name) is not str and not isinstance(name, str):
            raise PlanError(f"stage {id!r}: name: expected a string, got {shown(name)}")
        if kind not in STAGE_KINDS:
            raise PlanError(
                f"stage {id!r}: kind: expected one of {', '.join(map(repr, STAGE_KINDS))}, "
                f"got {shown(kind)}"
            )
        if calendar is not None and not isinstance(calendar, WorkCalendar):
            raise PlanError(
                f"stage {id!r}: calendar: expected a WorkCalendar or None, got {shown(calendar)}"
            )
        if not_before is not None or finish_by is not None:
            where = f"stage {id!r}"
            not_before = _optional_date(not_before, f"{where}: not_before")
            finish_by = _optional_date(finish_by, f"{where}: finish_by")
            if not_before is not None and finish_by is not None and finish_by < not_before:
                raise PlanError(
                    f"{where}: finish_by {finish_by} is before not_before {not_before}; no "
                    f"schedule can keep both (are the two dates swapped?)"
                )
        self.__attrs_init__(id, dur, name, kind, calendar, not_before, finish_by)

    @property
    def is_milestone(self) -> bool:
        """True for a stage of 0 days: it takes no time (its finish is its start)."""
        return self.duration.n == 0

    @property
    def counts(self) -> bool:
        """True when the stage counts on the approval clock (kind ``work`` or ``notice``)."""
        return self.kind in COUNTING_KINDS

    def __repr__(self) -> str:
        parts = [repr(self.id), _duration_repr(self.duration)]
        if self.name:
            parts.append(f"name={self.name!r}")
        if self.kind != "work":
            parts.append(f"kind={self.kind!r}")
        if self.calendar is not None:
            parts.append(f"calendar={_calendar_repr(self.calendar)}")
        if self.not_before is not None:
            parts.append(f"not_before={self.not_before!r}")
        if self.finish_by is not None:
            parts.append(f"finish_by={self.finish_by!r}")
        return f"Stage({', '.join(parts)})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # Hypothesis (and IPython) print attrs classes field by field; the repr is shorter.
        printer.text(repr(self))


def _lag(value: object, where: str) -> int | CalendarDays:
    if type(value) is int:
        return value
    if isinstance(value, CalendarDays):
        return value
    if isinstance(value, WorkingDays):
        return value.n
    if isinstance(value, str):
        try:
            parsed = parse_duration(value)
        except DurationError as e:
            raise PlanError(f"{where}: {e}") from None
        return _lag(parsed, where)
    raise PlanError(
        f"{where}: expected an int of working days (negative for a lead), WorkingDays or "
        f"CalendarDays, got {shown(value)}"
    )


@attrs.frozen(init=False, repr=False)
class Link:
    """How ``successor`` waits for ``predecessor``.

    Args:
        predecessor, successor: stage ids.
        kind: ``"FS"`` (the default: the successor starts after the predecessor
            finishes), ``"SS"`` (starts no earlier than the predecessor starts) or
            ``"FF"`` (finishes no earlier than the predecessor finishes).
        lag: working days counted on the successor's calendar (an int, negative
            for a lead; ``WorkingDays`` is read as its number), or ``CalendarDays``
            for elapsed time. The short forms ``"3wd"`` and ``"3cd"`` are accepted.

    Raises:
        PlanError: a bad kind or lag, or a stage linked to itself.

    容缺受理 (accepting an application while a prerequisite is still pending) is an
    SS link plus an FF link from the prerequisite; 三证齐发 (permits issued
    together) is FF links among the permits. The repr evaluates back to an equal link:

    >>> Link("registration", "planning_permit", "SS")
    Link('registration', 'planning_permit', 'SS')
    >>> str(Link("a", "b", lag=-2)), str(Link("a", "b", "FF", "3cd"))
    ("'a' -> 'b' (FS, lag -2)", "'a' -> 'b' (FF, lag 3cd)")
    """

    predecessor: str
    successor: str
    kind: LinkKind
    lag: int | CalendarDays

    def __init__(
        self,
        predecessor: str,
        successor: str,
        kind: LinkKind = "FS",
        lag: int | WorkingDays | CalendarDays | str = 0,
    ) -> None:
        if not (
            type(predecessor) is str
            and type(successor) is str
            and predecessor.isascii()
            and successor.isascii()
            and predecessor.strip()
            and successor.strip()
        ):
            ends = []
            for what, value in (("predecessor", predecessor), ("successor", successor)):
                if not isinstance(value, str) or not value.strip():
                    raise PlanError(
                        f"link {what}: expected a stage id (a string), got {shown(value)}"
                    )
                ends.append(normalize_id(value, f"link {what}"))
            predecessor, successor = ends
        if kind not in LINK_KINDS:
            raise PlanError(
                f"link {predecessor!r} -> {successor!r}: kind: expected one of 'FS', 'SS', "
                f"'FF', got {shown(kind)}"
            )
        if predecessor == successor:
            raise PlanError(
                f"link {predecessor!r} -> {successor!r}: a stage cannot be linked to itself"
            )
        lag_ = (
            lag
            if type(lag) is int
            else _lag(lag, f"link {predecessor!r} -> {successor!r} ({kind}): lag")
        )
        self.__attrs_init__(predecessor, successor, kind, lag_)

    @property
    def key(self) -> tuple[str, str, str]:
        """``(predecessor, successor, kind)``: at most one link per key in a plan."""
        return (self.predecessor, self.successor, self.kind)

    def __str__(self) -> str:
        lag = f", lag {self.lag}" if self.lag != 0 else ""
        return f"{self.predecessor!r} -> {self.successor!r} ({self.kind}{lag})"

    def __repr__(self) -> str:
        parts = [repr(self.predecessor), repr(self.successor)]
        lag = self.lag if isinstance(self.lag, int) else repr(str(self.lag))
        if self.kind != "FS" or lag != 0:
            parts.append(repr(self.kind))
        if lag != 0:
            parts.append(str(lag))
        return f"Link({', '.join(parts)})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


class _Keep(enum.Enum):
    """The type of :data:`KEEP`."""

    KEEP = "keep"

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep.KEEP
"""The default of :meth:`Plan.with_stage_changes`: keep the field as it is."""


def _listing(ids: Iterable[str], limit: int = 8) -> str:
    items = list(ids)
    listed = ", ".join(repr(i) for i in items[:limit])
    return listed + (f" and {len(items) - limit} more" if len(items) > limit else "")


@attrs.frozen(init=False, repr=False)
class Plan:
    """Stages, links and a calendar: an approval process as a validated graph.

    Args:
        stages: the stages, ids unique; their order is kept (and breaks ties).
        links: the links; at most one per (predecessor, successor, kind).
        calendar: the plan's working-day calendar; stages use it unless they
            name their own. Floats, durations and approval days are counted on it.
        name: a display name.

    Raises:
        PlanError: no stages, a duplicate stage id, a link to an unknown stage,
            the same link twice, or a value of the wrong type.
        CycleError: the links form a cycle (its stages are listed in order).

    >>> from approval_clock import calendars
    >>> cn = calendars.get("CN")
    >>> plan = Plan(stages=[Stage("a", 5), Stage("b", 3)], links=[Link("a", "b")], calendar=cn)
    >>> [s.id for s in plan.stages], plan.stage("b").duration
    (['a', 'b'], WorkingDays(3))
    >>> plan.with_link(Link("a", "b", "SS")).links[1]
    Link('a', 'b', 'SS')

    The repr evaluates back to an equal plan when the calendar is one that
    ``calendars.get`` gives back (it is written as that call):

    >>> plan
    Plan(stages=[Stage('a', 5), Stage('b', 3)], links=[Link('a', 'b')], calendar=calendars.get('CN'))
    >>> eval(repr(plan)) == plan
    True
    >>> plan.with_link(Link("a", "b"))
    Traceback (most recent call last):
    ...
    approval_clock.errors.PlanError: link 'a' -> 'b' (FS) is given twice (links[0] and links[1]); a pair may have one link of each kind
    """

    stages: tuple[Stage, ...]
    links: tuple[Link, ...]
    calendar: WorkCalendar
    name: str
    _index: Mapping[str, int] = attrs.field(eq=False, repr=False)
    _order: tuple[int, ...] = attrs.field(eq=False, repr=False)
    _pred: tuple[int, ...] = attrs.field(eq=False, repr=False)
    _succ: tuple[int, ...] = attrs.field(eq=False, repr=False)
    _sources: Mapping[WorkCalendar, Any] = attrs.field(eq=False, repr=False)
    # What scheduling derives from the plan alone (the integer network), kept so
    # that scheduling one plan from many start dates does that work once.
    _cache: dict[str, Any] = attrs.field(eq=False, repr=False)

    def __init__(
        self,
        stages: Iterable[Stage],
        links: Iterable[Link] = (),
        *,
        calendar: WorkCalendar,
        name: str = "",
    ) -> None:
        if isinstance(stages, (str, Stage)) or not isinstance(stages, Iterable):
            raise PlanError(f"stages: expected a list of Stage, got {shown(stages)}")
        if isinstance(links, (str, Link)) or not isinstance(links, Iterable):
            raise PlanError(f"links: expected a list of Link, got {shown(links)}")
        stages_t = tuple(stages)
        links_t = tuple(links)
        self._validate(stages_t, links_t, calendar, name)

    def _validate(
        self, stages_t: tuple[Stage, ...], links_t: tuple[Link, ...], calendar: object, name: object
    ) -> None:
        if not isinstance(calendar, WorkCalendar):
            raise PlanError(f"calendar: expected a WorkCalendar, got {shown(calendar)}")
        if not isinstance(name, str):
            raise PlanError(f"name: expected a string, got {shown(name)}")
        if not stages_t:
            raise PlanError("stages: a plan needs at least one stage")
        index: dict[str, int] = {}
        for k, stage in enumerate(stages_t):
            if not isinstance(stage, Stage):
                raise PlanError(f"stages[{k}]: expected a Stage, got {shown(stage)}")
            first = index.setdefault(stage.id, k)
            if first != k:
                raise PlanError(
                    f"duplicate stage id {stage.id!r} (stages[{first}] and stages[{k}])"
                )
        pred: list[int] = []
        succ: list[int] = []
        seen: dict[tuple[str, str, str], int] = {}
        for k, link in enumerate(links_t):
            if not isinstance(link, Link):
                raise PlanError(f"links[{k}]: expected a Link, got {shown(link)}")
            for what, sid in (("predecessor", link.predecessor), ("successor", link.successor)):
                if sid not in index:
                    raise PlanError(
                        f"link {link} (links[{k}]): unknown {what} {sid!r}; "
                        f"the stages are {_listing(index)}"
                    )
            if type(link.lag) is int and not -MAX_DURATION <= link.lag <= MAX_DURATION:
                # Past these no date exists; the scheduler's integers stay in int64.
                big = (
                    link.lag
                    if abs(link.lag) < 10**30
                    else f"an int of {link.lag.bit_length()} bits"
                )
                raise PlanError(
                    f"link {link.predecessor!r} -> {link.successor!r} ({link.kind}, links[{k}]): "
                    f"lag: expected working days from -{MAX_DURATION} to {MAX_DURATION}, got {big}"
                )
            first = seen.setdefault(link.key, k)
            if first != k:
                raise PlanError(
                    f"link {link.predecessor!r} -> {link.successor!r} ({link.kind}) is given "
                    f"twice (links[{first}] and links[{k}]); a pair may have one link of each kind"
                )
            pred.append(index[link.predecessor])
            succ.append(index[link.successor])
        n = len(stages_t)
        preds: list[list[int]] = [[] for _ in range(n)]
        succs: list[list[int]] = [[] for _ in range(n)]
        for i, j in zip(pred, succ, strict=True):
            preds[j].append(i)
            succs[i].append(j)
        order, cycle = _cpm.topological_order(n, preds, succs)
        if cycle:
            ids = tuple(stages_t[i].id for i in cycle)
            path = " -> ".join(repr(i) for i in (*ids, ids[0]))
            raise CycleError(f"links form a cycle: {path}; remove one of these links", cycle=ids)
        self.__attrs_init__(
            stages_t, links_t, calendar, name, index, tuple(order), tuple(pred), tuple(succ), {}, {}
        )

    # -- looking things up ----------------------------------------------------------

    def stage(self, id: str) -> Stage:
        """The stage with this id.

        Raises:
            UnknownStageError: no such stage (also a ``KeyError``).

        >>> from approval_clock import calendars
        >>> plan = Plan(stages=[Stage("a", 1)], calendar=calendars.get("CN"))
        >>> plan.stage("b")
        Traceback (most recent call last):
        ...
        approval_clock.errors.UnknownStageError: no stage 'b' in the plan; the stages are 'a'
        """
        k = self._index.get(_lookup_id(id)) if isinstance(id, str) else None
        if k is None:
            raise UnknownStageError(
                f"no stage {id!r} in the plan; the stages are {_listing(self._index)}"
            )
        return self.stages[k]

    def index(self, id: str) -> int | None:
        """The position of stage ``id`` in :attr:`stages`, or ``None`` (ids compared in NFC)."""
        return self._index.get(_lookup_id(id)) if isinstance(id, str) else None

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and _lookup_id(id) in self._index

    def __repr__(self) -> str:
        stages = ", ".join(map(repr, self.stages))
        links = ", ".join(map(repr, self.links))
        name = f", name={self.name!r}" if self.name else ""
        return (
            f"Plan(stages=[{stages}], links=[{links}], "
            f"calendar={_calendar_repr(self.calendar)}{name})"
        )

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # Hypothesis prints a failing example with this: the plan as code, no private fields.
        printer.text(repr(self))

    def calendar_of(self, stage: Stage | str) -> WorkCalendar:
        """The calendar a stage is counted on: its own, or the plan's.

        >>> from approval_clock import calendars
        >>> cn = calendars.get("CN")
        >>> Plan(stages=[Stage("a", 1)], calendar=cn).calendar_of("a") is cn
        True
        """
        s = self.stage(stage) if isinstance(stage, str) else stage
        return s.calendar if s.calendar is not None else self.calendar

    # -- rule changes: new plans ----------------------------------------------------

    def _evolve(self, stages: Iterable[Stage], links: Iterable[Link]) -> Plan:
        plan = Plan(stages, links, calendar=self.calendar, name=self.name)
        object.__setattr__(plan, "_sources", self._sources)
        return plan

    def with_calendar(self, calendar: WorkCalendar) -> Plan:
        """A new plan on another calendar (stages with a calendar of their own keep it).

        For example the same plan on a calendar extended past the official notices,
        to schedule starts late in the year:

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> cn = calendars.get("CN")
        >>> plan = Plan(stages=[Stage("a", 45)], calendar=cn)
        >>> sched = plan.with_calendar(cn.extended(until=date(2027, 12, 31))).schedule(
        ...     start=date(2026, 12, 1))
        >>> sched.finish, sched.provisional   # New Year's Day 2027 is fixed by law
        (datetime.date(2027, 2, 2), True)
        """
        if not isinstance(calendar, WorkCalendar):
            raise PlanError(f"calendar: expected a WorkCalendar, got {shown(calendar)}")
        plan = Plan(self.stages, self.links, calendar=calendar, name=self.name)
        object.__setattr__(plan, "_sources", self._sources)
        return plan

    def replace_stage(self, stage: Stage) -> Plan:
        """A new plan with ``stage`` in place of the stage with the same id.

        The whole stage is replaced: what the new ``Stage`` does not say takes
        ``Stage``'s defaults, so ``replace_stage(Stage("notice", 30))`` makes a
        notice a ``work`` stage without a name. To change some fields and keep the
        rest, use :meth:`with_stage_changes`.

        >>> from approval_clock import calendars
        >>> plan = Plan(stages=[Stage("a", 5)], calendar=calendars.get("CN"))
        >>> plan.replace_stage(Stage("a", 3)).stage("a").duration
        WorkingDays(3)
        >>> plan.replace_stage(Stage("z", 3))
        Traceback (most recent call last):
        ...
        approval_clock.errors.PlanError: replace_stage: no stage 'z' in the plan; the stages are 'a'
        """
        if not isinstance(stage, Stage):
            raise PlanError(f"replace_stage: expected a Stage, got {shown(stage)}")
        if stage.id not in self._index:
            raise PlanError(
                f"replace_stage: no stage {stage.id!r} in the plan; "
                f"the stages are {_listing(self._index)}"
            )
        k = self._index[stage.id]
        return self._evolve((*self.stages[:k], stage, *self.stages[k + 1 :]), self.links)

    def with_stage_changes(
        self,
        id: str,
        *,
        duration: int | Duration | str | _Keep = KEEP,
        name: str | _Keep = KEEP,
        kind: StageKind | _Keep = KEEP,
        calendar: WorkCalendar | _Keep | None = KEEP,
        not_before: date | _Keep | None = KEEP,
        finish_by: date | _Keep | None = KEEP,
    ) -> Plan:
        """A new plan with some fields of stage ``id`` changed; every other field is kept.

        This is the safe way to write a rule change such as "the registration
        takes 6 days": the stage stays a notice, keeps its name, calendar and
        date constraints. (Pass ``None`` to remove a calendar or a constraint.)

        Raises:
            PlanError: no stage ``id``, or a new value is invalid.

        >>> from approval_clock import calendars
        >>> plan = Plan(stages=[Stage("notice", 35, kind="notice", name="出让公示")],
        ...             calendar=calendars.get("CN"))
        >>> plan.with_stage_changes("notice", duration=30).stages
        (Stage('notice', 30, name='出让公示', kind='notice'),)
        """
        k = self.index(id)
        if k is None:
            raise PlanError(
                f"with_stage_changes: no stage {id!r} in the plan; "
                f"the stages are {_listing(self._index)}"
            )
        old = self.stages[k]
        new = Stage(
            old.id,
            old.duration if isinstance(duration, _Keep) else duration,
            name=old.name if isinstance(name, _Keep) else name,
            kind=old.kind if isinstance(kind, _Keep) else kind,
            calendar=old.calendar if isinstance(calendar, _Keep) else calendar,
            not_before=old.not_before if isinstance(not_before, _Keep) else not_before,
            finish_by=old.finish_by if isinstance(finish_by, _Keep) else finish_by,
        )
        return self._evolve((*self.stages[:k], new, *self.stages[k + 1 :]), self.links)

    def with_stage(self, stage: Stage, links: Iterable[Link] = ()) -> Plan:
        """A new plan with one more stage (and links to or from it).

        >>> from approval_clock import calendars
        >>> plan = Plan(stages=[Stage("a", 5)], calendar=calendars.get("CN"))
        >>> len(plan.with_stage(Stage("b", 2), [Link("a", "b")]).links)
        1
        """
        return self._evolve((*self.stages, stage), (*self.links, *links))

    def without_stage(self, id: str) -> Plan:
        """A new plan without the stage ``id`` and without the links that touch it.

        >>> from approval_clock import calendars
        >>> plan = Plan(stages=[Stage("a", 5), Stage("b", 2)], links=[Link("a", "b")],
        ...             calendar=calendars.get("CN"))
        >>> plan.without_stage("a").links
        ()
        """
        k = self.index(id)
        if k is None:
            raise PlanError(
                f"without_stage: no stage {id!r} in the plan; the stages are {_listing(self._index)}"
            )
        sid = self.stages[k].id
        return self._evolve(
            (s for s in self.stages if s.id != sid),
            (ln for ln in self.links if sid not in (ln.predecessor, ln.successor)),
        )

    def with_link(self, link: Link) -> Plan:
        """A new plan with one more link (checked like any plan: no duplicates, no cycles).

        >>> from approval_clock import calendars
        >>> plan = Plan(stages=[Stage("a", 5), Stage("b", 2)], calendar=calendars.get("CN"))
        >>> plan.with_link(Link("a", "b", "SS", 2)).links
        (Link('a', 'b', 'SS', 2),)
        """
        return self._evolve(self.stages, (*self.links, link))

    def without_link(self, link: Link) -> Plan:
        """A new plan without ``link`` (it must be in the plan, lag included).

        >>> from approval_clock import calendars
        >>> plan = Plan(stages=[Stage("a", 5), Stage("b", 2)], links=[Link("a", "b")],
        ...             calendar=calendars.get("CN"))
        >>> plan.without_link(Link("a", "b")).links
        ()
        >>> plan.without_link(Link("a", "b", lag=1))
        Traceback (most recent call last):
        ...
        approval_clock.errors.PlanError: without_link: the plan has 'a' -> 'b' (FS), not 'a' -> 'b' (FS, lag 1)
        """
        if not isinstance(link, Link):
            raise PlanError(f"without_link: expected a Link, got {shown(link)}")
        for k, existing in enumerate(self.links):
            if existing.key == link.key:
                if existing != link:
                    raise PlanError(f"without_link: the plan has {existing}, not {link}")
                return self._evolve(self.stages, self.links[:k] + self.links[k + 1 :])
        raise PlanError(f"without_link: the plan has no link {link}")

    # -- scheduling and files -------------------------------------------------------

    def schedule(
        self,
        start: date,
        *,
        actuals: Mapping[str, tuple[date, date | None]] | None = None,
        as_of: date | None = None,
    ) -> Schedule:
        """Schedule the plan: every stage as early as its links allow, from ``start``.

        The first stages start on the first working day on or after ``start``
        (and a stage with ``not_before`` no earlier than that date). See
        :class:`~approval_clock.Schedule` for what the result holds.

        A case in progress (a *live* schedule): ``actuals`` maps stage ids to
        ``(actual_start, actual_finish)``, the finish ``None`` while the stage is
        still open, as known on ``as_of`` (the last day the actuals report on,
        like ``as_of`` in :func:`approval_clock.records.analyze`). Finished stages
        keep their actual dates; a started stage keeps its actual start and is
        forecast to finish when its duration from there ends, but no earlier than
        the first working day after ``as_of`` (and its FF links still hold);
        every other stage is scheduled as usual but starts after ``as_of``. Links
        into a finished stage, and FS and SS links into a started one, no longer
        bind. ``docs/plans.md`` ("Live cases") works an example.

        Raises:
            DateTypeError: ``start`` or ``as_of`` is not a ``datetime.date``.
            CalendarCoverageError: a date falls outside a calendar's range; the
                message names the stage and how to extend the calendar.
            PlanError: ``actuals`` without ``as_of``, or an actual date that
                contradicts the others (a finish before its start, a date after
                ``as_of``, a start before ``start``).
            UnknownStageError: ``actuals`` names a stage the plan does not have.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> plan = Plan(stages=[Stage("a", 3)], calendar=calendars.get("CN"))
        >>> plan.schedule(start=date(2021, 9, 29))["a"].finish   # Sep 29, 30, Oct 8
        datetime.date(2021, 10, 8)
        """
        from approval_clock.plans.schedule import schedule_plan

        return schedule_plan(self, start, actuals=actuals, as_of=as_of)

    @classmethod
    def from_toml(
        cls,
        path: str | Path,
        *,
        limits: Limits | None = None,
        calendar_dirs: Iterable[str | Path] = (),
    ) -> Plan:
        """Read a plan file (TOML); see :mod:`approval_clock.plans._file` for the format.

        Calendar files it names are read from its directory, or from
        ``calendar_dirs``, never from elsewhere; ``limits``
        (:class:`~approval_clock.limits.Limits`) bound the file's size and
        structure and its stages and links (see ``docs/security.md``).

        Raises :class:`~approval_clock.errors.PlanFileError` naming the file, the
        place and the problem.
        """
        from approval_clock.plans._file import read_plan

        return read_plan(path, limits=limits, calendar_dirs=calendar_dirs)

    @classmethod
    def loads(
        cls,
        text: str,
        *,
        source: str = "<string>",
        base_dir: str | Path | None = None,
        limits: Limits | None = None,
        calendar_dirs: Iterable[str | Path] = (),
    ) -> Plan:
        """Read a plan from TOML text; ``source`` names it in messages.

        Calendar files named in the text are found in ``base_dir`` (by default
        the current directory), then in ``calendar_dirs``, and never outside
        them; ``limits`` as for :meth:`from_toml`.

        >>> plan = Plan.loads('''
        ... format = 1
        ... calendar = "CN"
        ... [[stages]]
        ... id = "notice"
        ... duration = "35wd"
        ... kind = "notice"
        ... ''')
        >>> plan.stages[0]
        Stage('notice', 35, kind='notice')
        """
        from approval_clock.plans._file import loads_plan

        return loads_plan(
            text, source=source, base_dir=base_dir, limits=limits, calendar_dirs=calendar_dirs
        )

    def to_toml(
        self, *, calendar_refs: Mapping[WorkCalendar, str | list[str]] | None = None
    ) -> str:
        """The plan as plan-file text; :meth:`loads` reads it back to an equal plan.

        Calendars are written by code when :func:`approval_clock.calendars.get`
        gives them back, or as they were referred to in the file the plan came
        from; any other calendar needs an entry in ``calendar_refs`` (a code, a
        calendar-file path, or a list of them for a joint calendar).

        >>> from approval_clock import calendars
        >>> plan = Plan(stages=[Stage("a", 5), Stage("b", "20cd")], links=[Link("a", "b", lag=-1)],
        ...             calendar=calendars.get("CN"), name="demo")
        >>> print(plan.to_toml())
        format = 1
        name = "demo"
        calendar = "CN"
        <BLANKLINE>
        [[stages]]
        id = "a"
        duration = 5
        <BLANKLINE>
        [[stages]]
        id = "b"
        duration = "20cd"
        <BLANKLINE>
        [[links]]
        predecessor = "a"
        successor = "b"
        lag = -1
        <BLANKLINE>
        >>> Plan.loads(plan.to_toml()) == plan
        True
        """
        from approval_clock.plans._file import dumps_plan

        return dumps_plan(self, calendar_refs=calendar_refs)

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
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from approval_clock._check import (
    check_instance,
    check_int,
    check_mapping,
    check_path,
    check_sequence,
    fail_type,
    quoted,
)
from approval_clock._dates import describe_value as shown
from approval_clock.calendars.workcalendar import WorkCalendar
from approval_clock.durations import (
    MAX_DURATION,
    CalendarDays,
    CalendarMonths,
    Duration,
    WorkingDays,
)
from approval_clock.errors import (
    ApprovalClockError,
    ArgumentTypeError,
    CycleError,
    PlanError,
    UnknownStageError,
)
from approval_clock.plans import _cpm
from approval_clock.plans._cache import PerObject
from approval_clock.plans._rules import (
    calendar_codes as _calendar_codes,
)
from approval_clock.plans._rules import (
    duplicate_ids as _duplicate_ids,
)
from approval_clock.plans._rules import (
    duration as _duration,
)
from approval_clock.plans._rules import (
    first_duplicate_link as _first_duplicate_link,
)
from approval_clock.plans._rules import (
    lag as _lag,
)
from approval_clock.plans._rules import (
    listing as _listing,
)
from approval_clock.plans._rules import (
    optional_date as _optional_date,
)

if TYPE_CHECKING:
    from approval_clock.limits import Limits
    from approval_clock.plans.schedule import Schedule

__all__ = [
    "COUNTING_KINDS",
    "DURATION_UNITS",
    "LINK_KINDS",
    "STAGE_KINDS",
    "Link",
    "Plan",
    "PlanGraph",
    "Stage",
    "normalize_id",
]

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
            else _duration(duration, f"stage {quoted(id)}: duration")
        )
        if type(name) is not str and not isinstance(name, str):
            raise PlanError(f"stage {quoted(id)}: name: expected a string, got {shown(name)}")
        if kind not in STAGE_KINDS:
            raise PlanError(
                f"stage {quoted(id)}: kind: expected one of {', '.join(map(repr, STAGE_KINDS))}, "
                f"got {shown(kind)}"
            )
        if calendar is not None and not isinstance(calendar, WorkCalendar):
            raise PlanError(
                f"stage {quoted(id)}: calendar: expected a WorkCalendar or None, got {shown(calendar)}"
            )
        if not_before is not None or finish_by is not None:
            where = f"stage {quoted(id)}"
            not_before = _optional_date(not_before, f"{where}: not_before")
            finish_by = _optional_date(finish_by, f"{where}: finish_by")
            if not_before is not None and finish_by is not None and finish_by < not_before:
                raise PlanError(
                    f"{where}: finish_by {finish_by} is before not_before {not_before}; no "
                    f"schedule can keep both (are the two dates swapped?)"
                )
        self.__attrs_init__(id, dur, name, kind, calendar, not_before, finish_by)

    @classmethod
    def _make(
        cls,
        id: str,
        duration: Duration,
        name: str,
        kind: StageKind,
        calendar: WorkCalendar | None,
        not_before: date | None,
        finish_by: date | None,
    ) -> Stage:
        """A stage of values checked already (a plan's graph holds only such)."""
        stage = object.__new__(cls)
        stage.__attrs_init__(id, duration, name, kind, calendar, not_before, finish_by)
        return stage

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

    @classmethod
    def _make(
        cls, predecessor: str, successor: str, kind: LinkKind, lag: int | CalendarDays
    ) -> Link:
        """A link of values checked already (a plan's graph holds only such)."""
        link = object.__new__(cls)
        link.__attrs_init__(predecessor, successor, kind, lag)
        return link

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


def _cycle_error(ids: Sequence[str], where: str = "") -> CycleError:
    """The :class:`CycleError` for a cycle through ``ids`` (in order), its message short.

    A cycle of more than 10 stages is shown by its first 10 and how many more
    (a cycle through 100 000 stages would otherwise make a message of megabytes);
    ``CycleError.cycle`` holds every id. ``where`` is put before the message.

    >>> print(_cycle_error(["a", "b"]))
    links form a cycle: 'a' -> 'b' -> 'a'; remove one of these links
    >>> print(_cycle_error([f"s{i}" for i in range(12)]))
    links form a cycle of 12 stages: 's0' -> 's1' -> 's2' -> 's3' -> 's4' -> 's5' -> 's6' -> 's7' -> 's8' -> 's9' -> ... (2 more) -> 's0'; remove one of its links (CycleError.cycle lists them all)
    """
    cycle = tuple(ids)
    shown_ids = [_cut_repr(i) for i in cycle[:_CYCLE_SHOWN]]
    path = " -> ".join(shown_ids)
    if len(cycle) <= _CYCLE_SHOWN:
        message = f"links form a cycle: {path} -> {shown_ids[0]}; remove one of these links"
    else:
        message = (
            f"links form a cycle of {len(cycle)} stages: {path} -> ... "
            f"({len(cycle) - _CYCLE_SHOWN} more) -> {shown_ids[0]}; remove one of its links "
            f"(CycleError.cycle lists them all)"
        )
    return CycleError(where + message, cycle=cycle)


_CYCLE_SHOWN: Final = 10


def _cut_repr(value: str, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 4]}...{text[-1]}"


# -- the graph: what scheduling reads ---------------------------------------------------

DURATION_UNITS: Final = (WorkingDays, CalendarDays, CalendarMonths)
"""The duration types, by their code in :attr:`PlanGraph.unit` (0, 1, 2)."""

_UNIT_CODE: Final[dict[type, int]] = {t: k for k, t in enumerate(DURATION_UNITS)}
_STAGE_KIND_CODE: Final = {k: i for i, k in enumerate(STAGE_KINDS)}
_LINK_KIND_CODE: Final = {k: i for i, k in enumerate(LINK_KINDS)}
_NAT: Final = np.datetime64("NaT", "D")

_Ints = npt.NDArray[np.int64]
_Codes = npt.NDArray[np.int8]
_Days = npt.NDArray[np.datetime64]


def _frozen(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    a.flags.writeable = False
    return a


# The Stage and Link objects of each graph, made when first asked for (a plan
# read from frames has none until then), or the ones a plan was built from.
_OBJECTS = PerObject()


@attrs.frozen(init=False, eq=False, repr=False)
class PlanGraph:
    """A plan's stages and links as read-only arrays: the view scheduling reads.

    Stage ``i`` is ``plan.stages[i]`` and link ``k`` is ``plan.links[k]``; every
    array is read-only, and the :class:`Stage` and :class:`Link` objects are made
    only when asked for (:meth:`stage`, :meth:`link`, ``plan.stages``), so a
    plan of 100 000 stages built by :meth:`Plan.from_frame` is validated and
    scheduled without one.

    Attributes:
        ids, names: the stage ids and names (tuples of str).
        duration: the number of each stage's duration (int64), in the unit
            ``unit`` (int8: 0 working days, 1 calendar days, 2 calendar months;
            :data:`DURATION_UNITS` gives the types).
        kind: the stage kind, an index into :data:`STAGE_KINDS` (int8).
        calendar: the stage's own calendar, an index into ``calendars``, or -1
            for the plan's (int64); ``calendars`` holds each own calendar once.
        not_before, finish_by: the date constraints (``datetime64[D]``; NaT: none).
        predecessor, successor: each link's stages, by position (int64).
        link_kind: an index into :data:`LINK_KINDS` (int8).
        lag: each link's lag (int64), in working days (``lag_unit`` 0) or
            calendar days (``lag_unit`` 1).
        order: the stages in a topological order (int64): Kahn's algorithm, ties
            by stage position, so the plan's own order wherever the links allow.
        level: the number of links on the longest chain of links that ends at
            each stage (int64); every link goes from a lower level to a higher.

    >>> from approval_clock import calendars
    >>> plan = Plan(stages=[Stage("a", 5), Stage("b", "20cd", kind="notice")],
    ...             links=[Link("a", "b", "SS", 2)], calendar=calendars.get("CN"))
    >>> g = plan.graph
    >>> g.ids, g.duration.tolist(), g.unit.tolist(), [STAGE_KINDS[k] for k in g.kind]
    (('a', 'b'), [5, 20], [0, 1], ['work', 'notice'])
    >>> g.predecessor.tolist(), g.successor.tolist(), g.lag.tolist(), g.level.tolist()
    ([0], [1], [2], [0, 1])
    >>> g.position("b"), g.stage(1) is plan.stages[1]
    (1, True)
    >>> g.duration[0] = 3
    Traceback (most recent call last):
    ...
    ValueError: assignment destination is read-only
    """

    ids: tuple[str, ...]
    names: tuple[str, ...]
    duration: _Ints
    unit: _Codes
    kind: _Codes
    calendar: _Ints
    calendars: tuple[WorkCalendar, ...]
    not_before: _Days
    finish_by: _Days
    predecessor: _Ints
    successor: _Ints
    link_kind: _Codes
    lag: _Ints
    lag_unit: _Codes
    order: _Ints
    level: _Ints
    _index: dict[str, int]

    def __init__(self) -> None:
        raise ArgumentTypeError("PlanGraph objects are made with a Plan: use plan.graph")

    @classmethod
    def _make(cls, **columns: Any) -> PlanGraph:
        """A graph from validated columns (the builders validate; this does not)."""
        graph = object.__new__(cls)
        for value in columns.values():
            if type(value) is np.ndarray:
                value.flags.writeable = False
        graph.__attrs_init__(**columns)
        return graph

    def __getstate__(self) -> dict[str, Any]:
        return {a.name: getattr(self, a.name) for a in attrs.fields(PlanGraph)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            if isinstance(value, np.ndarray):
                value = _frozen(value)
            object.__setattr__(self, key, value)

    def position(self, id: str) -> int | None:
        """The position of stage ``id`` (compared in NFC), or ``None``.

        >>> from approval_clock import calendars
        >>> g = Plan([Stage("a", 1), Stage("\u00e9", 2)], calendar=calendars.get("CN")).graph
        >>> g.position("e\u0301"), g.position("zz")
        (1, None)
        """
        return self._index.get(_lookup_id(id)) if isinstance(id, str) else None

    def stage(self, i: int) -> Stage:
        """The :class:`Stage` object of stage ``i`` (made when first asked for).

        >>> from approval_clock import calendars
        >>> plan = Plan.from_frame({"id": ["a", "b"], "duration": [1, "20cd"]},
        ...                        calendar=calendars.get("CN"))
        >>> plan.graph.stage(1)
        Stage('b', '20cd')
        >>> plan.graph.stage(1) is plan.stages[1]   # made once, kept while the plan lives
        True
        """
        n = len(self.ids)
        i = check_int(i, "i", min_value=-n, max_value=n - 1, what="a stage position")
        cache = _OBJECTS.get(self)
        whole: tuple[Stage, ...] | None = cache.get("stages")
        if whole is not None:
            return whole[i]
        some: dict[int, Stage] = cache.setdefault("some_stages", {})
        if i < 0:
            i += len(self.ids)
        stage = some.get(i)
        if stage is None:
            stage = some[i] = self._make_stage(i)
        return stage

    def link(self, k: int) -> Link:
        """The :class:`Link` object of link ``k`` (made when first asked for).

        >>> from approval_clock import calendars
        >>> plan = Plan.from_frame({"id": ["a", "b"], "duration": [1, 2]},
        ...                        {"predecessor": ["a"], "successor": ["b"], "lag": ["3cd"]},
        ...                        calendar=calendars.get("CN"))
        >>> plan.graph.link(0)
        Link('a', 'b', 'FS', '3cd')
        """
        n = len(self.predecessor)
        k = check_int(k, "k", min_value=-n, max_value=n - 1, what="a link position")
        cache = _OBJECTS.get(self)
        whole: tuple[Link, ...] | None = cache.get("links")
        if whole is not None:
            return whole[k]
        some: dict[int, Link] = cache.setdefault("some_links", {})
        if k < 0:
            k += len(self.predecessor)
        link = some.get(k)
        if link is None:
            link = some[k] = self._make_link(k)
        return link

    def _stages(self) -> tuple[Stage, ...]:
        cache = _OBJECTS.get(self)
        whole: tuple[Stage, ...] | None = cache.get("stages")
        if whole is None:
            some: dict[int, Stage] = cache.pop("some_stages", {})
            whole = cache["stages"] = tuple(
                some.get(i) or self._make_stage(i) for i in range(len(self.ids))
            )
        return whole

    def _links(self) -> tuple[Link, ...]:
        cache = _OBJECTS.get(self)
        whole: tuple[Link, ...] | None = cache.get("links")
        if whole is None:
            some: dict[int, Link] = cache.pop("some_links", {})
            whole = cache["links"] = tuple(
                some.get(k) or self._make_link(k) for k in range(len(self.predecessor))
            )
        return whole

    def _make_stage(self, i: int) -> Stage:
        c = int(self.calendar[i])
        nb, fb = self.not_before[i], self.finish_by[i]
        return Stage._make(
            self.ids[i],
            DURATION_UNITS[self.unit[i]](int(self.duration[i])),
            self.names[i],
            STAGE_KINDS[self.kind[i]],
            None if c < 0 else self.calendars[c],
            None if np.isnat(nb) else nb.astype(date),
            None if np.isnat(fb) else fb.astype(date),
        )

    def _make_link(self, k: int) -> Link:
        n = int(self.lag[k])
        return Link._make(
            self.ids[self.predecessor[k]],
            self.ids[self.successor[k]],
            LINK_KINDS[self.link_kind[k]],
            CalendarDays(n) if self.lag_unit[k] else n,
        )

    def _same(self, other: PlanGraph) -> bool:
        """True when the two graphs hold equal stages and links (as ``Stage.__eq__``
        and ``Link.__eq__`` compare them), compared column by column."""
        if other is self:
            return True
        if self.ids != other.ids or self.names != other.names:
            return False
        for name in ("duration", "unit", "kind", "predecessor", "successor", "link_kind"):
            if not np.array_equal(getattr(self, name), getattr(other, name)):
                return False
        if not (
            np.array_equal(self.lag, other.lag)
            and np.array_equal(self.lag_unit, other.lag_unit)
            and np.array_equal(self.not_before.view(np.int64), other.not_before.view(np.int64))
            and np.array_equal(self.finish_by.view(np.int64), other.finish_by.view(np.int64))
        ):
            return False
        a, b = self.calendar, other.calendar
        if not np.array_equal(a < 0, b < 0):
            return False
        own = a >= 0
        pairs = set(zip(a[own].tolist(), b[own].tolist(), strict=True))
        return all(self.calendars[i] == other.calendars[j] for i, j in pairs)


def _check_plan_args(calendar: object, name: object) -> None:
    # Wrong types are ArgumentTypeError, as everywhere (also an ApprovalClockError).
    if not isinstance(calendar, WorkCalendar):
        raise fail_type("calendar", "a WorkCalendar", calendar)
    if not isinstance(name, str):
        raise fail_type("name", "a string", name)


def _seed(graph: PlanGraph, stages: tuple[Stage, ...], links: tuple[Link, ...]) -> None:
    cache = _OBJECTS.get(graph)
    cache["stages"] = stages
    cache["links"] = links


def _graph_from_objects(stages: tuple[Stage, ...], links: tuple[Link, ...]) -> PlanGraph:
    """Validate stage and link objects and reduce them to a :class:`PlanGraph`."""
    if not stages:
        raise PlanError("stages: a plan needs at least one stage")
    if not all(type(s) is Stage for s in stages):
        for k, stage in enumerate(stages):
            if not isinstance(stage, Stage):
                raise PlanError(f"stages[{k}]: expected a Stage, got {shown(stage)}")
    n = len(stages)
    ids = tuple([s.id for s in stages])
    index = dict(zip(ids, range(n), strict=True))
    if len(index) < n:
        _duplicate_ids(ids)
    if not all(type(ln) is Link for ln in links):
        for k, link in enumerate(links):
            if not isinstance(link, Link):
                raise PlanError(f"links[{k}]: expected a Link, got {shown(link)}")
    get = index.get
    pred = [get(ln.predecessor, -1) for ln in links]
    succ = [get(ln.successor, -1) for ln in links]
    lags: list[Any] = [ln.lag for ln in links]
    code = _LINK_KIND_CODE
    kinds = np.array([code[ln.kind] for ln in links], dtype=np.int8)
    pred_a = np.array(pred, dtype=np.int64)
    succ_a = np.array(succ, dtype=np.int64)
    # The first bad link (in plan order) is reported, as a check link by link would.
    bad = _first_bad_link(links, index, pred, succ, pred_a, succ_a, lags, kinds, n)
    if bad is not None:
        raise bad
    lag_unit = [0 if type(g) is int else 1 for g in lags]
    if any(lag_unit):
        lags = [g if type(g) is int else g.n for g in lags]
    durations = [s.duration for s in stages]
    unit_code = _UNIT_CODE
    units = [unit_code.get(type(d)) for d in durations]
    if None in units:  # a subclass of a duration type
        units = [
            next(k for k, t in enumerate(DURATION_UNITS) if isinstance(d, t)) for d in durations
        ]
    calendars: list[WorkCalendar] = []
    cal = np.full(n, -1, dtype=np.int64)
    own = [s.calendar for s in stages]
    if any(c is not None for c in own):
        cal, calendars = _calendar_codes(own)
    # No dates: one array of NaT serves both (graphs' arrays are read-only).
    not_before = finish_by = np.full(n, _NAT)
    if any(s.not_before is not None or s.finish_by is not None for s in stages):
        not_before = np.array([s.not_before for s in stages], dtype="datetime64[D]")
        finish_by = np.array([s.finish_by for s in stages], dtype="datetime64[D]")
    return _graph(
        ids=ids,
        names=tuple([s.name for s in stages]),
        duration=np.array([d.n for d in durations], dtype=np.int64),
        unit=np.array(units, dtype=np.int8),
        kind=np.array([_STAGE_KIND_CODE[s.kind] for s in stages], dtype=np.int8),
        calendar=cal,
        calendars=tuple(calendars),
        not_before=not_before,
        finish_by=finish_by,
        predecessor=pred_a,
        successor=succ_a,
        link_kind=kinds,
        lag=np.array(lags, dtype=np.int64),
        lag_unit=np.array(lag_unit, dtype=np.int8),
        index=index,
    )


def _first_bad_link(
    links: tuple[Link, ...],
    index: Mapping[str, int],
    pred: list[int],
    succ: list[int],
    pred_a: _Ints,
    succ_a: _Ints,
    lags: list[Any],
    kinds: _Codes,
    n: int,
) -> PlanError | None:
    candidates: list[tuple[int, int, PlanError]] = []
    if -1 in pred or -1 in succ:
        k = min(
            pred.index(-1) if -1 in pred else len(pred),
            succ.index(-1) if -1 in succ else len(succ),
        )
        link = links[k]
        what, sid = (
            ("predecessor", link.predecessor) if pred[k] < 0 else ("successor", link.successor)
        )
        error = PlanError(
            f"link {link} (links[{k}]): unknown {what} {sid!r}; the stages are {_listing(index)}"
        )
        candidates.append((k, 0, error))
    ints = [g for g in lags if type(g) is int]
    if ints and not -MAX_DURATION <= min(ints) <= max(ints) <= MAX_DURATION:
        k = next(
            k
            for k, g in enumerate(lags)
            if type(g) is int and not -MAX_DURATION <= g <= MAX_DURATION
        )
        candidates.append((k, 1, _lag_error(links[k], k)))
    if len(links) > 1:
        known = (pred_a >= 0) & (succ_a >= 0) if candidates and candidates[0][1] == 0 else None
        dup = _first_duplicate_link(pred_a, succ_a, kinds, n, known)
        if dup is not None:
            first, k = dup
            link = links[k]
            candidates.append(
                (
                    k,
                    2,
                    PlanError(
                        f"link {link.predecessor!r} -> {link.successor!r} ({link.kind}) is given "
                        f"twice (links[{first}] and links[{k}]); a pair may have one link of each "
                        f"kind"
                    ),
                )
            )
    return min(candidates, key=lambda c: c[:2])[2] if candidates else None


def _lag_error(link: Link, k: int) -> PlanError:
    # Past these no date exists; the scheduler's integers stay in int64.
    lag = link.lag
    assert isinstance(lag, int)
    big = lag if abs(lag) < 10**30 else f"an int of {lag.bit_length()} bits"
    return PlanError(
        f"link {link.predecessor!r} -> {link.successor!r} ({link.kind}, links[{k}]): "
        f"lag: expected working days from -{MAX_DURATION} to {MAX_DURATION}, got {big}"
    )


def _graph(*, index: dict[str, int], **columns: Any) -> PlanGraph:
    """Order the validated columns topologically (a cycle is an error) into a graph."""
    ids: tuple[str, ...] = columns["ids"]
    order, level, cycle = _cpm.topological_levels(
        len(ids), columns["predecessor"], columns["successor"]
    )
    if cycle:
        raise _cycle_error([ids[i] for i in cycle])
    return PlanGraph._make(**columns, order=order, level=level, index=index)


@attrs.frozen(init=False, repr=False, eq=False)
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

    calendar: WorkCalendar
    name: str
    graph: PlanGraph
    """The plan's stages and links as read-only arrays (:class:`PlanGraph`)."""
    _sources: Mapping[WorkCalendar, Any]

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
        _check_plan_args(calendar, name)
        graph = _graph_from_objects(stages_t, links_t)
        _seed(graph, stages_t, links_t)
        self.__attrs_init__(calendar, name, graph, {})

    @classmethod
    def _assemble(
        cls,
        graph: PlanGraph,
        calendar: WorkCalendar,
        name: str,
        sources: Mapping[WorkCalendar, Any] | None = None,
    ) -> Plan:
        """A plan of an already validated graph (plan files, frames, rule changes)."""
        _check_plan_args(calendar, name)
        plan = object.__new__(cls)
        plan.__attrs_init__(calendar, name, graph, dict(sources or {}))
        return plan

    @classmethod
    def from_frame(
        cls,
        stages: Any,
        links: Any = None,
        *,
        calendar: WorkCalendar,
        name: str = "",
    ) -> Plan:
        """A plan from two tables: one row per stage, one row per link.

        ``stages`` has the columns ``id`` and ``duration``, and optionally
        ``kind``, ``name``, ``calendar`` (a :class:`WorkCalendar`, or missing for
        the plan's), ``not_before`` and ``finish_by`` (dates, or missing); ``links``
        (optional) has ``predecessor`` and ``successor``, and optionally ``kind``
        (``FS``, ``SS``, ``FF``) and ``lag``. Values mean what they mean to
        :class:`Stage` and :class:`Link` (a duration ``5``, ``"35wd"``, ``"20cd"``;
        a lag ``-2`` or ``"3cd"``); a missing ``kind`` or ``name`` takes the
        default, and a column of whole floats (what pandas makes of integers next
        to a gap) is read as integers. An unknown column is an error (a typo
        would otherwise be ignored).

        The frames may be pandas DataFrames, frames that speak Arrow (polars,
        pyarrow tables: read through pyarrow), anything pandas takes through the
        dataframe interchange protocol, or a mapping of column name to a sequence
        of values. The plan is validated and scheduled from the columns as
        arrays: no :class:`Stage` or :class:`Link` object is made until someone
        asks for one (``plan.stages``, ``plan.stage(id)``). It equals the plan
        built from the same stages and links as objects, after the same checks:
        ids in NFC with look-alike scripts refused, unique ids, durations and
        lags within range, valid kinds, links between known stages, no stage
        linked to itself, no pair linked twice with one kind, no cycle. Like
        ``Plan(...)``, and unlike the file readers, it applies no
        :class:`~approval_clock.limits.Limits`: a service that takes frames from
        users bounds their length itself.

        Raises:
            PlanError: a bad value or column; the message names the frame, the row
                (counting from 0) and the stage, as in ``stages[3] (stage 'x'):
                duration: ...``.
            CycleError: the links form a cycle.
            MissingExtraError: a frame that needs pyarrow or pandas to be read,
                without it.

        >>> from approval_clock import calendars
        >>> stages = {"id": ["apply", "review", "notice"], "duration": [5, 10, "35wd"],
        ...           "kind": ["applicant", "work", "notice"]}
        >>> links = {"predecessor": ["apply", "review"], "successor": ["review", "notice"],
        ...          "kind": ["FS", "SS"], "lag": [0, 3]}
        >>> plan = Plan.from_frame(stages, links, calendar=calendars.get("CN"))
        >>> plan.schedule(start=date(2021, 8, 18)).duration
        43
        >>> plan == Plan([Stage("apply", 5, kind="applicant"), Stage("review", 10),
        ...               Stage("notice", 35, kind="notice")],
        ...              [Link("apply", "review"), Link("review", "notice", "SS", 3)],
        ...              calendar=calendars.get("CN"))
        True
        >>> Plan.from_frame({"id": ["a", "b"], "duration": [1, -2]}, calendar=calendars.get("CN"))
        Traceback (most recent call last):
        ...
        approval_clock.errors.PlanError: stages[1] (stage 'b'): duration: expected a whole number of days >= 0, got -2
        """
        from approval_clock.plans._frame import graph_from_frames

        _check_plan_args(calendar, name)
        return cls._assemble(graph_from_frames(stages, links), calendar, name)

    @property
    def stages(self) -> tuple[Stage, ...]:
        """The stages, in the order given (made from :attr:`graph` when first asked for)."""
        return self.graph._stages()

    @property
    def links(self) -> tuple[Link, ...]:
        """The links, in the order given (made from :attr:`graph` when first asked for)."""
        return self.graph._links()

    @property
    def calendar_refs(self) -> Mapping[WorkCalendar, str | list[str]]:
        """How the plan file this plan was read from named its calendars (else empty).

        :meth:`to_toml` writes them back the same way.

        >>> plan = Plan.loads('format = 1\\ncalendar = "CN"\\n[[stages]]\\nid = "a"\\nduration = 1')
        >>> list(plan.calendar_refs.values())
        ['CN']
        """
        return MappingProxyType(self._sources)

    def with_calendar_refs(self, refs: Mapping[WorkCalendar, str | list[str]]) -> Plan:
        """The same plan, naming its calendars in files as ``refs`` says.

        ``refs`` maps a calendar of the plan to how a plan file names it: a code
        (``"CN"``), a calendar file (``"region.toml"``) or a list of them for a
        joint calendar. :meth:`to_toml` and :meth:`to_dict` then write it so.

        >>> from approval_clock import WorkCalendar
        >>> from datetime import date
        >>> own = WorkCalendar("Own", first=date(2021, 1, 1), last=date(2021, 12, 31))
        >>> plan = Plan([Stage("a", 5)], calendar=own).with_calendar_refs({own: "own.toml"})
        >>> plan.to_dict()["calendar"]
        'own.toml'
        """
        for cal, ref in check_mapping(
            refs, "refs", what="a mapping of WorkCalendar -> name"
        ).items():
            check_instance(cal, WorkCalendar, "refs (a key)")
            if not (
                isinstance(ref, str)
                or (isinstance(ref, list) and all(isinstance(x, str) for x in ref))
            ):
                raise fail_type(
                    f"refs[{cal.name!r}]", "a code, a calendar file or a list of them", ref
                )
        return Plan._assemble(self.graph, self.calendar, self.name, {**self._sources, **refs})

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if type(other) is not Plan:
            return NotImplemented
        return (
            self.graph._same(other.graph)
            and self.calendar == other.calendar
            and self.name == other.name
        )

    def __hash__(self) -> int:
        # Equal plans have equal ids and names; that is enough to spread them.
        return hash((self.name, self.graph.ids, len(self.graph.predecessor)))

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
        k = self.graph.position(id)
        if k is None:
            raise UnknownStageError(
                f"no stage {id!r} in the plan; the stages are {_listing(self.graph.ids)}"
            )
        return self.graph.stage(k)

    def index(self, id: str) -> int | None:
        """The position of stage ``id`` in :attr:`stages`, or ``None`` (ids compared in NFC)."""
        return self.graph.position(id)

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and self.graph.position(id) is not None

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
        if isinstance(stage, str):
            s = self.stage(stage)
        elif isinstance(stage, Stage):
            s = stage
        else:
            raise fail_type("calendar_of: stage", "a Stage or a stage id", stage)
        return s.calendar if s.calendar is not None else self.calendar

    # -- rule changes: new plans ----------------------------------------------------

    def _evolve(self, stages: Iterable[Stage], links: Iterable[Link]) -> Plan:
        plan = Plan(stages, links, calendar=self.calendar, name=self.name)
        return Plan._assemble(plan.graph, self.calendar, self.name, self._sources)

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
        # The same stages and links: the graph (and its Stage objects) is shared.
        return Plan._assemble(self.graph, calendar, self.name, self._sources)

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
        k = self.graph.position(stage.id)
        if k is None:
            raise PlanError(
                f"replace_stage: no stage {stage.id!r} in the plan; "
                f"the stages are {_listing(self.graph.ids)}"
            )
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
                f"the stages are {_listing(self.graph.ids)}"
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
        added: list[Link] = check_sequence(links, "with_stage: links", what="a list of Link")
        return self._evolve((*self.stages, stage), (*self.links, *added))

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
                f"without_stage: no stage {id!r} in the plan; the stages are "
                f"{_listing(self.graph.ids)}"
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

        return read_plan(check_path(path, "path"), limits=limits, calendar_dirs=calendar_dirs)

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

    def to_dict(
        self, *, calendar_refs: Mapping[WorkCalendar, str | list[str]] | None = None
    ) -> dict[str, Any]:
        """The plan in its JSON form: the plan file's keys, JSON types only.

        Durations are whole working days or short forms (``"20cd"``), dates ISO
        strings; calendars are named as in :meth:`to_toml` (``calendar_refs``).
        Valid against ``approval_clock.schema("plan")``; :meth:`from_dict` reads it
        back to an equal plan.

        >>> from approval_clock import calendars
        >>> plan = Plan([Stage("a", 5), Stage("n", "20cd", kind="notice")], [Link("a", "n")],
        ...             calendar=calendars.get("CN"))
        >>> d = plan.to_dict()
        >>> d["calendar"], d["stages"][1]["duration"], d["links"][0]
        ('CN', '20cd', {'predecessor': 'a', 'successor': 'n'})
        >>> Plan.from_dict(d) == plan
        True
        """
        from approval_clock._toml import from_toml_text

        return from_toml_text(self.to_toml(calendar_refs=calendar_refs))

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        base_dir: str | Path | None = None,
        limits: Limits | None = None,
        calendar_dirs: Iterable[str | Path] = (),
    ) -> Plan:
        """The plan in ``data``, its JSON form (or a parsed plan file).

        Read by the plan files' reader (calendar files named relative to
        ``base_dir`` or in ``calendar_dirs``), so errors name the place:

        >>> Plan.from_dict({"format": 1, "calendar": "CN", "stages": [{"id": "a", "duration": -2}]})
        Traceback (most recent call last):
        ...
        approval_clock.errors.PlanFileError: plan (dict): stages[0].duration: expected a whole number of days >= 0, got -2
        """
        from approval_clock.plans._file import plan_from_dict

        return plan_from_dict(data, base_dir=base_dir, limits=limits, calendar_dirs=calendar_dirs)

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

        if calendar_refs is not None:
            check_mapping(calendar_refs, "calendar_refs", what="a mapping of calendar to reference")
        return dumps_plan(self, calendar_refs=calendar_refs)

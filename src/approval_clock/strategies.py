"""Hypothesis strategies for approval_clock values: dates, calendars, durations, plans.

For property-based tests of approval rules: "this rule change keeps the 45-day
target for every start date of the year", "making these two stages parallel
never makes the plan longer". ``docs/testing.md`` has those recipes as code.

Like ``hypothesis.extra.numpy``, this module imports hypothesis and the rest of
the library does not: install it with ``pip install hypothesis (the 'hypothesis' extra; see docs/install.md)``.
Each strategy is a plain function named after what it generates; keyword
arguments bound it, and its examples shrink toward simple ones (a Monday-Friday
week, few holidays, few stages, no links, short durations).

Bad arguments raise ``hypothesis.errors.InvalidArgument``, as hypothesis's own
strategies do, when the strategy is created; the error is also ours: an
:class:`~approval_clock.errors.ArgumentTypeError` for a wrong type, an
:class:`~approval_clock.errors.ArgumentValueError` for a value out of range.

>>> from datetime import date
>>> from hypothesis import find
>>> from approval_clock import calendars
>>> cn = calendars.get("CN")
>>> find(working_dates(cn, min_value=date(2021, 10, 1)), lambda d: True)  # the simplest
datetime.date(2021, 10, 8)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

try:
    from hypothesis import strategies as st
    from hypothesis.errors import InvalidArgument
except ImportError as e:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "approval_clock.strategies needs hypothesis, which is an optional extra: "
        "pip install hypothesis (the 'hypothesis' extra; see docs/install.md)"
    ) from e

from approval_clock._check import check_sequence, shown
from approval_clock.calendars.workcalendar import WorkCalendar
from approval_clock.durations import CalendarDays, CalendarMonths, Duration, WorkingDays
from approval_clock.errors import ArgumentTypeError, ArgumentValueError
from approval_clock.plans.model import LINK_KINDS, STAGE_KINDS, Link, Plan, Stage

__all__ = [
    "calendars",
    "dates",
    "durations",
    "links",
    "plans",
    "policies",
    "stages",
    "variations",
    "working_dates",
]

DurationType = type[WorkingDays] | type[CalendarDays] | type[CalendarMonths]

_HOLIDAY_NAMES = (
    "New Year's Day",
    "Spring Festival",
    "Qingming",
    "Labour Day",
    "Dragon Boat",
    "Mid-autumn",
    "National Day",
)


class _BadTypeError(ArgumentTypeError, InvalidArgument):
    """A strategy argument of the wrong type: our ArgumentTypeError and hypothesis's InvalidArgument."""


class _BadValueError(ArgumentValueError, InvalidArgument):
    """A strategy argument out of range: our ArgumentValueError and hypothesis's InvalidArgument."""


def _listed(what: str, values: object) -> list[Any]:
    """``values`` as a list (:func:`~approval_clock._check.check_sequence`), as a strategy error."""
    try:
        return check_sequence(values, what, what="a sequence")
    except ArgumentTypeError as e:
        raise _BadTypeError(str(e)) from None


def _bad_int(value: object) -> type[_BadTypeError] | type[_BadValueError]:
    """The class for a bad whole-number argument: of the wrong type, or out of range."""
    return _BadValueError if type(value) is int else _BadTypeError


def _check_range(what: str, lo: date, hi: date) -> None:
    if lo > hi:
        raise _BadValueError(f"{what}: min_value {lo} is after max_value {hi}")


def _bounds(
    calendar: WorkCalendar | None, min_value: date | None, max_value: date | None
) -> tuple[date, date]:
    for what, value in (("min_value", min_value), ("max_value", max_value)):
        if value is not None and type(value) is not date:
            raise _BadTypeError(f"{what}: expected a datetime.date or None, got {value!r}")
    if calendar is None:
        lo, hi = min_value or date.min, max_value or date.max
    else:
        if not isinstance(calendar, WorkCalendar):
            raise _BadTypeError(f"calendar: expected a WorkCalendar or None, got {calendar!r}")
        first, last = calendar.coverage
        lo, hi = min_value or first, max_value or last
        for what, value in (("min_value", lo), ("max_value", hi)):
            if not first <= value <= last:
                raise _BadValueError(
                    f"{what}: {value} is outside calendar {calendar.name!r}, which covers "
                    f"{first}..{last}"
                )
    _check_range("dates", lo, hi)
    return lo, hi


def dates(
    calendar: WorkCalendar | None = None,
    *,
    min_value: date | None = None,
    max_value: date | None = None,
) -> st.SearchStrategy[date]:
    """Dates from ``min_value`` to ``max_value``; within ``calendar``'s coverage if given.

    Without a calendar this is ``hypothesis.strategies.dates``. With one, the
    bounds default to its coverage and must lie inside it, so every date drawn
    can be asked about.

    >>> from datetime import date
    >>> from hypothesis import find
    >>> from approval_clock import calendars
    >>> cn = calendars.get("CN")
    >>> find(dates(cn), lambda d: True)             # the first day CN covers
    datetime.date(2004, 1, 1)
    >>> from hypothesis import given, settings
    >>> from approval_clock import WorkingDays
    >>> @settings(max_examples=20)
    ... @given(dates(cn, min_value=date(2021, 1, 1), max_value=date(2021, 12, 31)))
    ... def check(d):
    ...     assert cn.elapsed(d, cn.deadline(d, WorkingDays(5))) == 5
    >>> check()

    Like ``hypothesis.strategies.dates``, a date shrinks by its year, month and
    day separately, so ``find`` with a condition on the weekday can end on any of
    several small dates.
    """
    lo, hi = _bounds(calendar, min_value, max_value)
    if calendar is None and min_value is None and max_value is None:
        return st.dates()
    return st.dates(lo, hi)


def working_dates(
    calendar: WorkCalendar,
    *,
    min_value: date | None = None,
    max_value: date | None = None,
) -> st.SearchStrategy[date]:
    """Working days of ``calendar`` between ``min_value`` and ``max_value`` (its coverage by default).

    Shrinks toward the first working day on or after ``min_value``.

    >>> from datetime import date
    >>> from hypothesis import given, settings
    >>> from approval_clock import calendars
    >>> cn = calendars.get("CN")
    >>> @settings(max_examples=20)
    ... @given(working_dates(cn, min_value=date(2021, 1, 1), max_value=date(2021, 12, 31)))
    ... def check(d):
    ...     assert cn.is_working_day(d) and d.year == 2021
    >>> check()
    """
    if not isinstance(calendar, WorkCalendar):
        raise _BadTypeError(f"calendar: expected a WorkCalendar, got {calendar!r}")
    lo, hi = _bounds(calendar, min_value, max_value)
    first = (
        calendar.working_day_number(lo - timedelta(days=1)) + 1 if lo > calendar.coverage[0] else 1
    )
    last = calendar.working_day_number(hi)
    if first > last:
        raise _BadValueError(
            f"working_dates: calendar {calendar.name!r} has no working day in {lo}..{hi}"
        )
    return st.integers(first, last).map(calendar.date_of_working_day)


_UNITS = (WorkingDays, CalendarDays, CalendarMonths)


def durations(
    *,
    units: Sequence[DurationType] = (WorkingDays, CalendarDays, CalendarMonths),
    min_days: int = 0,
    max_days: int = 60,
    max_months: int = 12,
) -> st.SearchStrategy[Duration]:
    """Durations in the given ``units``: ``min_days..max_days`` days, or ``0..max_months`` months.

    Shrinks toward the first unit listed and toward ``min_days`` (0: a milestone).

    >>> from hypothesis import find
    >>> find(durations(), lambda d: True)
    WorkingDays(0)
    >>> find(durations(units=(CalendarDays,), max_days=10), lambda d: d.n > 7)
    CalendarDays(8)
    """
    if not isinstance(units, type):
        units = _listed("units", units)
    if isinstance(units, type) or not units:
        raise _BadTypeError(
            f"units: expected a non-empty sequence of WorkingDays, CalendarDays, "
            f"CalendarMonths, got {units!r}"
        )
    for u in units:
        if u not in _UNITS:
            raise _BadTypeError(
                f"units: expected WorkingDays, CalendarDays or CalendarMonths, got {u!r}"
            )
    for what, value in (("min_days", min_days), ("max_days", max_days), ("max_months", max_months)):
        if type(value) is not int or value < 0:
            raise _bad_int(value)(f"{what}: expected a whole number >= 0, got {value!r}")
    if min_days > max_days:
        raise _BadValueError(f"durations: min_days {min_days} is above max_days {max_days}")
    parts: list[st.SearchStrategy[Duration]] = []
    for u in units:
        if u is CalendarMonths:
            parts.append(st.integers(min(min_days // 30, max_months), max_months).map(u))
        else:
            parts.append(st.integers(min_days, max_days).map(u))
    return st.one_of(parts)


@st.composite
def _calendar(
    draw: st.DrawFn,
    min_value: date,
    max_value: date,
    min_days: int,
    weekmask: str | None,
    max_holidays: int,
    max_workdays: int,
    name: str,
) -> WorkCalendar:
    span = (max_value - min_value).days + 1
    slack = span - min_days
    # Both trims shrink to 0: the simplest coverage is the whole range allowed.
    cut_front = draw(st.integers(0, slack))
    cut_back = draw(st.integers(0, slack - cut_front))
    first = min_value + timedelta(days=cut_front)
    last = max_value - timedelta(days=cut_back)
    if weekmask is None:
        # Monday-Friday first (shrinks to it); otherwise any week with a working day.
        anchor = draw(st.integers(0, 6))
        bits = draw(st.lists(st.booleans(), min_size=7, max_size=7))
        bits[anchor] = True
        weekmask = draw(st.sampled_from(["1111100", "".join("1" if b else "0" for b in bits)]))
    n = (last - first).days
    periods = draw(
        st.lists(
            st.tuples(st.integers(0, n), st.integers(1, 7), st.sampled_from(_HOLIDAY_NAMES)),
            max_size=max_holidays,
        )
    )
    holidays: dict[date, str] = {}
    for offset, length, holiday in periods:
        for k in range(offset, min(offset + length, n + 1)):
            holidays.setdefault(first + timedelta(days=k), holiday)
    makeup = draw(
        st.lists(
            st.tuples(st.integers(0, n), st.sampled_from(_HOLIDAY_NAMES)), max_size=max_workdays
        )
    )
    workdays = {
        first + timedelta(days=k): holiday
        for k, holiday in makeup
        if first + timedelta(days=k) not in holidays
    }
    return WorkCalendar(
        name, first=first, last=last, weekmask=weekmask, holidays=holidays, workdays=workdays
    )


def calendars(
    *,
    min_value: date = date(2020, 1, 1),
    max_value: date = date(2030, 12, 31),
    min_days: int = 366,
    weekmask: str | None = None,
    max_holidays: int = 10,
    max_workdays: int = 10,
    name: str = "Random",
) -> st.SearchStrategy[WorkCalendar]:
    """Working-day calendars: week masks, holiday periods, makeup days and coverage, all drawn.

    Args:
        min_value, max_value: the coverage lies inside this range...
        min_days: ...and spans at least this many days.
        weekmask: a fixed week mask (``"1111110"``); by default one is drawn, with
            at least one working weekday (shrinking toward ``"1111100"``).
        max_holidays: at most this many holiday periods of 1 to 7 days each.
        max_workdays: at most this many makeup working days (dates that are not
            holidays; a makeup day on a day the week mask already works is
            allowed and changes nothing, as in a real notice).
        name: the calendars' name (use two names to tell two drawn calendars apart).

    Shrinks toward the whole range, Monday to Friday, no holidays, no makeup days.

    >>> from hypothesis import find
    >>> cal = find(calendars(), lambda c: True)
    >>> cal.weekmask, cal.coverage, len(cal.holidays), len(cal.workdays)
    ('1111100', (datetime.date(2020, 1, 1), datetime.date(2030, 12, 31)), 0, 0)
    >>> find(calendars(), lambda c: len(c.holidays) > 0).holidays
    {datetime.date(2020, 1, 1): "New Year's Day"}
    """
    for what, value in (("min_value", min_value), ("max_value", max_value)):
        if type(value) is not date:
            raise _BadTypeError(f"{what}: expected a datetime.date, got {value!r}")
    _check_range("calendars", min_value, max_value)
    if type(min_days) is not int or not 1 <= min_days <= (max_value - min_value).days + 1:
        raise _BadValueError(
            f"min_days: expected 1..{(max_value - min_value).days + 1} (the days from "
            f"min_value to max_value), got {min_days!r}"
        )
    if weekmask is not None and not isinstance(weekmask, str):
        weekmask = _listed("weekmask", weekmask)
    if weekmask is not None:
        # Let WorkCalendar say what is wrong with it, as an InvalidArgument.
        try:
            WorkCalendar("check", first=min_value, last=min_value, weekmask=weekmask)
        except ValueError as e:
            raise _BadValueError(str(e)) from None
    for what, limit in (("max_holidays", max_holidays), ("max_workdays", max_workdays)):
        if type(limit) is not int or limit < 0:
            raise _bad_int(limit)(f"{what}: expected a whole number >= 0, got {limit!r}")
    if not isinstance(name, str) or not name:
        raise _BadTypeError(f"name: expected a non-empty string, got {name!r}")
    return _calendar(min_value, max_value, min_days, weekmask, max_holidays, max_workdays, name)


_NO_NAME = st.just("")
_IDS = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)


def stages(
    *,
    ids: st.SearchStrategy[str] = _IDS,
    durations: st.SearchStrategy[Duration] | None = None,
    kinds: Sequence[str] = STAGE_KINDS,
    names: st.SearchStrategy[str] = _NO_NAME,
    calendars: Sequence[WorkCalendar | None] = (None,),
) -> st.SearchStrategy[Stage]:
    """Stages: an id, a duration, a kind and optionally a calendar of their own.

    Args:
        ids: strategy for the id (short lowercase identifiers by default).
        durations: strategy for the duration; by default 0 to 10 working days.
        kinds: the kinds to choose from; shrinks toward the first (``"work"``).
        names: strategy for the display name (``""`` by default).
        calendars: the calendars a stage may use (``None``: the plan's); shrinks
            toward the first.

    >>> from hypothesis import find
    >>> find(stages(), lambda s: True)
    Stage('a', 0)
    >>> find(stages(kinds=("notice",)), lambda s: s.duration.n >= 3).duration
    WorkingDays(3)
    """
    dur = _durations_or_default(durations)
    kinds_t = _choices("kinds", kinds, STAGE_KINDS)
    cals = _calendar_choices(calendars)
    for what, value in (("ids", ids), ("names", names)):
        if not isinstance(value, st.SearchStrategy):
            raise _BadTypeError(f"{what}: expected a strategy of strings, got {shown(value)}")
    return st.builds(
        lambda i, d, k, n, c: Stage(i, d, kind=k, name=n, calendar=c),
        ids,
        dur,
        st.sampled_from(kinds_t),
        names,
        st.sampled_from(cals),
    )


def _durations_or_default(
    value: st.SearchStrategy[Duration] | None,
) -> st.SearchStrategy[Duration]:
    if value is None:
        return durations(units=(WorkingDays,), max_days=10)
    if not isinstance(value, st.SearchStrategy):
        raise _BadTypeError(f"durations: expected a strategy (see durations()), got {value!r}")
    return value


def _choices(what: str, values: Sequence[str], allowed: Sequence[str]) -> tuple[str, ...]:
    if not isinstance(values, str):
        values = _listed(what, values)
    if isinstance(values, str) or not values or any(v not in allowed for v in values):
        raise _BadTypeError(
            f"{what}: expected a non-empty sequence of {', '.join(map(repr, allowed))}, "
            f"got {values!r}"
        )
    return tuple(values)


def _calendar_choices(values: Sequence[WorkCalendar | None]) -> tuple[WorkCalendar | None, ...]:
    if not isinstance(values, WorkCalendar):
        values = _listed("calendars", values)
    if (
        isinstance(values, WorkCalendar)
        or not values
        or any(v is not None and not isinstance(v, WorkCalendar) for v in values)
    ):
        raise _BadTypeError(
            f"calendars: expected a non-empty sequence of WorkCalendar or None, got {values!r}"
        )
    return tuple(values)


def _lags(min_lag: int, max_lag: int, calendar_day_lags: bool) -> st.SearchStrategy[Any]:
    for what, value in (("min_lag", min_lag), ("max_lag", max_lag)):
        if type(value) is not int:
            raise _BadTypeError(f"{what}: expected an int, got {value!r}")
    if min_lag > max_lag:
        raise _BadValueError(f"links: min_lag {min_lag} is above max_lag {max_lag}")
    # Shrinks toward 0 (st.integers shrinks toward 0 when the range holds it).
    working: st.SearchStrategy[Any] = st.integers(min_lag, max_lag)
    if not calendar_day_lags:
        return working
    return st.one_of(working, st.integers(max(0, min_lag), max(0, max_lag)).map(CalendarDays))


def links(
    stage_ids: Sequence[str],
    *,
    kinds: Sequence[str] = LINK_KINDS,
    min_lag: int = -3,
    max_lag: int = 3,
    calendar_day_lags: bool = False,
) -> st.SearchStrategy[Link]:
    """One link between two of ``stage_ids``, always from an earlier to a later one in that order.

    Links drawn this way can never form a cycle, whatever their number: order the
    ids topologically (or any way) and the links follow it. Lags are working days
    in ``min_lag..max_lag``; ``calendar_day_lags=True`` mixes in
    ``CalendarDays`` lags (``max(0, min_lag)..max_lag``). Shrinks toward a
    finish-to-start link of lag 0 between the first two ids.

    >>> from hypothesis import find
    >>> find(links(["a", "b", "c"]), lambda ln: True)
    Link('a', 'b')
    >>> find(links(["a", "b", "c"], kinds=("SS", "FF")), lambda ln: ln.successor == "c")
    Link('a', 'c', 'SS')
    """
    ids = [] if isinstance(stage_ids, str) else _listed("stage_ids", stage_ids)
    if isinstance(stage_ids, str) or len(ids) < 2 or len(set(ids)) != len(ids):
        raise _BadValueError(
            f"stage_ids: expected at least two distinct stage ids, got {stage_ids!r}"
        )
    kinds_t = _choices("kinds", kinds, LINK_KINDS)
    lag = _lags(min_lag, max_lag, calendar_day_lags)
    n = len(ids)

    @st.composite
    def link(draw: st.DrawFn) -> Link:
        i = draw(st.integers(0, n - 2))
        j = draw(st.integers(i + 1, n - 1))
        return Link(ids[i], ids[j], draw(st.sampled_from(kinds_t)), draw(lag))

    return link()


@st.composite
def _stage_and_incoming(
    draw: st.DrawFn,
    position: int,
    budget: int,
    link_kinds: tuple[str, ...],
    stage_calendars: tuple[WorkCalendar | None, ...],
    durations: st.SearchStrategy[Duration],
    kinds: tuple[str, ...],
    lags: st.SearchStrategy[Any],
) -> tuple[bool, int, Duration, str, WorkCalendar | None, list[tuple[int, str, Any]]]:
    # One stage and its incoming links, drawn together: the shrinker deletes a
    # stage by deleting this one span, links and all. The first draw keeps the
    # stage in the plan; it shrinks toward 0, "left out", so the shrinker can also
    # drop a stage without moving any other draw (deleting a span shifts every
    # later stage's links and the drawn order, which often loses the failure:
    # isolated milestones used to stay in failing examples for that reason).
    present = draw(st.integers(0, 7)) != 0
    # Where the stage goes in the order links follow: by rank, then position. All
    # ranks shrink to 0, the stages' own order; a stage left out moves no other.
    rank = draw(st.integers(0, 15))
    duration = draw(durations)
    kind = draw(st.sampled_from(kinds))
    calendar = draw(st.sampled_from(stage_calendars))
    if position == 0 or budget <= 0:
        return present, rank, duration, kind, calendar, []
    # A predecessor is named by how far back it is in the drawn order (1: the
    # stage just before), which keeps its meaning when an earlier stage is deleted.
    incoming = draw(
        st.lists(
            st.tuples(st.integers(1, position), st.sampled_from(link_kinds), lags),
            max_size=min(budget, position * len(link_kinds)),
            unique_by=lambda t: (t[0], t[1]),
        )
    )
    return present, rank, duration, kind, calendar, incoming


@st.composite
def _plan(
    draw: st.DrawFn,
    min_stages: int,
    max_stages: int,
    max_links: int | None,
    link_kinds: tuple[str, ...],
    calendar: WorkCalendar | st.SearchStrategy[WorkCalendar],
    stage_calendars: tuple[WorkCalendar | None, ...],
    durations: st.SearchStrategy[Duration],
    kinds: tuple[str, ...],
    lags: st.SearchStrategy[Any],
    name: str,
) -> Plan:
    cal = draw(calendar) if isinstance(calendar, st.SearchStrategy) else calendar
    # Stages are drawn one block at a time, each ending the plan with probability
    # about 1 / (max_stages - min_stages + 1), like st.lists draws its elements; a
    # plan shrinks by losing whole stages with their links.
    more = st.integers(0, max_stages - min_stages).map(bool)
    blocks: list[tuple[bool, Duration, str, WorkCalendar | None]] = []
    ranks: list[tuple[int, int]] = []
    drawn: list[tuple[int, int, str, Any]] = []
    while len(blocks) < max_stages and (len(blocks) < min_stages or draw(more)):
        i = len(blocks)
        budget = (2 * (i + 1) if max_links is None else max_links) - len(drawn)
        present, rank, duration, kind, own, incoming = draw(
            _stage_and_incoming(i, budget, link_kinds, stage_calendars, durations, kinds, lags)
        )
        blocks.append((present, duration, kind, own))
        ranks.append((rank, i))
        drawn.extend((i - back, i, kind_, lag) for back, kind_, lag in incoming)
    keep = [b[0] for b in blocks]
    for i in range(len(keep)):  # the first stages left out come back to make min_stages
        if sum(keep) >= min_stages:
            break
        keep[i] = True
    number: dict[int, int] = {}
    built: list[Stage] = []
    for i, (_, duration, kind, own) in enumerate(blocks):
        if keep[i]:
            number[i] = len(built)
            built.append(Stage(f"s{len(built)}", duration, kind=kind, calendar=own))  # type: ignore[arg-type]
    # Links go from the earlier to the later of their two stages in the drawn order
    # (by rank, then position), so no cycle can form, and they can run "backwards"
    # in stage numbering.
    chosen = []
    for a, b, kind, lag in drawn:
        if keep[a] and keep[b]:
            p, q = (a, b) if ranks[a] < ranks[b] else (b, a)
            chosen.append(Link(f"s{number[p]}", f"s{number[q]}", kind, lag))  # type: ignore[arg-type]
    return Plan(stages=built, links=chosen, calendar=cal, name=name)


def plans(
    *,
    min_stages: int = 1,
    max_stages: int = 6,
    max_links: int | None = None,
    link_kinds: Sequence[str] = LINK_KINDS,
    calendar: WorkCalendar | st.SearchStrategy[WorkCalendar] | None = None,
    stage_calendars: Sequence[WorkCalendar | None] = (None,),
    durations: st.SearchStrategy[Duration] | None = None,
    kinds: Sequence[str] = STAGE_KINDS,
    min_lag: int = -3,
    max_lag: int = 3,
    calendar_day_lags: bool = False,
    name: str = "",
) -> st.SearchStrategy[Plan]:
    """Valid plans: stages ``s0``, ``s1``, ... and links that never form a cycle.

    Acyclic by construction: a random order of the stages is drawn and every link
    goes from an earlier to a later stage in it. No plan is ever rejected, and
    examples shrink toward one stage, no links, short durations: each stage is
    drawn together with its incoming links, so the shrinker drops a stage and its
    links in one step, and each stage has a draw that leaves it out without
    changing any other draw, so that stages a failure does not need (an isolated
    milestone) shrink away. Stages are numbered ``s0, s1, ...`` in the order
    kept. Shrinking is a heuristic search; which of two equally small plans it
    ends on can differ from run to run.

    Args:
        min_stages, max_stages: how many stages.
        max_links: at most this many links (default ``2 * stages``); a pair of
            stages may have one link of each kind (SS + FF is 容缺受理).
        link_kinds: the link kinds to use (``("FS",)`` for serial processes only).
        calendar: the plan's calendar, or a strategy for it (e.g. :func:`calendars`);
            by default mainland China (``calendars.get("CN")``).
        stage_calendars: calendars a stage may use instead of the plan's; ``None``
            in the sequence means the plan's.
        durations: strategy for stage durations; by default 0 to 10 working days.
        kinds: stage kinds to use (see :data:`approval_clock.plans.model.STAGE_KINDS`).
        min_lag, max_lag, calendar_day_lags: link lags, as in :func:`links`.
        name: the plans' name.

    >>> from datetime import date
    >>> from hypothesis import find
    >>> find(plans(), lambda p: True).stages
    (Stage('s0', 0),)
    >>> [str(ln) for ln in find(plans(), lambda p: len(p.links) >= 1).links]
    ["'s0' -> 's1' (FS)"]
    >>> plan = find(plans(link_kinds=("FS",)), lambda p: len(p.links) >= 2)
    >>> len(plan.stages), len(plan.links)  # which two links depends on the run
    (3, 2)
    """
    for what, value in (("min_stages", min_stages), ("max_stages", max_stages)):
        if type(value) is not int or value < 1:
            raise _bad_int(value)(f"{what}: expected a whole number >= 1, got {value!r}")
    if min_stages > max_stages:
        raise _BadValueError(f"plans: min_stages {min_stages} is above max_stages {max_stages}")
    if max_links is not None and (type(max_links) is not int or max_links < 0):
        raise _bad_int(max_links)(
            f"max_links: expected a whole number >= 0 or None, got {max_links!r}"
        )
    if calendar is None:
        from approval_clock.calendars import get

        calendar = get("CN")
    elif not isinstance(calendar, (WorkCalendar, st.SearchStrategy)):
        raise _BadTypeError(
            f"calendar: expected a WorkCalendar, a strategy for one, or None, got {calendar!r}"
        )
    if not isinstance(name, str):
        raise _BadTypeError(f"name: expected a string, got {name!r}")
    return _plan(
        min_stages,
        max_stages,
        max_links,
        _choices("link_kinds", link_kinds, LINK_KINDS),
        calendar,
        _calendar_choices(stage_calendars),
        _durations_or_default(durations),
        _choices("kinds", kinds, STAGE_KINDS),
        _lags(min_lag, max_lag, calendar_day_lags),
        name,
    )


_CONDITION_KEYS = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)
_FACTS = st.one_of(st.booleans(), st.integers(0, 10**6), st.text(max_size=8))


@st.composite
def _policy(draw: st.DrawFn, max_days: int, max_conditions: int) -> Any:
    from approval_clock.checks.policy import Condition, Policy

    def maybe(strategy: st.SearchStrategy[int]) -> int | None:
        return draw(st.none() | strategy)

    baseline = maybe(st.integers(1, max_days))
    target = maybe(st.integers(0, baseline if baseline is not None else max_days))
    below = target if target is not None else baseline
    notice = maybe(st.integers(0, below if below is not None else max_days))
    ratio = draw(st.none() | st.integers(0, 99).map(lambda k: f"{k}%"))
    keys = draw(st.lists(_CONDITION_KEYS, max_size=max_conditions, unique=True))
    conditions = [
        Condition(
            key,
            draw(st.text(max_size=20)),
            draw(_FACTS | st.lists(_FACTS, min_size=1, max_size=3).map(tuple)),
            draw(st.sampled_from(["condition", "scope"])),
        )
        for key in keys
    ]
    return Policy(
        draw(st.sampled_from(["pilot", "reform", "拿地即开工"])),
        metric=draw(st.sampled_from(["approval_days", "duration"])),
        baseline_limit=baseline,
        target_limit=target,
        min_ratio=ratio,
        notice_days=notice,
        conditions=conditions,
        description=draw(st.text(max_size=20)),
    )


def policies(*, max_days: int = 120, max_conditions: int = 3) -> st.SearchStrategy[Any]:
    """Valid :class:`~approval_clock.checks.policy.Policy` values: limits, a ratio, conditions.

    Limits are ``None`` or working days up to ``max_days``, consistent with each
    other (notice <= target <= baseline); ``min_ratio`` is ``None`` or a
    whole percentage; up to ``max_conditions`` eligibility conditions with
    distinct keys. Shrinks toward a policy with no limits and no conditions.

    >>> from hypothesis import find
    >>> p = find(policies(), lambda p: p.target_limit is not None and p.notice_days is not None)
    >>> p.name, p.target_limit, p.notice_days, p.conditions
    ('pilot', 0, 0, ())
    """
    for what, value in (("max_days", max_days), ("max_conditions", max_conditions)):
        if type(value) is not int or value < 0:
            raise _bad_int(value)(f"{what}: expected a whole number >= 0, got {value!r}")
    if max_days < 1:
        raise _BadValueError(f"max_days: expected at least 1, got {max_days}")
    return _policy(max_days, max_conditions)


CHANGES = ("duration", "parallel", "serial", "add_link", "remove_link")
"""What :func:`variations` may change: a stage's duration; an FS link made
parallel (SS + FF: accepted together, finished no earlier, 容缺受理); an SS or FF
pair made serial (FS); a link added (in the plan's order: never a cycle); a
link removed."""


def _duration_bounds(
    plan: Plan, durations: Mapping[str, tuple[int, int]] | None, keep: Collection[str] | None
) -> dict[int, tuple[int, int]]:
    """Stage index -> (lowest, highest) days it may take, for the stages that may change."""
    index = {st.id: i for i, st in enumerate(plan.stages)}
    if durations is not None:
        if not isinstance(durations, Mapping):
            raise _BadValueError(
                f"durations: expected a mapping of stage id -> (min, max) days, got {durations!r}"
            )
        out: dict[int, tuple[int, int]] = {}
        for sid, bounds in durations.items():
            if sid not in index:
                raise _BadValueError(
                    f"durations: no stage {sid!r} in the plan; the stages are "
                    f"{', '.join(map(repr, index))}"
                )
            if (
                not isinstance(bounds, tuple)
                or len(bounds) != 2
                or not all(type(b) is int and b >= 0 for b in bounds)
                or bounds[0] > bounds[1]
            ):
                raise _BadValueError(
                    f"durations[{sid!r}]: expected (min, max) whole days with 0 <= min <= max, "
                    f"got {bounds!r}"
                )
            out[index[sid]] = bounds
        return out
    kept = (
        {st.id for st in plan.stages if st.kind == "notice"}
        if keep is None
        else set(_listed("keep", keep))
    )
    unknown = kept - set(index)
    if unknown:
        raise _BadValueError(f"keep: no stage {sorted(unknown)[0]!r} in the plan")
    return {i: (0, 2 * st.duration.n) for i, st in enumerate(plan.stages) if st.id not in kept}


def _positions(plan: Plan) -> dict[str, int]:
    """Stage id -> its place in a topological order of the plan (links go forward)."""
    from approval_clock.plans._cpm import topological_order

    index = {st.id: i for i, st in enumerate(plan.stages)}
    preds: list[list[int]] = [[] for _ in plan.stages]
    succs: list[list[int]] = [[] for _ in plan.stages]
    for ln in plan.links:
        preds[index[ln.successor]].append(index[ln.predecessor])
        succs[index[ln.predecessor]].append(index[ln.successor])
    order, _ = topological_order(len(plan.stages), preds, succs)
    return {plan.stages[i].id: k for k, i in enumerate(order)}


@st.composite
def _variation(
    draw: st.DrawFn,
    plan: Plan,
    bounds: dict[int, tuple[int, int]],
    changes: tuple[str, ...],
    max_changes: int,
    link_kinds: tuple[str, ...],
    min_lag: int,
    max_lag: int,
) -> Plan:
    ids = [st.id for st in plan.stages]
    n = len(ids)
    # Every link of the plan goes forward in this order, and every link added or
    # turned does too: no variation can have a cycle.
    position = _positions(plan)
    changeable = sorted(bounds)
    out = plan
    # Each change is drawn after a "go on" flag that shrinks to "stop", with its
    # parameters in exact ranges: the changes shrink toward none at all, the plan
    # itself, and each toward the first thing it could change.
    for _ in range(max_changes):
        if not draw(st.booleans()):
            break
        change = draw(st.sampled_from(changes))
        links = list(out.links)
        if change == "duration" and changeable:
            i = changeable[draw(st.integers(0, len(changeable) - 1))]
            lo, hi = bounds[i]
            old = out.stages[i].duration
            # Shrinks toward the stage's own duration, or the bound nearest to it.
            if lo <= old.n <= hi:
                days = old.n + draw(st.integers(lo - old.n, hi - old.n))
            elif old.n > hi:
                days = hi - draw(st.integers(0, hi - lo))
            else:
                days = lo + draw(st.integers(0, hi - lo))
            out = out.with_stage_changes(ids[i], duration=type(old)(days))
        elif change == "parallel":
            fs = [ln for ln in links if ln.kind == "FS"]
            if fs:
                ln = fs[draw(st.integers(0, len(fs) - 1))]
                out = out.without_link(ln)
                have = {x.key for x in out.links}
                for kind in ("SS", "FF"):
                    if (ln.predecessor, ln.successor, kind) not in have:
                        out = out.with_link(Link(ln.predecessor, ln.successor, kind))
        elif change == "serial":
            pairs = sorted(
                {(ln.predecessor, ln.successor) for ln in links if ln.kind in ("SS", "FF")},
                key=lambda pq: (position[pq[0]], position[pq[1]]),
            )
            if pairs:
                p, q = pairs[draw(st.integers(0, len(pairs) - 1))]
                for ln in links:
                    if (ln.predecessor, ln.successor) == (p, q) and ln.kind != "FS":
                        out = out.without_link(ln)
                if (p, q, "FS") not in {x.key for x in out.links}:
                    out = out.with_link(Link(p, q))
        elif change == "add_link" and n > 1:
            x = draw(st.integers(0, n - 1))
            y = draw(st.integers(0, n - 1))
            kind = draw(st.sampled_from(link_kinds))
            lag = draw(st.integers(min_lag, max_lag))
            if x != y:
                i, j = sorted((x, y), key=lambda k: position[ids[k]])
                if (ids[i], ids[j], kind) not in {ln.key for ln in links}:
                    out = out.with_link(Link(ids[i], ids[j], kind, lag))  # type: ignore[arg-type]
        elif change == "remove_link" and links:
            out = out.without_link(links[draw(st.integers(0, len(links) - 1))])
    return out


def variations(
    plan: Plan,
    *,
    durations: Mapping[str, tuple[int, int]] | None = None,
    keep: Collection[str] | None = None,
    changes: Sequence[str] = CHANGES,
    max_changes: int = 4,
    link_kinds: Sequence[str] = LINK_KINDS,
    min_lag: int = 0,
    max_lag: int = 0,
) -> st.SearchStrategy[Plan]:
    """Plans derived from ``plan`` by a few rule changes: always valid, the same stages.

    This is what a policy team tests: "no variation of the reform that keeps the
    notice breaks the 45-day target for any start of 2021". Each example applies
    up to ``max_changes`` changes of the kinds in ``changes`` (see
    :data:`CHANGES`): a stage's duration within its bounds; an FS link made
    parallel (SS + FF); an SS/FF pair made serial (FS); a link added (lag
    ``min_lag..max_lag``, kinds ``link_kinds``); a link removed. Every stage keeps
    its id, kind, name, calendar and date constraints; links are only added
    forward in the plan's topological order, so no variation has a cycle, and
    none is ever rejected. Examples shrink toward the original plan (no change),
    and a changed duration toward the stage's own.

    Args:
        plan: the plan to vary.
        durations: stage id -> ``(min, max)`` days (in the stage's own unit) for the
            stages whose duration may change; the others keep theirs. By default
            every stage not in ``keep`` may take ``0..2 * its days``.
        keep: ids of stages whose duration never changes when ``durations`` is not
            given; by default the ``notice`` stages (a statutory notice is a minimum).
        changes: the kinds of change allowed.
        max_changes: at most this many changes per example.
        link_kinds, min_lag, max_lag: the links ``add_link`` may add.

    >>> from hypothesis import find
    >>> from approval_clock import Plan, Stage, Link, calendars
    >>> plan = Plan(stages=[Stage("notice", 35, kind="notice"), Stage("review", 10)],
    ...             links=[Link("notice", "review")], calendar=calendars.get("CN"))
    >>> find(variations(plan), lambda p: True) == plan          # the simplest: no change
    True
    >>> find(variations(plan, changes=("parallel",)), lambda p: p != plan).links
    (Link('notice', 'review', 'SS'), Link('notice', 'review', 'FF'))
    >>> v = find(variations(plan), lambda p: p.stage("review").duration.n > 10)
    >>> v.stage("review").duration, v.stage("notice").duration   # the notice is kept
    (WorkingDays(11), WorkingDays(35))
    """
    if not isinstance(plan, Plan):
        raise _BadTypeError(f"plan: expected a Plan, got {plan!r}")
    changes_t = _choices("changes", changes, CHANGES)
    if type(max_changes) is not int or max_changes < 0:
        raise _bad_int(max_changes)(
            f"max_changes: expected a whole number >= 0, got {max_changes!r}"
        )
    for what, value in (("min_lag", min_lag), ("max_lag", max_lag)):
        if type(value) is not int:
            raise _BadTypeError(f"{what}: expected an int, got {value!r}")
    if min_lag > max_lag:
        raise _BadValueError(f"variations: min_lag {min_lag} is above max_lag {max_lag}")
    bounds = _duration_bounds(plan, durations, keep)
    return _variation(
        plan,
        bounds,
        changes_t,
        max_changes,
        _choices("link_kinds", link_kinds, LINK_KINDS),
        min_lag,
        max_lag,
    )

"""Validation rules shared by the two ways a plan is built: from objects (``model``) and from frames (``_frame``).

Each takes a value and where it was found (``"stage 'a': duration"``) and returns
it normalised or raises the plan's error, so both paths say the same thing.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from approval_clock._dates import describe_value as shown
from approval_clock.calendars.workcalendar import WorkCalendar
from approval_clock.durations import (
    CalendarDays,
    CalendarMonths,
    Duration,
    WorkingDays,
    parse_duration,
)
from approval_clock.errors import (
    DurationError,
    PlanError,
    PlanTypeError,
)

_Ints = npt.NDArray[np.int64]


def optional_date(value: object, where: str) -> date | None:
    """``value`` if it is a date or None (``not_before``, ``finish_by``)."""
    if value is None or type(value) is date:
        return value
    raise PlanError(f"{where}: expected a datetime.date or None, got {shown(value)}")


def duration(value: object, where: str) -> Duration:
    """A stage's duration in the duration vocabulary (see :mod:`approval_clock.durations`)."""
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
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return duration(int(value), where)  # numpy integers: the duration vocabulary
    raise PlanTypeError(
        f"{where}: expected a whole number of working days, WorkingDays, CalendarDays, "
        f"CalendarMonths or a short form such as '20wd', got {shown(value)}"
    )


def lag(value: object, where: str) -> int | CalendarDays:
    """A link's lag: whole working days (negative for a lead) or ``CalendarDays``."""
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
        return lag(parsed, where)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)  # numpy integers: the duration vocabulary
    raise PlanTypeError(
        f"{where}: expected an int of working days (negative for a lead), WorkingDays or "
        f"CalendarDays, got {shown(value)}"
    )


def listing(ids: Iterable[str], limit: int = 8) -> str:
    items = ids if isinstance(ids, (list, tuple)) else list(ids)
    listed = ", ".join(repr(i) for i in items[:limit])
    return listed + (f" and {len(items) - limit} more" if len(items) > limit else "")


def calendar_codes(own: Sequence[WorkCalendar | None]) -> tuple[_Ints, list[WorkCalendar]]:
    """Each stage's own calendar as an index into a list of distinct calendar objects."""
    calendars: list[WorkCalendar] = []
    code: dict[int, int] = {}
    out: list[int] = []
    for c in own:
        if c is None:
            out.append(-1)
            continue
        k = code.get(id(c))
        if k is None:
            k = code[id(c)] = len(calendars)
            calendars.append(c)
        out.append(k)
    return np.array(out, dtype=np.int64), calendars


def duplicate_ids(ids: Sequence[str], where: str = "stages") -> None:
    seen: dict[str, int] = {}
    for k, sid in enumerate(ids):
        first = seen.setdefault(sid, k)
        if first != k:
            raise PlanError(f"duplicate stage id {sid!r} ({where}[{first}] and {where}[{k}])")


def first_duplicate_link(
    pred: _Ints,
    succ: _Ints,
    kind: npt.NDArray[np.integer[Any]],
    n: int,
    known: npt.NDArray[np.bool_] | None = None,
) -> tuple[int, int] | None:
    """``(first, second)``: the first link (in order) whose key an earlier link has."""
    if len(pred) < 2:
        return None
    if len(pred) < 64:  # a few links: a dict costs less than sorting arrays
        seen: dict[tuple[int, int, int], int] = {}
        ok = [True] * len(pred) if known is None else known.tolist()
        for k, key3 in enumerate(zip(pred.tolist(), succ.tolist(), kind.tolist(), strict=True)):
            if ok[k]:
                first = seen.setdefault(key3, k)
                if first != k:
                    return first, k
        return None
    key = (pred * n + succ) * 3 + kind.astype(np.int64)
    if known is not None:
        # Links with an unknown end are reported as such; they get keys of their own.
        key = np.where(known, key, -1 - np.arange(len(key)))
    order = np.argsort(key, kind="stable")
    ranked = key[order]
    again = np.flatnonzero(ranked[1:] == ranked[:-1]) + 1
    if not len(again):
        return None
    second = int(order[again].min())
    first = int(np.flatnonzero(key == key[second])[0])
    return first, second

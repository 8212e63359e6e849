"""How sure a result is: the least certain of the days it rests on, in words.

Private helper of the result objects (:class:`~approval_clock.Schedule`,
:class:`~approval_clock.Comparison`, :class:`~approval_clock.Sweep`, the policy
reports and the records' ``Analysis``). :meth:`WorkCalendar.certainty
<approval_clock.WorkCalendar.certainty>` says how sure a day, or the least sure
day of a range, is; this module combines such answers and says them the same
way in every ``explain()`` and HTML summary.

>>> least(["official", "projected", "tentative"]), least([])
('projected', 'official')
>>> print(line("tentative"))
certainty: tentative (rests on late-December days that the next notice may still change)
>>> line("official") is None
True
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from approval_clock.calendars.workcalendar import CERTAINTIES, Certainty, WorkCalendar

__all__ = ["WHY", "counts_line", "first_uncertain", "least", "line"]

WHY: dict[str, str] = {
    "tentative": "rests on late-December days that the next notice may still change",
    "projected": "rests on days past the last loaded notice",
}
"""What a result of each certainty below ``"official"`` rests on."""


def least(values: Iterable[Certainty | None]) -> Certainty:
    """The least certain of ``values`` (missing ones ignored); ``"official"`` when there are none."""
    level = 0
    for v in values:
        if v is not None:
            level = max(level, CERTAINTIES.index(v))
    return CERTAINTIES[level]


def line(certainty: Certainty, detail: str | None = None) -> str | None:
    """The ``explain()`` line for a result of this certainty, ``None`` for ``"official"``.

    ``detail`` is said after the reason (the command line adds which days, and
    what to do).
    """
    if certainty == "official":
        return None
    more = f"; {detail}" if detail else ""
    return f"certainty: {certainty} ({WHY[certainty]}{more})"


def counts_line(values: Iterable[Certainty | None], what: str = "start") -> str | None:
    """A line counting the results that are not official, ``None`` when all are.

    >>> print(counts_line(["official", "tentative", "projected", "projected"]))
    certainty: 1 start rests on tentative days, 2 on projected days
    >>> print(counts_line(["projected", "projected"]))
    certainty: 2 starts rest on projected days
    """
    values = list(values)
    parts: list[str] = []
    for name in CERTAINTIES[1:]:
        n = values.count(name)
        if not n:
            continue
        if parts:
            parts.append(f"{n} on {name} days")
        else:
            verb = f"{what} rests" if n == 1 else f"{what}s rest"
            parts.append(f"{n} {verb} on {name} days")
    return "certainty: " + ", ".join(parts) if parts else None


def first_uncertain(cal: WorkCalendar) -> date | None:
    """The first day of ``cal`` that is not ``"official"``, or ``None`` when every day is.

    Every day before it is official, so a result resting only on earlier days is
    official without a look at the days themselves. Two attribute reads: cheap
    enough for the hot loops that ask (and nothing cached that would keep a
    dropped calendar alive).

    >>> from approval_clock import calendars
    >>> first_uncertain(calendars.get("CN"))
    datetime.date(2026, 12, 29)
    """
    firsts = [a for a, _ in cal.tentative]
    projected = cal.provisional
    if projected is not None:
        firsts.append(projected[0])
    return min(firsts) if firsts else None

"""Reading calendar and notice files (TOML) into calendars, with precise errors.

Two shapes share one vocabulary:

* a **notice file**: top-level ``year``, ``title``, ``holidays``, ``workdays`` and
  optionally ``document``, ``covers``, ``note`` — one notice;
* a **calendar file**: ``format = 1``, ``name``, ``timezone``, ``weekmask``,
  ``first``/``last`` (or ``base = "CN"`` to start from a known calendar), and an
  array of ``[[notices]]`` tables, each shaped like a notice file; optional
  ``[[verdicts]]`` record how disagreements between sources were settled.

Only TOML is read and nothing in a file is executed. Unknown keys are errors.
Every message starts ``<file>: <place>: `` (``cn.toml: notices[3].holidays[0].first``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from approval_clock.errors import ApprovalClockError, CalendarFileError
from approval_clock.notice import HolidayPeriod, MakeupDay, Notice, overlay

T = TypeVar("T")

_NOTICE_KEYS = {"year", "title", "holidays", "workdays", "document", "covers", "note"}
_CALENDAR_KEYS = {
    "format",
    "code",
    "name",
    "timezone",
    "weekmask",
    "first",
    "last",
    "base",
    "source",
    "notices",
    "verdicts",
}
_VERDICT_KEYS = {"date", "question", "packages", "verdict", "reason"}


def _shown(value: object) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{type(value).__name__} {text}"


class _Reader:
    """Typed access to a parsed TOML table, raising errors that name the place."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, place: str, problem: str) -> CalendarFileError:
        where = f"{place}: " if place else ""
        return CalendarFileError(f"{self.source}: {where}{problem}")

    def table(
        self, value: object, place: str, allowed: set[str], required: set[str]
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(place, f"expected a table, got {_shown(value)}")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(
                _join(place, unknown[0]),
                f"unknown key; expected one of {', '.join(sorted(allowed))}",
            )
        missing = sorted(required - set(value))
        if missing:
            raise self.fail(_join(place, missing[0]), "missing required key")
        return value

    def get(
        self, table: Mapping[str, Any], key: str, place: str, check: Callable[[object, str], T]
    ) -> T:
        return check(table[key], _join(place, key))

    def string(self, value: object, place: str) -> str:
        if not isinstance(value, str):
            raise self.fail(place, f"expected a string, got {_shown(value)}")
        return value

    def text(self, value: object, place: str) -> str:
        s = self.string(value, place)
        if not s.strip():
            raise self.fail(place, "expected a non-empty string")
        return s

    def date(self, value: object, place: str) -> date:
        if type(value) is not date:
            raise self.fail(place, f"expected a date such as 2027-01-01, got {_shown(value)}")
        return value

    def year(self, value: object, place: str) -> int:
        if type(value) is not int or not 1 <= value <= 9998:
            raise self.fail(place, f"expected a year such as 2027, got {_shown(value)}")
        return value

    def array(self, value: object, place: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(place, f"expected an array, got {_shown(value)}")
        return value


def _join(place: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{place}[{key}]"
    return f"{place}.{key}" if place else key


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise CalendarFileError(f"{source}: not valid TOML: {e}") from None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CalendarFileError(f"{path}: no such file") from None
    except UnicodeDecodeError as e:
        raise CalendarFileError(f"{path}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except OSError as e:
        raise CalendarFileError(f"{path}: cannot read ({e.strerror})") from None


def notice_from_table(r: _Reader, value: object, place: str) -> Notice:
    t = r.table(value, place, _NOTICE_KEYS, {"year", "title"})
    year = r.get(t, "year", place, r.year)
    holidays = []
    for k, item in enumerate(r.array(t.get("holidays", []), _join(place, "holidays"))):
        at = _join(_join(place, "holidays"), k)
        h = r.table(item, at, {"name", "first", "last"}, {"name", "first", "last"})
        first, last = r.get(h, "first", at, r.date), r.get(h, "last", at, r.date)
        if first > last:
            raise r.fail(at, f"first ({first}) is after last ({last})")
        holidays.append(HolidayPeriod(r.get(h, "name", at, r.text), first, last))
    workdays = []
    for k, item in enumerate(r.array(t.get("workdays", []), _join(place, "workdays"))):
        at = _join(_join(place, "workdays"), k)
        w = r.table(item, at, {"name", "date"}, {"name", "date"})
        workdays.append(MakeupDay(r.get(w, "name", at, r.text), r.get(w, "date", at, r.date)))
    covers = None
    if "covers" in t:
        c = r.array(t["covers"], _join(place, "covers"))
        if len(c) != 2:
            raise r.fail(_join(place, "covers"), f"expected [first, last], got {len(c)} values")
        covers = (r.date(c[0], _join(place, "covers[0]")), r.date(c[1], _join(place, "covers[1]")))
        if covers[0] > covers[1]:
            raise r.fail(_join(place, "covers"), f"{covers[0]} is after {covers[1]}")
    document = r.get(t, "document", place, r.text) if "document" in t else None
    note = r.get(t, "note", place, r.string) if "note" in t else ""
    try:
        return Notice(
            year=year,
            title=r.get(t, "title", place, r.text),
            holidays=holidays,
            workdays=workdays,
            document=document,
            covers=covers,
            note=note,
        )
    except ValueError as e:
        raise r.fail(place, str(e)) from None


def read_notice_file(path: Path) -> Notice:
    return notice_text(_read(path), str(path))


def notice_text(text: str, source: str) -> Notice:
    r = _Reader(source)
    return notice_from_table(r, _parse(text, source), "")


def calendar_text(text: str, source: str) -> Any:
    """Build a :class:`~approval_clock.WorkCalendar` from calendar-file text."""
    from approval_clock.calendar import WorkCalendar
    from approval_clock.notice import apply_notices

    r = _Reader(source)
    t = r.table(_parse(text, source), "", _CALENDAR_KEYS, {"format"})
    if t["format"] != 1 or type(t["format"]) is not int:
        raise r.fail("format", f"expected 1 (the only format so far), got {_shown(t['format'])}")
    notices = [
        notice_from_table(r, item, f"notices[{k}]")
        for k, item in enumerate(r.array(t.get("notices", []), "notices"))
    ]
    for k, item in enumerate(r.array(t.get("verdicts", []), "verdicts")):
        at = f"verdicts[{k}]"
        v = r.table(item, at, _VERDICT_KEYS, _VERDICT_KEYS)
        r.get(v, "date", at, r.date)
        for key in _VERDICT_KEYS - {"date"}:
            r.get(v, key, at, r.text)
    code = r.get(t, "code", "", r.text) if "code" in t else None
    if "source" in t:
        r.get(t, "source", "", r.string)
    try:
        if "base" in t:
            from approval_clock.calendars import get

            for key in ("weekmask", "timezone", "first", "last"):
                if key in t:
                    raise r.fail(
                        key, "not allowed together with 'base' (the base calendar sets it)"
                    )
            try:
                base = get(r.get(t, "base", "", r.text))
            except ApprovalClockError as e:
                raise r.fail("base", str(e)) from None
            cal = apply_notices(base, notices)
            if "name" in t or code is not None:
                cal = cal.renamed(
                    r.get(t, "name", "", r.text) if "name" in t else cal.name, code=code
                )
            return cal
        for key in ("name", "first", "last"):
            if key not in t:
                raise r.fail(
                    key, "missing required key (or give 'base' to start from a known calendar)"
                )
        first = r.get(t, "first", "", r.date)
        last = r.get(t, "last", "", r.date)
        holidays: dict[date, str] = {}
        workdays: dict[date, str] = {}
        overlay(holidays, workdays, notices)
        for k, n in enumerate(notices):
            lo, hi = n.covered()
            for j, p in enumerate(n.holidays):
                if p.first < first or p.last > last:
                    raise r.fail(
                        f"notices[{k}].holidays[{j}]",
                        f"{p.first}..{p.last} is outside first..last ({first}..{last})",
                    )
            for j, m in enumerate(n.workdays):
                if not first <= m.date <= last:
                    raise r.fail(
                        f"notices[{k}].workdays[{j}]",
                        f"{m.date} is outside first..last ({first}..{last})",
                    )
            if (lo < first or hi > last) and n.covers is not None:
                raise r.fail(
                    f"notices[{k}].covers",
                    f"{lo}..{hi} is outside first..last ({first}..{last})",
                )
        return WorkCalendar(
            r.get(t, "name", "", r.text),
            first=first,
            last=last,
            weekmask=r.get(t, "weekmask", "", r.string) if "weekmask" in t else "1111100",
            holidays=holidays,
            workdays=workdays,
            timezone=r.get(t, "timezone", "", r.text) if "timezone" in t else "UTC",
            code=code,
        )
    except CalendarFileError:
        raise
    except (ApprovalClockError, ValueError, TypeError) as e:
        raise r.fail("", str(e)) from None


def read_calendar_file(path: Path) -> Any:
    return calendar_text(_read(path), str(path))

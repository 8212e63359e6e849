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

from datetime import date
from pathlib import Path
from typing import Any

from approval_clock._toml import Reader, join, read_text, shown
from approval_clock.errors import ApprovalClockError, CalendarFileError
from approval_clock.notice import HolidayPeriod, MakeupDay, Notice, overlay

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


def notice_from_table(r: Reader, value: object, place: str) -> Notice:
    t = r.table(value, place, _NOTICE_KEYS, {"year", "title"})
    year = r.get(t, "year", place, r.year)
    holidays = []
    for k, item in enumerate(r.array(t.get("holidays", []), join(place, "holidays"))):
        at = join(join(place, "holidays"), k)
        h = r.table(item, at, {"name", "first", "last"}, {"name", "first", "last"})
        first, last = r.get(h, "first", at, r.date), r.get(h, "last", at, r.date)
        if first > last:
            raise r.fail(at, f"first ({first}) is after last ({last})")
        try:
            holidays.append(HolidayPeriod(r.get(h, "name", at, r.text), first, last))
        except ValueError as e:
            raise r.fail(at, str(e)) from None
    workdays = []
    for k, item in enumerate(r.array(t.get("workdays", []), join(place, "workdays"))):
        at = join(join(place, "workdays"), k)
        w = r.table(item, at, {"name", "date"}, {"name", "date"})
        workdays.append(MakeupDay(r.get(w, "name", at, r.text), r.get(w, "date", at, r.date)))
    covers = None
    if "covers" in t:
        c = r.array(t["covers"], join(place, "covers"))
        if len(c) != 2:
            raise r.fail(join(place, "covers"), f"expected [first, last], got {len(c)} values")
        covers = (r.date(c[0], join(place, "covers[0]")), r.date(c[1], join(place, "covers[1]")))
        if covers[0] > covers[1]:
            raise r.fail(join(place, "covers"), f"{covers[0]} is after {covers[1]}")
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
    return notice_text(read_text(path, CalendarFileError), str(path))


def notice_text(text: str, source: str) -> Notice:
    r = Reader(source, CalendarFileError)
    return notice_from_table(r, r.parse(text), "")


def calendar_text(text: str, source: str) -> Any:
    """Build a :class:`~approval_clock.WorkCalendar` from calendar-file text."""
    from approval_clock.calendar import WorkCalendar
    from approval_clock.notice import apply_notices

    r = Reader(source, CalendarFileError)
    t = r.table(r.parse(text), "", _CALENDAR_KEYS, {"format"})
    if t["format"] != 1 or type(t["format"]) is not int:
        raise r.fail("format", f"expected 1 (the only format so far), got {shown(t['format'])}")
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
            code_ = r.get(t, "base", "", r.text)
            try:
                base = get(code_)
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
    return calendar_text(read_text(path, CalendarFileError), str(path))

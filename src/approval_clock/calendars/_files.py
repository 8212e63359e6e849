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
The size and structure of a file are checked against the caller's
:class:`~approval_clock.limits.Limits` before it is parsed, and no calendar it
makes (its ``first..last``, a notice's ``covers``, the range notices grow a base
calendar to) may span more than ``limits.calendar_years``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from approval_clock._toml import Reader, join, read_text, shown
from approval_clock.calendars.notice import (
    SCOPES,
    DayTables,
    HolidayPeriod,
    MakeupDay,
    Notice,
    late_changes,
)
from approval_clock.errors import ApprovalClockError, CalendarError, CalendarFileError
from approval_clock.limits import DEFAULT_LIMITS, Limits

_NOTICE_KEYS = {"year", "title", "holidays", "workdays", "document", "covers", "note", "scope"}
_CALENDAR_KEYS = {
    "format",
    "code",
    "name",
    "timezone",
    "weekmask",
    "first",
    "last",
    "base",
    "law",
    "source",
    "notices",
    "verdicts",
}
_VERDICT_KEYS = {"date", "question", "packages", "verdict", "reason"}
_HOLIDAY_KEYS = {"name", "first", "last", "name_zh", "statutory"}


def _boolean(r: Reader) -> Any:
    def check(value: object, place: str) -> bool:
        if type(value) is not bool:
            raise r.fail(place, f"expected true or false, got {shown(value)}")
        return value

    return check


def notice_from_table(r: Reader, value: object, place: str) -> Notice:
    t = r.table(value, place, _NOTICE_KEYS, {"year", "title"})
    year = r.get(t, "year", place, r.year)
    holidays = []
    for k, item in enumerate(r.array(t.get("holidays", []), join(place, "holidays"))):
        at = join(join(place, "holidays"), k)
        h = r.table(item, at, _HOLIDAY_KEYS, {"name", "first", "last"})
        first, last = r.get(h, "first", at, r.date), r.get(h, "last", at, r.date)
        if first > last:
            raise r.fail(at, f"first ({first}) is after last ({last})")
        statutory = r.get(h, "statutory", at, _boolean(r)) if "statutory" in h else None
        try:
            holidays.append(
                HolidayPeriod(
                    r.get(h, "name", at, r.text),
                    first,
                    last,
                    name_zh=r.get(h, "name_zh", at, r.text) if "name_zh" in h else None,
                    statutory=statutory,
                )
            )
        except ValueError as e:
            raise r.fail(at, str(e)) from None
    workdays = []
    for k, item in enumerate(r.array(t.get("workdays", []), join(place, "workdays"))):
        at = join(join(place, "workdays"), k)
        w = r.table(item, at, {"name", "date", "name_zh"}, {"name", "date"})
        workdays.append(
            MakeupDay(
                r.get(w, "name", at, r.text),
                r.get(w, "date", at, r.date),
                name_zh=r.get(w, "name_zh", at, r.text) if "name_zh" in w else None,
            )
        )
    covers = None
    if "covers" in t:
        c = r.array(t["covers"], join(place, "covers"))
        if len(c) != 2:
            raise r.fail(join(place, "covers"), f"expected [first, last], got {len(c)} values")
        covers = (r.date(c[0], join(place, "covers[0]")), r.date(c[1], join(place, "covers[1]")))
        if covers[0] > covers[1]:
            raise r.fail(join(place, "covers"), f"{covers[0]} is after {covers[1]}")
        _check_span(r, join(place, "covers"), covers[0], covers[1])
    document = r.get(t, "document", place, r.text) if "document" in t else None
    note = r.get(t, "note", place, r.string) if "note" in t else ""
    scope = (
        r.get(t, "scope", place, lambda v, at: r.choice(v, at, SCOPES))
        if "scope" in t
        else "national"
    )
    try:
        return Notice(
            year=year,
            title=r.get(t, "title", place, r.text),
            holidays=holidays,
            workdays=workdays,
            document=document,
            covers=covers,
            note=note,
            scope=scope,
        )
    except ValueError as e:
        raise r.fail(place, str(e)) from None


def _check_span(r: Reader, place: str, first: date, last: date) -> None:
    """Refuse a calendar range longer than ``limits.calendar_years`` (before it is built)."""
    years = last.year - first.year + 1
    if years > r.limits.calendar_years:
        raise r.fail(
            place,
            f"{first}..{last} would make a calendar of {years} years, more than the "
            f"{r.limits.calendar_years} accepted (limits.calendar_years; pass "
            f"limits=Limits(calendar_years=...) to accept a longer one)",
        )


def _grown(cal: Any, notice: Notice) -> tuple[date, date]:
    """The range ``cal.with_notice(notice)`` will have (an upper bound for a regional one)."""
    lo, hi = notice.covered()
    first, last = cal.coverage
    if notice.scope == "national":
        return min(first, lo), max(last, hi)
    return first, max(last, hi)


def read_notice_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> Notice:
    return notice_text(read_text(path, CalendarFileError, limits), str(path), limits)


def notice_text(text: str, source: str, limits: Limits = DEFAULT_LIMITS) -> Notice:
    """A notice from our TOML notice format or a holiday-cn JSON file (by content)."""
    from approval_clock.calendars._holiday_cn import looks_like_json, notice_from_holiday_cn

    if isinstance(text, str) and looks_like_json(text):
        return notice_from_holiday_cn(text, source, limits)
    r = Reader(source, CalendarFileError, limits)
    return notice_from_table(r, r.parse(text), "")


def any_calendar_text(text: str, source: str, limits: Limits = DEFAULT_LIMITS) -> Any:
    """A calendar from a calendar file, or the mainland calendar with a bare notice file.

    A notice on its own (our TOML notice, or a holiday-cn JSON file) is a State
    Council notice, so it goes on top of ``calendars.get("CN")``.
    """
    from approval_clock.calendars._holiday_cn import looks_like_json

    if isinstance(text, str) and not looks_like_json(text):
        r = Reader(source, CalendarFileError, limits)
        table = r.parse(text)
        if "format" in table or "year" not in table:
            return calendar_text(text, source, limits=limits)
    notice = notice_text(text, source, limits)
    from approval_clock.calendars import get

    base = get("CN")
    _check_span(Reader(source, CalendarFileError, limits), "", *_grown(base, notice))
    try:
        return base.with_notice(notice)
    except CalendarFileError:
        raise
    except ApprovalClockError as e:
        raise CalendarFileError(f"{source}: {e}") from None


def calendar_text(
    text: str,
    source: str,
    *,
    notices_through: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Any:
    """Build a :class:`~approval_clock.WorkCalendar` from calendar-file text.

    ``notices_through``: use only the notices for years up to that one (the
    calendar then ends on 31 December of it), to back-test a projection.
    In steps: the top-level keys, the notices, the verdicts, then either a known
    base calendar with the notices on top or a calendar of the file's own.
    """
    from approval_clock.calendars.workcalendar import LAWS

    r = Reader(source, CalendarFileError, limits)
    t = r.table(r.parse(text), "", _CALENDAR_KEYS, {"format"})
    if t["format"] != 1 or type(t["format"]) is not int:
        raise r.fail("format", f"expected 1 (the only format so far), got {shown(t['format'])}")
    places, notices = _read_notices(r, t, notices_through)
    _check_verdicts(r, t)
    code = r.get(t, "code", "", r.text) if "code" in t else None
    if "source" in t:
        r.get(t, "source", "", r.string)
    law = r.get(t, "law", "", lambda v, at: r.choice(v, at, LAWS)) if "law" in t else None
    try:
        if "base" in t:
            return _on_base(r, t, places, notices, code)
        return _own_calendar(r, t, places, notices, code, law, notices_through)
    except CalendarFileError:
        raise
    except (ApprovalClockError, ValueError, TypeError) as e:
        raise r.fail("", str(e)) from None


def _read_notices(
    r: Reader, t: dict[str, Any], notices_through: int | None
) -> tuple[list[str], list[Notice]]:
    """The file's notices (up to ``notices_through``) and their places in it."""
    places = [f"notices[{k}]" for k in range(len(r.array(t.get("notices", []), "notices")))]
    notices = [
        notice_from_table(r, item, at)
        for at, item in zip(places, t.get("notices", []), strict=True)
    ]
    if notices_through is not None:
        kept = [k for k, n in enumerate(notices) if n.year <= notices_through]
        places = [places[k] for k in kept]
        notices = [notices[k] for k in kept]
    return places, notices


def _check_verdicts(r: Reader, t: dict[str, Any]) -> None:
    """``[[verdicts]]``: where the sources disagree, what the notice says (checked, kept as data)."""
    for k, item in enumerate(r.array(t.get("verdicts", []), "verdicts")):
        at = f"verdicts[{k}]"
        v = r.table(item, at, _VERDICT_KEYS, _VERDICT_KEYS)
        r.get(v, "date", at, r.date)
        for key in _VERDICT_KEYS - {"date"}:
            r.get(v, key, at, r.text)


def _on_base(
    r: Reader, t: dict[str, Any], places: list[str], notices: list[Notice], code: str | None
) -> Any:
    """A known calendar (``base = "CN"``) with the file's notices on top."""
    from approval_clock.calendars import get

    for key in ("weekmask", "timezone", "first", "last", "law"):
        if key in t:
            raise r.fail(key, "not allowed together with 'base' (the base calendar sets it)")
    code_ = r.get(t, "base", "", r.text)
    try:
        cal = get(code_)
    except ApprovalClockError as e:
        raise r.fail("base", str(e)) from None
    for at, notice in zip(places, notices, strict=True):
        _check_span(r, at, *_grown(cal, notice))
        try:
            cal = cal.with_notice(notice)
        except CalendarFileError:
            raise
        except ApprovalClockError as e:
            raise r.fail(at, str(e)) from None
    if "name" in t or code is not None:
        cal = cal.renamed(r.get(t, "name", "", r.text) if "name" in t else cal.name, code=code)
    return cal


def _own_calendar(
    r: Reader,
    t: dict[str, Any],
    places: list[str],
    notices: list[Notice],
    code: str | None,
    law: str | None,
    notices_through: int | None,
) -> Any:
    """A calendar of the file's own range, week and notices."""
    from approval_clock.calendars.workcalendar import WorkCalendar

    for key in ("name", "first", "last"):
        if key not in t:
            raise r.fail(
                key, "missing required key (or give 'base' to start from a known calendar)"
            )
    first = r.get(t, "first", "", r.date)
    last = r.get(t, "last", "", r.date)
    if first <= last:
        _check_span(r, "last", first, last)
    weekmask = r.get(t, "weekmask", "", r.string) if "weekmask" in t else "1111100"
    if notices_through is not None:
        if not first.year <= notices_through <= last.year:
            raise CalendarError(
                f"notices_through: expected a year in {first.year}..{last.year} "
                f"(the years of {r.source}), got {notices_through!r}"
            )
        last = min(last, date(notices_through, 12, 31))
    tables = DayTables()
    for at, n in zip(places, notices, strict=True):
        try:
            n.check_workdays("1111100" if law == "CN" else weekmask)
        except ApprovalClockError as e:
            raise r.fail(at, str(e)) from None
        tables.apply(n)
    for at, n in zip(places, notices, strict=True):
        _check_in_range(r, at, n, first, last)
    cal = WorkCalendar(
        r.get(t, "name", "", r.text),
        first=first,
        last=last,
        weekmask=weekmask,
        holidays=tables.holidays,
        workdays=tables.workdays,
        timezone=r.get(t, "timezone", "", r.text) if "timezone" in t else "UTC",
        code=code,
        tentative=_tentative_window(notices, weekmask, last) if law else (),
        law=law,
        names_zh=tables.names_zh,
        statutory=tables.statutory,
        _sources=tables.sources,
    )
    if law == "CN":
        _check_statutory(r, cal, places, notices)
    return cal


def _check_in_range(r: Reader, at: str, n: Notice, first: date, last: date) -> None:
    """Every day a notice names lies in the calendar's first..last."""
    lo, hi = n.covered()
    for j, p in enumerate(n.holidays):
        if p.first < first or p.last > last:
            raise r.fail(
                f"{at}.holidays[{j}]",
                f"{p.first}..{p.last} is outside first..last ({first}..{last})",
            )
    for j, m in enumerate(n.workdays):
        if not first <= m.date <= last:
            raise r.fail(
                f"{at}.workdays[{j}]", f"{m.date} is outside first..last ({first}..{last})"
            )
    if (lo < first or hi > last) and n.covers is not None:
        raise r.fail(f"{at}.covers", f"{lo}..{hi} is outside first..last ({first}..{last})")


def _tentative_window(notices: list[Notice], weekmask: str, last: date) -> list[tuple[date, date]]:
    """The late-December days the next notice has changed before, at the end of ``last``.

    Derived from the notices themselves: the earliest day of December that a
    notice changed in the year before its own (2018-12-29, by the 2019 notice),
    and from that day of the month to the end of the year. Nothing when the range
    does not end on 31 December or no notice ever changed the year before.
    """
    changed = [d for d in late_changes(notices, weekmask) if d.month == 12]
    if not changed or (last.month, last.day) != (12, 31):
        return []
    day = min(d.day for d in changed)
    return [(date(last.year, 12, day), last)]


def _check_statutory(r: Reader, cal: Any, places: list[str], notices: list[Notice]) -> None:
    """Every statutory holiday of a notice's year is a rest day (the law before any notice)."""
    from approval_clock.calendars._statutory import statutory_holidays

    first, last = cal.coverage
    for at, n in zip(places, notices, strict=True):
        if n.scope != "national":
            continue
        try:
            fixed = statutory_holidays(n.year)
        except ApprovalClockError:
            continue
        for d, name in fixed.items():
            if first <= d <= last and cal.is_working_day(d):
                raise r.fail(
                    at,
                    f"leaves {d} ({name}) a working day, but it is a statutory holiday of the "
                    f"全国年节及纪念日放假办法 in force in {n.year}; if this notice is regional, "
                    f'give it scope = "regional"',
                )


def read_calendar_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> Any:
    return any_calendar_text(read_text(path, CalendarFileError, limits), str(path), limits)

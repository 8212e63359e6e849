"""Writing a calendar out: holiday-cn's JSON layout and RFC 5545 iCalendar.

The other direction of ``_holiday_cn.py``: :meth:`WorkCalendar.to_holiday_cn`
and :meth:`WorkCalendar.to_ical` are thin methods over the two functions here.
They pass in what the calendar keeps per day besides its public tables (which
notice set a day, ``sources``; what a projection set, ``marks``), so this module
reads no private attribute.

* :func:`holiday_cn_year`: one year as holiday-cn publishes it, grouped by the
  notice that set each day (late-December days that serve the next New Year are
  in the next year's file); refused for a year resting on a projection, which
  would otherwise look like a published notice.
* :func:`ical_text`: an iCalendar of the holiday periods and makeup working days
  between two dates, made with the ``icalendar`` package (the ``ical`` extra),
  imported only when called.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from approval_clock._check import check_date
from approval_clock._dates import describe_value
from approval_clock.errors import (
    ArgumentTypeError,
    CalendarCoverageError,
    CalendarError,
    DateOrderError,
    MissingExtraError,
)

if TYPE_CHECKING:
    from approval_clock.calendars.workcalendar import WorkCalendar

__all__ = ["holiday_cn_year", "ical_text", "notice_year"]

Sources = Mapping[date, tuple[int, str]]
"""``{date: (notice year, notice title)}`` for the days a notice set."""

Marks = Mapping[date, tuple[str, int]]
"""``{date: (tag, year)}`` for the days a projection set; tag in statutory/substitute/forecast."""

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ONE_DAY = timedelta(days=1)


def notice_year(d: date, sources: Sources, marks: Marks) -> int:
    """The year of the notice (or projected year) ``d`` belongs to: its own year if neither.

    >>> notice_year(date(2018, 12, 29), {date(2018, 12, 29): (2019, "2019 notice")}, {})
    2019
    >>> notice_year(date(2026, 4, 20), {}, {})
    2026
    """
    if d in sources:
        return sources[d][0]
    if d in marks:
        return marks[d][1]
    return d.year


# -- holiday-cn ------------------------------------------------------------------------


def holiday_cn_year(
    cal: WorkCalendar, year: int, *, sources: Sources, marks: Marks
) -> dict[str, Any]:
    """``year`` of ``cal`` in holiday-cn's layout (see :meth:`WorkCalendar.to_holiday_cn`).

    >>> from approval_clock import calendars
    >>> data = calendars.get("CN").to_holiday_cn(2026)
    >>> data["year"], data["papers"], data["days"][0]
    (2026, [], {'name': '元旦', 'date': '2026-01-01', 'isOffDay': True})
    """
    if type(year) is not int:
        raise ArgumentTypeError(f"year: expected a year such as 2026, got {describe_value(year)}")
    lo, hi = cal.coverage
    if not (lo.year <= year <= hi.year and date(year, 1, 1) >= lo and date(year, 12, 31) <= hi):
        whole = (lo.year + (lo != date(lo.year, 1, 1)), hi.year - (hi != date(hi.year, 12, 31)))
        years = f"the years it covers whole, {whole[0]}..{whole[1]}"
        later = cal.law is not None and year > hi.year
        raise CalendarCoverageError(
            f"to_holiday_cn({year}): calendar {cal.name!r} covers {lo}..{hi}, not the whole "
            f"of {year}, and a holiday-cn file holds a whole year: export one of "
            + (years if whole[0] <= whole[1] else f"the years of a calendar that covers {year}")
            + (f", or load the {year} notice first with cal.with_notice(path)" if later else "")
        )
    named: dict[date, tuple[str, bool]] = {d: (n, True) for d, n in cal.holidays.items()}
    named.update((d, (n, False)) for d, n in cal.workdays.items())
    days = sorted(d for d in named if notice_year(d, sources, marks) == year)
    provisional = cal.provisional
    if provisional is not None:
        start = provisional[0]
        # The year's notice days, and the other days of the year that no other
        # year's notice or projection claims.
        projected = {d for d in days if d >= start}
        d = max(start, date(year, 1, 1))
        while d.year == year:
            if notice_year(d, sources, marks) == year:
                projected.add(d)
            d += _ONE_DAY
        if projected:
            first = min(projected)
            raise CalendarError(
                f"to_holiday_cn({year}): {_days(len(projected))} of {year} "
                f"{'is' if len(projected) == 1 else 'are'} projected, not fixed by a notice, "
                f"from {first} ({cal.describe(first)}); a holiday-cn file "
                f"is a published arrangement, and a projection written as one would look "
                f"like a notice. Export a year the notices fix (they end {start - _ONE_DAY}), "
                f"or load the {year} notice first with cal.with_notice(path)"
            )
    if not days:
        raise CalendarError(
            f"to_holiday_cn({year}): calendar {cal.name!r} has no holiday or makeup working "
            f"day set for {year}; holiday-cn writes an empty list of days only for a year "
            f"whose notice has not appeared, so an empty file would say that"
        )
    zh = cal.names_zh
    return {
        "year": year,
        "papers": [],
        "days": [
            {"name": zh.get(d, named[d][0]), "date": d.isoformat(), "isOffDay": named[d][1]}
            for d in days
        ],
    }


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


# -- iCalendar -------------------------------------------------------------------------


def _stamp(value: object) -> datetime:
    if value is None:
        return datetime.now(UTC).replace(microsecond=0)
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ArgumentTypeError(
            f"stamp: expected None (now) or an aware datetime such as "
            f"datetime(2026, 1, 1, tzinfo=UTC), got {describe_value(value)}"
            + (" without a time zone" if isinstance(value, datetime) else "")
        )
    return value.astimezone(UTC).replace(microsecond=0)


def _spans(days: Iterable[date]) -> str:
    """``2026-10-01..2026-10-03, 2026-10-05``: dates in order, runs of consecutive days joined."""
    runs: list[list[date]] = []
    for d in sorted(days):
        if runs and runs[-1][1] + _ONE_DAY == d:
            runs[-1][1] = d
        else:
            runs.append([d, d])
    return ", ".join(f"{a}" if a == b else f"{a}..{b}" for a, b in runs)


def _uid_slug(cal: WorkCalendar) -> str:
    """The calendar's part of an event's UID: its code, else its name in ASCII, else a hash."""
    text = cal.code or cal.name
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if slug:
        return slug
    return "cal-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _holiday_runs(cal: WorkCalendar) -> list[tuple[date, date]]:
    """Holiday periods: named rest days with one name (English and Chinese), consecutive.

    Unnamed rest days (a weekend) between two days of the same name belong to the
    period; unnamed rest days at its ends do not (a holiday that "adjoins the
    weekend" does not make the weekend a holiday).
    """
    holidays, workdays, zh = cal.holidays, cal.workdays, cal.names_zh
    runs: list[list[date]] = []
    key: tuple[str, str | None] | None = None
    for d, name in holidays.items():  # in date order
        this = (name, zh.get(d))
        if runs and this == key:
            prev = runs[-1][1]
            gap = [prev + _ONE_DAY * k for k in range(1, (d - prev).days)]
            if not any(g in holidays or g in workdays or cal.is_working_day(g) for g in gap):
                runs[-1][1] = d
                continue
        runs.append([d, d])
        key = this
    return [(a, b) for a, b in runs]


def _summary(name: str, zh: str | None, *, makeup: bool) -> str:
    if makeup:
        en = f"makeup working day for {name}"
        return f"{zh}调休上班 {en}" if zh else en
    return f"{zh} {name}" if zh and zh != name else name


def _sources_text(
    cal: WorkCalendar, named: list[date], sources: Sources, marks: Marks
) -> list[str]:
    """Where the named days come from: the notice, the projection, or neither.

    One line when they share a source (``notice: <title>``, ``projected
    (statutory)``), else one per source with its days (``notice, 2020-01-31..
    2020-02-02: <title>``: the 2020 Spring Festival extension).
    """
    labels: dict[tuple[str, str | None], list[date]] = {}
    for d in named:
        if d in sources:
            label: tuple[str, str | None] = ("notice", sources[d][1])
        elif d in marks:
            label = (f"projected ({marks[d][0]})", None)
        elif cal.certainty(d) == "projected":
            label = ("projected", None)
        else:
            label = ("source", "the calendar's data (no notice)")
        labels.setdefault(label, []).append(d)
    lines = []
    for (what, detail), days in labels.items():
        head = what if len(labels) == 1 else f"{what}, {_spans(days)}"
        lines.append(head if detail is None else f"{head}: {detail}")
    return lines


def _event(
    ical: Any,
    cal: WorkCalendar,
    first: date,
    last: date,
    *,
    makeup: bool,
    slug: str,
    stamp: datetime,
    sources: Sources,
    marks: Marks,
) -> Any:
    name = (cal.workdays if makeup else cal.holidays)[first]
    summary = _summary(name, cal.names_zh.get(first), makeup=makeup)
    days = [first + _ONE_DAY * k for k in range((last - first).days + 1)]
    kinds = [str(cal.day_kind(d)) for d in days]
    order = ("statutory_holiday", "rest_day", "makeup_working_day", "working_day")
    present = [k for k in order if k in kinds]
    if makeup:
        head = f"{summary}: {first} ({_WEEKDAYS[first.weekday()]}), worked"
    else:
        n = len(days)
        span = f"{first}" if n == 1 else f"{first}..{last}"
        head = f"{summary}: {span}, {_days(n)} off"
    lines = [head]
    lines += [
        f"{k}: {_spans(d for d, kd in zip(days, kinds, strict=True) if kd == k)}" for k in present
    ]
    named_days = [d for d in days if d in cal.holidays or d in cal.workdays]
    lines += _sources_text(cal, named_days, sources, marks)
    level = str(cal.certainty(first, last))
    lines.append(f"certainty: {level}")
    event = ical.Event()
    event.add("uid", f"{first:%Y%m%d}-{'makeup' if makeup else 'holiday'}-{slug}@approval-clock")
    event.add("dtstamp", stamp)
    event.add("dtstart", first)
    event.add("dtend", last + _ONE_DAY)
    event.add("summary", summary)
    event.add("description", "\n".join(lines))
    event.add("categories", present)
    event.add("status", "CONFIRMED" if level == "official" else "TENTATIVE")
    # A holiday calendar marks days; it does not make anyone busy.
    event.add("transp", "TRANSPARENT")
    return event


def ical_text(
    cal: WorkCalendar,
    first: date,
    last: date,
    *,
    stamp: datetime | None,
    sources: Sources,
    marks: Marks,
) -> str:
    """An iCalendar of ``cal`` over ``first..last`` (see :meth:`WorkCalendar.to_ical`).

    >>> from datetime import datetime, timezone
    >>> from approval_clock import calendars
    >>> text = calendars.get("CN").to_ical(date(2026, 10, 1), date(2026, 10, 10),
    ...                                    stamp=datetime(2026, 1, 1, tzinfo=UTC))
    >>> [line for line in text.splitlines() if line.startswith("UID")]
    ['UID:20261001-holiday-cn@approval-clock', 'UID:20261010-makeup-cn@approval-clock']
    """
    check_date(first, "first")
    check_date(last, "last")
    when = _stamp(stamp)
    for d in (first, last):
        cal.is_working_day(d)  # raises CalendarCoverageError, naming the range
    if last < first:
        raise DateOrderError(f"to_ical({first}, {last}): first is after last")
    try:
        import icalendar
    except ImportError:
        raise MissingExtraError(
            "to_ical needs the icalendar package; install it with "
            "pip install icalendar (the 'ical' extra; see docs/install.md)"
        ) from None
    from approval_clock import __version__

    slug = _uid_slug(cal)
    events: list[tuple[date, int, Any]] = []
    for a, b in _holiday_runs(cal):
        # A period that crosses first or last is given whole: exports of
        # neighbouring years then agree on it, UID included.
        if a <= last and b >= first:
            event = _event(
                icalendar,
                cal,
                a,
                b,
                makeup=False,
                slug=slug,
                stamp=when,
                sources=sources,
                marks=marks,
            )
            events.append((a, 0, event))
    for d in cal.workdays:
        if first <= d <= last:
            event = _event(
                icalendar,
                cal,
                d,
                d,
                makeup=True,
                slug=slug,
                stamp=when,
                sources=sources,
                marks=marks,
            )
            events.append((d, 1, event))
    out = icalendar.Calendar()
    out.add("prodid", f"-//approval_clock//{__version__}//EN")
    out.add("version", "2.0")
    out.add("calscale", "GREGORIAN")
    out.add("x-wr-calname", cal.name)
    for _, _, event in sorted(events, key=lambda e: (e[0], e[1])):
        out.add_component(event)
    text: str = out.to_ical().decode("utf-8")
    return text

"""Projecting a calendar past its last notice: the statutory rule and the forecast.

:meth:`WorkCalendar.extended <approval_clock.WorkCalendar.extended>` calls
:func:`project` for the days it adds. Three rules:

* ``"weekends"``: the week mask only; nothing else is known.
* ``"statutory"``: the week mask, the statutory holidays of the measures in force
  each year (:mod:`._statutory`), and a substitute weekday off for each
  statutory day on a weekend (the measures require one; which weekday is the
  notice's choice, so the first weekday after the holiday is assumed). Never
  calls a statutory day a working day.
* ``"forecast"``: the statutory rule plus the bridge days and makeup working
  days (调休) the State Council's arrangement principles lead to. Since 2025 the
  principles are published: the Spring Festival 8 days from the eve, National Day
  7 days from 1 October (8, merged, when Mid-autumn falls in it), Labour Day 5
  days, New Year, Qingming, Dragon Boat and Mid-autumn 3 days joined to a weekend
  (1 day when on a Wednesday), and as a rule no more than 6 consecutive working
  days around a holiday. Earlier years follow the patterns of their own era (see
  ``_ERAS``). Makeup days are placed on the nearby weekend days that keep the
  working stretches short and even; ``docs/next-notice.md`` has the back-test.

Every day a projection sets is marked (``statutory``, ``substitute`` or
``forecast``) with the year it belongs to, so that ``describe`` can say why and a
later notice can replace exactly what the projection made.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta

import attrs

from approval_clock.calendars._statutory import (
    Festival,
    festivals,
    measures_in_force,
    substitute_days,
)

__all__ = ["RULES", "Projection", "project_years"]

RULES = ("statutory", "forecast", "weekends")
"""The projection rules of :meth:`WorkCalendar.extended`."""

_ONE = timedelta(days=1)


@attrs.frozen
class _Era:
    """How the arrangements of an era were made (the forecast's parameters)."""

    spring_from_eve: bool
    spring_days: int
    labour: str  # "week" (7 days from May 1), "one-day" or "five"
    wednesday: str  # "alone" (that day only) or "monday" (Monday-Wednesday, weekend worked)
    max_run: int


# Eras by their first year. 2025 onwards follows the published principles; the
# earlier ones describe what the notices of those years did, for back-tests.
_ERAS: tuple[tuple[int, _Era], ...] = (
    (2000, _Era(False, 7, "week", "monday", 7)),
    (2008, _Era(True, 7, "one-day", "monday", 7)),
    (2014, _Era(True, 7, "one-day", "alone", 7)),
    (2020, _Era(True, 7, "five", "alone", 7)),
    (2025, _Era(True, 8, "five", "alone", 6)),
)


def _era(year: int) -> _Era:
    chosen = _ERAS[0][1]
    for first, era in _ERAS:
        if year >= first:
            chosen = era
    return chosen


@attrs.frozen
class Projection:
    """What a projection sets: named rest days and working days, each with its mark."""

    holidays: dict[date, str]
    workdays: dict[date, str]
    marks: dict[date, tuple[str, int]]
    names_zh: dict[date, str]


def _weekend(weekmask: str, d: date) -> bool:
    return weekmask[d.weekday()] != "1"


def project_years(
    years: range,
    rule: str,
    weekmask: str,
    known: Callable[[date], bool | None],
) -> Projection:
    """The days ``rule`` sets in ``years``, year after year.

    ``known(d)`` gives the status of a day outside the projection (``None`` when
    unknown), for the forecast's look around; days of the years already
    projected are read from the projection itself, so that projecting two years
    at once gives what projecting them one after the other does.
    """
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    marks: dict[date, tuple[str, int]] = {}
    names_zh: dict[date, str] = {}
    done: set[int] = set()

    def status(d: date) -> bool | None:
        if d in holidays:
            return False
        if d in workdays:
            return True
        if d.year in done:
            return not _weekend(weekmask, d)
        return known(d)

    def rest(d: date, name: str, tag: str, year: int) -> None:
        holidays[d] = name
        workdays.pop(d, None)
        marks[d] = (tag, year)
        names_zh[d] = _zh(name)

    if rule == "weekends":
        return Projection(holidays, workdays, marks, names_zh)
    for year in years:
        fests = festivals(year)
        subs = substitute_days(fests, weekmask)
        statutory = {d for f in fests for d in f.days}
        if rule == "statutory":
            for f in fests:
                for d in f.days:
                    rest(d, f.name, "statutory", year)
            for d, (name, _) in subs.items():
                rest(d, name, "substitute", year)
        else:
            off, work = _forecast(year, fests, subs, weekmask, status)
            for d, name in off.items():
                tag = "statutory" if d in statutory else "substitute" if d in subs else "forecast"
                rest(d, name, tag, year)
            for d, name in work.items():
                workdays[d] = name
                holidays.pop(d, None)
                marks[d] = ("forecast", year)
                names_zh[d] = _zh(name)
        done.add(year)
    return Projection(holidays, workdays, marks, names_zh)


_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "National Day and Mid-autumn Festival": "国庆节、中秋节",
    "Mid-autumn Festival and National Day": "中秋节、国庆节",
    "Victory Day (70th anniversary)": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


def _zh(name: str) -> str:
    """The Chinese name of a holiday a projection names."""
    return _ZH.get(name, name)


def _block(f: Festival, era: _Era, weekmask: str) -> tuple[list[date], list[date]]:
    """The rest block of a one-day festival and its makeup days, by its weekday:
    three days joined to a weekend, or the day alone on a Wednesday."""
    d = f.days[0]
    wd = d.weekday()
    if weekmask != "1111100":
        # The patterns below are those of a Monday-Friday week; elsewhere keep the day.
        return [d], []
    if wd == 0:  # Monday: the weekend before joins
        return [d - 2 * _ONE, d - _ONE, d], []
    if wd == 1:  # Tuesday: Sunday-Tuesday, the Saturday before worked
        return [d - 2 * _ONE, d - _ONE, d], [d - 3 * _ONE]
    if wd == 2:  # Wednesday
        if era.wednesday == "alone":
            return [d], []
        return [d - 2 * _ONE, d - _ONE, d], [d - 4 * _ONE, d - 3 * _ONE]
    if wd == 3:  # Thursday: Thursday-Saturday, the Sunday after worked
        return [d, d + _ONE, d + 2 * _ONE], [d + 3 * _ONE]
    if wd == 4:  # Friday: the weekend after joins
        return [d, d + _ONE, d + 2 * _ONE], []
    if wd == 5:  # Saturday: Saturday-Monday, Monday the substitute
        return [d, d + _ONE, d + 2 * _ONE], []
    return [d - _ONE, d, d + _ONE], []  # Sunday: Saturday-Monday


def _forecast(
    year: int,
    fests: tuple[Festival, ...],
    subs: dict[date, tuple[str, date]],
    weekmask: str,
    known: Callable[[date], bool | None],
) -> tuple[dict[date, str], dict[date, str]]:
    era = _era(year)
    m = measures_in_force(year)
    by_key = {f.key: f for f in fests}
    statutory = {d for f in fests for d in f.days}
    # Each block: (name, days, forced makeups, how many makeups to choose).
    blocks: list[tuple[str, list[date], list[date], int]] = []

    def multi(name: str, days: list[date], members: list[Festival]) -> None:
        # Each statutory day is a weekday off, itself or its substitute; two festivals
        # on one day (National Day and Mid-autumn, 2020) still give two days.
        legal = sum(len(f.days) for f in members)
        weekdays = [d for d in days if not _weekend(weekmask, d)]
        blocks.append((name, days, [], max(0, len(weekdays) - legal)))

    spring = by_key["spring"]
    lunar_new_year = spring.days[-1] - timedelta(days=m.spring_days - 1)
    spring_first = lunar_new_year - _ONE if era.spring_from_eve else lunar_new_year
    multi("Spring Festival", _days(spring_first, era.spring_days), [spring])

    labour = by_key["labour"]
    if era.labour == "week":
        multi("Labour Day", _days(date(year, 5, 1), 7), [labour])
    elif era.labour == "five":
        first = date(year, 5, 1)
        if first.weekday() in (6, 0):  # Sunday or Monday: from the Saturday before
            first -= timedelta(days=(first.weekday() + 2) % 7)
        multi("Labour Day", _days(first, 5), [labour])

    national = by_key["national"]
    mid = by_key.get("mid_autumn")
    merged = mid is not None and date(year, 9, 29) <= mid.days[0] <= date(year, 10, 8)
    if merged and mid is not None:
        first = min(mid.days[0], date(year, 10, 1))
        name = (
            "Mid-autumn Festival and National Day"
            if mid.days[0] < date(year, 10, 1)
            else "National Day and Mid-autumn Festival"
        )
        multi(name, _days(first, 8), [national, mid])
    else:
        multi("National Day", _days(date(year, 10, 1), 7), [national])

    one_day = ["new_year", "qingming", "dragon_boat", "victory_day"]
    if not merged:
        one_day.append("mid_autumn")
    if era.labour == "one-day":
        one_day.append("labour")
    for key in one_day:
        f = by_key.get(key)
        if f is not None:
            days, forced = _block(f, era, weekmask)
            blocks.append((f.name, days, forced, 0))

    rest: dict[date, str] = {}
    for name, days, _, _ in sorted(blocks, key=lambda b: b[1][0]):
        for d in days:
            rest.setdefault(d, name)
    # Statutory days and their substitutes are rest days whatever the patterns say.
    for f in fests:
        for d in f.days:
            rest.setdefault(d, f.name)
    for d, (name, _) in subs.items():
        rest.setdefault(d, name)
    work: dict[date, str] = {}
    for name, _, forced, _ in blocks:
        for d in forced:
            if d not in rest and d not in statutory and _weekend(weekmask, d):
                work[d] = name

    def status(d: date) -> bool:
        if d in work:
            return True
        if d in rest:
            return False
        if d.year != year:
            k = known(d)
            if k is not None:
                return k
        return not _weekend(weekmask, d)

    for name, days, _, n in sorted(blocks, key=lambda b: b[1][0]):
        if n == 0:
            continue
        lo, hi = days[0], days[-1]
        candidates = [
            d
            for d in _days(lo - timedelta(days=14), (hi - lo).days + 29)
            if _weekend(weekmask, d)
            and d not in rest
            and d not in work
            and d.year == year
            and not (lo <= d <= hi)
        ]
        rank = _weekend_ranks(candidates, lo)
        best: tuple[tuple[int, ...], tuple[date, ...]] | None = None
        for combo in itertools.combinations(candidates, min(n, len(candidates))):
            over, alone, squares = _score(
                lo - timedelta(days=21),
                hi + timedelta(days=21),
                _with(status, set(combo)),
                era.max_run,
            )
            # Lower is better, in this order: days over the longest stretch of work
            # allowed; the nearest weekends; no rest day left alone between working
            # days; the weekend day that joins the working week towards the holiday
            # (a Sunday before it, a Saturday after it); even stretches; distance.
            score = (
                over,
                sum(rank[d] for d in combo),
                alone,
                sum(0 if (d < lo) == (d.weekday() == 6) else 1 for d in combo),
                squares,
                sum(min(abs((d - lo).days), abs((d - hi).days)) for d in combo),
            )
            if best is None or score < best[0]:
                best = (score, combo)
        if best is not None:
            for d in best[1]:
                work[d] = name
    return rest, work


def _days(first: date, n: int) -> list[date]:
    return [first + timedelta(days=k) for k in range(n)]


def _with(status: Callable[[date], bool], extra: set[date]) -> Callable[[date], bool]:
    def working(d: date) -> bool:
        return d in extra or status(d)

    return working


def _weekend_ranks(candidates: list[date], first: date) -> dict[date, int]:
    """How many candidate weekends lie between each candidate and the block (0: the
    nearest on its side), so that makeup days go to the weekends next to a holiday."""

    def weekend(d: date) -> date:
        return d - timedelta(days=d.weekday())

    before = sorted({weekend(d) for d in candidates if d < first}, reverse=True)
    after = sorted({weekend(d) for d in candidates if d > first})
    return {d: (before if d < first else after).index(weekend(d)) for d in candidates}


def _score(
    first: date, last: date, working: Callable[[date], bool], max_run: int
) -> tuple[int, int, int]:
    """Lower is better: (days over the longest allowed stretch of work, rest days
    left alone between working days, sum of squared working stretches)."""
    days = _days(first, (last - first).days + 1)
    flags = [working(d) for d in days]
    runs: list[int] = []
    length = 0
    for f in flags:
        if f:
            length += 1
        elif length:
            runs.append(length)
            length = 0
    if length:
        runs.append(length)
    over = sum(max(0, r - max_run) for r in runs)
    alone = sum(
        1 for k in range(1, len(flags) - 1) if not flags[k] and flags[k - 1] and flags[k + 1]
    )
    return (over, alone, sum(r * r for r in runs))

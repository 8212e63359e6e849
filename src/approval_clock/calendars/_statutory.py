"""The statutory holidays of mainland China, fixed by law before any annual notice.

The 全国年节及纪念日放假办法 (national measures on holidays) lists the days every
citizen has off (art. 2) and requires a substitute weekday off when one of them
falls on a Saturday or Sunday (art. 6 in the 2025 numbering). The State Council's
annual notice then arranges the year around them (bridge days, makeup working
days), but it cannot take a statutory day away. So a year with no notice yet
still has known days off; this module gives them, for each version of the
measures:

=========  ====  ========================================================
in force   days  what changed
=========  ====  ========================================================
1999-09-18  10   New Year 1; Spring Festival 3 (days 1-3); Labour Day 3
                 (May 1-3); National Day 3 (Oct 1-3)
2008-01-01  11   Spring Festival eve, day 1, day 2; Labour Day 1; Qingming,
                 Dragon Boat and Mid-autumn 1 day each (国务院令第513号)
2014-01-01  11   Spring Festival days 1-3, the eve no longer (国务院令第644号)
2025-01-01  13   Spring Festival eve and days 1-3; Labour Day May 1-2; a new
                 art. 7: arrangements keep consecutive working days around a
                 holiday to six as a rule (decision published 2024-11-12)
=========  ====  ========================================================

The lunar dates come from :mod:`._lunar` (years 2000-2100). The State Council
also made 3 September 2015 a one-off national holiday (国发明电〔2015〕1号); it is
included for 2015.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import attrs

from approval_clock._check import check_int
from approval_clock.calendars._lunar import FIRST_YEAR, LAST_YEAR, lunar_year

__all__ = [
    "MEASURES",
    "Festival",
    "Measures",
    "festivals",
    "measures_in_force",
    "statutory_holidays",
    "substitute_days",
]


@attrs.frozen
class Measures:
    """One version of the 全国年节及纪念日放假办法: what it fixes, from when.

    >>> from approval_clock.calendars import measures_in_force
    >>> m = measures_in_force(2027)
    >>> m.in_force.isoformat(), m.days, m.spring_eve, m.labour_days, m.max_consecutive
    ('2025-01-01', 13, True, 2, 6)
    """

    in_force: date
    revision: str
    days: int
    spring_eve: bool
    spring_days: int
    labour_days: int
    traditional: bool
    max_consecutive: int | None
    """Art. 7 (since 2025): consecutive working days around a holiday, as a rule."""


MEASURES: tuple[Measures, ...] = (
    Measures(date(1999, 9, 18), "1999 revision", 10, False, 3, 3, False, None),
    Measures(date(2008, 1, 1), "2007 revision (国务院令第513号)", 11, True, 2, 1, True, None),
    Measures(date(2014, 1, 1), "2013 revision (国务院令第644号)", 11, False, 3, 1, True, None),
    Measures(date(2025, 1, 1), "2024 revision", 13, True, 3, 2, True, 6),
)
"""Every version of the measures since 1999, oldest first."""


@attrs.frozen
class Festival:
    """A statutory holiday of one year: its name in English and Chinese, and its days.

    >>> from approval_clock.calendars import festivals
    >>> spring = festivals(2027)[1]
    >>> spring.name, spring.name_zh, [d.isoformat() for d in spring.days]
    ('Spring Festival', '春节', ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'])
    """

    key: str
    name: str
    name_zh: str
    days: tuple[date, ...]
    moved_from: date | None = None
    """The festival's own day when its day off moved: Mid-autumn on National Day
    (1 October 2020, 3 October 2009) gives the day after National Day's days."""


def _check_year(year: object) -> int:
    year = check_int(year, "year", what="a year such as 2027")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        from approval_clock.errors import CalendarCoverageError

        raise CalendarCoverageError(
            f"year {year}: statutory holidays are known for {FIRST_YEAR}-{LAST_YEAR} "
            f"(the measures of 1999 and later, and the shipped lunar table)"
        )
    return year


def measures_in_force(year: int) -> Measures:
    """The version of the measures that governs ``year`` (2000-2100).

    >>> from approval_clock.calendars import measures_in_force
    >>> measures_in_force(2013).revision, measures_in_force(2014).spring_eve
    ('2007 revision (国务院令第513号)', False)
    """
    _check_year(year)
    chosen = MEASURES[0]
    for m in MEASURES:
        if m.in_force <= date(year, 1, 1):
            chosen = m
    return chosen


def _run(first: date, n: int) -> tuple[date, ...]:
    return tuple(first + timedelta(days=k) for k in range(n))


def festivals(year: int) -> tuple[Festival, ...]:
    """The statutory holidays of ``year`` under the measures then in force, in date order.

    >>> from approval_clock.calendars import festivals
    >>> [(f.name, f.days[0].isoformat()) for f in festivals(2027)][2:5]
    [('Tomb-sweeping Day', '2027-04-05'), ('Labour Day', '2027-05-01'), ('Dragon Boat Festival', '2027-06-09')]
    """
    m = measures_in_force(year)
    lunar = lunar_year(year)
    spring_first = lunar.new_year - timedelta(days=1) if m.spring_eve else lunar.new_year
    out = [
        Festival("new_year", "New Year's Day", "元旦", (date(year, 1, 1),)),
        Festival(
            "spring",
            "Spring Festival",
            "春节",
            _run(spring_first, m.spring_days + (1 if m.spring_eve else 0)),
        ),
        Festival("labour", "Labour Day", "劳动节", _run(date(year, 5, 1), m.labour_days)),
        Festival("national", "National Day", "国庆节", _run(date(year, 10, 1), 3)),
    ]
    if m.traditional:
        out += [
            Festival("qingming", "Tomb-sweeping Day", "清明节", (lunar.qingming,)),
            Festival("dragon_boat", "Dragon Boat Festival", "端午节", (lunar.dragon_boat,)),
            Festival("mid_autumn", "Mid-autumn Festival", "中秋节", (lunar.mid_autumn,)),
        ]
    if year == 2015:
        # 国发明电〔2015〕1号: 3 September 2015 a national holiday, once.
        out.append(
            Festival(
                "victory_day",
                "Victory Day (70th anniversary)",
                "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
                (date(2015, 9, 3),),
            )
        )
    # A festival on another's statutory day still gives its day off: the first
    # free day after (Mid-autumn on 1 October 2020 gives 4 October; the law's
    # count of days, 11 then, holds). Fixed-date festivals come first and keep
    # their days.
    claimed: set[date] = set()
    for k, f in enumerate(out):
        days = []
        for d in f.days:
            while d in claimed:
                d += timedelta(days=1)
            days.append(d)
            claimed.add(d)
        if tuple(days) != f.days:
            out[k] = attrs.evolve(f, days=tuple(days), moved_from=f.days[0])
    # 正月初一 falls between 21 January and 20 February, so every day is in `year`.
    out.sort(key=lambda f: f.days[0])
    return tuple(out)


def statutory_holidays(year: int) -> dict[date, str]:
    """``{date: name}`` of the days the measures give every citizen off in ``year``.

    Fixed by law whatever the year's notice says (see the module text for the
    versions). Years 2000-2100.

    >>> from approval_clock.calendars import statutory_holidays
    >>> days = statutory_holidays(2027)
    >>> len(days), days[date(2027, 9, 15)]
    (13, 'Mid-autumn Festival')
    >>> statutory_holidays(2020)[date(2020, 10, 4)]   # Mid-autumn fell on 1 October
    'Mid-autumn Festival'

    """
    return {d: f.name for f in festivals(year) for d in f.days}


def substitute_days(
    fests: Iterable[Festival], weekmask: str = "1111100"
) -> dict[date, tuple[str, date]]:
    """The substitute weekdays off (补假) the measures require for statutory days on a weekend.

    Each statutory day on a rest day of ``weekmask`` gets the first weekday after
    its festival's last statutory day that is neither a statutory day nor already
    a substitute. Returns ``{substitute: (festival name, the statutory day it replaces)}``.

    >>> from approval_clock.calendars import festivals
    >>> from approval_clock.calendars._statutory import substitute_days
    >>> {d.isoformat(): f"{n} ({s:%m-%d})" for d, (n, s) in substitute_days(festivals(2027)).items()}
    {'2027-02-09': 'Spring Festival (02-06)', '2027-02-10': 'Spring Festival (02-07)', '2027-05-03': 'Labour Day (05-01)', '2027-05-04': 'Labour Day (05-02)', '2027-10-04': 'National Day (10-02)', '2027-10-05': 'National Day (10-03)'}
    """
    fests = list(fests)
    statutory = {d for f in fests for d in f.days}
    taken: dict[date, tuple[str, date]] = {}
    for f in fests:
        day = f.days[-1]
        for s in f.days:
            if weekmask[s.weekday()] == "1":
                continue
            day += timedelta(days=1)
            while weekmask[day.weekday()] != "1" or day in statutory or day in taken:
                day += timedelta(days=1)
            taken[day] = (f.name, s)
    return dict(sorted(taken.items()))

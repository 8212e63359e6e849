"""Reading holiday-cn's JSON files (NateScarlet/holiday-cn) into a :class:`Notice`.

holiday-cn publishes each year's State Council notice as JSON the day it
appears: ``{"year": 2027, "papers": [urls], "days": [{"name": "元旦", "date":
"2027-01-01", "isOffDay": true}, ...]}``. Its conventions, and what we do with
them:

* the file of a year holds every paper of that year (amendments included), and
  the late-December days that serve the next New Year sit in the next year's
  file: the notice's year is the file's ``year``, and days up to
  :data:`~approval_clock.calendars.notice.NEIGHBOUR_DAYS` outside it are accepted;
* weekend days that merely adjoin a holiday ("与周末连休") are not listed: they
  stay ordinary weekends, as in our own notice files;
* a weekday listed as not off (2020-02-03, "正常上班" after the 2020 extension)
  is an ordinary working day: nothing to change, and the note says so;
* a year whose notice has not appeared yet is published as an empty list of
  days: refused, since it would otherwise make the year "official" with no
  holidays at all;
* names are Chinese; the festivals' names are mapped to the English names of our
  data file (``"国庆节、中秋节"`` is ``"National Day and Mid-autumn Festival"``),
  others are kept as they are.

Every problem is a :class:`~approval_clock.errors.CalendarFileError` naming the
file and the place (``2027.json: days[3].date: ...``).
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

import attrs

from approval_clock._dates import describe_value as shown
from approval_clock._toml import BOM, check_text
from approval_clock.calendars.notice import HolidayPeriod, MakeupDay, Notice
from approval_clock.errors import CalendarFileError
from approval_clock.limits import DEFAULT_LIMITS, Limits

__all__ = ["NAMES", "looks_like_json", "notice_from_holiday_cn"]

NAMES = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Tomb-sweeping Day",
    "劳动节": "Labour Day",
    "“五一”国际劳动节": "Labour Day",
    "五一劳动节": "Labour Day",
    "“五一”": "Labour Day",
    "“十一”": "National Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-autumn Festival",
    "国庆节": "National Day",
    "国庆节、中秋节": "National Day and Mid-autumn Festival",
    "中秋节、国庆节": "Mid-autumn Festival and National Day",
    "抗日战争暨世界反法西斯战争胜利70周年纪念日": "Victory Day (70th anniversary)",
    "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日": "Victory Day (70th anniversary)",
}
"""holiday-cn's Chinese names and the English names of ``data/cn.toml``."""

_TOP_KEYS = {"year", "papers", "days"}
_DAY_KEYS = {"name", "date", "isOffDay"}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def looks_like_json(text: str) -> bool:
    """True when ``text`` is meant as JSON (its first character is ``{``)."""
    return text.lstrip("\ufeff \t\r\n").startswith("{")


def _fail(source: str, place: str, problem: str) -> CalendarFileError:
    where = f"{place}: " if place else ""
    return CalendarFileError(f"{source}: {where}{problem}")


def _keys(source: str, value: object, place: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(source, place, f"expected an object, got {shown(value)}")
    # "$schema" and "$id" name the schema holiday-cn writes its files against.
    unknown = sorted(k for k in value if k not in allowed and not k.startswith("$"))
    if unknown:
        raise _fail(
            source,
            f"{place}.{unknown[0]}" if place else unknown[0],
            f"unknown key in a holiday-cn file; expected {', '.join(sorted(allowed))}",
        )
    missing = sorted(allowed - set(value))
    if missing:
        raise _fail(source, f"{place}.{missing[0]}" if place else missing[0], "missing key")
    return value


def notice_from_holiday_cn(text: str, source: str, limits: Limits = DEFAULT_LIMITS) -> Notice:
    """The :class:`Notice` in a holiday-cn JSON file's text (see the module text).

    The text's size and structure are checked against ``limits`` before it is
    parsed; a leading byte order mark is dropped.

    >>> text = '''{"year": 2027, "papers": ["https://www.gov.cn/example"], "days": [
    ...   {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
    ...   {"name": "春节", "date": "2027-02-14", "isOffDay": false}]}'''
    >>> n = notice_from_holiday_cn(text, "2027.json")
    >>> n.year, n.holidays[0].name, n.workdays[0].date
    (2027, "New Year's Day", datetime.date(2027, 2, 14))
    """
    text = text.removeprefix(BOM)
    check_text(text, limits, lambda problem: _fail(source, "", problem), kind="JSON")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise _fail(source, "", f"not valid JSON: {e.msg} at line {e.lineno}") from None
    except RecursionError:
        raise _fail(source, "", "not valid JSON: nested too deeply") from None
    except ValueError:  # int() refusing a number of thousands of digits
        raise _fail(source, "", "not valid JSON: a number too long to read") from None
    top = _keys(source, data, "", _TOP_KEYS)
    year = top["year"]
    if isinstance(year, float) and year.is_integer():
        year = int(year)
    if type(year) is not int or not 1 <= year <= 9998:
        raise _fail(source, "year", f"expected a year such as 2027, got {shown(top['year'])}")
    papers = top["papers"]
    if not isinstance(papers, list) or not all(isinstance(p, str) for p in papers):
        raise _fail(source, "papers", f"expected a list of URLs, got {shown(papers)}")
    days = top["days"]
    if not isinstance(days, list):
        raise _fail(source, "days", f"expected a list, got {shown(days)}")
    if not days:
        raise _fail(
            source,
            "days",
            f"lists no days: holiday-cn publishes an empty file for {year} until the State "
            f"Council's notice appears; wait for the notice, or project the year "
            f"explicitly with cal.extended(until=..., rule='statutory')",
        )
    off: dict[date, tuple[str, int]] = {}
    on: dict[date, tuple[str, int]] = {}
    ordinary: list[date] = []
    for k, item in enumerate(days):
        at = f"days[{k}]"
        entry = _keys(source, item, at, _DAY_KEYS)
        name = entry["name"]
        if not isinstance(name, str) or not name.strip():
            raise _fail(source, f"{at}.name", f"expected a non-empty string, got {shown(name)}")
        raw = entry["date"]
        if not isinstance(raw, str) or not _ISO_DATE.fullmatch(raw):
            raise _fail(
                source, f"{at}.date", f"expected a date such as 2027-01-01, got {shown(raw)}"
            )
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            raise _fail(source, f"{at}.date", f"no such date {raw!r}") from None
        flag = entry["isOffDay"]
        if type(flag) is not bool:
            raise _fail(source, f"{at}.isOffDay", f"expected true or false, got {shown(flag)}")
        for other in (off, on):
            if day in other:
                raise _fail(
                    source, f"{at}.date", f"{day} is listed twice (also days[{other[day][1]}])"
                )
        chinese = name.strip()
        if flag:
            off[day] = (chinese, k)
        elif day.weekday() < 5:
            ordinary.append(day)
            on[day] = (chinese, k)
        else:
            on[day] = (chinese, k)
    periods: list[HolidayPeriod] = []
    for day in sorted(off):
        chinese = off[day][0]
        last = periods[-1] if periods else None
        if last is not None and last.name_zh == chinese and last.last + timedelta(days=1) == day:
            periods[-1] = attrs.evolve(last, last=day)
        else:
            periods.append(HolidayPeriod(NAMES.get(chinese, chinese), day, day, name_zh=chinese))
    makeups = [
        MakeupDay(NAMES.get(chinese, chinese), d, name_zh=chinese)
        for d, (chinese, _) in sorted(on.items())
        if d not in ordinary
    ]
    notes = [f"papers: {', '.join(papers)}" if papers else "papers: none listed"]
    if ordinary:
        notes.append(
            "listed as working weekdays, which they are anyway (ordinary working days): "
            + ", ".join(f"{d} ({_WEEKDAYS[d.weekday()]})" for d in ordinary)
        )
    try:
        return Notice(
            year=year,
            title=f"{year} arrangement from holiday-cn ({source})",
            holidays=periods,
            workdays=makeups,
            note="; ".join(notes),
        )
    except ValueError as e:
        raise _fail(source, "", str(e)) from None

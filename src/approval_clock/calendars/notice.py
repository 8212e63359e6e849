"""Holiday notices: the official text that makes a year's calendar, as data.

The State Council General Office publishes each year's arrangement (国务院办公厅
关于…部分节假日安排的通知): rest periods, and weekend days worked in exchange
(调休上班). A :class:`Notice` holds one such text; applying notices in order of
publication builds a calendar, and a later notice overrides an earlier one for the
dates it names (2020's Spring Festival was extended this way).

Users add next year's notice, or a regional holiday, with a small TOML file read by
:func:`load_notice`; the format is in ``docs/calendars.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from approval_clock._check import (
    check_date,
    check_instance,
    check_path,
    check_sequence,
    fail_type,
    shown,
)
from approval_clock.errors import ArgumentTypeError, CalendarError
from approval_clock.limits import Limits, check_limits

if TYPE_CHECKING:
    from approval_clock.calendars.workcalendar import WorkCalendar

__all__ = [
    "MAX_PERIOD_DAYS",
    "NEIGHBOUR_DAYS",
    "SCOPES",
    "HolidayPeriod",
    "MakeupDay",
    "Notice",
    "load_notice",
]

MAX_PERIOD_DAYS = 366
"""The longest holiday period accepted: anything longer is a typo in a year, and
would otherwise be expanded day by day."""


def _non_empty(instance: Any, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ArgumentTypeError(f"{attribute.name}: expected a non-empty string, got {value!r}")


def _a_date(instance: Any, attribute: attrs.Attribute[date], value: object) -> None:
    check_date(value, attribute.name)


def _optional_text(instance: Any, attribute: attrs.Attribute[str | None], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ArgumentTypeError(
            f"{attribute.name}: expected a non-empty string or None, got {value!r}"
        )


def _optional_bool(instance: Any, attribute: attrs.Attribute[bool | None], value: object) -> None:
    if value is not None and type(value) is not bool:
        raise ArgumentTypeError(f"{attribute.name}: expected True, False or None, got {value!r}")


@attrs.frozen
class HolidayPeriod:
    """A named rest period, ``first`` to ``last`` inclusive (weekend days inside included).

    Args:
        name: its English name (``"National Day"``), as ``describe`` says it.
        first, last: the period, both days included.
        name_zh: its Chinese name (``"国庆节"``), for ``describe(d, lang="zh")``.
        statutory: whether the days are statutory holidays (法定节假日). ``None``
            (the default) leaves it to the calendar's law: on the mainland
            calendar the statutory days of the 全国年节及纪念日放假办法 are known
            whatever a notice says; ``True`` marks a user's own statutory
            holiday (a regional one, say) on any calendar.

    >>> from datetime import date
    >>> p = HolidayPeriod("National Day", date(2026, 10, 1), date(2026, 10, 7), name_zh="国庆节")
    >>> len(p.days()), p.name_zh
    (7, '国庆节')
    """

    name: str = attrs.field(validator=_non_empty)
    first: date = attrs.field(validator=_a_date)
    last: date = attrs.field(validator=_a_date)
    name_zh: str | None = attrs.field(default=None, validator=_optional_text, kw_only=True)
    statutory: bool | None = attrs.field(default=None, validator=_optional_bool, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.first > self.last:
            raise CalendarError(
                f"holiday {self.name!r}: first {self.first} is after last {self.last}"
            )
        if (self.last - self.first).days >= MAX_PERIOD_DAYS:
            raise CalendarError(
                f"holiday {self.name!r}: {self.first}..{self.last} is longer than "
                f"{MAX_PERIOD_DAYS} days; a holiday period is days or weeks long"
            )

    def days(self) -> list[date]:
        """Every date of the period."""
        n = (self.last - self.first).days + 1
        return [self.first + timedelta(days=k) for k in range(n)]


@attrs.frozen
class MakeupDay:
    """A weekend day worked in exchange for a holiday (调休上班).

    ``name`` is the holiday it serves; ``name_zh`` its Chinese name.

    >>> from datetime import date
    >>> MakeupDay("National Day", date(2026, 10, 10), name_zh="国庆节").date.isoformat()
    '2026-10-10'
    """

    name: str = attrs.field(validator=_non_empty)
    date: date = attrs.field(validator=_a_date)
    name_zh: str | None = attrs.field(default=None, validator=_optional_text, kw_only=True)


def _entries(value: object, what: str, cls: type[Any], shape: str, size: int) -> tuple[Any, ...]:
    """``value``'s items as ``cls``: instances, or tuples of its ``size`` fields."""
    out: list[Any] = []
    items: list[Any] = check_sequence(value, what, what=f"a list of {shape}")
    for k, item in enumerate(items):
        if isinstance(item, cls):
            out.append(item)
        elif isinstance(item, tuple | list) and len(item) == size:
            out.append(cls(*item))
        else:
            raise fail_type(f"{what}[{k}]", f"a {cls.__name__} or a tuple {shape}", item)
    return tuple(out)


def _periods(value: Iterable[HolidayPeriod | Sequence[Any]]) -> tuple[HolidayPeriod, ...]:
    return _entries(value, "holidays", HolidayPeriod, "(name, first, last)", 3)


def _makeups(value: Iterable[MakeupDay | Sequence[Any]]) -> tuple[MakeupDay, ...]:
    return _entries(value, "workdays", MakeupDay, "(name, date)", 2)


def _covers(value: tuple[date, date] | None) -> tuple[date, date] | None:
    if value is None:
        return None
    pair: list[Any] = check_sequence(value, "covers", what="a pair of dates (first, last)")
    if len(pair) != 2:
        raise fail_type("covers", "a pair of dates (first, last)", value)
    first, last = pair
    check_date(first, "covers[0]")
    check_date(last, "covers[1]")
    if first > last:
        raise CalendarError(f"covers: {first} is after {last}")
    return (first, last)


NEIGHBOUR_DAYS = 21
"""How far outside its year (or ``covers``) a notice may name a day: late December
days serving the next New Year sit in the next year's notice (2018-12-29 in 2019's)."""

SCOPES = ("national", "regional")
"""``Notice.scope``: a State Council notice for the whole country, or a regional one."""


@attrs.frozen
class Notice:
    """One holiday notice: rest periods and makeup working days for a year.

    Args:
        year: the year the notice arranges.
        title: its title (国务院办公厅关于2027年部分节假日安排的通知).
        holidays: :class:`HolidayPeriod` values or ``(name, first, last)`` tuples.
        workdays: :class:`MakeupDay` values or ``(name, date)`` tuples.
        document: its document number (国办发明电〔2025〕7号), if known.
        covers: the range the notice makes authoritative; by default its year.
            Dates it names may fall just outside (a makeup day in late December),
            up to :data:`NEIGHBOUR_DAYS` days.
        note: free text (why it was issued, an amendment's reason).
        scope: ``"national"`` (the default: the State Council's arrangement, which
            makes its range official) or ``"regional"`` (a regional holiday on top
            of the national calendar, which never makes a year official: past the
            national notices, the national days are projected).

    Raises :class:`~approval_clock.errors.CalendarError` (a ``ValueError``) when
    one date is both a holiday and a makeup day, two holiday periods overlap, a
    makeup day is listed twice, or a day lies outside the notice's year and its
    neighbouring weeks (a 2027 notice cannot rewrite February 2026).

    >>> from datetime import date
    >>> n = Notice(year=2027, title="Example",
    ...            holidays=[("Spring Festival", date(2027, 2, 5), date(2027, 2, 11))],
    ...            workdays=[("Spring Festival", date(2027, 2, 14))])
    >>> n.covered()
    (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))
    """

    year: int = attrs.field()
    title: str = attrs.field(validator=_non_empty)
    holidays: tuple[HolidayPeriod, ...] = attrs.field(default=(), converter=_periods)
    workdays: tuple[MakeupDay, ...] = attrs.field(default=(), converter=_makeups)
    document: str | None = None
    covers: tuple[date, date] | None = attrs.field(default=None, converter=_covers)
    note: str = ""
    scope: str = attrs.field(default="national", kw_only=True)

    @year.validator
    def _check_year(self, attribute: attrs.Attribute[int], value: object) -> None:
        if type(value) is not int or not 1 <= value <= 9998:
            raise ArgumentTypeError(f"year: expected a year such as 2027, got {value!r}")

    @scope.validator
    def _check_scope(self, attribute: attrs.Attribute[str], value: object) -> None:
        if value not in SCOPES:
            raise CalendarError(f"scope: expected 'national' or 'regional', got {value!r}")

    def __attrs_post_init__(self) -> None:
        lo, hi = self.covered()
        # Clamped to the dates that exist: a notice may cover 0001-01-01 or 9999-12-31.
        earliest = date.fromordinal(max(1, lo.toordinal() - NEIGHBOUR_DAYS))
        latest = date.fromordinal(min(date.max.toordinal(), hi.toordinal() + NEIGHBOUR_DAYS))
        seen: dict[date, int] = {}
        for k, p in enumerate(self.holidays):
            if p.first < earliest or p.last > latest:
                raise CalendarError(
                    f"notice {self.year}: holidays[{k}] ({p.name}, {p.first}..{p.last}) lies "
                    f"outside the notice's range {lo}..{hi} and its neighbouring weeks "
                    f"({earliest}..{latest}); a notice arranges its own year (check the year, "
                    f"or give the notice a 'covers' range)"
                )
            for d in p.days():
                if d in seen:
                    j = seen[d]
                    raise CalendarError(
                        f"notice {self.year}: holidays[{k}] ({p.name}, {p.first}..{p.last}) "
                        f"overlaps holidays[{j}] ({self.holidays[j].name}) on {d}; give each "
                        f"day once (a combined period has one name)"
                    )
                seen[d] = k
        makeups: dict[date, int] = {}
        for k, m in enumerate(self.workdays):
            if not earliest <= m.date <= latest:
                raise CalendarError(
                    f"notice {self.year}: workdays[{k}] ({m.name}, {m.date}) lies outside the "
                    f"notice's range {lo}..{hi} and its neighbouring weeks ({earliest}..{latest})"
                )
            if m.date in makeups:
                raise CalendarError(
                    f"notice {self.year}: workdays[{k}] ({m.date}) is listed twice "
                    f"(also workdays[{makeups[m.date]}])"
                )
            makeups[m.date] = k
            if m.date in seen:
                p = self.holidays[seen[m.date]]
                raise CalendarError(
                    f"notice {self.year}: {m.date} is both a holiday ({p.name}, "
                    f"holidays[{seen[m.date]}]) and a makeup working day ({m.name}, "
                    f"workdays[{k}])"
                )

    def to_dict(self) -> dict[str, Any]:
        """The notice in its JSON form: the notice file's keys, dates as ISO strings.

        Valid against ``approval_clock.schema("notice")``; :meth:`from_dict` reads
        it back to an equal notice.

        >>> from datetime import date
        >>> n = Notice(2027, "x", holidays=[("New Year", date(2027, 1, 1), date(2027, 1, 3))])
        >>> n.to_dict()["holidays"]
        [{'name': 'New Year', 'first': '2027-01-01', 'last': '2027-01-03'}]
        >>> Notice.from_dict(n.to_dict()) == n
        True
        """
        out: dict[str, Any] = {"year": self.year, "title": self.title}
        holidays = []
        for h in self.holidays:
            entry: dict[str, Any] = {
                "name": h.name,
                "first": h.first.isoformat(),
                "last": h.last.isoformat(),
            }
            if h.name_zh is not None:
                entry["name_zh"] = h.name_zh
            if h.statutory is not None:
                entry["statutory"] = h.statutory
            holidays.append(entry)
        out["holidays"] = holidays
        out["workdays"] = [
            {"name": m.name, "date": m.date.isoformat()}
            | ({} if m.name_zh is None else {"name_zh": m.name_zh})
            for m in self.workdays
        ]
        if self.document is not None:
            out["document"] = self.document
        if self.covers is not None:
            out["covers"] = [d.isoformat() for d in self.covers]
        if self.note:
            out["note"] = self.note
        out["scope"] = self.scope
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, limits: Limits | None = None) -> Notice:
        """The notice in ``data``, its JSON form (or a parsed notice file).

        Read by the notice files' reader, so errors name the place:

        >>> Notice.from_dict({"year": 2027, "title": "x", "workdays": [{"name": "y"}]})
        Traceback (most recent call last):
        ...
        approval_clock.errors.CalendarError: notice (dict): workdays[0].date: missing required key
        """
        from approval_clock._toml import Reader
        from approval_clock.calendars._files import notice_from_table

        reader = Reader("notice (dict)", CalendarError, check_limits(limits), iso_dates=True)
        return notice_from_table(reader, data, "")

    def covered(self) -> tuple[date, date]:
        """The range this notice is authoritative for."""
        return self.covers or (date(self.year, 1, 1), date(self.year, 12, 31))

    def named_days(self) -> tuple[dict[date, str], dict[date, str]]:
        """``(holidays, workdays)`` as ``{date: name}`` dicts."""
        hol = {d: p.name for p in self.holidays for d in p.days()}
        wd = {m.date: m.name for m in self.workdays}
        return hol, wd

    def check_workdays(self, weekmask: str) -> None:
        """Refuse a makeup working day on a day ``weekmask`` already works.

        A makeup day (调休上班) is a weekend day made a working day; one on a
        weekday is a typo that would otherwise be recorded as "makeup working
        day for ..." on an ordinary working day.

        >>> from datetime import date
        >>> Notice(year=2027, title="x", workdays=[("National Day", date(2027, 10, 13))]
        ...        ).check_workdays("1111100")
        Traceback (most recent call last):
        ...
        approval_clock.errors.CalendarError: notice 2027: workdays[0] (National Day, 2027-10-13) is a Wednesday, already a working day; a makeup working day is a weekend day (check the date)
        """
        if not isinstance(weekmask, str):
            raise fail_type(
                "weekmask", "a string of 7 characters 0 and 1 such as '1111100'", weekmask
            )
        if len(weekmask) != 7 or set(weekmask) - {"0", "1"}:
            raise CalendarError(
                f"weekmask: expected 7 characters 0 and 1 for Monday..Sunday, got {shown(weekmask)}"
            )
        names = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
        for k, m in enumerate(self.workdays):
            if weekmask[m.date.weekday()] == "1":
                raise CalendarError(
                    f"notice {self.year}: workdays[{k}] ({m.name}, {m.date}) is a "
                    f"{names[m.date.weekday()]}, already a working day; a makeup working day "
                    f"is a weekend day (check the date)"
                )

    def apply(self, calendar: WorkCalendar) -> WorkCalendar:
        """``calendar`` with this notice on top; same as ``calendar.with_notice(self)``.

        >>> from datetime import date
        >>> from approval_clock import WorkCalendar
        >>> cal = WorkCalendar("X", first=date(2027, 1, 1), last=date(2027, 12, 31))
        >>> n = Notice(2027, "x", holidays=[("New Year", date(2027, 1, 1), date(2027, 1, 3))])
        >>> n.apply(cal).is_working_day(date(2027, 1, 1))
        False
        """
        from approval_clock.calendars.workcalendar import WorkCalendar

        return check_instance(calendar, WorkCalendar, "calendar").with_notices([self])


@attrs.define
class DayTables:
    """What notices say, day by day, as they are applied in order (later ones win).

    ``holidays`` and ``workdays`` map a date to its English name, ``names_zh`` to
    its Chinese name, ``statutory`` holds the days marked statutory, and
    ``sources`` the notice that set each day (its year and title). A calendar is
    compiled from these.
    """

    holidays: dict[date, str] = attrs.field(factory=dict)
    workdays: dict[date, str] = attrs.field(factory=dict)
    names_zh: dict[date, str] = attrs.field(factory=dict)
    statutory: set[date] = attrs.field(factory=set)
    sources: dict[date, tuple[int, str]] = attrs.field(factory=dict)

    def forget(self, d: date) -> None:
        """Drop whatever is known of ``d``."""
        self.holidays.pop(d, None)
        self.workdays.pop(d, None)
        self.names_zh.pop(d, None)
        self.statutory.discard(d)
        self.sources.pop(d, None)

    def apply(self, notice: Notice) -> None:
        """Put ``notice`` on top: its days replace what was known of them."""
        source = (
            notice.year,
            (notice.document and f"{notice.title} ({notice.document})") or notice.title,
        )
        for p in notice.holidays:
            for d in p.days():
                self.forget(d)
                self.holidays[d] = p.name
                if p.name_zh is not None:
                    self.names_zh[d] = p.name_zh
                if p.statutory:
                    self.statutory.add(d)
                self.sources[d] = source
        for m in notice.workdays:
            self.forget(m.date)
            self.workdays[m.date] = m.name
            if m.name_zh is not None:
                self.names_zh[m.date] = m.name_zh
            self.sources[m.date] = source


def late_changes(notices: Sequence[Notice], weekmask: str) -> list[date]:
    """Days before a notice's own year whose status that notice changed, in order.

    The history behind the ``tentative`` window: the 2019 notice made 2018-12-29 a
    working day and 2018-12-31 a rest day, after the 2018 notice had been in force
    all year. (Days a notice names that only restate their status, such as a
    weekend inside a New Year period, are not changes.)
    """
    tables = DayTables()

    def working(d: date) -> bool:
        return d in tables.workdays or (weekmask[d.weekday()] == "1" and d not in tables.holidays)

    changed: list[date] = []
    for notice in notices:
        hol, wd = notice.named_days()
        start = notice.covered()[0]
        for d in sorted({*hol, *wd}):
            if d < start and working(d) != (d in wd):
                changed.append(d)
        tables.apply(notice)
    return changed


def apply_notices(calendar: WorkCalendar, notices: Sequence[Notice]) -> WorkCalendar:
    """A copy of ``calendar`` with ``notices`` applied in order (``calendar.with_notices``)."""
    return calendar.with_notices(notices)


def load_notice(path: str | Path, *, limits: Limits | None = None) -> Notice:
    """Read a notice from a file: our TOML notice format, or a holiday-cn JSON file.

    The format is told by content (JSON starts with ``{``); both are described in
    ``docs/calendars.md``, and ``docs/next-notice.md`` shows what to do the day a
    new notice is published. Raises :class:`~approval_clock.errors.CalendarFileError`
    naming the file and the place of any problem. Only a regular file is read,
    its size and structure checked against ``limits`` first
    (:class:`~approval_clock.limits.Limits`), a byte order mark accepted.

    >>> import tempfile, pathlib
    >>> text = '''
    ... year = 2027
    ... title = "Example notice"
    ... holidays = [{ name = "New Year's Day", first = 2027-01-01, last = 2027-01-03 }]
    ... workdays = []
    ... '''
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp, "2027.toml"); _ = p.write_text(text, encoding="utf-8")
    ...     load_notice(p).holidays[0].last
    datetime.date(2027, 1, 3)
    """
    from approval_clock.calendars._files import read_notice_file

    return read_notice_file(check_path(path, "path"), check_limits(limits))

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

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from approval_clock.errors import ArgumentTypeError, CalendarCoverageError, CalendarError

if TYPE_CHECKING:
    from approval_clock.calendar import WorkCalendar

__all__ = ["MAX_PERIOD_DAYS", "HolidayPeriod", "MakeupDay", "Notice", "load_notice"]

MAX_PERIOD_DAYS = 366
"""The longest holiday period accepted: anything longer is a typo in a year, and
would otherwise be expanded day by day."""


def _non_empty(instance: Any, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ArgumentTypeError(f"{attribute.name}: expected a non-empty string, got {value!r}")


def _a_date(instance: Any, attribute: attrs.Attribute[date], value: object) -> None:
    if type(value) is not date:
        raise ArgumentTypeError(
            f"{attribute.name}: expected a datetime.date, got {type(value).__name__} {value!r}"
        )


@attrs.frozen
class HolidayPeriod:
    """A named rest period, ``first`` to ``last`` inclusive (weekend days inside included).

    >>> from datetime import date
    >>> p = HolidayPeriod("National Day", date(2026, 10, 1), date(2026, 10, 7))
    >>> len(p.days())
    7
    """

    name: str = attrs.field(validator=_non_empty)
    first: date = attrs.field(validator=_a_date)
    last: date = attrs.field(validator=_a_date)

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

    >>> from datetime import date
    >>> MakeupDay("National Day", date(2026, 10, 10)).date.isoformat()
    '2026-10-10'
    """

    name: str = attrs.field(validator=_non_empty)
    date: date = attrs.field(validator=_a_date)


def _periods(value: Iterable[HolidayPeriod | Sequence[Any]]) -> tuple[HolidayPeriod, ...]:
    return tuple(p if isinstance(p, HolidayPeriod) else HolidayPeriod(*p) for p in value)


def _makeups(value: Iterable[MakeupDay | Sequence[Any]]) -> tuple[MakeupDay, ...]:
    return tuple(m if isinstance(m, MakeupDay) else MakeupDay(*m) for m in value)


def _covers(value: tuple[date, date] | None) -> tuple[date, date] | None:
    if value is None:
        return None
    first, last = value
    for what, d in (("covers[0]", first), ("covers[1]", last)):
        if type(d) is not date:
            raise ArgumentTypeError(f"{what}: expected a datetime.date, got {d!r}")
    if first > last:
        raise CalendarError(f"covers: {first} is after {last}")
    return (first, last)


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
            Dates it names may fall just outside (a makeup day in late December).
        note: free text (why it was issued, an amendment's reason).

    Raises ``ValueError`` when one date is both a holiday and a makeup day.

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

    @year.validator
    def _check_year(self, attribute: attrs.Attribute[int], value: object) -> None:
        if type(value) is not int or not 1 <= value <= 9998:
            raise ArgumentTypeError(f"year: expected a year such as 2027, got {value!r}")

    def __attrs_post_init__(self) -> None:
        rest = {d: p.name for p in self.holidays for d in p.days()}
        for m in self.workdays:
            if m.date in rest:
                raise CalendarError(
                    f"notice {self.year}: {m.date} is both a holiday ({rest[m.date]}) "
                    f"and a makeup working day ({m.name})"
                )

    def covered(self) -> tuple[date, date]:
        """The range this notice is authoritative for."""
        return self.covers or (date(self.year, 1, 1), date(self.year, 12, 31))

    def named_days(self) -> tuple[dict[date, str], dict[date, str]]:
        """``(holidays, workdays)`` as ``{date: name}`` dicts."""
        hol = {d: p.name for p in self.holidays for d in p.days()}
        wd = {m.date: m.name for m in self.workdays}
        return hol, wd

    def apply(self, calendar: WorkCalendar) -> WorkCalendar:
        """``calendar`` with this notice on top; same as ``calendar.with_notice(self)``."""
        return apply_notices(calendar, [self])


def overlay(
    holidays: dict[date, str], workdays: dict[date, str], notices: Iterable[Notice]
) -> None:
    """Apply notices in order onto the two dicts, later ones replacing earlier ones."""
    for notice in notices:
        hol, wd = notice.named_days()
        for d, name in hol.items():
            holidays[d] = name
            workdays.pop(d, None)
        for d, name in wd.items():
            workdays[d] = name
            holidays.pop(d, None)


def apply_notices(calendar: WorkCalendar, notices: Sequence[Notice]) -> WorkCalendar:
    """A copy of ``calendar`` with ``notices`` applied in order and its range widened."""
    from approval_clock.calendar import WorkCalendar

    first, last = calendar.coverage
    projected = calendar.provisional[0] if calendar.provisional else None
    for notice in notices:
        lo, hi = notice.covered()
        if lo > last + timedelta(days=1) or hi < first - timedelta(days=1):
            raise CalendarCoverageError(
                f"notice {notice.year} covers {lo}..{hi}, which leaves a gap after "
                f"calendar {calendar.name!r} ({first}..{last}); add the notices in between first"
            )
        if projected is not None and lo <= projected <= hi:
            projected = hi + timedelta(days=1)
        elif projected is not None and lo > projected:
            raise CalendarCoverageError(
                f"notice {notice.year} starts at {lo}, but {projected}.. is only projected; "
                f"apply the notices for the projected years first"
            )
        first, last = min(first, lo), max(last, hi)
    if projected is not None and projected > last:
        projected = None
    holidays = dict(calendar.holidays)
    workdays = dict(calendar.workdays)
    overlay(holidays, workdays, notices)
    for what, days in (("holiday", holidays), ("makeup working day", workdays)):
        outside = [d for d in days if not first <= d <= last]
        if outside:
            raise CalendarCoverageError(
                f"{what} {outside[0]} ({days[outside[0]]}) is outside {first}..{last}; "
                f"give the notice a 'covers' range that includes it"
            )
    return WorkCalendar(
        calendar.name,
        first=first,
        last=last,
        weekmask=calendar.weekmask,
        holidays=holidays,
        workdays=workdays,
        timezone=calendar.timezone,
        code=calendar.code,
        projected_from=projected,
    )


def load_notice(path: str | Path) -> Notice:
    """Read a notice from a TOML file (format in ``docs/calendars.md``).

    Raises :class:`~approval_clock.errors.CalendarFileError` naming the file and
    the place of any problem.

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

    return read_notice_file(Path(path))

"""WorkCalendar: which days are working days, compiled once, answered in O(1).

A calendar is declared by a week mask, holidays (rest days with a name),
makeup working days (调休上班: weekend days worked in exchange for a longer
holiday) and the range it is authoritative for. On construction it is compiled
into three arrays over that range:

* ``work[i]``: is day ``i`` a working day;
* ``cum[i]``: how many working days come before day ``i`` (a prefix sum);
* ``pos[k]``: the day index of the ``k``-th working day.

Every query is then a couple of lookups: ``count(a, b) = cum[b+1] - cum[a]``, the
``n``-th working day after ``d`` is ``pos[cum[d+1] + n - 1]``. Scalars use Python
lists (fast to index one item), arrays use the numpy copies (vectorized indexing):
numpy ``datetime64`` arrays and pandas Series of dates first try the fast path of
:mod:`approval_clock.calendars._vector` (tables of answers by day, read in
cache-sized chunks), and everything it does not answer (NaT, dates outside the
range, lists, other types, broadcasting) takes the general path here.
No week arithmetic is ever done at query time, which is why makeup working days
cost nothing.

The counting rules follow the Civil Code (arts. 200-204) and the Administrative
Licensing Law (art. 82); each method says which. Calendars come from
:mod:`approval_clock.calendars`; plans and records build on this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, NoReturn, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import numpy as np
import numpy.typing as npt

from approval_clock import _advice, _dates
from approval_clock._check import check_choice, check_date
from approval_clock.calendars._vector import Tables, clean
from approval_clock.durations import (
    MAX_DURATION,
    CalendarDays,
    CalendarMonths,
    WorkingDays,
    as_duration,
)
from approval_clock.errors import (
    ApprovalClockError,
    ArgumentTypeError,
    ArgumentValueError,
    CalendarCoverageError,
    CalendarError,
    DateOrderError,
    DurationError,
)
from approval_clock.limits import Limits, check_limits

__all__ = [
    "CERTAINTIES",
    "DAY_KINDS",
    "LANGS",
    "LAWS",
    "Certainty",
    "DayChange",
    "DayKind",
    "DayStatus",
    "WorkCalendar",
]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# The widest range a calendar may cover: each of its days has a neighbour on both
# sides within datetime.date's range.
_FIRST_DAY = date.min + timedelta(days=1)
_LAST_DAY = date.max - timedelta(days=1)

Certainty = Literal["official", "tentative", "projected"]
"""How sure a day's status is: see :meth:`WorkCalendar.certainty`."""

CERTAINTIES: tuple[Certainty, ...] = ("official", "tentative", "projected")
"""The certainties, from the most to the least certain."""

DayKind = Literal["working_day", "makeup_working_day", "rest_day", "statutory_holiday"]
"""What kind of day a date is: see :meth:`WorkCalendar.day_kind`."""

DAY_KINDS: tuple[DayKind, ...] = (
    "working_day",
    "makeup_working_day",
    "rest_day",
    "statutory_holiday",
)
"""The kinds of day, working ones first."""

LANGS = ("en", "zh")
"""The languages of :meth:`WorkCalendar.describe`."""

LAWS = ("CN",)
"""Statutory-holiday models a calendar can follow (``law=``): ``"CN"`` is mainland
China's 全国年节及纪念日放假办法 (see :func:`approval_clock.calendars.statutory_holidays`)."""

_MARK_TAGS = ("statutory", "substitute", "forecast")
_MARK_TEXT = {
    "statutory": "statutory",
    "substitute": "substitute weekday off for a statutory day on a weekend",
    "forecast": "forecast",
}
_MARK_TEXT_ZH = {
    "statutory": "法定节假日",
    "substitute": "法定节假日逢周末补休",
    "forecast": "预测的调休",
}

DateLike = Any
"""A date, naive or aware datetime, numpy datetime64 or pandas Timestamp."""


def _parse_weekmask(mask: str | Iterable[bool | int]) -> tuple[bool, ...]:
    if isinstance(mask, str):
        if len(mask) != 7 or set(mask) - {"0", "1"}:
            raise CalendarError(
                f"weekmask: expected 7 characters of 0 and 1 for Monday..Sunday "
                f"such as '1111100', got {mask!r}"
            )
        bits = tuple(c == "1" for c in mask)
    else:
        try:
            items = tuple(mask)
        except TypeError:
            raise ArgumentTypeError(
                f"weekmask: expected 7 characters of 0 and 1 for Monday..Sunday such as "
                f"'1111100', or 7 booleans, got {_dates.describe_value(mask)}"
            ) from None
        if len(items) != 7 or any(b not in (0, 1) for b in items):
            raise CalendarError(f"weekmask: expected 7 booleans for Monday..Sunday, got {items!r}")
        bits = tuple(bool(b) for b in items)
    if not any(bits):
        raise CalendarError("weekmask: at least one weekday must be a working day")
    return bits


def _named_days(
    what: str, days: Mapping[date, str] | Iterable[date], default: str
) -> dict[date, str]:
    if isinstance(days, Mapping):
        items = list(days.items())
    elif isinstance(days, Iterable) and not isinstance(days, (str, bytes)):
        items = [(d, default) for d in days]
    else:
        raise ArgumentTypeError(
            f"{what}: expected dates, or a mapping of dates to names, got "
            f"{_dates.describe_value(days)}"
        )
    out: dict[date, str] = {}
    for d, name in items:
        check_date(d, what)
        if not isinstance(name, str) or not name:
            raise ArgumentTypeError(f"{what}[{d}]: expected a non-empty name, got {name!r}")
        out[d] = name
    return dict(sorted(out.items()))


class WorkCalendar:
    """A working-day calendar: immutable, compiled once, every query O(1).

    Args:
        name: what to call it in messages (``"Mainland China"``).
        first, last: the range the calendar is authoritative for; a query outside
            it raises :class:`~approval_clock.errors.CalendarCoverageError`.
        weekmask: working weekdays, Monday first: ``"1111100"`` or 7 booleans.
        holidays: rest days with their names (``{date: "National Day"}``); they
            may fall on weekend days (then only ``describe`` notices them).
        workdays: makeup working days with the name of the holiday they serve.
        timezone: IANA zone in which aware datetimes are read (``"Asia/Shanghai"``);
            ``None`` (the default) refuses aware datetimes rather than guess a zone.
        code: the short code ``calendars.get`` knows it by, if any.
        projected_from: the first day that rests on a projection rather than on
            official data (see :meth:`extended`); ``None`` when nothing is projected.
        tentative: ranges ``(first, last)`` of days the next notice may still
            change (see :meth:`certainty`).
        law: the statutory-holiday model the calendar follows (``"CN"``, see
            :data:`LAWS`), or ``None``: it makes :meth:`extended`'s statutory and
            forecast rules available and tells the statutory holidays apart.
        names_zh: Chinese names of named days (``{date: "国庆节"}``), for
            ``describe(d, lang="zh")``.
        statutory: holidays that are statutory (法定节假日) besides those of the
            law; see :meth:`day_kind`.

    Raises:
        ValueError: bad week mask, ``first > last``, a range reaching 0001-01-01 or
            9999-12-31 (a calendar lies within 0001-01-02..9999-12-30), a day that is
            both a holiday and a makeup working day, or a named day outside
            ``first..last``.
        TypeError: a value of the wrong type, naming the argument.

    >>> from datetime import date
    >>> cal = WorkCalendar(
    ...     "Example", first=date(2026, 1, 1), last=date(2026, 12, 31),
    ...     holidays={date(2026, 10, 1): "National Day"},
    ...     workdays={date(2026, 10, 10): "National Day"})
    >>> cal.is_working_day(date(2026, 10, 1)), cal.is_working_day(date(2026, 10, 10))
    (False, True)
    >>> cal.describe(date(2026, 10, 10))
    'makeup working day for National Day'
    """

    __slots__ = (
        "__weakref__",  # axes and other caches hold calendars weakly
        "_cert",
        "_cert_l",
        "_code",
        "_cum",
        "_cum_l",
        "_first",
        "_hash",
        "_holidays",
        "_kind",
        "_kind_l",
        "_last",
        "_law",
        "_marks",
        "_n",
        "_name",
        "_names_zh",
        "_origin",
        "_pos",
        "_pos_d",
        "_pos_l",
        "_projected_from",
        "_range_hint",
        "_sources",
        "_statutory",
        "_tent_cum",
        "_tentative",
        "_timezone",
        "_vec",
        "_weekmask",
        "_work",
        "_work_l",
        "_workdays",
        "_zone",
    )

    _range_hint: str | None
    _cert: npt.NDArray[np.int8]
    _cert_l: list[int]
    _code: str | None
    _cum: npt.NDArray[np.int64]
    _cum_l: list[int]
    _first: date
    _hash: int | None
    _holidays: dict[date, str]
    _kind: npt.NDArray[np.int8]
    _kind_l: list[int]
    _last: date
    _law: str | None
    _marks: dict[date, tuple[str, int]]
    _n: int
    _name: str
    _names_zh: dict[date, str]
    _sources: dict[date, tuple[int, str]]
    _statutory: frozenset[date]
    _origin: int
    _pos: npt.NDArray[np.int64]
    _pos_l: list[int]
    _pos_d: list[date] | None  # the working days as dates, made on the first scalar deadline
    _projected_from: date | None
    _tent_cum: npt.NDArray[np.int64]
    _tentative: tuple[tuple[date, date], ...]
    _timezone: str | None
    _vec: Tables
    _weekmask: tuple[bool, ...]
    _work: npt.NDArray[np.bool_]
    _work_l: list[bool]
    _workdays: dict[date, str]
    _zone: ZoneInfo | None

    def __init__(
        self,
        name: str,
        *,
        first: date,
        last: date,
        weekmask: str | Iterable[bool | int] = "1111100",
        holidays: Mapping[date, str] | Iterable[date] = (),
        workdays: Mapping[date, str] | Iterable[date] = (),
        timezone: str | None = None,
        code: str | None = None,
        projected_from: date | None = None,
        tentative: Iterable[tuple[date, date]] = (),
        law: str | None = None,
        names_zh: Mapping[date, str] | None = None,
        statutory: Iterable[date] = (),
        _marks: Mapping[date, tuple[str, int]] | None = None,
        _sources: Mapping[date, tuple[int, str]] | None = None,
        _range_hint: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise ArgumentTypeError(f"name: expected a non-empty string, got {name!r}")
        check_date(first, "first")
        check_date(last, "last")
        if first > last:
            raise CalendarError(f"first ({first}) is after last ({last})")
        if first < _FIRST_DAY or last > _LAST_DAY:
            raise CalendarError(
                f"first..last ({first}..{last}): a calendar's range must lie within "
                f"{_FIRST_DAY}..{_LAST_DAY}, so that every day of it has a day before and "
                f"after it (the counting rules look one day past each end)"
            )
        set_ = object.__setattr__
        set_(self, "_name", name)
        set_(self, "_first", first)
        set_(self, "_last", last)
        set_(self, "_weekmask", _parse_weekmask(weekmask))
        hol = _named_days("holidays", holidays, "holiday")
        wd = _named_days("workdays", workdays, "makeup working day")
        both = sorted(hol.keys() & wd.keys())
        if both:
            raise CalendarError(
                f"{both[0]} is given both as a holiday ({hol[both[0]]!r}) and as a makeup "
                f"working day ({wd[both[0]]!r}); a later notice should replace, not add"
            )
        for what, days in (("holidays", hol), ("workdays", wd)):
            outside = [d for d in days if not first <= d <= last]
            if outside:
                raise CalendarError(
                    f"{what}: {outside[0]} ({days[outside[0]]}) is outside the calendar's "
                    f"range {first}..{last}; widen first/last to include it"
                )
        set_(self, "_holidays", hol)
        set_(self, "_workdays", wd)
        zone: ZoneInfo | None = None
        if timezone is not None:
            if not isinstance(timezone, str):
                raise ArgumentTypeError(
                    f"timezone: expected an IANA zone name or None, got {timezone!r}"
                )
            try:
                zone = ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError) as e:
                raise CalendarError(f"timezone: unknown IANA zone {timezone!r}") from e
        set_(self, "_timezone", timezone)
        set_(self, "_zone", zone)
        if code is not None and not isinstance(code, str):
            raise ArgumentTypeError(f"code: expected a string or None, got {code!r}")
        set_(self, "_code", code)
        if projected_from is not None:
            check_date(projected_from, "projected_from")
            if not first <= projected_from <= last:
                raise CalendarError(f"projected_from {projected_from} is outside {first}..{last}")
        set_(self, "_projected_from", projected_from)
        set_(self, "_tentative", _tentative_ranges(tentative, first, last))
        if law is not None and (type(law) is not str or law not in LAWS):
            raise CalendarError(
                f"law: expected None or one of {', '.join(map(repr, LAWS))} (the statutory-"
                f"holiday models known), got {law!r}"
            )
        set_(self, "_law", law)
        marks = dict(_marks or {})
        for d, (tag, _year) in marks.items():
            if not first <= d <= last or tag not in _MARK_TAGS:
                raise CalendarError(f"_marks: bad entry {d}: {tag!r}")
        set_(self, "_marks", dict(sorted(marks.items())))
        zh = _named_days("names_zh", {} if names_zh is None else names_zh, "")
        unnamed = [d for d in zh if d not in hol and d not in wd]
        if unnamed:
            raise CalendarError(
                f"names_zh: {unnamed[0]} ({zh[unnamed[0]]}) is neither a holiday nor a makeup "
                f"working day of the calendar; Chinese names go with named days"
            )
        set_(self, "_names_zh", zh)
        if not isinstance(statutory, Iterable) or isinstance(statutory, (str, bytes)):
            raise ArgumentTypeError(
                f"statutory: expected dates, got {_dates.describe_value(statutory)}"
            )
        marked = frozenset(check_date(d, "statutory") for d in statutory)
        if marked - hol.keys():
            d = min(marked - hol.keys())
            raise CalendarError(
                f"statutory: {d} is not a holiday of the calendar; only a rest day can be a "
                f"statutory holiday"
            )
        set_(self, "_statutory", marked)
        set_(self, "_sources", dict(sorted((_sources or {}).items())))
        set_(self, "_range_hint", _range_hint)
        set_(self, "_hash", None)
        self._compile()

    def _compile(self) -> None:
        set_ = object.__setattr__
        origin = self._first.toordinal()
        n = self._last.toordinal() - origin + 1
        # date.weekday() of day i is (origin + i - 1) % 7 for proleptic ordinals.
        weekday = (np.arange(n, dtype=np.int64) + (origin - 1)) % 7
        work = np.asarray(self._weekmask, dtype=bool)[weekday]
        if self._holidays:
            work[[d.toordinal() - origin for d in self._holidays]] = False
        if self._workdays:
            work[[d.toordinal() - origin for d in self._workdays]] = True
        cum = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(work, out=cum[1:])
        pos = np.flatnonzero(work).astype(np.int64)
        cert = np.zeros(n, dtype=np.int8)
        for a, b in self._tentative:
            cert[a.toordinal() - origin : b.toordinal() - origin + 1] = 1
        if self._projected_from is not None:
            cert[self._projected_from.toordinal() - origin :] = 2
        tent_cum = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(cert == 1, out=tent_cum[1:])
        for arr in (work, cum, pos, cert, tent_cum):
            arr.setflags(write=False)
        set_(self, "_cert", cert)
        set_(self, "_cert_l", cert.tolist())
        set_(self, "_tent_cum", tent_cum)
        # Day kinds: 0 working day, 1 makeup working day, 2 rest day, 3 statutory holiday.
        weekend = ~np.asarray(self._weekmask, dtype=bool)[weekday]
        kind = np.where(work, np.where(weekend, 1, 0), 2).astype(np.int8)
        statutory = [d.toordinal() - origin for d in self._statutory_days()]
        if statutory:
            idx = np.asarray(statutory, dtype=np.int64)
            kind[idx[~work[idx]]] = 3
        kind.setflags(write=False)
        set_(self, "_kind", kind)
        set_(self, "_kind_l", kind.tolist())
        set_(self, "_origin", origin)
        set_(self, "_n", n)
        set_(self, "_work", work)
        set_(self, "_cum", cum)
        set_(self, "_pos", pos)
        set_(self, "_work_l", work.tolist())
        set_(self, "_cum_l", cum.tolist())
        set_(self, "_pos_l", pos.tolist())
        set_(self, "_pos_d", None)
        set_(self, "_vec", Tables(origin - _dates.EPOCH_ORDINAL, work, cum, pos))

    def _working_dates(self) -> list[date]:
        """The working days as ``date`` objects (``pos`` as dates), made once, on first use.

        Scalar answers are then one list index, without making a ``date``.
        """
        days = [date.fromordinal(self._origin + p) for p in self._pos_l]
        object.__setattr__(self, "_pos_d", days)
        return days

    def _statutory_days(self) -> list[date]:
        """The statutory holidays in range: marked ones, and those of the calendar's law."""
        days = set(self._statutory)
        days.update(d for d, (tag, _) in self._marks.items() if tag == "statutory")
        if self._law == "CN":
            from approval_clock.calendars._lunar import FIRST_YEAR, LAST_YEAR
            from approval_clock.calendars._statutory import statutory_holidays

            for year in range(
                max(self._first.year, FIRST_YEAR), min(self._last.year, LAST_YEAR) + 1
            ):
                days.update(statutory_holidays(year))
        return [d for d in days if self._first <= d <= self._last]

    def __setattr__(self, key: str, value: object) -> NoReturn:
        raise AttributeError(f"WorkCalendar is immutable; use with_* methods (tried to set {key})")

    def __delattr__(self, key: str) -> NoReturn:
        raise AttributeError("WorkCalendar is immutable")

    # -- what it is -----------------------------------------------------------------

    @property
    def name(self) -> str:
        """The calendar's name, used in messages."""
        return self._name

    @property
    def code(self) -> str | None:
        """The code :func:`approval_clock.calendars.get` knows it by, or ``None``."""
        return self._code

    @property
    def timezone(self) -> str | None:
        """The IANA zone in which aware datetimes are turned into dates (``None``: unknown).

        A calendar without a zone accepts dates and naive datetimes but refuses
        aware datetimes, since it cannot tell which local day they fall on.
        """
        return self._timezone

    @property
    def weekmask(self) -> str:
        """Working weekdays, Monday first, as ``"1111100"``."""
        return "".join("1" if b else "0" for b in self._weekmask)

    @property
    def holidays(self) -> Mapping[date, str]:
        """Named rest days (a read-only copy, in date order)."""
        return dict(self._holidays)

    @property
    def workdays(self) -> Mapping[date, str]:
        """Makeup working days with the holiday each serves (read-only copy)."""
        return dict(self._workdays)

    @property
    def coverage(self) -> tuple[date, date]:
        """``(first, last)``: the range this calendar answers for, projection included.

        >>> from approval_clock import calendars
        >>> calendars.get("CN").coverage
        (datetime.date(2004, 1, 1), datetime.date(2026, 12, 31))
        """
        return (self._first, self._last)

    @property
    def provisional(self) -> tuple[date, date] | None:
        """The projected part of the coverage as ``(first, last)``, or ``None``.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> cn = calendars.get("CN")
        >>> cn.provisional is None
        True
        >>> cn.extended(until=date(2027, 12, 31)).provisional
        (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))
        """
        if self._projected_from is None:
            return None
        return (self._projected_from, self._last)

    def is_provisional(self, d: DateLike) -> bool:
        """True when ``d`` lies in the projected part of the coverage.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> cal = calendars.get("CN").extended(until=date(2027, 12, 31))
        >>> cal.is_provisional(date(2026, 12, 31)), cal.is_provisional(date(2027, 1, 4))
        (False, True)
        """
        i = self._index(d)
        return self._projected_from is not None and i >= (
            self._projected_from.toordinal() - self._origin
        )

    @property
    def law(self) -> str | None:
        """The statutory-holiday model the calendar follows (``"CN"``), or ``None``.

        A calendar with a law can be projected with ``rule="statutory"`` or
        ``"forecast"`` and refuses a national notice that would work a statutory day.

        >>> from approval_clock import calendars
        >>> calendars.get("CN").law, calendars.get("FR", years=(2025, 2026)).law
        ('CN', None)
        """
        return self._law

    @property
    def tentative(self) -> tuple[tuple[date, date], ...]:
        """The ranges ``(first, last)`` whose days are ``"tentative"`` (see :meth:`certainty`).

        >>> from approval_clock import calendars
        >>> calendars.get("CN").tentative
        ((datetime.date(2026, 12, 29), datetime.date(2026, 12, 31)),)
        """
        return self._tentative

    def certainty(self, d: Any, last: Any = None) -> Any:
        """How sure the status of ``d`` is: ``"official"``, ``"tentative"`` or ``"projected"``.

        * ``"official"``: fixed by a loaded notice (or, for calendars from
          workalendar and user files, by their source) and not open to change;
        * ``"tentative"``: covered by the latest notice, but in the late-December
          window that the next year's notice has changed in the past (for the
          mainland: 29-31 December, derived from the notices 2004-2026; see
          ``docs/next-notice.md``);
        * ``"projected"``: past the notices, set by :meth:`extended`.

        With ``last``, the least certain of the days ``d..last`` (both included):
        what a result resting on all of them, such as a deadline, can claim.
        ``cal.certainty(d, cal.deadline(d, WorkingDays(20)))`` says whether a
        deadline is official. Arrays in give arrays out (an object array of
        strings, ``None`` for NaT; a Series keeps its index).

        >>> from datetime import date
        >>> from approval_clock import calendars, WorkingDays
        >>> cn = calendars.get("CN").extended(until=date(2027, 12, 31))
        >>> [cn.certainty(date(2026, 12, n)) for n in (28, 29)], cn.certainty(date(2027, 1, 4))
        (['official', 'tentative'], 'projected')
        >>> start = date(2026, 12, 15)
        >>> end = cn.deadline(start, WorkingDays(20))
        >>> end, cn.certainty(start, end)
        (datetime.date(2027, 1, 13), 'projected')
        """
        if last is None:
            if type(d) is not date and _dates.is_vector(d):
                idx, mask = self._indices(d)
                return self._labels(self._cert[idx], mask, d)
            return CERTAINTIES[self._cert_l[self._index(d)]]
        if _dates.is_vector(d) or _dates.is_vector(last):
            like, name = _pairing(d, last, "certainty", names=("d", "last"))
            ia, ib, mask = self._ordered_pair(d, last, "certainty(d, last)")
            level = np.where(self._tent_cum[ib + 1] - self._tent_cum[ia] > 0, 1, 0)
            level = np.maximum(level, self._cert[ib])
            return self._labels(level.astype(np.int8), mask, like, name)
        i, j = self._index(d), self._index(last)
        if j < i:
            raise DateOrderError(f"certainty({d}, {last}): the first date is after the last")
        return CERTAINTIES[self._range_level(i, j)]

    def _range_level(self, i: int, j: int) -> int:
        if self._cert_l[j] == 2:
            return 2
        return 1 if self._tent_cum[j + 1] > self._tent_cum[i] else 0

    @staticmethod
    def _labels(
        level: npt.NDArray[np.int8],
        mask: npt.NDArray[np.bool_] | None,
        like: object,
        name: object = _dates.NO_NAME,
    ) -> Any:
        out = np.asarray(CERTAINTIES, dtype=object)[level]
        if mask is not None:
            out[np.broadcast_to(mask, out.shape)] = None
        return _dates.wrap(out, like, name)

    @property
    def names_zh(self) -> Mapping[date, str]:
        """Chinese names of the named days (read-only copy): ``{date: "国庆节"}``.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> calendars.get("CN").names_zh[date(2026, 10, 1)]
        '国庆节'
        """
        return dict(self._names_zh)

    def day_kind(self, d: Any) -> Any:
        """What kind of day ``d`` is: ``"statutory_holiday"``, ``"rest_day"``,
        ``"makeup_working_day"`` or ``"working_day"`` (arrays too).

        * ``"statutory_holiday"``: a statutory day off (法定节假日): on the mainland
          calendar a day the 全国年节及纪念日放假办法 in force that year gives off
          (and 3 September 2015), official or projected; on other calendars a
          day its source marks statutory (workalendar's public holidays, a
          notice's ``statutory = true``). Overtime on these is paid 300%.
        * ``"rest_day"``: any other day off: weekends, and weekdays given off by
          调休 or an extension (2020), or a substitute day. Overtime 200%.
        * ``"makeup_working_day"``: a weekend day worked by notice (调休上班).
        * ``"working_day"``: any other working day.

        Arrays give an object array of these strings (``None`` for NaT; a Series
        keeps its index).

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> cn = calendars.get("CN")
        >>> [cn.day_kind(date(2026, 10, n)) for n in (1, 5, 10, 12)]
        ['statutory_holiday', 'rest_day', 'makeup_working_day', 'working_day']
        """
        if type(d) is not date and _dates.is_vector(d):
            idx, mask = self._indices(d)
            out = np.asarray(DAY_KINDS, dtype=object)[self._kind[idx]]
            if mask is not None:
                out[mask] = None
            return _dates.wrap(out, d)
        return DAY_KINDS[self._kind_l[self._index(d)]]

    def status(self, d: DateLike) -> DayStatus:
        """The day's :class:`DayStatus`: working or not, :meth:`describe`, :meth:`certainty`.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> calendars.get("CN").status(date(2021, 10, 1)).working
        False
        """
        i = self._index(d)
        return DayStatus(
            self._work_l[i], self.describe(self._date(i)), CERTAINTIES[self._cert_l[i]]
        )

    def __repr__(self) -> str:
        proj = f", projected from {self._projected_from}" if self._projected_from else ""
        return (
            f"<WorkCalendar {self._name!r} {self._first}..{self._last}{proj}, "
            f"weekmask {self.weekmask}, {len(self._holidays)} holidays, "
            f"{len(self._workdays)} makeup working days>"
        )

    def _key(self) -> tuple[object, ...]:
        return (
            self._name,
            self._first,
            self._last,
            self._weekmask,
            tuple(self._holidays.items()),
            tuple(self._workdays.items()),
            self._timezone,
            self._code,
            self._projected_from,
            self._tentative,
            self._law,
            tuple(self._marks.items()),
            tuple(self._names_zh.items()),
            tuple(sorted(self._statutory)),
            # Not the sources: two calendars that say the same of every day are
            # equal whichever file (TOML, holiday-cn JSON) the notice came from.
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        return self is other or self._key() == other._key()

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(self._key()))
        return self._hash  # type: ignore[return-value]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._init_kwargs(),))

    def _init_kwargs(self) -> dict[str, Any]:
        return {
            "name": self._name,
            "first": self._first,
            "last": self._last,
            "weekmask": self._weekmask,
            "holidays": self._holidays,
            "workdays": self._workdays,
            "timezone": self._timezone,
            "code": self._code,
            "projected_from": self._projected_from,
            "tentative": self._tentative,
            "law": self._law,
            "names_zh": self._names_zh,
            "statutory": self._statutory,
            "_marks": self._marks,
            "_sources": self._sources,
            "_range_hint": self._range_hint,
        }

    # -- input handling -------------------------------------------------------------

    def _coverage_error(
        self, value: object, ordinal: int, *, count: int = 1
    ) -> CalendarCoverageError:
        d = date.fromordinal(ordinal) if 0 < ordinal <= date.max.toordinal() else value
        side = "before" if ordinal < self._origin else "after"
        how = self._advice(side)
        more = f" (and {count - 1} more value(s) outside it)" if count > 1 else ""
        return CalendarCoverageError(
            f"{d} is {side} the range of calendar {self._name!r}, which covers "
            f"{self._first}..{self._last}{more}; {how}"
        )

    @property
    def how_to_extend(self) -> str:
        """What to do about a date after the range, for this calendar's source (one sentence).

        Error messages about coverage end with it: load the next notice for the
        mainland calendar, widen ``years=`` for a workalendar one.

        >>> from approval_clock import calendars
        >>> calendars.get("CN").how_to_extend.startswith("load the next year's notice")
        True
        """
        return self._advice("after")

    def _advice(self, side: str) -> str:
        """What to do about a date outside the range, for this calendar's source."""
        if self._range_hint is not None:
            return self._range_hint
        if side == "before":
            return "use a calendar whose range starts earlier"
        if self._law is not None:
            return _advice.say("extend_mainland")
        return (
            "widen the calendar's range, or project explicitly with "
            "cal.extended(until=..., rule='weekends')"
        )

    def _index(self, d: DateLike) -> int:
        if type(d) is date:
            i = d.toordinal() - self._origin
            if 0 <= i < self._n:
                return i
            raise self._coverage_error(d, d.toordinal())
        ordinal = _dates.scalar_ordinal(d, self._zone, self._name)
        i = ordinal - self._origin
        if 0 <= i < self._n:
            return i
        raise self._coverage_error(d, ordinal)

    def _indices(
        self, values: object
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_] | None]:
        """Day indices for an array of dates, and the NaT mask (None when there is none)."""
        days = _dates.day_array(values, self._timezone, self._name)
        idx = days - (self._origin - _dates.EPOCH_ORDINAL)
        # One pass for the usual case: NaT and both ends of the range are all
        # "unsigned index >= n" (a negative int64 is a huge unsigned one).
        if idx.size == 0 or int(idx.view(np.uint64).max()) < self._n:
            return idx, None
        missing = days == _dates.NAT_INT
        bad = (idx < 0) | (idx >= self._n)
        if missing.any():
            bad &= ~missing
            idx = np.where(missing, 0, idx)
            mask: npt.NDArray[np.bool_] | None = missing
        else:
            mask = None
        if bad.any():
            where = np.flatnonzero(bad.reshape(-1))
            k = int(where[0])
            day = int(days.reshape(-1)[k])
            # Shown as numpy shows it when datetime.date cannot hold it (year 10000).
            value = np.datetime64(day, "D")
            raise self._coverage_error(value, day + _dates.EPOCH_ORDINAL, count=len(where))
        return idx, mask

    def _date(self, i: int) -> date:
        return date.fromordinal(self._origin + i)

    def _dates_out(
        self, idx: npt.NDArray[np.int64], mask: npt.NDArray[np.bool_] | None
    ) -> npt.NDArray[Any]:
        out = (idx + (self._origin - _dates.EPOCH_ORDINAL)).astype("datetime64[D]")
        if mask is not None:
            out[mask] = np.datetime64("NaT")
        return out

    @staticmethod
    def _ints_out(
        values: npt.NDArray[np.int64],
        mask: npt.NDArray[np.bool_] | None,
        like: object,
        name: object = _dates.NO_NAME,
    ) -> Any:
        if mask is None:
            return _dates.wrap(values, like, name)
        out = values.astype(np.float64)
        out[np.broadcast_to(mask, out.shape)] = np.nan
        wrapped = _dates.wrap(out, like, name)
        if wrapped is not out:
            return wrapped.astype("Int64")
        return out

    def _scalar_index(self, value: object) -> int | None:
        """The day index of a scalar operand of a fast vector query; ``None`` for NaT or a bad one.

        A bad scalar is left to the general path, so that the error is the one it
        raises, about the first operand that is wrong.
        """
        if _dates.is_missing_scalar(value):
            return None
        try:
            return self._index(value)
        except ApprovalClockError:
            return None

    def _fast_pair(self, a: object, b: object, query: Any) -> Any:
        """``query(a, b)`` on the fast path (see ``_vector``), or ``None`` to take the general one."""
        sa = clean(a) if _dates.is_vector(a) else self._scalar_index(a)
        if sa is None:
            return None
        sb = clean(b) if _dates.is_vector(b) else self._scalar_index(b)
        if sb is None or (type(sa) is int and type(sb) is int):
            return None
        return query(sa, sb)

    # -- queries --------------------------------------------------------------------

    @overload
    def is_working_day(self, d: date) -> bool: ...
    @overload
    def is_working_day(self, d: Any) -> Any: ...

    def is_working_day(self, d: Any) -> Any:
        """Whether ``d`` is a working day; for an array, a boolean array.

        A working day is a day the week mask works, unless it is a holiday, plus
        every makeup working day. For arrays, NaT gives ``False`` (numpy) or
        ``<NA>`` (a pandas Series gives a nullable boolean Series).

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> cn = calendars.get("CN")
        >>> cn.is_working_day(date(2021, 10, 1)), cn.is_working_day(date(2021, 10, 9))
        (False, True)
        """
        if type(d) is date:
            i = d.toordinal() - self._origin
            if 0 <= i < self._n:
                return self._work_l[i]
            raise self._coverage_error(d, d.toordinal())
        if type(d) is np.datetime64:
            ordinal = _dates.datetime64_ordinal(d)
            i = ordinal - self._origin
            if 0 <= i < self._n:
                return self._work_l[i]
            raise self._coverage_error(d, ordinal)
        if _dates.is_vector(d):
            fast = self._fast(d, self._vec.is_working_day)
            if fast is not None:
                return fast
            idx, mask = self._indices(d)
            out = self._work[idx]
            if mask is None:
                return _dates.wrap(out, d)
            out = out & ~mask
            wrapped = _dates.wrap(out, d)
            if wrapped is not out:
                wrapped = wrapped.astype("boolean")
                wrapped[mask.reshape(-1)] = None
            return wrapped
        return self._work_l[self._index(d)]

    def count(self, a: Any, b: Any) -> Any:
        """Working days in ``[a, b]``, both ends included.

        This is how the press counts ("took 18 working days"). ``a`` after ``b``
        is an error (``ValueError``); use :meth:`elapsed` for a signed measure.
        Arrays broadcast; NaT in either gives a missing result (NaN in a float
        array, ``<NA>`` in an ``Int64`` Series).

        pandas: a Series in gives a Series out, with its index. Two Series are
        paired by index, so their indexes must be equal: otherwise
        :class:`~approval_clock.errors.ArgumentValueError` (a ``ValueError``) says to
        align them first, rather than pair rows of different records by position.
        The result is named like them if they share a name, else ``"count"``.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> cn = calendars.get("CN")
        >>> cn.count(date(2021, 8, 18), date(2021, 9, 10))
        18
        >>> import pandas as pd
        >>> start = pd.Series(pd.to_datetime(["2021-08-18", "2021-09-28"]), index=[7, 9])
        >>> done = pd.Series(pd.to_datetime(["2021-09-10", "2021-10-08"]), index=[7, 9])
        >>> cn.count(start, done).to_dict()
        {7: 18, 9: 4}
        """
        if type(a) is date and type(b) is date:
            i = a.toordinal() - self._origin
            j = b.toordinal() - self._origin
            if not (0 <= i < self._n and 0 <= j < self._n):
                bad = a if not 0 <= i < self._n else b
                raise self._coverage_error(bad, bad.toordinal())
            if j < i:
                raise DateOrderError(f"count({a}, {b}): the start is after the end")
            return self._cum_l[j + 1] - self._cum_l[i]
        if _dates.is_vector(a) or _dates.is_vector(b):
            like, name = _pairing(a, b, "count")
            fast = self._fast_pair(a, b, self._vec.count)
            if fast is not None:
                return _dates.wrap(fast, like, name)
            ia, ib, mask = self._ordered_pair(a, b, "count(a, b)")
            return self._ints_out(self._cum[ib + 1] - self._cum[ia], mask, like, name)
        i, j = self._index(a), self._index(b)
        if j < i:
            raise DateOrderError(f"count({a}, {b}): the start is after the end")
        return self._cum_l[j + 1] - self._cum_l[i]

    def elapsed(self, a: Any, b: Any) -> Any:
        """Working days in ``(a, b]``: the day ``a`` itself is not counted (Civil Code art. 201).

        The inverse of :meth:`deadline`: ``elapsed(d, deadline(d, WorkingDays(n))) == n``.
        A stage accepted on ``a`` and done on ``b`` is overdue exactly when
        ``elapsed(a, b) > limit``. Signed: ``elapsed(b, a) == -elapsed(a, b)``.
        Arrays broadcast; NaT gives a missing result, and two Series are paired
        by index (or refused), as in :meth:`count`.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> calendars.get("CN").elapsed(date(2021, 8, 18), date(2021, 9, 10))
        17
        """
        if type(a) is date and type(b) is date:
            i = a.toordinal() - self._origin
            j = b.toordinal() - self._origin
            if 0 <= i < self._n and 0 <= j < self._n:
                return self._cum_l[j + 1] - self._cum_l[i + 1]
            bad = a if not 0 <= i < self._n else b
            raise self._coverage_error(bad, bad.toordinal())
        if _dates.is_vector(a) or _dates.is_vector(b):
            like, name = _pairing(a, b, "elapsed")
            fast = self._fast_pair(a, b, self._vec.elapsed)
            if fast is not None:
                return _dates.wrap(fast, like, name)
            (ia, ma), (ib, mb) = self._pair(a, b)
            return self._ints_out(
                self._cum[ib + 1] - self._cum[ia + 1], _or_masks(ma, mb), like, name
            )
        i, j = self._index(a), self._index(b)
        return self._cum_l[j + 1] - self._cum_l[i + 1]

    def _ordered_pair(
        self, a: object, b: object, what: str
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.bool_] | None]:
        """Day indices of ``a`` and ``b`` (broadcast), refusing a start after its end."""
        (ia, ma), (ib, mb) = self._pair(a, b)
        mask = _or_masks(ma, mb)
        order_bad = ib < ia
        if mask is not None:
            order_bad &= ~mask
        if order_bad.any():
            k = int(np.flatnonzero(order_bad.reshape(-1))[0])
            first, last = np.broadcast_arrays(ia, ib)
            raise DateOrderError(
                f"{what}: the start is after the end at position {k} "
                f"({self._date(int(first.reshape(-1)[k]))} > {self._date(int(last.reshape(-1)[k]))})"
                f" and {int(order_bad.sum()) - 1} other(s)"
            )
        return ia, ib, mask

    def _pair(
        self, a: object, b: object
    ) -> tuple[
        tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_] | None],
        tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_] | None],
    ]:
        ra = self._indices(a if _dates.is_vector(a) else [a])
        rb = self._indices(b if _dates.is_vector(b) else [b])
        if not _dates.is_vector(a):
            ra = (ra[0].reshape(()), None if ra[1] is None else ra[1].reshape(()))
        if not _dates.is_vector(b):
            rb = (rb[0].reshape(()), None if rb[1] is None else rb[1].reshape(()))
        try:
            np.broadcast_shapes(ra[0].shape, rb[0].shape)
        except ValueError as e:
            raise CalendarError(
                f"a and b have shapes {ra[0].shape} and {rb[0].shape}, which do not broadcast"
            ) from e
        return ra, rb

    def deadline(self, d: Any, duration: Any) -> Any:
        """The last day of a period of ``duration`` that starts after ``d``.

        * ``WorkingDays(n)`` (ALA art. 82; Civil Code art. 201): ``d`` is not counted;
          day 1 is the first working day after ``d``; the period ends on the n-th.
          ``WorkingDays(0)`` gives ``d`` itself.
        * ``CalendarDays(n)``: ``d + n`` days; if that is a rest day, the next
          working day (Civil Code art. 203).
        * ``CalendarMonths(n)``: the same day ``n`` months later, or that month's
          last day if it has no such day (art. 202); then rolled forward as above.

        ``duration`` may be given in any form of the duration vocabulary
        (:mod:`approval_clock.durations`): a duration, its short form (``"20wd"``,
        ``"30cd"``, ``"2mo"``) or a bare whole number of working days (``20``).

        For an array of dates, an array of ``datetime64[D]`` (NaT stays NaT; a
        Series gives a Series with its index and name). ``duration`` may then also
        be one whole number of working days per date: a numpy integer array or a
        pandas Series of integers (a missing value, ``<NA>``, gives NaT), of the
        same length as ``d`` (two Series must have the same index). A result past
        the calendar's range raises ``CalendarCoverageError``.

        Raises:
            DurationError: ``duration`` is none of these, or negative (for an array
                of them: the first negative one, with its position).
            CalendarCoverageError: ``d`` or the result is outside the range.

        >>> from datetime import date
        >>> from approval_clock import calendars, WorkingDays, CalendarDays
        >>> cn = calendars.get("CN")
        >>> cn.deadline(date(2021, 9, 28), WorkingDays(3))  # National Day week in between
        datetime.date(2021, 10, 8)
        >>> cn.deadline(date(2021, 9, 21), CalendarDays(10))  # 1 Oct is a holiday: rolls on
        datetime.date(2021, 10, 8)
        >>> cn.deadline(date(2021, 9, 28), 3), cn.deadline(date(2021, 9, 21), "10cd")
        (datetime.date(2021, 10, 8), datetime.date(2021, 10, 8))
        >>> import numpy as np
        >>> starts = np.array(["2021-09-28", "2021-09-28"], dtype="datetime64[D]")
        >>> cn.deadline(starts, np.array([1, 3]))          # one limit per row
        array(['2021-09-29', '2021-10-08'], dtype='datetime64[D]')
        """
        if type(d) is date and type(duration) is WorkingDays:  # the common case, first
            i = d.toordinal() - self._origin
            n = duration.n
            if n and i >= 0:
                try:  # past the range, cum_l[i + 1] or the date index is out of its list
                    return (self._pos_d or self._working_dates())[self._cum_l[i + 1] + n - 1]
                except IndexError:
                    if i < self._n:
                        raise self._beyond(d, duration) from None
            if not 0 <= i < self._n:
                raise self._coverage_error(d, d.toordinal())
            return d  # WorkingDays(0)
        kind = type(duration)
        if kind is WorkingDays:
            return self._deadline_wd(d, duration)
        if kind is not CalendarDays and kind is not CalendarMonths:
            if _dates.is_vector(duration):
                return self._deadlines(d, duration)
            duration = as_duration(duration, "duration")
            if isinstance(duration, WorkingDays):
                return self._deadline_wd(d, duration)
        if isinstance(duration, CalendarDays):
            if type(d) is date or not _dates.is_vector(d):
                i = self._index(d)
                return self._roll_scalar(i + duration.n, i, duration)
            # Capped: any n past the range ends past it (and cannot overflow int64).
            step = min(duration.n, self._n + 1)
            fast = self._fast(d, self._vec.calendar_days, step)
            if fast is not None:
                return fast
            return self._roll_after(d, duration, lambda idx: idx + step)
        assert isinstance(duration, CalendarMonths)
        if type(d) is date or not _dates.is_vector(d):
            i = self._index(d)
            end = _dates.add_months(d if type(d) is date else self._date(i), duration.n)
            return self._roll_scalar(end.toordinal() - self._origin, i, duration)
        # A month is at least 28 days, so this many months end past the range.
        months = min(duration.n, self._n // 28 + 2)
        src = clean(d)
        # A table of the answer for every day of the range costs about as much as
        # computing months for that many dates: worth it for larger inputs.
        if src is not None and src[0].size >= self._n:
            fast = self._vec.by_table(src, self._month_table(months))
            if fast is not None:
                return _dates.wrap(fast, d)
        return self._roll_after(d, duration, lambda idx: self._add_months(idx, months))

    def _deadline_wd(self, d: Any, duration: WorkingDays) -> Any:
        """``deadline(d, duration)`` in working days, for any ``d`` but a ``date``."""
        n = duration.n
        if _dates.is_vector(d):
            fast = self._fast(d, self._vec.working_days, n)
            if fast is not None:
                return fast
            idx, mask = self._indices(d)
            if n == 0:
                return _dates.wrap(self._dates_out(idx, mask), d)
            # Past the last working day is past the range whatever n is: capped,
            # n cannot overflow int64 however large (a scalar start says the same).
            ks = self._cum[idx + 1] + (min(n, len(self._pos_l) + 1) - 1)
            self._check_positions(ks, mask, d, duration)
            out_idx = self._pos_at(ks)
            return _dates.wrap(self._dates_out(out_idx, mask), d)
        i = self._index(d)
        if n == 0:
            return self._date(i)
        k = self._cum_l[i + 1] + n - 1
        if k < len(self._pos_l):
            return self._date(self._pos_l[k])
        raise self._beyond(d, duration)

    def _deadlines(self, d: Any, durations: Any) -> Any:
        """``deadline(d, durations)`` with one whole number of working days per row."""
        like, name = _pairing(d, durations, "deadline", names=("d", "duration"))
        if _dates.is_series(d):
            name = d.name
        counts, missing_n = _row_working_days(durations)
        if _dates.is_vector(d):
            src = clean(d)
            if src is not None and missing_n is None and counts.shape == src[2]:
                fast = self._vec.working_days_per_row(src, counts.reshape(-1))
                if fast is not None:
                    return _dates.wrap(fast, like, name)
            idx, mask = self._indices(d)
        else:
            idx, mask = np.asarray(self._index(d), dtype=np.int64), None
        try:
            idx, counts = np.broadcast_arrays(idx, counts)
        except ValueError:
            raise CalendarError(
                f"deadline(d, duration): d has shape {np.shape(idx)} and duration "
                f"{np.shape(counts)}, which do not broadcast; give one duration per date"
            ) from None
        mask = _or_masks(
            None if mask is None else np.broadcast_to(mask, idx.shape),
            None if missing_n is None else np.broadcast_to(missing_n, idx.shape),
        )
        total = len(self._pos)
        zero = counts == 0
        if mask is not None:
            zero = zero | mask  # a missing row is answered by nothing: any index will do
        ks = self._cum[idx + 1] + counts - 1  # counts <= MAX_DURATION: no overflow
        beyond = (ks >= total) & ~zero
        if beyond.any():
            k = int(np.flatnonzero(beyond.reshape(-1))[0])
            start = self._date(int(idx.reshape(-1)[k]))
            n = int(counts.reshape(-1)[k])
            raise self._beyond(start, WorkingDays(n), count=int(beyond.sum()))
        out_idx = np.where(zero, idx, self._pos_at(ks))
        return _dates.wrap(self._dates_out(out_idx, mask), like, name)

    def _month_table(self, months: int) -> npt.NDArray[np.int64]:
        """The deadline of ``months`` months from each day of the range, for as many as have one."""
        vec = self._vec
        target = self._add_months(np.arange(self._n, dtype=np.int64), months)
        # Later days end no earlier: the days with an answer are a prefix.
        limit = int(np.searchsorted(target, vec.last_work, side="right"))
        return vec.roll[target[:limit]]

    def _add_months(self, idx: npt.NDArray[np.int64], months: int) -> npt.NDArray[np.int64]:
        day = (idx + (self._origin - _dates.EPOCH_ORDINAL)).astype("datetime64[D]")
        month = day.astype("datetime64[M]")
        dom = (day - month.astype("datetime64[D]")).astype(np.int64)
        target = month + np.timedelta64(months, "M")
        month_len = (
            (target + np.timedelta64(1, "M")).astype("datetime64[D]")
            - target.astype("datetime64[D]")
        ).astype(np.int64)
        out = target.astype("datetime64[D]") + np.minimum(dom, month_len - 1)
        result: npt.NDArray[np.int64] = out.astype(np.int64) - (self._origin - _dates.EPOCH_ORDINAL)
        return result

    def _roll_scalar(self, target: int, start: int, duration: object) -> date:
        """The first working day on or after day index ``target``."""
        if target < self._n:
            k = self._cum_l[target]
            if k < len(self._pos_l):
                return self._date(self._pos_l[k])
        raise self._beyond(self._date(start), duration)

    def _roll_after(self, d: Any, duration: CalendarDays | CalendarMonths, move: Any) -> Any:
        vector = _dates.is_vector(d)
        if vector:
            idx, mask = self._indices(d)
        else:
            idx, mask = np.asarray(self._index(d), dtype=np.int64), None
        target = np.asarray(move(idx), dtype=np.int64)
        # Rolling forward: the first working day on or after target is pos[cum[target]].
        inside = np.clip(target, 0, self._n)
        k = self._cum[inside]
        beyond = (target >= self._n) | (k >= len(self._pos))
        if mask is not None:
            beyond &= ~mask
        if beyond.any():
            where = int(np.flatnonzero(beyond.reshape(-1))[0])
            start = self._date(int(idx.reshape(-1)[where]))
            raise self._beyond(start, duration, count=int(beyond.sum()))
        out_idx = self._pos_at(k)
        if not vector:
            return self._date(int(out_idx))
        return _dates.wrap(self._dates_out(out_idx, mask), d)

    def _check_positions(
        self,
        k: npt.NDArray[np.int64],
        mask: npt.NDArray[np.bool_] | None,
        d: Any,
        duration: WorkingDays,
    ) -> None:
        beyond = k >= len(self._pos)
        if mask is not None:
            beyond &= ~mask
        if beyond.any():
            where = int(np.flatnonzero(beyond.reshape(-1))[0])
            days = _dates.day_array(d, self._timezone, self._name).reshape(-1)
            start = date.fromordinal(int(days[where]) + _dates.EPOCH_ORDINAL)
            raise self._beyond(start, duration, count=int(beyond.sum()))

    def _pos_at(self, k: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """``pos[k]``, clipped into range: for rows that are masked (NaT) or checked already.

        With no working day at all, every row is masked: any day index will do.
        """
        if not len(self._pos):
            return np.zeros(np.shape(k), dtype=np.int64)
        return self._pos[np.clip(k, 0, len(self._pos) - 1)]

    def _fast(self, d: Any, query: Callable[..., Any], *args: Any) -> Any:
        """``query``'s answer for the dates ``d`` through the day tables, shaped like ``d``.

        ``None`` when ``d`` is not a clean array of dates in range (NaT, lists,
        broadcasting, ...) or ``query`` declines: the caller's general path then
        answers, and raises what it should.
        """
        src = clean(d)
        if src is None:
            return None
        out = query(src, *args)
        return None if out is None else _dates.wrap(out, d)

    def _beyond(self, d: object, duration: object, *, count: int = 1) -> CalendarCoverageError:
        more = f" (and {count - 1} more)" if count > 1 else ""
        return CalendarCoverageError(
            f"the period {duration} from {d} ends after the range of calendar "
            f"{self._name!r}, which covers {self._first}..{self._last}{more}; "
            f"{self._advice('after')}"
        )

    def next_working_day(self, d: Any) -> Any:
        """The first working day strictly after ``d``.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> calendars.get("CN").next_working_day(date(2021, 9, 30))
        datetime.date(2021, 10, 8)
        """
        if type(d) is not date and _dates.is_vector(d):
            fast = self._fast(d, self._vec.next_working_day)
            if fast is not None:
                return fast
            return self._deadline_wd(d, WorkingDays(1))
        k = self._cum_l[self._index(d) + 1]
        days = self._pos_d or self._working_dates()
        if k < len(days):
            return days[k]
        raise self._beyond(d, WorkingDays(1))

    def previous_working_day(self, d: Any) -> Any:
        """The last working day strictly before ``d``.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> calendars.get("CN").previous_working_day(date(2021, 10, 8))
        datetime.date(2021, 9, 30)
        """
        if type(d) is date or not _dates.is_vector(d):
            i = self._index(d)
            k = self._cum_l[i]
            if k > 0:
                return date.fromordinal(self._origin + self._pos_l[k - 1])
            raise self._nothing_before(self._date(i))
        fast = self._fast(d, self._vec.previous_working_day)
        if fast is not None:
            return fast
        idx, mask = self._indices(d)
        ks = self._cum[idx] - 1
        before = ks < 0
        if mask is not None:
            before &= ~mask
        if before.any():
            where = int(np.flatnonzero(before.reshape(-1))[0])
            raise self._nothing_before(self._date(int(idx.reshape(-1)[where])))
        out_idx = self._pos_at(ks)
        return _dates.wrap(self._dates_out(out_idx, mask), d)

    def _nothing_before(self, start: date) -> CalendarCoverageError:
        return CalendarCoverageError(
            f"no working day before {start} within calendar {self._name!r}, "
            f"which covers {self._first}..{self._last}"
        )

    def roll_forward(self, d: Any) -> Any:
        """``d`` if it is a working day, else the next working day (Civil Code art. 203).

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> cn = calendars.get("CN")
        >>> cn.roll_forward(date(2021, 10, 1)), cn.roll_forward(date(2021, 9, 30))
        (datetime.date(2021, 10, 8), datetime.date(2021, 9, 30))
        """
        if type(d) is not date and _dates.is_vector(d):
            return self.deadline(d, CalendarDays(0))
        i = self._index(d)
        if self._work_l[i]:
            return self._date(i)
        return self._roll_scalar(i, i, "rolling forward")

    def working_day_number(self, d: Any) -> Any:
        """How many working days of the range fall on or before ``d`` (arrays too).

        For a working day this is its 1-based number in the calendar, so
        ``date_of_working_day(working_day_number(d)) == d``; a rest day gets the
        number of the working day before it. Schedulers use these numbers to do
        working-day arithmetic with plain integers. NaT gives a missing result.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> cn = calendars.get("CN")
        >>> k = cn.working_day_number(date(2021, 9, 30))
        >>> cn.working_day_number(date(2021, 10, 1)) == k, cn.date_of_working_day(k + 1)
        (True, datetime.date(2021, 10, 8))
        """
        if type(d) is not date and _dates.is_vector(d):
            fast = self._fast(d, self._vec.working_day_number)
            if fast is not None:
                return fast
            idx, mask = self._indices(d)
            return self._ints_out(self._cum[idx + 1], mask, d)
        return self._cum_l[self._index(d) + 1]

    def date_of_working_day(self, k: Any) -> Any:
        """The date of working day number ``k`` (1-based; see :meth:`working_day_number`).

        ``k`` may be an int or an integer array. Numbers outside
        ``1..number of working days in range`` raise ``CalendarCoverageError``.

        >>> from approval_clock import calendars
        >>> calendars.get("CN").date_of_working_day(1)   # 1 Jan 2004 was a holiday
        datetime.date(2004, 1, 2)
        """
        total = len(self._pos_l)
        if isinstance(k, (int, np.integer)) and not isinstance(k, bool):
            if 1 <= k <= total:
                return self._date(self._pos_l[int(k) - 1])
            raise CalendarCoverageError(
                f"working day number {k} is outside calendar {self._name!r}, which has "
                f"working days 1..{total} ({self._first}..{self._last})"
            )
        try:
            arr = np.asarray(k)
        except (ValueError, TypeError):  # ragged nested lists
            arr = np.asarray(None)
        if arr.dtype.kind not in "iu":
            raise ArgumentTypeError(f"k: expected an int or an integer array, got {arr.dtype}")
        bad = (arr < 1) | (arr > total)
        if bad.any():
            first_bad = int(arr.reshape(-1)[np.flatnonzero(bad.reshape(-1))[0]])
            raise CalendarCoverageError(
                f"working day number {first_bad} (and {int(bad.sum()) - 1} more) is outside "
                f"calendar {self._name!r}, which has working days 1..{total}"
            )
        return _dates.wrap(self._dates_out(self._pos[arr.astype(np.int64) - 1], None), k)

    def describe(self, d: DateLike, lang: str = "en") -> str:
        """Why ``d`` is or is not a working day, in words, and how sure that is.

        ``lang="zh"`` says it in Chinese (国庆节, 国庆节调休上班, 周末, 工作日),
        from the Chinese names the data carry (``names_zh``; a day without one
        keeps its English name). A projected day says so and why (``"National Day
        (statutory, projected: no 2027 notice loaded)"``); a tentative day says
        that the next notice may change it.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> cn = calendars.get("CN")
        >>> [cn.describe(date(2021, 10, n)) for n in (1, 8, 9, 10)]
        ['National Day', 'working day', 'makeup working day for National Day', 'weekend']
        >>> [cn.describe(date(2021, 10, n), lang="zh") for n in (1, 8, 9, 10)]
        ['国庆节', '工作日', '国庆节调休上班', '周末']
        >>> cn.extended(until=date(2027, 12, 31)).describe(date(2027, 10, 1))
        'National Day (statutory, projected: no 2027 notice loaded)'
        >>> cn.extended(until=date(2027, 12, 31)).describe(date(2027, 10, 1), lang="zh")
        '国庆节（法定节假日，预测：尚未载入2027年通知）'
        """
        check_choice(lang, LANGS, "lang")
        i = self._index(d)
        day = self._date(i)
        text = self._reason(day, lang)
        level = self._cert_l[i]
        zh = lang == "zh"
        if level == 2:
            mark = self._marks.get(day)
            year = mark[1] if mark else day.year
            if self._law is not None:
                why = f"尚未载入{year}年通知" if zh else f"no {year} notice loaded"
            else:
                end = self._projected_from - timedelta(days=1)  # type: ignore[operator]
                why = (
                    f"超出日历数据（止于{end}）"
                    if zh
                    else f"past the calendar's data, which ends {end}"
                )
            if zh:
                tag = f"{_MARK_TEXT_ZH[mark[0]]}，" if mark else ""
                text += f"（{tag}预测：{why}）"
            else:
                tag = f"{_MARK_TEXT[mark[0]]}, " if mark else ""
                text += f" ({tag}projected: {why})"
        elif level == 1:
            if zh:
                text += f"（暂定：{day.year + 1}年通知仍可能调整十二月末的日期）"
            else:
                text += (
                    f" (tentative: the {day.year + 1} notice may still change late-December days)"
                )
        return text

    def _reason(self, day: date, lang: str = "en") -> str:
        """Why ``day`` is or is not a working day, without a word on certainty."""
        if lang == "zh":
            if day in self._workdays:
                return f"{self._names_zh.get(day, self._workdays[day])}调休上班"
            if day in self._holidays:
                return self._names_zh.get(day, self._holidays[day])
            return "工作日" if self._weekmask[day.weekday()] else "周末"
        if day in self._workdays:
            return f"makeup working day for {self._workdays[day]}"
        if day in self._holidays:
            return self._holidays[day]
        return "working day" if self._weekmask[day.weekday()] else "weekend"

    def working_days(self, first: DateLike, last: DateLike) -> list[date]:
        """The working days in ``[first, last]``, in order.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> calendars.get("CN").working_days(date(2021, 9, 30), date(2021, 10, 9))
        [datetime.date(2021, 9, 30), datetime.date(2021, 10, 8), datetime.date(2021, 10, 9)]
        """
        i, j = self._index(first), self._index(last)
        lo, hi = self._cum_l[i], self._cum_l[j + 1]
        return [self._date(p) for p in self._pos_l[lo:hi]]

    def rest_days(self, first: DateLike, last: DateLike) -> dict[date, str]:
        """The rest days in ``[first, last]`` with :meth:`describe`'s reason for each.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> calendars.get("CN").rest_days(date(2021, 10, 6), date(2021, 10, 10))
        {datetime.date(2021, 10, 6): 'National Day', datetime.date(2021, 10, 7): 'National Day', datetime.date(2021, 10, 10): 'weekend'}
        """
        i, j = self._index(first), self._index(last)
        return {
            self._date(k): self.describe(self._date(k))
            for k in range(i, j + 1)
            if not self._work_l[k]
        }

    # -- new calendars from this one ------------------------------------------------

    def _replace(self, **changes: Any) -> WorkCalendar:
        kwargs = self._init_kwargs()
        kwargs.update(changes)
        return WorkCalendar(**kwargs)

    def with_holidays(
        self,
        days: Mapping[date, str] | Iterable[date],
        *,
        name: str = "holiday",
        name_zh: str | None = None,
        statutory: bool = False,
    ) -> WorkCalendar:
        """A copy with more rest days (a regional holiday, an office closure).

        ``days`` is ``{date: name}`` or dates that all get ``name``; ``name_zh``
        is their Chinese name, and ``statutory=True`` makes them statutory
        holidays (:meth:`day_kind`). A makeup working day on the same date is
        replaced by the holiday.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> cal = calendars.get("CN").with_holidays([date(2026, 4, 20)], name="Regional holiday")
        >>> cal.is_working_day(date(2026, 4, 20)), cal.describe(date(2026, 4, 20))
        (False, 'Regional holiday')
        """
        new = _named_days("holidays", days, name)
        if type(statutory) is not bool:
            raise ArgumentTypeError(f"statutory: expected True or False, got {statutory!r}")
        hol = {**self._holidays, **new}
        wd = {d: v for d, v in self._workdays.items() if d not in new}
        return self._replace(
            holidays=hol, workdays=wd, **self._renamed(new, name_zh, statutory=statutory)
        )

    def _renamed(
        self, new: Mapping[date, str], name_zh: str | None, *, statutory: bool
    ) -> dict[str, Any]:
        """The day tables other than names for ``new`` days set by the user."""
        if name_zh is not None and (not isinstance(name_zh, str) or not name_zh.strip()):
            raise ArgumentTypeError(
                f"name_zh: expected a non-empty string or None, got {name_zh!r}"
            )
        zh = {d: v for d, v in self._names_zh.items() if d not in new}
        if name_zh is not None:
            zh.update(dict.fromkeys(new, name_zh))
        marked = {d for d in self._statutory if d not in new}
        if statutory:
            marked.update(new)
        return {
            "names_zh": zh,
            "statutory": marked,
            "_marks": {d: m for d, m in self._marks.items() if d not in new},
            "_sources": {d: v for d, v in self._sources.items() if d not in new},
        }

    def with_workdays(
        self,
        days: Mapping[date, str] | Iterable[date],
        *,
        name: str = "makeup working day",
        name_zh: str | None = None,
    ) -> WorkCalendar:
        """A copy with more working days (a weekend the office works); replaces holidays there.

        ``name_zh`` is the Chinese name of what they serve.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> cal = calendars.get("CN").with_workdays({date(2026, 10, 3): "Service day"})
        >>> cal.is_working_day(date(2026, 10, 3))
        True
        """
        new = _named_days("workdays", days, name)
        wd = {**self._workdays, **new}
        hol = {d: v for d, v in self._holidays.items() if d not in new}
        return self._replace(
            holidays=hol, workdays=wd, **self._renamed(new, name_zh, statutory=False)
        )

    def with_weekmask(self, weekmask: str | Iterable[bool | int]) -> WorkCalendar:
        """A copy with another week mask (a service hall open on Saturdays: ``"1111110"``).

        Holidays and makeup days stay as they are.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> hall = calendars.get("CN").with_weekmask("1111110")
        >>> hall.is_working_day(date(2026, 11, 28)), hall.is_working_day(date(2026, 10, 3))
        (True, False)
        """
        return self._replace(weekmask=_parse_weekmask(weekmask))

    def renamed(self, name: str, *, code: str | None = None) -> WorkCalendar:
        """A copy under another name (and code).

        >>> from approval_clock import calendars
        >>> calendars.get("CN").renamed("Huludao").name
        'Huludao'
        """
        return self._replace(name=name, code=code)

    def extended(
        self,
        *,
        until: date,
        rule: Literal["statutory", "forecast", "weekends"] = "statutory",
        limits: Limits | None = None,
    ) -> WorkCalendar:
        """A copy whose range reaches ``until``, the new days projected by ``rule``.

        * ``"statutory"`` (the default): the week mask plus the statutory holidays
          of the 全国年节及纪念日放假办法 in force each year (New Year, the Spring
          Festival days, Qingming, Labour Day, Dragon Boat, Mid-autumn, National
          Day; :func:`approval_clock.calendars.statutory_holidays`), and a
          substitute weekday off for each statutory day on a weekend, as the
          measures require. Certain to call every statutory day a rest day; the
          bridge days and makeup working days of the next notice are not known.
        * ``"forecast"``: the statutory rule plus the bridge days and makeup
          working days that the State Council's published arrangement principles
          lead to (back-tested: every changed day of 2025 and 2026 right from the
          notices before them; see ``docs/next-notice.md``). A forecast, not law.
        * ``"weekends"``: the week mask only.

        The first two need a calendar with a :attr:`law` (mainland China). The
        projected days are ``"projected"`` in :meth:`certainty` and
        :attr:`provisional`, and ``describe`` says why; results built on them
        say so. Loading the year's notice later (:meth:`with_notice`) replaces
        exactly what the projection set.

        The calendar may grow to ``limits.calendar_years`` (by default 200 years
        from its first day: a compiled calendar keeps about 150 bytes a day);
        pass ``limits=Limits(calendar_years=...)`` for a longer one.

        Raises:
            CalendarError: an unknown rule, ``until`` not after the range, a
                calendar longer than ``limits.calendar_years``, or a statutory
                rule on a calendar without a law (or past 2100, where the lunar
                table ends).

        >>> from datetime import date
        >>> from approval_clock import calendars, WorkingDays
        >>> cal = calendars.get("CN").extended(until=date(2027, 12, 31))
        >>> cal.deadline(date(2026, 12, 30), WorkingDays(3))   # 1 January is fixed by law
        datetime.date(2027, 1, 5)
        >>> cal.describe(date(2027, 1, 1))
        "New Year's Day (statutory, projected: no 2027 notice loaded)"
        >>> calendars.get("CN").extended(until=date(2027, 12, 31), rule="weekends").describe(
        ...     date(2027, 1, 1))
        'working day (projected: no 2027 notice loaded)'
        """
        from approval_clock.calendars._projection import RULES, project_years

        if type(rule) is not str or rule not in RULES:
            raise CalendarError(
                f"rule: expected one of {', '.join(map(repr, RULES))}, got {rule!r}"
            )
        check_date(until, "until")
        if until <= self._last:
            raise CalendarError(
                f"until ({until}) must be after the calendar's last day ({self._last})"
            )
        lim = check_limits(limits)
        years = until.year - self._first.year + 1
        if years > lim.calendar_years:
            raise CalendarError(
                f"extended(until={until}) would make calendar {_short(self._name)!r} cover "
                f"{self._first.year}..{until.year}, {years} years, more than the "
                f"{lim.calendar_years} accepted (limits.calendar_years); pass "
                f"limits=Limits(calendar_years=...) to allow a longer calendar"
            )
        if rule != "weekends" and self._law is None:
            raise CalendarError(
                f"rule={rule!r} needs a calendar that follows a statutory-holiday law "
                f"(calendars.get('CN')); {self._name!r} has none. "
                + (
                    f"{self._range_hint[0].upper()}{self._range_hint[1:]}, or use "
                    if self._range_hint
                    else "Use "
                )
                + "rule='weekends' to project by the week mask only"
            )
        first_new = self._last + timedelta(days=1)
        # The forecast of a year may rearrange the days just before it that no
        # notice has settled: the tentative window at the end of the official
        # range (a bridge day on 31 December), or days projected already.
        official_end = (
            self._projected_from - timedelta(days=1) if self._projected_from else self._last
        )
        lowest = min(
            [a for a, b in self._tentative if b == official_end]
            + [official_end + timedelta(days=1), first_new]
        )
        origin = self._origin

        def known(d: date) -> bool | None:
            i = d.toordinal() - origin
            return self._work_l[i] if 0 <= i < self._n else None

        try:
            made = project_years(range(first_new.year, until.year + 1), rule, self.weekmask, known)
        except CalendarCoverageError as e:
            raise CalendarError(
                f"rule={rule!r} cannot project to {until}: {e}; use rule='weekends' there"
            ) from None
        holidays = dict(self._holidays)
        workdays = dict(self._workdays)
        marks = dict(self._marks)
        names_zh = dict(self._names_zh)
        sources = dict(self._sources)

        def settable(d: date) -> bool:
            if d > until:
                return False
            if d >= first_new:
                return True
            # Before the new days: the forecast only, and never over a day that a
            # user or a notice set (those carry no projection mark).
            named = d in self._holidays or d in self._workdays
            return rule == "forecast" and d >= lowest and (d in self._marks or not named)

        touched = [d for d in (*made.holidays, *made.workdays) if settable(d)]
        for d in touched:
            holidays.pop(d, None)
            workdays.pop(d, None)
            names_zh.pop(d, None)
            sources.pop(d, None)
        for d in touched:
            if d in made.holidays:
                holidays[d] = made.holidays[d]
            else:
                workdays[d] = made.workdays[d]
            marks[d] = made.marks[d]
            if d in made.names_zh:
                names_zh[d] = made.names_zh[d]
        start = self._projected_from or first_new
        if touched:
            start = min(start, min(touched))
        tentative = tuple(
            (a, min(b, start - timedelta(days=1))) for a, b in self._tentative if a < start
        )
        return self._replace(
            last=until,
            projected_from=start,
            holidays=holidays,
            workdays=workdays,
            tentative=tentative,
            names_zh=names_zh,
            statutory=self._statutory - set(touched),
            _marks=marks,
            _sources=sources,
        )

    def diff(self, old: WorkCalendar) -> list[DayChange]:
        """The days whose working status differs from ``old`` over the common range.

        ``new.diff(old)``: each :class:`DayChange` has ``.date``, ``.before`` (in
        ``old``) and ``.after`` (in this calendar), each a :class:`DayStatus`
        (working or not, the description, the certainty). Days that only changed
        their name or certainty are not listed. Vectorized over the range.

        >>> from datetime import date
        >>> from approval_clock import calendars, Notice
        >>> cn = calendars.get("CN")
        >>> projected = cn.extended(until=date(2027, 12, 31))
        >>> fixed = [(name, d, d) for d, name in calendars.statutory_holidays(2027).items()]
        >>> n2027 = Notice(year=2027, title="Example (not the real notice)",
        ...                holidays=[*fixed, ("Spring Festival", date(2027, 2, 9), date(2027, 2, 12))])
        >>> [(c.date.isoformat(), c.after.working) for c in cn.with_notice(n2027).diff(projected)]
        [('2027-02-11', False), ('2027-02-12', False), ('2027-05-03', True), ('2027-05-04', True), ('2027-10-04', True), ('2027-10-05', True)]
        """
        if not isinstance(old, WorkCalendar):
            raise ArgumentTypeError(
                f"old: expected a WorkCalendar, got {_dates.describe_value(old)}"
            )
        first = max(self._first, old._first)
        last = min(self._last, old._last)
        if first > last:
            return []
        days = np.arange(
            np.datetime64(first, "D"),
            np.datetime64(last + timedelta(days=1), "D"),
            dtype="datetime64[D]",
        )
        changed = np.flatnonzero(self.is_working_day(days) != old.is_working_day(days))
        out = []
        for k in changed.tolist():
            day = first + timedelta(days=k)
            out.append(DayChange(day, old.status(day), self.status(day)))
        return out

    def to_holiday_cn(self, year: int) -> dict[str, Any]:
        """The days the notice of ``year`` set, in holiday-cn's JSON layout (plain JSON values).

        ``{"year": 2019, "papers": [], "days": [{"name": "元旦", "date": "2018-12-29",
        "isOffDay": false}, ...]}``: every holiday (``isOffDay`` true) and makeup
        working day (false) set by a notice of ``year``, by date, named in Chinese
        (:attr:`names_zh`, else the English name). As in holiday-cn, late-December
        days that serve the next New Year are in the next year's file (2018-12-29..31
        in 2019's, not 2018's); days no notice set (:meth:`with_holidays`,
        workalendar's) go to their own year. ``papers`` is always empty: the calendar
        keeps the notices' titles, not their URLs. ``json.dumps`` writes it out, and
        :meth:`with_notice` reads the file back (see ``docs/calendars.md``).

        Raises:
            CalendarCoverageError: the calendar does not cover the whole year.
            CalendarError: some of the year's days are projected (written as a
                holiday-cn file they would pass for a published notice), or the
                year has no holiday or makeup day (an empty list of days means
                "notice not yet published" to holiday-cn).

        >>> from approval_clock import calendars
        >>> data = calendars.get("CN").to_holiday_cn(2019)
        >>> data["days"][:2]
        [{'name': '元旦', 'date': '2018-12-29', 'isOffDay': False}, {'name': '元旦', 'date': '2018-12-30', 'isOffDay': True}]
        """
        from approval_clock.calendars._export import holiday_cn_year

        return holiday_cn_year(self, year, sources=self._sources, marks=self._marks)

    def to_ical(self, first: date, last: date, *, stamp: datetime | None = None) -> str:
        """An RFC 5545 iCalendar of the holiday periods and makeup working days in ``first..last``.

        One all-day event per holiday period (consecutive rest days of one name,
        weekend days inside it included; a period crossing ``first`` or ``last`` is
        given whole) and one per makeup working day. Each has both names in its
        SUMMARY (``国庆节 National Day``, ``国庆节调休上班 makeup working day for
        National Day``), a stable UID (``20261001-holiday-cn@approval-clock``), the
        kinds of its days in CATEGORIES (:meth:`day_kind`), a DESCRIPTION saying
        which days are statutory holidays, which notice set them (or that they are
        projected) and how certain they are, and STATUS ``CONFIRMED`` (official)
        or ``TENTATIVE``. ``stamp`` (an aware datetime; default: now) is the
        DTSTAMP of every event: pass one for a reproducible file.

        Needs the ``icalendar`` package: ``pip install icalendar (the 'ical' extra; see docs/install.md)``.

        Raises:
            CalendarCoverageError: ``first`` or ``last`` is outside the calendar's range.
            DateOrderError: ``first`` is after ``last``.
            ImportError: icalendar is not installed (an :class:`ApprovalClockError` too).

        >>> from datetime import date, datetime, timezone
        >>> from approval_clock import calendars
        >>> text = calendars.get("CN").to_ical(date(2026, 10, 1), date(2026, 10, 31),
        ...                                    stamp=datetime(2026, 1, 1, tzinfo=timezone.utc))
        >>> [line for line in text.splitlines() if line.startswith(("SUMMARY", "DTSTART"))]
        ['SUMMARY:国庆节 National Day', 'DTSTART;VALUE=DATE:20261001', 'SUMMARY:国庆节调休上班 makeup working day for National Day', 'DTSTART;VALUE=DATE:20261010']
        """
        from approval_clock.calendars._export import ical_text

        if isinstance(stamp, datetime):
            # NaT and the last hours of 9999 have no UTC time: refused here, with the
            # message the exporter gives any stamp it cannot use.
            try:
                usable = not _dates.is_missing_scalar(stamp) and (
                    stamp.tzinfo is None or stamp.astimezone(UTC) is not None
                )
            except (OverflowError, ValueError):
                usable = False
            if not usable:
                raise ArgumentTypeError(
                    f"stamp: expected None (now) or an aware datetime such as "
                    f"datetime(2026, 1, 1, tzinfo=UTC) that has a UTC time, got "
                    f"{_dates.describe_value(stamp)}"
                )

        return ical_text(self, first, last, stamp=stamp, sources=self._sources, marks=self._marks)

    def with_notice(self, notice: Any) -> WorkCalendar:
        """A copy with a holiday notice applied on top (a new year's, or an amendment).

        ``notice`` is an :class:`approval_clock.Notice` or the path of a notice
        file: our TOML notice format or a holiday-cn JSON file (detected by
        content; see :func:`approval_clock.calendars.load_notice`). Its holidays
        and makeup days replace whatever the calendar said for those dates.

        A national notice (the default scope) makes its range official: the range
        grows to the notice's ``covers`` (by default its whole year), days a
        projection had set there are replaced, and the late-December
        :attr:`tentative` window moves to the end of the new range. On a calendar
        with a :attr:`law`, a national notice that would work a statutory holiday
        is refused. A regional notice (``scope="regional"``) changes the days it
        names and nothing else; past the official range its year is projected
        (``rule="statutory"``) first. The notice must be adjacent to or inside the
        current range: no gaps.

        >>> from datetime import date
        >>> from approval_clock import calendars, Notice
        >>> n2027 = Notice(year=2027, title="Example notice", holidays=[
        ...     ("New Year's Day", date(2027, 1, 1), date(2027, 1, 3)),
        ...     ("Spring Festival", date(2027, 2, 5), date(2027, 2, 13)),
        ...     ("Tomb-sweeping Day", date(2027, 4, 3), date(2027, 4, 5)),
        ...     ("Labour Day", date(2027, 5, 1), date(2027, 5, 5)),
        ...     ("Dragon Boat Festival", date(2027, 6, 9), date(2027, 6, 9)),
        ...     ("Mid-autumn Festival", date(2027, 9, 15), date(2027, 9, 15)),
        ...     ("National Day", date(2027, 10, 1), date(2027, 10, 7))])
        >>> cal = calendars.get("CN").with_notice(n2027)
        >>> cal.coverage[1], cal.describe(date(2027, 1, 1)), cal.certainty(date(2027, 6, 1))
        (datetime.date(2027, 12, 31), "New Year's Day", 'official')
        """
        return self.with_notices([notice])

    def with_notices(self, notices: Iterable[Any]) -> WorkCalendar:
        """A copy with several notices applied in order (see :meth:`with_notice`).

        >>> from approval_clock import calendars
        >>> calendars.get("CN").with_notices([]) == calendars.get("CN")
        True
        """
        from approval_clock.calendars.notice import Notice, load_notice

        if isinstance(notices, (str, Notice)) or not isinstance(notices, Iterable):
            raise ArgumentTypeError(
                f"notices: expected a list of notices or notice files, got "
                f"{_dates.describe_value(notices)}"
            )
        chosen = [(n, None) if isinstance(n, Notice) else (load_notice(n), n) for n in notices]
        cal = self
        for notice, path in chosen:
            try:
                cal = _apply_notice(cal, notice)
            except ApprovalClockError as e:
                if path is None:
                    raise
                # Name the file: the notice alone does not know where it came from.
                raise type(e)(f"{path}: {e}") from None
        return cal

    def plot(self, year: int, ax: Any = None, *, lang: str = "en", **kwargs: Any) -> Any:
        """Draw ``year`` as twelve month grids coloured by :meth:`day_kind`; returns the ``Axes``.

        See :func:`approval_clock.plot.plot_calendar_year`. Needs matplotlib
        (``pip install matplotlib (the 'plot' extra; see docs/install.md)``).

        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from approval_clock import calendars
        >>> ax = calendars.get("CN").plot(2026)
        >>> ax.get_title()
        'Mainland China 2026: 248 working days (3 days tentative)'
        >>> matplotlib.pyplot.close(ax.figure)
        """
        from approval_clock.plot import plot_calendar_year

        return plot_calendar_year(self, year, ax, lang=lang, **kwargs)

    def _repr_html_(self) -> str:
        """The calendar in a notebook: range, certainty, source notices and this year's months.

        >>> from approval_clock import calendars
        >>> "covers 2004-01-01 .. 2026-12-31" in calendars.get("CN")._repr_html_()
        True
        """
        from approval_clock import _html

        return _html.calendar(self, self._sources)

    # -- composition ----------------------------------------------------------------

    def __and__(self, other: WorkCalendar) -> WorkCalendar:
        """Working days of both: a stage handled jointly by two jurisdictions.

        The range is the overlap of the two ranges; the time zone is the left one's.

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> both = calendars.get("CN") & calendars.get("HK", years=(2021, 2021))
        >>> both.is_working_day(date(2021, 7, 1)), both.describe(date(2021, 7, 1))
        (False, 'Hong Kong: SAR Establishment Day')

        A calendar combined with itself (or an equal one) is itself, and the names
        of a composition stay short however deeply compositions nest:

        >>> cn = calendars.get("CN")
        >>> (cn & cn) is cn
        True
        """
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        if other is self or other == self:
            return self
        return _combine(self, other, "&")

    def __or__(self, other: WorkCalendar) -> WorkCalendar:
        """Working days of either (e.g. an online service open when any office is).

        >>> from datetime import date
        >>> from approval_clock import calendars
        >>> either = calendars.get("CN") | calendars.get("HK", years=(2021, 2021))
        >>> either.is_working_day(date(2021, 10, 4)), either.is_working_day(date(2021, 10, 1))
        (True, False)
        >>> (either | either) is either
        True
        """
        if not isinstance(other, WorkCalendar):
            return NotImplemented
        if other is self or other == self:
            return self
        return _combine(self, other, "|")


def _tentative_ranges(
    value: Iterable[tuple[date, date]], first: date, last: date
) -> tuple[tuple[date, date], ...]:
    try:
        items = [tuple(r) for r in value]
    except TypeError:
        raise ArgumentTypeError(
            f"tentative: expected (first, last) date pairs, got {_dates.describe_value(value)}"
        ) from None
    out: list[tuple[date, date]] = []
    for r in items:
        if len(r) != 2 or not all(type(d) is date for d in r):
            raise ArgumentTypeError(
                f"tentative: expected (first, last) date pairs, got {_dates.describe_value(r)}"
            )
        a, b = r
        if a > b or a < first or b > last:
            raise CalendarError(
                f"tentative: {a}..{b} must be an ordered range inside the calendar's "
                f"range {first}..{last}"
            )
        out.append((a, b))
    return tuple(sorted(out))


def _ranges(flags: npt.NDArray[np.bool_], origin: int) -> tuple[tuple[date, date], ...]:
    """The runs of True in ``flags`` as (first, last) dates, day 0 being ``origin``."""
    padded = np.concatenate(([False], flags, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return tuple(
        (date.fromordinal(origin + int(a)), date.fromordinal(origin + int(b) - 1))
        for a, b in zip(edges[::2], edges[1::2], strict=True)
    )


@attrs.frozen
class DayStatus:
    """What a calendar says of one day: working or not, why, and how sure.

    >>> from datetime import date
    >>> from approval_clock import calendars
    >>> calendars.get("CN").status(date(2021, 10, 9))
    DayStatus(working=True, description='makeup working day for National Day', certainty='official')
    """

    working: bool
    description: str
    certainty: Certainty


@attrs.frozen
class DayChange:
    """A day whose status differs between two calendars (see :meth:`WorkCalendar.diff`).

    >>> from datetime import date
    >>> from approval_clock import calendars
    >>> cn = calendars.get("CN")
    >>> change = cn.diff(cn.with_holidays([date(2026, 4, 20)], name="Closure"))[0]
    >>> change.date, change.before.working, change.after.working
    (datetime.date(2026, 4, 20), False, True)
    """

    date: date
    before: DayStatus
    after: DayStatus


def _apply_notice(cal: WorkCalendar, notice: Any) -> WorkCalendar:
    """``cal`` with one :class:`~approval_clock.Notice` on top (see ``with_notice``)."""
    from approval_clock.calendars._statutory import statutory_holidays

    lo, hi = notice.covered()
    where = f"notice {notice.year} ({notice.title})"
    notice.check_workdays("1111100" if cal._law == "CN" else cal.weekmask)
    first, last = cal._first, cal._last
    projected = cal._projected_from
    if hi < first - timedelta(days=1):
        raise CalendarCoverageError(
            f"{where} covers {lo}..{hi}, which leaves a gap before calendar "
            f"{cal._name!r} ({first}..{last}); add the notices in between first"
        )
    if notice.scope == "regional":
        if hi > last:
            if cal._law is None:
                raise CalendarCoverageError(
                    f"{where} is regional and covers {lo}..{hi}, past calendar {cal._name!r} "
                    f"({first}..{last}); a regional notice cannot make a year official: "
                    f"extend the calendar first ({cal._advice('after')})"
                )
            cal = cal.extended(until=hi, rule="statutory")
            first, last, projected = cal._first, cal._last, cal._projected_from
        if lo > last + timedelta(days=1):
            raise CalendarCoverageError(
                f"{where} covers {lo}..{hi}, which leaves a gap after calendar "
                f"{cal._name!r} ({first}..{last}); add the notices in between first"
            )
    else:
        official_end = projected - timedelta(days=1) if projected is not None else last
        if lo > official_end + timedelta(days=1):
            if projected is not None:
                raise CalendarCoverageError(
                    f"{where} starts at {lo}, but {projected}.. is only projected; "
                    f"apply the notices for the projected years first"
                )
            raise CalendarCoverageError(
                f"{where} covers {lo}..{hi}, which leaves a gap after calendar "
                f"{cal._name!r} ({first}..{last}); add the notices in between first"
            )
    from approval_clock.calendars.notice import DayTables

    tables = DayTables(
        dict(cal._holidays),
        dict(cal._workdays),
        dict(cal._names_zh),
        set(cal._statutory),
        dict(cal._sources),
    )
    marks = dict(cal._marks)
    tentative = list(cal._tentative)
    if notice.scope == "national":
        # What a projection made for these years is replaced, not patched.
        years = range(lo.year, hi.year + 1)
        for d, (_, year) in list(marks.items()):
            if lo <= d <= hi or year in years:
                del marks[d]
                tables.forget(d)
        official_end = projected - timedelta(days=1) if projected is not None else last
        if hi > official_end:
            # The window at the old end is settled by this notice (it is the next
            # year's); the same window opens at the new end.
            width = [b - a for a, b in tentative if b == official_end]
            tentative = [(a, b) for a, b in tentative if b != official_end and (b < lo or a > hi)]
            if width:
                tentative.append((hi - width[0], hi))
            if projected is not None:
                projected = hi + timedelta(days=1) if hi < last else None
        first, last = min(first, lo), max(last, hi)
    tables.apply(notice)
    hol, wd = notice.named_days()
    for d in (*hol, *wd):  # the notice's word, not the projection's
        marks.pop(d, None)
    holidays, workdays = tables.holidays, tables.workdays
    for what, days in (("holiday", holidays), ("makeup working day", workdays)):
        outside = [d for d in days if not first <= d <= last]
        if outside:
            raise CalendarCoverageError(
                f"{what} {outside[0]} ({days[outside[0]]}) is outside {first}..{last}; "
                f"give the notice a 'covers' range that includes it"
            )
    if notice.scope == "national" and cal._law == "CN":
        try:
            fixed = statutory_holidays(notice.year)
        except ApprovalClockError:
            fixed = {}
        mask = cal._weekmask
        for d, name in fixed.items():
            if first <= d <= last and (d in workdays or (mask[d.weekday()] and d not in holidays)):
                raise CalendarError(
                    f"{where} leaves {d} ({name}) a working day, but it is a statutory "
                    f"holiday of the 全国年节及纪念日放假办法 in force in {notice.year}, "
                    f"which no national notice takes away; if this notice is regional, "
                    f'give it scope = "regional" (its year\'s national days are then projected)'
                )
    return WorkCalendar(
        cal._name,
        first=first,
        last=last,
        weekmask=cal._weekmask,
        holidays=holidays,
        workdays=workdays,
        timezone=cal._timezone,
        code=cal._code,
        projected_from=projected,
        tentative=[(a, b) for a, b in tentative if projected is None or b < projected],
        law=cal._law,
        names_zh=tables.names_zh,
        statutory=tables.statutory,
        _marks=marks,
        _sources=tables.sources,
        _range_hint=cal._range_hint,
    )


def _rebuild(kwargs: dict[str, Any]) -> WorkCalendar:
    return WorkCalendar(**kwargs)


def _or_masks(
    a: npt.NDArray[np.bool_] | None, b: npt.NDArray[np.bool_] | None
) -> npt.NDArray[np.bool_] | None:
    if a is None:
        return b
    if b is None:
        return a
    return a | b


def _pairing(
    a: object, b: object, what: str, names: tuple[str, str] = ("a", "b")
) -> tuple[object, object]:
    """What a pairwise result is shaped like, and its name; refuses misaligned Series.

    pandas pairs two Series by index, numpy pairs arrays by position: two Series
    whose indexes differ would be paired by position here, silently matching rows
    of different records, so they are refused. A result takes the index of the
    first pandas operand (else the first array's shape); with two Series it is
    named like them if they share a name, else after the operation.
    """
    if _dates.is_series(a) and _dates.is_series(b):
        index_a, index_b = a.index, b.index  # type: ignore[attr-defined]
        if index_a is not index_b and not index_a.equals(index_b):
            raise _misaligned(what, names, a, b)
        name_a, name_b = a.name, b.name  # type: ignore[attr-defined]
        try:
            same = bool(name_a == name_b)
        except Exception:  # names are any hashable; comparing two may not give a bool
            same = name_a is name_b
        return a, (name_a if same else what)
    for value in (a, b):
        if _dates.is_pandas(value) and _dates.is_vector(value):
            return value, _dates.NO_NAME
    return (a if _dates.is_vector(a) else b), _dates.NO_NAME


def _misaligned(what: str, names: tuple[str, str], a: Any, b: Any) -> ApprovalClockError:
    def rows(s: Any) -> str:
        head = ", ".join(map(repr, s.index[:3].tolist())) + (", ..." if len(s) > 3 else "")
        return f"{len(s)} rows, index [{head}]"

    x, y = names
    return ArgumentValueError(
        f"{what}({x}, {y}): {x} and {y} are pandas Series with different indexes "
        f"({x}: {rows(a)}; {y}: {rows(b)}), and pairing them by position could pair rows "
        f"of different records; align them first, e.g. {x}, {y} = {x}.align({y}) (rows "
        f"missing on one side give missing results), or pass {y}.to_numpy() to pair "
        f"by position"
    )


def _row_working_days(
    values: Any,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_] | None]:
    """One whole number of working days per row, and the mask of missing ones (or None)."""
    what = "duration"
    missing: npt.NDArray[np.bool_] | None = None
    dtype = getattr(values, "dtype", None)
    if _dates.is_pandas(values) and dtype is not None and not isinstance(dtype, np.dtype):
        # A nullable pandas dtype (Int64, UInt8, boolean...): <NA> is a missing row.
        kind = getattr(dtype, "kind", "O")
        if kind in "iu":
            na = np.asarray(values.isna(), dtype=bool)
            missing = na if na.any() else None
            arr = values.to_numpy(dtype=np.int64 if kind == "i" else np.uint64, na_value=0)
        else:
            arr = np.asarray(values, dtype=object)
    else:
        try:
            arr = np.asarray(values)
        except (ValueError, TypeError) as e:
            raise DurationError(
                f"{what}: expected one whole number of working days per date, got "
                f"{_dates.describe_value(values)} ({e})"
            ) from None
    if arr.size == 0 and arr.dtype.kind in "fO":  # [] reads as float: no number is wrong
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        got = "booleans" if arr.dtype.kind == "b" else f"an array of {arr.dtype}"
        hint = (
            "; a column of whole numbers with gaps reads as float: .astype('Int64') keeps it whole"
            if arr.dtype.kind == "f"
            else ""
        )
        raise DurationError(
            f"{what}: expected one whole number of working days per date (an integer "
            f"numpy array or pandas Series), got {got}{hint}"
        )
    if arr.size:
        low = arr.min() if arr.dtype.kind == "i" else 0
        high = arr.max()
        if low < 0 or high > MAX_DURATION:
            flat = arr.reshape(-1)
            bad = (
                (flat < 0) | (flat > MAX_DURATION) if arr.dtype.kind == "i" else flat > MAX_DURATION
            )
            k = int(np.flatnonzero(bad)[0])
            value = int(flat[k])
            want = (
                "whole numbers of working days >= 0"
                if value < 0
                else f"at most {MAX_DURATION} working days (the days from 0001-01-01 to 9999-12-31)"
            )
            raise DurationError(
                f"{what}: expected {want}, got {value} at position {k} "
                f"(and {int(bad.sum()) - 1} more)"
            )
    return arr.astype(np.int64, copy=False), missing


_NAME_LIMIT = 120
"""The longest calendar name, or part of a day's name, that a composition writes."""


def _short(text: str, limit: int = _NAME_LIMIT) -> str:
    """``text``, cut to ``limit`` characters (the cut marked with an ellipsis)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _combine(a: WorkCalendar, b: WorkCalendar, op: Literal["&", "|"]) -> WorkCalendar:
    first = max(a.coverage[0], b.coverage[0])
    last = min(a.coverage[1], b.coverage[1])
    if first > last:
        raise CalendarCoverageError(
            f"calendars {_short(a.name)!r} ({a.coverage[0]}..{a.coverage[1]}) and "
            f"{_short(b.name)!r} ({b.coverage[0]}..{b.coverage[1]}) have no days in common"
        )
    origin = first.toordinal()
    # Day numbers as integers: no date past `last` is ever formed.
    days = (np.arange(origin, last.toordinal() + 1, dtype=np.int64) - _dates.EPOCH_ORDINAL).astype(
        "datetime64[D]"
    )
    wa: npt.NDArray[np.bool_] = a.is_working_day(days)
    wb: npt.NDArray[np.bool_] = b.is_working_day(days)
    work = (wa & wb) if op == "&" else (wa | wb)
    mask_a, mask_b = a.weekmask, b.weekmask
    weekmask = "".join(
        "1" if ((x == "1") and (y == "1") if op == "&" else (x == "1") or (y == "1")) else "0"
        for x, y in zip(mask_a, mask_b, strict=True)
    )
    if "1" not in weekmask:
        raise CalendarError(
            f"{_short(a.name)!r} {op} {_short(b.name)!r}: the result has no working weekday "
            f"(week masks {mask_a} and {mask_b}); a calendar must work on at least one weekday"
        )
    holidays: dict[date, str] = {}
    workdays: dict[date, str] = {}
    names_zh: dict[date, str] = {}
    statutory: set[date] = set()
    usual = np.asarray([c == "1" for c in weekmask])[(np.arange(len(work)) + origin - 1) % 7]
    # Only the days where the combined status differs from the combined week mask
    # need a name, and the statutory holidays on a weekend (kind 3 on either side):
    # a few hundred days, not the whole range. Each part of a name is cut short, so
    # that names stay bounded however deeply compositions nest (each side's name
    # already holds its own sides' names).
    kinds = np.maximum(a._kind[a._indices(days)[0]], b._kind[b._indices(days)[0]])
    for k in np.flatnonzero((work != usual) | (~work & (kinds == 3))).tolist():
        day = date.fromordinal(origin + k)
        sides = [c for c in (a, b) if c.is_working_day(day) == bool(work[k])]
        (workdays if work[k] else holidays)[day] = "; ".join(
            f"{_short(c.name)}: {_short(c._reason(day))}" for c in sides
        )
        names_zh[day] = "；".join(
            f"{_short(c.name)}：{_short(c._reason(day, 'zh'))}" for c in sides
        )
        if not work[k] and any(c.day_kind(day) == "statutory_holiday" for c in sides):
            statutory.add(day)
    projected = [p[0] for p in (a.provisional, b.provisional) if p is not None and p[0] <= last]
    level = np.maximum(a._cert[a._indices(days)[0]], b._cert[b._indices(days)[0]])
    return WorkCalendar(
        _short(f"{a.name} {op} {b.name}"),
        first=first,
        last=last,
        weekmask=weekmask,
        holidays=holidays,
        workdays=workdays,
        timezone=a.timezone,
        projected_from=max(first, min(projected)) if projected else None,
        tentative=_ranges(level == 1, origin),
        law=a.law if a.law == b.law else None,
        names_zh=names_zh,
        statutory=statutory,
    )

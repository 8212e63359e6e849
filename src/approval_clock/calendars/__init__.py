"""Where calendars come from.

* ``get("CN")``: mainland China, compiled from the State Council's holiday
  notices 2004-2026 shipped as a data file (``calendars/data/cn.toml``, with the
  provenance of each year and the verdicts where other sources disagree).
* ``get("FR")``, ``get("HK")``, ...: any code in workalendar's registry, compiled
  over a range of years you can widen (``years=(2000, 2040)``).
* ``load(path)`` / ``loads(text)``: a calendar file of your own, for example the
  national calendar plus a regional holiday (``base = "CN"``), or a notice on its
  own (our TOML or holiday-cn's JSON) on top of the mainland calendar;
  ``load_notice(path)``: one notice, for ``cal.with_notice(...)`` (next year's
  arrangement, the day it is published, without waiting for a release).
* ``statutory_holidays(year)``, ``festivals(year)``, ``measures_in_force(year)``:
  the days the 全国年节及纪念日放假办法 fixes before any notice, each version of
  the measures with the year it took effect (2000-2100).

>>> from approval_clock import calendars
>>> cn = calendars.get("CN")
>>> cn.name, cn.timezone, cn.coverage[0].year, cn.coverage[1].year
('Mainland China', 'Asia/Shanghai', 2004, 2026)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

from approval_clock._check import check_path
from approval_clock.calendars._statutory import (
    MEASURES,
    Festival,
    Measures,
    festivals,
    measures_in_force,
    statutory_holidays,
)
from approval_clock.calendars.notice import Notice, load_notice
from approval_clock.calendars.workcalendar import WorkCalendar
from approval_clock.errors import ArgumentTypeError, CalendarError
from approval_clock.limits import Limits, check_limits

__all__ = [
    "DEFAULT_YEARS",
    "MEASURES",
    "Festival",
    "Measures",
    "available",
    "clear_cache",
    "festivals",
    "get",
    "load",
    "load_notice",
    "loads",
    "measures_in_force",
    "statutory_holidays",
]

DEFAULT_YEARS = (2000, 2040)
"""Years a workalendar-based calendar covers unless ``years=`` says otherwise.

Narrowed to the years workalendar can compute for the code: ``get("SG")``
covers 2000-2030 (workalendar's table of Singapore's Deepavali ends in 2030),
``get("MY")`` 2010-2024.
"""

_OFFICIAL = {"CN": "cn.toml"}


def get(
    code: str,
    *,
    years: tuple[int, int] | None = None,
    timezone: str | None = None,
    notices_through: int | None = None,
    limits: Limits | None = None,
) -> WorkCalendar:
    """The calendar known by ``code``; compiled once and cached (once, also when many
    threads ask for it first at the same time).

    Args:
        code: ``"CN"`` for mainland China's official arrangements, or any code in
            workalendar's registry (``"FR"``, ``"HK"``, ``"US-CA"``...).
        years: ``(first, last)`` years to compile a workalendar calendar for. By
            default :data:`DEFAULT_YEARS` (2000-2040) intersected with the run of
            years workalendar can compute for the code (some of its calendars read
            tables that end: ``"SG"`` 2000-2030, ``"MY"`` 2010-2024). Not accepted
            for ``"CN"``, whose range is that of the official notices; extend it
            with ``with_notice``.
        timezone: IANA zone for a workalendar calendar (workalendar has none; without
            one, aware datetimes are refused rather than guessed).
        notices_through: for ``"CN"``, build from the notices up to that year only
            (the calendar then ends on 31 December of it), so that a projection can
            be back-tested against what the next notice really said.
        limits: ``years`` may span at most ``limits.calendar_years`` (default 200;
            see :class:`~approval_clock.limits.Limits`): compiling asks workalendar
            about every day.

    Raises:
        UnknownCalendarError: no such code (a ``LookupError``).
        CalendarError: bad ``years`` (a ``ValueError``).
        CalendarCoverageError: ``years`` include a year workalendar cannot compute
            for the code (or, by default, none of :data:`DEFAULT_YEARS` is one it
            can); the message names the year and the years it supports.

    Warns:
        UserWarning: what workalendar warns about its own rules for the code
            ("this Islamic calendar computation may be wrong"), as workalendar
            issues it: from workalendar's modules, shown once per message by
            Python's default filter. The library never changes warning filters
            (they are process-wide); silence these with your own, e.g.
            ``warnings.filterwarnings("ignore", category=UserWarning,
            module="workalendar")``.

    A date outside a workalendar calendar's years raises ``CalendarCoverageError``
    whose advice names the ``years=`` to ask for and the years workalendar supports.

    >>> from datetime import date
    >>> get("CN").is_working_day(date(2021, 10, 9))   # a makeup Saturday
    True
    >>> get("FR", years=(2024, 2026)).describe(date(2025, 7, 14))
    'Bastille Day'
    >>> get("SG", years=(2025, 2035))
    Traceback (most recent call last):
    ...
    approval_clock.errors.CalendarCoverageError: calendars.get('SG', years=(2025, 2035)): workalendar cannot compute SG's holidays for 2031 (KeyError: Missing date for Singapore Deepavali for year: 2031); it supports SG for 2000..2030; ask for years within them, e.g. years=(2025, 2030)
    >>> get("CN", notices_through=2024).coverage[1]
    datetime.date(2024, 12, 31)
    """
    if not isinstance(code, str):
        raise ArgumentTypeError(f"code: expected a string such as 'CN', got {code!r}")
    lim = check_limits(limits)
    if code in _OFFICIAL:
        if years is not None or timezone is not None:
            raise CalendarError(
                f"{code!r} is compiled from official notices: its years and time zone are "
                f"fixed; use cal.with_notice(...) or cal.extended(until=...) to go further"
            )
        if notices_through is not None:
            if type(notices_through) is not int:
                raise ArgumentTypeError(
                    f"notices_through: expected a year such as 2024, got {notices_through!r}"
                )
            lo, hi = _official(code, None).coverage
            if not lo.year <= notices_through <= hi.year:
                raise CalendarError(
                    f"notices_through: expected a year in {lo.year}..{hi.year} (the "
                    f"notices {code!r} is built from), got {notices_through}"
                )
        return _official(code, notices_through)
    if notices_through is not None:
        raise CalendarError(
            f"notices_through: only for calendars compiled from notices ('CN'); "
            f"{code!r} comes from workalendar's rules"
        )
    return _from_registry(code, None if years is None else _check_years(years, lim), timezone)


def _check_years(years: object, limits: Limits) -> tuple[int, int]:
    if (
        not isinstance(years, tuple)
        or len(years) != 2
        or not all(type(y) is int and 1 <= y <= 9998 for y in years)
        or years[0] > years[1]
    ):
        raise CalendarError(
            f"years: expected (first_year, last_year) such as (2000, 2040), got {years!r}"
        )
    if years[1] - years[0] + 1 > limits.calendar_years:
        raise CalendarError(
            f"years={years}: {years[1] - years[0] + 1} years, more than the "
            f"{limits.calendar_years} accepted (limits.calendar_years); pass "
            f"limits=Limits(calendar_years=...) to compile a longer calendar"
        )
    return years


class _Once:
    """A function's results by argument, each computed once, even when threads race.

    ``functools.lru_cache`` lets every thread that misses compute the value
    (the mainland calendar compiled once per thread on a service's first
    requests); here the first computes it and the others wait for that one.
    Exceptions are not kept (the next call tries again). ``cache_clear`` empties it.
    """

    def __init__(self, make: Callable[..., WorkCalendar], maxsize: int) -> None:
        self._make = make
        self._maxsize = maxsize
        self._lock = threading.Lock()
        self._done: OrderedDict[tuple[Hashable, ...], WorkCalendar] = OrderedDict()
        self._pending: dict[tuple[Hashable, ...], threading.Lock] = {}

    def __call__(self, *args: Hashable) -> WorkCalendar:
        with self._lock:
            if args in self._done:
                self._done.move_to_end(args)
                return self._done[args]
            making = self._pending.setdefault(args, threading.Lock())
        with making:
            with self._lock:
                if args in self._done:
                    return self._done[args]
            try:
                value = self._make(*args)
            finally:
                with self._lock:
                    if self._pending.get(args) is making:
                        del self._pending[args]
            with self._lock:
                self._done[args] = value
                while len(self._done) > self._maxsize:
                    self._done.popitem(last=False)
        return value

    def cache_clear(self) -> None:
        """Forget every value (they are compiled again when next asked for)."""
        with self._lock:
            self._done.clear()


def clear_cache() -> None:
    """Forget the compiled calendars (``get`` compiles each code once per process).

    ``approval_clock.clear_caches()`` calls this and clears the schedules' axes too.

    >>> from approval_clock import calendars
    >>> calendars.clear_cache()
    >>> calendars.get("CN").name
    'Mainland China'
    """
    _official.cache_clear()
    _from_registry.cache_clear()


def _compile_official(code: str, notices_through: int | None = None) -> WorkCalendar:
    from importlib import resources  # only needed here; costs ~15 ms at import

    from approval_clock.calendars._files import calendar_text

    ref = resources.files(__name__).joinpath("data", _OFFICIAL[code])
    cal = calendar_text(
        ref.read_text(encoding="utf-8"),
        f"approval_clock/calendars/data/{_OFFICIAL[code]}",
        notices_through=notices_through,
    )
    assert isinstance(cal, WorkCalendar)
    return cal


def _compile_registry(
    code: str, years: tuple[int, int] | None, timezone: str | None
) -> WorkCalendar:
    # years=None is its own cache entry: it is resolved against what workalendar
    # supports for the code (DEFAULT_YEARS, narrowed), inside from_workalendar.
    from approval_clock.calendars._workalendar import from_workalendar

    return from_workalendar(code, years, timezone, default=DEFAULT_YEARS)


_official = _Once(_compile_official, maxsize=32)
_from_registry = _Once(_compile_registry, maxsize=64)


def available() -> list[str]:
    """Every code :func:`get` accepts: ``"CN"`` and workalendar's registry (with subregions).

    For a workalendar code, ``get(code)`` covers the part of :data:`DEFAULT_YEARS`
    workalendar can compute for it; ``years=`` it cannot compute raise
    ``CalendarCoverageError`` naming the years it can.

    >>> "CN" in available() and "FR" in available() and "US-CA" in available()
    True
    """
    from workalendar.registry import registry

    return sorted(set(_OFFICIAL) | set(registry.get_calendars(include_subregions=True)))


def load(path: str | Path, *, limits: Limits | None = None) -> WorkCalendar:
    """Read a calendar file: a calendar of its own, ``base = "CN"`` plus notices, or a notice.

    Three kinds of file, told apart by content: a calendar file (TOML with
    ``format = 1``); a notice file in our TOML format; a holiday-cn JSON file
    (``{"year", "papers", "days"}``). A notice on its own goes on top of the
    mainland calendar, ``get("CN").with_notice(path)``.

    Only a regular file is read, and its size and structure are checked against
    ``limits`` (:class:`~approval_clock.limits.Limits`; by default 1 MiB, and a
    calendar of at most 200 years) before it is parsed; a UTF-8 byte order mark
    is accepted.

    Raises :class:`~approval_clock.errors.CalendarFileError` naming the file and place.
    See ``docs/calendars.md`` for the formats; :func:`loads` reads the same from text.
    """
    from approval_clock.calendars._files import read_calendar_file

    cal = read_calendar_file(check_path(path, "path"), check_limits(limits))
    assert isinstance(cal, WorkCalendar)
    return cal


def loads(text: str, *, source: str = "<string>", limits: Limits | None = None) -> WorkCalendar:
    """Build a calendar from the text of a file :func:`load` reads; ``source`` names it in errors.

    ``limits`` as for :func:`load`.

    >>> from datetime import date
    >>> cal = loads('''
    ... format = 1
    ... base = "CN"
    ... name = "Guangxi"
    ... [[notices]]
    ... year = 2026
    ... title = "Regional holiday (illustrative)"
    ... holidays = [{ name = "Zhuang March 3rd", first = 2026-04-20, last = 2026-04-21 }]
    ... ''', source="guangxi.toml")
    >>> cal.name, cal.describe(date(2026, 4, 20)), cal.is_working_day(date(2026, 4, 22))
    ('Guangxi', 'Zhuang March 3rd', True)
    """
    from approval_clock.calendars._files import any_calendar_text

    cal = any_calendar_text(text, source, check_limits(limits))
    assert isinstance(cal, WorkCalendar)
    return cal


Notice = Notice  # re-exported for convenience: calendars.Notice is approval_clock.Notice

"""Limits: how much work reading one untrusted file may cause, with defaults for a web request.

Every reader (:meth:`Plan.from_toml <approval_clock.Plan.from_toml>` and
:meth:`Plan.loads <approval_clock.Plan.loads>`, :meth:`Policy.from_toml
<approval_clock.Policy.from_toml>` and :meth:`Policy.loads
<approval_clock.Policy.loads>`, :func:`approval_clock.calendars.load`,
:func:`~approval_clock.calendars.loads` and
:func:`~approval_clock.calendars.load_notice`) takes ``limits=``, and so do the
calls that make a calendar longer (:meth:`WorkCalendar.extended
<approval_clock.WorkCalendar.extended>`, ``calendars.get(code, years=...)``).
The size and structure of a file are checked *before* the TOML or JSON parser
sees it, in linear time; counts of stages and links before any is built. A file
over a limit is refused with the reader's own error (``PlanFileError``,
``CalendarFileError``, ...), naming the file, the limit and how to raise it. A
caller who needs more says so explicitly::

    Plan.from_toml(path, limits=Limits(stages=20_000, links=60_000))

The defaults fit a web request (measured on one core): the slowest file within
them (512 KiB of keys) is parsed in about 0.6 s, a plan of 500 stages and 2 500
links is read in 0.1 s and scheduled in milliseconds, a calendar of 200 years is
compiled in 10 ms and holds about 15 MB with its scheduling axis; the slowest
sweep, a year of starts of a 500-stage plan in calendar days (each start is
scheduled), takes about 2.3 s. Heavier work belongs in a worker process with a
timeout (``docs/security.md`` shows how).

>>> Limits().stages, Limits(stages=5000).stages
(500, 5000)
>>> Limits(stages=0)
Traceback (most recent call last):
...
approval_clock.errors.ArgumentTypeError: Limits: stages: expected a whole number >= 1, got 0
"""

from __future__ import annotations

from typing import Any

import attrs

from approval_clock._dates import describe_value
from approval_clock.errors import ArgumentTypeError

__all__ = ["DEFAULT_LIMITS", "Limits", "check_limits"]


def _positive(instance: Any, attribute: attrs.Attribute[int], value: object) -> None:
    if type(value) is not int or value < 1:
        raise ArgumentTypeError(
            f"Limits: {attribute.name}: expected a whole number >= 1, got {value!r}"
        )


def _field(default: int) -> Any:
    return attrs.field(default=default, validator=_positive)


@attrs.frozen(kw_only=True)
class Limits:
    """Bounds on what one file (or one call) may make the library do.

    Args:
        file_bytes: the largest file a reader accepts, in bytes (the text given to
            a ``loads``, in UTF-8 bytes). Default 512 KiB: the shipped mainland
            calendar is 34 KB, a plan of 500 stages and 2 500 links about 170 KB.
            Parsing costs about 1 s per MiB.
        depth: the deepest a value may sit: nesting of arrays and inline tables
            (or JSON arrays and objects), and the parts of one dotted key or table
            header (``a.b.c`` has 3). Default 32; our formats need 4. Long dotted
            keys are what made the TOML parser quadratic.
        elements: values a file may hold, counted before parsing as an upper
            bound from its separators (``=``, ``:`` in JSON, commas, opening
            brackets). Default 50 000.
        stages: stages in one plan file. Default 500.
        links: links in one plan file. Default 2 500.
        calendars: calendars in one joint calendar (``calendar = ["CN", "HK"]``)
            of a plan file. Default 8.
        calendar_years: the longest calendar, in years from its first to its last
            (both counted), that a calendar file, a notice's ``covers``,
            ``extended(until=...)`` or ``calendars.get(code, years=...)`` may
            make. Default 200. A compiled calendar keeps about 140 bytes a day
            (200 years: about 10 MB; 2004..9999: about 400 MB, compiled in 2 s).

    Raises:
        ArgumentTypeError: a limit that is not a whole number >= 1.
    """

    file_bytes: int = _field(512 * 1024)
    depth: int = _field(32)
    elements: int = _field(50_000)
    stages: int = _field(500)
    links: int = _field(2_500)
    calendars: int = _field(8)
    calendar_years: int = _field(200)


DEFAULT_LIMITS = Limits()
"""The limits a reader applies when it is given none."""


def check_limits(limits: object, where: str = "limits") -> Limits:
    """``limits``, or :data:`DEFAULT_LIMITS` for ``None``; anything else is an error.

    >>> check_limits(None) is DEFAULT_LIMITS
    True
    >>> check_limits({"stages": 5})
    Traceback (most recent call last):
    ...
    approval_clock.errors.ArgumentTypeError: limits: expected an approval_clock.limits.Limits or None, got dict {'stages': 5}
    """
    if limits is None:
        return DEFAULT_LIMITS
    if not isinstance(limits, Limits):
        raise ArgumentTypeError(
            f"{where}: expected an approval_clock.limits.Limits or None, got "
            f"{describe_value(limits)}"
        )
    return limits

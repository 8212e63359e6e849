"""The ``approval-clock`` command: calendars, deadlines, schedules and policy checks from a shell.

``approval-clock SUBCOMMAND ...`` (or ``python -m approval_clock SUBCOMMAND ...``):

* ``calendar CODE YEAR [--check DATE] [--lang zh] [--format text|json|holiday-cn|ics]``:
  a year's holidays and makeup working days, or the year exported;
* ``count A B`` and ``deadline DATE 20wd``: the counting rules on a calendar;
* every command takes ``--notice FILE`` (repeatable: a TOML notice or a holiday-cn
  JSON file, applied to the mainland calendar) and ``--project RULE`` (``statutory``,
  ``forecast`` or ``weekends``: go past the last notice, ``--until DATE``); where a
  command takes ``--calendar``, it accepts a code or a calendar file;
* ``schedule PLAN.toml --start DATE``: the plan's schedule, critical path included;
* ``compare BASELINE.toml REFORM.toml --start DATE``: days saved and what changed;
* ``check POLICY.toml PLAN.toml [--baseline BASELINE.toml] (--start DATE | --year YEAR)``:
  a policy's verdict, with the schedule;
* ``sweep PLAN.toml --year YEAR``: every start date of a year;
* ``records FILE.csv [--calendar CN] [--as-of DATE]``: KPIs and the overdue list
  of approval records (needs pandas).

Human-readable tables by default; ``--json`` prints one JSON object with stable
keys (dates as ISO strings). A result that rests on days a notice has not fixed
says so: a ``certainty:`` line (``tentative`` or ``projected``) and a
``"certainty"`` key. ``--chart out.png`` (or ``.svg``, ``.pdf``) writes the
chart of ``schedule``, ``compare``, ``check`` and ``sweep`` (needs matplotlib).

Exit codes: :data:`EXIT_OK` (0) done, or the policy passed; :data:`EXIT_FAILED`
(1) a policy check failed; :data:`EXIT_BAD_INPUT` (2) bad input — a file that
cannot be read or is malformed or over the default
:class:`~approval_clock.limits.Limits`, a bad date, an out-of-range number, an
unknown calendar — with one line on stderr naming the file and the place, never a
traceback; :data:`EXIT_INTERNAL` (70) a bug (one line on stderr; set
``APPROVAL_CLOCK_TRACEBACK=1`` for the traceback); :data:`EXIT_OUTPUT` (74) the
answer could not be written (standard output closed, disk full), said on stderr;
:data:`EXIT_INTERRUPTED` (130) Ctrl-C, one line on stderr; :data:`EXIT_BROKEN_PIPE`
(141, as a shell reports a process that SIGPIPE ended) the reader of the output
went away (``| head -1``): nothing more is printed.

With ``--json``, an error is also machine-readable: standard output gets one JSON
object ``{"error": "<the message>", "exit_code": 2}`` (the same line still goes to
stderr), so that a script parsing stdout always gets JSON. Output that the
terminal's encoding cannot hold is escaped (``\\u56fd`` in JSON, which stays
valid JSON) rather than crashing.

>>> main(["count", "2021-08-18", "2021-09-10"])
18 working days from 2021-08-18 to 2021-09-10, both days counted (Mainland China)
17 working days elapsed after 2021-08-18, the first day not counted (Civil Code art. 201)
0
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import math
import os
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, cast

import attrs
import numpy as np

from approval_clock import __version__, _advice, _render, calendars
from approval_clock.calendars import _certainty
from approval_clock.calendars.workcalendar import CERTAINTIES, Certainty, WorkCalendar
from approval_clock.checks.comparison import METRICS, Comparison, compare
from approval_clock.checks.policy import (
    NOT_CHECKED_REASONS,
    Policy,
    PolicyReport,
    PolicySweepReport,
)
from approval_clock.checks.sweeps import COLUMNS, Sweep, sweep
from approval_clock.durations import CalendarDays, CalendarMonths, Duration, parse_duration
from approval_clock.errors import ApprovalClockError, DurationError
from approval_clock.plans.model import Plan
from approval_clock.plans.schedule import Schedule

if TYPE_CHECKING:
    from approval_clock.records import Analysis

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_BROKEN_PIPE",
    "EXIT_FAILED",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_OUTPUT",
    "main",
]

EXIT_OK = 0
"""Exit code: done, or the policy check passed."""
EXIT_FAILED = 1
"""Exit code: a policy check failed (the output says which rules)."""
EXIT_BAD_INPUT = 2
"""Exit code: bad input; one line on stderr names the file and the place."""
EXIT_INTERNAL = 70
"""Exit code: a bug in approval-clock (``EX_SOFTWARE``); one line on stderr."""
EXIT_OUTPUT = 74
"""Exit code: the answer could not be written (``EX_IOERR``): stdout closed, disk full."""
EXIT_INTERRUPTED = 130
"""Exit code: interrupted (Ctrl-C, 128 + SIGINT); one line on stderr."""
EXIT_BROKEN_PIPE = 141
"""Exit code: the output's reader went away (128 + SIGPIPE, as shells report it); quiet."""

_PROG = "approval-clock"
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CHART_SUFFIXES = (".png", ".svg", ".pdf")


class _BadInputError(Exception):
    """Bad input, with the one line to print."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and no ``SystemExit``."""

    def error(self, message: str) -> NoReturn:
        raise _BadInputError(f"{self.prog}: error: {message} (see {self.prog} --help)")


# -- argument types ----------------------------------------------------------------------


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2021-06-01, got {text!r}"
        ) from None


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        year = 0
    if not 1 <= year <= 9998:
        raise argparse.ArgumentTypeError(f"expected a year such as 2021, got {text!r}")
    return year


def _duration(text: str) -> Duration:
    try:
        return parse_duration(text)
    except DurationError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _whole(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 0, got {text!r}")
    return n


# -- errors ------------------------------------------------------------------------------


@contextmanager
def _where(place: str) -> Iterator[None]:
    """Name ``place`` (a file, an option) in a library error that does not name it yet."""
    try:
        yield
    except ApprovalClockError as e:
        message = str(e)
        if message.startswith(place):
            raise
        raise _BadInputError(f"{place}: {message}") from None


def _one_line(text: str) -> str:
    """``text`` on one line, with any control character left escaped (no terminal tricks)."""
    flat = " ".join(text.split())
    if flat.isprintable():
        return flat
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in flat)


# -- output helpers ----------------------------------------------------------------------


def _width(text: str) -> int:
    """Columns a text takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[int] = ()
) -> list[str]:
    """Rows aligned in columns, two spaces apart; columns in ``right`` aligned right."""
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
    out = []
    for r in cells:
        parts = []
        for i, (text, w) in enumerate(zip(r, widths, strict=True)):
            pad = " " * (w - _width(text))
            parts.append(pad + text if i in right else text + pad)
        out.append("  ".join(parts).rstrip())
    return out


def _jsonable(value: Any) -> Any:
    """Plain JSON values: dates as ISO strings, fractions as ``"8/17"``, NaN as null."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, date):
        return value.isoformat()[:10]
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if hasattr(value, "item"):  # numpy scalars
        return _jsonable(value.item())
    return str(value)


def _emit_json(out: TextIO, data: dict[str, Any]) -> None:
    """``data`` as JSON on ``out``: raw UTF-8 when the stream can hold it, else \\u escapes."""
    text = json.dumps(_jsonable(data), ensure_ascii=False, indent=2)
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        text = json.dumps(_jsonable(data), ensure_ascii=True, indent=2)
    print(text, file=out)


def _weekday(d: date) -> str:
    return _WEEKDAYS[d.weekday()]


def _calendar(ref: str, args: argparse.Namespace | None = None) -> WorkCalendar:
    """The calendar ``--calendar`` names (a code or a file), with ``--notice``/``--project``."""
    looks_like_file = ref.endswith((".toml", ".json")) or "/" in ref or "\\" in ref
    with _where(f"--calendar {ref}"):
        cal = calendars.load(ref) if looks_like_file else calendars.get(ref)
    return cal if args is None else _adjust(cal, args)


def _adjust(cal: WorkCalendar, args: argparse.Namespace, *, strict: bool = True) -> WorkCalendar:
    """``cal`` with the notices of ``--notice`` and the projection of ``--project``.

    For the calendar a command is given (``strict``) both always apply. In a plan,
    they apply to the calendars that follow the mainland law (the notices are the
    State Council's), and the others are left as they are.
    """
    notices: list[str] = getattr(args, "notice", None) or []
    rule: str | None = getattr(args, "project", None)
    until: date | None = getattr(args, "until", None)
    if until is not None and rule is None:
        raise _BadInputError(
            f"--until {until}: needs --project RULE (statutory, forecast or weekends)"
        )
    if not strict and cal.law is None and (notices or (rule is not None and rule != "weekends")):
        return cal
    for path in notices:
        with _where(f"--notice {path}"):
            cal = cal.with_notice(Path(path))
    if rule is not None:
        last = cal.coverage[1]
        target = until if until is not None else date(last.year + 2, 12, 31)
        if target > last:
            with _where(f"--project {rule}"):
                cal = cal.extended(until=target, rule=rule)  # type: ignore[arg-type]
    return cal


def _adjust_plan(plan: Plan, args: argparse.Namespace) -> Plan:
    """The plan with ``--notice``/``--project`` applied to its mainland calendars."""
    if not getattr(args, "notice", None) and getattr(args, "project", None) is None:
        return plan
    done: dict[int, WorkCalendar] = {}

    def adjust(cal: WorkCalendar) -> WorkCalendar:
        if id(cal) not in done:
            done[id(cal)] = _adjust(cal, args, strict=False)
        return done[id(cal)]

    stages = [
        s if s.calendar is None else attrs.evolve(s, calendar=adjust(s.calendar))
        for s in plan.stages
    ]
    return Plan(stages, plan.links, calendar=adjust(plan.calendar), name=plan.name)


def _certainty_line(level: Certainty, cal: WorkCalendar) -> str | None:
    """The line saying a result is not official (which days, what to do), or ``None``."""
    if level == "tentative":
        spans = ", ".join(f"{a}..{b}" for a, b in cal.tentative)
        return _certainty.line(level, spans or None)
    if level == "projected":
        p = cal.provisional
        since = f"projected from {p[0]}; " if p is not None else ""
        return _certainty.line(
            level, f"{since}load the notice with --notice FILE when it is published"
        )
    return None


def _plan(path: str, args: argparse.Namespace | None = None) -> Plan:
    with _where(str(Path(path))):
        plan = Plan.from_toml(path)
    return plan if args is None else _adjust_plan(plan, args)


def _policy(path: str) -> Policy:
    with _where(str(Path(path))):
        return Policy.from_toml(path)


def _schedule(plan: Plan, path: str, start: date) -> Schedule:
    with _where(str(Path(path))):
        return plan.schedule(start=start)


# -- charts ------------------------------------------------------------------------------


def _chart_target(path: str | None) -> Path | None:
    """Check ``--chart`` before any work: its suffix, and that matplotlib is there."""
    if path is None:
        return None
    target = Path(path)
    if target.suffix.lower() not in _CHART_SUFFIXES:
        raise _BadInputError(
            f"--chart {path}: expected a file name ending in "
            f"{', '.join(_CHART_SUFFIXES[:-1])} or {_CHART_SUFFIXES[-1]}"
        )
    if not target.parent.is_dir():
        raise _BadInputError(f"--chart {path}: no such directory {str(target.parent)!r}")
    try:
        import matplotlib

        matplotlib.use("Agg")  # a file is written; no window is needed
    except ImportError:
        raise _BadInputError(
            f"--chart {path}: charts need matplotlib; install it with "
            f"pip install matplotlib (the 'plot' extra; see docs/install.md)"
        ) from None
    return target


def _save_chart(target: Path | None, draw: Callable[[], Any], out: TextIO, quiet: bool) -> None:
    if target is None:
        return
    import matplotlib.pyplot as plt

    drawn = draw()
    fig = drawn[0].figure if hasattr(drawn, "__len__") else drawn.figure
    try:
        fig.savefig(target, dpi=110)
    except OSError as e:
        raise _BadInputError(f"--chart {target}: cannot write ({e.strerror or e})") from None
    finally:
        plt.close(fig)
    if not quiet:
        print(f"chart written to {target}", file=out)


# -- calendar ----------------------------------------------------------------------------


def _runs(days: dict[date, str]) -> list[tuple[date, date, str]]:
    """Named days grouped into runs of consecutive days with the same name."""
    out: list[tuple[date, date, str]] = []
    for d in sorted(days):
        name = days[d]
        if out and out[-1][2] == name and (d - out[-1][1]).days == 1:
            out[-1] = (out[-1][0], d, name)
        else:
            out.append((d, d, name))
    return out


_CALENDAR_FORMATS = ("text", "json", "holiday-cn", "ics")


def _calendar_format(args: argparse.Namespace) -> str:
    """The output ``calendar`` prints: ``--format``, with ``--json`` as ``--format json``."""
    fmt: str | None = args.format
    if args.json:
        if fmt not in (None, "json"):
            raise _BadInputError(
                f"--json and --format {fmt}: give one of them (--json is --format json)"
            )
        fmt = "json"
    fmt = fmt or "text"
    if fmt in ("holiday-cn", "ics"):
        if args.check is not None:
            raise _BadInputError(
                f"--check {args.check} and --format {fmt}: --check says what one day is, in "
                f"text or json; --format {fmt} writes the whole year"
            )
        if args.lang is not None:
            raise _BadInputError(
                f"--lang {args.lang} and --format {fmt}: --lang is for the text and json "
                f"output; a holiday-cn file is in Chinese, and ics events carry both names"
            )
    return fmt


def _calendar_file(cal: WorkCalendar, fmt: str, year: int, out: TextIO) -> None:
    """A year as a holiday-cn JSON file or an iCalendar, on ``out``."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    if fmt == "holiday-cn":
        try:
            data = cal.to_holiday_cn(year)
        except ApprovalClockError as e:
            # The library's words for the library's call, the command line's here.
            message = str(e).removeprefix(f"to_holiday_cn({year}): ")
            message = message.replace("cal.with_notice(path)", "--notice FILE")
            raise _BadInputError(f"year {year}: {message}") from None
        print(json.dumps(data, ensure_ascii=False, indent=2), file=out)
        return
    with _where(f"year {year}"):
        lo, hi = cal.coverage
        if lo <= last and hi >= first:  # the part of the year the calendar covers
            first, last = max(first, lo), min(last, hi)
        out.write(cal.to_ical(first, last))


def _cmd_calendar(args: argparse.Namespace, out: TextIO) -> int:
    fmt = _calendar_format(args)
    lang: str = args.lang or "en"
    cal = _calendar(args.code, args)
    if fmt in ("holiday-cn", "ics"):
        _calendar_file(cal, fmt, args.year, out)
        return EXIT_OK
    names_zh = cal.names_zh if lang == "zh" else {}
    if args.check is not None:
        d: date = args.check
        with _where(f"--check {d}"):
            working = cal.is_working_day(d)
            why = cal.describe(d, lang)
            level = cal.certainty(d)
        if fmt == "json":
            _emit_json(
                out,
                {
                    "calendar": cal.name,
                    "code": cal.code,
                    "date": d,
                    "weekday": _weekday(d),
                    "working_day": working,
                    "description": why,
                    "certainty": level,
                },
            )
        else:
            verdict = "working day" if working else "rest day"
            plain = "工作日" if lang == "zh" else "working day"
            # "working day (projected: ...)" says the verdict once.
            detail = why.removeprefix(plain) if why.startswith(plain) else f" ({why})"
            # describe() says it when the day is tentative or projected.
            print(f"{d} {_weekday(d)}: {verdict}{detail}, {cal.name}", file=out)
        return EXIT_OK
    first, last = date(args.year, 1, 1), date(args.year, 12, 31)
    with _where(f"year {args.year}"):
        rest = cal.rest_days(first, last)
        working_days = len(cal.working_days(first, last))
        levels = cal.certainty(
            np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
        ).tolist()
    certainty = {c: levels.count(c) for c in CERTAINTIES if c in levels}
    # The names describe(d, lang) gives, without its word on certainty (said below).
    holidays = _runs({d: names_zh.get(d, n) for d, n in cal.holidays.items() if first <= d <= last})
    makeup = sorted((d, names_zh.get(d, n)) for d, n in cal.workdays.items() if first <= d <= last)
    if fmt == "json":
        _emit_json(
            out,
            {
                "calendar": cal.name,
                "code": cal.code,
                "year": args.year,
                "working_days": working_days,
                "rest_days": len(rest),
                "holidays": [
                    {"name": n, "first": a, "last": b, "days": (b - a).days + 1}
                    for a, b, n in holidays
                ],
                "makeup_working_days": [
                    {"date": d, "weekday": _weekday(d), "for": n} for d, n in makeup
                ],
                "provisional": cal.provisional is not None and last >= cal.provisional[0],
                "certainty": certainty,
            },
        )
        return EXIT_OK
    print(f"{cal.name} {args.year}: {working_days} working days, {len(rest)} rest days", file=out)
    print("holidays:", file=out)
    rows = [
        (f"{a} .. {b}" if b != a else f"{a}", f"{(b - a).days + 1} days", n) for a, b, n in holidays
    ]
    for line in _table(["dates", "days", "name"], rows, right=[1])[1:]:
        print(f"  {line}", file=out)
    if not holidays:
        print("  (none)", file=out)
    print("makeup working days:", file=out)
    for d, n in makeup:
        serves = f"{n}调休上班" if lang == "zh" else f"for {n}"
        print(f"  {d}  {_weekday(d):<9} {serves}", file=out)
    if not makeup:
        print("  (none)", file=out)
    if set(certainty) != {"official"}:
        counts = ", ".join(f"{n} {c}" for c, n in certainty.items())
        print(f"certainty: {counts} days", file=out)
        for level in ("tentative", "projected"):
            says = _certainty_line(level, cal) if level in certainty else None
            if says is not None:
                print(f"  {says.removeprefix('certainty: ')}", file=out)
    return EXIT_OK


# -- count, deadline ---------------------------------------------------------------------


def _cmd_count(args: argparse.Namespace, out: TextIO) -> int:
    cal = _calendar(args.calendar, args)
    a, b = args.first, args.last
    if a > b:
        raise _BadInputError(
            f"count: the first date {a} is after the second {b}; give them in order"
        )
    with _where(f"count {a} {b}"):
        n = int(cal.count(a, b))
        e = int(cal.elapsed(a, b))
        level = cal.certainty(a, b)
    if args.json:
        _emit_json(
            out,
            {
                "calendar": cal.name,
                "code": cal.code,
                "from": a,
                "to": b,
                "count": n,
                "elapsed": e,
                "certainty": level,
            },
        )
        return EXIT_OK
    print(f"{n} working days from {a} to {b}, both days counted ({cal.name})", file=out)
    print(
        f"{e} working days elapsed after {a}, the first day not counted (Civil Code art. 201)",
        file=out,
    )
    _print_certainty(out, level, cal)
    return EXIT_OK


def _print_certainty(out: TextIO, level: Certainty, cal: WorkCalendar) -> None:
    line = _certainty_line(level, cal)
    if line is not None:
        print(line, file=out)


def _cmd_deadline(args: argparse.Namespace, out: TextIO) -> int:
    cal = _calendar(args.calendar, args)
    d, duration = args.date, args.duration
    with _where(f"deadline {d} {duration}"):
        end: date = cal.deadline(d, duration)
        level = cal.certainty(d, end)
    if args.json:
        _emit_json(
            out,
            {
                "calendar": cal.name,
                "code": cal.code,
                "start": d,
                "duration": str(duration),
                "deadline": end,
                "weekday": _weekday(end),
                "certainty": level,
            },
        )
        return EXIT_OK
    if isinstance(duration, CalendarDays | CalendarMonths):
        unit = "calendar days" if isinstance(duration, CalendarDays) else "months"
        rule = "an end on a rest day rolls to the next working day (Civil Code arts. 202-203)"
    else:
        unit = "working days"
        rule = "the first day not counted (ALA art. 82, Civil Code art. 201)"
    print(f"{end} {_weekday(end)}: {duration.n} {unit} after {d} ({cal.name})", file=out)
    print(rule, file=out)
    _print_certainty(out, level, cal)
    return EXIT_OK


# -- schedules ---------------------------------------------------------------------------


def _schedule_data(sched: Schedule) -> dict[str, Any]:
    return {
        "plan": sched.plan.name,
        "calendar": sched.plan.calendar.name,
        "requested_start": sched.requested_start,
        "start": sched.start,
        "finish": sched.finish,
        "duration": sched.duration,
        "approval_days": sched.approval_days,
        "notice_days": sched.days_in_progress(["notice"]),
        "calendar_days": sched.calendar_days,
        "approval_calendar_days": sched.calendar_days_in_progress(),
        "provisional": sched.provisional,
        "certainty": sched.certainty,
        "critical_path": list(sched.critical_path),
        "missed_deadlines": list(sched.missed_deadlines),
        "stages": sched.to_records(),
    }


def _schedule_lines(sched: Schedule, *, certainty: bool = True) -> list[str]:
    name = sched.plan.name or "plan"
    lines = [f"{name}: start {sched.requested_start}, calendar {sched.plan.calendar.name}"]
    rows = [
        (
            s.id,
            s.kind,
            s.start,
            s.finish,
            s.working_days,
            s.total_float,
            "yes" if s.critical else "",
            s.stage.name,
        )
        for s in sched
    ]
    headers = ["stage", "kind", "start", "finish", "days", "float", "critical", "name"]
    lines += ["  " + line for line in _table(headers, rows, right=[4, 5])]
    lines += _render.schedule_figures(sched)
    says = _certainty_line(sched.certainty, sched.plan.calendar) if certainty else None
    if says is not None:
        lines.append(says)
    return lines


def _cmd_schedule(args: argparse.Namespace, out: TextIO) -> int:
    chart = _chart_target(args.chart)
    plan = _plan(args.plan, args)
    sched = _schedule(plan, args.plan, args.start)
    if args.json:
        _emit_json(out, _schedule_data(sched))
    else:
        print("\n".join(_schedule_lines(sched)), file=out)
    _save_chart(chart, lambda: _plot().plot_schedule(sched), out, args.json)
    return EXIT_OK


def _plot() -> Any:
    from approval_clock import plot

    return plot


def _comparison_data(cmp: Comparison) -> dict[str, Any]:
    return {
        "metric": cmp.metric,
        "baseline_days": cmp.baseline_days,
        "reform_days": cmp.reform_days,
        "unit": cmp.unit,
        "saved": cmp.saved,
        "ratio": float(cmp.ratio),
        "ratio_exact": cmp.ratio,
        "percent": cmp.percent,
        "baseline_calendar_days": cmp.baseline_calendar_days,
        "reform_calendar_days": cmp.reform_calendar_days,
        "saved_calendar_days": cmp.saved_calendar_days,
        "fixed_baseline": cmp.fixed_baseline,
        "fixed_reform": cmp.fixed_reform,
        "compressible_baseline": cmp.compressible_baseline,
        "compressible_reform": cmp.compressible_reform,
        "provisional": cmp.provisional,
        "certainty": cmp.certainty,
        "changes": [
            {
                "id": c.id,
                "change": c.change,
                "baseline_days": c.baseline_days,
                "reform_days": c.reform_days,
                "was_critical": c.was_critical,
                "is_critical": c.is_critical,
            }
            for c in cmp.changes
        ],
        "baseline": _schedule_data(cmp.baseline),
        "reform": _schedule_data(cmp.reform),
    }


def _cmd_compare(args: argparse.Namespace, out: TextIO) -> int:
    chart = _chart_target(args.chart)
    baseline, reform = _plan(args.baseline, args), _plan(args.reform, args)
    b = _schedule(baseline, args.baseline, args.start)
    r = _schedule(reform, args.reform, args.start)
    with _where(f"{Path(args.baseline)} against {Path(args.reform)}"):
        cmp = compare(b, r, metric=args.metric)
    if args.json:
        _emit_json(out, _comparison_data(cmp))
    else:
        print(f"baseline: {baseline.name or 'plan'} ({Path(args.baseline)})", file=out)
        print(f"reform:   {reform.name or 'plan'} ({Path(args.reform)})", file=out)
        print(f"start:    {args.start}", file=out)
        print(cmp.explain(), file=out)
    _save_chart(chart, lambda: _plot().plot_comparison(cmp), out, args.json)
    return EXIT_OK


# -- policies ----------------------------------------------------------------------------


def _report_data(report: PolicyReport) -> dict[str, Any]:
    return {
        "policy": report.policy.name,
        "passed": report.passed,
        "metric": report.policy.metric,
        "baseline_days": report.baseline_days,
        "actual_days": report.actual_days,
        "saved": report.saved,
        "ratio": float(report.ratio),
        "ratio_exact": report.ratio,
        "notice_days": report.notice_days,
        "certainty": report.certainty,
        "rules": [
            {
                "rule": r.rule,
                "description": r.description,
                "expected": r.expected,
                "actual": r.actual,
                "passed": r.passed,
            }
            for r in report.rules
        ],
        "schedule": _schedule_data(report.schedule),
        "baseline_schedule": None if report.baseline is None else _schedule_data(report.baseline),
    }


def _sweep_report_data(result: PolicySweepReport, year: int) -> dict[str, Any]:
    s = result.sweep
    counts = result.counts()
    return {
        "policy": result.policy.name,
        "passed": result.passed,
        "verdict": result.verdict,
        "year": year,
        "starts": len(result.outcomes),
        "checked": result.checked,
        "counts": {k: counts[k] for k in ("passed", "failed", "not checked")},
        "not_checked_by_reason": {k: counts[k] for k in NOT_CHECKED_REASONS},
        "certainty": result.certainty,
        "failures": [{"start": d, "rules": list(rules)} for d, rules in result.failures],
        "not_checked": [
            {"start": o.start, "reason": o.reason, "detail": o.detail} for o in result.not_checked
        ],
        "results": [o.to_record() for o in result.outcomes],
        "calendar_days": s.summary("calendar_days") if len(s) else None,
        "first_failure": None
        if result.first_failure is None
        else _report_data(result.first_failure),
    }


def _verdict(passed: bool, failed: Sequence[str], *, word: str = "FAILED") -> str:
    return "verdict: passed" if passed else f"verdict: {word} ({', '.join(failed)})"


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    chart = _chart_target(args.chart)
    policy = _policy(args.policy)
    plan = _plan(args.plan, args)
    baseline = None if args.baseline is None else _plan(args.baseline, args)
    where = str(Path(args.plan))
    if args.start is not None:
        sched = _schedule(plan, args.plan, args.start)
        base_sched = None
        if baseline is not None:
            base_sched = _schedule(baseline, args.baseline, args.start)
        with _where(f"{Path(args.policy)} on {where}"):
            report = policy.check(sched, baseline=base_sched)
        if args.json:
            _emit_json(out, _report_data(report))
        else:
            print("\n".join(_schedule_lines(sched, certainty=False)), file=out)
            print(file=out)
            print(report.explain(), file=out)
            print(_verdict(report.passed, [r.rule for r in report.failed]), file=out)
        if base_sched is not None:
            cmp = compare(base_sched, sched, metric=policy.metric)
            _save_chart(chart, lambda: _plot().plot_comparison(cmp), out, args.json)
        else:
            _save_chart(chart, lambda: _plot().plot_schedule(sched), out, args.json)
        return EXIT_OK if report.passed else EXIT_FAILED
    with _where(f"{Path(args.policy)} on {where}, year {args.year}"):
        result = policy.check_all(plan, year=args.year, baseline=baseline)
    if args.json:
        _emit_json(out, _sweep_report_data(result, args.year))
    else:
        print(result.explain(), file=out)
        # Every start counted once: the verdict line adds up to the first line.
        counts = result.counts()
        total = len(result.outcomes)
        failed = []
        if counts["failed"]:
            rules = sorted({r for _, rs in result.failures for r in rs})
            failed.append(f"{counts['failed']} of {total} starts fail: {', '.join(rules)}")
        if counts["not checked"]:
            why = ", ".join(f"{counts[r]} {r}" for r in NOT_CHECKED_REASONS if counts[r])
            failed.append(f"{counts['not checked']} of {total} starts not checked: {why}")
        word = "FAILED" if counts["failed"] else "NOT PASSED"
        print(_verdict(result.passed, ["; ".join(failed)], word=word), file=out)
    if len(result.sweep):
        _save_chart(chart, lambda: _plot().plot_sweep(result.sweep), out, args.json)
    return EXIT_OK if result.passed else EXIT_FAILED


# -- sweep -------------------------------------------------------------------------------


def _cmd_sweep(args: argparse.Namespace, out: TextIO) -> int:
    chart = _chart_target(args.chart)
    plan = _plan(args.plan, args)
    with _where(f"{Path(args.plan)}, year {args.year}"):
        s: Sweep = sweep(plan, year=args.year)
    summary = {c: s.summary(c) for c in COLUMNS} if len(s) else None
    worst = s.worst(5) if len(s) else []
    if args.json:
        _emit_json(
            out,
            {
                "plan": plan.name,
                "calendar": plan.calendar.name,
                "year": args.year,
                "starts": len(s),
                "summary": summary,
                "worst": worst,
                "uncovered": [{"start": d, "reason": why} for d, why in s.uncovered],
                "certainty": {c: int((s.certainty == c).sum()) for c in CERTAINTIES},
                "results": s.to_records(),
            },
        )
    else:
        name = plan.name or "plan"
        print(
            f"{name}: {len(s)} start dates in {args.year} (the working days of "
            f"{plan.calendar.name}), {len(s.uncovered)} not covered",
            file=out,
        )
        if summary is not None:
            rows = [
                (c.replace("_", " "), v["min"], f"{v['median']:g}", v["max"])
                for c, v in summary.items()
            ]
            for line in _table(["", "min", "median", "max"], rows, right=[1, 2, 3]):
                print(f"  {line}", file=out)
            print(f"longest (calendar days) from: {', '.join(map(str, worst))}", file=out)
            says = _certainty.counts_line(s.certainty.tolist())
            if says is not None:
                print(says, file=out)
        if s.uncovered:
            d, why = s.uncovered[0]
            print(f"first uncovered start: {d}: {why}", file=out)
    if len(s):
        _save_chart(chart, lambda: _plot().plot_sweep(s), out, args.json)
    return EXIT_OK


# -- records -----------------------------------------------------------------------------

_RECORD_COLUMNS = ("case", "stage", "accepted", "completed", "limit", "paused", "resumed")


def _read_csv(path: str, encoding: str | None = None, sheet: str | None = None) -> Any:
    """A CSV file (in ``encoding``) or an ``.xlsx`` workbook (``sheet``), every cell as text."""
    import pandas as pd

    from approval_clock.records import _io as _records_io

    where = Path(path)
    try:
        return _records_io.read_table(path, encoding=encoding, sheet=sheet)
    except FileNotFoundError:
        raise _BadInputError(f"{where}: no such file") from None
    except IsADirectoryError:
        raise _BadInputError(f"{where}: not a regular file (a directory)") from None
    except pd.errors.EmptyDataError:
        raise _BadInputError(f"{where}: empty file, expected CSV with a header row") from None
    except UnicodeDecodeError as e:
        raise _BadInputError(
            f"{where}: not valid {encoding or 'utf-8'} text ({_one_line(str(e))}); "
            f"name the file's encoding with --encoding (GBK exports: --encoding gbk)"
        ) from None
    except LookupError:
        raise _BadInputError(f"--encoding {encoding}: unknown encoding") from None
    except pd.errors.ParserError as e:
        raise _BadInputError(f"{where}: not valid CSV: {_one_line(str(e))}") from None
    except (ValueError, KeyError, OSError) as e:
        if where.suffix.lower() in _records_io.EXCEL_SUFFIXES:
            raise _BadInputError(
                f"{where}: cannot read the workbook: {_one_line(str(e))}"
            ) from None
        raise


def _kpi_text(name: str, value: float) -> str:
    if math.isnan(value):
        return "-"
    if name.endswith("_rate"):
        return f"{value:.1%}"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}"


def _records_rows(frame: Any, columns: Sequence[str]) -> list[list[Any]]:
    import pandas as pd

    rows = []
    for values in frame[list(columns)].itertuples(index=False):
        row: list[Any] = []
        for v in values:
            if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
                row.append(None)
            elif isinstance(v, pd.Timestamp):
                row.append(v.date())
            else:
                row.append(v)
        rows.append(row)
    return rows


def _cmd_records(args: argparse.Namespace, out: TextIO) -> int:
    import warnings

    try:
        from approval_clock.records import analyze
    except ImportError:
        raise _BadInputError(
            "records needs pandas; install it with pip install pandas (the 'pandas' extra; see docs/install.md)"
        ) from None
    cal = _calendar(args.calendar, args)
    stages = _read_csv(args.file, args.encoding, args.sheet)
    pauses = None if args.pauses is None else _read_csv(args.pauses, args.encoding, args.sheet)
    names = {c: getattr(args, c) for c in _RECORD_COLUMNS}
    if args.xlsx is not None and not args.xlsx.lower().endswith(".xlsx"):
        raise _BadInputError(f"--xlsx {args.xlsx}: expected a file name ending in .xlsx")
    if args.xlsx is not None and not Path(args.xlsx).resolve().parent.is_dir():
        raise _BadInputError(f"--xlsx {args.xlsx}: no such directory")
    where = str(Path(args.file)) + ("" if args.pauses is None else f" with {Path(args.pauses)}")
    with _where(where), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result: Analysis = analyze(
            stages,
            calendar=cal,
            pauses=pauses,
            as_of=args.as_of,
            warn_within=args.warn_within,
            date_format=args.date_format,
            dayfirst=args.dayfirst,
            excel_serial=args.excel_serial,
            open_values=args.open_value or (),
            normalize_ids=args.normalize_ids,
            limit_unit=args.limit_unit,
            limit_unit_column=args.limit_unit_column,
            **names,
        )
    for w in caught:
        print(f"{_PROG}: warning: {where}: {_one_line(str(w.message))}", file=sys.stderr)
    if args.xlsx is not None:
        with _where(f"--xlsx {args.xlsx}"):
            result.to_excel(args.xlsx, by=args.by or None)
    kpis = result.kpis()
    over = result.overdue()
    c, s = names["case"], names["stage"]
    over_cols = [c, s, names["accepted"], names["completed"], "deadline", "elapsed", "limit_days"]
    over_cols += ["days_overdue", "status", "certainty"]
    shown = over if args.top == 0 else over.head(args.top)
    rejected_cols = [c, s, "reason", "column"]
    if args.json:
        _emit_json(
            out,
            {
                "file": str(Path(args.file)),
                "calendar": cal.name,
                "as_of": result.as_of,
                "rows": len(stages),
                "accepted_rows": len(result.stages),
                "rejected_rows": len(result.rejected),
                "certainty": result.certainty,
                "kpis": kpis,
                "overdue": [
                    dict(zip(over_cols, row, strict=True)) for row in _records_rows(over, over_cols)
                ],
                "rejected": [
                    {"index": i, **dict(zip(rejected_cols, row, strict=True))}
                    for i, row in zip(
                        result.rejected.index.tolist(),
                        _records_rows(result.rejected, rejected_cols),
                        strict=True,
                    )
                ],
            },
        )
        return EXIT_OK
    when = f", as of {result.as_of}" if result.as_of is not None else ""
    print(
        f"{Path(args.file)}: {len(stages)} stage rows, {len(result.rejected)} rejected"
        f"{when} ({cal.name})",
        file=out,
    )
    says = _certainty_line(result.certainty, cal)
    if says is not None:
        print(says, file=out)
    print("KPIs:", file=out)
    kpi_rows = [(k, _kpi_text(k, v)) for k, v in kpis.items()]
    for line in _table(["", ""], kpi_rows, right=[1])[1:]:
        print(f"  {line}", file=out)
    more = f", the first {len(shown)}" if len(shown) < len(over) else ""
    print(f"overdue stages: {len(over)} (most working days overdue first{more})", file=out)
    if len(shown):
        headers = ["case", "stage", "accepted", "completed", "deadline", "elapsed", "limit"]
        headers += ["overdue", "status"]
        rows = _records_rows(shown, over_cols[:-1])  # certainty: the line above, and --json
        for line in _table(headers, rows, right=[5, 6, 7]):
            print(f"  {line}", file=out)
    if len(result.rejected):
        print(f"rejected rows: {len(result.rejected)}", file=out)
        rows = [
            [i, *row]
            for i, row in zip(
                result.rejected.index.tolist(),
                _records_rows(result.rejected, rejected_cols),
                strict=True,
            )
        ]
        for line in _table(["row", "case", "stage", "reason", "column"], rows, right=[0]):
            print(f"  {line}", file=out)
    return EXIT_OK


# -- the parser --------------------------------------------------------------------------


def _parser() -> _Parser:
    parser = _Parser(
        prog=_PROG,
        description="Government approval timelines on working-day calendars.",
        epilog="Exit codes: 0 done or passed, 1 a policy check failed, 2 bad input.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help: str, run: Callable[[argparse.Namespace, TextIO], int]) -> Any:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
        p.add_argument(
            "--notice",
            metavar="FILE",
            action="append",
            help="apply a holiday notice (TOML, or holiday-cn JSON) to the mainland calendar; "
            "repeatable, in order",
        )
        p.add_argument(
            "--project",
            metavar="RULE",
            choices=("statutory", "forecast", "weekends"),
            help="project past the last notice: statutory (the holidays fixed by law), "
            "forecast (plus the expected bridge and makeup days) or weekends",
        )
        p.add_argument(
            "--until",
            metavar="DATE",
            type=_date,
            help="project up to DATE (default: 31 December two years after the last notice)",
        )
        p.set_defaults(run=run)
        return p

    def chart(p: Any) -> None:
        p.add_argument(
            "--chart", metavar="FILE", help="write the chart to FILE (.png, .svg or .pdf)"
        )

    cal_help = (
        "calendar code or file (default CN: mainland China's official arrangements; "
        "a .toml calendar or notice file, or a holiday-cn .json file)"
    )

    p = command("calendar", "a year's holidays and makeup working days", _cmd_calendar)
    p.add_argument(
        "code", metavar="CODE", help="CN, a workalendar code such as FR, HK, or a calendar file"
    )
    p.add_argument("year", metavar="YEAR", type=_year)
    p.add_argument("--check", metavar="DATE", type=_date, help="say whether DATE is a working day")
    p.add_argument(
        "--format",
        choices=_CALENDAR_FORMATS,
        help="text (the default), json (the same as --json), holiday-cn (the year's notice "
        "days as holiday-cn's JSON file) or ics (an iCalendar of the year's holidays)",
    )
    p.add_argument(
        "--lang",
        choices=("en", "zh"),
        help="the language of the names in the text and json output (default en)",
    )

    p = command("count", "working days from A to B, both ends counted", _cmd_count)
    p.add_argument("first", metavar="A", type=_date)
    p.add_argument("last", metavar="B", type=_date)
    p.add_argument("--calendar", default="CN", help=cal_help)

    p = command("deadline", "the day a period ends: 20wd, 10cd, 3mo", _cmd_deadline)
    p.add_argument("date", metavar="DATE", type=_date)
    p.add_argument("duration", metavar="DURATION", type=_duration, help="20wd, 10cd or 3mo")
    p.add_argument("--calendar", default="CN", help=cal_help)

    p = command("schedule", "a plan file scheduled from a start date", _cmd_schedule)
    p.add_argument("plan", metavar="PLAN.toml")
    p.add_argument("--start", metavar="DATE", type=_date, required=True)
    chart(p)

    p = command("compare", "a baseline plan against a reform plan", _cmd_compare)
    p.add_argument("baseline", metavar="BASELINE.toml")
    p.add_argument("reform", metavar="REFORM.toml")
    p.add_argument("--start", metavar="DATE", type=_date, required=True)
    p.add_argument("--metric", choices=METRICS, default="approval_days")
    chart(p)

    p = command("check", "a policy checked against a plan", _cmd_check)
    p.add_argument("policy", metavar="POLICY.toml")
    p.add_argument("plan", metavar="PLAN.toml")
    p.add_argument("--baseline", metavar="BASELINE.toml", help="the process before the reform")
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--start", metavar="DATE", type=_date, help="check one start date")
    when.add_argument("--year", metavar="YEAR", type=_year, help="check every start of YEAR")
    chart(p)

    p = command("sweep", "a plan scheduled from every working day of a year", _cmd_sweep)
    p.add_argument("plan", metavar="PLAN.toml")
    p.add_argument("--year", metavar="YEAR", type=_year, required=True)
    chart(p)

    p = command("records", "KPIs and the overdue list of approval records", _cmd_records)
    p.add_argument("file", metavar="FILE.csv", help="one row per (case, stage); .csv or .xlsx")
    p.add_argument("--calendar", default="CN", help=cal_help)
    p.add_argument("--as-of", metavar="DATE", type=_date, help="measure open stages up to DATE")
    p.add_argument(
        "--pauses", metavar="PAUSES.csv", help="clock pauses: case, stage, paused, resumed"
    )
    p.add_argument(
        "--warn-within", metavar="N", type=_whole, default=3, help="warn N working days ahead"
    )
    p.add_argument(
        "--top", metavar="N", type=_whole, default=20, help="overdue stages to list (0: all)"
    )
    for column in _RECORD_COLUMNS:
        p.add_argument(f"--{column}", default=column, metavar="COLUMN", help=f"the {column} column")
    p.add_argument(
        "--encoding", metavar="NAME", help="the CSV files' encoding (default utf-8; gbk)"
    )
    p.add_argument("--sheet", metavar="NAME", help="the sheet of .xlsx files (default: the first)")
    p.add_argument(
        "--date-format", metavar="FORMAT", help="strptime format of dates: %%Y年%%m月%%d日"
    )
    p.add_argument(
        "--dayfirst", action="store_true", help="read dates such as 18/08/2021 day first"
    )
    p.add_argument(
        "--excel-serial", action="store_true", help="numbers in date columns are Excel days"
    )
    p.add_argument(
        "--open-value",
        metavar="TEXT",
        action="append",
        help="a completion text meaning open: 未办结",
    )
    p.add_argument(
        "--normalize-ids",
        metavar="STEP",
        action="append",
        choices=("strip", "case", "width"),
        help="normalise text ids before matching: strip, case, width (repeatable)",
    )
    p.add_argument(
        "--limit-unit", choices=("wd", "cd"), default="wd", help="unit of the limits (default wd)"
    )
    p.add_argument("--limit-unit-column", metavar="COLUMN", help="a column of per-row limit units")
    p.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the Excel report to OUT.xlsx")
    p.add_argument(
        "--by", metavar="COLUMN", action="append", help="KPIs by this column in --xlsx (repeatable)"
    )
    return parser


class _OutputError(Exception):
    """Standard output cannot take the answer (closed, full): not the input's fault."""


class _Output(io.TextIOBase):
    """Standard output as the commands write to it: text its encoding cannot hold is
    escaped (``\\u56fd``) instead of raising, and a failed write is an
    :class:`_OutputError` (or a ``BrokenPipeError``, for ``| head``)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        try:
            try:
                return self._stream.write(text)
            except UnicodeEncodeError:
                enc = self.encoding
                return self._stream.write(text.encode(enc, "backslashreplace").decode(enc))
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as e:  # ValueError: the stream was closed
            raise _OutputError(_why(e)) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as e:
            raise _OutputError(_why(e)) from None


def _why(e: BaseException) -> str:
    return (e.strerror if isinstance(e, OSError) else None) or str(e) or type(e).__name__


def _wants_json(argv: Sequence[str], args: argparse.Namespace | None) -> bool:
    """Whether the output asked for is JSON (from the parsed arguments, or the words)."""
    if args is not None:
        return bool(getattr(args, "json", False)) or getattr(args, "format", None) == "json"
    words = list(argv)
    pairs = itertools.pairwise(words)
    return (
        "--json" in words
        or "--format=json" in words
        or any(a == "--format" and b == "json" for a, b in pairs)
    )


def _quiet_broken_pipe() -> None:
    """Point standard output at /dev/null, so that Python's own flush at exit stays quiet."""
    try:
        fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else -1
        if fd >= 0 and sys.stdout is sys.__stdout__:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, fd)
            os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _say(message: str) -> None:
    """One line on stderr, if there is a stderr to say it on."""
    if sys.stderr is not None:
        try:
            print(message, file=sys.stderr)
            sys.stderr.flush()
        except (OSError, ValueError):
            pass


def main(argv: list[str] | None = None) -> int:
    """Run the command with ``argv`` (default ``sys.argv[1:]``); return the exit code.

    Never raises and never prints a traceback: every outcome is an exit code (see
    the module docstring) and at most one line on stderr.

    >>> main(["calendar", "CN", "2021", "--check", "2021-10-09"])
    2021-10-09 Saturday: working day (makeup working day for National Day), Mainland China
    0
    >>> main(["deadline", "2021-09-28", "20 weeks"])
    2
    """
    words = sys.argv[1:] if argv is None else argv
    if sys.stdout is None:  # started with stdout closed (`>&-`): the answer would be lost
        _say(f"{_PROG}: error: standard output is closed; nowhere to write the answer")
        return EXIT_OUTPUT
    out = cast(TextIO, _Output(sys.stdout))
    args: argparse.Namespace | None = None
    try:
        try:
            args = _parser().parse_args(words)
            with _advice.spoken_by("cli"):  # the library's advice in the CLI's words
                code: int = args.run(args, out)
            out.flush()
            return code
        except _BadInputError as e:
            message = _one_line(str(e))
            if not message.startswith(_PROG):
                message = f"{_PROG}: error: {message}"
        except ApprovalClockError as e:
            message = f"{_PROG}: error: {_one_line(str(e))}"
        except _OutputError:
            raise
        except BrokenPipeError:
            raise
        except OSError as e:
            name = f"{e.filename}: " if e.filename else ""
            message = f"{_PROG}: error: {name}{_one_line(e.strerror or str(e))}"
        except SystemExit as e:  # --help and --version
            out.flush()
            return e.code if isinstance(e.code, int) else EXIT_OK
        if _wants_json(words, args):
            what = message.removeprefix(f"{_PROG}: error: ")
            _emit_json(out, {"error": what, "exit_code": EXIT_BAD_INPUT})
            out.flush()
        _say(message)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        _quiet_broken_pipe()
        return EXIT_BROKEN_PIPE
    except _OutputError as e:
        _say(f"{_PROG}: error: cannot write the output ({_one_line(str(e))})")
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        _say(f"{_PROG}: interrupted")
        return EXIT_INTERRUPTED
    except Exception as e:
        if os.environ.get("APPROVAL_CLOCK_TRACEBACK"):
            raise
        _say(
            f"{_PROG}: internal error: {type(e).__name__}: {_one_line(str(e))[:300]} (a bug "
            f"in approval-clock: please report it with the command line; "
            f"APPROVAL_CLOCK_TRACEBACK=1 shows the traceback)"
        )
        return EXIT_INTERNAL

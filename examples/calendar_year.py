"""Print a year of the mainland China working-day calendar and a few statutory deadlines.

Run: ``python examples/calendar_year.py [YEAR]`` (default 2026). Uses only the
calendar shipped with approval_clock (the State Council notices, 2004-2026).
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from itertools import groupby

from approval_clock import CalendarDays, CalendarMonths, WorkingDays, calendars


def main(year: int) -> None:
    cn = calendars.get("CN")
    first, last = date(year, 1, 1), date(year, 12, 31)
    print(f"{cn.name}, {year}: {cn.count(first, last)} working days")
    print(f"(calendar covers {cn.coverage[0]} .. {cn.coverage[1]})\n")

    print("Holidays (rest periods as the notice states them):")
    rest = {d: why for d, why in cn.rest_days(first, last).items() if why != "weekend"}
    for name, days in groupby(sorted(rest), key=rest.__getitem__):
        run = list(days)
        span = f"{run[0]:%m-%d}" if len(run) == 1 else f"{run[0]:%m-%d} .. {run[-1]:%m-%d}"
        print(f"  {span:<16} {name} ({len(run)} day{'s' if len(run) > 1 else ''} off)")

    print("\nMakeup working days (weekend days worked, 调休上班):")
    d = first
    while d <= last:
        if d.weekday() >= 5 and cn.is_working_day(d):
            print(f"  {d:%m-%d} {d:%a}  {cn.describe(d)}")
        d += timedelta(days=1)

    print("\nDeadlines (the day of acceptance is not counted; Civil Code art. 201):")
    examples = [
        (date(year, 9, 28), WorkingDays(20), "20 working days (ALA art. 42)"),
        (date(year, 2, 10), WorkingDays(5), "5 working days across Spring Festival"),
        (date(year, 9, 21), CalendarDays(10), "10 calendar days, rolled past a holiday (art. 203)"),
        (date(year, 1, 31), CalendarMonths(1), "1 month from 31 January (art. 202)"),
    ]
    for start, duration, what in examples:
        end = cn.deadline(start, duration)
        print(f"  {start} + {duration!s:<5} -> {end} ({cn.describe(end)}): {what}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2026)

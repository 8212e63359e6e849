"""Back-test the projection rules against the notices: the table of docs/next-notice.md.

For each year Y, the mainland calendar is built from the notices through Y-1
only (``calendars.get("CN", notices_through=Y-1)``), projected through Y with
``rule="statutory"`` and ``rule="forecast"``, and compared with the calendar
of the real notices on the days notice Y governs (29 December of Y-1 to 28
December of Y; the last days of December belong to the next notice). Counted:
the days where the real arrangement differs from plain weekends (rest
weekdays and worked weekend days), how many of them each rule gets right, and
the days a rule changes that the notice left as plain weekdays or weekends
("false").

Run: ``python tools/backtest_projection.py`` (prints a Markdown table).
"""

from __future__ import annotations

from datetime import date, timedelta

from approval_clock import calendars


def governed(year: int) -> list[date]:
    first = date(year - 1, 12, 29)
    return [first + timedelta(days=k) for k in range((date(year, 12, 28) - first).days + 1)]


def row(year: int) -> dict[str, object]:
    real = calendars.get("CN")
    days = governed(year)
    changed = [d for d in days if real.is_working_day(d) != (d.weekday() < 5)]
    out: dict[str, object] = {"year": year, "changed": len(changed)}
    for rule in ("statutory", "forecast"):
        cal = calendars.get("CN", notices_through=year - 1).extended(
            until=date(year, 12, 31),
            rule=rule,  # type: ignore[arg-type]
        )
        right = [d for d in changed if cal.is_working_day(d) == real.is_working_day(d)]
        false = [d for d in days if d not in changed and cal.is_working_day(d) != (d.weekday() < 5)]
        out[rule] = (len(right), len(false))
        if rule == "forecast":
            out["missed"] = [d for d in changed if d not in right]
            out["false_days"] = false
    return out


def table(years: range = range(2005, 2027)) -> str:
    lines = [
        "| year | changed days | statutory: right | false | forecast: right | false "
        "| forecast missed / false (MM-DD) |",
        "|---:|---:|---:|---:|---:|---:|:---|",
    ]
    totals = {"changed": 0, "statutory": 0, "s_false": 0, "forecast": 0, "false": 0}
    for year in years:
        r = row(year)
        n = int(r["changed"])  # type: ignore[call-overload]
        (s_right, s_false), (f_right, f_false) = r["statutory"], r["forecast"]  # type: ignore[misc]
        missed = ", ".join(d.strftime("%m-%d") for d in r["missed"])  # type: ignore[attr-defined]
        false = ", ".join(d.strftime("%m-%d") for d in r["false_days"])  # type: ignore[attr-defined]
        detail = "; ".join(
            x for x in (missed and f"missed {missed}", false and f"false {false}") if x
        )
        lines.append(
            f"| {year} | {n} | {s_right} ({s_right / n:.0%}) | {s_false} "
            f"| {f_right} ({f_right / n:.0%}) | {f_false} | {detail} |"
        )
        totals["changed"] += n
        totals["statutory"] += s_right
        totals["s_false"] += s_false
        totals["forecast"] += f_right
        totals["false"] += f_false
    n = totals["changed"]
    lines.append(
        f"| all | {n} | {totals['statutory']} ({totals['statutory'] / n:.0%}) "
        f"| {totals['s_false']} | {totals['forecast']} ({totals['forecast'] / n:.0%}) "
        f"| {totals['false']} | |"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())

"""The reference case: does the 拿地即开工 reform meet its target, for every start, and why?

Run: ``python examples/huludao/check.py``

1. The policy check: 85 -> 45 working days, 40 saved, 47.1% >= 45%, the
   compressible part 50 -> 10 (the 35-working-day notice cannot be compressed).
2. Eligibility of a project against the published conditions.
3. Two reforms that miss: one day too long; a notice shortened below 35 days.
4. Sweeps over every working day of 2021 and 2026: how many calendar days the 45
   working days take, and which starts cross Spring Festival or National Day.
5. The press record: land delisted 2021-08-18, planning permit 2021-08-26,
   construction permit 2021-09-10: 7 and 18 working days as the press counts.

Only the totals and the notice come from the source; the per-stage durations in
``baseline.toml`` and ``reform.toml`` are assumptions (see those files).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from approval_clock import Link, Plan, Policy, Schedule, Stage, calendars, compare

HERE = Path(__file__).parent
START = date(2021, 6, 1)  # an assumed start: Tuesday 1 June 2021


def runs(days: list[date]) -> str:
    """Dates grouped into runs with no gap longer than a week: '01-04 .. 02-10 (30)'."""
    groups: list[list[date]] = []
    for d in days:
        if groups and (d - groups[-1][-1]).days <= 7:
            groups[-1].append(d)
        else:
            groups.append([d])
    return ", ".join(f"{g[0]} .. {g[-1]} ({len(g)})" for g in groups)


def table(sched: Schedule) -> str:
    rows = [f"  {'stage':<20} {'start':<10}  {'finish':<10}  {'days':>4}  critical"]
    for s in sched:
        rows.append(
            f"  {s.id:<20} {s.start}  {s.finish}  {s.working_days:>4}  "
            f"{'yes' if s.critical else ''}"
        )
    return "\n".join(rows)


def main() -> None:
    policy = Policy.from_toml(HERE / "policy.toml")
    baseline = Plan.from_toml(HERE / "baseline.toml")
    reform = Plan.from_toml(HERE / "reform.toml")

    print(f"== 1. Policy check, start {START}\n")
    report = policy.check(reform, baseline=baseline, start=START)
    print(table(report.schedule))
    print()
    print(report.explain())
    print()
    print(compare(baseline, reform, start=START).explain())

    print("\n== 2. Eligibility\n")
    facts = {
        "pilot_zone": True,
        "project_type": "new general industrial, invested by society",
        "state_owned_construction_land": True,
        "utilities_complete": True,
        "sole_bidder": True,
        "regulatory_plan_approved": True,
        # procedures_done_before_permit: not known yet
    }
    print(policy.eligibility(facts).explain())

    print("\n== 3. Reforms that miss\n")
    # with_stage_changes keeps what is not changed (the notice stays a notice).
    slower = reform.with_stage_changes("registration", duration=6)
    print(policy.check(slower, baseline=baseline, start=START).explain())
    print()
    short_notice = reform.with_stage_changes("land_notice", duration=30)
    print(policy.check(short_notice, baseline=baseline, start=START).explain())
    print()
    # Two overlapping 20-day notices cover 35 working days, but a statutory notice
    # is one uninterrupted notice stage: the notice rule fails.
    split = reform.with_stage_changes("land_notice", duration=20).with_stage(
        Stage("land_notice_2", 20, kind="notice", name="出让公示 (second part)"),
        [Link("land_notice", "land_notice_2", "SS", 15), Link("land_notice_2", "land_contract")],
    )
    print(policy.check(split, baseline=baseline, start=START).explain())

    print("\n== 4. Every start date of 2021 and 2026\n")
    cn = calendars.get("CN")
    for year, plan in (
        (2021, reform),
        # Starts late in 2026 finish in 2027, past the official notices: project
        # explicitly, and the results that rest on the projection say so.
        (2026, reform.with_calendar(cn.extended(until=date(2027, 12, 31)))),
    ):
        result = policy.check_all(plan, year=year, baseline=baseline.with_calendar(plan.calendar))
        s = result.sweep
        c = s.summary("calendar_days")
        # Every start counted once: passed, failed, or not checked with the reason
        # (results on the projected 2027 calendar are forecasts, not verdicts).
        print(result.summary_line())
        print(
            f"{year}: {len(s)} starts, {s.approval_days[0]} approval days each; "
            f"calendar days min {c['min']}, median {c['median']:g}, max {c['max']}"
        )
        print(f"  longest from: {', '.join(str(d) for d in s.worst(3))}")
        for holiday in ("Spring Festival", "National Day"):
            crossing = s.crossing(holiday)
            print(f"  {len(crossing)} starts cross {holiday}: {runs(crossing) or '-'}")
        provisional = int(s.provisional.sum())
        if provisional:
            print(f"  {provisional} results rest on the projected 2027 calendar (provisional)")

    print("\n== 5. The press record\n")
    delisted, planning, construction = date(2021, 8, 18), date(2021, 8, 26), date(2021, 9, 10)
    print(
        f"land delisted {delisted}, planning permit {planning}: {cn.count(delisted, planning)} working days"
    )
    print(
        f"land delisted {delisted}, construction permit {construction}: "
        f"{cn.count(delisted, construction)} working days (both ends counted, as the press does)"
    )


if __name__ == "__main__":
    main()

"""The "land in hand, start building" reform (拿地即开工), scheduled on the CN calendar.

Run: ``python examples/reform_plan.py``

The baseline process is read from ``reform_plan.toml`` (next to this file); the
reform is written as rule changes to it:

* shorter stages for the land-use-right registration and the two permits;
* 容缺受理 (accepting an application with documents still missing): the planning
  and construction permits are accepted together with the registration (an SS
  link) and issued no earlier than it is done (an FF link);
* 三证齐发 (the certificates issued together): FF links among the permits.

What the source gives and what is assumed: the source (DESIGN.md) gives only
totals — 85 working days before the reform, 45 after, the 45 including a
statutory public notice of 35 working days. The 35-working-day notice is given;
EVERY OTHER PER-STAGE DURATION here (project generation 3, design scheme review
10 then 5, land transfer 2, registration 10 then 5, planning permit 20 then 3,
construction permit 15 then 5 working days) is an assumption chosen to add up to
the published totals. The start date is an assumption too.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from approval_clock import Link, Plan, Schedule, Stage

START = date(2021, 6, 1)  # assumed: a project generated on Tuesday 1 June 2021


def reform(baseline: Plan) -> Plan:
    """The reform as rule changes to the baseline plan."""
    return (
        baseline.replace_stage(Stage("design", 5, name=baseline.stage("design").name))
        .replace_stage(Stage("registration", 5, name=baseline.stage("registration").name))
        .replace_stage(Stage("planning_permit", 3, name=baseline.stage("planning_permit").name))
        .replace_stage(
            Stage("construction_permit", 5, name=baseline.stage("construction_permit").name)
        )
        # 容缺受理 for the planning permit: accepted with the registration, issued after it.
        .without_link(Link("registration", "planning_permit"))
        .with_link(Link("registration", "planning_permit", "SS"))
        .with_link(Link("registration", "planning_permit", "FF"))
        # 容缺受理 for the construction permit, and 三证齐发: issued with the others.
        .without_link(Link("planning_permit", "construction_permit"))
        .with_link(Link("registration", "construction_permit", "SS"))
        .with_link(Link("registration", "construction_permit", "FF"))
        .with_link(Link("planning_permit", "construction_permit", "FF"))
    )


def show(title: str, sched: Schedule) -> None:
    print(f"{title}: {sched.start} .. {sched.finish}")
    head = ("stage", "start", "finish", "dur", "wd", "clock", "float")
    print("  {:<20} {:<10}  {:<10}  {:>5}  {:>3}  {:>5}  {:>5}  name".format(*head))
    for s in sched:
        clock = s.working_days if s.counts else 0
        mark = "*" if s.critical else " "
        print(
            f"{mark} {s.id:<20} {s.start}  {s.finish}  {s.duration!s:>5}  "
            f"{s.working_days:>3}  {clock:>5}  {s.total_float:>5}  {s.name}"
        )
    print(
        f"  duration {sched.duration} working days ({sched.calendar_days} calendar days), "
        f"approval clock {sched.approval_days} working days"
        + (" [provisional]" if sched.provisional else "")
    )
    print()


def main() -> None:
    baseline = Plan.from_toml(Path(__file__).with_name("reform_plan.toml"))
    after = reform(baseline)
    before_s = baseline.schedule(start=START)
    after_s = after.schedule(start=START)
    print("wd: working days of the stage; clock: days it counts on the approval clock;")
    print("float: working days it can slip without delaying the end; * critical\n")
    show("Before the reform", before_s)
    show("After the reform (容缺受理, 三证齐发)", after_s)
    cut = 1 - after_s.duration / before_s.duration
    print(
        f"{before_s.duration} -> {after_s.duration} working days: {cut:.0%} shorter "
        f"(target: 45% or more: {'met' if cut >= 0.45 else 'NOT met'})"
    )
    print()
    print(after_s.explain("construction_permit"))


if __name__ == "__main__":
    main()

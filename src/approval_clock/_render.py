"""The text summaries of results, written once for every place that shows them.

The command line prints these lines and the notebook views (``_html``) put them
above their tables, so a figure added here shows in both. Each function takes a
result and returns lines of plain text. (The ``explain()`` methods of the
results write their own, longer account, in the layer below.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from approval_clock.plans.schedule import Schedule

__all__ = ["schedule_figures"]


def schedule_figures(sched: Schedule) -> list[str]:
    """Duration, approval clock, critical path and missed deadlines of a schedule.

    >>> from datetime import date
    >>> from approval_clock import Plan, Stage, Link, calendars
    >>> plan = Plan([Stage("a", 5), Stage("n", 10, kind="notice")], [Link("a", "n")],
    ...             calendar=calendars.get("CN"))
    >>> print("\\n".join(schedule_figures(plan.schedule(date(2021, 6, 1)))))
    duration: 15 working days, 2021-06-01 .. 2021-06-22 (22 calendar days)
    approval clock: 15 working days (10 in notice windows)
    critical path: a, n
    """
    notice = sched.days_in_progress(["notice"])
    lines = [
        f"duration: {sched.duration} working days, {sched.start} .. {sched.finish} "
        f"({sched.calendar_days} calendar days)",
        f"approval clock: {sched.approval_days} working days"
        + (f" ({notice} in notice windows)" if notice else ""),
        "critical path: " + ", ".join(sched.critical_path),
    ]
    for sid in sched.missed_deadlines:
        st = sched[sid]
        lines.append(
            f"finish by {st.stage.finish_by} MISSED: {sid} finishes {st.finish} "
            f"(total float {st.total_float})"
        )
    return lines

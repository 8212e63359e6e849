"""Charts: a schedule as a Gantt chart, a comparison, the spread of a sweep.

* :func:`plot_schedule` (``sched.plot()``): one bar per stage on a date axis,
  from the first to the last day it is in progress; rest days of the plan
  calendar shaded; critical stages in :data:`CRITICAL_COLOR`; statutory notice
  windows hatched, stages that do not count on the approval clock (the
  applicant's own work, special procedures) pale and dotted; milestones as
  diamonds; links as arrows (FS from finish to start, SS start to start, FF
  finish to finish).
* :func:`plot_comparison` (``comparison.plot()``): the baseline above the reform,
  on one shared date axis.
* :func:`plot_sweep` (``sweep.plot()``): calendar days (or another column) for
  every start date, with the calendar's holidays shaded.

Each function returns the matplotlib ``Axes`` it drew on (an array of two for a
comparison), so that callers can add to the chart or save its figure. matplotlib
is an extra (``pip install 'approval-clock[plot]'``); ``import approval_clock``
does not import it, only this module does.

Stage labels are stage ids by default: ids are short and plain, while names are
often Chinese, which needs a font with CJK glyphs (``label="name"`` and, for
example, ``matplotlib.rcParams["font.sans-serif"] = ["Noto Sans CJK SC"]``).
"""

from __future__ import annotations

try:
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
except ImportError as e:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "approval_clock.plot needs matplotlib; install it with pip install 'approval-clock[plot]'"
    ) from e

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from approval_clock.errors import PolicyError

if TYPE_CHECKING:
    from approval_clock.calendar import WorkCalendar
    from approval_clock.comparison import Comparison
    from approval_clock.schedule import Schedule
    from approval_clock.sweeps import Column, Sweep

__all__ = [
    "CRITICAL_COLOR",
    "HATCHES",
    "KIND_COLORS",
    "LINK_COLOR",
    "REST_DAY_COLOR",
    "plot_comparison",
    "plot_schedule",
    "plot_sweep",
]

CRITICAL_COLOR = "#c0392b"
"""Face colour of the bars of critical stages (any kind): a strong red."""

KIND_COLORS = {
    "work": "#4c72b0",
    "notice": "#e39c4f",
    "applicant": "#d5d8dc",
    "special": "#b5a8c9",
}
"""Face colour of the bars of non-critical stages, by stage kind.

The two kinds that do not count on the approval clock (``applicant``,
``special``) are pale.
"""

HATCHES = {"work": "", "notice": "////", "applicant": "....", "special": "xxx"}
"""Hatch of the bars by stage kind, kept on critical bars too: a critical notice
window is red *and* hatched."""

REST_DAY_COLOR = "#ececec"
"""Shading of the plan calendar's rest days (weekends, holidays)."""

LINK_COLOR = "#4d4d4d"
"""Colour of the link arrows."""

_BAR_HEIGHT = 0.6


def _day(d: date) -> float:
    """The matplotlib date number of the start (midnight) of day ``d``."""
    return float(mdates.date2num(d))  # type: ignore[no-untyped-call]


def _date_axis(ax: Axes, **locator: int) -> None:
    """Concise date ticks on the x axis."""
    ax.xaxis_date()
    auto = mdates.AutoDateLocator(**locator)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(auto)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(auto))  # type: ignore[no-untyped-call]


def _xlim(first: date, last: date) -> tuple[float, float]:
    """The x range for days ``first`` .. ``last``, with room for the labels after the bars."""
    days = (last - first).days + 1
    return _day(first) - 1.5, _day(last + timedelta(days=1)) + max(5.0, 0.06 * days)


def _new_axes(width: float, height: float) -> Axes:
    fig = plt.figure(figsize=(width, height), layout="constrained")
    return fig.add_subplot()


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Sorted days merged into runs of consecutive days: ``[(first, last), ...]``."""
    out: list[tuple[date, date]] = []
    for d in days:
        if out and (d - out[-1][1]).days == 1:
            out[-1] = (out[-1][0], d)
        else:
            out.append((d, d))
    return out


def _shade_rest_days(ax: Axes, cal: WorkCalendar, first: date, last: date) -> None:
    lo, hi = max(first, cal.coverage[0]), min(last, cal.coverage[1])
    if lo > hi:
        return
    for a, b in _runs(sorted(cal.rest_days(lo, hi))):
        ax.axvspan(
            _day(a),
            _day(b + timedelta(days=1)),
            color=REST_DAY_COLOR,
            zorder=0,
            linewidth=0,
            gid="rest",
        )


def _legend(ax: Axes, kinds: set[str], critical: bool, milestones: bool) -> None:
    handles: list[Any] = []
    if critical:
        handles.append(Patch(facecolor=CRITICAL_COLOR, label="critical"))
    labels = {
        "work": "work",
        "notice": "notice window",
        "applicant": "applicant (clock stopped)",
        "special": "special procedure (clock stopped)",
    }
    for kind in ("work", "notice", "applicant", "special"):
        if kind in kinds:
            handles.append(
                Patch(
                    facecolor=KIND_COLORS[kind],
                    hatch=HATCHES[kind],
                    edgecolor="#555555",
                    label=labels[kind],
                )
            )
    if milestones:
        handles.append(Line2D([], [], marker="D", linestyle="", color="#333333", label="milestone"))
    handles.append(Patch(facecolor=REST_DAY_COLOR, label="rest day"))
    ax.legend(handles=handles, loc="upper right", fontsize="small", framealpha=0.9)


def plot_schedule(
    sched: Schedule,
    ax: Axes | None = None,
    *,
    label: Literal["id", "name"] = "id",
    links: bool = True,
    legend: bool = True,
    title: str | None = None,
) -> Axes:
    """Draw a schedule as a Gantt chart and return the ``Axes``.

    Args:
        sched: the :class:`~approval_clock.Schedule`.
        ax: the Axes to draw on; a new figure when ``None``.
        label: label the bars with stage ``"id"`` (default) or ``"name"``.
        links: draw the links as arrows.
        legend: add a legend of the colours.
        title: the title; by default the plan's name and its figures.

    Bars run from the start of a stage's first day to the end of its last day.
    Each bar is a ``Rectangle`` in ``ax.patches`` with ``gid`` ``"stage:<id>"``, so
    that code (and tests) can find it.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from datetime import date
    >>> from approval_clock import Plan, Stage, Link, calendars
    >>> plan = Plan(stages=[Stage("notice", 5, kind="notice"), Stage("review", 3)],
    ...             links=[Link("notice", "review")], calendar=calendars.get("CN"))
    >>> ax = plot_schedule(plan.schedule(start=date(2021, 9, 27)))
    >>> bars = {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").startswith("stage:")}
    >>> sorted(bars), matplotlib.colors.to_hex(bars["stage:review"].get_facecolor())
    (['stage:notice', 'stage:review'], '#c0392b')
    >>> plt.close(ax.figure)
    """
    stages = list(sched)
    if ax is None:
        ax = _new_axes(10, 1.4 + 0.45 * max(len(stages), 1))
    row = {s.id: k for k, s in enumerate(stages)}
    first = min([sched.start] + [s.start for s in stages])
    last = max([sched.finish] + [s.finish for s in stages])
    _shade_rest_days(ax, sched.plan.calendar, first - timedelta(days=2), last + timedelta(days=2))

    kinds: set[str] = set()
    any_critical = False
    milestones = False
    for s in stages:
        y = row[s.id]
        color = CRITICAL_COLOR if s.critical else KIND_COLORS[s.kind]
        any_critical |= s.critical
        kinds.add(s.kind)
        if s.stage.is_milestone:
            milestones = True
            ax.plot(
                [_day(s.start)],
                [y],
                marker="D",
                markersize=9,
                color=color,
                markeredgecolor="#333333",
                zorder=3,
                gid=f"milestone:{s.id}",
            )
            continue
        left = _day(s.start)
        width = _day(s.finish + timedelta(days=1)) - left
        (bar,) = ax.barh(
            y,
            width,
            left=left,
            height=_BAR_HEIGHT,
            color=color,
            hatch=HATCHES[s.kind],
            edgecolor="#333333" if s.counts else "#777777",
            linewidth=0.8,
            linestyle="-" if s.counts else "--",
            zorder=2,
        )
        bar.set_gid(f"stage:{s.id}")
        ax.text(
            left + width + 0.4,
            y,
            f"{s.working_days}wd" if s.stage.duration.suffix == "wd" else str(s.duration),
            va="center",
            fontsize="x-small",
            color="#333333",
            zorder=4,
        )

    if links:
        for link in sched.plan.links:
            p, q = sched[link.predecessor], sched[link.successor]
            p_end = (
                _day(p.finish + timedelta(days=1)) if not p.stage.is_milestone else _day(p.start)
            )
            q_end = (
                _day(q.finish + timedelta(days=1)) if not q.stage.is_milestone else _day(q.start)
            )
            x0 = _day(p.start) if link.kind == "SS" else p_end
            x1 = q_end if link.kind == "FF" else _day(q.start)
            y0, y1 = row[p.id], row[q.id]
            # Leave from the bar's edge nearest the successor, arrive at its edge.
            dy = _BAR_HEIGHT / 2 if y1 > y0 else -_BAR_HEIGHT / 2
            ax.annotate(
                "",
                xy=(x1, y1 - dy),
                xytext=(x0, y0 + dy),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": LINK_COLOR,
                    "linewidth": 0.9,
                    "shrinkA": 0,
                    "shrinkB": 0,
                    "connectionstyle": "angle,angleA=0,angleB=90,rad=0",
                },
                zorder=3,
                gid=f"link:{link}",
            )

    ax.set_yticks(range(len(stages)), [s.id if label == "id" else s.name for s in stages])
    ax.set_ylim(len(stages) - 0.5, -0.7)
    ax.set_xlim(*_xlim(first, last))
    _date_axis(ax, minticks=4, maxticks=12)
    ax.grid(axis="x", color="#cccccc", linewidth=0.5, zorder=1)
    ax.set_axisbelow(True)
    if title is None:
        name = sched.plan.name or "plan"
        title = (
            f"{name}: {sched.start} .. {sched.finish}, {sched.duration} working days, "
            f"{sched.approval_days} on the approval clock"
        )
    ax.set_title(title, fontsize="medium", loc="left")
    if legend:
        _legend(ax, kinds, any_critical, milestones)
    return ax


def plot_comparison(
    cmp: Comparison, *, label: Literal["id", "name"] = "id"
) -> npt.NDArray[np.object_]:
    """Draw a comparison: the baseline's Gantt chart above the reform's, one date axis.

    Returns a numpy array of the two ``Axes`` (baseline, reform); their figure's
    title gives the figures of the comparison.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from datetime import date
    >>> from approval_clock import Plan, Stage, calendars, compare
    >>> cn = calendars.get("CN")
    >>> c = compare(Plan(stages=[Stage("a", 20)], calendar=cn, name="before"),
    ...             Plan(stages=[Stage("a", 15)], calendar=cn, name="after"), start=date(2021, 9, 1))
    >>> axes = plot_comparison(c)
    >>> [ax.get_title(loc="left").split(":")[0] for ax in axes]
    ['before', 'after']
    >>> plt.close(axes[0].figure)
    """
    nb, nr = len(cmp.baseline), len(cmp.reform)
    fig, axes = plt.subplots(
        2,
        1,
        sharex=True,
        figsize=(10, 2.4 + 0.45 * (nb + nr)),
        height_ratios=[max(nb, 1) + 1.5, max(nr, 1) + 1.5],
        layout="constrained",
        squeeze=False,
    )
    top, bottom = axes[0, 0], axes[1, 0]
    for ax, sched, which in ((top, cmp.baseline, "baseline"), (bottom, cmp.reform, "reform")):
        name = sched.plan.name or which
        plot_schedule(
            sched,
            ax,
            label=label,
            legend=which == "reform",
            title=(
                f"{name}: {sched.start} .. {sched.finish}, "
                f"{cmp._value(sched)} working days ({cmp.metric.replace('_', ' ')})"
            ),
        )
    first = min(cmp.baseline.start, cmp.reform.start)
    last = max(cmp.baseline.finish, cmp.reform.finish)
    top.set_xlim(*_xlim(first, last))
    # Shade each chart's rest days over the whole shared range, not only its own.
    for ax, sched in ((top, cmp.baseline), (bottom, cmp.reform)):
        cal = sched.plan.calendar
        own_first = min([sched.start] + [s.start for s in sched]) - timedelta(days=2)
        own_last = max([sched.finish] + [s.finish for s in sched]) + timedelta(days=2)
        if first - timedelta(days=2) < own_first:
            _shade_rest_days(ax, cal, first - timedelta(days=2), own_first - timedelta(days=1))
        if own_last < last + timedelta(days=2):
            _shade_rest_days(ax, cal, own_last + timedelta(days=1), last + timedelta(days=2))
    fig.suptitle(
        f"{cmp.baseline_days} -> {cmp.reform_days} working days "
        f"({cmp.metric.replace('_', ' ')}), {cmp.saved} saved ({cmp.percent})",
        fontsize="large",
    )
    return np.array([top, bottom], dtype=object)


def plot_sweep(sweep: Sweep, ax: Axes | None = None, *, column: Column = "calendar_days") -> Axes:
    """Draw a sweep: ``column`` (calendar days by default) for every start date.

    The calendar's named holidays in the range are shaded, the median is a dashed
    line and the worst start is marked: a start just before Spring Festival or
    National Day takes visibly longer.

    Raises:
        PolicyError: the sweep covers no start date, or an unknown column.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from approval_clock import Plan, Stage, calendars, sweep
    >>> s = sweep(Plan(stages=[Stage("review", 45)], calendar=calendars.get("CN")), year=2021)
    >>> ax = plot_sweep(s)
    >>> len(ax.lines[0].get_xdata()), ax.get_ylabel()
    (250, 'calendar days')
    >>> plt.close(ax.figure)
    """
    values = sweep._column(column)
    if not len(sweep):
        raise PolicyError("the sweep covers no start date: nothing to plot (see .uncovered)")
    if ax is None:
        ax = _new_axes(10, 4)
    starts: npt.NDArray[np.float64] = np.asarray(
        mdates.date2num(sweep.starts.astype("datetime64[s]")),  # type: ignore[no-untyped-call]
        dtype=np.float64,
    )
    cal = sweep.plan.calendar
    lo, hi = sweep.starts[0].astype(date), sweep.starts[-1].astype(date)
    named = sorted(d for d in cal.holidays if lo <= d <= hi)
    for a, b in _runs(named):
        ax.axvspan(
            _day(a), _day(b + timedelta(days=1)), color="#f6d5c8", zorder=0, linewidth=0, gid="rest"
        )
    ax.plot(
        starts,
        values,
        marker="o",
        markersize=3,
        linestyle="",
        color=KIND_COLORS["work"],
        zorder=2,
        label=column.replace("_", " "),
    )
    median = float(np.median(values))
    ax.axhline(median, color="#777777", linestyle="--", linewidth=0.8, zorder=1)
    ax.annotate(
        f"median {median:g}", (starts[-1], median), textcoords="offset points", xytext=(4, 3),
        fontsize="x-small", color="#555555",
    )  # fmt: skip
    worst = int(np.lexsort((sweep.starts, -values))[0])
    ax.plot([starts[worst]], [values[worst]], marker="o", color=CRITICAL_COLOR, zorder=3)
    ax.annotate(
        f"{sweep.starts[worst]}: {values[worst]}",
        (starts[worst], values[worst]),
        textcoords="offset points",
        xytext=(6, 4),
        fontsize="small",
        color=CRITICAL_COLOR,
    )
    ax.set_xlim(_day(lo) - 3, _day(hi) + 10)
    low, high = int(values.min()), int(values.max())
    pad = max(1.0, (high - low) * 0.15)
    ax.set_ylim(low - pad, high + pad)
    _date_axis(ax)
    ax.set_xlabel("start date")
    ax.set_ylabel(column.replace("_", " "))
    ax.grid(color="#dddddd", linewidth=0.5)
    ax.set_axisbelow(True)
    span = f"{sweep.starts[0]} .. {sweep.starts[-1]}"
    ax.set_title(
        f"{sweep.plan.name or 'plan'}: {column.replace('_', ' ')} for {len(sweep)} starts, {span} "
        f"(holidays shaded)",
        fontsize="medium",
        loc="left",
    )
    return ax

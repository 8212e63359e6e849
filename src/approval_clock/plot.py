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
is an extra (``pip install matplotlib (the 'plot' extra; see docs/install.md)``); ``import approval_clock``
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
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle
except ImportError as e:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "approval_clock.plot needs matplotlib; install it with pip install matplotlib (the 'plot' extra; see docs/install.md)"
    ) from e

import calendar as calendar_module
import warnings
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import matplotlib
import numpy as np
import numpy.typing as npt

from approval_clock import _html
from approval_clock.checks.comparison import metric_value
from approval_clock.errors import ArgumentTypeError, CalendarCoverageError, PolicyError

if TYPE_CHECKING:
    from approval_clock.calendars.workcalendar import WorkCalendar
    from approval_clock.checks.comparison import Comparison
    from approval_clock.checks.sweeps import Column, Sweep
    from approval_clock.plans.schedule import Schedule

__all__ = [
    "CERTAINTY_HATCHES",
    "CJK_FONTS",
    "CRITICAL_COLOR",
    "DAY_COLORS",
    "HATCHES",
    "KIND_COLORS",
    "LINK_COLOR",
    "REST_DAY_COLOR",
    "plot_calendar_year",
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


def _given_axes(ax: object) -> Any:
    """``ax`` if it is None or a matplotlib Axes; else ArgumentTypeError."""
    from matplotlib.axes import Axes

    if ax is None or isinstance(ax, Axes):
        return ax
    from approval_clock._check import fail_type

    raise fail_type("ax", "a matplotlib Axes or None", ax)


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


def _milestone_x(s: Any) -> float:  # a ScheduledStage
    """Where a milestone is drawn: a finish milestone at the end of its day (where the
    bar of the stage it follows ends), a start milestone at the start of its day."""
    return _day(s.start + timedelta(days=1)) if s.milestone == "finish" else _day(s.start)


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
    ax = _given_axes(ax)
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
                [_milestone_x(s)],
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
                _day(p.finish + timedelta(days=1)) if not p.stage.is_milestone else _milestone_x(p)
            )
            q_end = (
                _day(q.finish + timedelta(days=1)) if not q.stage.is_milestone else _milestone_x(q)
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
                f"{metric_value(sched, cmp.metric)} working days ({cmp.metric.replace('_', ' ')})"
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
    values = sweep.column(column)
    if not len(sweep):
        raise PolicyError("the sweep covers no start date: nothing to plot (see .uncovered)")
    ax = _given_axes(ax)
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


# -- a calendar year -------------------------------------------------------------------

DAY_COLORS = dict(_html.DAY_COLORS)
"""Face colour of the day squares of :func:`plot_calendar_year`, by
:meth:`~approval_clock.WorkCalendar.day_kind` (the notebook view uses the same)."""

CERTAINTY_HATCHES = {"tentative": "....", "projected": "/////"}
"""Hatch over the squares of days that are not official, by
:meth:`~approval_clock.WorkCalendar.certainty`."""

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans CJK JP",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)
"""Fonts with Chinese glyphs that :func:`plot_calendar_year` looks for, in this order."""

# Files of those fonts, for a font cache written before the font was installed.
_CJK_FILES = ("notosanscjk", "sourcehansans", "wqy-zenhei", "wqy-microhei", "simhei", "msyh")

# Layout in data units: a day is a 1 x 1 cell; a month is 7 cells wide and a name,
# a weekday row and 6 week rows tall; 4 months to a row, 3 rows.
_MONTH_COLS = 4
_GAP_X = 1.0
_NAME_H, _WEEKDAY_H = 1.1, 0.9
_MONTH_H = _NAME_H + _WEEKDAY_H + 6
_GAP_Y = 0.6
_PAD = 0.05  # white margin around each square
# Hatches pale enough for the day numbers to stay legible through them.
_HATCH_ON_LIGHT = (0.0, 0.0, 0.0, 0.45)
_HATCH_ON_DARK = (1.0, 1.0, 1.0, 0.6)
_WIDTH = _MONTH_COLS * 7 + (_MONTH_COLS - 1) * _GAP_X
_HEIGHT = 3 * _MONTH_H + 2 * _GAP_Y
_MARGIN = 0.2
_LEGEND_SCALE = 1.0  # legend text, relative to the day numbers
_KIND_ORDER = ("statutory_holiday", "rest_day", "makeup_working_day", "working_day")

_TEXT = {
    "en": {
        "months": tuple(calendar_module.month_name[1:]),
        "weekdays": ("M", "T", "W", "T", "F", "S", "S"),
        "tentative": "tentative (may still change)",
        "projected": "projected (no notice yet)",
        "outside": "not covered by the calendar",
    },
    "zh": {
        "months": ("一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月",
                   "十一月", "十二月"),
        "weekdays": ("一", "二", "三", "四", "五", "六", "日"),
        "tentative": "暂定",
        "projected": "预测",
        "outside": "不在日历范围内",
    },
}  # fmt: skip


def _needs_cjk(text: str) -> bool:
    return any(ord(c) >= 0x2E80 for c in text)


def _cjk_font() -> str | None:
    """The first of :data:`CJK_FONTS` that matplotlib can use, or ``None``.

    matplotlib reads fonts from a cache written when it first ran; a font installed
    since then is not in it, so the system font folders are looked at once more.
    """
    from matplotlib import font_manager

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((n for n in CJK_FONTS if n in names), None)

    found = known()
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(k in Path(path).name.lower() for k in _CJK_FILES):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # pragma: no cover - broken file
                    continue
        found = known()
    return found


def _year_title(
    year: int,
    name: str,
    working: int,
    span: tuple[date, date] | None,
    marked: dict[str, int],
    lang: str,
) -> str:
    """``Mainland China 2026: 248 working days (3 days tentative)``, or in Chinese."""
    zh = lang == "zh"
    notes = [
        (f"{n}天{_TEXT['zh'][c]}" if zh else f"{n} day{'s' if n > 1 else ''} {c}")
        for c, n in marked.items()
        if n
    ]
    if span is not None:
        notes.insert(
            0, f"日历覆盖 {span[0]} 至 {span[1]}" if zh else f"covered {span[0]} .. {span[1]}"
        )
    if zh:
        return f"{name} {year}年：{working}个工作日" + (f"（{'，'.join(notes)}）" if notes else "")
    return f"{name} {year}: {working} working days" + (f" ({', '.join(notes)})" if notes else "")


def _width_pt(ax: Axes) -> float:
    """The width of the Axes in points."""
    return float(ax.get_window_extent().width) * 72 / ax.figure.dpi


def _text_size(ax: Axes) -> float:
    """The size of the day numbers in points: 40% of a day square as drawn in ``ax``.

    Text is sized in points and squares in data units, so the Axes is measured once,
    after its figure's layout engine (constrained, tight) has placed it.
    """
    fig = ax.figure
    if isinstance(fig, Figure):
        engine = fig.get_layout_engine()
        if engine is not None:
            engine.execute(fig)
    box = ax.get_window_extent()
    cell = min(box.width / (_WIDTH + 2 * _MARGIN), box.height / (_HEIGHT + 2 * _MARGIN))
    return max(3.0, 0.4 * float(cell) * 72 / fig.dpi)


def _legend_columns(labels: list[str], size: float, width: float) -> int:
    """How many columns the legend takes: all in one row if it fits in ``width`` points."""
    # Rough text widths: a Chinese character is 1 em, a Latin one about 0.55; handle and gaps.
    ems = sum(1.0 if _needs_cjk(c) else 0.55 for t in labels for c in t) + 4.8 * len(labels)
    return len(labels) if ems * size <= width else (len(labels) + 1) // 2


def _year_axes(legend: list[str]) -> Axes:
    """A new figure 12 inches wide holding the year at its natural height, title and legend."""
    width = 12.0
    grid_w = 0.97 * width
    grid_h = grid_w * (_HEIGHT + 2 * _MARGIN) / (_WIDTH + 2 * _MARGIN)
    small = 0.4 * 72 * grid_w / (_WIDTH + 2 * _MARGIN)
    title_h = 2.2 * 1.7 * small / 72
    legend_h = 0.0
    if legend:
        rows = (
            1 if _legend_columns(legend, _LEGEND_SCALE * small, 72 * grid_w) == len(legend) else 2
        )
        legend_h = (0.4 + 1.9 * rows) * _LEGEND_SCALE * small / 72
    height = grid_h + title_h + legend_h + 0.1
    fig = plt.figure(figsize=(width, height))
    return fig.add_axes(((1 - grid_w / width) / 2, (legend_h + 0.05) / height, grid_w / width,
                         grid_h / height))  # fmt: skip


def plot_calendar_year(
    cal: WorkCalendar,
    year: int,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    legend: bool = True,
    title: str | None = None,
) -> Axes:
    """Draw a calendar's ``year`` at a glance: twelve month grids, days coloured by kind.

    Args:
        cal: the :class:`~approval_clock.WorkCalendar`.
        year: the year to draw; days of it outside the calendar's range are left
            blank (a faint outline), so a year the calendar covers in part shows
            that part.
        ax: the Axes to draw on; a new figure when ``None``.
        lang: ``"en"`` or ``"zh"`` (month and weekday names, legend, title in
            Chinese: 一月, 一二三四五六日, 法定节假日 ...).
        legend: add a legend of the colours and marks.
        title: the title; by default the calendar's name, the year and its
            number of working days.

    The months run four to a row, Monday first, one square per day coloured by
    :meth:`~approval_clock.WorkCalendar.day_kind` (:data:`DAY_COLORS`): statutory
    holidays red, other rest days (weekends, days off by 调休) pale red, makeup
    working days blue, working days off-white. Days that are not official are
    hatched (:data:`CERTAINTY_HATCHES`): tentative ones dotted, projected ones
    striped; the legend names these only when the year has such days.

    Chinese text needs a font with CJK glyphs: the first of :data:`CJK_FONTS`
    that is installed. Without one, ``lang="zh"`` warns (``UserWarning``) and
    draws English labels rather than boxes.

    Each square is a ``Rectangle`` in ``ax.patches`` whose ``gid`` is
    ``"day:YYYY-MM-DD"`` (``"outside:YYYY-MM-DD"`` for a day outside the range),
    so that code can find it; its day number is the text with the same ``gid``.

    Raises:
        CalendarCoverageError: the calendar covers no day of ``year``.
        ArgumentTypeError: ``year`` is not an integer, or an unknown ``lang``.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from approval_clock import calendars
    >>> ax = plot_calendar_year(calendars.get("CN"), 2026)
    >>> days = {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").startswith("day:")}
    >>> len(days), matplotlib.colors.to_hex(days["day:2026-10-01"].get_facecolor())
    (365, '#c8102e')
    >>> plt.close(ax.figure)
    """
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)) or not 1 <= year <= 9999:
        raise ArgumentTypeError(f"year: expected an integer year (1..9999), got {year!r}")
    if lang not in _TEXT:
        raise ArgumentTypeError(f"lang: expected 'en' or 'zh', got {lang!r}")
    year = int(year)
    first, last = cal.coverage
    lo, hi = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
    if lo > hi:
        side = "after" if year > last.year else "before"
        how = cal.how_to_extend if side == "after" else "use a calendar whose range starts earlier"
        raise CalendarCoverageError(
            f"plot({year}): the year is {side} the range of calendar {cal.name!r}, which covers "
            f"{first}..{last}, so there is no day to draw; {how}"
        )

    name = cal.name
    font = None
    if lang == "zh" or _needs_cjk(name) or (title is not None and _needs_cjk(title)):
        font = _cjk_font()
        if font is None:
            warnings.warn(
                "no font with Chinese glyphs is installed, so the calendar is drawn with English "
                "labels instead of showing boxes; install one (Debian/Ubuntu: apt-get install "
                "fonts-noto-cjk; or any of Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen "
                f"Hei, SimHei, Microsoft YaHei, PingFang SC), then delete matplotlib's font "
                f"cache in {matplotlib.get_cachedir()} so that it finds the new font",
                UserWarning,
                stacklevel=3,
            )
            lang = "en"
            if _needs_cjk(name):
                name = cal.code or "calendar"
            if title is not None and _needs_cjk(title):
                title = None
    text = _TEXT[lang]
    labels = _html.DAY_KIND_LABELS[lang]
    family: dict[str, Any] = {} if font is None else {"fontfamily": font}

    # Every covered day in two vectorized calls, then geometry by array arithmetic.
    days = np.arange(np.datetime64(lo, "D"), np.datetime64(hi, "D") + 1)
    kinds = cal.day_kind(days).tolist()
    certainties = cal.certainty(days).tolist()
    everyday = np.arange(np.datetime64(f"{year:04d}-01-01"), np.datetime64(f"{year + 1:04d}-01-01"))
    every = everyday.tolist()
    covered = (everyday >= days[0]) & (everyday <= days[-1])
    month = everyday.astype("datetime64[M]").astype(np.int64) % 12
    dom = (everyday - everyday.astype("datetime64[M]")).astype(np.int64)  # 0-based day
    weekday = (everyday.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    lead = (weekday - dom) % 7  # weekday of the 1st of the month
    week = (dom + lead) // 7
    x = (month % _MONTH_COLS) * (7 + _GAP_X) + weekday
    y = (month // _MONTH_COLS) * (_MONTH_H + _GAP_Y) + _NAME_H + _WEEKDAY_H + week

    marks = [c for c in ("tentative", "projected") if c in certainties]
    if not covered.all():
        marks.append("outside")
    entries = [labels[k] for k in _KIND_ORDER] + [str(text[c]) for c in marks]
    ax = _given_axes(ax)
    if ax is None:
        ax = _year_axes(entries if legend else [])
    small = _text_size(ax)

    offset = int(np.flatnonzero(covered)[0])
    for k, d in enumerate(every):
        gid = d.isoformat()
        if covered[k]:
            kind, certainty = kinds[k - offset], certainties[k - offset]
            hatch = CERTAINTY_HATCHES.get(certainty, "")
            square = Rectangle(
                (x[k] + _PAD, y[k] + _PAD), 1 - 2 * _PAD, 1 - 2 * _PAD,
                facecolor=DAY_COLORS[kind], hatch=hatch,
                edgecolor=_HATCH_ON_DARK if kind in _html.DARK_DAY_KINDS else _HATCH_ON_LIGHT,
                linewidth=0, gid=f"day:{gid}",
            )  # fmt: skip
            color = "#ffffff" if kind in _html.DARK_DAY_KINDS else "#222222"
            # On a hatched square, a patch of the plain colour keeps the number legible.
            behind = (
                {"bbox": {"facecolor": DAY_COLORS[kind], "edgecolor": "none", "pad": 0.6}}
                if hatch
                else {}
            )
        else:
            behind = {}
            square = Rectangle(
                (x[k] + _PAD, y[k] + _PAD), 1 - 2 * _PAD, 1 - 2 * _PAD,
                facecolor="none", edgecolor="#cccccc", linewidth=0.5, linestyle=":",
                gid=f"outside:{gid}",
            )  # fmt: skip
            color = "#b0b0b0"
        # add_artist, not add_patch: the limits are set once below, and updating them per
        # square would take two thirds of the time. The squares are in ax.patches all the same.
        ax.add_artist(square)
        ax.text(
            x[k] + 0.5, y[k] + 0.52, str(d.day), ha="center", va="center",
            fontsize=small, color=color, gid=f"day:{gid}" if covered[k] else f"outside:{gid}",
            **behind,
        )  # fmt: skip

    for m in range(12):
        x0 = (m % _MONTH_COLS) * (7 + _GAP_X)
        y0 = (m // _MONTH_COLS) * (_MONTH_H + _GAP_Y)
        ax.text(
            x0 + _PAD, y0 + _NAME_H * 0.55, text["months"][m], ha="left", va="center",
            fontsize=1.25 * small, fontweight="bold", color="#222222", gid="month", **family,
        )  # fmt: skip
        for wd, initial in enumerate(text["weekdays"]):
            ax.text(
                x0 + wd + 0.5, y0 + _NAME_H + _WEEKDAY_H * 0.5, initial, ha="center",
                va="center", fontsize=0.9 * small, gid="weekday", **family,
                color="#b8473c" if wd >= 5 else "#666666",
            )  # fmt: skip

    ax.set_xlim(-_MARGIN, _WIDTH + _MARGIN)
    ax.set_ylim(_HEIGHT + _MARGIN, -_MARGIN)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title is None:
        working = sum(k in ("working_day", "makeup_working_day") for k in kinds)
        whole = (lo, hi) == (date(year, 1, 1), date(year, 12, 31))
        marked = {c: certainties.count(c) for c in ("tentative", "projected")}
        title = _year_title(year, name, working, None if whole else (lo, hi), marked, lang)
    ax.set_title(title, fontsize=1.7 * small, **family)
    if legend:
        handles: list[Any] = [
            Patch(facecolor=DAY_COLORS[k], edgecolor="#999999", linewidth=0.5, label=labels[k])
            for k in _KIND_ORDER
        ]
        for c in marks:
            if c == "outside":
                handles.append(
                    Patch(facecolor="none", edgecolor="#bbbbbb", linestyle=":", label=text[c])
                )
            else:
                handles.append(
                    Patch(facecolor="#ffffff", edgecolor="#1a1a1a", linewidth=0.5,
                          hatch=CERTAINTY_HATCHES[c], label=text[c])
                )  # fmt: skip
        prop: dict[str, Any] = {"size": _LEGEND_SCALE * small}
        if font is not None:
            prop["family"] = font
        ncols = _legend_columns([h.get_label() for h in handles], prop["size"], _width_pt(ax))
        if ncols < len(handles):
            # matplotlib fills a legend column by column; reorder so that it reads by rows.
            rows = [handles[:ncols], handles[ncols:]]
            handles = [r[i] for i in range(ncols) for r in rows if i < len(r)]
        ax.legend(
            handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=ncols,
            frameon=False, prop=prop,
        )  # fmt: skip
    return ax


# -- records: the charts of an analysis (Analysis.plot) ----------------------------------

OVERDUE_COLORS = {"done late": "#c0392b", "open overdue": "#e39c4f"}
"""Bar colours of the overdue chart: stages done late, and open stages already overdue."""

_ANALYSIS_TEXT = {
    "en": {
        "over_x": "working days over the limit",
        "stages_y": "stages",
        "over_title": "{n} of {total} stages overdue ({share}); median {median} working days over",
        "none": "no stage is overdue",
        "median": "median: {median}",
        "box": "middle half of the stages",
        "med_line": "median",
        "rate_y": "share of stages done",
        "count_y": "stages done",
        "on_time": "on time",
        "same_day": "same day",
        "done": "stages done (right axis)",
        "month_title": "On-time rate by month of {what}",
        "accepted": "acceptance",
        "completed": "completion",
        "days_x": "working days on the clock (pauses not counted)",
        "limit": "time limit",
        "limit_cd": "limit in calendar days",
        "stage_title": "Working days per stage, done stages ({n})",
        "more": "{k} more stages not shown",
        "no_data": "no done stage",
    },
    "zh": {
        "over_x": "超出时限的工作日",
        "stages_y": "环节数",
        "over_title": "超期环节 {n} 个，占 {total} 个环节的 {share}；超期中位数 {median} 个工作日",
        "none": "没有超期环节",
        "median": "中位数：{median}",
        "box": "中间一半的环节",
        "med_line": "中位数",
        "rate_y": "办结环节占比",
        "count_y": "办结环节数",
        "on_time": "按时办结率",
        "same_day": "即来即办率",
        "done": "办结环节数（右轴）",
        "month_title": "按月按时办结率（按{what}月份）",
        "accepted": "受理",
        "completed": "办结",
        "days_x": "计时工作日（不含暂停）",
        "limit": "办理时限",
        "limit_cd": "时限按自然日计",
        "stage_title": "各环节用时（已办结 {n} 个）",
        "more": "另有 {k} 个环节未显示",
        "no_data": "没有已办结环节",
    },
}

_STATUS_ZH = {"done late": "超期办结", "open overdue": "在办超期"}


def _analysis_lang(lang: str, texts: list[str]) -> tuple[str, dict[str, Any]]:
    """The language to draw in and the font arguments: Chinese needs a CJK font."""
    if lang not in _ANALYSIS_TEXT:
        raise ArgumentTypeError(f"lang: expected 'en' or 'zh', got {lang!r}")
    if lang == "zh" or any(_needs_cjk(t) for t in texts):
        font = _cjk_font()
        if font is None:
            warnings.warn(
                "no font with Chinese glyphs is installed, so the chart is drawn with English "
                "labels (and Chinese stage names may show as boxes); install one (Debian/Ubuntu: "
                "apt-get install fonts-noto-cjk), then delete matplotlib's font cache in "
                f"{matplotlib.get_cachedir()}",
                UserWarning,
                stacklevel=3,
            )
            return "en", {}
        return lang, {"fontfamily": font}
    return lang, {}


def _percent_axis(ax: Axes) -> None:
    from matplotlib.ticker import PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(1.0))


def plot_overdue(
    analysis: Any,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    title: str | None = None,
) -> Axes:
    """The overdue stages by working days over the limit: ``analysis.plot("overdue")``.

    One bar per number of working days over (grouped into wider bins past 40
    days), stacked: stages done late (:data:`OVERDUE_COLORS`, red) under open
    stages already overdue (orange). The title gives how many stages are overdue,
    their share of all stages and the median number of days over; a dashed line
    marks the median. ``lang="zh"`` labels it in Chinese.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from approval_clock import calendars
    >>> from approval_clock.records import analyze
    >>> frame = pd.DataFrame({"case": [1, 2, 3], "stage": "s", "limit": 1,
    ...     "accepted": pd.to_datetime(["2021-09-01"] * 3),
    ...     "completed": pd.to_datetime(["2021-09-02", "2021-09-06", "2021-09-08"])})
    >>> ax = plot_overdue(analyze(frame, calendar=calendars.get("CN")))
    >>> ax.get_title(loc="left")
    '2 of 3 stages overdue (66.7%); median 3 working days over'
    >>> plt.close(ax.figure)
    """
    st = analysis.stages
    lang, family = _analysis_lang(lang, [title or ""])
    text = _ANALYSIS_TEXT[lang]
    ax = _given_axes(ax)
    if ax is None:
        ax = _new_axes(8.0, 4.2)
    over = st[st["overdue"].to_numpy(dtype=bool)]
    days = over["days_overdue"].to_numpy(dtype=np.int64)
    status = over["status"].astype(str).to_numpy()
    total = len(st)
    if len(days):
        top = int(days.max())
        width = 1 if top <= 40 else int(np.ceil(top / 40))
        edges = np.arange(0.5, top + width + 0.5, width)
        bottom = np.zeros(len(edges) - 1)
        for name, color in OVERDUE_COLORS.items():
            if not (status == name).any():
                continue  # no bar, no legend entry for a status no stage has
            counts, _ = np.histogram(days[status == name], bins=edges)
            label = _STATUS_ZH[name] if lang == "zh" else name
            ax.bar(edges[:-1], counts, width=width, bottom=bottom, align="edge",
                   color=color, edgecolor="white", linewidth=0.5, label=label, gid=name)  # fmt: skip
            bottom += counts
        if len(edges) <= 31:
            # The height of each stack over it: read, not estimated from the axis.
            for x0, h in zip(edges[:-1], bottom, strict=True):
                if h:
                    ax.text(x0 + width / 2, h, f"{int(h)}", ha="center", va="bottom",
                            fontsize="small", color="#444444", gid="count", zorder=5,
                            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})  # fmt: skip
        median = float(np.median(days))
        ax.axvline(median, color="#333333", linestyle="--", linewidth=1, gid="median",
                   label=text["median"].format(median=f"{median:g}"))  # fmt: skip
        ax.set_xlim(0, edges[-1] + 0.5)
        ax.set_ylim(0, float(bottom.max()) * 1.12 + 0.5)
        ax.legend(
            loc="upper right", frameon=False, prop=family and {"family": family["fontfamily"]}
        )
        from matplotlib.ticker import MaxNLocator

        ax.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        share = f"{len(days) / total:.1%}"
        med = f"{median:g}"
    else:
        ax.text(0.5, 0.5, text["none"], ha="center", va="center", transform=ax.transAxes, **family)
        share, med = "0%", "0"
    ax.set_xlabel(text["over_x"], **family)
    ax.set_ylabel(text["stages_y"], **family)
    if title is None:
        title = text["over_title"].format(n=len(days), total=total, share=share, median=med)
    ax.set_title(title, loc="left", **family)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def plot_on_time_by_month(
    analysis: Any,
    ax: Axes | None = None,
    *,
    month: Literal["accepted", "completed"] = "completed",
    lang: str = "en",
    title: str | None = None,
) -> Axes:
    """The on-time rate month by month: ``analysis.plot("on_time_by_month")``.

    For each month of completion (or of acceptance, ``month="accepted"``): the
    share of the stages done that month that were done on time (the line, with
    the same-day rate 即来即办率 dashed), over bars of how many stages were done
    (right axis), so that a bad month of three stages is not mistaken for a
    trend. The rates come from ``analysis.kpis(by="month", month=month)``.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from approval_clock import calendars
    >>> from approval_clock.records import analyze
    >>> frame = pd.DataFrame({"case": [1, 2, 3], "stage": "s", "limit": 1,
    ...     "accepted": pd.to_datetime(["2021-08-02", "2021-09-01", "2021-09-01"]),
    ...     "completed": pd.to_datetime(["2021-08-03", "2021-09-02", "2021-09-08"])})
    >>> ax = plot_on_time_by_month(analyze(frame, calendar=calendars.get("CN")))
    >>> [round(float(y), 2) for y in ax.lines[0].get_ydata()]
    [1.0, 0.5]
    >>> plt.close(ax.figure)
    """
    if month not in ("accepted", "completed"):
        raise ArgumentTypeError(f"month: expected 'accepted' or 'completed', got {month!r}")
    lang, family = _analysis_lang(lang, [title or ""])
    text = _ANALYSIS_TEXT[lang]
    ax = _given_axes(ax)
    if ax is None:
        ax = _new_axes(9.0, 4.6)
    table = analysis.kpis(by="month", month=month)
    table = table[table["done"] > 0]
    table = table[[not _is_missing_period(p) for p in table.index]]
    right = ax.twinx()
    if len(table):
        x = np.array([_day(p.start_time.date()) + 14 for p in table.index])
        right.bar(x, table["done"].to_numpy(), width=24, color="#d9dde3", zorder=0,
                  label=text["done"], gid="done")  # fmt: skip
        ax.plot(x, table["on_time_rate"].to_numpy(), marker="o", color="#2f5fa7",
                linewidth=2, label=text["on_time"], gid="on_time_rate", zorder=3)  # fmt: skip
        ax.plot(x, table["same_day_rate"].to_numpy(), marker=".", color="#4c9a5b",
                linestyle="--", linewidth=1.2, label=text["same_day"], gid="same_day_rate",
                zorder=3)  # fmt: skip
        _date_axis(ax)
        ax.set_xlim(x.min() - 20, x.max() + 20)
    else:
        ax.text(
            0.5, 0.5, text["no_data"], ha="center", va="center", transform=ax.transAxes, **family
        )
    # The rates in front of the bars: the right axis draws below the left one.
    ax.set_zorder(right.get_zorder() + 1)
    ax.patch.set_visible(False)
    ax.set_ylim(0, 1.05)
    _percent_axis(ax)
    ax.set_ylabel(text["rate_y"], **family)
    right.set_ylabel(text["count_y"], color="#777777", **family)
    right.tick_params(axis="y", colors="#777777")
    from matplotlib.ticker import MaxNLocator

    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    if handles:
        # Below the chart: inside, it would hide the first months or the same-day line.
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.1),
                  ncols=len(handles), frameon=False,
                  prop=family and {"family": family["fontfamily"]})  # fmt: skip
    if title is None:
        title = text["month_title"].format(what=text[month])
    ax.set_title(title, loc="left", **family)
    ax.spines[["top"]].set_visible(False)
    right.spines[["top"]].set_visible(False)
    return ax


def _is_missing_period(p: Any) -> bool:
    return p is None or (p != p) or str(p) == "NaT"


def plot_stage_days(
    analysis: Any,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    top: int = 15,
    title: str | None = None,
) -> Axes:
    """Working days per stage against its limit: ``analysis.plot("stages")``.

    One horizontal box plot per stage (the ``top`` stages with most done rows,
    most first): the box spans the middle half of the net working days of its
    done stages, the line in it is the median, whiskers reach 1.5 box lengths,
    dots beyond are single stages. A red bar marks the stage's time limit (its
    most common one, in working days); a stage whose limits are in calendar days
    says so instead. Labels give the number of done stages.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from approval_clock import calendars
    >>> from approval_clock.records import analyze
    >>> frame = pd.DataFrame({"case": [1, 2, 1], "stage": ["a", "a", "b"], "limit": [5, 5, 2],
    ...     "accepted": pd.to_datetime(["2021-09-01"] * 3),
    ...     "completed": pd.to_datetime(["2021-09-02", "2021-09-08", "2021-09-03"])})
    >>> ax = plot_stage_days(analyze(frame, calendar=calendars.get("CN")))
    >>> [t.get_text() for t in ax.get_yticklabels()]  # bottom to top: most done at the top
    ['b (n=1)', 'a (n=2)']
    >>> plt.close(ax.figure)
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ArgumentTypeError(f"top: expected a whole number >= 1, got {top!r}")
    st = analysis.stages
    name = analysis.stage_column
    done = st[~st["open"].to_numpy(dtype=bool)]
    stage_col = done[name] if name in done.columns else done.index.get_level_values(name)
    stage_names = _pd_series(stage_col).astype(str).to_numpy()
    cd = analysis.calendar_day_limits
    cd_done = (
        np.zeros(len(done), dtype=bool)
        if cd is None
        else np.asarray(cd)[~st["open"].to_numpy(dtype=bool)]
    )
    elapsed = done["elapsed"].to_numpy(dtype=np.int64)
    limits = done["limit_days"].to_numpy(dtype=np.int64)
    names, counts = np.unique(stage_names, return_counts=True)
    order = np.lexsort((names, -counts))[:top]
    shown = names[order][::-1]  # most done at the top
    lang, family = _analysis_lang(lang, [*shown.tolist(), title or ""])
    text = _ANALYSIS_TEXT[lang]
    ax = _given_axes(ax)
    if ax is None:
        ax = _new_axes(8.5, 1.7 + 0.45 * max(len(shown), 1))
    if not len(shown):
        ax.text(
            0.5, 0.5, text["no_data"], ha="center", va="center", transform=ax.transAxes, **family
        )
    data, labels, marks = [], [], []
    for k, stage_name in enumerate(shown):
        here = stage_names == stage_name
        data.append(elapsed[here])
        labels.append(f"{stage_name} (n={int(here.sum())})")
        wd = here & ~cd_done
        if wd.any():
            vals, freq = np.unique(limits[wd], return_counts=True)
            marks.append((k + 1, int(vals[np.argmax(freq)]), False))
        else:
            marks.append((k + 1, 0, True))
    if data:
        box = ax.boxplot(
            data, orientation="horizontal", widths=0.55, patch_artist=True, showfliers=True,
            medianprops={"color": "#1f3b66", "linewidth": 2},
            boxprops={"facecolor": "#c9d7ee", "edgecolor": "#4c72b0"},
            whiskerprops={"color": "#4c72b0"}, capprops={"color": "#4c72b0"},
            flierprops={"marker": "o", "markersize": 3.5, "markerfacecolor": "#4c72b0",
                        "markeredgecolor": "none", "alpha": 0.7},
        )  # fmt: skip
        for patch, stage_name in zip(box["boxes"], shown, strict=True):
            patch.set_gid(f"stage:{stage_name}")
        ax.set_yticks(range(1, len(labels) + 1), labels, **family)
        drawn = False
        for y, value, in_cd in marks:
            if in_cd:
                ax.text(0.99, y, text["limit_cd"], transform=ax.get_yaxis_transform(),
                        ha="right", va="center", fontsize="small", color="#c0392b", **family)  # fmt: skip
                continue
            ax.plot([value, value], [y - 0.38, y + 0.38], color=CRITICAL_COLOR, linewidth=2.5,
                    solid_capstyle="butt", gid=f"limit:{shown[y - 1]}",
                    label=None if drawn else text["limit"], zorder=4)  # fmt: skip
            drawn = True
        handles: list[Any] = [
            Patch(facecolor="#c9d7ee", edgecolor="#4c72b0", label=text["box"]),
            Line2D([], [], color="#1f3b66", linewidth=2, label=text["med_line"]),
        ]
        if drawn:
            handles.append(Line2D([], [], color=CRITICAL_COLOR, linewidth=2.5, label=text["limit"]))
        # Below the chart, where no box can be under it.
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.17),
                  ncols=len(handles), frameon=False,
                  prop=family and {"family": family["fontfamily"]})  # fmt: skip
        ax.set_xlim(left=-0.5)
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # working days are whole
    ax.set_xlabel(text["days_x"], **family)
    if title is None:
        title = text["stage_title"].format(n=len(done))
        if len(names) > len(shown):
            title += "; " + text["more"].format(k=len(names) - len(shown))
    ax.set_title(title, loc="left", **family)
    ax.grid(axis="x", color="#eeeeee", zorder=0)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _pd_series(values: Any) -> Any:
    """Values as a pandas Series (records are pandas; this module does not import it eagerly)."""
    import pandas as pd

    return pd.Series(values)


__all__ += ["OVERDUE_COLORS", "plot_on_time_by_month", "plot_overdue", "plot_stage_days"]

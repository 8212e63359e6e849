"""Charts: each is drawn and written to PNG; bars carry the colours and hatches they promise.

Not pixel comparisons: the tests look at what was drawn (the Axes' patches, their
face colours and hatches, the arrows of the links) and at the file written.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from approval_clock import Link, Plan, PolicyError, Stage, calendars, compare, sweep  # noqa: E402
from approval_clock.plot import (  # noqa: E402
    CRITICAL_COLOR,
    HATCHES,
    KIND_COLORS,
    plot_comparison,
    plot_schedule,
    plot_sweep,
)

ROOT = Path(__file__).resolve().parents[1]
HULUDAO = ROOT / "examples" / "huludao"
START = date(2021, 6, 1)


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def baseline() -> Plan:
    return Plan.from_toml(HULUDAO / "baseline.toml")


@pytest.fixture(scope="module")
def reform() -> Plan:
    return Plan.from_toml(HULUDAO / "reform.toml")


def bars(ax: Axes) -> dict[str, Rectangle]:
    out = {}
    for p in ax.patches:
        gid = p.get_gid() or ""
        if gid.startswith("stage:"):
            assert isinstance(p, Rectangle)
            out[gid.removeprefix("stage:")] = p
    return out


def face(p: Rectangle) -> str:
    return to_hex(p.get_facecolor())


def saved(ax: Axes, path: Path) -> int:
    ax.figure.savefig(path, dpi=80)
    assert path.read_bytes().startswith(b"\x89PNG")
    return path.stat().st_size


def test_the_critical_colour_differs_from_every_kind_colour() -> None:
    assert CRITICAL_COLOR not in KIND_COLORS.values()
    assert len(set(KIND_COLORS.values())) == len(KIND_COLORS)


def test_gantt_chart_of_the_reform(reform: Plan, tmp_path: Path) -> None:
    sched = reform.schedule(start=START)
    ax = plot_schedule(sched)
    drawn = bars(ax)
    assert set(drawn) == {s.id for s in sched}
    # Every stage but the design review is critical; the design review (float 34) is plain work.
    for s in sched:
        expected = CRITICAL_COLOR if s.critical else KIND_COLORS[s.kind]
        assert face(drawn[s.id]) == expected, s.id
    assert face(drawn["design"]) == KIND_COLORS["work"]
    assert face(drawn["land_notice"]) == CRITICAL_COLOR
    # The notice window stays hatched when it is critical.
    assert drawn["land_notice"].get_hatch() == HATCHES["notice"]
    assert not drawn["design"].get_hatch()
    assert saved(ax, tmp_path / "reform.png") > 20_000


def test_bars_span_first_to_last_day_on_a_date_axis(reform: Plan) -> None:
    sched = reform.schedule(start=START)
    ax = plot_schedule(sched)
    notice = bars(ax)["land_notice"]
    # 2021-06-04 .. 2021-07-23 inclusive: 50 calendar days wide.
    first = matplotlib.dates.num2date(notice.get_x()).date()
    assert (first, round(notice.get_width())) == (date(2021, 6, 4), 50)


def test_rest_days_are_shaded_and_links_drawn(reform: Plan) -> None:
    sched = reform.schedule(start=START)
    ax = plot_schedule(sched)
    rest = [p for p in ax.patches if p.get_gid() == "rest"]
    # Nine weekends and the Dragon Boat Festival (12-14 June, one run with its weekend).
    assert len(rest) >= 9
    links = [t for t in ax.texts if (t.get_gid() or "").startswith("link:")]
    assert len(links) == len(reform.links)
    assert ax.xaxis.get_major_formatter().__class__.__name__ == "ConciseDateFormatter"


def test_non_counting_stages_and_milestones_are_drawn_distinctly(tmp_path: Path) -> None:
    plan = Plan(
        stages=[
            Stage("prepare", 3, kind="applicant"),
            Stage("review", 10),
            Stage("hearing", 2, kind="special"),
            Stage("issued", 0),
        ],
        links=[
            Link("prepare", "review"),
            Link("review", "hearing", "SS", 1),
            Link("review", "issued"),
        ],
        calendar=calendars.get("CN"),
        name="<demo>",
    )
    sched = plan.schedule(start=date(2021, 9, 27))
    assert not sched["hearing"].critical
    ax = plot_schedule(sched, label="name")
    drawn = bars(ax)
    assert face(drawn["hearing"]) == KIND_COLORS["special"]
    assert drawn["hearing"].get_hatch() == HATCHES["special"]
    assert drawn["prepare"].get_hatch() == HATCHES["applicant"]
    assert drawn["hearing"].get_linestyle() == "--"
    assert "issued" not in drawn  # a milestone is a marker, not a bar
    assert [line.get_gid() for line in ax.lines] == ["milestone:issued"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "special procedure (clock stopped)" in legend
    assert "milestone" in legend
    assert saved(ax, tmp_path / "demo.png") > 10_000


def test_plot_on_given_axes(reform: Plan) -> None:
    _fig, ax = plt.subplots()
    assert plot_schedule(reform.schedule(start=START), ax, links=False, legend=False) is ax
    assert ax.get_legend() is None
    assert not [t for t in ax.texts if (t.get_gid() or "").startswith("link:")]


def test_comparison_puts_the_baseline_above_the_reform(
    baseline: Plan, reform: Plan, tmp_path: Path
) -> None:
    cmp = compare(baseline, reform, start=START)
    top, bottom = plot_comparison(cmp)
    assert top.get_title(loc="left").startswith("Industrial project, before the reform")
    assert bottom.get_title(loc="left").startswith("Industrial project, after the reform")
    assert top.get_position().y0 > bottom.get_position().y0
    assert top.get_xlim() == bottom.get_xlim()  # one shared date axis
    # The baseline's planning permit (20 days) is critical; in both charts.
    assert face(bars(top)["planning_permit"]) == CRITICAL_COLOR
    assert face(bars(bottom)["design"]) == KIND_COLORS["work"]
    assert "85 -> 45 working days" in top.figure.get_suptitle()
    assert saved(top, tmp_path / "cmp.png") > 30_000


def test_sweep_chart_has_one_point_per_start(reform: Plan, tmp_path: Path) -> None:
    s = sweep(reform, year=2021)
    ax = plot_sweep(s)
    points = ax.lines[0]
    assert len(points.get_xdata()) == len(s) == 250
    assert list(points.get_ydata()) == s.calendar_days.tolist()
    assert ax.get_ylabel() == "calendar days"
    # The worst start, 9 February (into Spring Festival), is marked in the critical colour.
    worst = [line for line in ax.lines if line.get_color() == CRITICAL_COLOR]
    assert len(worst) == 1
    assert worst[0].get_ydata()[0] == 70
    assert saved(ax, tmp_path / "sweep.png") > 20_000


def test_sweep_chart_of_another_column(reform: Plan) -> None:
    ax = plot_sweep(sweep(reform, year=2021), column="approval_days")
    assert set(ax.lines[0].get_ydata()) == {45}


def test_sweep_chart_of_nothing_is_an_error(reform: Plan) -> None:
    empty = sweep(reform, [date(2030, 1, 2)])
    with pytest.raises(PolicyError, match="no start date"):
        plot_sweep(empty)


def test_methods_draw_the_same_charts(baseline: Plan, reform: Plan) -> None:
    sched = reform.schedule(start=START)
    assert set(bars(sched.plot())) == set(bars(plot_schedule(sched)))
    axes = compare(baseline, reform, start=START).plot()
    assert len(axes) == 2
    assert set(bars(axes[1])) == {s.id for s in sched}
    assert len(sweep(reform, year=2021).plot().lines[0].get_xdata()) == 250


def test_import_plot_without_matplotlib_says_how_to_install_it() -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "import approval_clock\n"
        "try:\n"
        "    import approval_clock.plot\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == (
        "approval_clock.plot needs matplotlib; install it with pip install matplotlib (the 'plot' extra; see docs/install.md)"
    )


def test_schedule_plot_without_matplotlib_raises_the_same_import_error() -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from datetime import date\n"
        "from approval_clock import Plan, Stage, calendars\n"
        "sched = Plan(stages=[Stage('a', 1)], calendar=calendars.get('CN')).schedule(start=date(2021, 6, 1))\n"
        "try:\n"
        "    sched.plot()\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "pip install matplotlib (the 'plot' extra; see docs/install.md)" in out

"""A calendar year at a glance: ``cal.plot(year)`` and the notebook view ``cal._repr_html_()``.

Not pixel comparisons: the tests find each day's square by its ``gid``
(``"day:YYYY-MM-DD"``) and look at its colour, hatch and place, at the legend and
labels drawn, and at the classes of the HTML cells. The Chinese labels are tested
with the font lookup made to find nothing (the English fallback, with its
warning), and with a real CJK font when the machine has one.
"""

from __future__ import annotations

import runpy
import subprocess
import sys
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import approval_clock.plot as plot_module  # noqa: E402
from approval_clock import (  # noqa: E402
    ArgumentTypeError,
    CalendarCoverageError,
    WorkCalendar,
    calendars,
)
from approval_clock._html import DAY_COLORS as HTML_DAY_COLORS  # noqa: E402
from approval_clock.plot import CERTAINTY_HATCHES, DAY_COLORS, plot_calendar_year  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CN = calendars.get("CN")


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def forecast() -> WorkCalendar:
    return CN.extended(until=date(2027, 12, 31), rule="forecast")


def squares(ax: Axes, prefix: str = "day:") -> dict[date, Rectangle]:
    out = {}
    for p in ax.patches:
        gid = p.get_gid() or ""
        if gid.startswith(prefix):
            assert isinstance(p, Rectangle)
            out[date.fromisoformat(gid.removeprefix(prefix))] = p
    return out


def texts(ax: Axes, gid: str) -> list[str]:
    return [t.get_text() for t in ax.texts if t.get_gid() == gid]


def legend(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def face(p: Rectangle) -> str:
    return to_hex(p.get_facecolor())


def test_every_kind_has_its_own_colour_shared_with_the_notebook_view() -> None:
    assert set(DAY_COLORS) == {"statutory_holiday", "rest_day", "makeup_working_day", "working_day"}
    assert len(set(DAY_COLORS.values())) == 4
    assert DAY_COLORS == HTML_DAY_COLORS
    assert len(set(CERTAINTY_HATCHES.values())) == 2


def test_a_year_is_one_square_per_day_with_its_number(tmp_path: Path) -> None:
    ax = CN.plot(2026)
    assert isinstance(ax, Axes)
    days = squares(ax)
    assert len(days) == 365
    assert (min(days), max(days)) == (date(2026, 1, 1), date(2026, 12, 31))
    assert not squares(ax, "outside:")
    assert texts(ax, "day:2026-10-01") == ["1"]
    assert texts(ax, "day:2026-12-31") == ["31"]
    # 248 working days: 242 weekdays worked plus 6 makeup Saturdays and Sundays.
    assert ax.get_title() == "Mainland China 2026: 248 working days (3 days tentative)"
    ax.figure.savefig(tmp_path / "cn.png", dpi=60)
    assert (tmp_path / "cn.png").read_bytes().startswith(b"\x89PNG")


def test_squares_are_coloured_by_the_kind_of_day() -> None:
    days = squares(CN.plot(2026))
    expected = {
        date(2026, 10, 1): "statutory_holiday",  # National Day, by law
        date(2026, 10, 5): "rest_day",  # a Monday given off by the 2026 notice
        date(2026, 10, 10): "makeup_working_day",  # a Saturday worked for National Day
        date(2026, 10, 12): "working_day",
        date(2026, 10, 11): "rest_day",  # a plain Sunday
        date(2026, 2, 14): "makeup_working_day",  # Saturday before Spring Festival
        date(2026, 2, 17): "statutory_holiday",  # Spring Festival (first day)
    }
    for day, kind in expected.items():
        assert CN.day_kind(day) == kind, day
        assert face(days[day]) == DAY_COLORS[kind], day
    counts = {k: sum(face(p) == c for p in days.values()) for k, c in DAY_COLORS.items()}
    assert counts == {
        "statutory_holiday": 13,
        "rest_day": 104,
        "makeup_working_day": 6,
        "working_day": 242,
    }


def test_months_run_monday_first_in_seven_columns() -> None:
    days = squares(CN.plot(2026))

    def cell(d: date) -> tuple[float, float]:
        return days[d].get_x(), days[d].get_y()

    # 1 October 2026 is a Thursday (column 3); Monday 5 October opens the next row.
    (x1, y1), (x5, y5) = cell(date(2026, 10, 1)), cell(date(2026, 10, 5))
    assert (round(x1 - x5), round(y5 - y1)) == (3, 1)
    # Sunday 4 October closes the first row, six columns right of Monday.
    assert round(cell(date(2026, 10, 4))[0] - x5) == 6
    # Months four to a row: January, February, March, April side by side; May below.
    jan, apr, may = (cell(date(2026, m, 1)) for m in (1, 4, 5))
    assert apr[0] > jan[0]
    assert round(apr[1] - jan[1]) == 0
    assert may[1] > jan[1]
    assert texts(CN.plot(2026), "month")[:3] == ["January", "February", "March"]
    assert texts(CN.plot(2026), "weekday")[:7] == ["M", "T", "W", "T", "F", "S", "S"]


def test_tentative_days_are_dotted_and_named_in_the_legend() -> None:
    ax = CN.plot(2026)
    days = squares(ax)
    # 29-31 December: covered by the 2026 notice, but the 2027 notice may change them.
    for n in (29, 30, 31):
        assert days[date(2026, 12, n)].get_hatch() == CERTAINTY_HATCHES["tentative"]
    assert not days[date(2026, 12, 28)].get_hatch()
    assert sum(bool(p.get_hatch()) for p in days.values()) == 3
    assert legend(ax) == [
        "statutory holiday",
        "other rest day",
        "makeup working day",
        "working day",
        "tentative (may still change)",
    ]


def test_an_official_year_names_no_certainty_in_its_legend() -> None:
    ax = CN.plot(2021)
    assert not any(p.get_hatch() for p in squares(ax).values())
    assert legend(ax) == [
        "statutory holiday",
        "other rest day",
        "makeup working day",
        "working day",
    ]
    assert ax.get_title() == "Mainland China 2021: 250 working days"


def test_projected_days_are_striped(forecast: WorkCalendar) -> None:
    ax = forecast.plot(2027)
    days = squares(ax)
    assert {p.get_hatch() for p in days.values()} == {CERTAINTY_HATCHES["projected"]}
    assert face(days[date(2027, 10, 1)]) == DAY_COLORS["statutory_holiday"]
    assert "projected (no notice yet)" in legend(ax)
    assert "tentative (may still change)" not in legend(ax)
    assert ax.get_title().endswith("(365 days projected)")


def test_a_year_the_calendar_covers_in_part_shows_that_part() -> None:
    cal = WorkCalendar(
        "Example", first=date(2026, 3, 15), last=date(2026, 12, 31), code="EX",
        holidays={date(2026, 10, 1): "National Day"},
        workdays={date(2026, 10, 10): "National Day"},
    )  # fmt: skip
    ax = cal.plot(2026)
    days, outside = squares(ax), squares(ax, "outside:")
    assert (min(days), len(days)) == (date(2026, 3, 15), 365 - 73)
    # 1 January .. 14 March: blank outlines, no colour.
    assert (min(outside), max(outside)) == (date(2026, 1, 1), date(2026, 3, 14))
    assert len(outside) == 73
    assert all(p.get_facecolor()[3] == 0 for p in outside.values())
    assert face(days[date(2026, 10, 10)]) == DAY_COLORS["makeup_working_day"]
    assert "not covered by the calendar" in legend(ax)
    assert "covered 2026-03-15 .. 2026-12-31" in ax.get_title()


def test_a_year_outside_the_calendar_is_a_coverage_error() -> None:
    with pytest.raises(CalendarCoverageError, match=r"plot\(2030\).*after.*with_notice"):
        CN.plot(2030)
    with pytest.raises(CalendarCoverageError, match=r"plot\(2003\).*before.*2004-01-01"):
        CN.plot(2003)
    # The last day of the range is enough for a year to be drawn.
    assert len(squares(CN.with_workdays({}).plot(2026))) == 365


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"year": "2026"}, "year: expected an integer year"),
        ({"year": True}, "year: expected an integer year"),
        ({"year": 2026, "lang": "fr"}, "lang: expected 'en' or 'zh'"),
    ],
)
def test_bad_arguments_are_argument_type_errors(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ArgumentTypeError, match=match):
        CN.plot(**kwargs)


def test_draws_on_given_axes_without_a_legend() -> None:
    _fig, ax = plt.subplots(figsize=(6, 5))
    assert plot_calendar_year(CN, 2026, ax, legend=False, title="2026") is ax
    assert ax.get_legend() is None
    assert ax.get_title() == "2026"
    assert len(squares(ax)) == 365


def test_the_days_are_classified_in_one_vectorized_call(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, object]] = []
    for name in ("day_kind", "certainty"):
        original = getattr(WorkCalendar, name)

        def spy(self: WorkCalendar, d: Any, *a: Any, _f: Any = original, _n: str = name) -> Any:
            calls.append((_n, d))
            return _f(self, d, *a)

        monkeypatch.setattr(WorkCalendar, name, spy)
    CN.plot(2024)  # a leap year
    assert [n for n, _ in calls] == ["day_kind", "certainty"]
    assert all(len(d) == 366 for _, d in calls)  # type: ignore[arg-type]


def test_chinese_labels_without_a_cjk_font_fall_back_to_english_with_one_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(plot_module, "_cjk_font", lambda: None)
    with pytest.warns(UserWarning, match="no font with Chinese glyphs") as record:
        ax = CN.plot(2026, lang="zh")
    assert len(record) == 1
    message = str(record[0].message)
    assert "no font with Chinese glyphs" in message
    assert "apt-get install fonts-noto-cjk" in message
    assert texts(ax, "month")[0] == "January"
    assert texts(ax, "weekday")[:7] == ["M", "T", "W", "T", "F", "S", "S"]
    assert legend(ax)[0] == "statutory holiday"
    assert ax.get_title().startswith("Mainland China 2026: 248 working days")


def test_a_chinese_calendar_name_without_a_cjk_font_is_replaced_by_its_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(plot_module, "_cjk_font", lambda: None)
    cal = CN.renamed("中国大陆", code="CN")
    with pytest.warns(UserWarning, match="English labels"):
        ax = cal.plot(2026)
    assert ax.get_title().startswith("CN 2026: ")


def test_english_labels_need_no_cjk_font(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plot_module, "_cjk_font", lambda: None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = CN.plot(2026)
    assert ax.texts[0].get_fontfamily() == plt.rcParams["font.family"]


def test_chinese_labels_with_a_cjk_font(tmp_path: Path) -> None:
    font = plot_module._cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    assert font in plot_module.CJK_FONTS
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no missing-glyph warning, no fallback warning
        ax = CN.plot(2026, lang="zh")
        ax.figure.savefig(tmp_path / "zh.png", dpi=50)
    months = [t for t in ax.texts if t.get_gid() == "month"]
    assert [months[0].get_text(), months[9].get_text(), months[11].get_text()] == [
        "一月",
        "十月",
        "十二月",
    ]
    assert months[0].get_fontfamily() == [font]
    assert texts(ax, "weekday")[:7] == ["一", "二", "三", "四", "五", "六", "日"]
    assert legend(ax) == ["法定节假日", "休息日", "调休上班", "工作日", "暂定"]
    assert ax.get_title() == "Mainland China 2026年：248个工作日（3天暂定）"


def test_a_cjk_font_installed_after_matplotlibs_font_cache_is_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from matplotlib import font_manager

    files = [
        p
        for p in font_manager.findSystemFonts()
        if any(k in Path(p).name.lower() for k in plot_module._CJK_FILES)
    ]
    if not files:
        pytest.skip("no CJK font file on this machine")
    # A cache written before the font was installed knows none of them.
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    assert plot_module._cjk_font() in plot_module.CJK_FONTS


def test_chinese_legend_of_a_projected_year(forecast: WorkCalendar) -> None:
    if plot_module._cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    assert legend(forecast.plot(2027, lang="zh"))[-1] == "预测"


def test_the_example_script_writes_the_png(tmp_path: Path) -> None:
    script = runpy.run_path(str(ROOT / "examples" / "calendar_year_plot.py"))
    out = script["main"](["2027", str(tmp_path / "cn-2027.png")])
    assert out.read_bytes().startswith(b"\x89PNG")
    assert out.stat().st_size > 50_000


# -- the notebook view -------------------------------------------------------------------


def test_html_shows_the_range_certainty_and_the_notices() -> None:
    html = CN._repr_html_()
    assert "Mainland China (code CN)" in html
    assert "covers 2004-01-01 .. 2026-12-31" in html
    assert "tentative: 2026-12-29 .. 2026-12-31" in html
    assert "projected: none" in html
    # One notice a year 2004-2026 (23), and three more: the 70th anniversary day off of
    # 3 September 2015, the 2019 change of Labour Day, the 2020 Spring Festival extension.
    assert "source notices: 26 notices, 2004..2026; the last 3:" in html
    assert "<li>国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号)</li>" in html
    assert html.count("<li>") == 3


def test_html_grid_classes_each_day_by_kind() -> None:
    from approval_clock import _html

    html = _html.calendar(CN, year=2026)
    assert html.count('class="ac-day ') == 365
    assert html.count("<table") == 12
    for day, classes in {
        "2026-10-01": "ac-day ac-statutory_holiday",
        "2026-10-05": "ac-day ac-rest_day",
        "2026-10-10": "ac-day ac-makeup_working_day",
        "2026-10-12": "ac-day ac-working_day",
        "2026-12-29": "ac-day ac-working_day ac-tentative",
    }.items():
        assert f'class="{classes}" title="{day}:' in html, day
    assert f"background-color:{DAY_COLORS['statutory_holiday']}" in html
    assert "source notices: none recorded" in html  # no sources passed


def test_html_of_a_projection_stripes_the_projected_days(forecast: WorkCalendar) -> None:
    from approval_clock import _html

    html = _html.calendar(forecast, year=2027)
    assert 'class="ac-day ac-statutory_holiday ac-projected" title="2027-10-01:' in html
    assert "projected: 2027-01-01 .. 2027-12-31" in forecast._repr_html_()


def test_html_shows_the_last_covered_year_when_today_is_outside_and_escapes_names() -> None:
    cal = WorkCalendar(
        "<script>alert(1)</script>", first=date(2010, 6, 1), last=date(2011, 12, 31),
        holidays={date(2011, 10, 3): "<b>day</b>"},
    )  # fmt: skip
    html = cal._repr_html_()
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Today is past the range: the grid is of the range's last year.
    assert "January 2011" in html
    assert "January 2010" not in html
    assert 'class="ac-day ac-rest_day" title="2011-10-03:' in html
    # A year covered in part: the days before the range are plain, unclassed cells.
    early = _html_year(cal, 2010)
    assert early.count('class="ac-day ') == 214  # 1 June .. 31 December 2010


def _html_year(cal: WorkCalendar, year: int) -> str:
    from approval_clock import _html

    return _html.calendar(cal, year=year)


def test_the_notebook_view_and_import_do_not_pull_matplotlib() -> None:
    code = (
        "import sys, approval_clock\n"
        "from approval_clock import calendars\n"
        "calendars.get('CN')._repr_html_()\n"
        "print('matplotlib' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


def test_plot_without_matplotlib_says_how_to_install_it() -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from approval_clock import calendars\n"
        "try:\n"
        "    calendars.get('CN').plot(2026)\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "pip install matplotlib (the 'plot' extra; see docs/install.md)" in out

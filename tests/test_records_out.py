"""approval_clock.records, the way out (issue 14): grouped KPIs, the notebook view,
the charts and the Excel report.

Hand-worked frame: case 1 (north) done on time and same day; case 2 (north) late;
case 3 (south) open and overdue as of 30 Sep 2021; one rejected row (south).
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from approval_clock import WorkCalendar
from approval_clock.errors import ColumnTypeError, RecordsError
from approval_clock.records import KPI_NAMES, Analysis, HTMLView, KPIs, analyze, kpis_from_parts

AS_OF = date(2021, 9, 30)


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case": [1, 1, 2, 3, 4],
            "stage": ["a", "b", "a", "a", "a"],
            "office": ["north", "north", "north", "south", "south"],
            "accepted": pd.to_datetime(
                ["2021-09-06", "2021-09-06", "2021-08-30", "2021-09-13", None]
            ),
            "completed": pd.to_datetime(["2021-09-06", "2021-09-10", "2021-09-10", None, None]),
            "limit": [1, 5, 5, 5, 5],
        }
    )


def pauses() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case": [2, 3, 8],
            "stage": ["a", "a", "a"],
            "paused": pd.to_datetime(["2021-08-31", "2021-09-14", "2021-09-14"]),
            "resumed": pd.to_datetime(["2021-09-01", "2021-09-15", None]),
        }
    )


@pytest.fixture
def result(cn: WorkCalendar) -> Analysis:
    return analyze(frame(), pauses=pauses(), calendar=cn, as_of=AS_OF)


# -- grouped KPIs ---------------------------------------------------------------------------


def test_kpis_by_office_equal_each_office_alone(result: Analysis, cn: WorkCalendar) -> None:
    table = result.kpis(by="office")
    # The pause of case 8, which has no stage, has no office: the group of missing keys.
    assert table.index[:2].tolist() == ["north", "south"]
    assert pd.isna(table.index[2])
    assert table.iloc[2][["stages", "rejected_pauses"]].tolist() == [0, 1]
    assert list(table.columns) == list(KPI_NAMES)
    for office in ("north", "south"):
        rows = frame()["office"] == office
        cases = frame()["case"][rows]
        alone = analyze(
            frame()[rows],
            pauses=pauses()[pauses()["case"].isin(cases)],
            calendar=cn,
            as_of=AS_OF,
        ).kpis()
        got = table.loc[office].to_dict()
        assert {k: v for k, v in got.items() if k != "rejected_pauses"} == pytest.approx(
            {k: v for k, v in alone.items() if k != "rejected_pauses"}, nan_ok=True
        )
    # North: (6 Sep same day, on time), (6-10 Sep on time), (30 Aug - 10 Sep, paused 1: late).
    north = table.loc["north"]
    assert (north["stages"], north["done"], north["done_on_time"], north["cases"]) == (3, 3, 2, 2)
    assert north["on_time_rate"] == pytest.approx(2 / 3)
    assert north["same_day_rate"] == pytest.approx(1 / 3)
    assert north["mean_steps_per_case"] == 1.5
    assert table.loc["south", "rejected"] == 1


def test_grouped_counts_add_up_to_the_totals(result: Analysis) -> None:
    totals = result.kpis()
    for by in ("office", "stage", ["office", "month"], "month", "case"):
        table = result.kpis(by=by)
        for name in ("stages", "rejected", "pauses", "rejected_pauses", "done", "overdue_days"):
            assert table[name].sum() == totals[name], (by, name)


def test_month_of_acceptance_or_completion(result: Analysis) -> None:
    by_acc = result.kpis(by="month")
    assert [str(p) for p in by_acc.index] == ["2021-08", "2021-09", "NaT"]
    assert by_acc["stages"].tolist() == [1, 3, 0]
    assert by_acc["rejected"].tolist() == [0, 0, 1]
    by_done = result.kpis(by="month", month="completed")
    # Done: 2 in September; the open stage and the rejected row have no month of completion.
    assert by_done.loc[pd.Period("2021-09", "M"), "done"] == 3
    two = result.kpis(by=["office", "month"])
    assert two.index.names == ["office", "month"]
    with pytest.raises(RecordsError, match="month: expected"):
        result.kpis(by="month", month="started")  # type: ignore[call-overload]
    with pytest.raises(RecordsError, match="no column 'region'"):
        result.kpis(by="region")


def test_grouped_parts_combine_from_partitions(result: Analysis, cn: WorkCalendar) -> None:
    whole = result.kpis(by="office")
    parts = [
        analyze(frame()[frame()["case"].isin(c)], pauses=pauses()[pauses()["case"].isin(c)],
                calendar=cn, as_of=AS_OF).kpi_parts(by="office")
        for c in ([1, 3], [2, 4, 8])
    ]  # fmt: skip
    combined = kpis_from_parts(pd.concat(parts), by="office")
    pd.testing.assert_frame_equal(combined.loc[whole.index], whole)
    with pytest.raises(RecordsError, match="grouped by"):
        kpis_from_parts(parts[0])


def test_totals_from_the_vectorized_table_equal_the_parts(result: Analysis) -> None:
    k = result.kpis()
    assert isinstance(k, KPIs)
    assert isinstance(k, dict)
    assert list(k) == list(KPI_NAMES)
    assert isinstance(k["stages"], int)
    assert isinstance(k["on_time_rate"], float)
    assert kpis_from_parts(result.kpi_parts()) == k


# -- the notebook view -----------------------------------------------------------------------


def test_view_is_a_table_with_percentages_and_chinese_labels(result: Analysis) -> None:
    html = result.view(lang="zh").html
    for label in ("按时办结率", "即来即办率", "平均办理环节"):
        assert f"<th>{label}</th>" in html
    # One header row and one row of values: a table, not a 27-row list.
    main = html.split("<table>")[1]
    assert main.count("<tr>") == 2
    assert "<td>66.7%</td>" in main  # 2 of 3 done stages on time
    assert "超期环节：" in html
    assert "<details>" in html


def test_view_by_group_and_compression(result: Analysis) -> None:
    catalog = pd.DataFrame({"statutory": [20, 10], "committed": [5, 10]})
    html = result.view(by="office", catalog=catalog, lang="zh").html
    assert "<th>office</th>" in html
    assert "<td>north</td>" in html
    assert "<th>平均压缩时限</th>" in html
    assert "<td>50.0%</td>" in html  # (30 - 15) / 30
    assert isinstance(result.view(), HTMLView)
    with pytest.raises(ColumnTypeError, match="lang"):
        result.view(lang="fr")


def test_missing_values_are_empty_cells(cn: WorkCalendar) -> None:
    # Open stages only: the on-time rate has no denominator; days_left is <NA> for done rows.
    only_open = frame().iloc[[3]]
    html = analyze(only_open, calendar=cn, as_of=AS_OF)._repr_html_()
    assert "nan" not in html.lower().replace("nant", "")
    assert "&lt;NA&gt;" not in html
    assert "NaT" not in html
    late = analyze(frame(), calendar=cn, as_of=AS_OF)  # overdue rows hold <NA> days_left
    assert "&lt;NA&gt;" not in late._repr_html_()


def test_kpis_display_as_a_table(result: Analysis) -> None:
    html = result.kpis()._repr_html_()
    assert "<td>on-time rate</td><td>66.7%</td>" in html
    assert "<td>按时办结率</td><td>66.7%</td>" in result.kpis().view(lang="zh").html


# -- charts ------------------------------------------------------------------------------------


@pytest.fixture
def plt() -> object:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_plot_overdue_stacks_late_and_open(result: Analysis, plt: object) -> None:
    from matplotlib.axes import Axes

    ax = result.plot("overdue")
    assert isinstance(ax, Axes)
    bars = {p.get_gid(): 0 for p in ax.patches}
    heights: dict[str, float] = {}
    for p in ax.patches:
        heights[p.get_gid()] = heights.get(p.get_gid(), 0) + p.get_height()
    assert set(bars) == {"done late", "open overdue"}
    # Case 2's stage done late by 3 working days; case 3's open stage 7 days over.
    assert heights == {"done late": 1, "open overdue": 1}
    assert ax.get_title(loc="left") == "2 of 4 stages overdue (50.0%); median 5 working days over"


def test_plot_on_time_by_month(result: Analysis, plt: object) -> None:
    ax = result.plot("on_time_by_month")
    rate = ax.lines[0]
    assert rate.get_gid() == "on_time_rate"
    assert [round(float(v), 3) for v in rate.get_ydata()] == [0.667]  # September: 2 of 3
    zh = result.plot("on_time_by_month", lang="zh", month="accepted")
    assert zh.get_title(loc="left") == "按月按时办结率（按受理月份）"


def test_plot_stages_marks_the_limits(result: Analysis, plt: object) -> None:
    ax = result.plot("stages")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b (n=1)", "a (n=2)"]
    limits = {
        ln.get_gid(): ln.get_xdata()[0]
        for ln in ax.lines
        if (ln.get_gid() or "").startswith("limit:")
    }
    assert limits == {"limit:a": 1, "limit:b": 5} or limits == {"limit:a": 5, "limit:b": 5}
    with pytest.raises(ColumnTypeError, match="kind"):
        result.plot("pie")  # type: ignore[arg-type]


# -- Excel ------------------------------------------------------------------------------------


def test_to_excel_writes_every_frame_and_the_kpis(result: Analysis, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    out = result.to_excel(tmp_path / "report.xlsx", by=["office", "month"], lang="zh")
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == [
        "KPIs",
        "KPIs by office, month",
        "stages",
        "rejected",
        "cases",
        "pauses",
        "rejected pauses",
    ]
    assert len(sheets["stages"]) + len(sheets["rejected"]) == len(frame())
    assert sheets["rejected"]["reason"].tolist() == ["missing acceptance"]
    assert len(sheets["pauses"]) + len(sheets["rejected pauses"]) == len(pauses())
    kpis = sheets["KPIs"].set_index("KPI")
    assert kpis.loc["on_time_rate", "label"] == "按时办结率"
    assert kpis.loc["on_time_rate", "value"] == pytest.approx(2 / 3)
    grouped = sheets["KPIs by office, month"]
    assert {"office", "month", "按时办结率"} <= set(grouped.columns)
    assert grouped["month"].astype(str).tolist()[:2] == ["2021-08", "2021-09"]
    assert sheets["cases"]["case"].tolist() == [1, 2, 3]
    assert pd.api.types.is_datetime64_any_dtype(sheets["stages"]["deadline"])
    with pytest.raises(RecordsError, match=r"\.xlsx"):
        result.to_excel(tmp_path / "report.csv")


def test_to_excel_splits_long_sheets(
    result: Analysis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("openpyxl")
    from approval_clock.records import _io as _records_io

    monkeypatch.setattr(_records_io, "EXCEL_ROWS", 3)  # 2 data rows per sheet
    sheets = pd.read_excel(result.to_excel(tmp_path / "r.xlsx"), sheet_name=None)
    assert [len(sheets[n]) for n in ("stages", "stages (2)")] == [2, 2]
    assert not math.isnan(np.nan_to_num(sheets["KPIs"]["value"].iloc[0]))

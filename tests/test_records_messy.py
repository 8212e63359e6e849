"""approval_clock.records on records as analysts get them (issue 14, the way in).

Every bad input gets a test here, and every test checks that no row is lost:
``len(stages) == len(result.stages) + len(result.rejected)`` (and the same for
pauses). Dates are worked by hand on the mainland calendar of 2021: Mon 6 Sep to
Fri 10 Sep is 4 working days after the day of acceptance; National Day 2021 is
Fri 1 - Thu 7 Oct off, Sat 9 Oct a makeup working day.
"""

from __future__ import annotations

import warnings
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from approval_clock import WorkCalendar, calendars
from approval_clock.errors import ColumnTypeError, RecordsError
from approval_clock.records import (
    PAUSE_REASONS,
    STAGE_REASONS,
    Analysis,
    RecordsWarning,
    analyze,
)

AS_OF = date(2021, 9, 30)


def text_frame(**columns: list[Any]) -> pd.DataFrame:
    """A frame as ``read_csv(dtype=str, keep_default_na=False)`` gives it: all text."""
    base: dict[str, list[Any]] = {
        "case": ["G"],
        "stage": ["s"],
        "accepted": ["2021-09-06"],
        "completed": ["2021-09-10"],
        "limit": ["5"],
    }
    n = max(len(v) for v in columns.values()) if columns else 1
    out = {k: (columns.get(k) or v * n) for k, v in base.items()}
    return pd.DataFrame(out, dtype=str)


def conserved(frame: pd.DataFrame, result: Analysis, pauses: pd.DataFrame | None = None) -> None:
    assert len(result.stages) + len(result.rejected) == len(frame)
    if pauses is not None:
        assert len(result.pauses) + len(result.rejected_pauses) == len(pauses)


def reasons(result: Analysis) -> list[tuple[Any, str, str]]:
    return list(
        zip(
            result.rejected.index, result.rejected["reason"], result.rejected["column"], strict=True
        )
    )


# -- partial dates ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2021", "2021-08", "2021/8", "2021年8月", "202108"])
def test_partial_dates_are_rejected_with_a_reason(cn: WorkCalendar, value: str) -> None:
    # Before issue 14, "2021" and "2021-08" read as 1 January and 1 August: "done late".
    frame = text_frame(accepted=["2021-09-06", value], case=["G", "X"])
    r = analyze(frame, calendar=cn)
    conserved(frame, r)
    assert r.stages["case"].tolist() == ["G"]
    assert reasons(r) == [(1, "partial date", "accepted")]
    assert "partial date" in STAGE_REASONS


def test_partial_completion_and_pause_dates(cn: WorkCalendar) -> None:
    frame = text_frame(completed=["2021-09"])
    pauses = pd.DataFrame(
        {"case": ["G", "G"], "stage": "s", "paused": ["2021-09", "2021-09-07"], "resumed": None}
    )
    r = analyze(text_frame(), pauses=pauses, calendar=cn)
    conserved(text_frame(), r, pauses)
    assert r.rejected_pauses[["reason", "column"]].values.tolist() == [["partial date", "paused"]]
    assert "partial date" in PAUSE_REASONS
    r = analyze(frame, calendar=cn)
    assert reasons(r) == [(0, "partial date", "completed")]


def test_a_date_format_without_a_day_is_refused(cn: WorkCalendar) -> None:
    with pytest.raises(RecordsError, match=r"date_format '%Y-%m' has no day"):
        analyze(text_frame(), calendar=cn, date_format="%Y-%m")


# -- blank strings ------------------------------------------------------------------------


def test_blank_completion_is_an_open_stage(cn: WorkCalendar) -> None:
    # read_csv(dtype=str, keep_default_na=False) gives "" for an empty cell: still open.
    frame = text_frame(completed=["", "  "], case=["A", "B"])
    r = analyze(frame, calendar=cn, as_of=AS_OF)
    conserved(frame, r)
    assert r.stages["open"].tolist() == [True, True]
    # (6 Sep, 30 Sep] = 7-10, 13-17, 18 (makeup), 22-24, 26 (makeup), 27-30 = 18.
    assert r.stages["elapsed"].tolist() == [18, 18]
    with pytest.raises(RecordsError, match="as_of is required"):
        analyze(frame, calendar=cn)


@pytest.mark.parametrize("column", ["case", "stage"])
def test_blank_ids_are_rejected_not_pooled(cn: WorkCalendar, column: str) -> None:
    # Before, every blank id was one case: "" with three stages.
    frame = text_frame(**{column: ["G", "", "   ", ""]}).assign(
        stage=lambda f: f["stage"] if column == "stage" else ["s", "t", "u", "v"]
    )
    r = analyze(frame, calendar=cn)
    conserved(frame, r)
    assert len(r.stages) == 1
    assert set(r.rejected["reason"]) == {"missing case or stage"}
    assert r.cases.index.tolist() == ["G"]


def test_blank_limit_is_unknown_and_blank_acceptance_missing(cn: WorkCalendar) -> None:
    frame = text_frame(limit=["5", ""], accepted=["2021-09-06", "2021-09-06"], case=["G", "X"])
    frame.loc[2] = ["Y", "s", "", "2021-09-10", "5"]
    r = analyze(frame, calendar=cn)
    conserved(frame, r)
    assert reasons(r) == [(1, "unknown limit", "limit"), (2, "missing acceptance", "accepted")]


def test_blank_pause_resume_is_still_paused(cn: WorkCalendar) -> None:
    pauses = pd.DataFrame(
        {"case": ["G"], "stage": ["s"], "paused": ["2021-09-07"], "resumed": [""]}, dtype=str
    )
    r = analyze(text_frame(), pauses=pauses, calendar=cn)
    conserved(text_frame(), r, pauses)
    # Paused 7 Sep, never resumed: 8, 9, 10 Sep paused, of 4.
    assert r.stages["paused_days"].tolist() == [3]


# -- UTC offsets, value by value ------------------------------------------------------------


def test_offsets_are_decided_per_value(cn: WorkCalendar) -> None:
    # 17:30 UTC on Sun 5 Sep is Mon 6 Sep in Shanghai; the naive "2021-09-06" is local.
    frame = text_frame(
        case=["A", "B", "C"],
        accepted=["2021-09-05T17:30:00Z", "2021-09-06", "2021-09-06 09:00:00+08:00"],
        completed=["2021-09-10", "2021-09-10T15:59:00+00:00", "not a date"],
    )
    r = analyze(frame, calendar=cn)
    conserved(frame, r)
    assert r.stages["elapsed"].tolist() == [4, 4]
    # Only the value that cannot be read is rejected, with its row.
    assert reasons(r) == [(2, "unparseable value", "completed")]


def test_offsets_need_a_calendar_zone() -> None:
    fr = calendars.get("FR", years=(2021, 2021))
    frame = text_frame(accepted=["2021-09-06T10:00+02:00"])
    with pytest.raises(RecordsError, match="no time zone"):
        analyze(frame, calendar=fr)


# -- ids typed differently ------------------------------------------------------------------


def test_int_and_text_case_ids_are_matched_with_one_warning(cn: WorkCalendar) -> None:
    stages = pd.DataFrame(
        {
            "case": [17, 18],
            "stage": "s",
            "accepted": pd.to_datetime(["2021-09-06"] * 2),
            "completed": pd.to_datetime(["2021-09-10"] * 2),
            "limit": 5,
        }
    )
    pauses = pd.DataFrame(
        {"case": ["17", "99"], "stage": "s", "paused": ["2021-09-07"] * 2, "resumed": "2021-09-08"}
    )
    with pytest.warns(RecordsWarning) as caught:
        r = analyze(stages, pauses=pauses, calendar=cn)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "integer in stages (dtype int64)" in message
    assert "text in pauses (dtype str)" in message
    assert "1 of 2 pause case ids match no stage row" in message
    conserved(stages, r, pauses)
    assert r.stages["paused_days"].tolist() == [1, 0]  # before: [0, 0], silently
    assert r.rejected_pauses["reason"].tolist() == ["no such stage"]


def test_same_types_do_not_warn(cn: WorkCalendar) -> None:
    stages = text_frame()
    pauses = pd.DataFrame({"case": ["G"], "stage": "s", "paused": ["2021-09-07"], "resumed": None})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = analyze(stages, pauses=pauses, calendar=cn)
    assert r.stages["paused_days"].tolist() == [3]


def test_whole_float_ids_are_integers(cn: WorkCalendar) -> None:
    # A column of integers with a gap becomes floats: 17.0 is still case 17.
    stages = text_frame(case=["x", "y"]).assign(case=[17.0, np.nan])
    pauses = pd.DataFrame({"case": [17], "stage": "s", "paused": ["2021-09-07"], "resumed": None})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = analyze(stages, pauses=pauses, calendar=cn)
    conserved(stages, r, pauses)
    assert r.stages["paused_days"].tolist() == [3]
    assert r.rejected["reason"].tolist() == ["missing case or stage"]


def test_id_normalisation_strip_case_width(cn: WorkCalendar) -> None:
    stages = text_frame(case=[" p01", "P01 ", "Ｐ０２"], completed=["2021-09-10"] * 3).assign(
        stage=["s", "t", "s"]
    )
    pauses = pd.DataFrame(
        {"case": ["p02"], "stage": ["S "], "paused": ["2021-09-07"], "resumed": None}
    )
    exact = analyze(stages, pauses=pauses, calendar=cn)
    assert len(exact.cases) == 3
    assert exact.rejected_pauses["reason"].tolist() == ["no such stage"]
    r = analyze(stages, pauses=pauses, calendar=cn, normalize_ids=["strip", "case", "width"])
    conserved(stages, r, pauses)
    assert r.cases.index.tolist() == ["p01", "p02"]
    assert r.cases["steps"].tolist() == [2, 1]
    assert r.stages["case"].tolist() == ["p01", "p01", "p02"]
    assert r.stages["paused_days"].tolist() == [0, 0, 3]
    with pytest.raises(RecordsError, match="unknown step 'upper'"):
        analyze(stages, calendar=cn, normalize_ids="upper")


# -- options a real export needs ------------------------------------------------------------


def test_chinese_dates_with_date_format(cn: WorkCalendar) -> None:
    frame = text_frame(accepted=["2021年9月6日"], completed=["2021年9月10日"])
    assert analyze(frame, calendar=cn).rejected["reason"].tolist() == ["unparseable value"]
    r = analyze(frame, calendar=cn, date_format="%Y年%m月%d日")
    assert r.stages["elapsed"].tolist() == [4]


def test_day_first_dates(cn: WorkCalendar) -> None:
    # 06/09/2021 is 6 September day first; without dayfirst it is rejected, not guessed.
    frame = text_frame(accepted=["06/09/2021"], completed=["10/09/2021"])
    assert analyze(frame, calendar=cn).rejected["reason"].tolist() == ["unparseable value"]
    r = analyze(frame, calendar=cn, dayfirst=True)
    assert r.stages["elapsed"].tolist() == [4]
    with pytest.raises(RecordsError, match="give one of them"):
        analyze(frame, calendar=cn, dayfirst=True, date_format="%d/%m/%Y")


def test_excel_serial_numbers(cn: WorkCalendar) -> None:
    # Serial 44445 is 2021-09-06 (days since 1899-12-30); 44449.75 is 10 Sep, 18:00.
    frame = pd.DataFrame(
        {
            "case": ["A", "B", "C"],
            "stage": "s",
            "accepted": [44445, 44445, 44445],
            "completed": [44449.75, np.nan, 12.0],
            "limit": 5,
        }
    )
    with pytest.raises(ColumnTypeError, match="excel_serial=True"):
        analyze(frame, calendar=cn)
    r = analyze(frame, calendar=cn, excel_serial=True, as_of=AS_OF)
    conserved(frame, r)
    assert r.stages["measured_to"].tolist() == [pd.Timestamp("2021-09-10"), pd.Timestamp(AS_OF)]
    assert r.stages["elapsed"].tolist() == [4, 18]
    assert reasons(r) == [(2, "unparseable value", "completed")]  # 1900: before Excel's epoch
    text = text_frame(accepted=["44445"], completed=["44449"])
    assert analyze(text, calendar=cn, excel_serial=True).stages["elapsed"].tolist() == [4]


def test_open_values_mean_not_finished(cn: WorkCalendar) -> None:
    frame = text_frame(completed=["未办结", "在办", "2021-09-10"], case=["A", "B", "C"])
    plain = analyze(frame, calendar=cn, as_of=AS_OF)
    assert plain.rejected["reason"].tolist() == ["unparseable value"] * 2
    r = analyze(frame, calendar=cn, as_of=AS_OF, open_values=["未办结", "在办"])
    conserved(frame, r)
    assert r.stages["open"].tolist() == [True, True, False]
    # An open value in the acceptance column is not a date.
    bad = text_frame(accepted=["未办结"])
    r = analyze(bad, calendar=cn, as_of=AS_OF, open_values=["未办结"])
    assert reasons(r) == [(0, "unparseable value", "accepted")]


def test_duplicate_pauses_are_flagged_once_kept_once(cn: WorkCalendar) -> None:
    pauses = pd.DataFrame(
        {
            "case": ["G", "G", "G"],
            "stage": "s",
            "paused": ["2021-09-07", "2021-09-07", "2021-09-08"],
            "resumed": ["2021-09-08", "2021-09-08 10:00", "2021-09-09"],
        }
    )
    r = analyze(text_frame(), pauses=pauses, calendar=cn)
    conserved(text_frame(), r, pauses)
    assert r.pauses.index.tolist() == [0, 2]
    assert r.rejected_pauses[["reason", "column"]].values.tolist() == [
        ["duplicate pause", "case, stage, paused, resumed"]
    ]
    assert r.kpis()["pauses"] == 2
    assert r.stages["paused_days"].tolist() == [2]  # 8 and 9 Sep, merged


def test_limits_in_calendar_days(cn: WorkCalendar) -> None:
    frame = pd.DataFrame(
        {
            "case": ["A", "B", "C", "D"],
            "stage": "s",
            "accepted": pd.to_datetime(["2021-09-06", "2021-09-27", "2021-09-27", "2021-09-27"]),
            "completed": pd.to_datetime(["2021-09-10", "2021-10-08", "2021-10-09", None]),
            "limit": [5, 5, 5, 5],
            "unit": ["日", "自然日", "cd", "工作日"],
        }
    )
    r = analyze(frame, calendar=cn, limit_unit_column="unit", as_of=date(2021, 10, 8))
    conserved(frame, r)
    # A: 6 Sep + 5 days = Sat 11 Sep, a rest day: Mon 13 Sep (Civil Code art. 203).
    # B, C: 27 Sep + 5 = Sat 2 Oct, in the holiday: Fri 8 Oct. C, done on the makeup
    # Saturday 9 Oct, is one working day late. D: 5 working days from 27 Sep (28, 29,
    # 30 Sep, 8 Oct, the makeup 9 Oct), open with 1 left on 8 Oct.
    assert r.stages["deadline"].tolist() == [
        pd.Timestamp(d) for d in ("2021-09-13", "2021-10-08", "2021-10-08", "2021-10-09")
    ]
    assert r.stages["status"].tolist() == [
        "done on time",
        "done on time",
        "done late",
        "open warning",
    ]
    assert r.stages["days_overdue"].tolist() == [0, 0, 1, 0]
    assert r.stages["elapsed"].tolist() == [4, 4, 5, 4]  # working days for every unit
    every = analyze(
        frame.drop(columns="unit"), calendar=cn, limit_unit="cd", as_of=date(2021, 10, 8)
    )
    assert every.stages["deadline"].iloc[3] == pd.Timestamp("2021-10-08")
    bad = frame.assign(unit=["日", "weeks", "", None])
    r = analyze(bad, calendar=cn, limit_unit_column="unit", as_of=date(2021, 10, 8))
    conserved(bad, r)
    assert reasons(r) == [(1, "unparseable value", "unit")]
    with pytest.raises(RecordsError, match="limit_unit"):
        analyze(frame, calendar=cn, limit_unit="weeks")


def test_calendar_day_pause_moves_the_deadline(cn: WorkCalendar) -> None:
    # 10 calendar days from Mon 6 Sep: Thu 16 Sep; paused (7, 9 Sep] = 2 calendar days:
    # Sat 18 Sep, a makeup working day.
    frame = text_frame(completed=["2021-09-17"], limit=["10"])
    pauses = pd.DataFrame(
        {"case": ["G"], "stage": "s", "paused": ["2021-09-07"], "resumed": ["2021-09-09"]}
    )
    r = analyze(frame, pauses=pauses, calendar=cn, limit_unit="cd")
    assert r.stages["deadline"].tolist() == [pd.Timestamp("2021-09-18")]
    assert r.stages["status"].tolist() == ["done on time"]


# -- frames other than pandas --------------------------------------------------------------


def messy_pair() -> tuple[pd.DataFrame, pd.DataFrame]:
    stages = pd.DataFrame(
        {
            "case": [1, 1, 2, 3, 4, 4],
            "stage": ["a", "b", "a", "a", "a", "a"],
            "accepted": pd.to_datetime(
                ["2021-09-06", "2021-09-27", "2021-09-06", None, "2021-09-06", "2021-09-07"]
            ),
            "completed": pd.to_datetime(
                ["2021-09-10", None, "2021-09-30", "2021-09-10", "2021-09-10", "2021-09-10"]
            ),
            "limit": [5, 5, 10, 5, 5, 5],
            "office": ["north", "north", "south", "south", "north", "north"],
        }
    )
    pauses = pd.DataFrame(
        {
            "case": [1, 2, 9],
            "stage": ["a", "a", "a"],
            "paused": pd.to_datetime(["2021-09-07", "2021-09-08", "2021-09-08"]),
            "resumed": pd.to_datetime(["2021-09-08", None, "2021-09-09"]),
        }
    )
    return stages, pauses


def test_polars_in_gives_the_same_results_as_pandas(cn: WorkCalendar) -> None:
    pl = pytest.importorskip("polars")
    stages, pauses = messy_pair()
    want = analyze(stages, pauses=pauses, calendar=cn, as_of=AS_OF)
    got = analyze(pl.from_pandas(stages), pauses=pl.from_pandas(pauses), calendar=cn, as_of=AS_OF)
    cols = ["case", "stage", "elapsed", "paused_days", "deadline", "status", "days_left"]
    pd.testing.assert_frame_equal(
        got.stages[cols].reset_index(drop=True), want.stages[cols].reset_index(drop=True)
    )
    assert got.rejected["reason"].tolist() == want.rejected["reason"].tolist()
    assert got.rejected_pauses["reason"].tolist() == want.rejected_pauses["reason"].tolist()
    pd.testing.assert_frame_equal(got.cases, want.cases)
    assert got.kpis() == pytest.approx(want.kpis(), nan_ok=True)
    pd.testing.assert_frame_equal(got.kpis(by="office"), want.kpis(by="office"))


def test_polars_native_dates_and_nulls(cn: WorkCalendar) -> None:
    pl = pytest.importorskip("polars")
    frame = pl.DataFrame(
        {
            "case": [1, 2, None],
            "stage": ["s", "s", "s"],
            "accepted": [date(2021, 9, 6)] * 3,
            "completed": [date(2021, 9, 10), None, None],
            "limit": [5, 5, None],
        }
    )
    r = analyze(frame, calendar=cn, as_of=AS_OF)
    assert len(r.stages) + len(r.rejected) == 3
    assert r.stages["case"].tolist() == [1, 2]  # integers stay integers despite the gap
    assert r.stages["elapsed"].tolist() == [4, 18]
    assert r.rejected["reason"].tolist() == ["missing case or stage"]
    with pytest.raises(ColumnTypeError, match="collect"):
        analyze(frame.lazy(), calendar=cn)


def test_pyarrow_tables_are_read_too(cn: WorkCalendar) -> None:
    pa = pytest.importorskip("pyarrow")
    stages, pauses = messy_pair()
    want = analyze(stages, pauses=pauses, calendar=cn, as_of=AS_OF)
    got = analyze(
        pa.Table.from_pandas(stages), pauses=pa.Table.from_pandas(pauses), calendar=cn, as_of=AS_OF
    )
    assert got.kpis() == pytest.approx(want.kpis(), nan_ok=True)


def test_other_objects_are_refused_by_name(cn: WorkCalendar) -> None:
    with pytest.raises(
        ColumnTypeError,
        match=r"expected a pandas DataFrame or a frame that speaks Arrow.*got builtins.list",
    ):
        analyze([["G", "s"]], calendar=cn)

"""approval_clock.records: hand-worked records on the mainland calendar.

Every expected number below was counted by hand on the 2021 arrangements (State
Council notice of 2020-11-25); the comments list the working days. Reminders:

* Spring Festival 2021: Thu 11 - Wed 17 February off; Sun 7 and Sat 20 February
  are makeup working days.
* National Day 2021: Fri 1 - Thu 7 October off; Sun 26 September and Sat 9
  October are makeup working days.
* Mid-Autumn 2021: Sun 19 - Tue 21 September off; Sat 18 September is a makeup
  working day.
"""

from __future__ import annotations

import json
import math
import runpy
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from approval_clock import (
    ApprovalClockError,
    CalendarCoverageError,
    WorkCalendar,
    WorkingDays,
    calendars,
)
from approval_clock.errors import ColumnTypeError, RecordsError
from approval_clock.records import (
    PAUSE_REASONS,
    STAGE_REASONS,
    STATUSES,
    Analysis,
    analyze,
    combine_kpi_parts,
    kpis_from_parts,
    limit_compression,
)

ROOT = Path(__file__).resolve().parent.parent
T = pd.Timestamp


def stages(*rows: tuple[Any, ...]) -> pd.DataFrame:
    """Rows of (case, stage, accepted, completed, limit); dates as ISO strings or None."""
    return pd.DataFrame(
        {
            "case": [r[0] for r in rows],
            "stage": [r[1] for r in rows],
            "accepted": pd.to_datetime([r[2] for r in rows]),
            "completed": pd.to_datetime([r[3] for r in rows]),
            "limit": [r[4] for r in rows],
        }
    )


def pauses(*rows: tuple[Any, ...]) -> pd.DataFrame:
    """Rows of (case, stage, paused, resumed)."""
    return pd.DataFrame(
        {
            "case": [r[0] for r in rows],
            "stage": [r[1] for r in rows],
            "paused": pd.to_datetime([r[2] for r in rows]),
            "resumed": pd.to_datetime([r[3] for r in rows]),
        }
    )


def one(result: Analysis) -> dict[str, Any]:
    assert len(result.stages) == 1, result.rejected
    row = result.stages.iloc[0]
    return {k: row[k] for k in ("elapsed_gross", "paused_days", "elapsed", "deadline", "status")}


# -- the five statuses -----------------------------------------------------------------


def test_done_on_time_within_the_limit(cn: WorkCalendar) -> None:
    # Accepted Mon 6 Sep, done Fri 10 Sep: 7, 8, 9, 10 Sep = 4 <= 5. The 5th working
    # day after 6 Sep is Mon 13 Sep.
    r = analyze(stages(("A", "s", "2021-09-06", "2021-09-10", 5)), calendar=cn)
    assert one(r) == {
        "elapsed_gross": 4,
        "paused_days": 0,
        "elapsed": 4,
        "deadline": T("2021-09-13"),
        "status": "done on time",
    }
    row = r.stages.iloc[0]
    assert not row["overdue"]
    assert row["days_overdue"] == 0
    assert pd.isna(row["days_left"])


def test_done_on_the_deadline_is_on_time(cn: WorkCalendar) -> None:
    r = analyze(stages(("A", "s", "2021-09-06", "2021-09-13", 5)), calendar=cn)
    assert one(r)["elapsed"] == 5
    assert one(r)["status"] == "done on time"


def test_done_late_one_day_after_the_deadline(cn: WorkCalendar) -> None:
    # Tue 14 Sep is the 6th working day after 6 Sep: one day over a 5-day limit.
    r = analyze(stages(("A", "s", "2021-09-06", "2021-09-14", 5)), calendar=cn)
    row = r.stages.iloc[0]
    assert (row["elapsed"], row["status"], row["overdue"], row["days_overdue"]) == (
        6,
        "done late",
        True,
        1,
    )


def test_open_as_of_a_date(cn: WorkCalendar) -> None:
    # As of Wed 8 Sep: 7, 8 Sep elapsed = 2 of 10; 8 left.
    r = analyze(stages(("A", "s", "2021-09-06", None, 10)), calendar=cn, as_of=date(2021, 9, 8))
    row = r.stages.iloc[0]
    assert (row["open"], row["elapsed"], row["days_left"], row["status"]) == (True, 2, 8, "open")
    assert row["measured_to"] == T("2021-09-08")
    assert r.as_of == date(2021, 9, 8)


@pytest.mark.parametrize(
    ("as_of", "elapsed", "left", "status"),
    [
        (date(2021, 9, 8), 2, 3, "open warning"),  # 3 left: the yellow light (warn_within=3)
        (date(2021, 9, 13), 5, 0, "open warning"),  # the deadline is today
        (date(2021, 9, 14), 6, -1, "open overdue"),  # the red light
        (date(2021, 9, 7), 1, 4, "open"),
    ],
)
def test_open_warning_and_overdue_lights(
    cn: WorkCalendar, as_of: date, elapsed: int, left: int, status: str
) -> None:
    r = analyze(stages(("A", "s", "2021-09-06", None, 5)), calendar=cn, as_of=as_of)
    row = r.stages.iloc[0]
    assert (row["elapsed"], row["days_left"], row["status"]) == (elapsed, left, status)
    assert row["days_overdue"] == max(0, -left)


def test_warn_within_is_configurable(cn: WorkCalendar) -> None:
    frame = stages(("A", "s", "2021-09-06", None, 5))
    as_of = date(2021, 9, 8)  # 3 working days left
    assert analyze(frame, calendar=cn, as_of=as_of, warn_within=2).stages["status"][0] == "open"
    r = analyze(frame, calendar=cn, as_of=as_of, warn_within=WorkingDays(3))
    assert r.stages["status"][0] == "open warning"
    with pytest.raises(RecordsError, match="warn_within"):
        analyze(frame, calendar=cn, as_of=as_of, warn_within=-1)


def test_status_is_a_categorical_of_the_five_statuses(cn: WorkCalendar) -> None:
    r = analyze(stages(("A", "s", "2021-09-06", "2021-09-07", 5)), calendar=cn)
    assert list(r.stages["status"].cat.categories) == list(STATUSES)


def test_limit_zero_deadline_is_the_day_of_acceptance(cn: WorkCalendar) -> None:
    # deadline(d, WorkingDays(0)) == d, even on a rest day (Sat 11 Sep).
    r = analyze(
        stages(
            ("A", "s", "2021-09-11", "2021-09-11", 0), ("A", "t", "2021-09-10", "2021-09-13", 0)
        ),
        calendar=cn,
    )
    assert r.stages["deadline"].tolist() == [T("2021-09-11"), T("2021-09-10")]
    assert r.stages["status"].tolist() == ["done on time", "done late"]


def test_same_day_means_completed_on_the_date_of_acceptance(cn: WorkCalendar) -> None:
    # Fri 10 -> Sat 11 Sep has 0 elapsed working days but is not the same day.
    r = analyze(
        stages(
            ("A", "s", "2021-09-10", "2021-09-10", 1), ("B", "s", "2021-09-10", "2021-09-11", 1)
        ),
        calendar=cn,
    )
    assert r.stages["same_day"].tolist() == [True, False]
    assert r.stages["elapsed"].tolist() == [0, 0]


def test_deadline_past_the_calendar_is_missing_not_guessed(cn: WorkCalendar) -> None:
    # Accepted 28 Dec 2026 with 20 days: the deadline lies in 2027, which CN does not cover.
    r = analyze(stages(("A", "s", "2026-12-28", "2026-12-30", 20)), calendar=cn)
    row = r.stages.iloc[0]
    assert pd.isna(row["deadline"])
    assert (row["elapsed"], row["status"]) == (2, "done on time")


# -- pauses ------------------------------------------------------------------------------


def test_pause_across_spring_festival_moves_the_deadline(cn: WorkCalendar) -> None:
    # Accepted Mon 8 Feb 2021, limit 5. Unpaused, the 5th working day after it is the
    # makeup Saturday 20 Feb (9, 10, 18, 19, 20). Paused Tue 9 Feb, resumed Mon 22 Feb:
    # (9 Feb, 22 Feb] holds 10, 18, 19, 20, 22 Feb = 5 paused working days. Done Thu
    # 25 Feb: (8 Feb, 25 Feb] = 9, 10, 18, 19, 20, 22, 23, 24, 25 = 9 gross, 4 net.
    # The clock: 9 Feb (1), paused, 23 (2), 24 (3), 25 (4), 26 Feb (5) = deadline.
    r = analyze(
        stages(("A", "s", "2021-02-08", "2021-02-25", 5)),
        pauses=pauses(("A", "s", "2021-02-09", "2021-02-22")),
        calendar=cn,
    )
    assert one(r) == {
        "elapsed_gross": 9,
        "paused_days": 5,
        "elapsed": 4,
        "deadline": T("2021-02-26"),
        "status": "done on time",
    }
    assert r.pauses["paused_days"].tolist() == [5]


def test_pause_across_national_day(cn: WorkCalendar) -> None:
    # Accepted Mon 27 Sep, paused Tue 28, resumed Fri 8 Oct: 29, 30 Sep, 8 Oct paused.
    # Done Wed 13 Oct: (27 Sep, 13 Oct] = 28, 29, 30, 8, 9 (makeup), 11, 12, 13 = 8 gross.
    r = analyze(
        stages(("A", "s", "2021-09-27", "2021-10-13", 5)),
        pauses=pauses(("A", "s", "2021-09-28", "2021-10-08")),
        calendar=cn,
    )
    assert one(r) == {
        "elapsed_gross": 8,
        "paused_days": 3,
        "elapsed": 5,
        "deadline": T("2021-10-13"),
        "status": "done on time",
    }


def test_overlapping_pauses_are_merged(cn: WorkCalendar) -> None:
    # (9 Feb, 19 Feb] = 10, 18, 19 and (18 Feb, 22 Feb] = 19, 20, 22: together 10, 18,
    # 19, 20, 22 = 5, not 3 + 3. Each pause row keeps its own days.
    r = analyze(
        stages(("A", "s", "2021-02-08", "2021-02-25", 5)),
        pauses=pauses(
            ("A", "s", "2021-02-09", "2021-02-19"), ("A", "s", "2021-02-18", "2021-02-22")
        ),
        calendar=cn,
    )
    assert one(r)["paused_days"] == 5
    assert one(r)["deadline"] == T("2021-02-26")
    assert r.pauses["paused_days"].tolist() == [3, 3]


def test_pause_after_the_deadline_does_not_move_it(cn: WorkCalendar) -> None:
    # Accepted Mon 6 Sep, limit 2: deadline Wed 8 Sep. A pause from Fri 10 to Mon 13 Sep
    # (13 Sep paused) comes after it: still paused, but the deadline stays.
    r = analyze(
        stages(("A", "s", "2021-09-06", "2021-09-14", 2)),
        pauses=pauses(("A", "s", "2021-09-10", "2021-09-13")),
        calendar=cn,
    )
    # (6, 14 Sep] = 7, 8, 9, 10, 13, 14 = 6 gross, 1 paused, 5 net: 3 over.
    assert one(r) == {
        "elapsed_gross": 6,
        "paused_days": 1,
        "elapsed": 5,
        "deadline": T("2021-09-08"),
        "status": "done late",
    }


def test_pause_with_no_resume_runs_to_as_of(cn: WorkCalendar) -> None:
    # Accepted Mon 27 Sep, limit 5, as of Mon 11 Oct, paused Wed 29 Sep and not resumed.
    # Gross (27 Sep, 11 Oct] = 28, 29, 30, 8, 9, 11 = 6; paused 30, 8, 9, 11 = 4; net 2,
    # 3 left: the yellow light. Were it resumed now: 12, 13, 14 Oct -> deadline 14 Oct.
    r = analyze(
        stages(("A", "s", "2021-09-27", None, 5)),
        pauses=pauses(("A", "s", "2021-09-29", None)),
        calendar=cn,
        as_of=date(2021, 10, 11),
    )
    assert one(r) == {
        "elapsed_gross": 6,
        "paused_days": 4,
        "elapsed": 2,
        "deadline": T("2021-10-14"),
        "status": "open warning",
    }


def test_pause_resumed_after_completion_is_clipped_to_the_stage(cn: WorkCalendar) -> None:
    # Paused Thu 9 Sep, done Fri 10 Sep, resumed Mon 13 Sep: only 10 Sep counts as paused.
    r = analyze(
        stages(("A", "s", "2021-09-06", "2021-09-10", 5)),
        pauses=pauses(("A", "s", "2021-09-09", "2021-09-13")),
        calendar=cn,
    )
    assert (one(r)["elapsed_gross"], one(r)["paused_days"], one(r)["elapsed"]) == (4, 1, 3)
    assert r.pauses["paused_days"].tolist() == [1]


def test_pauses_of_one_stage_do_not_pause_another(cn: WorkCalendar) -> None:
    r = analyze(
        stages(
            ("A", "s", "2021-09-06", "2021-09-10", 5), ("A", "t", "2021-09-06", "2021-09-10", 5)
        ),
        pauses=pauses(("A", "s", "2021-09-06", "2021-09-08")),
        calendar=cn,
    )
    assert r.stages["paused_days"].tolist() == [2, 0]


# -- cases -------------------------------------------------------------------------------


def test_case_press_record_18_working_days_counted_both_ends(cn: WorkCalendar) -> None:
    # Land delisted Wed 18 Aug 2021; planning permit Thu 26 Aug; construction permit
    # Fri 10 Sep. The press counts both ends: 7 and 18 working days; the clock (start
    # day not counted) 6 and 17.
    r = analyze(
        stages(
            ("press", "planning permit", "2021-08-18", "2021-08-26", 7),
            ("press", "construction permit", "2021-08-18", "2021-09-10", 20),
        ),
        calendar=cn,
    )
    assert r.stages["elapsed"].tolist() == [6, 17]
    assert cn.count(date(2021, 8, 18), date(2021, 8, 26)) == 7
    case = r.cases.loc["press"]
    assert (case["steps"], case["elapsed"], case["clock_days"], case["open"]) == (2, 17, 17, False)
    assert case["first_accepted"] == T("2021-08-18")
    assert case["last_completed"] == T("2021-09-10")


def test_case_clock_counts_days_when_some_stage_runs(cn: WorkCalendar) -> None:
    # Stage a: (6, 8 Sep] = 7, 8. Stage b: (10, 14 Sep] = 13, 14, paused (12, 13] = 13.
    # Case elapsed (6, 14 Sep] = 7, 8, 9, 10, 13, 14 = 6; clock: 7, 8, 14 = 3.
    r = analyze(
        stages(
            ("K", "a", "2021-09-06", "2021-09-08", 5), ("K", "b", "2021-09-10", "2021-09-14", 5)
        ),
        pauses=pauses(("K", "b", "2021-09-12", "2021-09-13")),
        calendar=cn,
    )
    case = r.cases.loc["K"]
    assert (case["elapsed"], case["clock_days"], case["paused_days"]) == (6, 3, 1)


def test_open_case_as_of_a_date(cn: WorkCalendar) -> None:
    # Two steps done, one open as of Thu 30 Sep 2021; the case is measured to then:
    # (6 Sep, 30 Sep] = 7-10, 13-17, 18 (makeup), 22-24, 26 (makeup), 27-30 = 18.
    r = analyze(
        stages(
            ("C", "a", "2021-09-06", "2021-09-08", 5),
            ("C", "b", "2021-09-08", "2021-09-24", 10),
            ("C", "c", "2021-09-24", None, 3),
        ),
        calendar=cn,
        as_of=date(2021, 9, 30),
    )
    case = r.cases.loc["C"]
    assert (case["steps"], case["open_steps"], case["open"]) == (3, 1, True)
    assert pd.isna(case["last_completed"])
    assert case["elapsed"] == 18 == case["clock_days"]
    # Step b: (8, 24 Sep] = 9, 10, 13-17, 18, 22, 23, 24 = 11 > 10; step c: 26-30 minus
    # nothing before 24: (24, 30 Sep] = 26, 27, 28, 29, 30 = 5 > 3.
    assert r.stages["status"].tolist() == ["done on time", "done late", "open overdue"]
    assert case["overdue_steps"] == 2


def test_case_id_may_be_the_index(cn: WorkCalendar) -> None:
    frame = stages(("A", "s", "2021-09-06", "2021-09-10", 5)).set_index("case")
    r = analyze(frame, calendar=cn)
    assert r.stages.index.tolist() == ["A"]
    assert r.cases.index.tolist() == ["A"]


# -- rejections --------------------------------------------------------------------------

GOOD = ("G", "s", "2021-09-06", "2021-09-10", 5)


@pytest.mark.parametrize(
    ("row", "reason", "column"),
    [
        ((None, "s", "2021-09-06", "2021-09-10", 5), "missing case or stage", "case, stage"),
        (("X", None, "2021-09-06", "2021-09-10", 5), "missing case or stage", "case, stage"),
        (("X", "s", None, "2021-09-10", 5), "missing acceptance", "accepted"),
        (("X", "s", "2021-09-10", "2021-09-06", 5), "completion before acceptance", "completed"),
        (("X", "s", "2003-12-31", "2004-01-05", 5), "date outside calendar coverage", "accepted"),
        (("X", "s", "2026-12-30", "2027-01-04", 5), "date outside calendar coverage", "completed"),
        (("X", "s", "2021-09-06", "2021-09-10", None), "unknown limit", "limit"),
        (("X", "s", "2021-09-06", "2021-09-10", -1), "negative limit", "limit"),
        (("X", "s", "2021-09-06", "2021-09-10", 2.5), "non-integer limit", "limit"),
        (("X", "s", "2021-09-06", "2021-09-10", math.inf), "non-integer limit", "limit"),
        (("X", "s", "2021-10-01", None, 5), "accepted after as_of", "accepted"),
    ],
)
def test_each_rejection_reason(
    cn: WorkCalendar, row: tuple[Any, ...], reason: str, column: str
) -> None:
    frame = stages(GOOD, row)
    r = analyze(frame, calendar=cn, as_of=date(2021, 9, 30))
    assert r.stages["case"].tolist() == ["G"]
    assert r.rejected.index.tolist() == [1]
    assert r.rejected[["reason", "column"]].iloc[0].tolist() == [reason, column]
    assert reason in STAGE_REASONS
    # The original row is kept as it was.
    pd.testing.assert_frame_equal(r.rejected[frame.columns], frame.iloc[[1]])


def test_unparseable_values_are_rejected_with_their_column(cn: WorkCalendar) -> None:
    frame = pd.DataFrame(
        {
            "case": ["A", "B", "C", "D", "E"],
            "stage": "s",
            "accepted": ["2021-09-06", "2021-02-30", "2021-09-06", "2021-09-06", 20210906],
            "completed": ["2021-09-10", "2021-09-10", "soon", "2021-09-10", "2021-09-10"],
            "limit": ["5", "5", "5", "five", "5"],
        }
    )
    r = analyze(frame, calendar=cn)
    assert r.stages["case"].tolist() == ["A"]
    assert r.stages["elapsed"].tolist() == [4]
    got = r.rejected.set_index("case")[["reason", "column"]]
    assert got.loc["B"].tolist() == ["unparseable value", "accepted"]
    assert got.loc["C"].tolist() == ["unparseable value", "completed"]
    assert got.loc["D"].tolist() == ["unparseable value", "limit"]
    assert got.loc["E"].tolist() == ["unparseable value", "accepted"]  # a number is not a date


def test_duplicate_case_stage_rejects_every_copy(cn: WorkCalendar) -> None:
    # No copy can be trusted over another, and the result must not depend on row order.
    frame = stages(
        GOOD, ("D", "s", "2021-09-06", "2021-09-10", 5), ("D", "s", "2021-09-06", "2021-09-13", 5)
    )
    r = analyze(frame, calendar=cn)
    assert r.stages["case"].tolist() == ["G"]
    assert r.rejected.index.tolist() == [1, 2]
    assert set(r.rejected["reason"]) == {"duplicate (case, stage)"}


def test_first_reason_wins(cn: WorkCalendar) -> None:
    # Missing acceptance and a negative limit: the reason listed first is given.
    r = analyze(stages(("X", "s", None, "2021-09-10", -1)), calendar=cn)
    assert r.rejected["reason"].tolist() == ["missing acceptance"]


@pytest.mark.parametrize(
    ("row", "reason", "column"),
    [
        ((None, "s", "2021-09-07", "2021-09-08"), "missing case or stage", "case, stage"),
        (("G", "s", None, "2021-09-08"), "missing pause start", "paused"),
        (("G", "s", "2021-09-08", "2021-09-07"), "resumed before paused", "resumed"),
        (("G", "s", "2021-09-07", "2027-01-04"), "date outside calendar coverage", "resumed"),
        (("G", "zz", "2021-09-07", "2021-09-08"), "no such stage", "case, stage"),
        (("R", "s", "2021-09-07", "2021-09-08"), "stage rejected", "case, stage"),
        (("G", "s", "2021-09-03", "2021-09-08"), "pause outside stage", "paused"),
        (("G", "s", "2021-09-11", "2021-09-13"), "pause outside stage", "paused"),
    ],
)
def test_each_pause_rejection_reason(
    cn: WorkCalendar, row: tuple[Any, ...], reason: str, column: str
) -> None:
    frame = stages(GOOD, ("R", "s", None, None, 5))
    p = pauses(("G", "s", "2021-09-07", "2021-09-08"), row)
    r = analyze(frame, pauses=p, calendar=cn)
    assert r.pauses.index.tolist() == [0]
    assert r.rejected_pauses[["reason", "column"]].iloc[0].tolist() == [reason, column]
    assert reason in PAUSE_REASONS
    assert r.stages["paused_days"].tolist() == [1]


def test_pause_on_the_days_of_acceptance_and_completion_is_inside(cn: WorkCalendar) -> None:
    r = analyze(
        stages(GOOD),
        pauses=pauses(("G", "s", "2021-09-06", "2021-09-07"), ("G", "s", "2021-09-10", None)),
        calendar=cn,
    )
    assert len(r.rejected_pauses) == 0
    assert r.pauses["paused_days"].tolist() == [1, 0]


# -- bad input as a whole: clear errors naming the column --------------------------------


def test_missing_column_is_named(cn: WorkCalendar) -> None:
    frame = stages(GOOD).rename(columns={"accepted": "received"})
    with pytest.raises(RecordsError, match=r"no column 'accepted'.*accepted=\.\.\."):
        analyze(frame, calendar=cn)
    r = analyze(frame, calendar=cn, accepted="received")
    assert r.stages["elapsed"].tolist() == [4]


def test_missing_pause_column_is_named(cn: WorkCalendar) -> None:
    with pytest.raises(RecordsError, match="pauses: no column 'resumed'"):
        analyze(
            stages(GOOD), pauses=pauses(("G", "s", None, None)).drop(columns="resumed"), calendar=cn
        )


def test_wrong_dtypes_are_named(cn: WorkCalendar) -> None:
    frame = stages(GOOD)
    with pytest.raises(ColumnTypeError, match=r"stages\['accepted'\].*int64"):
        analyze(frame.assign(accepted=[20210906]), calendar=cn)
    with pytest.raises(ColumnTypeError, match=r"stages\['limit'\].*datetime64"):
        analyze(frame.assign(limit=frame["accepted"]), calendar=cn)
    with pytest.raises(ColumnTypeError, match=r"stages\['limit'\].*booleans"):
        analyze(frame.assign(limit=[True]), calendar=cn)
    with pytest.raises(ColumnTypeError, match="DataFrame"):
        analyze([GOOD], calendar=cn)  # type: ignore[arg-type]
    with pytest.raises(ColumnTypeError, match="WorkCalendar"):
        analyze(frame, calendar="CN")  # type: ignore[arg-type]


def test_as_of_is_required_when_a_stage_is_open(cn: WorkCalendar) -> None:
    with pytest.raises(RecordsError, match=r"as_of is required: 1 stage row\(s\).*index 1"):
        analyze(stages(GOOD, ("O", "s", "2021-09-06", None, 5)), calendar=cn)
    # A rejected open row does not need it.
    analyze(stages(GOOD, ("O", "s", None, None, 5)), calendar=cn)


def test_as_of_outside_the_calendar_raises(cn: WorkCalendar) -> None:
    with pytest.raises(CalendarCoverageError, match="2027-01-04"):
        analyze(stages(GOOD), calendar=cn, as_of=date(2027, 1, 4))
    with pytest.raises(ColumnTypeError, match="as_of"):
        analyze(stages(GOOD), calendar=cn, as_of="2021-09-30")


def test_output_columns_must_not_clash(cn: WorkCalendar) -> None:
    with pytest.raises(RecordsError, match="'elapsed' would be overwritten"):
        analyze(stages(GOOD).assign(elapsed=1), calendar=cn)


def test_errors_are_approval_clock_errors_and_builtins() -> None:
    assert issubclass(RecordsError, ApprovalClockError)
    assert issubclass(RecordsError, ValueError)
    assert issubclass(ColumnTypeError, ApprovalClockError)
    assert issubclass(ColumnTypeError, TypeError)


# -- time zones, dtypes ------------------------------------------------------------------


def test_aware_timestamps_are_read_in_the_calendars_zone(cn: WorkCalendar) -> None:
    # 17:30 UTC on Sun 5 Sep is 01:30 on Mon 6 Sep in Shanghai; 15:00 UTC on Fri 10 Sep
    # is 23:00 the same day there.
    frame = stages(GOOD).assign(
        accepted=pd.to_datetime(["2021-09-05 17:30"]).tz_localize("UTC"),
        completed=pd.to_datetime(["2021-09-10 15:00"]).tz_localize("UTC"),
    )
    r = analyze(frame, calendar=cn)
    assert r.stages["elapsed"].tolist() == [4]
    # Text with different offsets in one column: each value is an instant.
    strings = stages(GOOD, GOOD).assign(
        case=["A", "B"],
        accepted=["2021-09-05T17:30:00Z", "2021-09-06T01:30:00+08:00"],
        completed=["2021-09-10T23:00:00+08:00", "2021-09-10T15:00:00Z"],
    )
    assert analyze(strings, calendar=cn).stages["elapsed"].tolist() == [4, 4]
    # An offset on some values and none on others: each value on its own (issue 14); the
    # aware one is converted to Shanghai time, the naive one is already local.
    mixed = strings.assign(completed=["2021-09-10T23:00:00+08:00", "2021-09-10"])
    assert analyze(mixed, calendar=cn).stages["elapsed"].tolist() == [4, 4]
    as_of = T("2021-09-07 20:00", tz="UTC")  # 8 Sep in Shanghai
    open_ = stages(("A", "s", "2021-09-06", None, 5))
    assert analyze(open_, calendar=cn, as_of=as_of).stages["elapsed"].tolist() == [2]


def test_aware_timestamps_need_a_calendar_zone() -> None:
    fr = calendars.get("FR", years=(2021, 2021))
    frame = stages(GOOD).assign(accepted=pd.to_datetime(["2021-09-06"]).tz_localize("UTC"))
    with pytest.raises(RecordsError, match="no time zone"):
        analyze(frame, calendar=fr)


def test_dates_as_objects_strings_and_nullable_limits(cn: WorkCalendar) -> None:
    frame = pd.DataFrame(
        {
            "case": [1, 2],
            "stage": ["s", "s"],
            "accepted": [date(2021, 9, 6), date(2021, 9, 6)],
            "completed": pd.Series(["2021-09-10", None], dtype="string"),
            "limit": pd.array([5, None], dtype="Int64"),
        }
    )
    r = analyze(frame, calendar=cn, as_of=date(2021, 9, 7))
    assert r.stages["elapsed"].tolist() == [4]
    assert r.rejected["reason"].tolist() == ["unknown limit"]


def test_empty_frames(cn: WorkCalendar) -> None:
    frame = stages(GOOD).iloc[:0]
    r = analyze(frame, calendar=cn, pauses=pauses(("G", "s", None, None)).iloc[:0])
    assert len(r.stages) == len(r.rejected) == len(r.cases) == 0
    assert r.stages["status"].dtype == "category"
    k = r.kpis()
    assert k["stages"] == 0
    assert math.isnan(k["on_time_rate"])
    assert math.isnan(k["p50_elapsed"])


# -- KPIs -------------------------------------------------------------------------------


def kpi_frame() -> pd.DataFrame:
    return stages(
        ("A", "a", "2021-09-06", "2021-09-06", 1),  # same day, on time, 0
        ("A", "b", "2021-09-06", "2021-09-10", 5),  # on time, 4
        ("B", "a", "2021-09-06", "2021-09-14", 5),  # late by 1, 6
        ("B", "b", "2021-09-06", None, 5),  # open as of 13 Sep: 5 elapsed, 0 left: warning
        ("C", "a", "2021-09-01", None, 3),  # open: (1, 13 Sep] = 2, 3, 6-10, 13 = 8: overdue 5
        ("C", "b", None, None, 3),  # rejected
    )


def test_kpis_hand_worked(cn: WorkCalendar) -> None:
    r = analyze(kpi_frame(), calendar=cn, as_of=date(2021, 9, 13))
    k = r.kpis()
    assert (k["stages"], k["rejected"], k["done"], k["open"]) == (5, 1, 3, 2)
    assert (k["done_on_time"], k["done_late"], k["open_on_track"]) == (2, 1, 0)
    assert (k["open_warning"], k["open_overdue"], k["overdue"]) == (1, 1, 2)
    assert k["overdue_days"] == 1 + 5
    assert k["on_time_rate"] == pytest.approx(2 / 3)
    assert k["same_day_rate"] == pytest.approx(1 / 3)
    assert (k["cases"], k["cases_done"]) == (3, 1)
    assert k["mean_steps_per_case"] == pytest.approx(5 / 3)
    assert k["mean_elapsed"] == pytest.approx((0 + 4 + 6) / 3)
    assert (k["p50_elapsed"], k["p90_elapsed"], k["max_elapsed"]) == (4.0, 6.0, 6.0)
    # Case A is the only done case: (6, 10 Sep] = 4, and its clock ran all 4 days.
    assert (k["mean_case_elapsed"], k["mean_case_clock_days"]) == (4.0, 4.0)
    assert list(r.overdue()["status"]) == ["open overdue", "done late"]


def test_kpis_combine_from_partitions_exactly(cn: WorkCalendar) -> None:
    frame = kpi_frame()
    whole = analyze(frame, calendar=cn, as_of=date(2021, 9, 13))
    parts = [
        analyze(frame[frame["case"].isin(cases)], calendar=cn, as_of=date(2021, 9, 13)).kpi_parts()
        for cases in (["A"], ["B", "C"])
    ]
    combined = kpis_from_parts(combine_kpi_parts(*parts))
    assert combined == pytest.approx(whole.kpis(), nan_ok=True)
    # A concatenation works as well (what dask's compute() gives).
    assert kpis_from_parts(pd.concat(parts)) == pytest.approx(whole.kpis(), nan_ok=True)


def test_kpi_parts_are_integers(cn: WorkCalendar) -> None:
    parts = analyze(kpi_frame(), calendar=cn, as_of=date(2021, 9, 13)).kpi_parts()
    assert list(parts.columns) == ["part", "value"]
    assert parts["value"].dtype == np.int64
    with pytest.raises(RecordsError, match="columns"):
        kpis_from_parts(parts.rename(columns={"value": "n"}))


def test_limit_compression() -> None:
    catalog = pd.DataFrame(
        {"statutory": [20, 20, 10, 0], "committed": [5, 10, 10, 0]},
        index=["planning", "construction", "fire", "filing"],
    )
    c = limit_compression(catalog)
    assert c["items"] == 4
    assert (c["statutory_days"], c["committed_days"], c["days_saved"]) == (50, 25, 25)
    assert c["compression"] == 0.5
    # Per item: 0.75, 0.5, 0 (the 0-day item has no ratio).
    assert c["mean_item_compression"] == pytest.approx(1.25 / 3)
    assert c["mean_days_saved"] == 6.25


def test_limit_compression_rejects_bad_catalogues() -> None:
    with pytest.raises(RecordsError, match=r"catalog\['committed'\] at index 'b'"):
        limit_compression(
            pd.DataFrame({"statutory": [5, 5], "committed": [1, -1]}, index=["a", "b"])
        )
    with pytest.raises(RecordsError, match="exceeds the statutory"):
        limit_compression(pd.DataFrame({"statutory": [5], "committed": [6]}))
    with pytest.raises(RecordsError, match="no column 'legal'"):
        limit_compression(pd.DataFrame({"statutory": [5], "committed": [6]}), statutory="legal")
    with pytest.raises(ColumnTypeError, match="committed"):
        limit_compression(pd.DataFrame({"statutory": [5], "committed": [pd.Timestamp(0)]}))


# -- the package boundary, the example and the notebook ----------------------------------


def test_records_without_pandas_says_how_to_install() -> None:
    code = (
        "import sys\n"
        "sys.modules['pandas'] = None\n"
        "import approval_clock\n"
        "try:\n"
        "    import approval_clock.records\n"
        "except ImportError as e:\n"
        "    print(e)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "pip install pandas (the 'pandas' extra; see docs/install.md)" in out


def test_example_script_runs(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(ROOT / "examples" / "records.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "on_time_rate" in out
    assert "press" in out


def test_example_notebook_runs_cell_by_cell(capsys: pytest.CaptureFixture[str]) -> None:
    notebook = json.loads((ROOT / "examples" / "records.ipynb").read_text(encoding="utf-8"))
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert cells
    pytest.importorskip("matplotlib").use("Agg")
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for cell in cells:
        source = "".join(cell["source"])
        exec(compile(source, "records.ipynb", "exec"), namespace)
    result = namespace["result"]
    assert isinstance(result, Analysis)
    press = result.stages[result.stages["case"] == "press"]
    assert press["elapsed"].tolist() == [6, 17]
    assert len(result.stages) + len(result.rejected) == len(namespace["stages"])
    import matplotlib.pyplot as plt

    plt.close("all")


def test_example_notebook_executes_in_a_kernel_with_rich_output() -> None:
    # As a reader runs it: a Jupyter kernel, outputs as the notebook shows them.
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(ROOT / "examples" / "records.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    pictures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pictures) == 3  # the three charts
    assert any("10 stage rows (1 rejected)" in h for h in html)
    assert any("<th>按时办结率</th>" in h for h in html)
    assert any("<th>平均压缩时限</th>" in h for h in html)

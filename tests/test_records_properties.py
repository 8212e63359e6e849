"""approval_clock.records: properties on random small frames, against a slow reference.

The reference walks every row in Python with the calendar's scalar methods and
sets of dates, following docs/records.md word by word; ``analyze`` must agree
with it on every column, every rejection reason and every case. The window
(late January to March 2021) spans Spring Festival and its two makeup working
days, where the counting rules are easiest to get wrong.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from approval_clock import CalendarCoverageError, WorkCalendar, calendars
from approval_clock.records import Analysis, analyze, combine_kpi_parts, kpis_from_parts

CN = calendars.get("CN")
START = date(2021, 1, 25)
SPAN = 60
OUTSIDE = date(2003, 12, 30)  # before the CN calendar's range
WARN = 3

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def day(k: int) -> date:
    return START + timedelta(days=k)


@st.composite
def records(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, date]:
    keys = st.sampled_from(["A", "A", "B", "B", "C", None])
    stage_names = st.sampled_from(["s", "s", "t", "u"])
    n = draw(st.integers(0, 10))
    rows = []
    for _ in range(n):
        acc = draw(
            st.one_of(st.integers(0, SPAN).map(day), st.none(), st.just(OUTSIDE))
            if draw(st.integers(0, 9)) == 0
            else st.integers(0, SPAN).map(day)
        )
        base = acc if acc is not None and acc != OUTSIDE else day(SPAN // 2)
        comp = draw(
            st.one_of(
                st.none(), st.integers(-2, 25).map(lambda k, base=base: base + timedelta(days=k))
            )
        )
        limit = draw(
            st.one_of(st.integers(0, 12), st.sampled_from([-1.0, 2.5, math.nan]))
            if draw(st.integers(0, 9)) == 0
            else st.integers(0, 12)
        )
        rows.append((draw(keys), draw(stage_names), acc, comp, float(limit)))
    m = draw(st.integers(0, 8))
    prows = []
    for _ in range(m):
        p = draw(st.one_of(st.integers(0, SPAN + 10).map(day), st.none()))
        r = draw(
            st.one_of(
                st.none(),
                st.integers(-2, 15).map(lambda k, p=p: (p or START) + timedelta(days=k)),
            )
        )
        prows.append((draw(keys), draw(stage_names), p, r))
    as_of = draw(st.sampled_from([day(SPAN + 10), day(20)]))
    stages = pd.DataFrame(
        {
            "case": pd.Series([r[0] for r in rows], dtype=object),
            "stage": pd.Series([r[1] for r in rows], dtype=object),
            "accepted": pd.to_datetime(pd.Series([r[2] for r in rows], dtype=object)),
            "completed": pd.to_datetime(pd.Series([r[3] for r in rows], dtype=object)),
            "limit": pd.Series([r[4] for r in rows], dtype=float),
        }
    )
    pauses = pd.DataFrame(
        {
            "case": pd.Series([r[0] for r in prows], dtype=object),
            "stage": pd.Series([r[1] for r in prows], dtype=object),
            "paused": pd.to_datetime(pd.Series([r[2] for r in prows], dtype=object)),
            "resumed": pd.to_datetime(pd.Series([r[3] for r in prows], dtype=object)),
        }
    )
    return stages, pauses, as_of


# -- the slow reference ----------------------------------------------------------------


def _d(value: Any) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _days(cal: WorkCalendar, a: date, b: date) -> set[date]:
    """The working days in (a, b]."""
    return set(cal.working_days(a + timedelta(days=1), b)) if b > a else set()


def reference(
    stages: pd.DataFrame, pauses: pd.DataFrame, cal: WorkCalendar, as_of: date
) -> dict[str, Any]:
    first, last = cal.coverage
    rows = list(stages.itertuples())
    counts = Counter((r.case, r.stage) for r in rows if r.case is not None and r.stage is not None)
    reason: dict[Any, str] = {}
    valid: dict[tuple[Any, Any], Any] = {}
    for r in rows:
        a, e, lim = _d(r.accepted), _d(r.completed), r.limit
        why = None
        if r.case is None or r.stage is None:
            why = "missing case or stage"
        elif a is None:
            why = "missing acceptance"
        elif not first <= a <= last or (e is not None and not first <= e <= last):
            why = "date outside calendar coverage"
        elif math.isnan(lim):
            why = "unknown limit"
        elif lim < 0:
            why = "negative limit"
        elif lim != int(lim):
            why = "non-integer limit"
        elif e is not None and e < a:
            why = "completion before acceptance"
        elif e is None and a > as_of:
            why = "accepted after as_of"
        elif counts[(r.case, r.stage)] > 1:
            why = "duplicate (case, stage)"
        if why is None:
            valid[(r.case, r.stage)] = r
        else:
            reason[r.Index] = why

    paused: dict[tuple[Any, Any], set[date]] = {k: set() for k in valid}
    pause_reason: dict[Any, str] = {}
    pause_days: dict[Any, int] = {}
    for p in pauses.itertuples():
        key = (p.case, p.stage)
        start, stop = _d(p.paused), _d(p.resumed)
        why = None
        if p.case is None or p.stage is None:
            why = "missing case or stage"
        elif start is None:
            why = "missing pause start"
        elif not first <= start <= last or (stop is not None and not first <= stop <= last):
            why = "date outside calendar coverage"
        elif stop is not None and stop < start:
            why = "resumed before paused"
        elif key not in counts:
            why = "no such stage"
        elif key not in valid:
            why = "stage rejected"
        else:
            s = valid[key]
            a, end = _d(s.accepted), _d(s.completed) or as_of
            assert a is not None
            if not a <= start <= end:
                why = "pause outside stage"
            else:
                days = _days(cal, start, min(stop or end, end))
                pause_days[p.Index] = len(days)
                paused[key] |= days
        if why is not None:
            pause_reason[p.Index] = why

    out: dict[Any, dict[str, Any]] = {}
    for key, r in valid.items():
        a, e, lim = _d(r.accepted), _d(r.completed), int(r.limit)
        assert a is not None
        end = e or as_of
        run = _days(cal, a, end)
        net = len(run) - len(paused[key])
        deadline: Any = a
        count = 0
        try:
            while count < lim:
                deadline = cal.next_working_day(deadline)
                count += deadline not in paused[key]
        except CalendarCoverageError:
            deadline = None
        is_open = e is None
        left = lim - net
        if is_open:
            status = "open overdue" if left < 0 else "open warning" if left <= WARN else "open"
        else:
            status = "done late" if left < 0 else "done on time"
        out[r.Index] = {
            "case": r.case,
            "open": is_open,
            "accepted": a,
            "completed": e,
            "end": end,
            "elapsed_gross": len(run),
            "paused_days": len(paused[key]),
            "elapsed": net,
            "deadline": deadline,
            "days_left": left if is_open else None,
            "days_overdue": max(0, -left),
            "same_day": not is_open and e == a,
            "status": status,
            "running": run - paused[key],
        }

    cases: dict[Any, dict[str, Any]] = {}
    for v in out.values():
        c = cases.setdefault(
            v["case"],
            {
                "steps": 0,
                "open_steps": 0,
                "acc": [],
                "end": [],
                "done": [],
                "run": set(),
                "paused": 0,
                "overdue": 0,
            },
        )
        c["steps"] += 1
        c["open_steps"] += v["open"]
        c["acc"].append(v["accepted"])
        c["end"].append(v["end"])
        if not v["open"]:
            c["done"].append(v["completed"])
        c["run"] |= v["running"]
        c["paused"] += v["paused_days"]
        c["overdue"] += v["days_overdue"] > 0
    case_rows = {
        k: {
            "steps": c["steps"],
            "open_steps": c["open_steps"],
            "first_accepted": min(c["acc"]),
            "last_completed": None if c["open_steps"] else max(c["done"]),
            "elapsed": cal.elapsed(min(c["acc"]), max(c["end"])),
            "clock_days": len(c["run"]),
            "paused_days": c["paused"],
            "overdue_steps": c["overdue"],
        }
        for k, c in cases.items()
    }
    return {
        "stages": out,
        "reason": reason,
        "pause_reason": pause_reason,
        "pause_days": pause_days,
        "cases": case_rows,
    }


def _date_or_none(v: Any) -> date | None:
    return None if pd.isna(v) else pd.Timestamp(v).date()


# -- the properties ------------------------------------------------------------------------


@SETTINGS
@given(records())
def test_equals_the_slow_reference(data: tuple[pd.DataFrame, pd.DataFrame, date]) -> None:
    stages, pauses, as_of = data
    got = analyze(stages, pauses=pauses, calendar=CN, as_of=as_of, warn_within=WARN)
    want = reference(stages, pauses, CN, as_of)

    assert dict(zip(got.rejected.index, got.rejected["reason"], strict=True)) == want["reason"]
    assert set(got.stages.index) == set(want["stages"])
    for i, row in got.stages.iterrows():
        w = want["stages"][i]
        assert row["open"] == w["open"]
        assert _date_or_none(row["measured_to"]) == w["end"]
        for col in (
            "elapsed_gross",
            "paused_days",
            "elapsed",
            "days_overdue",
            "same_day",
            "status",
        ):
            assert row[col] == w[col], (col, i)
        assert _date_or_none(row["deadline"]) == w["deadline"], i
        assert (None if pd.isna(row["days_left"]) else row["days_left"]) == w["days_left"]
        assert row["overdue"] == (w["days_overdue"] > 0)

    got_pr = dict(zip(got.rejected_pauses.index, got.rejected_pauses["reason"], strict=True))
    assert got_pr == want["pause_reason"]
    assert dict(zip(got.pauses.index, got.pauses["paused_days"], strict=True)) == want["pause_days"]

    assert set(got.cases.index) == set(want["cases"])
    for c, row in got.cases.iterrows():
        w = want["cases"][c]
        for col in ("steps", "open_steps", "elapsed", "clock_days", "paused_days", "overdue_steps"):
            assert row[col] == w[col], (col, c)
        assert _date_or_none(row["first_accepted"]) == w["first_accepted"]
        assert _date_or_none(row["last_completed"]) == w["last_completed"]


@SETTINGS
@given(records())
def test_rows_and_pauses_are_conserved(data: tuple[pd.DataFrame, pd.DataFrame, date]) -> None:
    stages, pauses, as_of = data
    r = analyze(stages, pauses=pauses, calendar=CN, as_of=as_of)
    assert len(r.stages) + len(r.rejected) == len(stages)
    assert sorted(r.stages.index.tolist() + r.rejected.index.tolist()) == list(stages.index)
    assert len(r.pauses) + len(r.rejected_pauses) == len(pauses)
    assert sorted(r.pauses.index.tolist() + r.rejected_pauses.index.tolist()) == list(pauses.index)
    assert r.rejected["reason"].notna().all()
    assert r.rejected_pauses["reason"].notna().all()


@SETTINGS
@given(records())
def test_elapsed_is_never_negative_and_pauses_never_exceed_gross(
    data: tuple[pd.DataFrame, pd.DataFrame, date],
) -> None:
    stages, pauses, as_of = data
    st_ = analyze(stages, pauses=pauses, calendar=CN, as_of=as_of).stages
    assert (st_["elapsed"] >= 0).all()
    assert (st_["paused_days"] >= 0).all()
    assert (st_["paused_days"] <= st_["elapsed_gross"]).all()
    assert (st_["elapsed"] == st_["elapsed_gross"] - st_["paused_days"]).all()
    done = ~st_["open"]
    assert (
        (st_["elapsed"] <= st_["limit_days"])
        == st_["status"].isin(["done on time", "open", "open warning"])
    )[done].all()


@SETTINGS
@given(records(), st.sets(st.sampled_from(["A", "B", "C"])))
def test_kpis_from_partitions_by_case_equal_the_whole(
    data: tuple[pd.DataFrame, pd.DataFrame, date], left: set[str]
) -> None:
    stages, pauses, as_of = data

    def run(s: pd.DataFrame, p: pd.DataFrame) -> Analysis:
        return analyze(s, pauses=p, calendar=CN, as_of=as_of)

    whole = run(stages, pauses).kpis()
    in_s, in_p = stages["case"].isin(left), pauses["case"].isin(left)
    parts = [
        run(stages[in_s], pauses[in_p]).kpi_parts(),
        run(stages[~in_s], pauses[~in_p]).kpi_parts(),
    ]
    assert kpis_from_parts(combine_kpi_parts(*parts)) == pytest.approx(whole, nan_ok=True)


@SETTINGS
@given(records())
def test_row_order_does_not_matter(data: tuple[pd.DataFrame, pd.DataFrame, date]) -> None:
    stages, pauses, as_of = data
    a = analyze(stages, pauses=pauses, calendar=CN, as_of=as_of)
    b = analyze(stages.iloc[::-1], pauses=pauses.iloc[::-1], calendar=CN, as_of=as_of)
    pd.testing.assert_frame_equal(a.stages, b.stages.sort_index())
    pd.testing.assert_frame_equal(a.rejected, b.rejected.sort_index())
    pd.testing.assert_frame_equal(a.cases.sort_index(), b.cases.sort_index())


OFFICE = {"A": "north", "B": "north", "C": "south", None: "south"}


@SETTINGS
@given(
    records(),
    st.sampled_from(["office", "stage", "month", ["office", "month"], ["office", "stage"]]),
    st.sampled_from(["accepted", "completed"]),
)
def test_grouped_kpis_equal_the_kpis_of_each_subset(
    data: tuple[pd.DataFrame, pd.DataFrame, date], by: Any, month: str
) -> None:
    stages, pauses, as_of = data
    stages = stages.assign(office=stages["case"].map(OFFICE).astype(object))
    result = analyze(stages, pauses=pauses, calendar=CN, as_of=as_of)
    table = result.kpis(by=by, month=month)  # type: ignore[arg-type]
    cols = [by] if isinstance(by, str) else by
    keys = pd.DataFrame(
        {
            c: (
                (stages["accepted"] if month == "accepted" else stages["completed"])
                .dt.to_period("M")
                .where(stages["completed"].notna() | (month == "accepted"))
                if c == "month"
                else stages[c]
            )
            for c in cols
        }
    )
    totals = result.kpis()
    for name in ("stages", "rejected", "pauses", "rejected_pauses", "done", "paused_days"):
        assert table[name].sum() == totals[name], name
    group_of_row = keys.apply(tuple, axis=1)
    pair = list(zip(stages["case"], stages["stage"], strict=True))
    pair_groups: dict[Any, set[Any]] = {}
    for p, g in zip(pair, group_of_row, strict=True):
        if p[0] is not None and p[1] is not None:
            pair_groups.setdefault(p, set()).add(g)
    checked = 0  # groups compared (all but those a duplicate key spans)
    for g in set(group_of_row):
        rows = (group_of_row == g).to_numpy()
        mine = {p for p, r in zip(pair, rows, strict=True) if r}
        if any(len(pair_groups.get(p, ())) > 1 for p in mine):
            continue  # a duplicate key in two groups: rejected in the whole, not in a subset
        in_p = [(c, s) in mine for c, s in zip(pauses["case"], pauses["stage"], strict=True)]
        alone = analyze(
            stages[rows], pauses=pauses[np.asarray(in_p, dtype=bool)], calendar=CN, as_of=as_of
        ).kpis()
        key = g if len(cols) > 1 else g[0]
        got = _row(table, key)
        want = {k: v for k, v in alone.items() if k != "rejected_pauses"}
        assert {k: got[k] for k in want} == pytest.approx(want, nan_ok=True), (by, g)
        checked += 1


def _row(table: pd.DataFrame, key: Any) -> dict[str, Any]:
    """The row of ``table`` whose index equals ``key`` (missing values compare equal)."""

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, tuple):
            return all(same(x, y) for x, y in zip(a, b, strict=True))
        return (pd.isna(a) and pd.isna(b)) if (pd.isna(a) or pd.isna(b)) else a == b

    for i, k in enumerate(table.index):
        if same(k, key):
            return table.iloc[i].to_dict()
    raise AssertionError(f"no group {key!r} in {list(table.index)}")

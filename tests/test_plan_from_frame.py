"""Plan.from_frame: plans from stage and link tables, equal to the plans built from objects."""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from approval_clock import (
    ArgumentTypeError,
    CalendarDays,
    CalendarMonths,
    CycleError,
    Link,
    MissingExtraError,
    Plan,
    PlanError,
    Stage,
    WorkCalendar,
    WorkingDays,
    calendars,
    strategies,
)
from approval_clock.plans import model

D = date
CN = calendars.get("CN")
SAT_HALL = CN.with_weekmask("1111110")
MON_FRI = WorkCalendar("Mon-Fri", first=D(2020, 1, 1), last=D(2030, 12, 31))


def frames(plan: Plan) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """The plan as two tables (columns of Python values), as a user would write them."""
    stages: dict[str, list[Any]] = {
        "id": [],
        "duration": [],
        "kind": [],
        "name": [],
        "calendar": [],
        "not_before": [],
        "finish_by": [],
    }
    for s in plan.stages:
        stages["id"].append(s.id)
        d = s.duration
        stages["duration"].append(d.n if type(d) is WorkingDays else str(d))
        stages["kind"].append(s.kind)
        stages["name"].append(s.name)
        stages["calendar"].append(s.calendar)
        stages["not_before"].append(s.not_before)
        stages["finish_by"].append(s.finish_by)
    links: dict[str, list[Any]] = {"predecessor": [], "successor": [], "kind": [], "lag": []}
    for ln in plan.links:
        links["predecessor"].append(ln.predecessor)
        links["successor"].append(ln.successor)
        links["kind"].append(ln.kind)
        links["lag"].append(ln.lag if isinstance(ln.lag, int) else str(ln.lag))
    return stages, links


@st.composite
def constrained(draw: st.DrawFn, plan: Plan) -> Plan:
    """``plan`` with not_before / finish_by dates and names on some stages."""
    out = []
    for s in plan.stages:
        nb = draw(st.none() | st.dates(D(2021, 1, 1), D(2021, 12, 31)))
        fb = draw(st.none() | st.dates(D(2021, 1, 1), D(2022, 6, 30)))
        if nb is not None and fb is not None and fb < nb:
            fb = None
        name = draw(st.sampled_from(["", "出让公示", "review"]))
        out.append(
            Stage(
                s.id,
                s.duration,
                name=name,
                kind=s.kind,
                calendar=s.calendar,
                not_before=nb,
                finish_by=fb,
            )
        )
    return Plan(out, plan.links, calendar=plan.calendar, name=plan.name)


PLANS = strategies.plans(
    max_stages=8,
    calendar=st.sampled_from([CN, MON_FRI]),
    stage_calendars=(None, SAT_HALL),
    durations=st.one_of(
        st.integers(0, 8).map(WorkingDays),
        st.integers(0, 12).map(CalendarDays),
        st.integers(0, 2).map(CalendarMonths),
    ),
    calendar_day_lags=True,
)


@settings(max_examples=60, deadline=None)
@given(st.data(), st.sampled_from(["dict", "pandas", "polars"]))
def test_a_plan_from_frames_equals_the_plan_from_objects(data: st.DataObject, kind: str) -> None:
    plan = data.draw(PLANS)
    if data.draw(st.booleans()):
        plan = data.draw(constrained(plan))
    stages, links = frames(plan)
    if kind == "pandas":
        built = Plan.from_frame(pd.DataFrame(stages), pd.DataFrame(links), calendar=plan.calendar)
    elif kind == "polars":
        pl = pytest.importorskip("polars")
        s_cols = dict(stages)
        cals = s_cols.pop("calendar")
        s_frame = pl.DataFrame(
            {
                k: pl.Series(k, v, dtype=pl.Object if k == "duration" else None)
                for k, v in s_cols.items()
            }
        ).with_columns(pl.Series("calendar", cals, dtype=pl.Object))
        l_frame = pl.DataFrame(
            {
                k: pl.Series(k, v, dtype=pl.Object if k == "lag" else pl.String)
                for k, v in links.items()
            }
        )
        built = Plan.from_frame(s_frame, l_frame, calendar=plan.calendar)
    else:
        built = Plan.from_frame(stages, links, calendar=plan.calendar)
    assert built == plan
    assert plan == built
    assert hash(built) == hash(plan)
    start = data.draw(st.dates(D(2021, 1, 1), D(2025, 6, 30)))
    try:
        expected = plan.schedule(start=start)
    except PlanError:  # pragma: no cover - strategies make valid plans
        raise
    except Exception as e:
        with pytest.raises(type(e)):
            built.schedule(start=start)
        return
    got = built.schedule(start=start)
    assert got.to_records() == expected.to_records()
    assert (got.duration, got.approval_days, got.critical_path, got.certainty) == (
        expected.duration,
        expected.approval_days,
        expected.critical_path,
        expected.certainty,
    )
    # The objects, made when asked for, are the plan's own.
    assert built.stages == plan.stages
    assert built.links == plan.links
    assert repr(built) == repr(plan)


def test_scheduling_a_plan_from_frames_makes_no_stage_or_link_object() -> None:
    n = 2_000
    rng = random.Random(7)
    ids = [f"s{i}" for i in range(n)]
    edges = sorted({tuple(sorted(rng.sample(range(n), 2))) for _ in range(3 * n)})
    stages = pd.DataFrame({"id": ids, "duration": [rng.randint(0, 5) for _ in ids]})
    links = pd.DataFrame(
        {"predecessor": [ids[a] for a, _ in edges], "successor": [ids[b] for _, b in edges]}
    )
    plan = Plan.from_frame(stages, links, calendar=MON_FRI)
    sched = plan.schedule(start=D(2021, 3, 1))
    cols = sched.to_arrays()
    assert model._OBJECTS.peek(plan.graph) is None  # nothing made yet
    # Asking for one stage makes that one; the whole tuple is made on demand.
    assert sched["s5"].stage == Stage("s5", int(stages["duration"][5]))
    assert len(model._OBJECTS.peek(plan.graph)["some_stages"]) == 1  # type: ignore[index]
    objects = Plan(
        [Stage(i, int(d)) for i, d in zip(ids, stages["duration"], strict=True)],
        [Link(ids[a], ids[b]) for a, b in edges],
        calendar=MON_FRI,
    )
    assert objects == plan
    again = objects.schedule(start=D(2021, 3, 1))
    assert again.to_records() == sched.to_records()
    assert np.array_equal(again.to_arrays()["free_float"], cols["free_float"])
    assert plan.stages[5] is sched["s5"].stage  # the one made before is kept


def test_a_deep_chain_from_frames() -> None:
    # One stage per level: the passes go stage by stage (a level at a time would be slow).
    n = 2_000
    ids = [f"s{i}" for i in range(n)]
    plan = Plan.from_frame(
        {"id": ids, "duration": np.ones(n, dtype=np.int64)},
        {"predecessor": ids[:-1], "successor": ids[1:]},
        calendar=MON_FRI,
    )
    sched = plan.schedule(start=D(2020, 1, 1))
    assert sched.duration == n
    assert len(sched.critical_path) == n


def test_columns_of_every_kind() -> None:
    # Whole floats (pandas' integers next to a gap), numpy strings, missing kinds and
    # names, pandas datetimes at midnight, calendars in an object column, lags as text.
    stages = pd.DataFrame(
        {
            "id": np.array(["apply", "notice", "permit"]),
            "duration": [5.0, 20.0, 0.0],
            "kind": ["applicant", "notice", None],
            "name": [None, "出让公示", "三证齐发"],
            "calendar": [None, SAT_HALL, None],
            "not_before": pd.to_datetime(["2021-08-18", None, None]),
        }
    )
    links = pd.DataFrame(
        {
            "predecessor": ["apply", "notice"],
            "successor": ["notice", "permit"],
            "kind": ["SS", None],
            "lag": ["3cd", None],
        }
    )
    plan = Plan.from_frame(stages, links, calendar=CN, name="demo")
    assert plan == Plan(
        [
            Stage("apply", 5, kind="applicant", not_before=D(2021, 8, 18)),
            Stage("notice", 20, kind="notice", name="出让公示", calendar=SAT_HALL),
            Stage("permit", 0, name="三证齐发"),
        ],
        [Link("apply", "notice", "SS", "3cd"), Link("notice", "permit")],
        calendar=CN,
        name="demo",
    )


def test_arrow_tables_and_links_left_out() -> None:
    pa = pytest.importorskip("pyarrow")
    stages = pa.table({"id": ["a", "b"], "duration": pa.array([2, 3], pa.int32())})
    plan = Plan.from_frame(stages, calendar=CN)
    assert plan == Plan([Stage("a", 2), Stage("b", 3)], calendar=CN)
    links = pa.table({"predecessor": ["a"], "successor": ["b"], "kind": ["FF"]})
    assert Plan.from_frame(stages, links, calendar=CN).links == (Link("a", "b", "FF"),)


def test_ids_are_nfc_and_look_alikes_are_refused_as_in_stage() -> None:
    nfd, nfc = "e\u0301tude", "\u00e9tude"
    plan = Plan.from_frame(
        {"id": [nfd, "b"], "duration": [1, 1]},
        {"predecessor": [nfc], "successor": ["b"]},
        calendar=CN,
    )
    assert plan.graph.ids == (nfc, "b")
    assert plan == Plan([Stage(nfd, 1), Stage("b", 1)], [Link(nfd, "b")], calendar=CN)
    for frame in (dict, pd.DataFrame):  # a link end typed the other way finds its stage
        again = Plan.from_frame(
            frame({"id": [nfc, "b"], "duration": [1, 1]}),
            frame({"predecessor": ["b"], "successor": [nfd]}),
            calendar=CN,
        )
        assert again.links == (Link("b", nfc),)
    assert plan != Plan([Stage(nfd, 2), Stage("b", 1)], [Link(nfd, "b")], calendar=CN)
    with pytest.raises(
        PlanError, match=r"^stages\[1\]: stage id 'r\\u0435view' mixes Latin and Cyrillic"
    ):
        Plan.from_frame({"id": ["a", "r\u0435view"], "duration": [1, 1]}, calendar=CN)
    with pytest.raises(PlanError, match=r"^links\[0\]: successor 'r\\u0435view' mixes Latin"):
        Plan.from_frame(
            {"id": ["a", "review"], "duration": [1, 1]},
            {"predecessor": ["a"], "successor": ["r\u0435view"]},
            calendar=CN,
        )


@pytest.mark.parametrize(
    ("stages", "links", "message"),
    [
        ({"id": ["a", "b", "a"], "duration": [1, 1, 3]}, None,
         r"duplicate stage id 'a' \(stages\[0\] and stages\[2\]\)"),
        ({"id": ["a", "b"], "duration": [1, -2]}, None,
         r"^stages\[1\] \(stage 'b'\): duration: expected a whole number of days >= 0, got -2$"),
        ({"id": ["a"], "duration": [2.5]}, None,
         r"^stages\[0\] \(stage 'a'\): duration: expected a whole number of working days, .*got float 2.5$"),
        ({"id": ["a", "b"], "duration": np.array([1.0, 2.5])}, None,
         r"^stages\[1\] \(stage 'b'\): duration: expected a whole number of working days, got float 2.5$"),
        ({"id": ["a"], "duration": [float("nan")]}, None, r"duration: .*got a missing value"),
        ({"id": ["a"], "duration": ["3 weeks"]}, None,
         r"^stages\[0\] \(stage 'a'\): duration: expected a duration such as '20wd'"),
        ({"id": ["a"], "duration": [10**7]}, None, r"duration: expected at most 3652058 working days"),
        ({"id": ["a"], "duration": [1], "kind": ["review"]}, None,
         r"^stages\[0\] \(stage 'a'\): kind: expected one of 'work', 'notice', 'applicant', 'special', got str 'review'$"),
        ({"id": ["a"], "duration": [1], "calendar": ["CN"]}, None,
         r"calendar: expected a WorkCalendar or None, got str 'CN'"),
        ({"id": ["a"], "duration": [1], "name": [5]}, None, r"name: expected a string, got int 5"),
        ({"id": [3], "duration": [1]}, None,
         r"^stages\[0\]: stage id: expected a non-empty string, got int 3 \(ids are text"),
        ({"id": [" "], "duration": [1]}, None, r"stage id: expected a non-empty string"),
        ({"id": [], "duration": []}, None, r"^stages: a plan needs at least one stage$"),
        ({"id": ["a"]}, None, r"^stages: no column 'duration'"),
        ({"id": ["a", "b"], "duration": [1]}, None, r"stages\['duration'\]: 1 values, but"),
        ({"id": ["a"], "duration": [1], "not_before": [D(2021, 9, 2)], "finish_by": [D(2021, 9, 1)]},
         None, r"finish_by 2021-09-01 is before not_before 2021-09-02"),
        ({"id": ["a"], "duration": [1], "not_before": pd.to_datetime(["2021-09-02 10:00"])},
         None, r"not_before: expected a date, got .*\(a time of day\)"),
        ({"id": ["a"], "duration": [1], "finish_by": ["2021-09-02"]}, None,
         r"finish_by: expected a datetime.date or None, got str"),
        ({"id": ["a", "b"], "duration": [1, 1]}, {"predecessor": ["a"], "successor": ["zz"]},
         r"^links\[0\]: unknown successor 'zz'; the stages are 'a', 'b'$"),
        ({"id": ["a", "b"], "duration": [1, 1]}, {"predecessor": [None], "successor": ["b"]},
         r"^links\[0\]: predecessor: expected a stage id \(a string\), got None"),
        ({"id": ["a", "b"], "duration": [1, 1]}, {"predecessor": ["a"], "successor": ["a"]},
         r"a stage cannot be linked to itself"),
        ({"id": ["a", "b"], "duration": [1, 1]},
         {"predecessor": ["a", "a"], "successor": ["b", "b"], "lag": [0, 2]},
         r"^link 'a' -> 'b' \(FS\) is given twice \(links\[0\] and links\[1\]\); a pair may have one link of each kind$"),
        ({"id": ["a", "b"], "duration": [1, 1]},
         {"predecessor": ["a"], "successor": ["b"], "kind": ["XX"]},
         r"^links\[0\] \('a' -> 'b'\): kind: expected one of 'FS', 'SS', 'FF', got str 'XX'$"),
        ({"id": ["a", "b"], "duration": [1, 1]},
         {"predecessor": ["a"], "successor": ["b"], "lag": [10**8]},
         r"lag: expected working days from -3652058 to 3652058, got 100000000"),
        ({"id": ["a", "b"], "duration": [1, 1]},
         {"predecessor": ["a"], "successor": ["b"], "lag": [True]},
         r"lag: expected an int of working days"),
        ({"id": ["a"], "durations": [1]}, None, r"^stages: unknown column 'durations'"),
        ({"id": ["a"], "duration": [1]}, {"from": ["a"], "to": ["a"]}, r"^links: unknown column 'from'"),
    ],
)  # fmt: skip
def test_bad_frames_are_refused_naming_the_row(
    stages: dict[str, Any], links: dict[str, Any] | None, message: str
) -> None:
    with pytest.raises(PlanError, match=message):
        Plan.from_frame(stages, links, calendar=CN)


def test_the_same_messages_from_a_pandas_frame() -> None:
    stages = pd.DataFrame({"id": ["a", "b"], "duration": [1, 1]})
    links = pd.DataFrame({"predecessor": ["a", "b"], "successor": ["b", "c"]})
    with pytest.raises(PlanError, match=r"^links\[1\]: unknown successor 'c'"):
        Plan.from_frame(stages, links, calendar=CN)


def test_a_cycle_is_reported_in_order() -> None:
    with pytest.raises(CycleError) as e:
        Plan.from_frame(
            {"id": ["x", "a", "b", "c"], "duration": [1, 1, 1, 1]},
            {"predecessor": ["x", "c", "a", "b"], "successor": ["a", "a", "b", "c"]},
            calendar=CN,
        )
    assert e.value.cycle == ("a", "b", "c")
    assert str(e.value) == "links form a cycle: 'a' -> 'b' -> 'c' -> 'a'; remove one of these links"


def test_what_is_not_a_frame_is_refused() -> None:
    with pytest.raises(
        PlanError, match=r"^stages: expected a pandas DataFrame, a frame that speaks"
    ):
        Plan.from_frame([Stage("a", 1)], calendar=CN)
    with pytest.raises(ArgumentTypeError, match=r"calendar: expected a WorkCalendar"):
        Plan.from_frame({"id": ["a"], "duration": [1]}, calendar="CN")  # type: ignore[arg-type]
    with pytest.raises(ArgumentTypeError, match=r"name: expected a string"):
        Plan.from_frame({"id": ["a"], "duration": [1]}, calendar=CN, name=3)  # type: ignore[arg-type]


def test_a_frame_read_through_arrow_needs_pyarrow(monkeypatch: pytest.MonkeyPatch) -> None:
    class ArrowOnly:
        def __arrow_c_stream__(self, requested_schema: object = None) -> object:
            raise AssertionError("not reached")

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    with pytest.raises(MissingExtraError, match=r"pip install pyarrow \(the 'polars' extra") as e:
        Plan.from_frame(ArrowOnly(), calendar=CN)
    assert isinstance(e.value, ImportError)


def test_a_plan_from_frames_reads_its_file_form_back() -> None:
    plan = Plan.from_frame(
        {"id": ["a", "b"], "duration": [5, "20cd"], "kind": ["work", "notice"]},
        {"predecessor": ["a"], "successor": ["b"], "lag": [-1]},
        calendar=CN,
        name="demo",
    )
    assert Plan.loads(plan.to_toml()) == plan
    assert plan.with_calendar(MON_FRI).graph is plan.graph  # the same stages and links


def test_plans_past_the_file_limits_are_fine_in_code() -> None:
    # Limits bound what a file may make the library do; a plan built in code (from
    # objects or from frames) has none, as before.
    n = 600  # above Limits().stages (500)
    ids = [f"s{i}" for i in range(n)]
    plan = Plan.from_frame({"id": ids, "duration": [1] * n}, calendar=CN)
    assert len(plan.graph.ids) == n


def test_the_start_of_a_random_dag_matches_networkx_s_longest_path() -> None:
    nx = pytest.importorskip("networkx")
    rng = random.Random(20210818)
    n, m = 3_000, 9_000
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    durations = [rng.randint(1, 5) for _ in range(n)]
    ids = [f"s{i}" for i in range(n)]
    edges = sorted(pairs)
    plan = Plan.from_frame(
        pd.DataFrame({"id": ids, "duration": durations}),
        pd.DataFrame(
            {"predecessor": [ids[a] for a, _ in edges], "successor": [ids[b] for _, b in edges]}
        ),
        calendar=MON_FRI,
    )
    g = nx.DiGraph()
    g.add_weighted_edges_from((a, b, durations[a]) for a, b in edges)
    g.add_weighted_edges_from((i, "end", d) for i, d in enumerate(durations))
    assert plan.schedule(start=D(2020, 1, 1)).duration == nx.dag_longest_path_length(g)


def test_dates_in_an_object_column_and_in_datetime64() -> None:
    days = [D(2021, 8, 18), None]
    for column in (days, np.array(days, dtype="datetime64[D]"), pd.Series(days, dtype=object)):
        plan = Plan.from_frame(
            {"id": ["a", "b"], "duration": [1, 2], "not_before": column}, calendar=CN
        )
        assert [s.not_before for s in plan.stages] == [D(2021, 8, 18), None]
    late = D(2021, 8, 18) + timedelta(days=3)
    plan = Plan.from_frame({"id": ["a"], "duration": [1], "finish_by": [late]}, calendar=CN)
    assert plan.stages[0].finish_by == late


def test_plans_that_differ_in_any_field_are_unequal() -> None:
    # Equality compares the graphs column by column: each field of a stage or link counts.
    def plan(**change: Any) -> Plan:
        stage = {"duration": 5, "name": "", "kind": "work", "calendar": None, "not_before": None}
        stage.update({k: v for k, v in change.items() if k in stage})
        link = {"kind": "FS", "lag": 0}
        link.update({k[5:]: v for k, v in change.items() if k.startswith("link_")})
        return Plan(
            [Stage("a", 1), Stage("b", **stage)],  # type: ignore[arg-type]
            [Link("a", "b", **link)],  # type: ignore[arg-type]
            calendar=change.get("plan_calendar", CN),
            name=change.get("plan_name", ""),
        )

    base = plan()
    assert base == plan()
    for change in (
        {"duration": "5cd"},
        {"duration": 6},
        {"name": "x"},
        {"kind": "notice"},
        {"calendar": CN},  # the plan's calendar named on the stage is another stage
        {"calendar": SAT_HALL},
        {"not_before": D(2021, 1, 4)},
        {"link_kind": "SS"},
        {"link_lag": 1},
        {"link_lag": "1cd"},
        {"plan_calendar": MON_FRI},
        {"plan_name": "x"},
    ):
        other = plan(**change)
        assert other != base, change
        assert base != other, change
    assert plan(calendar=SAT_HALL) == plan(calendar=CN.with_weekmask("1111110"))  # equal calendars
    assert (base == "plan") is False

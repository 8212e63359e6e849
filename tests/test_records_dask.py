"""approval_clock.records under dask: the recipe of docs/records.md, on the local scheduler.

The per-row part runs unchanged in ``map_partitions``; KPI parts computed per
partition and added up equal the KPIs of the whole frame, exactly.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from approval_clock import calendars
from approval_clock.records import analyze, combine_kpi_parts, kpis_from_parts

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

CN = calendars.get("CN")
AS_OF = date(2021, 12, 31)


def synthetic(n: int = 3000, m: int = 600, seed: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    case = np.array([f"C{k:04d}" for k in rng.integers(0, n // 3, n)])
    stage = rng.choice(["planning", "construction", "fire", "land"], n)
    accepted = np.datetime64("2021-01-04") + rng.integers(0, 360, n)
    completed = accepted + rng.integers(-1, 30, n)  # a few completions before acceptance
    completed[rng.random(n) < 0.1] = np.datetime64("NaT")
    limit = rng.choice(
        [0.0, 3.0, 5.0, 10.0, 20.0, -1.0, np.nan], n, p=[0.1, 0.2, 0.3, 0.2, 0.18, 0.01, 0.01]
    )
    stages = pd.DataFrame(
        {
            "case": case,
            "stage": stage,
            "accepted": accepted.astype("datetime64[s]"),
            "completed": completed.astype("datetime64[s]"),
            "limit": limit,
        }
    )
    row = rng.integers(0, n, m)
    paused = accepted[row] + rng.integers(-2, 20, m)
    resumed = paused + rng.integers(0, 15, m)
    resumed[rng.random(m) < 0.1] = np.datetime64("NaT")
    pauses = pd.DataFrame(
        {
            "case": case[row],
            "stage": stage[row],
            "paused": paused.astype("datetime64[s]"),
            "resumed": resumed.astype("datetime64[s]"),
        }
    )
    return stages, pauses


def per_stage(s: pd.DataFrame, p: pd.DataFrame) -> pd.DataFrame:
    return analyze(s, pauses=p, calendar=CN, as_of=AS_OF).stages


def rejected(s: pd.DataFrame, p: pd.DataFrame) -> pd.DataFrame:
    return analyze(s, pauses=p, calendar=CN, as_of=AS_OF).rejected


def kpi_parts(s: pd.DataFrame, p: pd.DataFrame) -> pd.DataFrame:
    return analyze(s, pauses=p, calendar=CN, as_of=AS_OF).kpi_parts()


@pytest.fixture(scope="module")
def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    stages, pauses = synthetic()
    # The recipe: the case id as a sorted index, pauses partitioned like stages, so
    # that every case, with its pauses, lies in one partition.
    return stages.set_index("case").sort_index(), pauses.set_index("case").sort_index()


def partitioned(frames: tuple[pd.DataFrame, pd.DataFrame]) -> tuple[object, object]:
    stages, pauses = frames
    # dask would turn text columns into pyarrow strings; keep pandas' own, to compare.
    with dask.config.set({"dataframe.convert-string": False}):
        s_dd = dd.from_pandas(stages, npartitions=4)
        p_dd = dd.from_pandas(pauses, npartitions=3).repartition(
            divisions=s_dd.divisions, force=True
        )
    return s_dd, p_dd


def sort(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index().sort_values(["case", "stage"], kind="stable").reset_index(drop=True)


def test_map_partitions_gives_the_same_rows(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    stages, pauses = frames
    s_dd, p_dd = partitioned(frames)
    assert s_dd.npartitions == 4
    empty = (stages.iloc[:0], pauses.iloc[:0])
    with dask.config.set(scheduler="synchronous"):
        got = s_dd.map_partitions(per_stage, p_dd, meta=per_stage(*empty)).compute()
        bad = s_dd.map_partitions(rejected, p_dd, meta=rejected(*empty)).compute()
    whole = analyze(stages, pauses=pauses, calendar=CN, as_of=AS_OF)
    assert len(got) + len(bad) == len(stages)
    assert len(whole.rejected) > 0
    assert len(whole.pauses) > 0
    pd.testing.assert_frame_equal(sort(got), sort(whole.stages))
    pd.testing.assert_frame_equal(sort(bad), sort(whole.rejected))


def test_kpis_combined_from_partitions_equal_the_whole(
    frames: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    stages, pauses = frames
    s_dd, p_dd = partitioned(frames)
    meta = kpi_parts(stages.iloc[:0], pauses.iloc[:0])
    with dask.config.set(scheduler="synchronous"):
        parts = s_dd.map_partitions(kpi_parts, p_dd, meta=meta).compute()
    assert parts["part"].value_counts()["stages"] == 4  # one row per partition
    whole = analyze(stages, pauses=pauses, calendar=CN, as_of=AS_OF).kpis()
    assert kpis_from_parts(parts) == pytest.approx(whole, nan_ok=True)
    assert kpis_from_parts(combine_kpi_parts(parts)) == pytest.approx(whole, nan_ok=True)
    assert whole["cases"] > 0
    assert whole["pauses"] > 0


# -- the guarded recipe: analyze_partitions ------------------------------------------------


def test_analyze_partitions_equals_the_whole(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    from approval_clock.records import analyze_partitions

    stages, pauses = frames
    s_dd, p_dd = partitioned(frames)
    run = analyze_partitions(s_dd, p_dd, calendar=CN, as_of=AS_OF)
    whole = analyze(stages, pauses=pauses, calendar=CN, as_of=AS_OF)
    with dask.config.set(scheduler="synchronous"):
        assert run.kpis() == pytest.approx(whole.kpis(), nan_ok=True)
        by_stage = run.kpis(by="stage")
        got = run.stages().compute()
        bad = run.rejected().compute()
    pd.testing.assert_frame_equal(by_stage, whole.kpis(by="stage"))
    pd.testing.assert_frame_equal(sort(got), sort(whole.stages))
    assert len(got) + len(bad) == len(stages)


def test_row_partitioned_data_is_refused(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    # Split by rows, a case's stages land in several partitions: each would count the
    # case once (thousands of cases too many) and miss duplicates. Refused up front.
    from approval_clock.errors import RecordsError
    from approval_clock.records import analyze_partitions

    stages, pauses = frames
    flat = stages.reset_index().sample(frac=1, random_state=1).reset_index(drop=True)
    with dask.config.set({"dataframe.convert-string": False}):
        by_rows = dd.from_pandas(flat, npartitions=4)
        unsorted = dd.from_pandas(flat.set_index("case"), npartitions=4, sort=False)
        s_dd, _p_dd = partitioned(frames)
        other = dd.from_pandas(pauses, npartitions=2)
    with pytest.raises(RecordsError, match=r"the index is None, not the case id 'case'"):
        analyze_partitions(by_rows, calendar=CN, as_of=AS_OF)
    with pytest.raises(RecordsError, match="divisions of the index 'case' are unknown"):
        analyze_partitions(unsorted, calendar=CN, as_of=AS_OF)
    with pytest.raises(RecordsError, match="pauses: divided at"):
        analyze_partitions(s_dd, other, calendar=CN, as_of=AS_OF)


def test_forced_divisions_that_lie_are_caught_when_run(
    frames: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    from approval_clock.errors import RecordsError
    from approval_clock.records import analyze_partitions

    stages, _ = frames
    with dask.config.set({"dataframe.convert-string": False}):
        s_dd = dd.from_pandas(stages, npartitions=4)
        # The partitions in reverse order, claiming the divisions of the right order.
        liar = dd.from_delayed(s_dd.to_delayed()[::-1], meta=s_dd._meta, divisions=s_dd.divisions)
    run = analyze_partitions(liar, calendar=CN, as_of=AS_OF)
    with (
        dask.config.set(scheduler="synchronous"),
        pytest.raises(RecordsError, match=r"partition \d holds case 'C\d+', outside its division"),
    ):
        run.kpis()

"""Benchmark ``approval_clock.records.analyze`` on a million synthetic stage rows.

Run by hand from the repository root, after ``pip install -e '.[bench]'``::

    python benchmarks/records.py            # full run: 1 000 000 stages, 200 000 pauses
    python benchmarks/records.py --quick    # smoke test: 100 000 stages, 20 000 pauses

One run:

* generates the records reproducibly (seeded numpy): cases of 1 to 7 stages
  accepted 2021-2023, about 3% still open at ``as_of`` (2023-10-31, so that every deadline stays in workalendar's range), limits by
  stage, pauses on random stages (some overlapping, some not resumed yet) and a
  few bad rows of each kind, so that the rejection paths are timed too;
* times :func:`analyze` (median of 3 runs) and ``kpis()`` on its result;
* times the obvious row-by-row approach, ``DataFrame.apply(axis=1)`` with, for
  each row, the elapsed working days, the paused working days of its pauses
  (looked up in a dict) and the deadline, once over workalendar's ``China``
  calendar and once over approval_clock's scalar methods. Row-by-row is too slow
  to run on a million rows: it is timed on a seeded sample of 10 000 valid rows
  and **extrapolated** linearly to the full size (the table says so);
* checks the row-by-row answers against ``analyze`` on the sample. They differ
  where the naive approach is wrong, and only there: it does not merge
  overlapping pauses (elapsed and deadline differ), and it moves the deadline by
  pauses that begin after the deadline has passed (the deadline differs); the
  script counts the differences and how many of them neither reason explains;

and prints a Markdown table with the ratios "time / analyze time".
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from datetime import date
from importlib import metadata
from typing import Any

import numpy as np
import pandas as pd

from approval_clock import WorkingDays, calendars
from approval_clock.records import analyze

SEED = 20210818
AS_OF = date(2023, 10, 31)
FIRST = date(2021, 1, 4)
STAGE_LIMITS = {
    "land registration": 5,
    "planning permit": 7,
    "design review": 10,
    "fire safety review": 10,
    "construction permit": 7,
    "completion filing": 5,
    "utility connection": 3,
}
SAMPLE = 10_000


def make_records(
    n_stages: int, n_pauses: int, seed: int = SEED
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n_stages`` stage rows and ``n_pauses`` pause rows, the same for the same seed."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 8, size=n_stages)  # more cases than needed, cut below
    case_of_row = np.repeat(np.arange(len(sizes)), sizes)[:n_stages]
    rank = np.arange(n_stages) - np.searchsorted(case_of_row, case_of_row)
    names = np.array(list(STAGE_LIMITS))
    stage = names[rank % len(names)]
    limits = np.array(list(STAGE_LIMITS.values()))[rank % len(names)]
    span = (AS_OF - FIRST).days - 60
    start = np.datetime64(FIRST) + rng.integers(0, span, size=len(sizes))
    accepted = start[case_of_row] + rank * 3 + rng.integers(0, 3, size=n_stages)
    took = rng.integers(0, 25, size=n_stages)
    completed = accepted + took
    open_ = rng.random(n_stages) < 0.03
    accepted[open_] = np.datetime64(AS_OF) - rng.integers(0, 30, size=int(open_.sum()))
    completed[open_] = np.datetime64("NaT")
    limit = limits.astype(np.float64)
    # A few bad rows of each kind (0.02% each): they take the rejection paths.
    bad = rng.choice(n_stages, size=max(5, n_stages // 1000), replace=False)
    kinds = np.array_split(bad, 5)
    accepted[kinds[0]] = np.datetime64("NaT")
    limit[kinds[1]] = -1
    limit[kinds[2]] = np.nan
    completed[kinds[3]] = accepted[kinds[3]] - 1
    stages = pd.DataFrame(
        {
            "case": pd.Series(case_of_row).map("C{:07d}".format),
            "stage": stage,
            "accepted": accepted.astype("datetime64[s]"),
            "completed": completed.astype("datetime64[s]"),
            "limit": limit,
        }
    )
    dup = kinds[4]
    stages.loc[dup, "stage"] = stages["stage"].to_numpy()[np.maximum(dup - 1, 0)]
    stages.loc[dup, "case"] = stages["case"].to_numpy()[np.maximum(dup - 1, 0)]

    row = rng.integers(0, n_stages, size=n_pauses)
    end = np.where(open_[row], np.datetime64(AS_OF), completed[row])
    length = np.maximum((end - accepted[row]).astype(np.int64), 0)
    paused = accepted[row] + (rng.random(n_pauses) * (length + 1)).astype(np.int64)
    resumed = paused + rng.integers(0, 12, size=n_pauses)
    resumed[rng.random(n_pauses) < 0.05] = np.datetime64("NaT")
    pauses = pd.DataFrame(
        {
            "case": stages["case"].to_numpy()[row],
            "stage": stages["stage"].to_numpy()[row],
            "paused": paused.astype("datetime64[s]"),
            "resumed": resumed.astype("datetime64[s]"),
        }
    )
    return stages, pauses


def median_seconds(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def row_by_row(
    sample: pd.DataFrame,
    pauses: pd.DataFrame,
    elapsed: Callable[[date, date], int],
    add: Callable[[date, int], date],
) -> pd.DataFrame:
    """The obvious approach: a Python function applied to each row."""
    by_stage: dict[tuple[str, str], list[tuple[date, date | None]]] = {}
    for c, s, p, r in zip(
        pauses["case"], pauses["stage"], pauses["paused"], pauses["resumed"], strict=True
    ):
        by_stage.setdefault((c, s), []).append((p.date(), None if pd.isna(r) else r.date()))

    def one(r: Any) -> pd.Series[Any]:
        a = r["accepted"].date()
        end = AS_OF if pd.isna(r["completed"]) else r["completed"].date()
        gross = elapsed(a, end)
        paused = 0
        for p, q in by_stage.get((r["case"], r["stage"]), []):
            if a <= p <= end:
                paused += elapsed(p, min(q or end, end))
        limit = int(r["limit"])
        return pd.Series({"elapsed": gross - paused, "deadline": add(a, limit + paused)})

    return sample.apply(one, axis=1)


def machine() -> str:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    return (
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; "
        f"numpy {np.__version__}, pandas {pd.__version__}, workalendar {version('workalendar')}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the rows (smoke test)")
    args = parser.parse_args(argv)
    n_stages, n_pauses = (100_000, 20_000) if args.quick else (1_000_000, 200_000)
    cn = calendars.get("CN")

    t0 = time.perf_counter()
    stages, pauses = make_records(n_stages, n_pauses)
    made = time.perf_counter() - t0
    print(f"# approval_clock records benchmark{' (--quick)' if args.quick else ''}\n")
    print(machine())
    print(f"generated {len(stages):,} stage rows and {len(pauses):,} pauses in {made:.1f} s\n")

    result = analyze(stages, calendar=cn, pauses=pauses, as_of=AS_OF)
    t_analyze = median_seconds(
        lambda: analyze(stages, calendar=cn, pauses=pauses, as_of=AS_OF), repeats=3
    )
    t_kpis = median_seconds(result.kpis, repeats=3)
    print(
        f"analyze: {len(result.stages):,} stages, {len(result.rejected):,} rejected, "
        f"{len(result.pauses):,} pauses, {len(result.rejected_pauses):,} rejected pauses, "
        f"{len(result.cases):,} cases\n"
    )

    sample = result.stages.sample(n=min(SAMPLE, len(result.stages)), random_state=SEED)
    sample = sample[["case", "stage", "accepted", "completed", "limit"]]
    from workalendar.asia import China

    wc = China()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # workalendar warns about years it does not know
        t0 = time.perf_counter()
        wa = row_by_row(sample, pauses, wc.get_working_days_delta, wc.add_working_days)
        t_wa = time.perf_counter() - t0

    def cn_add(d: date, n: int) -> date:
        out: date = cn.deadline(d, WorkingDays(n))
        return out

    t0 = time.perf_counter()
    ac = row_by_row(sample, pauses, cn.elapsed, cn_add)
    t_ac = time.perf_counter() - t0

    want = result.stages.loc[sample.index]
    has_overlap = want["paused_days"].to_numpy() != _naive_paused(sample, pauses, cn)

    late_pause = _pause_after_deadline(want, pauses)

    def agree(got: pd.DataFrame) -> str:
        e = got["elapsed"].to_numpy(dtype=np.int64) != want["elapsed"].to_numpy()
        d = pd.to_datetime(got["deadline"]).to_numpy() != want["deadline"].to_numpy()
        if not (e | d).any():
            return "same"
        unexplained = int(((e & ~has_overlap) | (d & ~has_overlap & ~late_pause)).sum())
        return (
            f"elapsed differs on {int(e.sum()):,}, deadline on {int(d.sum()):,} of "
            f"{len(got):,}; unexplained: {unexplained:,}"
        )

    scale = len(stages) / len(sample)
    rows = [
        ("`analyze` (vectorized)", f"{len(stages):,}", t_analyze, "measured", "-"),
        ("`Analysis.kpis()`", f"{len(stages):,}", t_kpis, "measured", "-"),
        (
            "`apply` over workalendar `China`",
            f"{len(sample):,} -> {len(stages):,}",
            t_wa * scale,
            f"extrapolated from {t_wa:.2f} s",
            agree(wa),
        ),
        (
            "`apply` over approval_clock scalars",
            f"{len(sample):,} -> {len(stages):,}",
            t_ac * scale,
            f"extrapolated from {t_ac:.2f} s",
            agree(ac),
        ),
    ]
    print("| approach | rows | time (s) | how | time / analyze | answers vs analyze |")
    print("|---|---:|---:|---|---:|---|")
    for name, n, t, how, answers in rows:
        print(f"| {name} | {n} | {t:.2f} | {how} | {t / t_analyze:.1f} | {answers} |")
    target = 5.0
    ok = t_analyze <= target or args.quick
    print(
        f"\n{'PASS' if ok else 'MISS'}: analyze of {len(stages):,} rows in {t_analyze:.2f} s "
        f"(target: a few seconds, <= {target:.0f} s)"
    )
    return 0


def _pause_after_deadline(want: pd.DataFrame, pauses: pd.DataFrame) -> np.ndarray[Any, Any]:
    """Stages with a pause that begins after their deadline (row-by-row adds it anyway)."""
    keyed = pauses.merge(want[["case", "stage", "deadline"]].reset_index(), on=["case", "stage"])
    late = keyed[keyed["paused"] >= keyed["deadline"]]
    return want.index.isin(late["index"])


def _naive_paused(sample: pd.DataFrame, pauses: pd.DataFrame, cn: Any) -> np.ndarray[Any, Any]:
    """The paused days without merging overlaps, vectorized (for explaining differences)."""
    keyed = pauses.merge(sample.reset_index(), on=["case", "stage"])
    end = keyed["completed"].fillna(pd.Timestamp(AS_OF))
    keep = (keyed["paused"] >= keyed["accepted"]) & (keyed["paused"] <= end)
    keyed = keyed[keep]
    end = end[keep]
    stop = keyed["resumed"].fillna(end).where(lambda s: s <= end, end)
    days = cn.elapsed(keyed["paused"], stop)
    total = days.groupby(keyed["index"]).sum()
    out: np.ndarray[Any, Any] = total.reindex(sample.index, fill_value=0).to_numpy()
    return out


if __name__ == "__main__":
    sys.exit(main())

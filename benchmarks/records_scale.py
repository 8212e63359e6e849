"""Records at national scale: 10 million stage rows, 2 million pauses, time and peak memory.

Run by hand from the repository root, after ``pip install -e '.[bench,distributed]'``::

    python benchmarks/records_scale.py              # 10 000 000 stages, 2 000 000 pauses
    python benchmarks/records_scale.py --rows 1000000
    python benchmarks/records_scale.py --no-dask    # pandas only

One run:

* generates the records with ``benchmarks/records.py``'s seeded generator
  (cases of 1 to 7 stages, 3% open, a few bad rows of each kind);
* measures, in this process, ``analyze`` (wall time) and its peak memory: the
  resident set size is sampled every 5 ms by a thread (psutil) during the call;
  the table gives the peak above the RSS before the call (the input frames are
  already resident then) and its ratio to the input frames' own size
  (``memory_usage(deep=True)``), then ``kpis()`` and ``kpis(by="stage")``;
* writes the frames to Parquet, sorted and indexed by case id (16 files each),
  starts a ``dask.distributed.LocalCluster`` of 2 worker processes with 1 thread
  each, reads the files there (``read_parquet(..., calculate_divisions=True)``)
  and times ``analyze_partitions(...).kpis()``, sampling every worker's RSS;
  it checks that the KPIs equal those of the pandas run.

It prints a Markdown table; ``docs/records.md`` shows one run.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from records import AS_OF, make_records

from approval_clock import calendars
from approval_clock.records import analyze, analyze_partitions

MIB = 2**20


class Peak:
    """The highest value of ``sample()`` while the ``with`` block runs, sampled every 5 ms."""

    def __init__(self, sample: Callable[[], int]) -> None:
        self.sample = sample
        self.peak = 0
        self._stop = threading.Event()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.sample())
            self._stop.wait(0.005)

    def __enter__(self) -> Peak:
        self.start = self.sample()
        self.peak = self.start
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.sample())


def rss() -> int:
    return int(psutil.Process().memory_info().rss)


def timed(run: Callable[[], Any]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = run()
    return out, time.perf_counter() - t0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000_000, help="stage rows (pauses: a fifth)")
    parser.add_argument("--no-dask", action="store_true", help="skip the LocalCluster run")
    parser.add_argument("--partitions", type=int, default=16, help="Parquet files per frame")
    args = parser.parse_args(argv)
    n, m = args.rows, args.rows // 5
    cn = calendars.get("CN")

    (stages, pauses), t_gen = timed(lambda: make_records(n, m))
    gc.collect()
    size = int(stages.memory_usage(deep=True).sum() + pauses.memory_usage(deep=True).sum())
    print(f"# approval_clock records at scale: {n:,} stage rows, {m:,} pauses\n")
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB; numpy {np.__version__}, "
        f"pandas {pd.__version__}; generated in {t_gen:.0f} s; input frames "
        f"{size / MIB:,.0f} MiB (stages {stages.dtypes.astype(str).to_dict()})\n"
    )
    analyze(stages.head(1000), calendar=cn, pauses=pauses.head(200), as_of=AS_OF)  # warm-up
    with Peak(rss) as mem:
        result, t_analyze = timed(lambda: analyze(stages, calendar=cn, pauses=pauses, as_of=AS_OF))
    extra = mem.peak - mem.start
    totals, t_kpis = timed(result.kpis)
    _, t_by = timed(lambda: result.kpis(by="stage"))
    out_size = int(result.stages.memory_usage(deep=True).sum())
    rows = [
        ("pandas `analyze`", f"{t_analyze:.1f}", f"{extra / MIB:,.0f}", f"{extra / size:.1f}x"),
        ("`kpis()`", f"{t_kpis:.1f}", "", ""),
        ('`kpis(by="stage")`', f"{t_by:.1f}", "", ""),
    ]
    print(
        f"analyze: {len(result.stages):,} stages kept, {len(result.rejected):,} rejected, "
        f"{len(result.cases):,} cases, {len(result.pauses):,} pauses kept; result.stages "
        f"{out_size / MIB:,.0f} MiB; RSS {mem.start / MIB:,.0f} MiB before, peak "
        f"{mem.peak / MIB:,.0f} MiB\n"
    )
    if not args.no_dask:
        rows += dask_rows(stages, pauses, totals, args.partitions)
    print("| run | time (s) | peak memory above the start (MiB) | / input frames |")
    print("|---|---:|---:|---:|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


def dask_rows(
    stages: pd.DataFrame, pauses: pd.DataFrame, totals: dict[str, float], parts: int
) -> list[tuple[str, str, str, str]]:
    import dask
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    where = Path(tempfile.mkdtemp(prefix="records-scale-"))
    try:
        t0 = time.perf_counter()
        with dask.config.set(scheduler="synchronous"):
            s = dd.from_pandas(stages.set_index("case").sort_index(), npartitions=parts)
            p = dd.from_pandas(pauses.set_index("case").sort_index(), npartitions=parts)
            s.to_parquet(where / "stages")
            p.to_parquet(where / "pauses")
        t_write = time.perf_counter() - t0
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, memory_limit="10GiB"
        )
        with cluster, Client(cluster) as client:
            cn = calendars.get("CN")

            def worker_rss() -> int:
                got = client.run(lambda: psutil.Process().memory_info().rss)
                return int(sum(got.values()))

            def run() -> Any:
                s_dd = dd.read_parquet(where / "stages", calculate_divisions=True)
                p_dd = dd.read_parquet(where / "pauses", calculate_divisions=True)
                p_dd = p_dd.repartition(divisions=s_dd.divisions, force=True)
                return analyze_partitions(s_dd, p_dd, calendar=cn, as_of=AS_OF).kpis()

            with Peak(worker_rss) as mem:
                got, t_dask = timed(run)
        same = all(
            (got[k] == totals[k]) or (got[k] != got[k] and totals[k] != totals[k]) for k in totals
        )
        size = int(stages.memory_usage(deep=True).sum() + pauses.memory_usage(deep=True).sum())
        extra = mem.peak - mem.start
        return [
            (f"write Parquet ({parts} files per frame, sorted by case)", f"{t_write:.1f}", "", ""),
            (
                "LocalCluster, 2 worker processes: `analyze_partitions(...).kpis()`"
                + ("" if same else " (KPIs DIFFER from pandas)"),
                f"{t_dask:.1f}",
                f"{extra / MIB:,.0f} (both workers)",
                f"{extra / size:.1f}x",
            ),
        ]
    finally:
        shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""approval_clock.records: how much memory ``analyze`` needs, as a multiple of its input.

The goal (DESIGN.md, issue 15) is a peak of at most 4x the input frames
(``memory_usage(deep=True)`` of stages and pauses), measured as resident memory
by ``benchmarks/run_all.py``. Resident memory depends on the allocator and on
whatever else the process holds, so this test pins what the code controls: the
peak of the memory Python and numpy allocate during the call (``tracemalloc``;
pyarrow's buffers for text columns are not traced), on a frame shaped like the
benchmark's — text ids, cases of 1 to 7 stages, a pause for one stage row in
five, a few bad rows. Before issue 15 this peak was 5.1x the input; the steps
now hold about 2.6x. No time is measured.
"""

from __future__ import annotations

import gc
import tracemalloc
from datetime import date

import numpy as np
import pandas as pd

from approval_clock import WorkCalendar
from approval_clock.records import analyze

AS_OF = date(2023, 10, 31)
ROWS = 200_000


def records(n: int, seed: int = 15) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 8, size=n)
    case = np.repeat(np.arange(n), sizes)[:n]
    rank = np.arange(n) - np.searchsorted(case, case)
    names = np.array(["land", "planning", "design", "fire", "construction", "filing", "utility"])
    start = np.datetime64("2021-01-04") + rng.integers(0, 900, size=n)
    accepted = start[case] + rank * 3
    completed = accepted + rng.integers(0, 25, size=n)
    is_open = rng.random(n) < 0.03
    completed[is_open] = np.datetime64("NaT")
    limit = rng.integers(3, 11, size=n).astype(np.float64)
    limit[rng.choice(n, size=n // 1000, replace=False)] = np.nan
    ids = pd.Series(case).map("C{:07d}".format)
    stages = pd.DataFrame(
        {
            "case": ids,
            "stage": names[rank % len(names)],
            "accepted": accepted.astype("datetime64[s]"),
            "completed": completed.astype("datetime64[s]"),
            "limit": limit,
        }
    )
    row = rng.integers(0, n, size=n // 5)
    paused = accepted[row] + rng.integers(0, 10, size=len(row))
    pauses = pd.DataFrame(
        {
            "case": ids.to_numpy()[row],
            "stage": stages["stage"].to_numpy()[row],
            "paused": paused.astype("datetime64[s]"),
            "resumed": (paused + rng.integers(0, 12, size=len(row))).astype("datetime64[s]"),
        }
    )
    return stages, pauses


def test_analyze_allocates_less_than_three_times_its_input(cn: WorkCalendar) -> None:
    stages, pauses = records(ROWS)
    analyze(stages.head(100), calendar=cn, pauses=pauses.head(20), as_of=AS_OF)  # imports
    inputs = int(stages.memory_usage(deep=True).sum() + pauses.memory_usage(deep=True).sum())
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        result = analyze(stages, calendar=cn, pauses=pauses, as_of=AS_OF)
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    assert len(result.stages) + len(result.rejected) == ROWS
    assert peak <= 3.0 * inputs, f"peak {peak / 2**20:.1f} MiB, input {inputs / 2**20:.1f} MiB"

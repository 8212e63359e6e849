"""All of approval_clock's headline benchmarks in one process, against what people use instead.

Run from the repository root, after ``pip install -e '.[bench]'``::

    python benchmarks/run_all.py            # full run, 4-7 minutes on the 2-core machine
    python benchmarks/run_all.py --quick    # smoke test, under 30 s
    PYTHONPATH=/path/to/other/checkout/src python benchmarks/run_all.py --label before

It prints (on stdout, Markdown; progress goes to stderr) the machine, the
versions and the git commit of the approval_clock that was imported, then a
table of goals with PASS/MISS, a table of medians with their ratios, and the
scaling curves as a table:

* **Plan + schedule**, a random DAG of 100 000 stages and 300 000 FS links
  (``benchmarks/plans.py``'s generator, CN calendar): ``Plan(stages, links)`` from
  prebuilt objects and, when it exists, ``Plan.from_frame(stages, links)`` from
  prebuilt pandas frames, each followed by ``schedule(start=...)``, against
  networkx (build a weighted ``DiGraph`` from the edge tuples and run
  ``dag_longest_path``); the schedule's duration must equal networkx's longest
  path. Goal: from frames + schedule at most 0.25x networkx's time.
* **Vector queries** on 1 000 000 ``datetime64[D]`` dates or pairs (CN):
  ``count`` against ``numpy.busday_count``, ``deadline(a, WorkingDays(20))``
  against ``busday_offset``, ``is_working_day`` against ``is_busday``, numpy given
  a prebuilt ``busdaycalendar`` with the CN holidays (it cannot express makeup
  working days; the differing answers are counted). Goal: ``count`` at least 12x
  faster than ``busday_count``.
* **records.analyze** on 1 000 000 stage rows and 200 000 pauses
  (``benchmarks/records.py``'s generator), against the vectorized
  ``busday_count``/``busday_offset`` code a pandas user would write
  (:func:`naive_records`). Goals: at most 1.0x its time; peak memory above the
  frames at most 4x the frames' own size (``memory_usage(deep=True)``), measured
  in a fresh subprocess per approach as the peak resident set size
  (``VmHWM``, which ``getrusage().ru_maxrss`` reports, reset through
  ``/proc/self/clear_refs`` once the frames are built) minus the resident size
  at that moment.
* **Scalar calls** on ``datetime.date`` values: ``cn.is_working_day(d)``,
  ``cn.count(a, b)``, ``cn.deadline(d, WorkingDays(20))`` against the floor of a
  plain Python function doing the same lookup in Python lists (a call plus a
  list index, no validation). Goal: within 2x of the floor; and
  ``cn.is_working_day(numpy.datetime64)`` under 500 ns.
* **Scaling**: nanoseconds per element for 1k..10M elements of vector ``count``
  and ``deadline``, ``records.analyze`` (10M rows only when enough memory is
  free) and Plan build + schedule (1k..300k stages), each with its alternative;
  written to CSV and JSON and drawn log-log with matplotlib.

Timing: every comparison runs its contenders in interleaved rounds (A, B, A, B,
... with the order rotated each round, so that a change in the machine's load
hits all of them alike) and reports the median per contender and the ratio of the
medians to the baseline's. The goals are judged on the median of the per-round
ratios (each round's contenders ran side by side in time, so that ratio is the
steadier one on a busy machine), printed with their range and the ratio of the
medians; each sample is also timed in process CPU time, and the goals table gives
the verdict on that too. Fast calls are repeated within a sample so that each
sample lasts at least a few milliseconds. The garbage collector stays on (as in user
code; ``gc.collect()`` runs before each sample) except in the scalar loops,
which are timed with it off, as ``timeit`` does. The minor page faults per call
are counted too: vector calls on large arrays spend much of their time faulting
in fresh memory for their temporaries (see the vector note in the output).

Only the public API of approval_clock is used; networkx, polars and matplotlib
are optional (their rows or the chart are skipped with a note).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import ctypes
import gc
import itertools
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # the sibling benchmark modules (already there when run as a script)
    sys.path.insert(0, str(HERE))

import calendars as calendar_bench  # noqa: E402
import plans as plan_bench  # noqa: E402

ROOT = HERE.parent
SEED = 20210818
PLAN_START = date(2021, 1, 4)
MIB = 2**20

# Goals (project issue 15).
PLAN_GOAL = 0.25  # from frames + schedule, at most this times networkx
COUNT_GOAL = 12.0  # vector count at least this many times faster than busday_count
RECORDS_GOAL = 1.0  # analyze at most this times the naive numpy approach
MEMORY_GOAL = 4.0  # analyze's peak above the frames, at most this times the frames
SCALAR_GOAL = 2.0  # scalar calls within this factor of the floor
DT64_GOAL_NS = 500.0  # is_working_day(np.datetime64) under this

# Records at 10M rows need about 4 GB for analyze plus the frames and the naive run.
BIG_RECORDS = 10_000_000
BIG_RECORDS_MEMORY = 12 * 2**30


@dataclass(frozen=True)
class Sizes:
    """How much work one run does."""

    scalar: int  # inputs of each scalar loop
    scalar_rounds: int
    vector: int
    vector_rounds: int
    stages: int
    links: int
    plan_rounds: int
    records: int
    pauses: int
    records_rounds: int
    scale_vector: tuple[int, ...]
    scale_records: tuple[int, ...]
    scale_plans: tuple[int, ...]
    scale_rounds: int
    min_sample: float  # seconds: fast calls are repeated within a sample up to this


FULL = Sizes(
    scalar=10_000,
    scalar_rounds=41,
    vector=1_000_000,
    vector_rounds=21,
    stages=100_000,
    links=300_000,
    plan_rounds=5,
    records=1_000_000,
    pauses=200_000,
    records_rounds=5,
    scale_vector=(1_000, 10_000, 100_000, 1_000_000, 10_000_000),
    scale_records=(1_000, 10_000, 100_000, 1_000_000, BIG_RECORDS),
    scale_plans=(1_000, 10_000, 100_000, 300_000),
    scale_rounds=7,
    min_sample=0.02,
)
QUICK = Sizes(
    scalar=2_000,
    scalar_rounds=5,
    vector=100_000,
    vector_rounds=5,
    stages=10_000,
    links=30_000,
    plan_rounds=3,
    records=100_000,
    pauses=20_000,
    records_rounds=3,
    scale_vector=(1_000, 10_000, 100_000),
    scale_records=(1_000, 10_000, 100_000),
    scale_plans=(1_000, 10_000),
    scale_rounds=3,
    min_sample=0.005,
)


# -- timing -----------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def gc_off(off: bool) -> Iterator[None]:
    enabled = gc.isenabled()
    if off:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Samples(dict[str, list[float]]):
    """Wall-clock seconds per call, by contender; ``cpu`` has the process CPU seconds."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: dict[str, list[float]] = {}
        self.faults: dict[str, list[float]] = {}  # minor page faults per call

    def renamed(self, names: Mapping[str, str]) -> Samples:
        out = Samples()
        for old, new in names.items():
            out[new], out.cpu[new], out.faults[new] = self[old], self.cpu[old], self.faults[old]
        return out

    def faults_per_call(self, name: str) -> float:
        return statistics.median(self.faults[name])


def interleaved(
    runs: Mapping[str, Callable[[], object]],
    rounds: int,
    *,
    min_sample: float = 0.0,
    warm: bool = True,
    no_gc: bool = False,
) -> Samples:
    """Seconds per call of each of ``runs``, one sample per round and contender.

    A warm-up call of each comes first (unless ``warm`` is false); it also sets how
    many calls make one sample (enough to last ``min_sample``). Round ``r`` runs
    the contenders in an order rotated by ``r``. Each sample is timed by the wall
    clock and by the process's CPU time (which leaves out the time the process
    waited for a core while other work ran).
    """
    names = list(runs)
    number = dict.fromkeys(names, 1)
    if warm:
        for name in names:
            t0 = time.perf_counter()
            runs[name]()
            once = time.perf_counter() - t0
            if min_sample > 0 and once < min_sample:
                number[name] = max(1, round(min_sample / max(once, 1e-9)))
    samples = Samples()
    for name in names:
        samples[name], samples.cpu[name], samples.faults[name] = [], [], []
    for r in range(rounds):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            run, count = runs[name], number[name]
            gc.collect()
            with gc_off(no_gc):
                f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                c0 = time.process_time()
                t0 = time.perf_counter()
                for _ in range(count):
                    run()
                t1 = time.perf_counter()
                c1 = time.process_time()
                f1 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            samples[name].append((t1 - t0) / count)
            samples.faults[name].append((f1 - f0) / count)
            samples.cpu[name].append((c1 - c0) / count)
    return samples


# -- results ----------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the result table: median seconds per run of ``n`` elements."""

    section: str
    impl: str
    n: int
    seconds: float | None  # None: not available (see answers)
    samples: list[float] = field(default_factory=list)
    baseline: bool = False  # the alternative the other rows of the section are compared with
    ratio: float | None = None  # median / the baseline's median
    ratio_range: tuple[float, float] | None = None  # min, max of the per-round ratios
    ratio_median: float | None = None  # median of the per-round ratios
    answers: str = ""
    cpu: float | None = None  # median process CPU seconds per run
    cpu_ratio: float | None = None  # median of the per-round ratios of CPU times
    cpu_samples: list[float] = field(default_factory=list)


@dataclass
class Goal:
    what: str
    measured: str
    threshold: str
    result: str  # PASS, MISS or n/a, on the wall clock
    cpu: str = ""  # the same measure on CPU time
    cpu_result: str = ""


@dataclass
class Point:
    """One point of a scaling curve."""

    curve: str
    impl: str
    n: int
    seconds: float
    rounds: int
    cpu: float | None = None

    @property
    def ns_per_element(self) -> float:
        return self.seconds / self.n * 1e9


@dataclass
class Run:
    rows: list[Row] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    memory: dict[str, dict[str, Any]] = field(default_factory=dict)

    def section(
        self,
        section: str,
        n: int,
        samples: Samples,
        *,
        baseline: str | None,
        answers: Mapping[str, str] | None = None,
        per: int = 1,
    ) -> dict[str, Row]:
        """Rows for ``samples`` (seconds per call; ``per`` calls per run of ``n`` elements)."""
        answers = answers or {}
        out: dict[str, Row] = {}
        for impl, wall in samples.items():
            got = [s * per for s in wall]
            cpu = [s * per for s in samples.cpu[impl]]
            row = Row(section, impl, n, statistics.median(got), got, answers=answers.get(impl, ""))
            row.cpu, row.cpu_samples = statistics.median(cpu), cpu
            if impl == baseline:
                row.baseline = True
            elif baseline in samples and not impl.startswith("part:"):
                b = [s * per for s in samples[baseline]]
                b_cpu = [s * per for s in samples.cpu[baseline]]
                row.ratio = row.seconds / statistics.median(b) if row.seconds else None
                rounds = [x / y for x, y in zip(got, b, strict=True)]
                row.ratio_range = (min(rounds), max(rounds))
                row.ratio_median = statistics.median(rounds)
                if all(b_cpu):
                    row.cpu_ratio = statistics.median(
                        x / y for x, y in zip(cpu, b_cpu, strict=True)
                    )
            out[impl] = row
            self.rows.append(row)
        return out

    def point(self, curve: str, n: int, samples: Samples, rounds: int) -> None:
        for impl, wall in samples.items():
            cpu = statistics.median(samples.cpu[impl])
            self.points.append(Point(curve, impl, n, statistics.median(wall), rounds, cpu))

    def missing(self, section: str, impl: str, n: int, why: str) -> None:
        self.rows.append(Row(section, impl, n, None, answers=why))


def agree(got: Any, want: Any) -> str:
    got, want = np.asarray(got), np.asarray(want)
    bad = int(np.count_nonzero(got != want))
    return "same" if bad == 0 else f"differs on {bad:,} of {want.size:,}"


# -- machine ----------------------------------------------------------------------------


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


def commit_of(path: Path) -> str:
    """The commit of the checkout holding ``path``, and whether it has changes there."""
    try:
        commit = git(path, "rev-parse", "--short", "HEAD")
        top = git(path, "rev-parse", "--show-toplevel")
        if git(path, "status", "--porcelain", "--", "."):
            commit += f", with uncommitted changes under {Path(path).relative_to(top)}"
        return f"{commit} in {top}"
    except (OSError, subprocess.CalledProcessError, ValueError):
        return "unknown (not a git checkout)"


def meminfo() -> dict[str, int]:
    """/proc/meminfo in bytes (empty where there is none)."""
    out: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            key, _, value = line.partition(":")
            fields = value.split()
            if fields and fields[0].isdigit():
                out[key] = int(fields[0]) * (1024 if fields[1:] == ["kB"] else 1)
    return out


def machine() -> list[str]:
    import approval_clock

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    mem = meminfo()
    memory = (
        f", {mem['MemTotal'] / 2**30:.0f} GiB RAM ({mem['MemAvailable'] / 2**30:.0f} GiB available)"
        if "MemTotal" in mem and "MemAvailable" in mem
        else ""
    )
    load = ""
    if hasattr(os, "getloadavg"):
        load = ", load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    lib = Path(approval_clock.__file__).resolve().parent
    libs = ", ".join(
        f"{name} {version(name)}"
        for name in ("pandas", "pyarrow", "networkx", "polars", "matplotlib")
    )
    return [
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {platform.platform()}, {cpu}, {os.cpu_count()} CPU(s){memory}{load}",
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"numpy {np.__version__}, {libs}",
        f"approval_clock {getattr(approval_clock, '__version__', version('approval-clock'))} "
        f"imported from {lib}, commit {commit_of(lib)}",
        f"Benchmark script: commit {commit_of(HERE)}",
        "glibc malloc tuning in the environment: "
        + (
            ", ".join(f"{k}={v}" for k, v in os.environ.items() if k.startswith("MALLOC_"))
            or "none"
        ),
    ]


# -- scalar calls -----------------------------------------------------------------------


def scalar_benchmarks(run: Run, sizes: Sizes) -> None:
    from approval_clock import WorkingDays, calendars

    cn = calendars.get("CN")
    first, last = cn.coverage
    base = first.toordinal()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    # The calendar as plain Python lists, read through the public API.
    work: list[bool] = cn.is_working_day(np.array(days, dtype="datetime64[D]")).tolist()
    cum = [0, *itertools.accumulate(work)]  # cum[i]: working days before day i
    pos = [d for d, w in zip(days, work, strict=True) if w]  # pos[k]: the k-th working day

    def floor_is_working_day(d: date) -> bool:
        return work[d.toordinal() - base]

    def floor_count(a: date, b: date) -> int:
        return cum[b.toordinal() - base + 1] - cum[a.toordinal() - base]

    def floor_deadline(d: date, w: WorkingDays) -> date:
        return pos[cum[d.toordinal() - base + 1] + w.n - 1]

    def bare(i: int) -> bool:
        return work[i]

    rng = random.Random(SEED)
    n = sizes.scalar
    dates = calendar_bench.random_dates(rng, date(2021, 1, 1), date(2023, 12, 31), n)
    pairs = calendar_bench.random_pairs(rng, date(2021, 1, 1), date(2023, 6, 30), 180, n)
    twenty = WorkingDays(20)
    starts = [(d, twenty) for d in dates]
    dt64 = [np.datetime64(d, "D") for d in dates]
    ints = [d.toordinal() - base for d in dates]
    loop1, loop2 = calendar_bench.loop1, calendar_bench.loop2
    r = sizes.scalar_rounds

    def one(section: str, ours: Callable[[], object], floor: Callable[[], object], ok: str) -> Row:
        got = interleaved(
            {"approval_clock": ours, "floor": floor}, r, min_sample=sizes.min_sample / 4, no_gc=True
        )
        rows = run.section(
            section,
            n,
            got.renamed(
                {
                    "approval_clock": f"approval_clock `{section}`",
                    "floor": "floor: " + FLOORS[section],
                }
            ),
            baseline="floor: " + FLOORS[section],
            answers={"floor: " + FLOORS[section]: ok},
        )
        return rows[f"approval_clock `{section}`"]

    log("scalar calls")
    ok = agree([floor_is_working_day(d) for d in dates], [cn.is_working_day(d) for d in dates])
    iwd = one(
        "cn.is_working_day(d)",
        loop1(cn.is_working_day, dates),
        loop1(floor_is_working_day, dates),
        ok,
    )
    ok = agree([floor_count(a, b) for a, b in pairs], [cn.count(a, b) for a, b in pairs])
    cnt = one("cn.count(a, b)", loop2(cn.count, pairs), loop2(floor_count, pairs), ok)
    ok = agree(
        [floor_deadline(d, w).toordinal() for d, w in starts],
        [cn.deadline(d, w).toordinal() for d, w in starts],
    )
    ddl = one(
        "cn.deadline(d, WorkingDays(20))",
        loop2(cn.deadline, starts),
        loop2(floor_deadline, starts),
        ok,
    )
    got = interleaved(
        {"dt64": loop1(cn.is_working_day, dt64), "bare": loop1(bare, ints)},
        r,
        min_sample=sizes.min_sample / 4,
        no_gc=True,
    )
    rows = run.section(
        "other scalar calls",
        n,
        got.renamed(
            {
                "dt64": "approval_clock `cn.is_working_day(np.datetime64(d))`",
                "bare": "bare floor: `def f(i): return work[i]` on ints",
            }
        ),
        baseline=None,
        answers={
            "approval_clock `cn.is_working_day(np.datetime64(d))`": agree(
                [bool(cn.is_working_day(x)) for x in dt64], [cn.is_working_day(d) for d in dates]
            )
            + " (as for `date`)"
        },
    )
    for name, row in (("is_working_day", iwd), ("count", cnt), ("deadline", ddl)):
        run.goals.append(ratio_goal(f"scalar `cn.{name}` / floor", row, SCALAR_GOAL, upper=True))
    dt = rows["approval_clock `cn.is_working_day(np.datetime64(d))`"]
    ns = (dt.seconds or 0) / n * 1e9
    cpu_ns = (dt.cpu or 0) / n * 1e9
    run.goals.append(
        Goal(
            "scalar `cn.is_working_day(np.datetime64)`",
            f"{ns:,.0f} ns",
            f"< {DT64_GOAL_NS:.0f} ns",
            "PASS" if ns < DT64_GOAL_NS else "MISS",
            f"{cpu_ns:,.0f} ns",
            "PASS" if cpu_ns < DT64_GOAL_NS else "MISS",
        )
    )
    run.notes.append(
        f"Scalar inputs: {n:,} seeded dates in 2021-2023 (pairs 0-180 days apart); times are per "
        "call and include the Python loop that makes the calls, for approval_clock and the floor "
        "alike. The floor is a plain function over the CN calendar as Python lists (`work`, its "
        "prefix sum `cum`, and `pos`, the working days as `date` objects): one call, the date's "
        "ordinal and one or two list indexes, no validation; it is what the call could cost at "
        "best in Python."
    )


FLOORS = {
    "cn.is_working_day(d)": "`work[d.toordinal() - base]`",
    "cn.count(a, b)": "`cum[b.toordinal() - base + 1] - cum[a.toordinal() - base]`",
    "cn.deadline(d, WorkingDays(20))": "`pos[cum[d.toordinal() - base + 1] + w.n - 1]`",
}


def ratio_goal(what: str, row: Row | None, limit: float, *, upper: bool) -> Goal:
    """``row.ratio <= limit`` (upper) or its inverse (the speed-up) ``>= limit``."""
    if row is None or row.ratio is None:
        why = row.answers if row is not None and row.answers else "not measured"
        threshold = f"<= {limit:g}x" if upper else f">= {limit:g}x faster"
        return Goal(what, why, threshold, "n/a")
    lo, hi = row.ratio_range or (row.ratio, row.ratio)
    mid = row.ratio_median or row.ratio
    cpu = row.cpu_ratio
    if upper:
        return Goal(
            what,
            f"{mid:.2f}x (rounds {lo:.2f}-{hi:.2f}; ratio of medians {row.ratio:.2f}x)",
            f"<= {limit:g}x",
            "PASS" if mid <= limit else "MISS",
            "" if cpu is None else f"{cpu:.2f}x",
            "" if cpu is None else ("PASS" if cpu <= limit else "MISS"),
        )
    speed = 1 / mid
    return Goal(
        what,
        f"{speed:.1f}x faster (rounds {1 / hi:.1f}-{1 / lo:.1f}; ratio of medians "
        f"{1 / row.ratio:.1f}x)",
        f">= {limit:g}x faster",
        "PASS" if speed >= limit else "MISS",
        "" if cpu is None else f"{1 / cpu:.1f}x faster",
        "" if cpu is None else ("PASS" if 1 / cpu >= limit else "MISS"),
    )


# -- vector calls -----------------------------------------------------------------------


def vector_runs(
    n: int,
) -> tuple[dict[str, dict[str, Callable[[], Any]]], dict[str, tuple[str, str]]]:
    """For each vector query, its contenders (approval_clock first, numpy second)."""
    from approval_clock import WorkingDays, calendars

    cn = calendars.get("CN")
    a, b = calendar_bench.vector_inputs(n)
    b1 = b + np.timedelta64(1, "D")  # busday_count is half-open: built before timing
    bdc = calendar_bench.numpy_calendar(cn)
    twenty = WorkingDays(20)
    runs: dict[str, dict[str, Callable[[], Any]]] = {
        "count": {
            "approval_clock `cn.count(a, b)`": lambda: cn.count(a, b),
            "numpy `busday_count(a, b + 1, busdaycal=cn_holidays)`": lambda: np.busday_count(
                a, b1, busdaycal=bdc
            ),
        },
        "deadline": {
            "approval_clock `cn.deadline(a, WorkingDays(20))`": lambda: cn.deadline(a, twenty),
            "numpy `busday_offset(a, 20, roll='backward', busdaycal=cn_holidays)`": lambda: (
                np.busday_offset(a, 20, roll="backward", busdaycal=bdc)
            ),
        },
        "is_working_day": {
            "approval_clock `cn.is_working_day(a)`": lambda: cn.is_working_day(a),
            "numpy `is_busday(a, busdaycal=cn_holidays)`": lambda: np.is_busday(a, busdaycal=bdc),
        },
    }
    names = {k: (ours, alt) for k, (ours, alt) in ((k, tuple(v)) for k, v in runs.items())}
    return runs, names


def vector_benchmarks(run: Run, sizes: Sizes) -> None:
    n = sizes.vector
    log(f"vector calls, {n:,} elements")
    runs, names = vector_runs(n)
    for query, contenders in runs.items():
        ours, numpy_name = names[query]
        answers = {
            ours: "reference",
            numpy_name: agree(contenders[numpy_name](), contenders[ours]()),
        }
        got = interleaved(contenders, sizes.vector_rounds, min_sample=sizes.min_sample)
        for impl in answers:
            answers[impl] += f"; {got.faults_per_call(impl):,.0f} page faults per call"
        rows = run.section(
            f"vector `{query}`, {n:,} elements", n, got, baseline=numpy_name, answers=answers
        )
        run.point(query, n, got, sizes.vector_rounds)
        if query == "count":
            run.goals.append(
                ratio_goal(
                    "vector `count` vs `numpy.busday_count`", rows[ours], COUNT_GOAL, upper=False
                )
            )
    run.notes.append(
        "Vector inputs: seeded `datetime64[D]` starts uniform in 2005-2024, ends 0-365 days "
        "later (`calendars.py`'s inputs). numpy gets a prebuilt `busdaycalendar` (Mon-Fri, the "
        "CN holidays) and the `b + 1` of the half-open `busday_count` is computed before timing, "
        "both in numpy's favour. numpy cannot express makeup working days (weekend days worked): "
        "its answers differ wherever one is involved, and the Answers column counts those. "
        "The minor page faults per call (`ru_minflt`) show the cost of fresh memory for the "
        "temporaries: glibc returns freed blocks of this size to the system, so each call "
        "maps and faults them in again; with `MALLOC_MMAP_THRESHOLD_=33554432 "
        "MALLOC_TRIM_THRESHOLD_=268435456` in the environment (memory kept for reuse, as a "
        "long-running process often ends up) approval_clock's vector times drop by up to "
        "about 3x while numpy's barely move."
    )


# -- plans ------------------------------------------------------------------------------


@dataclass
class PlanInputs:
    durations: list[int]
    edges: list[tuple[int, int]]
    ids: list[str]
    stages: list[Any]
    links: list[Any]
    frames: tuple[Any, Any] | None


def plan_inputs(n: int, m: int) -> PlanInputs:
    from approval_clock import Link, Stage

    durations, edges = plan_bench.random_dag(random.Random(SEED), n, m)
    ids = [f"s{i}" for i in range(n)]
    stages = [Stage(i, d) for i, d in zip(ids, durations, strict=True)]
    links = [Link(ids[a], ids[b]) for a, b in edges]
    frames = None
    with contextlib.suppress(ImportError):
        import pandas as pd

        frames = (
            pd.DataFrame({"id": ids, "duration": durations, "kind": "work"}),
            pd.DataFrame(
                {
                    "predecessor": [ids[a] for a, _ in edges],
                    "successor": [ids[b] for _, b in edges],
                    "kind": "FS",
                    "lag": 0,
                }
            ),
        )
    return PlanInputs(durations, edges, ids, stages, links, frames)


def networkx_longest_path(durations: list[int], edges: list[tuple[int, int]]) -> int:
    """What a networkx user writes: a DiGraph weighted by the predecessor's duration
    (plus an edge from every stage to a sink, weighted by its own), then the longest path."""
    import networkx as nx

    g = nx.DiGraph()
    g.add_weighted_edges_from((a, b, durations[a]) for a, b in edges)
    g.add_weighted_edges_from((i, "end", d) for i, d in enumerate(durations))
    path = nx.dag_longest_path(g)
    return sum(g[u][v]["weight"] for u, v in itertools.pairwise(path))


OBJECTS = "approval_clock `Plan(stages, links)` + `schedule()`, objects prebuilt"
FRAMES = "approval_clock `Plan.from_frame(stages, links)` + `schedule()`, frames prebuilt"
NETWORKX = "networkx `DiGraph` + `add_weighted_edges_from` + `dag_longest_path`"


def plan_runs(inputs: PlanInputs) -> tuple[dict[str, Callable[[], Any]], dict[str, str]]:
    """The contenders for one plan, and notes on those that are missing."""
    from approval_clock import Plan, calendars

    cn = calendars.get("CN")
    runs: dict[str, Callable[[], Any]] = {
        OBJECTS: lambda: Plan(inputs.stages, inputs.links, calendar=cn).schedule(start=PLAN_START)
    }
    missing: dict[str, str] = {}
    if not hasattr(Plan, "from_frame"):
        missing[FRAMES] = "n/a: `Plan.from_frame` does not exist in this version"
    elif inputs.frames is None:
        missing[FRAMES] = "n/a: pandas is not installed"
    else:
        s_df, l_df = inputs.frames
        from_frame = Plan.from_frame
        runs[FRAMES] = lambda: from_frame(s_df, l_df, calendar=cn).schedule(start=PLAN_START)
    try:
        import networkx  # noqa: F401
    except ImportError:
        missing[NETWORKX] = "n/a: networkx is not installed"
    else:
        runs[NETWORKX] = lambda: networkx_longest_path(inputs.durations, inputs.edges)
    return runs, missing


def plan_benchmarks(run: Run, sizes: Sizes) -> None:
    from approval_clock import Plan, calendars

    n, m = sizes.stages, sizes.links
    log(f"plans: random DAG, {n:,} stages, {m:,} links")
    t0 = time.perf_counter()
    inputs = plan_inputs(n, m)
    log(f"  inputs built in {time.perf_counter() - t0:.1f} s")
    runs, missing = plan_runs(inputs)
    cn = calendars.get("CN")
    section = f"Plan + schedule, random DAG, {n:,} stages, {m:,} FS links"

    # Answers (also the warm-up): the schedule's duration is the longest path.
    answers: dict[str, str] = {}
    want = runs[NETWORKX]() if NETWORKX in runs else None
    for name in (OBJECTS, FRAMES):
        if name not in runs:
            continue
        try:
            got = runs[name]().duration
        except Exception as e:  # an API in the making: report, do not stop the run
            missing[name] = f"error: {type(e).__name__}: {e}"[:200]
            del runs[name]
            continue
        answers[name] = f"duration {got} wd" + (
            "" if want is None else (" = networkx" if got == want else f" != networkx {want}")
        )
    if NETWORKX in runs:
        answers[NETWORKX] = f"longest path {want} wd"

    from approval_clock import Link, Stage

    durations, edges, ids = inputs.durations, inputs.edges, inputs.ids
    extra: dict[str, Callable[[], Any]] = {
        "part: building the `Stage` and `Link` objects": lambda: (
            [Stage(i, d) for i, d in zip(ids, durations, strict=True)],
            [Link(ids[a], ids[b]) for a, b in edges],
        ),
    }
    if OBJECTS in runs:
        plan = Plan(inputs.stages, inputs.links, calendar=cn)
        plan.schedule(start=PLAN_START)
        extra["part: `schedule()` again on the same plan (reduced plan cached)"] = lambda: (
            plan.schedule(start=date(2022, 3, 7))
        )
    got = interleaved({**runs, **extra}, sizes.plan_rounds, warm=False)
    rows = run.section(
        section, n, got, baseline=NETWORKX if NETWORKX in runs else None, answers=answers
    )
    for name, why in missing.items():
        run.missing(section, name, n, why)
    run.point("plan", n, got.renamed({name: name for name in runs}), sizes.plan_rounds)
    run.goals.append(
        ratio_goal(
            "Plan from frames + schedule / networkx",
            rows.get(FRAMES) or Row(section, FRAMES, n, None, answers=missing.get(FRAMES, "")),
            PLAN_GOAL,
            upper=True,
        )
    )
    run.notes.append(
        f"Plans: `benchmarks/plans.py`'s seeded random DAG (stages of 1-5 working days, FS "
        f"links of lag 0 from a lower to a higher stage number), CN calendar, start "
        f"{PLAN_START}. With these links the schedule's duration is the longest path, which "
        "networkx computes; networkx computes only that path, where `schedule()` also gives early "
        "and late dates, total and free float and approval days. Each approval_clock run builds a "
        "new `Plan` (validation, cycle check) and schedules it once (which includes reducing it to "
        "integers); the networkx run builds its graph from the edge tuples."
    )


# -- records ----------------------------------------------------------------------------


def naive_records(stages: Any, pauses: Any, bdc: np.busdaycalendar, as_of: date) -> Any:
    """What a pandas user writes with numpy's business days instead of ``analyze``.

    Working days in (accepted, end], end the completion or ``as_of``; paused days of
    each pause clipped to its stage's span and summed per stage (overlaps counted
    twice); the deadline ``busday_offset(accepted, limit + paused days)``; overdue
    and a status. Rows without an acceptance date or a limit are dropped, nothing
    else is checked.
    """
    import pandas as pd

    one = np.timedelta64(1, "D")
    s = stages[stages["accepted"].notna() & stages["limit"].ge(0)].copy()
    acc = s["accepted"].to_numpy("datetime64[D]")
    end = s["completed"].fillna(pd.Timestamp(as_of)).to_numpy("datetime64[D]")
    s["elapsed_gross"] = np.busday_count(acc + one, end + one, busdaycal=bdc)
    s["_acc"], s["_end"] = acc, end
    p = pauses[pauses["paused"].notna()].merge(
        s[["case", "stage", "_acc", "_end"]], on=["case", "stage"]
    )
    p_end = p["_end"].to_numpy("datetime64[D]")
    start = np.maximum(p["paused"].to_numpy("datetime64[D]"), p["_acc"].to_numpy("datetime64[D]"))
    stop = np.minimum(p["resumed"].fillna(p["_end"]).to_numpy("datetime64[D]"), p_end)
    p["days"] = np.busday_count(start + one, np.maximum(stop, start) + one, busdaycal=bdc)
    paused = p.groupby(["case", "stage"], sort=False)["days"].sum().rename("paused_days")
    s = s.drop(columns=["_acc", "_end"]).join(paused, on=["case", "stage"])
    s["paused_days"] = s["paused_days"].fillna(0).astype(np.int64)
    s["elapsed"] = s["elapsed_gross"] - s["paused_days"]
    limit = s["limit"].to_numpy(np.int64)
    s["deadline"] = np.busday_offset(
        acc, limit + s["paused_days"].to_numpy(), roll="backward", busdaycal=bdc
    )
    overdue = s["elapsed"].to_numpy() > limit
    done = s["completed"].notna().to_numpy()
    left = limit - s["elapsed"].to_numpy()
    s["overdue"] = overdue
    s["status"] = np.select(
        [done & ~overdue, done, overdue, left <= 3],
        ["done on time", "done late", "open overdue", "open warning"],
        "open",
    )
    return s


def records_runs(stages: Any, pauses: Any) -> tuple[dict[str, Callable[[], Any]], str, str]:
    from approval_clock import calendars, records

    cn = calendars.get("CN")
    bdc = calendar_bench.numpy_calendar(cn)
    as_of = records_bench().AS_OF
    ours = "approval_clock `records.analyze(stages, pauses=..., calendar=cn, as_of=...)`"
    naive = "pandas + numpy `busday_count` / `busday_offset` (`naive_records`)"
    return (
        {
            ours: lambda: records.analyze(stages, calendar=cn, pauses=pauses, as_of=as_of),
            naive: lambda: naive_records(stages, pauses, bdc, as_of),
        },
        ours,
        naive,
    )


def records_bench() -> Any:
    import records as module  # benchmarks/records.py (needs pandas)

    return module


def records_benchmarks(run: Run, sizes: Sizes) -> None:
    import pandas as pd

    n, m = sizes.records, sizes.pauses
    log(f"records: {n:,} stage rows, {m:,} pauses")
    stages, pauses = records_bench().make_records(n, m)
    runs, ours, naive = records_runs(stages, pauses)
    result = runs[ours]()
    mine = runs[naive]()
    both = result.stages.index.intersection(mine.index)
    want = result.stages.loc[both]
    got = mine.loc[both]
    e = int((want["elapsed"].to_numpy() != got["elapsed"].to_numpy()).sum())
    d = int(
        (
            pd.to_datetime(want["deadline"]).to_numpy("datetime64[D]")
            != got["deadline"].to_numpy("datetime64[D]")
        ).sum()
    )
    answers = {
        ours: f"{len(result.stages):,} kept, {len(result.rejected):,} rejected",
        naive: f"{len(mine):,} kept; of the {len(both):,} rows both keep, elapsed differs on "
        f"{e:,}, deadline on {d:,}",
    }
    del result, mine, want, got
    got_s = interleaved(runs, sizes.records_rounds, warm=False)
    section = f"records, {n:,} stage rows, {m:,} pauses"
    rows = run.section(section, n, got_s, baseline=naive, answers=answers)
    run.point("records", n, got_s, sizes.records_rounds)
    run.goals.append(
        ratio_goal("`records.analyze` / naive numpy", rows[ours], RECORDS_GOAL, upper=True)
    )
    input_bytes = int(stages.memory_usage(deep=True).sum() + pauses.memory_usage(deep=True).sum())
    del stages, pauses, runs
    gc.collect()

    log("  peak memory, one subprocess per approach")
    for which, impl in (("analyze", ours), ("naive", naive)):
        mem = memory_in_subprocess(which, n, m)
        run.memory[which] = mem
        if "error" in mem:
            run.missing(f"{section}: peak memory", impl, n, mem["error"])
            continue
        extra = mem["peak"] - mem["baseline"]
        run.rows.append(
            Row(
                f"{section}: peak memory",
                impl,
                n,
                None,
                answers=f"{extra / MIB:,.0f} MiB above the frames ({mem['input'] / MIB:,.0f} MiB): "
                f"{extra / mem['input']:.2f}x ({mem['how']})",
            )
        )
    mem = run.memory.get("analyze", {})
    if "peak" in mem:
        x = (mem["peak"] - mem["baseline"]) / mem["input"]
        run.goals.append(
            Goal(
                "`records.analyze` peak memory / input frames",
                f"{x:.2f}x",
                f"<= {MEMORY_GOAL:g}x",
                "PASS" if x <= MEMORY_GOAL else "MISS",
            )
        )
    else:
        run.goals.append(
            Goal(
                "`records.analyze` peak memory / input frames", "n/a", f"<= {MEMORY_GOAL:g}x", "n/a"
            )
        )
    run.notes.append(
        f"Records: `benchmarks/records.py`'s seeded generator (cases of 1-7 stages, 3% open, "
        f"pauses on random stages, some overlapping or still running, a few bad rows of each "
        f"kind); input frames {input_bytes / MIB:,.0f} MiB (`memory_usage(deep=True)`). "
        "`analyze` validates every row (and rejects the bad ones with a reason), merges "
        "overlapping pauses, uses the makeup days and builds the case table; the naive code "
        "does none of that, so it is less work and its answers differ (counted). Peak memory: "
        "a fresh interpreter builds the same frames, warms up on 1,000 rows, returns freed "
        "memory to the system (`malloc_trim`, pyarrow's pool), resets the peak resident set "
        "size (`/proc/self/clear_refs`; without the reset `ru_maxrss` would still hold the "
        "frame generator's peak), then runs the approach once; the figure is the peak "
        "resident set size after it (`VmHWM`, what `ru_maxrss` reports) minus the resident "
        "size before it, so it includes the result that the caller keeps."
    )


def memory_in_subprocess(which: str, n: int, m: int) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--memory-child", which, str(n), str(m)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}  # glibc defaults
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        return {"error": f"subprocess failed: {done.stderr.strip().splitlines()[-1:]}"}
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def status(key: str) -> int:
    """``VmRSS`` (resident now) or ``VmHWM`` (its peak) of this process, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise OSError(f"no {key} in /proc/self/status")


def memory_child(which: str, n: int, m: int) -> int:
    """In a fresh interpreter: the peak memory of one approach, as JSON on stdout."""
    import pandas as pd

    stages, pauses = records_bench().make_records(n, m)
    runs, ours, naive = records_runs(stages, pauses)
    f = runs[ours if which == "analyze" else naive]
    small = records_runs(stages.head(1000), pauses.head(200))[0]
    small[ours if which == "analyze" else naive]()  # imports and first-use caches
    input_bytes = int(stages.memory_usage(deep=True).sum() + pauses.memory_usage(deep=True).sum())
    del small
    gc.collect()
    with contextlib.suppress(Exception):
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    try:
        # Reset the peak: VmHWM (and ru_maxrss, until a thread exits) become VmRSS.
        Path("/proc/self/clear_refs").write_text("5")
        baseline = status("VmRSS")
        how = "peak RSS (VmHWM) after a reset"
    except OSError:
        how = "ru_maxrss, not reset: a lower bound"
        baseline = maxrss_before
    t0 = time.perf_counter()
    kept = f()
    seconds = time.perf_counter() - t0
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    try:
        peak = status("VmHWM") if how.startswith("peak RSS") else maxrss
    except OSError:
        peak = maxrss
    del kept
    print(
        json.dumps(
            {
                "which": which,
                "input": input_bytes,
                "baseline": baseline,
                "peak": peak,
                "ru_maxrss": maxrss,
                "ru_maxrss_before": maxrss_before,
                "seconds": seconds,
                "how": how,
                "pandas": pd.__version__,
            }
        )
    )
    return 0


# -- scaling ----------------------------------------------------------------------------


def have(run: Run, curve: str, n: int) -> bool:
    return any(p.curve == curve and p.n == n for p in run.points)


def scaling(run: Run, sizes: Sizes, *, max_records: int | None) -> None:
    for n in sizes.scale_vector:
        if have(run, "count", n):
            continue
        log(f"scaling: vector count and deadline, {n:,} elements")
        runs, _ = vector_runs(n)
        rounds = 5 if n >= 10_000_000 else sizes.scale_rounds
        for query in ("count", "deadline"):
            got = interleaved(runs[query], rounds, min_sample=sizes.min_sample)
            run.point(query, n, got, rounds)
        del runs
        gc.collect()

    free = meminfo().get("MemAvailable")
    for n in sizes.scale_records:
        if have(run, "records", n):
            continue
        if max_records is not None and n > max_records:
            run.notes.append(
                f"Scaling: records at {n:,} rows skipped (`--max-records {max_records:,}`)."
            )
            continue
        if n >= BIG_RECORDS and (free is None or free < BIG_RECORDS_MEMORY):
            got_free = "unknown" if free is None else f"{free / 2**30:.1f} GiB"
            run.notes.append(
                f"Scaling: records at {n:,} rows skipped: {got_free} of memory available, "
                f"{BIG_RECORDS_MEMORY / 2**30:.0f} GiB wanted (analyze needs about 4 GB at this "
                "size, plus the frames and the naive run)."
            )
            continue
        log(f"scaling: records, {n:,} rows, {n // 5:,} pauses")
        stages, pauses = records_bench().make_records(n, n // 5)
        runs, _, _ = records_runs(stages, pauses)
        big = n >= BIG_RECORDS
        rounds = 1 if big else sizes.scale_rounds
        got = interleaved(runs, rounds, warm=not big, min_sample=0 if big else sizes.min_sample)
        run.point("records", n, got, rounds)
        del stages, pauses, runs
        gc.collect()

    for n in sizes.scale_plans:
        if have(run, "plan", n):
            continue
        log(f"scaling: plans, {n:,} stages, {3 * n:,} links")
        inputs = plan_inputs(n, 3 * n)
        runs, _ = plan_runs(inputs)
        big = n > 100_000
        rounds = 3 if big else sizes.scale_rounds
        try:
            got = interleaved(runs, rounds, warm=not big, min_sample=0 if big else sizes.min_sample)
        except Exception as e:  # an API in the making: note it, keep the rest
            run.notes.append(f"Scaling: plans at {n:,} stages failed: {type(e).__name__}: {e}")
            continue
        run.point("plan", n, got, rounds)
        del inputs, runs
        gc.collect()


CURVES = {
    "count": ("vector `count(a, b)`", "date pairs per call"),
    "deadline": ("vector `deadline(a, WorkingDays(20))`", "dates per call"),
    "records": ("`records.analyze`, pauses = rows / 5", "stage rows"),
    "plan": ("Plan build + `schedule()`, links = 3 x stages", "stages"),
}


def short(impl: str) -> str:
    if impl.startswith("approval_clock"):
        if "from_frame" in impl:
            return "approval_clock, from frames"
        if "Plan(" in impl:
            return "approval_clock, from objects"
        return "approval_clock"
    return impl.split(" `")[0] if impl.startswith("numpy") else impl.split(" (")[0].split(" `")[0]


def write_points(points: Sequence[Point], path: Path) -> None:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["curve", "impl", "n", "seconds", "ns_per_element", "rounds", "cpu_seconds"])
        for p in points:
            cpu = "" if p.cpu is None else f"{p.cpu:.9g}"
            w.writerow(
                [p.curve, p.impl, p.n, f"{p.seconds:.9g}", f"{p.ns_per_element:.6g}", p.rounds, cpu]
            )


def read_points(path: Path) -> list[Point]:
    with path.open(newline="") as f:
        return [
            Point(r["curve"], r["impl"], int(r["n"]), float(r["seconds"]), int(r["rounds"]))
            for r in csv.DictReader(f)
        ]


def shown_path(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def count_label(x: float) -> str:
    for size, suffix in ((1e6, "M"), (1e3, "k")):
        if x >= size:
            return f"{x / size:g}{suffix}"
    return f"{x:g}"


def ns_label(y: float) -> str:
    for size, unit in ((1e9, "s"), (1e6, "ms"), (1e3, "µs")):
        if y >= size:
            return f"{y / size:g} {unit}"
    return f"{y:g} ns"


def chart(
    points: Sequence[Point],
    path: Path,
    title: str,
    *,
    compare: Sequence[Point] = (),
    compare_label: str = "before",
) -> str:
    """Draw the scaling curves (log-log, one panel per curve); returns a note."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib import ticker
    except ImportError:
        return "Chart not drawn: matplotlib is not installed."
    fig, axes = plt.subplots(2, 2, figsize=(12, 8.5), layout="constrained")
    colours = {
        "approval_clock": "C0",
        "approval_clock, from objects": "C0",
        "approval_clock, from frames": "C2",
    }
    for ax, (curve, (label, unit)) in zip(axes.flat, CURVES.items(), strict=True):
        for series, style, alpha, suffix in (
            (compare, ":", 0.6, f" ({compare_label})"),
            (points, "-", 1.0, ""),
        ):
            impls = list(dict.fromkeys(p.impl for p in series if p.curve == curve))
            for impl in impls:
                ps = sorted(
                    (p for p in series if p.curve == curve and p.impl == impl), key=lambda p: p.n
                )
                ours = impl.startswith("approval_clock")
                ax.plot(
                    [p.n for p in ps],
                    [p.ns_per_element for p in ps],
                    linestyle=style if ours else ("--" if not suffix else ":"),
                    marker="o" if ours else "s",
                    color=colours.get(short(impl), "C3"),
                    alpha=alpha,
                    linewidth=2 if ours and not suffix else 1.2,
                    label=short(impl) + suffix,
                )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.xaxis.set_major_formatter(ticker.FuncFormatter(lambda x, _: count_label(x)))
        ax.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 3.0, 5.0)))
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _: ns_label(y)))
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        ax.set_title(label.replace("`", ""), fontsize=11)
        ax.set_xlabel(f"n ({unit}, log scale)")
        ax.set_ylabel("time per element (log scale)")
        ax.grid(True, which="both", alpha=0.3)
        if ax.lines:
            ax.legend(fontsize=9, loc="best")
    fig.suptitle(title, fontsize=12)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return f"Chart: {shown_path(path)}."


# -- output -----------------------------------------------------------------------------


def shown(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        ms = seconds * 1e3
        return f"{ms:.1f} ms" if ms >= 10 else f"{ms:.2f} ms"
    us = seconds * 1e6
    return f"{us:.1f} µs" if us >= 10 else f"{us:.2f} µs"


def per_element(seconds: float, n: int) -> str:
    ns = seconds / n * 1e9
    if ns >= 10_000:
        return f"{ns / 1e3:,.1f} µs"
    return f"{ns:,.0f} ns" if ns >= 100 else f"{ns:.1f} ns"


def cpu_text(row: Row) -> str:
    if row.baseline and row.cpu is not None:
        return "baseline"
    return "" if row.cpu_ratio is None else f"{row.cpu_ratio:.3g}x"  # median of per-round


def ratio_text(row: Row) -> str:
    if row.baseline:
        return "baseline"
    if row.ratio is None:
        return ""
    speed = f"{1 / row.ratio:.1f}x faster" if row.ratio <= 1 else f"{row.ratio:.1f}x slower"
    return f"{row.ratio:.3g}x ({speed})"


def table(rows: Sequence[Row]) -> list[str]:
    out = [
        "| Benchmark | Implementation | n | Median | per element | time / baseline "
        "| CPU time / baseline | Answers |",
        "|---|---|---:|---:|---:|---|---|---|",
    ]
    last = ""
    for row in rows:
        sec = row.section if row.section != last else ""
        last = row.section
        median = "" if row.seconds is None else shown(row.seconds)
        each = "" if row.seconds is None else per_element(row.seconds, row.n)
        out.append(
            f"| {sec} | {row.impl} | {row.n:,} | {median} | {each} | {ratio_text(row)} | {cpu_text(row)} | {row.answers} |"
        )
    return out


def scaling_table(points: Sequence[Point]) -> list[str]:
    sizes = sorted({p.n for p in points})
    out = [
        "| Curve | Implementation | " + " | ".join(f"{n:,}" for n in sizes) + " |",
        "|---|---|" + "---:|" * len(sizes),
    ]
    for curve, (label, unit) in CURVES.items():
        for impl in dict.fromkeys(p.impl for p in points if p.curve == curve):
            by_n = {p.n: p for p in points if p.curve == curve and p.impl == impl}
            cells = [per_element(by_n[n].seconds, n) if n in by_n else "" for n in sizes]
            out.append(f"| {label} ({unit}) | {short(impl)} | " + " | ".join(cells) + " |")
    return out


def chart_title(label: str, header: Sequence[str]) -> str:
    """ "approval_clock per-element cost (LABEL; DATE; COMMIT)" from a run's header lines."""
    parts = [label]
    for line in header:
        if line.startswith("Date: "):
            parts.append(line.removeprefix("Date: "))
        elif line.startswith("approval_clock ") and "commit " in line:
            parts.append("commit " + line.rpartition("commit ")[2].split(" in ")[0])
    return f"approval_clock per-element cost ({'; '.join(parts)})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small inputs, few rounds (< 30 s)")
    parser.add_argument(
        "--label", help="name of this run in the output files (default: 'latest', or 'quick')"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="folder for the CSV and JSON (default: benchmarks/results; --quick: a temporary one)",
    )
    parser.add_argument(
        "--chart",
        type=Path,
        help="the PNG to draw (default: docs/img/perf-scaling.png; --quick: in --out)",
    )
    parser.add_argument(
        "--compare-with",
        type=Path,
        help="a scaling CSV of an earlier run, drawn dotted in the chart",
    )
    parser.add_argument(
        "--sections",
        default="scalar,vector,plans,records,scaling",
        help="comma-separated subset of: scalar, vector, plans, records, scaling",
    )
    parser.add_argument("--max-records", type=int, help="largest records size in the scaling")
    parser.add_argument(
        "--plot-only",
        type=Path,
        metavar="CSV",
        help="measure nothing: redraw the chart of a saved scaling CSV (with --compare-with)",
    )
    parser.add_argument(
        "--compare-label", default="before", help="legend name of the --compare-with curves"
    )
    parser.add_argument("--memory-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        which, n, m = args.memory_child
        return memory_child(which, int(n), int(m))
    if args.plot_only:
        saved = args.plot_only.with_name(
            args.plot_only.name.replace("scaling-", "run-").removesuffix(".csv") + ".json"
        )
        header = json.loads(saved.read_text())["header"] if saved.exists() else []
        name = args.plot_only.stem.removeprefix("scaling-")
        png = args.chart or ROOT / "docs" / "img" / "perf-scaling.png"
        compare = read_points(args.compare_with) if args.compare_with else []
        print(
            chart(
                read_points(args.plot_only),
                png,
                chart_title(name, header),
                compare=compare,
                compare_label=args.compare_label,
            )
        )
        return 0

    sizes = QUICK if args.quick else FULL
    label = args.label or ("quick" if args.quick else "latest")
    out = args.out or (Path(tempfile.mkdtemp(prefix="bench-")) if args.quick else HERE / "results")
    out.mkdir(parents=True, exist_ok=True)
    png = args.chart or (
        out / f"perf-scaling-{label}.png"
        if args.quick
        else ROOT / "docs" / "img" / "perf-scaling.png"
    )
    wanted = {s.strip() for s in args.sections.split(",") if s.strip()}
    warnings.filterwarnings("ignore", message="Support years", category=UserWarning)

    t0 = time.perf_counter()
    header = machine()
    run = Run()
    sections: dict[str, Callable[[], None]] = {
        "scalar": lambda: scalar_benchmarks(run, sizes),
        "vector": lambda: vector_benchmarks(run, sizes),
        "plans": lambda: plan_benchmarks(run, sizes),
        "records": lambda: records_benchmarks(run, sizes),
        "scaling": lambda: scaling(run, sizes, max_records=args.max_records),
    }
    for name, section in sections.items():
        if name not in wanted:
            continue
        try:
            section()
        except Exception as e:  # the library is being changed: report and go on
            traceback.print_exc()
            run.notes.append(f"Section {name} FAILED: {type(e).__name__}: {e}"[:300])
            gc.collect()
    took = time.perf_counter() - t0
    if hasattr(os, "getloadavg"):
        header.append("Load average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))

    csv_path = out / f"scaling-{label}.csv"
    write_points(run.points, csv_path)
    compare = read_points(args.compare_with) if args.compare_with else []
    chart_note = (
        chart(
            run.points,
            png,
            chart_title(label, header),
            compare=compare,
            compare_label=args.compare_label,
        )
        if run.points
        else ""
    )
    (out / f"run-{label}.json").write_text(
        json.dumps(
            {
                "header": header,
                "quick": args.quick,
                "seconds": took,
                "rows": [asdict(r) for r in run.rows],
                "goals": [asdict(g) for g in run.goals],
                "notes": run.notes,
                "points": [asdict(p) for p in run.points],
                "memory": run.memory,
            },
            indent=1,
        )
    )

    print(
        f"# approval_clock benchmarks{' (--quick: smoke test, indicative only)' if args.quick else ''}"
    )
    print()
    for line in header:
        print(f"- {line}")
    print(f"- Mode: {'quick' if args.quick else 'full'}; the run took {took:.0f} s")
    print()
    print(
        "| Goal | Measured: median of the per-round ratios (wall clock) | Threshold | Result "
        "| CPU time | Result on CPU time |"
    )
    print("|---|---|---|---|---|---|")
    for g in run.goals:
        print(
            f"| {g.what} | {g.measured} | {g.threshold} | {g.result} | {g.cpu} | {g.cpu_result} |"
        )
    print()
    print("\n".join(table(run.rows)))
    print()
    if run.points:
        print("Scaling, time per element (median of interleaved rounds):")
        print()
        print("\n".join(scaling_table(run.points)))
        print()
    for note in run.notes:
        print(f"- {note}")
    print(f"- Scaling data: {shown_path(csv_path)}. {chart_note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

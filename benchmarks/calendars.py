"""Benchmark approval_clock's CN calendar against the usual alternatives.

Run by hand from the repository root, after ``pip install -e '.[bench]'``::

    python benchmarks/calendars.py           # full run, about 30 s on 2 cores
    python benchmarks/calendars.py --quick   # smoke test, a few seconds

One run measures, on the mainland China calendar:

* scalar queries on ``datetime.date`` values: ``is_working_day``, ``count``
  (both ends counted), ``elapsed`` (start not counted) and
  ``deadline(d, WorkingDays(20))``, against workalendar's ``China``, the
  ``holidays`` package (``holidays.China`` plus its ``weekend_workdays`` set,
  and a day-by-day loop where it has no counting function) and chinesecalendar;
* vector queries on a million ``datetime64[D]`` dates or date pairs, against
  ``numpy.busday_count`` / ``busday_offset`` / ``is_busday`` with the CN
  holidays (numpy cannot express makeup working days, so its answers differ
  on some inputs; the script counts how many);
* other scalar methods of approval_clock, which have no direct alternative;
* how long compiling the CN calendar from its data file takes;
* how long ``import approval_clock`` takes in a fresh interpreter.

It prints the machine, then a Markdown table of medians (the median over
several repeats of the time per call, or per run for vectors and one-offs),
with the ratio "alternative time / approval_clock time", and whether each
alternative gave the same answers on the measured inputs; then PASS/MISS for
each performance target. Timings include the Python loop that makes the calls,
as user code would; the cost of that loop alone is printed as a floor.

workalendar's ``China`` only knows 2018-2023, so every scalar input lies in
2021-2023, the same inputs for every library. Only the standard library, numpy
and the compared packages are used. Results are noisy on a shared machine: run
it twice and compare.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import tomllib
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

SEED = 20210928
ONE_DAY = timedelta(days=1)

# Performance targets.
SCALAR_TARGET_NS = 500.0
VECTOR_TARGET_RATIO = 4.0
COMPILE_TARGET_MS = 50.0
IMPORT_TARGET_MS = 150.0


@dataclass(frozen=True)
class Sizes:
    """How much work one run does."""

    dates: int  # scalar inputs for the fast implementations
    slow_pairs: int  # scalar inputs for implementations that loop over days
    vector: int  # elements of each vector
    repeats: int  # timing repeats for scalar and vector benchmarks
    compile_repeats: int
    import_repeats: int


FULL = Sizes(
    dates=10_000,
    slow_pairs=1_000,
    vector=1_000_000,
    repeats=7,
    compile_repeats=15,
    import_repeats=5,
)
QUICK = Sizes(
    dates=1_000, slow_pairs=100, vector=100_000, repeats=3, compile_repeats=3, import_repeats=2
)


@dataclass(frozen=True)
class Row:
    """One line of the result table."""

    section: str
    impl: str
    n: str
    seconds: float  # median seconds per call (scalar) or per run
    unit: str  # "ns/call" or "ms"
    reference: float | None  # approval_clock's seconds for the same work, for the ratio
    answers: str


@dataclass(frozen=True)
class Target:
    """A performance target and whether it was met."""

    what: str
    measured: str
    threshold: str
    ok: bool


# -- timing -----------------------------------------------------------------------------


def median_seconds(run: Callable[[], object], repeats: int, per: int = 1) -> float:
    """Median over ``repeats`` timed runs of ``run()``, divided by ``per`` (calls per run).

    One untimed run warms caches first; the garbage collector is off while timing,
    as in ``timeit``.
    """
    run()
    times: list[float] = []
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
    finally:
        if enabled:
            gc.enable()
    return statistics.median(times) / per


def loop1(f: Callable[[Any], object], xs: Sequence[Any]) -> Callable[[], None]:
    """A run that calls ``f(x)`` for each input, discarding the results."""

    def run() -> None:
        for x in xs:
            f(x)

    return run


def loop2(f: Callable[[Any, Any], object], pairs: Sequence[tuple[Any, Any]]) -> Callable[[], None]:
    """A run that calls ``f(a, b)`` for each pair, discarding the results."""

    def run() -> None:
        for a, b in pairs:
            f(a, b)

    return run


def agreement(got: Sequence[object], want: Sequence[object]) -> str:
    """'same' or 'differs on k of n' (k inputs where the answers differ)."""
    bad = sum(1 for g, w in zip(got, want, strict=True) if g != w)
    return "same" if bad == 0 else f"differs on {bad:,} of {len(want):,}"


def vector_agreement(got: npt.NDArray[Any], want: npt.NDArray[Any]) -> str:
    bad = int(np.count_nonzero(got != want))
    return "same" if bad == 0 else f"differs on {bad:,} of {want.size:,}"


# -- inputs -----------------------------------------------------------------------------


def random_dates(rng: random.Random, first: date, last: date, n: int) -> list[date]:
    lo, hi = first.toordinal(), last.toordinal()
    return [date.fromordinal(rng.randint(lo, hi)) for _ in range(n)]


def random_pairs(
    rng: random.Random, first: date, last: date, max_gap: int, n: int
) -> list[tuple[date, date]]:
    """``n`` pairs ``(a, b)`` with ``a`` in ``first..last`` and ``b = a + 0..max_gap`` days."""
    return [
        (a, a + timedelta(days=rng.randint(0, max_gap))) for a in random_dates(rng, first, last, n)
    ]


def vector_inputs(
    n: int, seed: int = SEED
) -> tuple[npt.NDArray[np.datetime64], npt.NDArray[np.datetime64]]:
    """``n`` start dates uniform in 2005-2024 and ends 0-365 days later (``datetime64[D]``)."""
    gen = np.random.default_rng(seed)
    lo = np.datetime64("2005-01-01", "D")
    span = (np.datetime64("2024-12-31", "D") - lo).astype(np.int64) + 1
    a = lo + gen.integers(0, span, n).astype("timedelta64[D]")
    b = a + gen.integers(0, 366, n).astype("timedelta64[D]")  # still within 2005-2025
    return a, b


def numpy_calendar(cal: Any) -> np.busdaycalendar:
    """numpy's view of ``cal``: Monday-Friday minus its holidays.

    numpy has no way to add makeup working days (weekend days worked).
    """
    hol = np.array(sorted(cal.holidays), dtype="datetime64[D]")
    return np.busdaycalendar(weekmask="1111100", holidays=hol)


# -- the benchmarks ---------------------------------------------------------------------


def machine() -> list[str]:
    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
    commit = "unknown"
    here = Path(__file__).resolve().parent
    try:
        commit = git(here, "rev-parse", "--short", "HEAD")
        if git(here, "status", "--porcelain", "--", "../src"):
            commit += ", with uncommitted changes in src"
    except (OSError, subprocess.CalledProcessError):
        pass
    return [
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {platform.platform()}, {cpu}, {os.cpu_count()} CPU(s)",
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"numpy {np.__version__}",
        f"approval_clock {version('approval-clock')} (commit {commit}), "
        f"workalendar {version('workalendar')}, holidays {version('holidays')}, "
        f"chinesecalendar {version('chinesecalendar')}",
    ]


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout.strip()


def scalar_benchmarks(sizes: Sizes) -> tuple[list[Row], list[str]]:
    import chinese_calendar
    import holidays
    from workalendar.asia import China

    from approval_clock import WorkingDays, calendars

    cn = calendars.get("CN")
    wc = China()
    hc = holidays.country_holidays("CN", years=range(2021, 2024))
    makeup = hc.weekend_workdays

    def holidays_is_working_day(d: date) -> bool:
        return d in makeup or (d.weekday() < 5 and d not in hc)

    def holidays_count(a: date, b: date) -> int:
        n = 0
        d = a
        while d <= b:
            if d in makeup or (d.weekday() < 5 and d not in hc):
                n += 1
            d += ONE_DAY
        return n

    def workalendar_deadline(d: date, w: WorkingDays) -> date:
        return wc.add_working_days(d, w.n)  # type: ignore[no-any-return]

    def chinesecalendar_count(a: date, b: date) -> int:
        return len(chinese_calendar.get_workdays(a, b))

    rng = random.Random(SEED)
    dates = random_dates(rng, date(2021, 1, 1), date(2023, 12, 31), sizes.dates)
    # a in 2021-01-01..2023-06-30, b up to 180 days later: inside workalendar's 2018-2023.
    pairs = random_pairs(rng, date(2021, 1, 1), date(2023, 6, 30), 180, sizes.dates)
    slow = pairs[: sizes.slow_pairs]
    twenty = WorkingDays(20)
    starts = [(a, twenty) for a, _ in pairs]
    r = sizes.repeats
    rows: list[Row] = []

    def add(
        section: str,
        impl: str,
        run: Callable[[], None],
        n: int,
        answers: str,
        reference: float | None,
    ) -> float:
        seconds = median_seconds(run, r, n)
        rows.append(Row(section, impl, f"{n:,}", seconds, "ns/call", reference, answers))
        return seconds

    # is_working_day
    sec = "scalar `is_working_day(d)`"
    want = [cn.is_working_day(d) for d in dates]
    ref = add(
        sec,
        "approval_clock `cn.is_working_day`",
        loop1(cn.is_working_day, dates),
        len(dates),
        "reference",
        None,
    )
    add(
        sec,
        "workalendar `China().is_working_day`",
        loop1(wc.is_working_day, dates),
        len(dates),
        agreement([wc.is_working_day(d) for d in dates], want),
        ref,
    )
    add(
        sec,
        "holidays `d in makeup or (weekday < 5 and d not in China())`",
        loop1(holidays_is_working_day, dates),
        len(dates),
        agreement([holidays_is_working_day(d) for d in dates], want),
        ref,
    )
    add(
        sec,
        "chinesecalendar `is_workday`",
        loop1(chinese_calendar.is_workday, dates),
        len(dates),
        agreement([chinese_calendar.is_workday(d) for d in dates], want),
        ref,
    )

    # count: [a, b]
    sec = "scalar `count(a, b)`, both ends, b - a = 0..180 days"
    want_slow = [cn.count(a, b) for a, b in slow]
    ref = add(
        sec, "approval_clock `cn.count`", loop2(cn.count, pairs), len(pairs), "reference", None
    )
    add(
        sec,
        "chinesecalendar `len(get_workdays(a, b))`",
        loop2(chinesecalendar_count, slow),
        len(slow),
        agreement([chinesecalendar_count(a, b) for a, b in slow], want_slow),
        ref,
    )
    add(
        sec,
        "holidays: day-by-day loop",
        loop2(holidays_count, slow),
        len(slow),
        agreement([holidays_count(a, b) for a, b in slow], want_slow),
        ref,
    )

    # elapsed: (a, b]
    sec = "scalar `elapsed(a, b)`, start not counted"
    want_slow = [cn.elapsed(a, b) for a, b in slow]
    ref = add(
        sec, "approval_clock `cn.elapsed`", loop2(cn.elapsed, pairs), len(pairs), "reference", None
    )
    add(
        sec,
        "workalendar `get_working_days_delta`",
        loop2(wc.get_working_days_delta, slow),
        len(slow),
        agreement([wc.get_working_days_delta(a, b) for a, b in slow], want_slow),
        ref,
    )

    # deadline
    sec = "scalar `deadline(d, WorkingDays(20))`"
    want_d = [cn.deadline(d, w) for d, w in starts[: len(slow)]]
    ref = add(
        sec,
        "approval_clock `cn.deadline`",
        loop2(cn.deadline, starts),
        len(starts),
        "reference",
        None,
    )
    add(
        sec,
        "workalendar `add_working_days(d, 20)`",
        loop2(workalendar_deadline, starts[: len(slow)]),
        len(slow),
        agreement([workalendar_deadline(d, w) for d, w in starts[: len(slow)]], want_d),
        ref,
    )

    # Other scalar methods: no alternative, measured against the scalar target only.
    sec = "other approval_clock scalar methods"
    for name, run in (
        ("`cn.next_working_day(d)`", loop1(cn.next_working_day, dates)),
        ("`cn.previous_working_day(d)`", loop1(cn.previous_working_day, dates)),
        ("`cn.roll_forward(d)`", loop1(cn.roll_forward, dates)),
        ("`cn.working_day_number(d)`", loop1(cn.working_day_number, dates)),
        (
            "`cn.is_working_day(np.datetime64)`",
            loop1(cn.is_working_day, [np.datetime64(d, "D") for d in dates]),
        ),
    ):
        add(sec, name, run, len(dates), "", None)

    def noop(x: object) -> object:
        return x

    floor = median_seconds(loop1(noop, dates), r, len(dates))
    notes = [
        f"The Python loop and call alone (a no-op function) cost {floor * 1e9:.0f} ns per call; "
        "every scalar time above includes it."
    ]
    return rows, notes


def vector_benchmarks(sizes: Sizes) -> tuple[list[Row], list[str]]:
    from approval_clock import WorkCalendar, WorkingDays, calendars

    cn = calendars.get("CN")
    n = sizes.vector
    a, b = vector_inputs(n)
    a1 = a + np.timedelta64(1, "D")
    b1 = b + np.timedelta64(1, "D")
    bdc = numpy_calendar(cn)
    twenty = WorkingDays(20)
    r = sizes.repeats
    label = f"{n:,}"
    rows: list[Row] = []

    def add(
        section: str, impl: str, run: Callable[[], object], answers: str, ref: float | None
    ) -> float:
        seconds = median_seconds(run, r)
        rows.append(Row(section, impl, label, seconds, "ms", ref, answers))
        return seconds

    sec = "vector `is_working_day`"
    want = cn.is_working_day(a)
    ref = add(
        sec,
        "approval_clock `cn.is_working_day(a)`",
        lambda: cn.is_working_day(a),
        "reference",
        None,
    )
    add(
        sec,
        "numpy `is_busday(a, busdaycal=...)`",
        lambda: np.is_busday(a, busdaycal=bdc),
        vector_agreement(np.is_busday(a, busdaycal=bdc), want),
        ref,
    )

    sec = "vector `count(a, b)`, both ends, b - a = 0..365 days"
    want = cn.count(a, b)
    ref = add(sec, "approval_clock `cn.count(a, b)`", lambda: cn.count(a, b), "reference", None)
    add(
        sec,
        "numpy `busday_count(a, b + 1, busdaycal=...)`",
        lambda: np.busday_count(a, b1, busdaycal=bdc),
        vector_agreement(np.busday_count(a, b1, busdaycal=bdc), want),
        ref,
    )

    sec = "vector `elapsed(a, b)`, start not counted"
    want = cn.elapsed(a, b)
    ref = add(sec, "approval_clock `cn.elapsed(a, b)`", lambda: cn.elapsed(a, b), "reference", None)
    add(
        sec,
        "numpy `busday_count(a + 1, b + 1, busdaycal=...)`",
        lambda: np.busday_count(a1, b1, busdaycal=bdc),
        vector_agreement(np.busday_count(a1, b1, busdaycal=bdc), want),
        ref,
    )

    sec = "vector `deadline(a, WorkingDays(20))`"
    want = cn.deadline(a, twenty)
    ref = add(
        sec,
        "approval_clock `cn.deadline(a, WorkingDays(20))`",
        lambda: cn.deadline(a, twenty),
        "reference",
        None,
    )
    add(
        sec,
        "numpy `busday_offset(a, 20, roll='backward', busdaycal=...)`",
        lambda: np.busday_offset(a, 20, roll="backward", busdaycal=bdc),
        vector_agreement(np.busday_offset(a, 20, roll="backward", busdaycal=bdc), want),
        ref,
    )

    # Check that makeup days are the only reason for the differences: on a copy of
    # CN without them, numpy must give the same answers everywhere.
    plain = WorkCalendar(
        "CN without makeup days", first=cn.coverage[0], last=cn.coverage[1], holidays=cn.holidays
    )
    still = sum(
        int(np.count_nonzero(x != y))
        for x, y in (
            (plain.is_working_day(a), np.is_busday(a, busdaycal=bdc)),
            (plain.count(a, b), np.busday_count(a, b1, busdaycal=bdc)),
            (plain.elapsed(a, b), np.busday_count(a1, b1, busdaycal=bdc)),
            (plain.deadline(a, twenty), np.busday_offset(a, 20, roll="backward", busdaycal=bdc)),
        )
    )
    check = (
        "With the makeup days removed from the calendar, numpy and approval_clock agree on "
        "every input of all four operations (checked in this run): makeup days are the only "
        "difference."
        if still == 0
        else f"Even with the makeup days removed, {still:,} answers differ from numpy: investigate."
    )
    notes = [
        f"Vector inputs: {n:,} start dates uniform in 2005-2024 as `datetime64[D]`, ends 0-365 days "
        "later. numpy gets a prebuilt `busdaycalendar` (weekmask Mon-Fri, the CN holidays): "
        "it cannot express makeup working days (weekend days worked), so its answers differ "
        "wherever a makeup day is involved; the Answers column counts those pairs. "
        "`busday_count` is half-open, hence the `+ 1` (shifted arrays are built before timing; "
        "passing `holidays=` on each call instead of a prebuilt calendar measured the same); "
        "`roll='backward'` gives the same rule as `deadline` for a start on a rest day.",
        check,
    ]
    return rows, notes


def compile_benchmarks(sizes: Sizes) -> list[Row]:
    from approval_clock import WorkCalendar, calendars
    from approval_clock.calendars import _official
    from approval_clock.calendars._files import calendar_text

    text = (
        resources.files("approval_clock.calendars").joinpath("data", "cn.toml").read_text("utf-8")
    )
    r = sizes.compile_repeats
    rows: list[Row] = []
    sec = "compile the CN calendar (2004-2026)"

    def from_scratch() -> object:
        _official.cache_clear()
        return calendars.get("CN")

    try:
        cold = median_seconds(from_scratch, r)
    finally:
        _official.cache_clear()
    cn = calendars.get("CN")
    rows.append(
        Row(
            sec,
            '`calendars.get("CN")` after `cache_clear()` (read + parse + compile)',
            "1",
            cold,
            "ms",
            None,
            "",
        )
    )
    parts: tuple[tuple[str, Callable[[], object]], ...] = (
        (
            "`calendar_text(text)` (parse + validate + compile)",
            lambda: calendar_text(text, "cn.toml"),
        ),
        ("part: `tomllib.loads(text)`", lambda: tomllib.loads(text)),
        (
            "part: `WorkCalendar(...)` (arrays + prefix sums)",
            lambda: WorkCalendar(
                cn.name,
                first=cn.coverage[0],
                last=cn.coverage[1],
                holidays=cn.holidays,
                workdays=cn.workdays,
                timezone=cn.timezone,
                code=cn.code,
            ),
        ),
        ('`calendars.get("CN")` again (cached)', lambda: calendars.get("CN")),
    )
    for impl, run in parts:
        rows.append(Row(sec, impl, "1", median_seconds(run, r), "ms", None, ""))
    return rows


def import_benchmarks(sizes: Sizes) -> list[Row]:
    def wall(code: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - t0

    def importtime() -> float:
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import approval_clock"],
            check=True,
            capture_output=True,
            text=True,
        ).stderr
        for line in out.splitlines():
            fields = [f.strip() for f in line.split("|")]
            if len(fields) == 3 and fields[2] == "approval_clock":
                return int(fields[1]) / 1e6
        raise RuntimeError("no approval_clock line in -X importtime output")

    wall("import approval_clock")  # warm the disk cache and the .pyc files
    bare: list[float] = []
    full: list[float] = []
    for _ in range(sizes.import_repeats):
        bare.append(wall("pass"))
        full.append(wall("import approval_clock"))
    cumulative = statistics.median(importtime() for _ in range(sizes.import_repeats))
    sec = "`import approval_clock` in a fresh interpreter"
    n = str(sizes.import_repeats)
    return [
        Row(
            sec,
            "wall time minus a bare `python -c pass`",
            n,
            statistics.median(full) - statistics.median(bare),
            "ms",
            None,
            "",
        ),
        Row(
            sec,
            "`python -X importtime`, cumulative for approval_clock",
            n,
            cumulative,
            "ms",
            None,
            "",
        ),
        Row(sec, "bare `python -c pass` (for scale)", n, statistics.median(bare), "ms", None, ""),
    ]


# -- output -----------------------------------------------------------------------------


def shown(seconds: float, unit: str) -> str:
    if unit == "ns/call":
        ns = seconds * 1e9
        return f"{ns:,.0f} ns" if ns >= 100 else f"{ns:.1f} ns"
    ms = seconds * 1e3
    if ms < 0.1:
        return f"{ms * 1e3:.1f} µs"
    return f"{ms:,.1f} ms" if ms >= 10 else f"{ms:.2f} ms"


def ratio(alt: float, ref: float) -> str:
    if alt >= ref:
        return f"{alt / ref:,.1f}x faster" if alt / ref < 10 else f"{alt / ref:,.0f}x faster"
    return f"{ref / alt:,.1f}x slower"


def table(rows: Sequence[Row]) -> list[str]:
    out = [
        "| Benchmark | Implementation | n | Median | approval_clock is | Answers |",
        "|---|---|---:|---:|---|---|",
    ]
    last = ""
    for row in rows:
        sec = row.section if row.section != last else ""
        last = row.section
        rel = ratio(row.seconds, row.reference) if row.reference is not None else ""
        out.append(
            f"| {sec} | {row.impl} | {row.n} | {shown(row.seconds, row.unit)} | {rel} | {row.answers} |"
        )
    return out


def _numpy_function(impl: str) -> str:
    """``busday_count`` from "numpy `busday_count(a, b + 1, ...)`"."""
    return impl.partition("`")[2].partition("(")[0]


def targets(rows: Sequence[Row]) -> list[Target]:
    found: list[Target] = []
    for row in rows:
        if row.unit == "ns/call" and row.impl.startswith(("approval_clock", "`cn.")):
            ns = row.seconds * 1e9
            found.append(
                Target(
                    f"scalar {row.impl}",
                    f"{ns:,.0f} ns",
                    f"< {SCALAR_TARGET_NS:.0f} ns",
                    ns < SCALAR_TARGET_NS,
                )
            )
    refs = {row.section: row for row in rows if row.answers == "reference" and row.unit == "ms"}
    for row in rows:
        if row.unit == "ms" and row.reference is not None and "busday_" in row.impl:
            ref = refs[row.section]
            x = row.seconds / ref.seconds
            found.append(
                Target(
                    f"vector {ref.impl} vs numpy `{_numpy_function(row.impl)}`",
                    f"{x:.1f}x",
                    f">= {VECTOR_TARGET_RATIO:.0f}x",
                    x >= VECTOR_TARGET_RATIO,
                )
            )
    for row in rows:
        if row.impl.startswith('`calendars.get("CN")` after'):
            ms = row.seconds * 1e3
            found.append(
                Target(
                    "compile CN (`get` after `cache_clear`)",
                    f"{ms:.1f} ms",
                    f"< {COMPILE_TARGET_MS:.0f} ms",
                    ms < COMPILE_TARGET_MS,
                )
            )
        if row.impl.startswith("wall time minus"):
            ms = row.seconds * 1e3
            found.append(
                Target(
                    "`import approval_clock`",
                    f"{ms:.0f} ms",
                    f"< {IMPORT_TARGET_MS:.0f} ms",
                    ms < IMPORT_TARGET_MS,
                )
            )
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="small inputs and few repeats (smoke test)"
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    # workalendar's China warns that it only knows 2018-2023; every input is inside that.
    warnings.filterwarnings("ignore", message="Support years", category=UserWarning)

    t0 = time.perf_counter()
    header = machine()
    scalar_rows, scalar_notes = scalar_benchmarks(sizes)
    vector_rows, vector_notes = vector_benchmarks(sizes)
    rows = [*scalar_rows, *vector_rows, *compile_benchmarks(sizes), *import_benchmarks(sizes)]
    took = time.perf_counter() - t0

    print(f"# approval_clock calendar benchmark{' (--quick)' if args.quick else ''}")
    print()
    for line in header:
        print(f"- {line}")
    print(f"- Repeats: {sizes.repeats} (median reported); run took {took:.0f} s")
    print()
    print("\n".join(table(rows)))
    print()
    for note in (*scalar_notes, *vector_notes):
        print(f"- {note}")
    print(
        "- Scalar inputs: fixed seeded random dates in 2021-2023 (workalendar's China knows "
        "2018-2023 only); pairs start in 2021-01-01..2023-06-30 and end 0-180 days later. "
        "Implementations that loop over days run on the first "
        f"{sizes.slow_pairs:,} pairs only; times are per call."
    )
    print()
    print("| Target | Measured | Threshold | Result |")
    print("|---|---:|---:|---|")
    for t in targets(rows):
        print(f"| {t.what} | {t.measured} | {t.threshold} | {'PASS' if t.ok else 'MISS'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

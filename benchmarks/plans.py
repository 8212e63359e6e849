"""Benchmark: scheduling 100 000-stage plans, cross-checked against networkx.

Run by hand (``pip install -e '.[bench]'``)::

    python benchmarks/plans.py

Two plans on a plain Monday-Friday calendar (2000-3499, no holidays: the chain needs about 300 000 working days), seeded so
every run builds the same graphs:

* a chain of 100 000 stages (FS links, lag 0);
* a random DAG of 100 000 stages and 300 000 FS links (lag 0), each link from a
  lower to a higher stage number.

Stage durations are 1-5 working days. For each plan the script times building
the :class:`~approval_clock.Plan` (validation, cycle check), the first
``plan.schedule(start=...)`` (which also reduces the plan to integers, kept for
later calls) and a second one from another start date; the schedule holds early
and late dates, total and free float, the critical path and approval days.

Correctness: with FS links of lag 0 and every stage starting no earlier than the
plan start, the plan's duration in working days is the longest path through the
graph, counting each stage's duration. networkx computes that with
``dag_longest_path_length`` on the same graph (edge u -> v weighted by u's
duration, plus an edge from every stage to a sink weighted by its duration); the
two must agree. networkx's time (graph construction separate) is the speed
reference; it computes the one number, where the schedule computes everything.
"""

from __future__ import annotations

import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

import approval_clock
from approval_clock import Link, Plan, Stage, WorkCalendar

if TYPE_CHECKING:
    import networkx as nx

N = 100_000
M = 300_000
SEED = 20210818
T = TypeVar("T")


def timed(f: Callable[[], T]) -> tuple[T, float]:
    t0 = time.perf_counter()
    out = f()
    return out, time.perf_counter() - t0


def chain(rng: random.Random, n: int = N) -> tuple[list[int], list[tuple[int, int]]]:
    """``n`` stages of 1-5 working days, each linked to the next."""
    return [rng.randint(1, 5) for _ in range(n)], [(i, i + 1) for i in range(n - 1)]


def random_dag(
    rng: random.Random, n: int = N, m: int = M
) -> tuple[list[int], list[tuple[int, int]]]:
    """``n`` stages of 1-5 working days and ``m`` distinct links, each from a lower to a
    higher stage number (so the graph has no cycle), sorted."""
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    return [rng.randint(1, 5) for _ in range(n)], sorted(pairs)


def run(
    name: str, durations: list[int], edges: list[tuple[int, int]], cal: WorkCalendar
) -> dict[str, object]:
    import networkx as nx

    ids = [f"s{i}" for i in range(len(durations))]
    stages = [Stage(i, d) for i, d in zip(ids, durations, strict=True)]
    links = [Link(ids[a], ids[b]) for a, b in edges]
    plan, t_plan = timed(lambda: Plan(stages, links, calendar=cal))
    sched, t_first = timed(lambda: plan.schedule(start=date(2001, 1, 1)))
    again, t_again = timed(lambda: plan.schedule(start=date(2002, 3, 4)))

    def graph() -> nx.DiGraph:
        g = nx.DiGraph()
        g.add_weighted_edges_from((a, b, durations[a]) for a, b in edges)
        g.add_weighted_edges_from((i, "end", d) for i, d in enumerate(durations))
        return g

    g, t_graph = timed(graph)
    length, t_nx = timed(lambda: nx.dag_longest_path_length(g))
    if length != sched.duration or length != again.duration:
        raise SystemExit(
            f"{name}: networkx says {length} working days, the schedule {sched.duration}"
        )
    return {
        "plan": name,
        "stages": len(stages),
        "links": len(links),
        "critical path (wd)": sched.duration,
        "networkx agrees": "yes",
        "Plan(...) s": t_plan,
        "schedule, first s": t_first,
        "schedule, again s": t_again,
        "networkx graph s": t_graph,
        "networkx longest path s": t_nx,
        "schedule again / networkx": t_again / t_nx,
    }


def main() -> None:
    try:
        import networkx as nx
    except ImportError:
        raise SystemExit("this benchmark needs networkx: pip install -e '.[bench]'") from None
    cal = WorkCalendar("Mon-Fri", first=date(2000, 1, 1), last=date(3499, 12, 31))
    cal.working_day_number(date(2000, 1, 3))
    rows = [
        run("chain", *chain(random.Random(SEED)), cal),
        run("random DAG", *random_dag(random.Random(SEED)), cal),
    ]
    print(
        f"approval_clock {approval_clock.__version__}, networkx {nx.__version__}, "
        f"Python {sys.version.split()[0]} on {platform.machine()}\n"
    )
    cols = list(rows[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "|".join("---" for _ in cols) + "|")
    for row in rows:
        cells = [f"{v:.2f}" if isinstance(v, float) else str(v) for v in row.values()]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

"""The charts of the reference case, as shown in ``docs/charts.md``.

Run from the repository root (``pip install -e '.[plot]'`` first)::

    python examples/huludao/charts.py

Writes ``docs/img/huludao-schedule.png`` (the reform's Gantt chart, start
2021-06-01), ``docs/img/huludao-comparison.png`` (before above after) and
``docs/img/huludao-sweep.png`` (calendar days for every start of 2021).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from approval_clock import Plan, compare, sweep

HERE = Path(__file__).parent
OUT = HERE.parent.parent / "docs" / "img"
START = date(2021, 6, 1)


def main() -> None:
    baseline = Plan.from_toml(HERE / "baseline.toml")
    reform = Plan.from_toml(HERE / "reform.toml")
    OUT.mkdir(parents=True, exist_ok=True)
    charts = {
        "huludao-schedule.png": reform.schedule(start=START).plot().figure,
        "huludao-comparison.png": compare(baseline, reform, start=START).plot()[0].figure,
        "huludao-sweep.png": sweep(reform, year=2021).plot().figure,
    }
    for name, fig in charts.items():
        fig.savefig(OUT / name, dpi=90)
        plt.close(fig)
        print(f"{OUT / name}: {(OUT / name).stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()

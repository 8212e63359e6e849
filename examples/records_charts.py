"""Draw the records charts of ``docs/charts.md`` from the synthetic year of ``examples/records.py``.

Run from the repository root (``pip install -e '.[pandas,plot]'``)::

    python examples/records_charts.py            # writes docs/img/records-*.png
    python examples/records_charts.py --lang zh  # the same in Chinese, to docs/img/records-*-zh.png
"""

from __future__ import annotations

import argparse
import runpy
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").partition("\n")[0])
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--out", type=Path, default=HERE.parent / "docs" / "img")
    args = parser.parse_args(argv)
    example = runpy.run_path(str(HERE / "records.py"), run_name="records_example")
    from approval_clock.records import analyze

    stages, pauses = example["synthetic_records"]()
    result = analyze(stages, calendar=example["cn"], pauses=pauses, as_of=example["AS_OF"])
    suffix = "" if args.lang == "en" else "-zh"
    for kind in ("overdue", "on_time_by_month", "stages"):
        ax = result.plot(kind, lang=args.lang)  # type: ignore[arg-type]
        path = args.out / f"records-{kind.replace('_', '-')}{suffix}.png"
        ax.figure.savefig(path, dpi=100)
        matplotlib.pyplot.close(ax.figure)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

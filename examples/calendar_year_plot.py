"""A year of the mainland China calendar at a glance, as shown in ``docs/calendars.md``.

Run from the repository root (``pip install -e '.[plot]'`` first)::

    python examples/calendar_year_plot.py                  # docs/img/cn-2026.png
    python examples/calendar_year_plot.py 2027 --lang zh /tmp/cn-2027-zh.png

A year past the shipped notices (2027 on) is drawn from the forecast projection
(``extended(rule="forecast")``), its days hatched as projected. ``--lang zh``
needs a font with Chinese glyphs (Debian/Ubuntu: ``apt-get install
fonts-noto-cjk``); without one the chart warns and keeps English labels.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from approval_clock import calendars

IMG = Path(__file__).resolve().parent.parent / "docs" / "img"


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("year", nargs="?", type=int, default=2026)
    parser.add_argument("out", nargs="?", type=Path, help="PNG to write (default docs/img/)")
    parser.add_argument("--lang", choices=["en", "zh"], default="en")
    args = parser.parse_intermixed_args(argv)

    cn = calendars.get("CN")
    if args.year > cn.coverage[1].year:
        cn = cn.extended(until=date(args.year, 12, 31), rule="forecast")
    suffix = "" if args.lang == "en" else f"-{args.lang}"
    out: Path = args.out or IMG / f"cn-{args.year}{suffix}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    ax = cn.plot(args.year, lang=args.lang)
    ax.figure.savefig(out, dpi=110)
    plt.close(ax.figure)
    print(f"{out}: {out.stat().st_size // 1024} KB")
    return out


if __name__ == "__main__":
    main()

"""KPIs of approval records, in total and by group, as additive parts.

Private helpers for :mod:`approval_clock.records`. Every KPI is computed from
integer *parts* that add up across partitions of a data set (counts, sums, a
histogram of elapsed days), so that the KPIs of a whole equal those computed
from its partitions' parts added up. Grouped parts carry the group's key
columns; everything here is vectorized over groups (``numpy.bincount`` and
sorted histograms), so a KPI table of thousands of offices and months costs a
few array passes, not a loop over groups.

:class:`Rows` is what an ``Analysis`` keeps to regroup its rows later: the
codes and day numbers that the result frames do not already hold.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from approval_clock._check import fail_type
from approval_clock.errors import ColumnTypeError, RecordsError
from approval_clock.records import _core as core
from approval_clock.records._parse import NAT

Ints = npt.NDArray[np.int64]

STATUSES = ("done on time", "done late", "open", "open warning", "open overdue")
STATUS_PARTS = ("done_on_time", "done_late", "open_on_track", "open_warning", "open_overdue")

COUNT_PARTS = (
    "stages",
    "rejected",
    "pauses",
    "rejected_pauses",
    "done",
    "open",
    *STATUS_PARTS,
    "same_day",
    "overdue_days",
    "elapsed_done_sum",
    "paused_days",
    "cases",
    "cases_done",
    "case_elapsed_done_sum",
    "case_clock_done_sum",
)
"""The parts besides the histogram of elapsed days (``elapsed=K``)."""

KPI_NAMES = (
    "stages",
    "rejected",
    "pauses",
    "rejected_pauses",
    "done",
    "open",
    *STATUS_PARTS,
    "overdue",
    "overdue_days",
    "on_time_rate",
    "same_day",
    "same_day_rate",
    "cases",
    "cases_done",
    "mean_steps_per_case",
    "mean_elapsed",
    "p50_elapsed",
    "p90_elapsed",
    "p95_elapsed",
    "max_elapsed",
    "paused_days",
    "mean_case_elapsed",
    "mean_case_clock_days",
)
"""The KPIs, in the order ``kpis()`` gives them."""

MONTH = "month"


@attrs.frozen(eq=False)
class Rows:
    """What an analysis keeps to regroup its rows: codes and day numbers, compact.

    Stage arrays are aligned with ``Analysis.stages``, pause arrays with
    ``Analysis.pauses``, ``r_*`` with ``Analysis.rejected`` and ``rp_*`` with
    ``Analysis.rejected_pauses``. Keys number the (case, stage) pairs.
    """

    case_code: npt.NDArray[np.int32]
    acc: npt.NDArray[np.int32]
    p_row: npt.NDArray[np.int32]
    p_start: npt.NDArray[np.int32]
    p_end: npt.NDArray[np.int32]
    r_key: Ints
    r_acc: Ints
    r_com: Ints
    rp_key: Ints
    rp_row: Ints


def case_figures(
    codes: core.AnyInts,
    n: int,
    acc: core.AnyInts,
    done_day: Ints,
    na: core.AnyInts,
    ne: core.AnyInts,
    blocks: core.Blocks,
    over: npt.NDArray[np.bool_],
    is_open: npt.NDArray[np.bool_],
    paused_days: Ints,
    big: int,
) -> dict[str, Any]:
    """Per case (``codes`` of the stage rows, ``0..n-1``): the columns of ``Analysis.cases``."""

    def total(values: npt.NDArray[Any]) -> Ints:
        return np.bincount(codes, weights=values, minlength=n).round().astype(np.int64)

    def reduce(op: np.ufunc, values: core.AnyInts, lowest: bool) -> Ints:
        # In the values' own dtype: ufunc.at takes a slow path when it has to cast.
        info = np.iinfo(values.dtype)
        out = np.full(n, info.max if lowest else info.min, dtype=values.dtype)
        op.at(out, codes, values)
        return out.astype(np.int64, copy=False)

    open_steps = np.bincount(codes[is_open], minlength=n).astype(np.int64)
    first_acc = reduce(np.minimum, acc, lowest=True)
    # NAT is the smallest int64, so a max over completions ignores open stages...
    last_done = reduce(np.maximum, done_day, lowest=False)
    # ...and a case with an open stage has no last completion yet.
    last_done[open_steps > 0] = NAT
    first_n = reduce(np.minimum, na, lowest=True)
    last_n = reduce(np.maximum, ne, lowest=False)
    clock_days = core.union_lengths(blocks, na, ne, codes, n, big)
    return {
        "steps": np.bincount(codes, minlength=n).astype(np.int64),
        "open_steps": open_steps,
        "first_accepted": first_acc,
        "last_completed": last_done,
        "elapsed": last_n - first_n,
        "clock_days": clock_days,
        "paused_days": total(paused_days),
        "overdue_steps": np.bincount(codes[over], minlength=n).astype(np.int64),
        "open": open_steps > 0,
    }


def parts_frame(
    counts: dict[str, Ints],
    hist_group: Ints,
    hist_value: Ints,
    hist_count: Ints,
    keys: pd.DataFrame | None,
) -> pd.DataFrame:
    """The long frame of parts: ``[*key columns], part, value``; one block of rows per group.

    ``counts`` maps each part of :data:`COUNT_PARTS` to one value per group;
    ``keys`` holds the group keys (one row per group), ``None`` for the total.
    """
    n_groups = len(next(iter(counts.values())))
    names = list(COUNT_PARTS)
    group = np.repeat(np.arange(n_groups, dtype=np.int64), len(names))
    part = np.tile(np.asarray(names, dtype=object), n_groups)
    value = np.stack([counts[p] for p in names], axis=1).reshape(-1)
    if len(hist_group):
        order = np.lexsort((hist_value, hist_group))
        hist_names = np.char.add("elapsed=", hist_value[order].astype(str)).astype(object)
        group = np.concatenate([group, hist_group[order]])
        part = np.concatenate([part, hist_names])
        value = np.concatenate([value, hist_count[order]])
        # Group by group: the totals of a group, then its histogram.
        order = np.argsort(group, kind="stable")
        group, part, value = group[order], part[order], value[order]
    frame = pd.DataFrame({"part": pd.Series(part, dtype=object), "value": value.astype(np.int64)})
    if keys is not None:
        key_cols = keys.iloc[group].reset_index(drop=True)
        frame = pd.concat([key_cols, frame], axis=1)
    return frame


def histogram(group: Ints, values: Ints) -> tuple[Ints, Ints, Ints]:
    """Distinct ``(group, value)`` pairs and how often each occurs."""
    if not len(values):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    span = int(values.max()) + 1
    pairs, count = np.unique(group * span + values, return_counts=True)
    return pairs // span, pairs % span, count.astype(np.int64)


# -- from parts to KPIs ----------------------------------------------------------------


def key_columns(parts: pd.DataFrame) -> list[Hashable]:
    """The group key columns of a parts frame: every column but ``part`` and ``value``."""
    if "part" not in parts.columns or "value" not in parts.columns:
        raise RecordsError(
            f"KPI parts: expected a frame with columns ['part', 'value'] (and group keys) as "
            f"kpi_parts() gives, got columns {list(parts.columns)}"
        )
    return [c for c in parts.columns if c not in ("part", "value")]


def as_parts(parts: object) -> pd.DataFrame:
    """A frame, Series or mapping of parts as a long parts frame."""
    if isinstance(parts, pd.DataFrame):
        key_columns(parts)
        return parts
    if isinstance(parts, pd.Series):
        s = parts.groupby(level=0, sort=True).sum()
        return pd.DataFrame({"part": pd.Series(s.index.tolist(), dtype=object), "value": s.values})
    if isinstance(parts, dict) or hasattr(parts, "items"):
        items = list(parts.items())
        for name, value in items:
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
                raise fail_type(f"KPI parts[{name!r}]", "a whole number", value)
        return pd.DataFrame(
            {
                "part": pd.Series([k for k, _ in items], dtype=object),
                "value": np.asarray([v for _, v in items], dtype=np.int64),
            }
        )
    raise ColumnTypeError(
        f"KPI parts: expected the frame kpi_parts() gives, got {type(parts).__name__}"
    )


def combine(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Add up equal parts of equal groups."""
    whole = pd.concat(frames, ignore_index=True) if len(frames) != 1 else frames[0]
    keys = key_columns(whole)
    summed = (
        whole.groupby([*keys, "part"], dropna=False, sort=True, observed=True)["value"]
        .sum()
        .reset_index()
    )
    summed["value"] = summed["value"].astype(np.int64)
    return summed


def kpi_table(parts: pd.DataFrame, by: Sequence[Hashable] | None) -> pd.DataFrame:
    """The KPIs of each group of ``parts`` (summed first): one row per group, one column per KPI.

    ``by`` names the key columns; ``None`` for parts without keys (one row, the total).
    """
    keys = key_columns(parts)
    if by is None:
        if keys:
            raise RecordsError(
                f"KPI parts: these parts are grouped by {keys}; pass by={keys!r} to get "
                f"one row of KPIs per group"
            )
        by_cols: list[Hashable] = []
    else:
        by_cols = list(by)
        if sorted(map(str, by_cols)) != sorted(map(str, keys)):
            raise RecordsError(
                f"KPI parts: grouped by {keys}, not by {by_cols}; add the parts up by "
                f"{by_cols} first, or ask for by={keys!r}"
            )
    summed = combine([parts])
    if by_cols:
        grouper = summed.groupby(by_cols, dropna=False, sort=True, observed=True)
        g = grouper.ngroup().to_numpy(dtype=np.int64)
        index = grouper.size().index
    else:
        g = np.zeros(len(summed), dtype=np.int64)
        index = pd.RangeIndex(1)
    n_groups = len(index)
    part = summed["part"].to_numpy(dtype=object)
    value = summed["value"].to_numpy(dtype=np.int64)
    is_hist = np.fromiter(
        (isinstance(p, str) and p.startswith("elapsed=") for p in part),
        dtype=bool,
        count=len(part),
    )
    wide: dict[str, Ints] = {}
    for name in COUNT_PARTS:
        at = ~is_hist & (part == name)
        col = np.zeros(n_groups, dtype=np.int64)
        np.add.at(col, g[at], value[at])
        wide[name] = col
    h_group = g[is_hist]
    h_value = np.asarray([int(p[len("elapsed=") :]) for p in part[is_hist]], dtype=np.int64)
    h_count = value[is_hist]
    out = _kpis(wide, h_group, h_value, h_count, n_groups)
    return pd.DataFrame(out, index=index, columns=list(KPI_NAMES))


def _ratio(a: Ints, b: Ints) -> npt.NDArray[np.float64]:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(b > 0, a / np.maximum(b, 1), np.nan)


def _kpis(
    w: dict[str, Ints], h_group: Ints, h_value: Ints, h_count: Ints, n: int
) -> dict[str, npt.NDArray[Any]]:
    out: dict[str, npt.NDArray[Any]] = {}
    for name in ("stages", "rejected", "pauses", "rejected_pauses", "done", "open"):
        out[name] = w[name]
    for name in STATUS_PARTS:
        out[name] = w[name]
    out["overdue"] = w["done_late"] + w["open_overdue"]
    out["overdue_days"] = w["overdue_days"]
    out["on_time_rate"] = _ratio(w["done_on_time"], w["done"])
    out["same_day"] = w["same_day"]
    out["same_day_rate"] = _ratio(w["same_day"], w["done"])
    out["cases"] = w["cases"]
    out["cases_done"] = w["cases_done"]
    out["mean_steps_per_case"] = _ratio(w["stages"], w["cases"])
    out["mean_elapsed"] = _ratio(w["elapsed_done_sum"], w["done"])
    keep = h_count > 0
    h_group, h_value, h_count = h_group[keep], h_value[keep], h_count[keep]
    order = np.lexsort((h_value, h_group))
    h_group, h_value, h_count = h_group[order], h_value[order], h_count[order]
    total = np.bincount(h_group, weights=h_count, minlength=n).round().astype(np.int64)
    cum = np.cumsum(h_count)
    start = np.concatenate([[0], np.cumsum(total)])[:-1]
    for q in (50, 90, 95):
        p = np.full(n, np.nan)
        has = total > 0
        rank = np.maximum(1, np.ceil(q / 100 * total - 1e-9)).astype(np.int64)
        at = np.searchsorted(cum, start + rank, side="left")
        p[has] = h_value[at[has]]
        out[f"p{q}_elapsed"] = p
    mx = np.full(n, np.nan)
    if len(h_group):
        last = np.full(n, -1, dtype=np.int64)
        np.maximum.at(last, h_group, h_value)
        mx[last >= 0] = last[last >= 0]
    out["max_elapsed"] = mx
    out["paused_days"] = w["paused_days"]
    out["mean_case_elapsed"] = _ratio(w["case_elapsed_done_sum"], w["cases_done"])
    out["mean_case_clock_days"] = _ratio(w["case_clock_done_sum"], w["cases_done"])
    return out


def one_row(table: pd.DataFrame) -> dict[str, float]:
    """The single row of a total KPI table as a dict of plain numbers (counts as ints)."""
    row = table.iloc[0]
    return {name: float(row[name]) if name in _FLOATS else int(row[name]) for name in KPI_NAMES}


_FLOATS = frozenset(
    {
        "on_time_rate",
        "same_day_rate",
        "mean_steps_per_case",
        "mean_elapsed",
        "p50_elapsed",
        "p90_elapsed",
        "p95_elapsed",
        "max_elapsed",
        "mean_case_elapsed",
        "mean_case_clock_days",
    }
)

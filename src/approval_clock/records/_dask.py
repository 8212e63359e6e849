"""The dask recipe of :mod:`approval_clock.records`, guarded: no case split across partitions.

Private helper behind :func:`approval_clock.records.analyze_partitions`.
``analyze`` finds duplicates, matches pauses to their stages and adds up case
figures within the frames it is given, so a partition must hold every row of
each of its cases, and the pauses of those cases. With the case id as the
(sorted) index of both frames and the pauses on the stages' divisions, that
holds; anything else is refused before any work starts, and every partition
checks, when it runs, that its rows lie within its division (a
``repartition(..., force=True)`` can claim divisions that the data does not
have). Row-partitioned data, where a case's stages land in several partitions,
would otherwise count one case several times and lose pauses silently.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import attrs
import pandas as pd

from approval_clock.calendars.workcalendar import WorkCalendar
from approval_clock.errors import ColumnTypeError, RecordsError


def _is_dask_frame(frame: object) -> bool:
    return all(hasattr(frame, a) for a in ("map_partitions", "divisions", "npartitions"))


def analyze_partitions(
    stages: Any, pauses: Any = None, *, calendar: WorkCalendar, **options: Any
) -> PartitionedAnalysis:
    """Check the partitioning of dask frames and prepare ``analyze`` on each partition.

    Raises ``RecordsError`` when a case could be split: the stages' index is not
    the case id, or its divisions are unknown, or the pauses are not indexed the
    same way on the same divisions. ``options`` are those of ``analyze``.
    """
    from approval_clock.records import analyze

    case: Hashable = options.get("case", "case")
    for what, frame in (("stages", stages), ("pauses", pauses)):
        if frame is None:
            continue
        if not _is_dask_frame(frame):
            raise ColumnTypeError(
                f"{what}: expected a dask DataFrame, got {type(frame).__name__}; for a pandas "
                f"or polars frame call analyze(...) directly"
            )
        if frame.index.name != case:
            raise RecordsError(
                f"{what}: the index is {frame.index.name!r}, not the case id {case!r}, so a "
                f"case's rows may lie in several partitions and its figures would be counted "
                f"once per partition; use {what}.set_index({case!r}) (dask sorts it, and each "
                f"case then lies in one partition)"
            )
        if not frame.known_divisions:
            raise RecordsError(
                f"{what}: the divisions of the index {case!r} are unknown, so a case may be "
                f"split across partitions; use {what}.set_index({case!r}) or "
                f"dd.from_pandas(frame.set_index({case!r}), sort=True)"
            )
    if pauses is not None and tuple(pauses.divisions) != tuple(stages.divisions):
        raise RecordsError(
            f"pauses: divided at {_few(pauses.divisions)}, the stages at "
            f"{_few(stages.divisions)}; a case's pauses must lie in its stages' partition: "
            f"pauses.repartition(divisions=stages.divisions, force=True)"
        )
    empty_s = stages._meta
    empty_p = None if pauses is None else pauses._meta
    analyze(empty_s, pauses=empty_p, calendar=calendar, **options)  # bad options raise now
    return PartitionedAnalysis(stages, pauses, calendar, dict(options))


def _few(divisions: Sequence[Any]) -> str:
    d = list(divisions)
    shown = d if len(d) <= 4 else [*d[:2], "...", *d[-1:]]
    return "[" + ", ".join(repr(x) if x != "..." else x for x in shown) + "]"


def _check_bounds(frame: pd.DataFrame, what: str, divisions: Sequence[Any], i: int) -> None:
    if not len(frame):
        return
    lo, hi = divisions[i], divisions[i + 1]
    last = i + 1 == len(divisions) - 1
    idx = frame.index
    outside = (idx < lo) | ((idx > hi) if last else (idx >= hi))
    if outside.any():
        bad = idx[outside][0]
        raise RecordsError(
            f"{what}: partition {i} holds case {bad!r}, outside its division "
            f"[{lo!r}, {hi!r}{']' if last else ')'}; its rows are not where the divisions "
            f"say, so the case may be split: set_index the case id instead of forcing divisions"
        )


@attrs.frozen(eq=False)
class PartitionedAnalysis:
    """``analyze`` run on each partition of dask frames that keep every case whole.

    ``stages()`` and ``rejected()`` are dask frames (lazy); ``kpi_parts(by=...)``
    and ``kpis(by=...)`` compute, adding the parts of the partitions up exactly.
    """

    stages_frame: Any
    pauses_frame: Any
    calendar: WorkCalendar
    options: dict[str, Any]

    def _one(self, what: str, **kw: Any) -> Any:
        from approval_clock.records import analyze

        divisions = tuple(self.stages_frame.divisions)
        options, calendar = self.options, self.calendar

        def run(s: pd.DataFrame, p: pd.DataFrame | None, i: int | None) -> Any:
            if i is not None:
                _check_bounds(s, "stages", divisions, i)
                if p is not None:
                    _check_bounds(p, "pauses", divisions, i)
            result = analyze(s, pauses=p, calendar=calendar, **options)
            if what == "kpi_parts":
                return result.kpi_parts(**kw)
            frame: pd.DataFrame = getattr(result, what)
            return frame

        return run

    def _frame(self, what: str) -> Any:
        run = self._one(what)
        pauses = self.pauses_frame
        empty_p = None if pauses is None else pauses._meta
        meta = run(self.stages_frame._meta, empty_p, None)

        def part(s: pd.DataFrame, *rest: Any, partition_info: Any = None) -> Any:
            p = rest[0] if rest else None
            return run(s, p, None if partition_info is None else partition_info["number"])

        args = () if pauses is None else (pauses,)
        return self.stages_frame.map_partitions(part, *args, meta=meta, align_dataframes=False)

    def stages(self) -> Any:
        """The accepted stage rows of every partition, as a dask DataFrame."""
        return self._frame("stages")

    def rejected(self) -> Any:
        """The rejected stage rows (with ``reason`` and ``column``), as a dask DataFrame."""
        return self._frame("rejected")

    def kpi_parts(self, by: Any = None, *, month: str = "accepted") -> pd.DataFrame:
        """The KPI parts of every partition, computed and added up."""
        from dask.base import compute
        from dask.delayed import delayed

        from approval_clock.records import combine_kpi_parts

        run = self._one("kpi_parts", by=by, month=month)
        s_parts = self.stages_frame.to_delayed()
        p_parts = (
            [None] * len(s_parts) if self.pauses_frame is None else self.pauses_frame.to_delayed()
        )
        tasks = [
            delayed(run)(s, p, i) for i, (s, p) in enumerate(zip(s_parts, p_parts, strict=True))
        ]
        computed = compute(*tasks)  # type: ignore[no-untyped-call]
        return combine_kpi_parts(*computed)

    def kpis(self, by: Any = None, *, month: str = "accepted") -> Any:
        """The KPIs of the whole data set (a ``KPIs`` dict, or a frame with ``by``)."""
        from approval_clock.records import kpis_from_parts

        return kpis_from_parts(self.kpi_parts(by, month=month), by=by)

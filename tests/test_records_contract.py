"""approval_clock.records: the contract of the result and of the arguments.

* ``Analysis`` is frozen (an attribute cannot be reassigned) and pickles, so that
  it can come back from a worker process; nothing cached rides along.
* Every bad argument raises an :class:`ApprovalClockError`; a wrong *type* is an
  :class:`ArgumentTypeError` (``ColumnTypeError``, about column contents, is one
  too); no bare ``TypeError``, ``ValueError`` or ``KeyError`` leaks from our code.
* The (case, stage) pairs are found the same way whether they are looked up in a
  dense table or a sorted array (many distinct stage names).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

from approval_clock import ApprovalClockError, WorkCalendar, calendars
from approval_clock.errors import ArgumentTypeError, ColumnTypeError, RecordsError
from approval_clock.records import (
    Analysis,
    KPIs,
    _analyze,
    analyze,
    combine_kpi_parts,
    kpis_from_parts,
    limit_compression,
)

T = pd.Timestamp
AS_OF = date(2021, 9, 30)


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    # Case 1: stage a done the day it came (Wed 1 September), stage b open since
    # Mon 6 September and paused 7-8 September; case 2: done in one working day.
    stages = pd.DataFrame(
        {
            "case": [1, 1, 2],
            "stage": ["a", "b", "a"],
            "limit": [5, 1, 5],
            "office": ["north", "north", "south"],
            "accepted": pd.to_datetime(["2021-09-01", "2021-09-06", "2021-09-06"]),
            "completed": pd.to_datetime(pd.Series(["2021-09-01", None, "2021-09-07"])),
        }
    )
    pauses = pd.DataFrame(
        {
            "case": [1],
            "stage": ["b"],
            "paused": pd.to_datetime(["2021-09-07"]),
            "resumed": pd.to_datetime(["2021-09-08"]),
        }
    )
    return stages, pauses


@pytest.fixture(scope="module")
def result() -> Analysis:
    stages, pauses = frames()
    return analyze(stages, calendar=calendars.get("CN"), pauses=pauses, as_of=AS_OF)


# -- frozen and picklable ------------------------------------------------------------------


def test_analysis_is_frozen(result: Analysis) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.stages = result.stages.head(0)  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.as_of = date(2022, 1, 1)  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.cache = {}  # type: ignore[attr-defined]  # slotted: no new attributes


def _same(a: Analysis, b: Analysis, by: str = "office") -> None:
    for name in ("stages", "rejected", "cases", "pauses", "rejected_pauses"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))
    assert (a.as_of, a.warn_within, a.case_column, a.stage_column) == (
        b.as_of,
        b.warn_within,
        b.case_column,
        b.stage_column,
    )
    assert a.kpis() == b.kpis()
    pd.testing.assert_frame_equal(a.kpis(by=by), b.kpis(by=by))


def test_analysis_pickles_with_its_grouping_rows(result: Analysis) -> None:
    again = pickle.loads(pickle.dumps(result))
    assert isinstance(again, Analysis)
    assert again.calendar.name == result.calendar.name
    _same(result, again)
    # What the object holds is its fields, nothing cached besides.
    assert set(attrs.fields_dict(Analysis)) == {
        "stages",
        "rejected",
        "cases",
        "pauses",
        "rejected_pauses",
        "as_of",
        "calendar",
        "warn_within",
        "case_column",
        "stage_column",
        "calendar_day_limits",
        "_rows",
    }


def test_calendar_day_limits_survive_a_pickle() -> None:
    stages = pd.DataFrame(
        {
            "case": [1, 2],
            "stage": "notice",
            "limit": 5,
            "unit": ["日", "工作日"],
            "accepted": pd.to_datetime(["2021-09-27", "2021-09-27"]),
            "completed": pd.to_datetime(["2021-10-08", "2021-10-09"]),
        }
    )
    r = analyze(stages, calendar=calendars.get("CN"), limit_unit_column="unit")
    again = pickle.loads(pickle.dumps(r))
    assert r.calendar_day_limits is not None
    assert again.calendar_day_limits is not None
    assert again.calendar_day_limits.tolist() == [True, False]
    _same(r, again, by="stage")


def _analyse_in_worker(as_of: date) -> Analysis:
    stages, pauses = frames()
    return analyze(stages, calendar=calendars.get("CN"), pauses=pauses, as_of=as_of)


def _kpis_in_worker(as_of: date) -> KPIs:
    return _analyse_in_worker(as_of).kpis()


def test_an_analysis_comes_back_from_worker_processes(result: Analysis) -> None:
    with ProcessPoolExecutor(max_workers=2) as pool:
        analyses = list(pool.map(_analyse_in_worker, [AS_OF, AS_OF]))
        kpis = list(pool.map(_kpis_in_worker, [AS_OF, date(2021, 9, 7)]))
    for got in analyses:
        _same(result, got)
    assert kpis[0] == result.kpis()
    assert isinstance(kpis[1], KPIs)
    # As of Tuesday 7 September stage b has run one working day, the 7th itself
    # (paused from the 7th: the clock stops the day after), so it is not overdue.
    assert kpis[1]["open_overdue"] == 0


# -- arguments: our errors, never a bare builtin -------------------------------------------


class _Odd:
    def __repr__(self) -> str:
        return "<odd>"


BAD: tuple[object, ...] = (
    None,
    _Odd(),
    1.5,
    float("nan"),
    "nonsense",
    -1,
    10**30,
    (),
    [],
    [_Odd()],
    {"x": _Odd()},
    b"bytes",
    True,
    np.int64(3),
    datetime(2021, 6, 1, 12, tzinfo=UTC),
    pd.DataFrame(),
)
"""Values of the wrong type or out of range for every parameter."""


def _calls(result: Analysis, tmp: Path) -> list[tuple[str, Callable[..., Any], dict[str, Any]]]:
    stages, pauses = frames()
    cn = calendars.get("CN")
    parts = result.kpi_parts()
    catalog = pd.DataFrame({"statutory": [20], "committed": [5]})
    return [
        ("analyze", analyze, {"stages": stages, "calendar": cn, "pauses": pauses, "as_of": AS_OF}),
        ("Analysis.kpis", result.kpis, {"by": "office", "month": "accepted"}),
        ("Analysis.kpi_parts", result.kpi_parts, {"by": "office", "month": "accepted"}),
        ("Analysis.view", result.view, {"lang": "zh", "by": "office", "top": 3}),
        ("Analysis.plot", result.plot, {"kind": "overdue"}),
        ("Analysis.to_excel", result.to_excel, {"path": tmp / "r.xlsx", "lang": "en"}),
        ("KPIs.view", result.kpis().view, {"lang": "zh"}),
        ("limit_compression", limit_compression, {"catalog": catalog}),
        ("kpis_from_parts", kpis_from_parts, {"parts": parts}),
        ("combine_kpi_parts", lambda parts: combine_kpi_parts(parts), {"parts": parts}),
    ]


OPTIONAL = {
    "analyze": (
        "warn_within",
        "case",
        "stage",
        "accepted",
        "completed",
        "limit",
        "paused",
        "resumed",
        "date_format",
        "dayfirst",
        "excel_serial",
        "open_values",
        "normalize_ids",
        "limit_unit",
        "limit_unit_column",
    ),
    "Analysis.view": ("catalog", "month"),
    "Analysis.plot": ("ax",),
    "Analysis.to_excel": ("by", "month"),
    "limit_compression": ("statutory", "committed"),
    "kpis_from_parts": ("by",),
}


def test_bad_arguments_raise_our_errors(result: Analysis, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib").use("Agg")
    pytest.importorskip("openpyxl")
    import matplotlib.pyplot as plt

    leaks: list[str] = []
    for name, call, valid in _calls(result, tmp_path):
        call(**valid)  # the table is right
        for param in (*valid, *OPTIONAL.get(name, ())):
            for bad in BAD:
                kwargs = {**valid, param: bad}
                try:
                    with _Quiet():
                        call(**kwargs)
                except ApprovalClockError:
                    pass
                except Exception as e:  # the point of the test: nothing else escapes
                    leaks.append(f"{name}({param}={bad!r}): {type(e).__name__}: {e}")
                plt.close("all")
    assert not leaks, "\n".join(leaks[:40])


class _Quiet:
    """Silence warnings (``RecordsWarning`` for mixed id types) while a bad call runs."""

    def __enter__(self) -> None:
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc: Any) -> None:
        self._catch.__exit__(*exc)


def test_wrong_types_name_the_argument(result: Analysis, tmp_path: Path) -> None:
    stages, _ = frames()
    cn = calendars.get("CN")
    # Typed as Any: these calls are wrong on purpose.
    a: Any = analyze
    r: Any = result
    lc: Any = limit_compression
    kfp: Any = kpis_from_parts
    calls: list[tuple[Callable[[], object], str]] = [
        (lambda: a(stages, calendar=cn, case=["case"]), "case:"),
        (lambda: a(stages, calendar=cn, accepted={"a": 1}), "accepted:"),
        (lambda: a(stages, calendar=cn, limit_unit=["wd"]), "limit_unit:"),
        (lambda: r.kpis(by={"office": 1}), "by:"),
        (lambda: r.kpis(by=["office", ["stage"]]), "by[1]:"),
        (lambda: r.kpis(by="office", month=None), "month:"),
        (lambda: r.view(lang=["zh"]), "lang:"),
        (lambda: r.view(catalog=20), "catalog:"),
        (lambda: r.plot(kind=None), "kind:"),
        (lambda: r.plot(ax="left"), "ax:"),
        (lambda: r.to_excel(None), "path:"),
        (lambda: lc(pd.DataFrame({"s": [1]}), statutory=["s"]), "statutory:"),
        (lambda: kfp({"stages": "3"}), "KPI parts['stages']:"),
    ]
    for call, where in calls:
        with pytest.raises(ArgumentTypeError) as caught:
            call()
        assert str(caught.value).startswith(where), str(caught.value)
        assert isinstance(caught.value, TypeError)


def test_column_type_errors_are_argument_type_errors(cn: WorkCalendar) -> None:
    # The column's dtype cannot hold dates: about the contents, and still a wrong type.
    frame = pd.DataFrame(
        {"case": [1], "stage": ["s"], "limit": [5], "accepted": [44426], "completed": [None]}
    )
    with pytest.raises(ColumnTypeError, match="excel_serial=True") as caught:
        analyze(frame, calendar=cn, as_of=AS_OF)
    assert isinstance(caught.value, ArgumentTypeError)


def test_bad_values_of_the_right_type_are_records_errors(result: Analysis) -> None:
    stages, _ = frames()
    cn = calendars.get("CN")
    r: Any = result  # a month that is not one: wrong on purpose
    for call, match in (
        (lambda: analyze(stages, calendar=cn, limit_unit="days", as_of=AS_OF), "limit_unit"),
        (lambda: analyze(stages, calendar=cn, warn_within=-1, as_of=AS_OF), "warn_within"),
        (lambda: r.kpis(by="office", month="closed"), "month"),
        (lambda: result.kpis(by=[]), "by"),
        (lambda: limit_compression({"statutory": [1, 2], "committed": [1]}), "catalog"),
    ):
        with pytest.raises(RecordsError, match=match):
            call()


def test_limit_compression_takes_a_mapping_of_columns() -> None:
    # One item given as a dict of numbers, or several as a dict of lists.
    one = limit_compression({"statutory": 20, "committed": 10})
    assert (one["items"], one["compression"]) == (1, 0.5)
    two = limit_compression({"statutory": [20, 10], "committed": [5, 10]})
    assert two == limit_compression(pd.DataFrame({"statutory": [20, 10], "committed": [5, 10]}))


# -- one code space for the ids of both frames ---------------------------------------------


def _many_stage_names(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(12)
    case = rng.integers(0, n // 2, size=n).astype(str)
    stage = np.char.add("s", rng.integers(0, n, size=n).astype(str))
    accepted = np.datetime64("2021-03-01") + rng.integers(0, 200, size=n)
    completed = accepted + rng.integers(0, 30, size=n)
    stages = pd.DataFrame(
        {
            "case": case,
            "stage": stage,
            "accepted": accepted.astype("datetime64[s]"),
            "completed": completed.astype("datetime64[s]"),
            "limit": rng.integers(0, 10, size=n),
        }
    )
    row = rng.integers(0, n, size=n // 3)
    paused = accepted[row] + rng.integers(0, 20, size=len(row))
    pauses = pd.DataFrame(
        {
            "case": case[row],
            "stage": np.where(rng.random(len(row)) < 0.1, "nowhere", stage[row]),
            "paused": paused.astype("datetime64[s]"),
            "resumed": (paused + rng.integers(0, 9, size=len(row))).astype("datetime64[s]"),
        }
    )
    return stages, pauses


def test_sorted_and_dense_pair_lookups_agree(
    cn: WorkCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    stages, pauses = _many_stage_names(3000)
    # 1,500 cases x ~2,600 stage names: far too many pairs for a dense table.
    sparse = analyze(stages, calendar=cn, pauses=pauses)
    monkeypatch.setattr(_analyze, "DENSE_PAIRS", 10**9)
    dense = analyze(stages, calendar=cn, pauses=pauses)
    assert len(sparse.rejected)  # duplicate (case, stage) pairs
    assert len(sparse.rejected_pauses)  # no such stage
    for name in ("stages", "rejected", "cases", "pauses", "rejected_pauses"):
        pd.testing.assert_frame_equal(getattr(sparse, name), getattr(dense, name))
    pd.testing.assert_frame_equal(sparse.kpis(by="stage"), dense.kpis(by="stage"))


def test_case_and_stage_ids_are_factorised_once(
    cn: WorkCalendar, monkeypatch: pytest.MonkeyPatch
) -> None:
    stages, pauses = _many_stage_names(500)
    calls: list[int] = []
    real = pd.factorize

    def counting(values: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(values))
        return real(values, *args, **kwargs)

    monkeypatch.setattr(pd, "factorize", counting)
    analyze(stages, calendar=cn, pauses=pauses)
    # Case ids and stage ids, each of both frames together, once.
    assert calls == [len(stages) + len(pauses)] * 2

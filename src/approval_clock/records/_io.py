"""Approval records in and out of files: CSV (any encoding) and Excel.

Private helpers for :mod:`approval_clock.records` and the ``records`` command.
Reading keeps every cell as text (ids stay ``"007"``, not ``7``), with blank
cells as missing; Excel workbooks are read with openpyxl through pandas, and
written with openpyxl (``pip install openpyxl (the 'excel' extra; see docs/install.md)``): the report of
:meth:`~approval_clock.records.Analysis.to_excel` has one sheet per frame.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from approval_clock.errors import MissingExtraError, RecordsError

EXCEL_ROWS = 1_048_576
"""Rows in an Excel sheet, the header row included."""

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
_MIDNIGHT = r"^(\d{4}-\d\d-\d\d) 00:00:00$"


def _openpyxl() -> None:
    try:
        importlib.import_module("openpyxl")
    except ImportError:
        raise MissingExtraError(
            "Excel files need openpyxl; install it with pip install openpyxl (the 'excel' extra; see docs/install.md)"
        ) from None


def read_table(path: str | Path, *, encoding: str | None = None, sheet: str | None = None) -> Any:
    """A CSV or Excel file of records as a frame of text (blank cells missing).

    Raises ``FileNotFoundError``, ``pandas.errors.EmptyDataError``,
    ``pandas.errors.ParserError``, ``UnicodeDecodeError``, ``LookupError`` (an
    unknown encoding) or ``ValueError`` (a sheet that is not there, a file that
    is not a workbook): the caller words them.
    """
    path = Path(path)
    if path.suffix.lower() in EXCEL_SUFFIXES:
        _openpyxl()
        if not path.exists():
            raise FileNotFoundError(path)
        frame = pd.read_excel(path, sheet_name=sheet or 0, dtype=str, engine="openpyxl")
        if not len(frame.columns):
            raise pd.errors.EmptyDataError(f"{path}: no columns")
        # A date cell comes as "2021-08-18 00:00:00": the day alone reads (and prints) better.
        for name in frame.columns:
            frame[name] = frame[name].str.replace(_MIDNIGHT, r"\1", regex=True)
        return frame
    return pd.read_csv(path, dtype=str, skipinitialspace=True, encoding=encoding or "utf-8")


def _sheet_frames(frame: pd.DataFrame, zone: str | None) -> pd.DataFrame:
    """A frame as Excel takes it: the index as columns, dates naive, periods as text."""
    out = frame.reset_index() if _named_index(frame) else frame.reset_index(drop=True)
    for name in out.columns:
        col = out[name]
        if isinstance(col.dtype, pd.DatetimeTZDtype):
            out[name] = (
                col.dt.tz_convert(zone).dt.tz_localize(None) if zone else col.dt.tz_localize(None)
            )
        elif isinstance(col.dtype, pd.PeriodDtype):
            out[name] = col.astype(str).where(col.notna(), None)
        elif isinstance(col.dtype, pd.CategoricalDtype):
            out[name] = col.astype(object)
    out.columns = [str(c) for c in out.columns]
    return out


def _named_index(frame: pd.DataFrame) -> bool:
    return any(n is not None for n in frame.index.names)


def write_excel(
    analysis: Any,
    path: Path,
    totals: Mapping[str, float],
    grouped: pd.DataFrame | None,
    labels: Mapping[str, str],
) -> Path:
    """Write the report of an analysis to ``path`` (see ``Analysis.to_excel``)."""
    _openpyxl()
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise RecordsError(f"to_excel: expected a file name ending in .xlsx, got {str(path)!r}")
    if not path.parent.exists():
        raise RecordsError(f"to_excel: {str(path)!r}: no such directory {str(path.parent)!r}")
    zone = analysis.calendar.timezone
    kpis = pd.DataFrame(
        {
            "KPI": list(totals),
            "label": [labels.get(k, k) for k in totals],
            "value": [None if v != v else v for v in totals.values()],
        }
    )
    sheets: list[tuple[str, pd.DataFrame]] = [("KPIs", kpis)]
    if grouped is not None:
        names = [str(n) for n in grouped.index.names]
        g = grouped.rename(columns=lambda c: labels.get(c, c))
        sheets.append((_title("KPIs by " + ", ".join(names)), g))
    sheets += [
        ("stages", analysis.stages),
        ("rejected", analysis.rejected),
        ("cases", analysis.cases),
        ("pauses", analysis.pauses),
        ("rejected pauses", analysis.rejected_pauses),
    ]
    with pd.ExcelWriter(path, engine="openpyxl", datetime_format="yyyy-mm-dd") as writer:
        for name, frame in sheets:
            data = _sheet_frames(frame, zone)
            per = EXCEL_ROWS - 1
            chunks = max(1, -(-len(data) // per))
            for k in range(chunks):
                title = name if k == 0 else _title(f"{name} ({k + 1})")
                part = data.iloc[k * per : (k + 1) * per]
                part.to_excel(writer, sheet_name=title, index=False)
                sheet = writer.sheets[title]
                sheet.freeze_panes = "A2"
                for i, col in enumerate(part.columns, start=1):
                    width = _width(col, part[col])
                    sheet.column_dimensions[_letter(i)].width = width
    return path


def _title(text: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    for ch in "[]:*?/\\":
        text = text.replace(ch, " ")
    return text[:31]


def _width(name: str, col: pd.Series[Any]) -> float:
    sample = col.head(200).tolist()
    longest = max([len(str(name)), *(len(str(v)) for v in sample)])
    return float(min(max(8, longest + 2), 60))


def _letter(i: int) -> str:
    utils = importlib.import_module("openpyxl.utils")
    return str(utils.get_column_letter(i))


def read_excel_sheets(path: str | Path) -> dict[str, pd.DataFrame]:
    """Every sheet of a workbook (for tests and users checking a report)."""
    _openpyxl()
    sheets: dict[str, pd.DataFrame] = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    return sheets


__all__ = ["EXCEL_ROWS", "read_excel_sheets", "read_table", "write_excel"]

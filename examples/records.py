"""Approval records in pandas: elapsed working days, paused clocks, overdue lists, KPIs.

Run from the repository root (``pip install -e '.[pandas]'`` first)::

    python examples/records.py

``examples/records.ipynb`` analyses ``examples/records.csv`` with the notebook
display and the charts, then the same synthetic year as below;
``examples/records_charts.py`` draws the charts of the documentation from it.
The data set is synthetic and reproducible (a seeded random generator): 300
industrial projects of 2021 in three offices going through five approval stages, with requests for missing documents (补正) that pause the
clock, a few projects still open at the end of the year, a few broken rows, and
the press record of the "land in hand, start building" reform: land delisted on
2021-08-18, planning permit on 2021-08-26, construction permit on 2021-09-10 —
"7 and 18 working days", as the press counts (both ends).
"""

# %%
from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from approval_clock import calendars
from approval_clock.records import analyze, limit_compression

pd.set_option("display.width", 120)
cn = calendars.get("CN")
AS_OF = date(2021, 12, 31)

# Stage, statutory limit (working days), the office's committed limit.
CATALOG = pd.DataFrame(
    {
        "stage": [
            "land registration",
            "planning permit",
            "design review",
            "construction permit",
            "utility connection",
        ],
        "statutory": [30, 20, 20, 15, 10],
        "committed": [5, 7, 10, 7, 5],
    }
).set_index("stage")


OFFICES = np.array(["Xishan", "Dongcheng", "Nanhu"])


def synthetic_records(n_cases: int = 300, seed: int = 2021) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stage rows and pause rows for ``n_cases`` projects in three offices, the same for the same seed."""
    rng = np.random.default_rng(seed)
    names = CATALOG.index.to_numpy()
    case = np.repeat([f"P{k:04d}" for k in range(n_cases)], len(names))
    office = np.repeat(OFFICES[rng.integers(0, 3, n_cases)], len(names))
    stage = np.tile(names, n_cases)
    limit = CATALOG["committed"].to_numpy()[np.tile(np.arange(len(names)), n_cases)]
    start = np.datetime64("2021-01-04") + rng.integers(0, 355, n_cases)
    # Stages start one after another, a few days apart, and take 0-12 calendar days
    # (Nanhu up to 5 more).
    offset = np.cumsum(rng.integers(0, 6, (n_cases, len(names))), axis=1).reshape(-1)
    accepted = np.repeat(start, len(names)) + offset
    slower = np.where(office == "Nanhu", rng.integers(0, 6, len(case)), 0)
    completed = accepted + rng.integers(0, 13, len(case)) + slower
    completed[completed > np.datetime64(AS_OF)] = np.datetime64("NaT")  # still open
    accepted[accepted > np.datetime64(AS_OF)] = np.datetime64(AS_OF)
    stages = pd.DataFrame(
        {
            "case": case,
            "office": office,
            "stage": stage,
            "accepted": accepted.astype("datetime64[s]"),
            "completed": completed.astype("datetime64[s]"),
            "limit": limit,
        }
    )
    # The press record: both permits applied for on the day the land was delisted.
    press = pd.DataFrame(
        {
            "case": "press",
            "office": "Xishan",
            "stage": ["planning permit", "construction permit"],
            "accepted": pd.to_datetime(["2021-08-18", "2021-08-18"]),
            "completed": pd.to_datetime(["2021-08-26", "2021-09-10"]),
            "limit": [7, 20],
        }
    )
    # Broken rows, as real exports have them: they end up in `rejected`.
    broken = pd.DataFrame(
        {
            "case": ["P9001", "P9002", "P9003"],
            "office": "Nanhu",
            "stage": "planning permit",
            "accepted": pd.to_datetime([None, "2021-05-10", "2021-05-10"]),
            "completed": pd.to_datetime(["2021-05-12", "2021-05-07", "2021-05-12"]),
            "limit": [7, 7, -7],
        }
    )
    stages = pd.concat([stages, press, broken], ignore_index=True)
    # One stage in ten waits 1-10 days for missing documents (补正).
    some = rng.choice(len(case), size=len(case) // 10, replace=False)
    paused = accepted[some] + rng.integers(0, 3, len(some))
    pauses = pd.DataFrame(
        {
            "case": case[some],
            "stage": stage[some],
            "paused": paused.astype("datetime64[s]"),
            "resumed": (paused + rng.integers(1, 11, len(some))).astype("datetime64[s]"),
        }
    )
    keep = pauses["paused"] <= pd.Timestamp(AS_OF)
    return stages, pauses[keep].reset_index(drop=True)


stages, pauses = synthetic_records()
print(f"{len(stages)} stage rows, {len(pauses)} pauses")

# %%
result = analyze(stages, calendar=cn, pauses=pauses, as_of=AS_OF)
print(result)
print(f"rows conserved: {len(result.stages)} + {len(result.rejected)} == {len(stages)}")

# %%
# The press record: 6 and 17 working days on the approval clock (the day of
# acceptance is not counted, Civil Code art. 201); 7 and 18 as the press counts.
press = result.stages[result.stages["case"] == "press"]
print(press[["stage", "accepted", "completed", "elapsed", "deadline", "status"]].to_string())
both_ends = cn.count(press["accepted"], press["completed"]).tolist()
print(f"counted both ends, as the press does: {both_ends} working days")

# %%
kpis = pd.Series({k: round(v, 3) for k, v in result.kpis().items()}, dtype=object)
print(kpis.to_string())

# %%
overdue = result.overdue()
print(f"{len(overdue)} overdue stages; the ten most overdue:")
columns = [
    "case",
    "stage",
    "accepted",
    "deadline",
    "elapsed",
    "limit_days",
    "days_overdue",
    "status",
]
print(overdue[columns].head(10).to_string())

# %%
print(result.rejected[["case", "stage", "accepted", "completed", "limit", "reason"]].to_string())
print(result.rejected_pauses["reason"].value_counts().to_string())

# %%
by_office = result.kpis(by="office")
print(by_office[["stages", "done", "on_time_rate", "same_day_rate", "mean_elapsed"]].round(3))

# %%
print(result.cases.sort_values("elapsed", ascending=False).head(5).to_string())

# %%
compression = limit_compression(CATALOG)
print(pd.Series({k: round(v, 3) for k, v in compression.items()}, dtype=object).to_string())

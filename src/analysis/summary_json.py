"""The summary object of `python -m src.cli summary --json`: the plan view shaped as JSON-safe dicts and lists.

The fields are a public interface (README's table, checked by tests/test_docs.py): extend, never break.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from .dates import iso_or_none
from .findings import Finding, findings_frame
from .governance_log import governance_summary
from .headline import headline_records
from .plan_view import PlanView
from .progress import completion, rag_counts, rag_scale, reported_rag_counts, slippage
from .values import is_blank

TASK_FIELDS = [
    "task_id",
    "theme_id",
    "milestone_ref",
    "task_ref",
    "lead",
    "lead_inferred",
    "start_as_written",
    "finish_as_written",
    "planned_start",
    "planned_finish",
    "status",
    "percent_complete",
    "rag",
    "reason",
    "expected_finish",
    "slip_days",
    "forecast_moves",
    "reported_rag",
]


def _json_value(value: object) -> object:
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return iso_or_none(value)
    if hasattr(value, "item"):
        return value.item()
    return value


def _iso_days(series: pd.Series) -> list:
    """Dates as 'YYYY-MM-DD' (None where missing), as `strftime("%Y-%m-%d")` gives them, without a per-value format."""
    values = series.to_numpy()
    missing = np.isnat(values) if values.dtype.kind == "M" else None
    years = values[~missing].astype("datetime64[Y]").astype("int64") + 1970 if missing is not None else None
    if missing is None or (len(years) and (years.min() < 1000 or years.max() > 9999)):  # four-digit years only, else as before
        text = series.dt.strftime("%Y-%m-%d")
        return text.astype("object").where(series.notna(), None).tolist()
    text = np.datetime_as_string(values.astype("datetime64[D]"), unit="D").astype(object)
    text[missing] = None
    return text.tolist()


def _texts(series: pd.Series) -> list:
    """Each value as `str`, None where missing. A text column (pandas' str dtype) and an object column of plain
    `str` values are converted whole; other values one by one."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.astype("object").where(series.notna(), None).tolist()
    values = series.astype("object").tolist()
    if all(type(value) is str or value is None for value in values):
        return values
    return [None if value is None or value != value else str(value) for value in values]


def task_records(tasks: pd.DataFrame) -> list[dict]:
    """The task table as JSON-safe dicts with the summary's field names (column-wise, not cell by cell)."""
    columns: dict[str, list] = {}
    for name in TASK_FIELDS:
        series = tasks[name]
        if name in ("planned_start", "planned_finish", "expected_finish"):
            columns[name] = _iso_days(series)
        elif name in (
            "rag",
            "status",
            "reported_rag",
            "task_id",
            "theme_id",
            "milestone_ref",
            "task_ref",
            "lead",
            "start_as_written",
            "finish_as_written",
            "reason",
        ):
            columns[name] = _texts(series)
        elif name == "lead_inferred":
            columns[name] = [bool(v) for v in series.tolist()]
        elif name in ("slip_days", "forecast_moves"):
            columns[name] = [None if value is pd.NA or value is None else int(value) for value in series.astype("object").tolist()]
        else:  # percent_complete
            columns[name] = [None if value != value else float(value) for value in series.astype("float64").tolist()]
    records = [dict(zip(TASK_FIELDS, values)) for values in zip(*(columns[name] for name in TASK_FIELDS))]
    if "task_id_derived" in tasks:  # trackers only (docs/trackers.md): says which ids the dashboard made
        for record, derived in zip(records, tasks["task_id_derived"].tolist()):
            record["task_id_derived"] = bool(derived)
    return records


def recommendation_records(cov: pd.DataFrame) -> list[dict]:
    return [
        {
            "rec_id": row.rec_id,
            "themes": list(row.themes),
            "tasks": list(row.tasks),
            "rag": _json_value(row.rag) and str(row.rag),
            "kpis": list(row.kpis),
            "findings": list(row.findings),
        }
        for row in cov.itertuples(index=False)
    ]


def finding_records(findings: list[Finding]) -> list[dict]:
    frame = findings_frame(findings)
    return [{k: _json_value(v) for k, v in rec.items() if k != "advice"} | {"advice": rec["advice"]} for rec in frame.to_dict("records")]


def plan_summary(view: PlanView, extra_findings: list[Finding] | None = None) -> dict:
    """The summary object of `python -m src.cli summary --json` (see README for the fields).

    `completion`, `rag` and `slippage` are the older keys (kept as they were); `headline` is the registry's
    figures in order (`headline.HEADLINES`), so a new figure reaches the JSON without a new key."""
    if extra_findings:
        view = replace(view, extra_findings=view.extra_findings + tuple(extra_findings))
    return (
        {
            "workbook": view.plan.workbook,
            "plan_title": view.plan.title,
            "data_status": view.plan.about.get("data_status"),
            "as_at": iso_or_none(view.as_at),
            "tolerance_days": view.tolerance_days,
            "reporting_dates": [iso_or_none(d) for d in view.plan.reporting_dates],
            "completion": completion(view.tasks),
            "rag": rag_counts(view.tasks),
            "slippage": slippage(view.tasks),
            "tasks": task_records(view.tasks),
            "recommendations": recommendation_records(view.coverage),
            "data_quality": finding_records(view.findings),
        }
        | governance_summary(view)
        | _reported_rag(view)
        | {"headline": headline_records(view)}
    )  # `issues`, `decisions` (governance_log.py); trackers' own RAG; the registry's figures


def _reported_rag(view: PlanView) -> dict:
    """`reported_rag`: tasks by the plan's own reported RAG, on its own scale, only where the plan declares one (trackers)."""
    scale = rag_scale(view.plan)
    return {"reported_rag": reported_rag_counts(view.tasks, scale)} if scale else {}

"""The summary every surface shares: the CLI's JSON, the overview's metrics and the exports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .coverage import coverage
from .dates import iso_or_none
from .findings import Finding, findings_frame
from .governance_log import governance_summary
from .plan_workbook import PlanData, load_plan
from .progress import DEFAULT_TOLERANCE_DAYS, completion, rag_counts, rag_scale, reported_rag_counts, slippage, task_table
from .values import is_blank

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PLAN = ROOT / "data" / "improvement_plan.xlsx"
DEFAULT_PERFORMANCE = ROOT / "data" / "performance.xlsx"
PLAN_ENV = "DASHBOARD_PLAN"
PERFORMANCE_ENV = "DASHBOARD_PERFORMANCE"

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


@dataclass
class PlanView:
    """Everything computed once per (plan, reporting date, tolerance): reuse it, don't recompute per widget."""

    plan: PlanData
    as_at: pd.Timestamp
    tolerance_days: int
    tasks: pd.DataFrame
    coverage: pd.DataFrame

    @classmethod
    def build(
        cls,
        plan: PlanData,
        as_at: pd.Timestamp | None = None,
        tolerance_days: int = DEFAULT_TOLERANCE_DAYS,
        kpis: pd.DataFrame | None = None,
    ) -> PlanView:
        as_at = pd.Timestamp(as_at) if as_at is not None else plan.default_as_at()
        tasks = task_table(plan, as_at, tolerance_days)
        return cls(plan, as_at, tolerance_days, tasks, coverage(plan, tasks, kpis))


def _json_value(value: object) -> object:
    if is_blank(value):
        return None
    if isinstance(value, pd.Timestamp):
        return iso_or_none(value)
    if hasattr(value, "item"):
        return value.item()
    return value


def task_records(tasks: pd.DataFrame) -> list[dict]:
    """The task table as JSON-safe dicts with the summary's field names (column-wise, not cell by cell)."""
    columns: dict[str, list] = {}
    for name in TASK_FIELDS:
        series = tasks[name]
        if name in ("planned_start", "planned_finish", "expected_finish"):
            text = series.dt.strftime("%Y-%m-%d")
            columns[name] = text.astype("object").where(series.notna(), None).tolist()
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
            columns[name] = [None if value is None or value != value else str(value) for value in series.astype("object").tolist()]
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
    """The summary object of `python -m src.cli summary --json` (see README for the fields)."""
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
            "data_quality": finding_records(view.plan.findings + list(extra_findings or [])),
        }
        | governance_summary(view)
        | _reported_rag(view)
    )  # `issues`, `decisions` (governance_log.py); trackers' own RAG


def _reported_rag(view: PlanView) -> dict:
    """`reported_rag`: tasks by the plan's own reported RAG, on its own scale, only where the plan declares one (trackers)."""
    scale = rag_scale(view.plan)
    return {"reported_rag": reported_rag_counts(view.tasks, scale)} if scale else {}


def read_plan_file(path: str | Path) -> PlanData:
    """Load a plan workbook from disk (read-only; the file is never changed)."""
    path = Path(path)
    return load_plan(path.read_bytes(), path.name)

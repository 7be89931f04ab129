"""Where the workbooks come from: the embedded ones, the environment variables that name a council's own,
and reading a plan workbook from disk. The CLI and the dashboard's data sources both start here."""

from __future__ import annotations

from pathlib import Path

from .plan_workbook import PlanData, load_plan

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PLAN = ROOT / "data" / "improvement_plan.xlsx"
DEFAULT_PERFORMANCE = ROOT / "data" / "performance.xlsx"
PLAN_ENV = "DASHBOARD_PLAN"
PERFORMANCE_ENV = "DASHBOARD_PERFORMANCE"


def read_plan_file(path: str | Path) -> PlanData:
    """Load a plan workbook from disk (read-only; the file is never changed)."""
    path = Path(path)
    return load_plan(path.read_bytes(), path.name)

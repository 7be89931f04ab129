"""The shared summary, split by what each part holds; this module keeps the old import path working.

- `plan_view.PlanView`: the computing (everything once per plan, reporting date and tolerance);
- `summary_json.plan_summary`: that view shaped as the CLI's JSON summary (README's table);
- `workbook_paths`: the embedded workbooks, the environment variables naming others, reading a plan file;
- `headline.HEADLINES`: the registry of headline figures every surface shows.

New code imports from those modules; the names below stay so existing callers keep working.
"""

from __future__ import annotations

from .plan_view import PlanView
from .summary_json import TASK_FIELDS, finding_records, plan_summary, recommendation_records, task_records
from .workbook_paths import DEFAULT_PERFORMANCE, DEFAULT_PLAN, PERFORMANCE_ENV, PLAN_ENV, ROOT, read_plan_file

__all__ = [
    "DEFAULT_PERFORMANCE",
    "DEFAULT_PLAN",
    "PERFORMANCE_ENV",
    "PLAN_ENV",
    "ROOT",
    "TASK_FIELDS",
    "PlanView",
    "finding_records",
    "plan_summary",
    "read_plan_file",
    "recommendation_records",
    "task_records",
]

"""The plan view: everything computed once per (plan, reporting date, tolerance), shared by every surface.

The JSON shaping of the CLI summary is `summary_json.py`; where the workbooks come from (the embedded
files, the environment variables naming others) is `workbook_paths.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from .coverage import coverage
from .findings import Finding
from .plan_workbook import PlanData
from .progress import DEFAULT_TOLERANCE_DAYS, completion, rag_counts, slippage, task_table


@dataclass
class PlanView:
    """Everything computed once per (plan, reporting date, tolerance): reuse it, don't recompute per widget.

    `extra_findings`: data-quality findings of the other workbooks read with the plan (the performance
    workbook's), so `findings` is every finding a headline figure or the JSON lists."""

    plan: PlanData
    as_at: pd.Timestamp
    tolerance_days: int
    tasks: pd.DataFrame
    coverage: pd.DataFrame
    extra_findings: tuple[Finding, ...] = ()

    @classmethod
    def build(
        cls,
        plan: PlanData,
        as_at: pd.Timestamp | None = None,
        tolerance_days: int = DEFAULT_TOLERANCE_DAYS,
        kpis: pd.DataFrame | None = None,
        tasks: pd.DataFrame | None = None,
    ) -> PlanView:
        """`tasks`: task_table(plan, as_at, tolerance_days) when the caller has it already (the view keeps it)."""
        as_at = pd.Timestamp(as_at) if as_at is not None else plan.default_as_at()
        tasks = task_table(plan, as_at, tolerance_days) if tasks is None else tasks
        return cls(plan, as_at, tolerance_days, tasks, coverage(plan, tasks, kpis))

    @property
    def findings(self) -> list[Finding]:
        """Every data-quality finding: the plan's, then the other workbooks'."""
        return list(self.plan.findings) + list(self.extra_findings)

    # The task table's totals, worked out once per view (the headline figures read each several times).
    # Read-only: a caller that wants to change one takes a copy (or calls the `progress` function itself).
    @cached_property
    def completion(self) -> dict:
        """`progress.completion` of this view's tasks."""
        return completion(self.tasks)

    @cached_property
    def slippage(self) -> dict:
        """`progress.slippage` of this view's tasks."""
        return slippage(self.tasks)

    @cached_property
    def rag_counts(self) -> dict[str, int]:
        """`progress.rag_counts` of this view's tasks."""
        return rag_counts(self.tasks)

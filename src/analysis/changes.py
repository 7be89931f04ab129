"""Changes between two reporting dates: tasks whose RAG, status or forecast moved, recommendations
whose roll-up RAG changed, and data-quality findings new at the later date.

Plain pandas; the task changes are `progress.changes_between` and the recommendation RAG is
`coverage.coverage`, so the figures match every other page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .coverage import coverage
from .findings import FINDING_COLUMNS
from .plan_workbook import PlanData
from .progress import DEFAULT_TOLERANCE_DAYS, changes_between, task_table

REC_CHANGE_COLUMNS = ["rec_id", "recommendation", "rag_before", "rag", "tasks_before", "tasks"]


@dataclass
class Changes:
    """What changed between two reporting dates.

    `tasks`: `progress.changes_between` (tasks whose RAG or status changed or whose forecast moved);
    `recommendations`: recommendations whose roll-up RAG changed (REC_CHANGE_COLUMNS; None = no tasks);
    `data_quality`: findings new at the later date (FINDING_COLUMNS). One workbook holds one set of
    findings, so this is always empty for now; the column contract is kept for a two-workbook comparison.
    """

    from_as_at: pd.Timestamp
    to_as_at: pd.Timestamp
    tasks: pd.DataFrame
    recommendations: pd.DataFrame
    data_quality: pd.DataFrame


def _rag_text(value: object) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def changes_since(
    plan: PlanData, from_as_at: pd.Timestamp, to_as_at: pd.Timestamp, tolerance_days: int = DEFAULT_TOLERANCE_DAYS
) -> Changes:
    """Task, recommendation and data-quality changes from `from_as_at` to `to_as_at`."""
    from_as_at, to_as_at = pd.Timestamp(from_as_at), pd.Timestamp(to_as_at)
    before, after = task_table(plan, from_as_at, tolerance_days), task_table(plan, to_as_at, tolerance_days)
    cov_before, cov_after = coverage(plan, before), coverage(plan, after)
    merged = cov_after[["rec_id", "recommendation", "rag", "tasks"]].merge(
        cov_before[["rec_id", "rag", "tasks"]], on="rec_id", how="left", suffixes=("", "_before")
    )
    merged["rag"] = merged["rag"].map(_rag_text)
    merged["rag_before"] = merged["rag_before"].map(_rag_text)
    merged["tasks"] = merged["tasks"].map(len)
    merged["tasks_before"] = merged["tasks_before"].map(lambda t: len(t) if isinstance(t, tuple) else 0)
    changed = merged["rag"].fillna("") != merged["rag_before"].fillna("")
    recs = merged.loc[changed, REC_CHANGE_COLUMNS].reset_index(drop=True)
    quality = pd.DataFrame({c: pd.Series(dtype="object") for c in FINDING_COLUMNS})
    return Changes(from_as_at, to_as_at, changes_between(before, after), recs, quality)

"""Small workbooks built in code, so each test shows its input beside its expectation."""
from __future__ import annotations

import pandas as pd

from src.xlsx import build_workbook, workbook_bytes

RECS = [(1, "Caseloads are manageable."), (2, "Leaders have performance information."), (3, "Case records are coherent.")]
THEMES = [(1, "Capacity", "Chair One"), (2, "Oversight", "Chair Two")]
THEME_RECS = [(1, 1), (2, 2), (2, 3)]


def frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


def task(task_id, start, finish, lead="Lead A", theme_id=1, milestone_ref="M1", rec_ids="1", text=None):
    task_ref = task_id.split("-")[-1]
    return (task_id, theme_id, milestone_ref, f"Milestone {milestone_ref}", task_ref, text or f"Do {task_id}", lead, start, finish, rec_ids)


TASK_COLUMNS = ["task_id", "theme_id", "milestone_ref", "milestone", "task_ref", "task", "lead", "start", "finish", "rec_ids"]
UPDATE_COLUMNS = ["task_id", "as_at", "status", "percent_complete", "forecast_finish", "actual_finish", "reported_rag", "commentary"]


def update(task_id, as_at, status, percent=None, forecast=None, actual=None, reported=None, commentary=None):
    def day(v):
        return pd.Timestamp(v) if isinstance(v, str) and v[:2].isdigit() else v
    return (task_id, day(as_at), status, percent, day(forecast), day(actual), reported, commentary)


def plan_bytes(tasks: list[tuple], updates: list[tuple] | None = None, about: dict | None = None,
               recs=RECS, themes=THEMES, theme_recs=THEME_RECS, extra: dict[str, pd.DataFrame] | None = None,
               title_rows: dict[str, list[str]] | None = None) -> bytes:
    sheets = {
        "About": frame(["key", "value"], list((about or {"organisation": "Test council", "data_status": "illustrative"}).items())),
        "Recommendations": frame(["rec_id", "recommendation"], recs),
        "Themes": frame(["theme_id", "theme", "chair"], themes),
        "Theme_Recommendations": frame(["theme_id", "rec_id"], theme_recs),
        "Tasks": frame(TASK_COLUMNS, tasks),
    }
    if updates is not None:
        sheets["Updates"] = frame(UPDATE_COLUMNS, updates)
    sheets.update(extra or {})
    return workbook_bytes(build_workbook(sheets, title_rows=title_rows))

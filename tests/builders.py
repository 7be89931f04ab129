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


def plan_bytes(
    tasks: list[tuple],
    updates: list[tuple] | None = None,
    about: dict | None = None,
    recs=RECS,
    themes=THEMES,
    theme_recs=THEME_RECS,
    extra: dict[str, pd.DataFrame] | None = None,
    title_rows: dict[str, list[str]] | None = None,
) -> bytes:
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


def other_council_plan_bytes() -> bytes:
    """A plan written in another council's style: title rows above the headers, other header
    spellings, Excel dates mixed with plan wording, blank leads, extra columns, aliased sheet names."""
    import datetime as dt

    recs = pd.DataFrame(
        {
            "Rec No": [1.0, 2.0, 3.0],
            "Recommendation Text": ["Improve supervision.", "Improve audits.", "Reduce caseloads."],
            "Notes": ["", "", "extra column"],
        }
    )
    themes = pd.DataFrame({"Theme No": [1, 2], "Theme Name": ["Practice", "Workforce"], "Board Chair": ["A. Chair", ""]})
    pairs = pd.DataFrame({"Theme": [1, 2], "Rec": ["1, 2", "3"]})
    tasks = pd.DataFrame(
        {
            "Task ID": ["A1", "A2", "A3", "B1", "B2"],
            "Theme No": [1, 1, 1, 2, 2],
            "Milestone No": ["M1", "M1", "M2", "M1", "M1"],
            "Milestone Description": ["Supervision policy", "", "Audit", "Recruitment", ""],
            "Action": ["Write policy", "Train managers", "Run audits", "Recruit 10 social workers", "Open new team"],
            "Lead Officer": ["Head of Service", "", "QA Manager", "HR Lead", ""],
            "Start Date": [dt.datetime(2023, 4, 1), "Started", "Q2 2023", "May 23", "TBC"],
            "Due Date": [dt.datetime(2023, 6, 30), "Sept 23", "2nd quarter 2024", dt.datetime(2023, 12, 31), "TBC"],
            "Recommendations": ["1", "1", 2.0, "3", "3"],
            "RAG (old)": ["G", "A", "G", "R", ""],
        }
    )
    updates = pd.DataFrame(
        {
            "Task ID": ["A1", "A2", "B1", "B1"],
            "As at": [dt.datetime(2023, 9, 30), dt.datetime(2023, 9, 30), dt.datetime(2023, 9, 30), dt.datetime(2023, 10, 31)],
            "Status": ["Completed", "in progress", "In Progress", "On Hold"],
            "% Complete": [100, 60, 30, None],
            "Forecast": [None, "Nov 23", None, None],
            "Comments": ["Signed off", "Two sessions left", "Advert out", "Paused pending budget"],
        }
    )
    sheets = {"Recommendations": recs, "Programmes": themes, "Theme Recs": pairs, "Action Plan": tasks, "Progress": updates}
    title_rows = {
        name: ["Anytown Borough Council", f"Children's services improvement plan: {name}", ""]
        for name in ("Action Plan", "Recommendations")
    }
    return workbook_bytes(build_workbook(sheets, title_rows=title_rows))

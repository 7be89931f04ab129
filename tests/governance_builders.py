"""A plan with an Issues Log and a Decisions log, built in code (issue 15), beside the expectations in
tests/test_governance_log.py. Reporting dates 31 Jan, 28 Feb and 31 Mar 2017; tolerance 30 days."""

from __future__ import annotations

import pandas as pd

from tests.builders import frame, plan_bytes, task, update

D = pd.Timestamp

ISSUE_COLUMNS = ["issue_id", "issue", "raised", "owner", "task_ids", "theme_id", "impact", "action", "status", "closed"]
DECISION_COLUMNS = ["decision_id", "meeting", "decision", "board", "owner", "task_ids", "due", "status", "outcome"]

TASKS = [
    task("T1", "Started", "Jan 17", text="Recruit ten social workers"),  # overdue at 28 Feb: Red
    task("T2", "Started", "Mar 17", lead="Lead B", text="Write the supervision policy"),  # forecast late within tolerance: Amber
    task("T3", "Started", "Jun 17", lead="Lead B", text="Open the new assessment team"),  # cancelled
    task("T4", "Started", "Dec 17", theme_id=2, rec_ids="2", text="Build the performance report"),  # Green
    task("T5", "Started", "Apr 17", theme_id=2, rec_ids="3", text="Audit case records"),  # forecast beyond tolerance from 31 Mar
]
UPDATES = [
    update("T1", "2017-01-31", "In progress", 40),
    update("T2", "2017-01-31", "In progress", 20),
    update("T3", "2017-01-31", "In progress", 10),
    update("T4", "2017-01-31", "In progress", 5),
    update("T5", "2017-01-31", "In progress", 10),
    update("T1", "2017-02-28", "In progress", 60),
    update("T2", "2017-02-28", "In progress", 40, forecast="2017-04-15"),
    update("T3", "2017-02-28", "Cancelled"),
    update("T4", "2017-02-28", "In progress", 10),
    update("T5", "2017-02-28", "In progress", 20, forecast="2017-05-15"),
    update("T5", "2017-03-31", "In progress", 30, forecast="2017-07-31"),
]
ISSUES = [
    # id, issue, raised, owner, task_ids, theme_id, impact, action, status, closed
    ("I1", "Recruitment freeze", D("2017-01-10"), "HR Lead", "T1", None, "No new posts", "Ask for an exemption", "Open", None),
    ("I2", "Team base not found", D("2017-02-05"), "Estates", "T3", None, "Team cannot open", "Find a base", "Open", None),
    ("I3", "Policy sign-off delayed", D("2017-01-20"), "Lead B", "T2, T99", None, "", "", "Closed", None),
    ("I4", "Data warehouse outage", D("2017-02-10"), None, "", "2", "No reports", "Supplier fix", "closed", D("2017-03-15")),
    ("I5", "Audit tool licence", D("2017-03-20"), "QA Lead", "T5", "9", "", "", "Open", None),
    ("I6", "Raised after March", D("2017-04-10"), "QA Lead", "T4", None, "", "", "Open", None),
]
DECISIONS = [
    # id, meeting, decision, board, owner, task_ids, due, status, outcome
    ("D1", D("2017-01-31"), "Fund two agency social workers", "QIB", "HR Lead", "T1", D("2017-02-28"), "Taken", "Agreed"),
    ("D2", D("2017-02-28"), "Approve the supervision policy", "QIB", None, "T2", D("2017-04-30"), "Taken", "Approved"),
    ("D3", D("2017-04-30"), "Agree the audit re-plan", "QIB", "QA Lead", "T5, T42", None, "Needed", ""),
    ("D4", D("2017-02-28"), "Close the old team base", "QIB", "Estates", "", None, "Done", "Closed"),
    ("D5", D("2017-03-31"), "Choose a new IT supplier", "QIB", "IT Lead", "", None, "pending", ""),
]


def governance_plan(issues=ISSUES, decisions=DECISIONS) -> bytes:
    extra = {}
    if issues is not None:
        extra["Issues"] = frame(ISSUE_COLUMNS, issues)
    if decisions is not None:
        extra["Decisions"] = frame(DECISION_COLUMNS, decisions)
    return plan_bytes(TASKS, UPDATES, extra=extra)

"""The LSCB (Local Safeguarding Children Board) action plan at the reporting date D: each action's due
date, status and timeliness in words, and the counts the Risks and LSCB page shows.

Plain pandas. Overdue LSCB actions as board exceptions are `exceptions.exceptions` (kind "LSCB overdue").
"""

from __future__ import annotations

import pandas as pd

from .dates import format_date
from .exceptions import DEFAULT_DUE_WITHIN_DAYS
from .plan_workbook import PlanData, TaskStatus
from .wording import days as _days

LSCB_COLUMNS = ["action_id", "action", "lead", "timescale_as_written", "due", "status", "timeliness", "commentary", "days_to_due"]


def lscb_status(plan: PlanData, as_at: pd.Timestamp) -> pd.DataFrame:
    """LSCB actions at D: due as text (`31 Mar 2017`, blank when not set), days_to_due (days from D to the
    due date, negative when past; missing when not set), status ("Not reported" when blank) and timeliness: "Complete", "Cancelled", "Overdue by N days", "Due today", "Due in N days"
    or "No due date"."""
    as_at = pd.Timestamp(as_at)
    actions = plan.lscb_actions.reset_index(drop=True)
    due = pd.to_datetime(actions["due"]) if not actions.empty else pd.Series(dtype="datetime64[ns]")
    timeliness, statuses = [], []
    for status, d in zip(actions["status"], due):
        text = str(status) if isinstance(status, str) else "Not reported"
        statuses.append(text)
        if text in (TaskStatus.COMPLETE, TaskStatus.CANCELLED):
            timeliness.append(text)
        elif pd.isna(d):
            timeliness.append("No due date")
        elif d < as_at:
            timeliness.append(f"Overdue by {_days((as_at - d).days)}")
        elif d == as_at:
            timeliness.append("Due today")
        else:
            timeliness.append(f"Due in {_days((d - as_at).days)}")
    return pd.DataFrame(
        {
            "action_id": actions["action_id"].astype("object"),
            "action": actions["action"],
            "lead": actions["lead"],
            "timescale_as_written": actions["timescale_as_written"],
            "due": [format_date(d) for d in due],
            "status": statuses,
            "timeliness": timeliness,
            "commentary": actions["commentary"],
            "days_to_due": pd.array([None if pd.isna(d) else (d - as_at).days for d in due], dtype="Int64"),
        },
        columns=LSCB_COLUMNS,
    )


def lscb_counts(lscb: pd.DataFrame, due_within_days: int = DEFAULT_DUE_WITHIN_DAYS) -> dict[str, int]:
    """Counts of lscb_status(): all, overdue, due within the window (today included), complete, no due date.
    Open actions only are overdue or due; `due_within_days` is the same window as the exceptions' "due soon"."""
    open_ = ~lscb["status"].isin([str(TaskStatus.COMPLETE), str(TaskStatus.CANCELLED)])
    days = lscb["days_to_due"]
    return {
        "LSCB actions": len(lscb),
        "Overdue": int((open_ & days.lt(0).fillna(False)).sum()),
        f"Due in the next {due_within_days} days": int((open_ & days.between(0, due_within_days).fillna(False)).sum()),
        "Complete": int((lscb["status"] == str(TaskStatus.COMPLETE)).sum()),
        "No due date": int((open_ & days.isna()).sum()),
    }

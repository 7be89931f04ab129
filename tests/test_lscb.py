"""The LSCB action plan's status and counts (src/analysis/lscb.py) against hand-computed cases.

Unless a test says otherwise: D = 31 Dec 2016.
"""

import pandas as pd

from src.analysis.lscb import LSCB_COLUMNS, lscb_counts, lscb_status
from src.analysis.plan_workbook import load_plan
from tests.builders import frame, plan_bytes, task

D = pd.Timestamp("2016-12-31")


def plan_of(tasks, updates=None, extra=None):
    return load_plan(plan_bytes(tasks, updates, extra=extra), "test.xlsx")


def lscb(rows):
    return {"LSCB_Actions": frame(["action_id", "action", "lead", "timescale", "status", "commentary"], rows)}


class TestLscbStatus:
    def test_due_as_text_status_and_timeliness(self):
        extra = lscb(
            [
                (1, "A", "L", "October 2016", None, None),
                (2, "B", "L", "November 2016", "Complete", None),
                (3, "C", "L", "December 2016", "In progress", None),
                (4, "D", "L", "Jan 17", None, None),
                (5, "E", "L", "TBC", None, None),
            ]
        )
        table = lscb_status(plan_of([task("T1", "Started", "June 17")], extra=extra), D)
        assert list(table.columns) == LSCB_COLUMNS
        assert list(table["due"]) == ["31 Oct 2016", "30 Nov 2016", "31 Dec 2016", "31 Jan 2017", ""]
        assert list(table["status"]) == ["Not reported", "Complete", "In progress", "Not reported", "Not reported"]
        assert list(table["timeliness"]) == ["Overdue by 61 days", "Complete", "Due today", "Due in 31 days", "No due date"]
        # 31 Oct -> 31 Dec 2016 is 30 + 31 = 61 days; 31 Dec 2016 -> 31 Jan 2017 is 31 days
        assert table["days_to_due"].tolist() == [-61, -31, 0, 31, pd.NA]

    def test_one_day_either_side_and_a_cancelled_action(self):
        extra = lscb(
            [
                (1, "A", "L", "30 Dec 2016", "cancelled", None),  # past due but cancelled: not overdue
                (2, "B", "L", "30 Dec 2016", "In progress", None),
                (3, "C", "L", "1 Jan 2017", "In progress", None),
            ]
        )
        table = lscb_status(plan_of([task("T1", "Started", "June 17")], extra=extra), D)
        assert list(table["status"]) == ["Cancelled", "In progress", "In progress"]
        assert list(table["timeliness"]) == ["Cancelled", "Overdue by 1 day", "Due in 1 day"]
        assert lscb_counts(table, 30) == {
            "LSCB actions": 3,
            "Overdue": 1,
            "Due in the next 30 days": 1,
            "Complete": 0,
            "No due date": 0,
        }

    def test_a_plan_without_an_lscb_sheet_has_an_empty_table_with_the_columns(self):
        table = lscb_status(plan_of([task("T1", "Started", "June 17")]), D)
        assert table.empty and list(table.columns) == LSCB_COLUMNS
        assert lscb_counts(table)["LSCB actions"] == 0


class TestLscbCounts:
    """lscb_counts: one home for the LSCB page's counts (no regex over display text, one due-soon window)."""

    def test_counts_from_days_to_due_hand_worked(self):
        lscb = pd.DataFrame(
            {
                "status": ["Not reported", "Complete", "In progress", "Not reported", "Not reported", "In progress"],
                "days_to_due": pd.array([-61, -5, 0, 31, None, 30], dtype="Int64"),
            }
        )
        # Open: rows 0, 2, 3, 4, 5. Overdue: row 0 (row 1 is complete). Due within 30 days: rows 2 (today) and 5.
        assert lscb_counts(lscb, 30) == {
            "LSCB actions": 6,
            "Overdue": 1,
            "Due in the next 30 days": 2,
            "Complete": 1,
            "No due date": 1,
        }

    def test_the_window_is_a_setting(self):
        lscb = pd.DataFrame({"status": ["In progress"], "days_to_due": pd.array([31], dtype="Int64")})
        assert lscb_counts(lscb, 31)["Due in the next 31 days"] == 1
        assert lscb_counts(lscb, 30)["Due in the next 30 days"] == 0

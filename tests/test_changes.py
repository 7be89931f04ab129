"""Changes between two reporting dates (src/analysis/changes.py) against a hand-computed case.

Tolerance 30 days; the plan's reporting dates are those in the updates given.
"""

import pandas as pd

from src.analysis.changes import REC_CHANGE_COLUMNS, changes_since
from src.analysis.findings import FINDING_COLUMNS
from src.analysis.plan_workbook import load_plan
from tests.builders import plan_bytes, task, update

T = pd.Timestamp


def plan_of(tasks, updates=None, extra=None):
    return load_plan(plan_bytes(tasks, updates, extra=extra), "test.xlsx")


class TestChangesSince:
    def test_task_and_recommendation_changes_and_empty_findings_contract(self):
        # T1 (rec 1) due 31 Dec 16, forecast 20 Jan 17 at 30 Nov: Amber (20 days late, within tolerance);
        # re-forecast 28 Feb 17 at 31 Dec: Red (59 days late). T2 (rec 2) Green both times.
        plan = plan_of(
            [task("T1", "Started", "Dec 16", rec_ids="1"), task("T2", "Started", "June 17", rec_ids="2", theme_id=2)],
            [
                update("T1", "2016-11-30", "In progress", 50, forecast="2017-01-20"),
                update("T2", "2016-11-30", "In progress"),
                update("T1", "2016-12-31", "In progress", 60, forecast="2017-02-28"),
            ],
        )
        changes = changes_since(plan, T("2016-11-30"), T("2016-12-31"), 30)
        assert list(changes.tasks["task_id"]) == ["T1"]
        assert changes.tasks["rag_before"].iloc[0] == "Amber" and changes.tasks["rag"].iloc[0] == "Red"
        assert changes.tasks["forecast_moved_days"].iloc[0] == 39  # 28 Feb - 20 Jan
        assert list(changes.recommendations.columns) == REC_CHANGE_COLUMNS
        recs = changes.recommendations.set_index("rec_id")
        assert list(recs.index) == ["1"] and recs.loc["1", "rag_before"] == "Amber" and recs.loc["1", "rag"] == "Red"
        assert changes.data_quality.empty and list(changes.data_quality.columns) == FINDING_COLUMNS

"""explore(): every grouping and measure against a six-task plan worked out by hand.

Reporting date D = 31 Mar 2017, tolerance 30 days.
  T1 theme 1  Lead A   Jan 17 -> Feb 17 (F 28 Feb 2017)   Complete, actual 10 Mar 2017: slip 10, Blue
  T2 theme 1  (Lead A, inferred) Jan 17 -> June 17 (F 30 Jun)  In progress, forecast 20 Jul: slip 20, Amber
  T3 theme 2  Lead B   Apr 17 -> Q2 2017 (F 30 Jun)       no update, Not started, not yet due to start: slip 0, Green
  T4 theme 2  Lead B   Started -> TBC                     no update, In progress, no finish date: Amber
  T5 theme 2  Lead C   Oct 16 -> Dec 16                   Cancelled
  T6 theme 2  Lead C   Oct 16 -> Jan 17 (F 31 Jan)        In progress, forecast 31 May: slip 120, Red (overdue)
"""

from __future__ import annotations

import pandas as pd
import pytest

from src.analysis.explore import NO_DATE, NO_RECOMMENDATION, explore, quarter_label, tasks_in_group
from src.analysis.plan_workbook import load_plan
from src.analysis.progress import task_table
from tests.builders import plan_bytes, task, update

D = pd.Timestamp("2017-03-31")


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    tasks = [
        task("P1-M1-T1", "Jan 17", "Feb 17", lead="Lead A", theme_id=1, rec_ids="1"),
        task("P1-M1-T2", "Jan 17", "June 17", lead=None, theme_id=1, rec_ids="1, 2"),
        task("P2-M1-T1", "Apr 17", "Q2 2017", lead="Lead B", theme_id=2, rec_ids="3"),
        task("P2-M1-T2", "Started", "TBC", lead="Lead B", theme_id=2, rec_ids=None),
        task("P2-M2-T1", "Oct 16", "Dec 16", lead="Lead C", theme_id=2, milestone_ref="M2", rec_ids="3"),
        task("P2-M2-T2", "Oct 16", "Jan 17", lead="Lead C", theme_id=2, milestone_ref="M2", rec_ids=None),
    ]
    updates = [
        update("P1-M1-T1", "2017-03-31", "Complete", actual="2017-03-10"),
        update("P1-M1-T2", "2017-03-31", "In progress", 40, forecast="2017-07-20"),
        update("P2-M2-T1", "2017-03-31", "Cancelled"),
        update("P2-M2-T2", "2017-03-31", "In progress", 50, forecast="2017-05-31"),
    ]
    return task_table(load_plan(plan_bytes(tasks, updates), "t.xlsx"), D, 30)


class TestExploreByTheme:
    def test_completion_and_planned_completion_leave_cancelled_out(self, table):
        result = explore(table, "theme", "completion rate").set_index("group")
        assert list(result.index) == ["1. Capacity", "2. Oversight"]
        assert result["tasks"].tolist() == [2, 4]
        assert result["completion_rate"].tolist() == [0.5, 0.0]
        planned = explore(table, "theme", "planned completion").set_index("group")["planned_rate"]
        assert planned.tolist() == pytest.approx([0.5, 1 / 3])

    def test_slip_measures_count_only_slipped_tasks(self, table):
        assert explore(table, "theme", "slipped tasks")["slipped"].tolist() == [2, 1]
        assert explore(table, "theme", "total slip days")["total_slip_days"].tolist() == [30, 120]
        assert explore(table, "theme", "median slip days")["median_slip_days"].tolist() == [15.0, 120.0]

    def test_rag_mix_gives_a_count_per_rag(self, table):
        mix = explore(table, "theme", "RAG mix").set_index("group")
        assert mix.loc["2. Oversight", ["Red", "Amber", "Green", "Blue", "Cancelled"]].tolist() == [1, 1, 1, 0, 1]
        assert mix.loc["1. Capacity", ["Red", "Amber", "Green", "Blue", "Cancelled"]].tolist() == [0, 1, 0, 1, 0]


class TestExploreOtherGroupings:
    def test_lead_uses_the_inferred_lead(self, table):
        result = explore(table, "lead", "task count")
        assert result[["group", "tasks"]].values.tolist() == [["Lead A", 2], ["Lead B", 2], ["Lead C", 2]]

    def test_recommendation_counts_a_task_under_each_of_its_recommendations(self, table):
        result = explore(table, "recommendation", "task count")
        assert result[["group", "tasks"]].values.tolist() == [
            ["Recommendation 1", 2],
            ["Recommendation 2", 1],
            ["Recommendation 3", 2],
            [NO_RECOMMENDATION, 2],
        ]

    def test_status_in_workflow_order(self, table):
        result = explore(table, "status", "task count")
        assert result[["group", "tasks"]].values.tolist() == [["Not started", 1], ["In progress", 3], ["Complete", 1], ["Cancelled", 1]]

    def test_rag_grouping(self, table):
        result = explore(table, "RAG", "task count")
        assert result[["group", "tasks"]].values.tolist() == [["Red", 1], ["Amber", 2], ["Green", 1], ["Blue", 1], ["Cancelled", 1]]

    def test_finish_quarter_in_date_order_with_no_date_last(self, table):
        result = explore(table, "finish quarter", "task count")
        assert result[["group", "tasks"]].values.tolist() == [["2016 Q4", 1], ["2017 Q1", 2], ["2017 Q2", 2], [NO_DATE, 1]]

    def test_start_quarter_started_tasks_have_no_date(self, table):
        result = explore(table, "start quarter", "task count")
        assert result[["group", "tasks"]].values.tolist() == [["2016 Q4", 2], ["2017 Q1", 2], ["2017 Q2", 1], [NO_DATE, 1]]

    def test_milestone_labels_carry_theme_and_ref(self, table):
        result = explore(table, "milestone", "completion rate")
        assert result["group"].tolist() == ["Theme 1 M1: Milestone M1", "Theme 2 M1: Milestone M1", "Theme 2 M2: Milestone M2"]
        assert result["completion_rate"].tolist()[0] == 0.5
        assert result["completion_rate"].tolist()[2] == 0.0  # T5 cancelled, T6 open


class TestTasksInGroup:
    def test_drill_down_returns_the_tasks_behind_a_group(self, table):
        assert tasks_in_group(table, "recommendation", "Recommendation 1")["task_id"].tolist() == ["P1-M1-T1", "P1-M1-T2"]
        assert tasks_in_group(table, "finish quarter", NO_DATE)["task_id"].tolist() == ["P2-M1-T2"]
        assert tasks_in_group(table, "theme", "no such group").empty


def test_quarter_label():
    assert quarter_label(pd.Timestamp("2017-03-31")) == "2017 Q1"
    assert quarter_label(pd.Timestamp("2017-04-01")) == "2017 Q2"
    assert quarter_label(pd.NaT) == NO_DATE
    assert quarter_label(None) == NO_DATE

"""Tests of src/analysis/narrative.py: the plain-English story the overview and the brief share, on a small
hand-worked plan (moved from test_briefing.py: one place per module's tests)."""

from __future__ import annotations

import pandas as pd

from src.analysis.narrative import (
    board_decisions,
    clip_sentences,
    oldest_overdue_task,
    plan_narrative,
    recommendation_without_impact,
    worst_slipping_theme,
)
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import load_plan
from tests.builders import plan_bytes, task, update


def small_plan():
    """T1 theme 1: finish 31 Jan 17, still open at D=28 Feb 17 (overdue: Red at D, and Red at P=31 Jan? no:
    at P it is due that day, Green). T2 theme 2: finish 30 Jun 17, forecast 31 Aug 17 at D (62 days late,
    beyond 30: Red; at P forecast on time: Green). T3 theme 2: complete 15 Feb 17 (finish 31 Jan: 15 days late)."""
    tasks = [
        task("T1", "Jan 17", "January 17", theme_id=1, rec_ids="1", text="Write the supervision policy"),
        task("T2", "Jan 17", "June 17", theme_id=2, milestone_ref="M1", rec_ids="2", text="Recruit ten social workers"),
        task("T3", "Jan 17", "January 17", theme_id=2, milestone_ref="M2", rec_ids="2", text="Audit case files"),
    ]
    updates = [
        update("T1", "2017-01-31", "In progress"),
        update("T2", "2017-01-31", "In progress", forecast="2017-06-30"),
        update("T3", "2017-01-31", "In progress"),
        update("T1", "2017-02-28", "In progress"),
        update("T2", "2017-02-28", "In progress", forecast="2017-08-31", commentary="Recruitment fair moved. Second fair in July."),
        update("T3", "2017-02-28", "Complete", actual="2017-02-15"),
    ]
    return load_plan(plan_bytes(tasks, updates), "small.xlsx")


class TestNarrative:
    def test_hand_computed_sentences_questions_and_decisions(self):
        plan = small_plan()
        view, before = PlanView.build(plan, "2017-02-28", 30), PlanView.build(plan, "2017-01-31", 30)
        assert dict(zip(view.tasks["task_id"], view.tasks["rag"].astype(str))) == {"T1": "Red", "T2": "Red", "T3": "Blue"}
        story = plan_narrative(view, before)
        assert story.headline == [
            "At 28 Feb 2017, 1 of 3 tasks are complete (33%); the plan expected 67% by this date, so delivery is 34 percentage points behind the plan."
        ]
        assert story.on_track == ["Of the 2 tasks still open: 2 off track (Red)."]
        # T1 overdue: expected finish D, 28 days after 31 Jan; T2 62 days (31 Aug vs 30 Jun); T3 15 days: median 28
        assert story.slipped[0].startswith("3 tasks finished or are forecast to finish later than planned, by a median of 28 days")
        assert "'Recruit ten social workers', by 62 days" in story.slipped[0]
        assert story.changed[0] == "Since 31 Jan 2017: 1 task completed, 2 tasks became Red, 0 tasks became Amber and 1 forecast moved."
        assert story.rag_change == {"Red": 2, "Amber": 0, "Green": -3, "Blue": 1, "Cancelled": 0}
        # The one definition (governance_log.decisions_needed, no Decisions sheet here): tasks forecast beyond the
        # 30-day tolerance for the first time. T2: 62 days (31 Aug vs 30 Jun); T1 is overdue but only 28 days late.
        decisions = board_decisions(view)
        assert list(decisions["task_id"]) == ["T2"] and decisions.attrs["from_log"] is False
        assert decisions.iloc[0]["decision"].startswith("Agree a re-plan for 'Recruit ten social workers'")
        assert list(board_decisions(PlanView.build(plan, "2017-03-31", 30))["task_id"]) == ["T1"]  # 59 days by then
        theme = worst_slipping_theme(view)
        assert (theme["theme_id"], theme["slipped"], theme["total_days"], theme["still_open"]) == ("2", 1, 62, True)
        assert oldest_overdue_task(view)["task_id"] == "T1"
        assert recommendation_without_impact(view)["rec_id"] == "3"  # no task addresses rec 3 (no KPIs given)
        assert story.questions[0].startswith("Theme 2 (Oversight) has slipped most: 1 open task running 62 days late")
        assert "'Write the supervision policy'" in story.questions[1] and "was due on 31 Jan 2017, 28 days ago" in story.questions[1]
        assert story.questions[2].startswith("Recommendation 3 ('Case records are coherent.') has no task")

    def test_governance_log_decisions_map_onto_the_documents_columns(self):
        from src.analysis.narrative import DECISION_COLUMNS, decisions_from_log_table

        view = PlanView.build(small_plan(), "2017-02-28", 30)
        log = pd.DataFrame(
            {
                "Decision ID": ["D1", "T2"],
                "Decision": ["Approve agency budget", "Agree a re-plan for 'Recruit ten social workers'"],
                "Owner": ["Director", "Lead A"],
                "Tasks": ["T1", ""],
                "When": ["QIB 31 Mar 2017", "Next meeting: newly beyond tolerance at 28 Feb 2017"],
            }
        )
        mapped = decisions_from_log_table(view, log)
        assert list(mapped.columns) == DECISION_COLUMNS
        assert list(mapped["task_id"]) == ["T1", "T2"]
        assert list(mapped["task"]) == ["Write the supervision policy", "Recruit ten social workers"]
        assert list(mapped["decision"]) == list(log["Decision"]) and list(mapped["lead"]) == ["Director", "Lead A"]
        story = plan_narrative(view, None, mapped)
        assert story.decisions == ["The board is asked to make 2 decisions, listed under decisions needed."]

    def test_no_tasks_and_no_previous_date(self):
        plan = load_plan(plan_bytes([task("T1", "Jan 17", "TBC")]), "one.xlsx")
        story = plan_narrative(PlanView.build(plan, "2017-03-31", 30))
        assert story.changed == ["This is the first reporting date, so there is nothing to compare with."]
        assert story.rag_before is None and len(story.questions) == 3

    def test_clip_sentences_keeps_whole_sentences(self):
        assert clip_sentences("One. Two two. Three three three.", 14) == ("One. Two two.", True)
        assert clip_sentences("Short.", 100) == ("Short.", False)
        cut, was_cut = clip_sentences("word " * 50, 30)
        assert was_cut and cut.endswith("…") and len(cut) <= 30

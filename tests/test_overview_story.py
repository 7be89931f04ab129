"""Issue 14: the overview leads with the brief's own plain-English summary, RAG tiles carry their change,
counts carry what they include, and roll-ups lead with their counts."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from src.analysis.coverage import NO_KPI, NO_TASK, NO_THEME, findings_breakdown, findings_words
from src.analysis.governance_log import decisions_needed
from src.analysis.headline import HEADLINES, Group, Unit, change_words, figure
from src.analysis.narrative import plan_narrative
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import TaskStatus
from src.analysis.progress import rollup_words, scope_words
from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file
from src.ui.metrics import metric_rows
from src.ui.safe import md
from tests.apptest_helpers import run_page, use_embedded_workbooks  # noqa: F401 (an autouse fixture)

ROOT = Path(__file__).resolve().parents[1]
OVERVIEW = str(ROOT / "pages" / "1_overview.py")


class TestWords:
    def test_rollup_words_lead_with_the_counts(self):
        assert rollup_words({"Red": 1, "Blue": 4}) == "1 of 5 tasks off track, 4 complete"
        assert rollup_words({"Red": 2, "Amber": 5, "Green": 9, "Blue": 17, "Cancelled": 1}) == (
            "2 of 33 tasks off track, 5 at risk, 9 on track, 17 complete (1 cancelled not counted)"
        )
        assert rollup_words({"Amber": 1, "Green": 0, "Blue": 0}) == "1 of 1 task at risk"
        assert rollup_words({"Blue": 3}) == "all 3 tasks complete"
        assert rollup_words({"Cancelled": 2}) == "no tasks in scope, 2 cancelled"

    def test_scope_words_name_the_cancelled_task(self):
        table = pd.DataFrame({"status": [TaskStatus.COMPLETE, TaskStatus.CANCELLED, TaskStatus.IN_PROGRESS]})
        assert scope_words(table) == "2 tasks in scope, 1 cancelled not counted"
        assert scope_words(table.iloc[[0]]) == "1 task in scope"

    def test_findings_words_count_each_recommendation_once_by_its_worst_finding(self):
        findings = [
            [NO_TASK, "The plan names it under theme 4, but no task in that theme addresses it."],
            [NO_THEME],
            [NO_KPI],
            [NO_KPI],
            [],
        ]
        assert findings_breakdown(findings) == {"no task": 1, "themes and tasks do not match": 1, "no measure of impact": 2}
        assert (
            findings_words(findings) == "1 has no task; 1 more has themes and tasks that do not match; 2 more only lack a measure of impact"
        )
        assert findings_words([[], []]) == ""

    def test_rag_tiles_carry_the_change_in_words_and_a_colour_by_meaning(self):
        def view(counts):  # just the view's RAG counts: all the RAG figures read
            return SimpleNamespace(rag_counts=counts)

        rag = [h for h in HEADLINES if h.group is Group.RAG]
        now = [figure(h, view({"Red": 2, "Amber": 5, "Green": 9, "Blue": 17, "Cancelled": 1})) for h in rag]
        before = [figure(h, view({"Red": 3, "Amber": 4, "Green": 15, "Blue": 11, "Cancelled": 1})) for h in rag]
        tiles = {m.label: m for m in metric_rows(now, before, "28 Feb 2017")[Group.RAG]}
        assert (tiles["Amber: at risk"].value, tiles["Amber: at risk"].delta) == ("5", "up 1")
        assert tiles["Amber: at risk"].delta_color == "inverse"  # more Amber is bad news: red ("up 1" is not negative text)
        assert (tiles["Red: off track"].delta, tiles["Red: off track"].delta_color) == ("down 1", "normal")  # good news: green
        assert (tiles["Blue: complete"].delta, tiles["Blue: complete"].delta_color) == ("up 6", "normal")
        assert (tiles["Cancelled (not counted)"].delta, tiles["Cancelled (not counted)"].delta_color) == ("no change", "off")
        assert tiles["Red: off track"].help == "Tasks rated Red at the reporting date. 3 at 28 Feb 2017."
        assert change_words(Unit.COUNT, 0, 2) == "down 2"


@pytest.fixture(scope="module")
def overview_31_mar():
    return run_page(OVERVIEW, 30, as_at="2017-03-31")


class TestOverviewStory:
    def test_the_summary_is_the_narrative_the_brief_uses(self, overview_31_mar):
        at = overview_31_mar
        assert not at.exception
        plan = read_plan_file(DEFAULT_PLAN)
        from src.analysis.performance_workbook import read_performance_file
        from src.analysis.workbook_paths import DEFAULT_PERFORMANCE

        kpis = read_performance_file(DEFAULT_PERFORMANCE).kpis
        view = PlanView.build(plan, "2017-03-31", 30, kpis)
        before = PlanView.build(plan, "2017-02-28", 30, kpis)
        needed = decisions_needed(view)
        story = plan_narrative(view, before, needed.table, needed.source_text)
        shown = "\n".join(m.value for m in at.markdown)
        for sentence in story.summary_sentences() + story.questions:
            assert md(sentence) in shown, sentence
        assert "**What the board is asked to decide.**" in shown and "Worked out from the data" in shown
        # hand-checked: 17 of 33 complete; Amber 4 -> 5, Red 3 -> 2; Changes page groups incl. Newly Amber
        assert "17 of 33 tasks are complete (52%)" in shown
        assert "1 task became Red, 1 task became Amber" in shown

    def test_tiles_show_denominator_and_change(self, overview_31_mar):
        tiles = {m.label: m for m in overview_31_mar.metric}
        assert tiles["Tasks complete"].value == "17 of 33"
        assert any(c.value == "33 tasks in scope, 1 cancelled not counted" for c in overview_31_mar.caption)
        assert (tiles["Amber: at risk"].value, tiles["Amber: at risk"].proto.delta) == ("5", "up 1")
        assert (tiles["Red: off track"].value, tiles["Red: off track"].proto.delta) == ("2", "down 1")
        assert tiles["Newly Amber"].value == "1"
        assert tiles["Recommendations with coverage findings"].value == "10 of 14"
        assert any(
            c.value == "2 have no task; 3 more have themes and tasks that do not match; 5 more only lack a measure of impact"
            for c in overview_31_mar.caption
        )

    def test_theme_chart_headline_says_the_most_what(self, overview_31_mar):
        headings = [h.value for h in overview_31_mar.header]
        assert any(h.startswith("2 of 33 tasks are Red;") and "the most Red tasks (1 each)" in h for h in headings), headings


class TestOneNumberOneMeaning:
    """The TBC task (P2-M3-T5, finish 'TBC', forecast 30 Sep 2018 at 31 Dec 2017) is treated alike everywhere."""

    def test_tbc_task_is_drawn_to_its_forecast_and_listed_as_drawn(self):
        from src.charts import timeline_notes

        plan = read_plan_file(DEFAULT_PLAN)
        late = PlanView.build(plan, "2017-12-31", 30).tasks
        early = PlanView.build(plan, "2017-03-31", 30).tasks
        assert timeline_notes(late)["P2-M3-T5"] == "drawn: no planned finish, so no planned bar"
        assert timeline_notes(early)["P2-M3-T5"] == "not drawn: no date to finish by"  # no forecast yet at 31 Mar 2017
        at = run_page(str(ROOT / "pages" / "2_timeline.py"), 30, as_at="2017-12-31")
        listing = next(d.value for d in at.dataframe if "On the timeline" in d.value.columns)
        assert listing.set_index("Task code").at["P2-M3-T5", "On the timeline"] == "drawn: no planned finish, so no planned bar"
        assert any("1 drawn to the lead's expected finish, 0 not drawn" in c.value for c in at.caption)

    def test_data_quality_lists_the_task_with_no_finish_date(self):
        from src.analysis.progress import tasks_without_finish

        view = PlanView.build(read_plan_file(DEFAULT_PLAN), "2017-03-31", 30)
        assert list(tasks_without_finish(view.tasks)["task_id"]) == ["P2-M3-T5"]
        at = run_page(str(ROOT / "pages" / "6_data_quality.py"), 30, as_at="2017-03-31")
        assert any("1 task in scope has no finish date" in w.value for w in at.warning)
        assert not any(s.value == "No problems were found in the workbooks." for s in at.success)

    def test_filter_note_counts_tasks_in_scope(self):
        at = run_page(OVERVIEW, 30, as_at="2017-03-31", theme="3")
        # theme 3: 12 tasks, 1 of them cancelled (hand-checked from the roll-up: 11 in scope)
        assert any("Filtered to theme 3: 11 of 33 tasks in scope, 1 cancelled not counted." in i.value for i in at.info)


class TestChartsForProjectors:
    def test_count_axes_tick_whole_numbers_in_16px(self):
        import plotly.graph_objects as go

        from src.charts.base import TICK_FONT_SIZE, apply_layout

        fig = go.Figure([go.Bar(x=[1, 2], y=["a", "b"], orientation="h"), go.Bar(x=[1, 0], y=["a", "b"], orientation="h")])
        apply_layout(fig, "t", "Number of tasks", "Theme")
        # largest stack at most 1 + 2 = 3 tasks: a tick every task, never 0.5
        assert (fig.layout.xaxis.dtick, fig.layout.xaxis.tickformat) == (1, ",d")
        assert fig.layout.yaxis.dtick is None  # the theme axis is not a count
        assert TICK_FONT_SIZE == 16 and fig.layout.xaxis.tickfont.size == 16

"""Drill-down on the pages (issue 14), headless: a simulated chart click, and the select box that does the
same without a pointer, show the table of the tasks behind it; "Clear the selection" takes it away.

AppTest (Streamlit 1.67) has no interaction for st.plotly_chart: it is an UnknownElement, and a chart
selection cannot be written through at.session_state (a selection widget refuses writes). So a click is
simulated as the browser sends it: the chart's widget state (a JSON string, {"selection": {"points": [...]}})
added to the page's widget states for one run (`click`). The points carry what plotly sends for a click:
curve_number, point_index, x, y.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState

from src.analysis.plan_view import PlanView
from src.analysis.progress import progress_trend
from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file
from tests.apptest_helpers import run_page, use_embedded_workbooks  # noqa: F401 - autouse fixture

PAGES = Path(__file__).resolve().parents[1] / "pages"
AS_AT = "2017-03-31"


def page(name: str) -> str:
    return str(PAGES / name)


@pytest.fixture(scope="module")
def view() -> PlanView:
    return PlanView.build(read_plan_file(DEFAULT_PLAN), pd.Timestamp(AS_AT), 30)


def chart(at, key: str):
    (found,) = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"chart_{key}")]
    return found, json.loads(found.proto.spec)


def click(at, key: str, points: list[dict]):
    """Run the page once more as if `points` had been clicked on the chart keyed `key`."""
    found, _ = chart(at, key)
    states = at._tree.get_widget_states()
    selection = {"selection": {"points": points, "point_indices": [p.get("point_index", 0) for p in points], "box": [], "lasso": []}}
    states.widgets.append(WidgetState(id=found.proto.id, string_value=json.dumps(selection)))
    return at._run(states)


def drill_table(at) -> pd.DataFrame | None:
    tables = [d.value for d in at.dataframe if list(d.value.columns[:3]) == ["Task", "Task code", "RAG"]]
    return tables[0] if tables else None


def drill_heading(at) -> str | None:
    found = [h.value for h in at.subheader if h.value.startswith("Tasks behind")]
    return found[0] if found else None


def test_overview_click_on_a_red_segment_lists_that_themes_red_tasks(view):
    at = run_page(page("1_overview.py"), as_at=AS_AT)
    assert drill_table(at) is None and drill_heading(at) is None
    _, figure = chart(at, "rag_by_theme")
    red = next(i for i, t in enumerate(figure["data"]) if t["name"] == "Red")
    index = next(i for i, n in enumerate(figure["data"][red]["x"]) if n)  # the first theme with a Red task
    label = figure["layout"]["yaxis"]["categoryarray"][index]
    click(at, "rag_by_theme", [{"curve_number": red, "point_index": index, "point_number": index, "x": 1, "y": label}])
    assert not at.exception
    theme_id = label.split(".")[0]
    want = view.tasks[(view.tasks["theme_id"].astype(str) == theme_id) & (view.tasks["rag"] == "Red")]
    table = drill_table(at)
    assert table is not None and sorted(table["Task code"]) == sorted(want["task_id"])
    assert list(table["RAG"].unique()) == ["Red"]
    assert table["Task"].tolist()[0] == want.sort_values("plan_order")["task"].iloc[0]  # the task's words first
    assert drill_heading(at).startswith(f"Tasks behind: {theme_id}.") and drill_heading(at).endswith(
        f", Red – {len(want)} task" + ("s" if len(want) != 1 else "")
    )
    # The select box follows the click, so a keyboard user sees what is chosen.
    assert at.selectbox(key="drill_rag_by_theme").value.endswith(", Red")


def test_overview_select_box_does_the_same_without_a_pointer_and_clear_takes_it_away(view):
    at = run_page(page("1_overview.py"), as_at=AS_AT)
    box = at.selectbox(key="drill_rag_by_theme")
    theme = next(o for o in box.options if o.startswith("1.") and "," not in o)
    box.set_value(theme).run()
    table = drill_table(at)
    # The whole theme: every task in it, the cancelled one included (shown as Cancelled, never dropped).
    want = view.tasks[view.tasks["theme_id"].astype(str) == "1"]
    assert table is not None and table["Task code"].tolist() == want.sort_values("plan_order")["task_id"].tolist()
    assert drill_heading(at) == f"Tasks behind: {theme} – {len(want)} tasks"
    assert all(" " in d for d in table["Planned finish"] if d)  # dates as 31 Mar 2017
    at.button(key="drill_clear_rag_by_theme").click().run()
    assert drill_table(at) is None and drill_heading(at) is None
    assert at.selectbox(key="drill_rag_by_theme").value == "(none chosen)"
    assert "behind" not in at.query_params  # nor in the URL any more


def test_timeline_click_on_a_bar_is_that_task_and_on_a_diamond_its_milestone(view):
    at = run_page(page("2_timeline.py"), as_at=AS_AT)
    _, figure = chart(at, "gantt_task")
    labels = figure["layout"]["yaxis"]["categoryarray"]
    bar = next(i for i, t in enumerate(figure["data"]) if t["type"] == "bar")
    y = figure["data"][bar]["y"][0]
    click(at, "gantt_task", [{"curve_number": bar, "point_index": 0, "x": "2017-01-01", "y": y}])
    assert not at.exception
    table = drill_table(at)
    assert y in labels
    assert table is not None and table["Task code"].tolist() == [y.split(" ")[0]]  # a task row's label starts with its code
    diamond = next(i for i, t in enumerate(figure["data"]) if t["name"].startswith("Milestone due"))
    y = figure["data"][diamond]["y"][0]
    click(at, "gantt_task", [{"curve_number": diamond, "point_index": 0, "x": "2017-01-01", "y": y}])
    row = view.tasks[view.tasks["task_id"] == y.split(" ")[0]].iloc[0]  # the milestone's task the diamond sits on
    want = view.tasks[(view.tasks["theme_id"] == row["theme_id"]) & (view.tasks["milestone_ref"] == row["milestone_ref"])]
    assert sorted(drill_table(at)["Task code"]) == sorted(want["task_id"])
    assert drill_heading(at).startswith(f"Tasks behind: Theme {row['theme_id']} milestone {row['milestone_ref']}")


def test_rag_page_reporting_date_lists_the_tasks_slipped_then(view):
    at = run_page(page("3_rag.py"), as_at=AS_AT)
    trend = progress_trend(view.plan, pd.Timestamp(AS_AT), 30)
    last = trend.sort_values("as_at").iloc[-1]
    box = at.selectbox(key="drill_slippage_trend")
    option = next(o for o in box.options if o.startswith("31 Mar 2017"))
    box.set_value(option).run()
    assert not at.exception
    assert len(drill_table(at)) == int(last["slipped"]) > 0
    # A click on the first date's bar: that date's slipped tasks (point index = the date's place).
    click(at, "slippage_trend", [{"curve_number": 0, "point_index": 0, "x": "2016-01-01", "y": 0}])
    first = trend.sort_values("as_at").iloc[0]
    shown = drill_table(at)
    assert (0 if shown is None else len(shown)) == int(first["slipped"])


def test_coverage_recommendation_lists_its_tasks_and_one_with_none_says_so(view):
    at = run_page(page("4_coverage.py"), as_at=AS_AT)
    coverage = view.coverage
    box = at.selectbox(key="drill_coverage_matrix")
    box.set_value("Recommendation 3").run()
    want = coverage.loc[coverage["rec_id"].astype(str) == "3", "tasks"].item()
    assert sorted(drill_table(at)["Task code"]) == sorted(want)
    empty = coverage.loc[coverage["tasks"].map(len) == 0, "rec_id"]
    if len(empty):  # a recommendation no task addresses: a heading with 0 tasks and a plain message
        at.selectbox(key="drill_coverage_matrix").set_value(f"Recommendation {empty.iloc[0]}").run()
        assert drill_heading(at).endswith("– 0 tasks") and drill_table(at) is None
        assert any("No task is behind this choice" in i.value for i in at.info)


def test_explore_click_on_a_bar_lists_the_group(view):
    at = run_page(page("5_explore.py"), as_at=AS_AT)
    _, figure = chart(at, "explore")
    label = figure["layout"]["yaxis"]["categoryarray"][1]
    click(at, "explore", [{"curve_number": 0, "point_index": 1, "x": 3, "y": label}])
    assert not at.exception
    want = view.tasks[view.tasks["theme_id"].astype(str) == label.split(".")[0]]
    assert sorted(drill_table(at)["Task code"]) == sorted(want["task_id"])


def test_the_choice_is_in_the_url_and_a_link_opens_it(view):
    at = run_page(page("1_overview.py"), as_at=AS_AT)
    at.selectbox(key="drill_rag_by_theme").set_value("3. Improving the quality of practice, Red").run()
    assert at.query_params["behind"] == "3. Improving the quality of practice, Red"
    linked = run_page(page("1_overview.py"), as_at=AS_AT, behind="3. Improving the quality of practice, Red")
    assert drill_heading(linked) == "Tasks behind: 3. Improving the quality of practice, Red – 1 task"
    assert drill_table(linked)["Task code"].tolist() == ["P3-M5-T1"]
    assert linked.selectbox(key="drill_rag_by_theme").value == "3. Improving the quality of practice, Red"
    unknown = run_page(page("1_overview.py"), as_at=AS_AT, behind="not a bar")  # an unknown choice is ignored
    assert drill_heading(unknown) is None and not unknown.exception

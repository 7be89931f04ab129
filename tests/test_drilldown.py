"""Drill-down (issue 14): from a chart selection (curve, point, x, y) to the tasks behind it, by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from src import charts
from src.analysis import drilldown as dd
from src.analysis.explore import explore
from src.analysis.plan_view import PlanView
from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file


@pytest.fixture(scope="module")
def plan_view():
    return PlanView.build(read_plan_file(DEFAULT_PLAN), pd.Timestamp("2017-03-31"))


def tasks() -> pd.DataFrame:
    """Five tasks in two themes: T3 is cancelled (after slipping 10 days), T5 finished early (slip -3)."""
    rows = [
        ("T1", "Recruit social workers", "1", "Capacity", "M1", "Red", (1,), 30, 1),
        ("T2", "Cut caseloads", "1", "Capacity", "M1", "Blue", (1, 2), 0, 2),
        ("T3", "Old scheme", "1", "Capacity", "M2", "Cancelled", (), 10, 3),
        ("T4", "Board reports", "2", "Oversight", "M1", "Red", (2,), 5, 4),
        ("T5", "Member training", "2", "Oversight", "M1", "Green", (2,), -3, 5),
    ]
    frame = pd.DataFrame(
        rows, columns=["task_id", "task", "theme_id", "theme", "milestone_ref", "rag", "rec_ids", "slip_days", "plan_order"]
    )
    frame["slip_days"] = frame["slip_days"].astype("Int64")
    frame["status"] = ["In progress", "Complete", "Cancelled", "In progress", "In progress"]
    frame["milestone"] = ["Staffing", "Staffing", "Old", "Reports", "Reports"]
    return frame.iloc[::-1].reset_index(drop=True)  # out of plan order: the result must come back in plan order


def ids(frame: pd.DataFrame) -> list[str]:
    return frame["task_id"].tolist()


THEME_ROWS = dd.group_picks(["1. Capacity", "2. Oversight"], "theme")
CATEGORIES = ["1. Capacity", "2. Oversight"]
CURVES = ["Red", "Amber", "Green", "Blue", "Cancelled"]


def point(curve: int, y: str | None, index: int | None = None) -> dict:
    found = {"curve_number": curve, "x": 1}
    if y is not None:
        found["y"] = y
    if index is not None:
        found["point_index"] = index
    return found


def test_empty_selection_gives_no_picks_and_no_rows():
    assert dd.picks_from_points([], THEME_ROWS, CATEGORIES, CURVES, refine=dd.rag_segment) == []
    assert dd.picks_from_points(None, THEME_ROWS, CATEGORIES, CURVES) == []
    none = dd.tasks_behind(tasks(), [])
    assert none.empty and list(none.columns) == list(tasks().columns)
    assert dd.heading([], 0) == "Tasks behind: nothing chosen"


def test_a_red_segment_is_that_themes_red_tasks():
    picks = dd.picks_from_points([point(0, "1. Capacity")], THEME_ROWS, CATEGORIES, CURVES, refine=dd.rag_segment)
    assert picks == [dd.Pick(label="1. Capacity, Red", grouping="theme", group="1. Capacity", rag="Red")]
    rows = dd.tasks_behind(tasks(), picks)
    assert ids(rows) == ["T1"]
    assert dd.heading(picks, len(rows)) == "Tasks behind: 1. Capacity, Red – 1 task"


def test_a_whole_theme_includes_its_cancelled_task_in_plan_order():
    rows = dd.tasks_behind(tasks(), [THEME_ROWS[0]])
    assert ids(rows) == ["T1", "T2", "T3"]
    assert rows.loc[rows["task_id"] == "T3", "rag"].item() == "Cancelled"


def test_the_cancelled_segment_is_the_cancelled_task_alone():
    picks = dd.picks_from_points([point(4, "1. Capacity")], THEME_ROWS, CATEGORIES, CURVES, refine=dd.rag_segment)
    assert ids(dd.tasks_behind(tasks(), picks)) == ["T3"]


def test_a_point_with_no_tasks_gives_an_empty_table_and_says_0_tasks():
    amber = dd.picks_from_points([point(1, "2. Oversight")], THEME_ROWS, CATEGORIES, CURVES, refine=dd.rag_segment)
    rows = dd.tasks_behind(tasks(), amber)
    assert rows.empty
    assert dd.heading(amber, len(rows)) == "Tasks behind: 2. Oversight, Amber – 0 tasks"


def test_points_off_the_chart_are_left_out_and_the_index_is_the_fallback():
    off = [point(0, "9. Not a theme"), point(0, None, 7), {"curve_number": 0}, "not a point"]
    assert dd.picks_from_points(off, THEME_ROWS, CATEGORIES, CURVES, refine=dd.rag_segment) == []
    by_index = dd.picks_from_points([point(3, None, 1)], THEME_ROWS, CATEGORIES, CURVES, refine=dd.rag_segment)
    assert [p.label for p in by_index] == ["2. Oversight, Blue"]


def test_several_points_are_each_listed_once_and_their_tasks_once():
    selection = [point(0, "2. Oversight"), point(0, "1. Capacity"), point(0, "2. Oversight")]
    picks = dd.picks_from_points(selection, THEME_ROWS, CATEGORIES, CURVES, refine=dd.rag_segment)
    assert [p.label for p in picks] == ["2. Oversight, Red", "1. Capacity, Red"]
    assert ids(dd.tasks_behind(tasks(), picks + [THEME_ROWS[0]])) == ["T1", "T2", "T3", "T4"]
    assert dd.heading(picks, 2) == "Tasks behind: 2. Oversight, Red and 1. Capacity, Red – 2 tasks"


def test_a_trace_that_is_not_a_rag_leaves_the_row_whole():
    picks = dd.picks_from_points([point(0, "1. Capacity")], THEME_ROWS, CATEGORIES, ["Number of tasks"], refine=dd.rag_segment)
    assert picks == [THEME_ROWS[0]]


def test_recommendation_picks_are_the_tasks_coverage_found():
    coverage = pd.DataFrame({"rec_id": ["1", "2", "3"], "tasks": [("T1", "T2"), ("T2", "T4", "T5"), ()]})
    picks = dd.recommendation_picks(coverage)
    assert [p.label for p in picks] == ["Recommendation 1", "Recommendation 2", "Recommendation 3"]
    assert ids(dd.tasks_behind(tasks(), [picks[1]])) == ["T2", "T4", "T5"]
    assert dd.tasks_behind(tasks(), [picks[2]]).empty  # a recommendation no task addresses


def test_a_recommendation_id_matches_tasks_by_their_recommendations():
    assert ids(dd.tasks_behind(tasks(), [dd.Pick(label="Recommendation 2", rec_id="2")])) == ["T2", "T4", "T5"]


def test_slipped_at_a_date_keeps_tasks_slipped_more_than_0_days():
    (pick,) = dd.slipped_picks([pd.Timestamp("2017-03-31")])
    assert pick.label == "31 Mar 2017, slipped" and pick.as_at == pd.Timestamp("2017-03-31")
    # T1 30 days and T4 5 days; T2 on time (0), T5 early (-3) and T3 cancelled (10 days) are not slipped.
    assert ids(dd.tasks_behind(tasks(), [pick])) == ["T1", "T4"]
    engine = tasks().assign(slipped=lambda t: t["task_id"].isin(["T4"]))  # the engine's own column wins where present
    assert ids(dd.tasks_behind(engine, [pick])) == ["T4"]


def test_timeline_rows_follow_plan_order_at_each_level():
    assert [p.task_id for p in dd.timeline_picks(tasks(), "task")] == ["T1", "T2", "T3", "T4", "T5"]
    assert dd.timeline_picks(tasks(), "task")[0].label == "Recruit social workers (T1)"
    milestones = dd.timeline_picks(tasks(), "milestone")
    assert [(p.theme_id, p.milestone_ref) for p in milestones] == [("1", "M1"), ("1", "M2"), ("2", "M1")]
    assert ids(dd.tasks_behind(tasks(), [milestones[2]])) == ["T4", "T5"]
    assert [p.label for p in dd.timeline_picks(tasks(), "theme")] == ["Theme 1", "Theme 2"]
    assert dd.timeline_picks(tasks().iloc[0:0], "task") == []


def test_drawn_rows_are_one_page_of_the_numbered_rows():
    rows = dd.timeline_picks(tasks(), "task")
    # Chart rows 1, 2, (not drawn), 3, 4: page 2 of 2 rows per page shows chart rows 3 and 4, i.e. T4 and T5.
    assert [p.task_id for p in dd.drawn_rows(rows, [1, 2, pd.NA, 3, 4], offset=2, count=2)] == ["T4", "T5"]
    assert [p.task_id for p in dd.drawn_rows(rows, [1, 2, None, 3, 4], offset=1, count=2)] == ["T2", "T4"]


def test_a_milestone_diamond_is_the_whole_milestone_and_a_bar_its_task():
    rows = dd.timeline_picks(tasks(), "task")
    labels = [p.label for p in rows]
    curves = ["Red", "Planned start to finish (thin bar)", "Milestone due (latest planned finish)"]
    bar = dd.picks_from_points([point(0, labels[1])], rows, labels, curves, refine=dd.timeline_point)
    assert ids(dd.tasks_behind(tasks(), bar)) == ["T2"]
    diamond = dd.picks_from_points([point(2, labels[1])], rows, labels, curves, refine=dd.timeline_point)
    assert diamond[0].label == "Theme 1 milestone M1"
    assert ids(dd.tasks_behind(tasks(), diamond)) == ["T1", "T2"]


def test_with_rag_segments_offers_only_segments_that_hold_tasks():
    counts = pd.DataFrame({"Red": [1, 1], "Amber": [0, 0], "Green": [0, 1], "Blue": [1, 0], "Cancelled": [1, 0]})
    labels = [p.label for p in dd.with_rag_segments(THEME_ROWS, counts)]
    assert labels == [
        "1. Capacity",
        "1. Capacity, Red",
        "1. Capacity, Blue",
        "1. Capacity, Cancelled",
        "2. Oversight",
        "2. Oversight, Red",
        "2. Oversight, Green",
    ]


# ---- against the real chart builders: the rows line up with what they draw --------------------------


def test_theme_chart_segments_map_to_the_tasks_counted_in_them(plan_view):
    table = plan_view.tasks
    by_theme = explore(table, "theme", "RAG mix")
    chart = charts.explore_bar(by_theme, "Theme", "Number of tasks", "tasks", rag_mix=True, group_column="group")
    figure = chart.figure.to_dict()
    rows = dd.group_picks(by_theme["group"], "theme", chart.data["Theme"])
    categories = figure["layout"]["yaxis"]["categoryarray"]
    curves = [t["name"] for t in figure["data"]]
    for curve, trace in enumerate(figure["data"]):
        for index, (y, count) in enumerate(zip(trace["y"], trace["x"])):
            (pick,) = dd.picks_from_points(
                [{"curve_number": curve, "point_index": index, "y": y}], rows, categories, curves, refine=dd.rag_segment
            )
            assert len(dd.tasks_behind(table, [pick])) == count, pick.label


@pytest.mark.parametrize(("level", "offset", "per_page"), [("task", 5, 10), ("milestone", 2, 6), ("theme", 1, 2)])
def test_gantt_rows_map_to_the_row_drawn(plan_view, level, offset, per_page):
    """Page 2 of each level: the Pick on each drawn row is that row's task, milestone or theme."""
    table = plan_view.tasks
    chart = charts.gantt(table, plan_view.as_at, level=level, offset=offset, max_rows=per_page)
    figure = chart.figure.to_dict()
    categories = figure["layout"]["yaxis"]["categoryarray"]
    shown = dd.drawn_rows(dd.timeline_picks(table, level), chart.data["Chart row"].tolist(), offset, len(categories))
    assert len(shown) == len(categories) == per_page
    drawn = chart.data[chart.data["Chart row"].between(offset + 1, offset + len(categories))]
    for pick, key in zip(shown, drawn.iloc[:, 0]):
        if level == "task":
            assert pick.task_id == key
        else:
            assert str(key).startswith(f"Theme {pick.theme_id}" + (f" {pick.milestone_ref}" if level == "milestone" else ""))

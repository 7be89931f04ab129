"""Plan timeline: the gantt chart at task, milestone or theme level, paged, with undated tasks beside it."""

import math

import streamlit as st

from src import charts
from src.analysis import drilldown
from src.analysis.wording import plural
from src.ui import context, frame
from src.ui import drilldown as drill
from src.ui.tables import for_display

ctx = frame.page("Plan timeline")

LEVELS = {"Tasks": "task", "Milestones": "milestone", "Themes": "theme"}
controls = st.columns([2, 1, 1])
level = LEVELS[controls[0].radio("Show", list(LEVELS), horizontal=True, key="timeline_level")]
rows_per_page = controls[1].selectbox("Rows per page", [30, 60, 100], index=1, key="timeline_rows")
drawn_rows = context.memo(
    ("timeline rows", *ctx.view_key, level),
    lambda: {
        "task": len(ctx.tasks),
        "milestone": ctx.tasks[["theme_id", "milestone_ref"]].drop_duplicates().shape[0],
        "theme": ctx.tasks["theme_id"].nunique(),
    }[level],
)
pages = max(1, math.ceil(drawn_rows / rows_per_page))
page_number = controls[2].number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, step=1, key="timeline_page")

chart = context.memo(
    ("gantt", *ctx.view_key, level, page_number, rows_per_page),
    charts.gantt,
    ctx.tasks,
    ctx.as_at,
    level=level,
    offset=(page_number - 1) * rows_per_page,
    max_rows=rows_per_page,
)
if chart.figure.data:
    # A click on a bar (or a milestone's diamond), or the select box under the chart, lists the tasks behind it.
    offset = (page_number - 1) * rows_per_page
    on_page = drilldown.drawn_positions(chart.data["Chart row"].tolist(), offset, rows_per_page)
    timeline_rows = context.memo(  # this page's rows only: a plan can have 10,000
        ("timeline picks", *ctx.view_key, level, page_number, rows_per_page), drilldown.timeline_picks, ctx.tasks, level, on_page
    )
    drill.chart_with_drilldown(chart, f"gantt_{level}", timeline_rows, ctx.tasks, noun=level, refine=drilldown.timeline_point)
else:  # e.g. a tracker whose dates could not be read: say so rather than draw an empty chart
    st.info("No task here has a date the dashboard can read, so there is no timeline to draw; the tasks are listed below.")


def undated_tasks(tasks):
    """The tasks with a date missing, with what the chart does with each, as listed under the timeline."""
    # The chart's own rule: a task with a start and an expected finish is drawn even with no planned finish.
    notes = charts.timeline_notes(tasks)
    on_chart = tasks["task_id"].map(notes).fillna("")
    missing = tasks["planned_finish"].isna() | (tasks["planned_start"].isna() & ~tasks["started_at_plan"])
    undated = tasks[missing].assign(on_chart=on_chart[missing])
    drawn = int(undated["on_chart"].str.startswith("drawn").sum())
    listing = undated[["task", "task_id", "start_as_written", "finish_as_written", "expected_finish", "rag", "on_chart"]].rename(
        columns={
            "task": "Task",
            "task_id": "Task code",
            "start_as_written": "Start in the plan",
            "finish_as_written": "Finish in the plan",
            "expected_finish": "Expected finish",
            "rag": "RAG",
            "on_chart": "On the timeline",
        }
    )
    return drawn, for_display(listing)


with st.container(border=True):  # below the chart: the timeline needs the full width
    st.subheader("Tasks with a date missing")
    drawn, listing = context.memo(("undated tasks", *ctx.view_key), undated_tasks, ctx.tasks)
    if listing.empty:
        st.caption("Every task has a planned start and finish.")
    else:
        st.caption(
            f"The plan gives no readable date on one side for {plural(listing.shape[0], 'task')}: "
            f"{drawn} drawn to the lead's expected finish, {listing.shape[0] - drawn} not drawn. See On the timeline."
        )
        st.dataframe(listing, hide_index=True, key="undated")

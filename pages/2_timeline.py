"""Plan timeline: the gantt chart at task, milestone or theme level, paged, with undated tasks beside it."""

import math

import streamlit as st

from src import charts
from src.ui import frame
from src.ui.tables import for_display

ctx = frame.page("Plan timeline")

LEVELS = {"Tasks": "task", "Milestones": "milestone", "Themes": "theme"}
controls = st.columns([2, 1, 1])
level = LEVELS[controls[0].radio("Show", list(LEVELS), horizontal=True, key="timeline_level")]
rows_per_page = controls[1].selectbox("Rows per page", [30, 60, 100], index=1, key="timeline_rows")
drawn_rows = {
    "task": len(ctx.tasks),
    "milestone": ctx.tasks[["theme_id", "milestone_ref"]].drop_duplicates().shape[0],
    "theme": ctx.tasks["theme_id"].nunique(),
}[level]
pages = max(1, math.ceil(drawn_rows / rows_per_page))
page_number = controls[2].number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=1, step=1, key="timeline_page")

chart = frame.memo(
    ("gantt", *ctx.view_key, level, page_number, rows_per_page),
    charts.gantt,
    ctx.tasks,
    ctx.as_at,
    level=level,
    offset=(page_number - 1) * rows_per_page,
    max_rows=rows_per_page,
)
if chart.figure.data:
    frame.show_chart(chart, key=f"gantt_{level}")
else:  # e.g. a tracker whose dates could not be read: say so rather than draw an empty chart
    st.info("No task here has a date the dashboard can read, so there is no timeline to draw; the tasks are listed below.")
with st.container(border=True):  # below the chart: the timeline needs the full width
    st.subheader("Tasks with no date")
    undated = ctx.tasks[ctx.tasks["planned_finish"].isna() | (ctx.tasks["planned_start"].isna() & ~ctx.tasks["started_at_plan"])]
    if undated.empty:
        st.caption("Every task has a planned start and finish.")
    else:
        st.caption("Listed, not drawn: the plan gives no readable date on one side.")
        listing = undated[["task_id", "start_as_written", "finish_as_written", "rag"]].rename(
            columns={"task_id": "Task", "start_as_written": "Start", "finish_as_written": "Finish", "rag": "RAG"}
        )
        st.dataframe(for_display(listing), hide_index=True, key="undated")

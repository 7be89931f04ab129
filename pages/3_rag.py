"""RAG and slippage: every task's RAG with its reason, roll-ups, the slippage trend, Excel download."""

import pandas as pd
import streamlit as st

from src import charts
from src.analysis import drilldown
from src.analysis.dates import format_date
from src.analysis.progress import milestones, rag_scale, reported_rag_counts, rollup
from src.ui import context, frame, widgets
from src.ui import drilldown as drill
from src.ui.tables import rollup_view, task_view

ctx = frame.page("RAG and slippage")

# Task table: RAG word and reason, the lead's RAG where it disagrees, slip and forecast moves.
st.header("Tasks")
disagree = int(ctx.tasks["rag_disagrees"].sum())
only_disagree = st.toggle(f"Only tasks where the lead's RAG differs from the rule's ({disagree})", key="only_disagree")
shown = ctx.tasks[ctx.tasks["rag_disagrees"]] if only_disagree else ctx.tasks
table = context.memo(("task view", *ctx.view_key, only_disagree), task_view, shown)
st.dataframe(
    widgets.capped(table),
    hide_index=True,
    key="task_table",
    column_config={
        "Task wording": st.column_config.TextColumn(width="large"),
        "Why": st.column_config.TextColumn(width="medium"),
        "Slip (days)": st.column_config.NumberColumn(help="Expected finish minus planned finish; negative is early."),
    },
)
title_rows = [
    ctx.plan.title,
    f"Tasks as at {format_date(ctx.as_at)}; RAG tolerance {ctx.view.tolerance_days} days",
    f"Source: {ctx.plan_source.label()}",
]
if ctx.plan.is_illustrative:
    title_rows.append("Progress figures are illustrative, not the council's reported progress.")
st.download_button(
    "Download the task table (Excel)",
    lambda: widgets.excel_bytes({"Tasks": table}, {"Tasks": title_rows}),
    file_name=f"tasks_{ctx.as_at:%Y-%m-%d}.xlsx",
    key="tasks_xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)

# The plan's own RAG scale (a tracker's four levels keep Yellow between Amber and Green): as reported, counted.
scale = rag_scale(ctx.plan)
if scale:
    st.header("RAG as the plan reports it")
    counts = reported_rag_counts(ctx.tasks, scale)
    st.caption(
        f"The plan's own scale: {', '.join(scale)}. The dashboard's RAG above is worked out from the dates; this is the one reported."
    )
    st.table(pd.DataFrame({"Reported RAG": list(counts), "Tasks": list(counts.values())}))

# Groups of tasks: led by their counts in words (progress.rollup_words), the worst task RAG beside them.
st.header("Progress by milestone, theme and lead")
by_milestone, by_theme, by_lead = st.tabs(["By milestone", "By theme", "By lead"])
with by_milestone:
    view = context.memo(
        ("milestone view", *ctx.view_key),
        lambda: rollup_view(
            milestones(ctx.tasks).rename(columns={"theme_id": "Theme", "milestone_ref": "Milestone ref", "milestone": "Milestone"}),
            ["Theme", "Milestone ref", "Milestone"],
        ),
    )
    widgets.show_table(view, key="rollup_milestone", file_name="milestones.csv")
with by_theme:
    view = context.memo(
        ("theme view", *ctx.view_key),
        lambda: rollup_view(
            rollup(ctx.tasks, ["theme_id", "theme"]).rename(columns={"theme_id": "Theme", "theme": "Theme name"}), ["Theme", "Theme name"]
        ),
    )
    widgets.show_table(view, key="rollup_theme", file_name="themes.csv")
with by_lead:
    view = context.memo(
        ("lead view", *ctx.view_key), lambda: rollup_view(rollup(ctx.tasks, "lead").rename(columns={"lead": "Lead"}), ["Lead"])
    )
    widgets.show_table(view, key="rollup_lead", file_name="leads.csv")

# Slippage over time.
# A click on a date's bar or point, or the select box under the chart, lists the tasks slipped at that date.
trend = ctx.trend()
slip_rows = drilldown.slipped_picks(sorted(pd.to_datetime(trend["as_at"]))) if not trend.empty else []
drill.chart_with_drilldown(
    context.memo(("slippage trend", *ctx.view_key), lambda: charts.slippage_trend(trend)),
    "slippage_trend",
    slip_rows,
    lambda pick: ctx.table_at(pick.as_at),
    noun="reporting date",
    axis=None,
)

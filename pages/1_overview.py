"""Overview: headline figures (as the CLI summary), RAG by theme, planned vs actual completion,
and what changed since the previous reporting date."""

import streamlit as st

from src import charts
from src.analysis.dates import format_date
from src.analysis.explore import explore
from src.analysis.progress import changes_between, completion, rag_counts, slippage
from src.analysis.scorecard import overview_caseload
from src.ui import frame
from src.ui.metrics import Metric, progress_metrics, quality_metrics, rag_metrics

ctx = frame.page("Overview")


def metric_row(metrics):
    for column, metric in zip(st.columns(len(metrics)), metrics):
        column.metric(metric.label, metric.value, metric.note or None, "off", help=metric.help or None, border=True, delta_arrow="off")


# Headline figures: the filtered tasks through the summary's own functions (= CLI when unfiltered).
metric_row(progress_metrics(completion(ctx.tasks), slippage(ctx.tasks)))
metric_row(rag_metrics(rag_counts(ctx.tasks)))
metric_row(quality_metrics(ctx.summary["recommendations"], ctx.summary["data_quality"]))
if ctx.filtered:
    st.caption("Coverage and data-quality figures are for the whole plan; the others for the filtered tasks.")
caseload = overview_caseload(ctx.performance, ctx.as_at) if ctx.performance is not None else None
if caseload:  # the reporting month's caseload and workforce (= the CLI summary's `caseload`)
    metric_row([Metric(*cell) for cell in caseload["cells"]])
    st.caption(caseload["note"])

by_theme = frame.memo(("rag by theme", *ctx.view_key), explore, ctx.tasks, "theme", "RAG mix")
frame.show_chart(
    frame.memo(
        ("rag by theme chart", *ctx.view_key),
        charts.explore_bar,
        by_theme,
        "Theme",
        "Number of tasks",
        "tasks",
        rag_mix=True,
        group_column="group",
    ),
    key="rag_by_theme",
)
frame.show_chart(frame.memo(("completion trend", *ctx.view_key), lambda: charts.completion_trend(ctx.trend())), key="completion_trend")

# What changed since the previous reporting date.
previous = ctx.previous_date()
st.header("What changed since the previous reporting date")
if previous is None:
    st.info(f"{format_date(ctx.as_at)} is the first reporting date, so there is nothing to compare with.")
else:
    changes = frame.memo(("changes", *ctx.view_key, str(previous)), changes_between, ctx.table_at(previous), ctx.tasks)
    st.caption(f"From {format_date(previous)} to {format_date(ctx.as_at)}.")
    groups = [
        ("Newly Red", changes[changes["newly_red"]]),
        ("Newly complete", changes[changes["newly_complete"]]),
        ("Forecast moved", changes[changes["forecast_moved"]]),
    ]
    metric_row([Metric(name, str(len(rows))) for name, rows in groups])
    columns = {
        "task_id": "Task",
        "task": "Task wording",
        "lead": "Lead",
        "rag_before": "RAG before",
        "rag": "RAG now",
        "reason": "Why",
        "forecast_finish_before": "Forecast before",
        "forecast_finish": "Forecast now",
        "forecast_moved_days": "Moved (days)",
    }
    for name, rows in groups:
        if len(rows):
            with st.expander(f"{name}: {len(rows)} task(s)"):
                frame.show_table(
                    rows[list(columns)].rename(columns=columns), key=f"changes_{name}", file_name=f"{name.lower().replace(' ', '_')}.csv"
                )
    if changes.empty:
        st.success("No task changed RAG, completed or moved its forecast.")

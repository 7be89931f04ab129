"""Changes since the last meeting: between any two reporting dates (by default the previous and the
current one), the tasks newly Red, newly Amber and newly complete, the forecasts that moved, the
recommendations whose RAG changed and any new data-quality findings."""

import pandas as pd
import streamlit as st

from src import charts
from src.analysis.changes import changes_since
from src.analysis.dates import format_date
from src.analysis.governance_log import governance_changes, has_decisions_log, has_issues_log
from src.analysis.progress import rag_counts
from src.analysis.wording import days
from src.ui import context, frame, page_params, widgets
from src.ui.state import iso

ctx = frame.page("Changes since the last meeting")
dates = [iso(d) for d in ctx.plan.reporting_dates]
if len(dates) < 2:
    st.info("The plan has fewer than two reporting dates, so there is nothing to compare yet.")
    st.stop()

current = iso(ctx.as_at) if iso(ctx.as_at) in dates else dates[-1]
previous = iso(ctx.previous_date()) if ctx.previous_date() is not None else dates[0]
left, right = st.columns(2)
start = left.selectbox(
    "From (the last meeting)",
    dates,
    index=dates.index(page_params.initial("from", previous, dates)),
    format_func=format_date,
    key="changes_from",
)
end = right.selectbox("To", dates, index=dates.index(page_params.initial("to", current, dates)), format_func=format_date, key="changes_to")
page_params.keep("from", start, previous)
page_params.keep("to", end, current)
if start >= end:
    st.warning(f"Pick a 'From' date before the 'To' date ({format_date(start)} is not before {format_date(end)}).")
    st.stop()

changes = context.memo(
    ("changes since", *ctx.data_key, str(start), str(end)),
    changes_since,
    ctx.plan,
    pd.Timestamp(start),
    pd.Timestamp(end),
    ctx.view.tolerance_days,
)


def filtered_changes():
    """The changed tasks among the filtered ones: the newly Red / Amber / complete groups and the moved forecasts."""
    tasks = changes.tasks[changes.tasks["task_id"].isin(set(ctx.tasks["task_id"]))]
    moved = tasks[tasks["forecast_moved"].fillna(False).astype(bool)]
    groups = {
        "Newly Red": tasks[tasks["newly_red"]],
        "Newly Amber": tasks[tasks["newly_amber"]],
        "Newly complete": tasks[tasks["newly_complete"]],
    }
    return moved, groups


# Memoised per (filtered view, dates): the frames and tables below are not rebuilt on every rerun (issue 19).
moved, groups = context.memo(("changed tasks", *ctx.view_key, str(start), str(end)), filtered_changes)
counts = {
    **{name: len(rows) for name, rows in groups.items()},
    "Forecasts moved": len(moved),
    "Recommendations changing RAG": len(changes.recommendations),
    "New data-quality findings": len(changes.data_quality),
}
logs = context.memo(("governance changes", *ctx.data_key, str(start), str(end)), governance_changes, ctx.view, start, end)
counts |= {"Issues opened": len(logs.issues_opened), "Issues closed": len(logs.issues_closed), "Decisions taken": len(logs.decisions_taken)}
items = list(counts.items())
for row in (items[:3], items[3:6], items[6:]):  # three rows, so no label is cut short
    for column, (name, count) in zip(st.columns(3), row):
        column.metric(name, count, border=True)
st.caption(
    f"From {format_date(start)} to {format_date(end)}, RAG tolerance {ctx.view.tolerance_days} days."
    + (" Task figures are for the filtered tasks; recommendations for the whole plan." if ctx.filtered else "")
)

widgets.show_chart(
    context.memo(
        ("rag at two dates", *ctx.view_key, str(start), str(end)),
        lambda: charts.rag_at_two_dates(
            rag_counts(ctx.table_at(pd.Timestamp(start))), rag_counts(ctx.table_at(pd.Timestamp(end))), start, end
        ),
    ),
    key="rag_two_dates",
)

TASK_COLUMNS = {  # the task's words first, its code beside them (issue 14)
    "task": "Task",
    "task_id": "Task code",
    "rag_before": "RAG before",
    "rag": "RAG now",
    "reason": "Why (now)",
    "lead": "Lead",
    "commentary": "Latest commentary",
}


def words(rows: pd.DataFrame, columns: dict) -> pd.DataFrame:
    out = rows[list(columns)].rename(columns=columns).copy()
    for column in ("RAG before", "RAG now"):
        if column in out:
            out[column] = out[column].map(lambda r: str(r) if isinstance(r, str) else "(not in the plan then)")
    return out


for name, rows in groups.items():
    st.header(f"{name}: {len(rows)}")
    if rows.empty:
        st.write(f"No task became {name.removeprefix('Newly ')} between {format_date(start)} and {format_date(end)}.")
    else:
        widgets.show_table(
            context.memo(("changed tasks table", *ctx.view_key, str(start), str(end), name), words, rows, TASK_COLUMNS),
            key=f"changes_{name}",
            file_name=f"{name.lower().replace(' ', '_')}.csv",
        )

st.header(f"Forecasts that moved: {len(moved)}")
if moved.empty:
    st.write("None: no lead re-forecast an open task.")
else:

    def forecasts_table():
        table = moved.assign(
            before=moved["forecast_finish_before"].fillna(moved["planned_finish"]),
            now=moved["forecast_finish"].fillna(moved["planned_finish"]),
            direction=moved["forecast_moved_days"].map(lambda d: f"{days(abs(d))} {'later' if d > 0 else 'earlier'}"),
        )
        return words(
            table,
            {
                "task": "Task",
                "task_id": "Task code",
                "before": "Forecast before",
                "now": "Forecast now",
                "forecast_moved_days": "Moved (days, + is later)",
                "direction": "Moved",
                "rag": "RAG now",
                "lead": "Lead",
                "commentary": "Latest commentary",
            },
        )

    widgets.show_table(
        context.memo(("forecasts moved table", *ctx.view_key, str(start), str(end)), forecasts_table),
        key="changes_forecasts",
        file_name="forecasts_moved.csv",
    )
    st.caption("Where a lead gave no forecast, the planned finish stands in for it.")

st.header(f"Recommendations whose RAG changed: {len(changes.recommendations)}")
if changes.recommendations.empty:
    st.write(f"No recommendation's RAG changed between {format_date(start)} and {format_date(end)}.")
else:

    def recommendations_table():
        recs = changes.recommendations.rename(
            columns={
                "rec_id": "Rec",
                "recommendation": "Recommendation",
                "rag_before": "RAG before",
                "rag": "RAG now",
                "tasks_before": "Tasks before",
                "tasks": "Tasks now",
            }
        )
        recs[["RAG before", "RAG now"]] = recs[["RAG before", "RAG now"]].fillna("(no tasks)")
        return recs

    recs = context.memo(("recommendation changes table", *ctx.data_key, str(start), str(end)), recommendations_table)
    widgets.show_table(recs, key="changes_recommendations", file_name="recommendation_changes.csv")

# The plan's issues log and decisions log between the two dates (the Governance log page has them in full).
LOG_ISSUE_COLUMNS = ["Issue", "Tasks held up", "Owner", "Raised", "Closed", "State at reporting date", "Issue ID"]
LOG_DECISION_COLUMNS = ["Decision", "Meeting", "Status", "Owner", "Due", "Tasks", "Outcome", "Decision ID"]


def no_log_text(log: str, sheet: str) -> str:
    return f"None recorded: this plan workbook keeps no {log} (no {sheet} sheet)."


for name, rows, has_log, log, sheet, columns in (
    ("Issues opened", logs.issues_opened, has_issues_log(ctx.plan), "issues log", "Issues", LOG_ISSUE_COLUMNS),
    ("Issues closed", logs.issues_closed, has_issues_log(ctx.plan), "issues log", "Issues", LOG_ISSUE_COLUMNS),
    ("Decisions taken", logs.decisions_taken, has_decisions_log(ctx.plan), "decisions log", "Decisions", LOG_DECISION_COLUMNS),
):
    st.header(f"{name}: {len(rows)}")
    if not has_log:
        st.write(no_log_text(log, sheet))
    elif rows.empty:
        st.write(f"None between {format_date(start)} and {format_date(end)}.")
    else:
        shown = context.memo(
            ("governance changes table", *ctx.data_key, str(start), str(end), name),
            lambda rows=rows, columns=columns: rows[[c for c in columns if c in rows]].rename(
                columns={"State at reporting date": f"State at {format_date(end)}"}
            ),
        )
        widgets.show_table(shown, key=f"changes_{name}", file_name=f"{name.lower().replace(' ', '_')}.csv")

st.header(f"New data-quality findings: {len(changes.data_quality)}")
if changes.data_quality.empty:
    st.write("None: both dates come from the same workbook, so its findings are the same at both (see the Data quality page).")
else:
    widgets.show_table(changes.data_quality, key="changes_quality", file_name="new_findings.csv")

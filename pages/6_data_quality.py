"""Data quality: every problem found reading the plan and performance workbooks, with what to do."""

import streamlit as st

from src.analysis.progress import tasks_without_finish
from src.analysis.wording import plural
from src.ui import frame, widgets
from src.ui.safe import plain
from src.ui.tables import findings_view

ctx = frame.page("Data quality")

table = findings_view(ctx.findings)
# Tasks whose finish is not set are no reading error, but the figures cannot place them and Exceptions lists them.
no_finish = tasks_without_finish(ctx.view.tasks)
if len(no_finish):
    st.header("Tasks with no finish date", anchor=False)
    st.warning(
        f"{plural(len(no_finish), 'task')} in scope {'has' if len(no_finish) == 1 else 'have'} no finish date the dashboard can use, "
        "so it never counts as planned by now and cannot be shown as slipped. Agree a date with the lead and write it in the plan."
    )
    widgets.show_table(
        no_finish[["task", "task_id", "lead", "finish_as_written", "forecast_finish"]].rename(
            columns={
                "task": "Task",
                "task_id": "Task code",
                "lead": "Lead",
                "finish_as_written": "Finish in the plan",
                "forecast_finish": "Lead's forecast",
            }
        ),
        key="no_finish",
    )
if table.empty:
    st.success("No problems were found reading the workbooks.")
    st.stop()
st.header("Problems found reading the workbooks", anchor=False)

left, middle, right = st.columns(3)
workbooks = left.multiselect(
    "Workbook", sorted(table["Workbook"].dropna().unique()), format_func=plain, key="dq_workbook", placeholder="All workbooks"
)
sheets = middle.multiselect("Sheet", sorted(table["Sheet"].dropna().unique()), format_func=plain, key="dq_sheet", placeholder="All sheets")
severities = right.multiselect("Severity", ["error", "warning", "info"], key="dq_severity", placeholder="All severities")
keep = table["Severity"].notna() | table["Severity"].isna()
for column, chosen in (("Workbook", workbooks), ("Sheet", sheets), ("Severity", severities)):
    if chosen:
        keep &= table[column].isin(chosen)
shown = table[keep]
st.caption(f"{len(shown)} of {plural(len(table), 'finding')}. Rows are numbered as Excel numbers them.")
widgets.show_table(
    shown,
    key="findings",
    file_name="data_quality.csv",
    column_config={"Problem": st.column_config.TextColumn(width="large"), "What to do": st.column_config.TextColumn(width="large")},
)

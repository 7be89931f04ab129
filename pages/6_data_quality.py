"""Data quality: every problem found reading the plan and performance workbooks, with what to do."""

import streamlit as st

from src.ui import frame
from src.ui.safe import plain
from src.ui.tables import findings_view

ctx = frame.page("Data quality")

table = findings_view(ctx.findings)
if table.empty:
    st.success("No problems were found in the workbooks.")
    st.stop()

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
st.caption(f"{len(shown)} of {len(table)} finding(s). Rows are numbered as Excel numbers them.")
frame.show_table(
    shown,
    key="findings",
    file_name="data_quality.csv",
    column_config={"Problem": st.column_config.TextColumn(width="large"), "What to do": st.column_config.TextColumn(width="large")},
)

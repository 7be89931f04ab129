"""Risks and LSCB: the programme's risk register (rating, response, mitigation), a likelihood x impact
grid when the workbook scores its risks, and the LSCB action plan with status and timeliness at the
reporting date."""

import streamlit as st

from src import charts
from src.analysis.dates import format_date
from src.analysis.exceptions import lscb_status, risk_register
from src.charts.governance import has_grid
from src.ui import frame
from src.ui.safe import md

ctx = frame.page("Risks and the LSCB action plan")
if ctx.filtered:
    st.caption("The sidebar filters choose plan tasks; risks and LSCB actions are shown in full.")

# Risk register, as the workbook gives it.
st.header("Risk register")
register = risk_register(ctx.plan)
if register.empty:
    st.info("The plan workbook has no risk register (no Risks sheet), so there are no risks to show.")
else:
    ratings = register["rating"].fillna("not given").value_counts()
    st.caption(f"{len(register)} risks; rating as written: " + md(", ".join(f"{n} {r}" for r, n in ratings.items())) + ".")
    table = register.rename(
        columns={
            "risk_id": "Risk",
            "risk": "Description",
            "rating": "Rating",
            "response": "Response",
            "mitigation": "Mitigation",
            "owner": "Owner",
            "likelihood": "Likelihood",
            "impact": "Impact",
            "score": "Score (likelihood x impact)",
        }
    )
    if not has_grid(register):
        table = table.drop(columns=["Likelihood", "Impact", "Score (likelihood x impact)"])
    if table["Owner"].isna().all():
        table = table.drop(columns=["Owner"])
    first = ["Risk", "Description", "Rating"] + [c for c in ("Score (likelihood x impact)", "Likelihood", "Impact") if c in table]
    table = table[first + [c for c in table if c not in first]].fillna({"Owner": "", "Response": "", "Mitigation": ""})
    frame.show_table(
        table,
        key="risk_register",
        file_name="risk_register.csv",
        column_config={
            "Description": st.column_config.TextColumn(width="medium"),
            "Mitigation": st.column_config.TextColumn(width="large"),
        },
    )
    if has_grid(register):
        frame.show_chart(charts.risk_grid(register), key="risk_grid")
    else:
        st.info(
            "**No likelihood × impact grid:** the workbook gives no likelihood or impact scores for its risks, "
            "only a rating (such as Low or High) and a response, so the rating as written is shown above. "
            "Add `likelihood` and `impact` columns (1 to 5) to the Risks sheet to draw the grid."
        )

# LSCB action plan: status as reported, timeliness worked out from the due date at the reporting date.
st.header("LSCB action plan")
lscb = lscb_status(ctx.plan, ctx.as_at)
if lscb.empty:
    st.info("The plan workbook has no LSCB action plan (no LSCB_Actions sheet).")
else:
    timeliness = lscb["timeliness"]
    counts = {
        "LSCB actions": len(lscb),
        "Overdue": int(timeliness.str.startswith("Overdue").sum()),
        "Due in the next 30 days": int(
            timeliness.str.extract(r"Due in (\d+) day", expand=False).astype(float).le(30).sum() + (timeliness == "Due today").sum()
        ),
        "Complete": int((timeliness == "Complete").sum()),
        "No due date": int((timeliness == "No due date").sum()),
    }
    for column, (name, count) in zip(st.columns(len(counts)), counts.items()):
        column.metric(name, count, border=True)
    if (lscb["status"] == "Not reported").all():
        st.info(
            "**Status not reported in the workbook:** the LSCB action plan gives each action's timescale but no "
            f"status, so timeliness at {format_date(ctx.as_at)} is worked out from the due date alone. An action "
            "shown as overdue may have been done: its status was simply not recorded."
        )
    st.caption(f"Timeliness at the reporting date, {format_date(ctx.as_at)}. A month or quarter timescale is due at its end.")
    table = lscb.rename(
        columns={
            "action_id": "Action",
            "action": "Action wording",
            "lead": "Lead",
            "timescale_as_written": "Timescale as written",
            "due": "Due",
            "status": "Status",
            "timeliness": "Timeliness",
            "commentary": "Commentary",
        }
    )
    if table["Commentary"].isna().all():
        table = table.drop(columns=["Commentary"])
    frame.show_table(
        table[
            ["Action", "Timeliness", "Status", "Due", "Action wording", "Lead", "Timescale as written"]
            + [c for c in ("Commentary",) if c in table]
        ],
        key="lscb_actions",
        file_name="lscb_actions.csv",
        column_config={"Action wording": st.column_config.TextColumn(width="large")},
    )

"""Governance log: what the plan's governance asks the programme office to keep for the Quality Improvement
Board. The issues log (open first, oldest first, with the tasks each holds up and their RAG), the decisions
needed at the next meeting (from the decisions log, or worked out from the data where there is none, saying
which), the decisions taken and not yet done (overdue first), the programme's risk register (rating,
response, mitigation, and a likelihood x impact grid when the workbook scores its risks), and the LSCB
action plan with status and timeliness at the reporting date."""

import pandas as pd
import streamlit as st

from src import charts
from src.analysis.dates import format_date
from src.analysis.governance_log import absent_log_text, decisions_needed, decisions_taken_not_done, has_issues_log, issues_at
from src.analysis.lscb import lscb_counts, lscb_status
from src.analysis.risks import risk_register
from src.charts.governance import has_grid
from src.ui import context, frame, sources, widgets
from src.ui.safe import md

ctx = frame.page("Governance log: risks, issues, decisions and LSCB")
if ctx.filtered:
    st.caption("The sidebar filters choose plan tasks; issues, decisions, risks and LSCB actions are shown in full.")

issues = context.memo(("governance issues", *ctx.data_key), issues_at, ctx.view)
needed = context.memo(("governance decisions needed", *ctx.data_key), decisions_needed, ctx.view)
not_done = context.memo(("governance decisions not done", *ctx.data_key), decisions_taken_not_done, ctx.view)
absent = absent_log_text(ctx.plan)
EMBEDDED_NOTE = " The Durham plan as published (the committee report of 29 September 2016) includes no {log}."


def absent_text(kind: str) -> str:
    """Why the log is missing, in words; the embedded plan says where it comes from."""
    log = "issues log" if kind == "issues" else "decisions log"
    return absent[kind] + (EMBEDDED_NOTE.format(log=log) if ctx.plan_source.kind == sources.EMBEDDED else "")


open_issues = issues[issues["State at reporting date"] == "Open"]
overdue = not_done[not_done["Timeliness"].str.startswith("Overdue")] if len(not_done) else not_done


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def drop_blank(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Leave out the optional columns the workbook left empty (nothing to read there)."""
    return table.drop(columns=[c for c in columns if c in table and table[c].map(lambda v: pd.isna(v) or str(v) == "").all()])


def issues_caption(issues: pd.DataFrame, open_count: int) -> str:
    return (
        f"At {format_date(ctx.as_at)}: {plural(open_count, 'open issue')}, {plural(len(issues) - open_count, 'issue')} closed. "
        "Open issues first, oldest first; each names the tasks it holds up with their RAG at the reporting date."
    )


def decisions_needed_caption(source_text: str) -> str:
    return f"**Where this list comes from:** {source_text}"


summary_counts = {
    "Open issues": len(open_issues),
    "Decisions needed": len(needed.table),
    "Decisions taken, not yet done": len(not_done),
    "Of which overdue": len(overdue),
}
summary_help = {"Decisions needed": needed.source_text}
for column, (name, count) in zip(st.columns(len(summary_counts)), summary_counts.items()):
    column.metric(name, count, help=summary_help.get(name), border=True)

st.header("Issues log")
if not has_issues_log(ctx.plan):
    st.info(absent_text("issues"))
elif issues.empty:
    st.info(f"The plan's Issues sheet lists no issue raised by {format_date(ctx.as_at)}.")
else:
    st.caption(issues_caption(issues, len(open_issues)))
    table = drop_blank(issues.drop(columns=["Task IDs"]), ["Theme", "Impact", "Action", "Note"])
    first = ["State at reporting date", "Issue", "Tasks held up", "Worst RAG of tasks held up", "Owner", "Raised", "Days open"]
    widgets.show_table(
        table[first + [c for c in table if c not in first]],
        key="issues_log",
        file_name="issues_log.csv",
        column_config={
            "Issue": st.column_config.TextColumn(width="medium"),
            "Tasks held up": st.column_config.TextColumn(width="large"),
            "Days open": st.column_config.NumberColumn(help="Whole days from the date raised to the reporting date."),
        },
    )

st.header("Decisions needed at the next meeting")
st.markdown(decisions_needed_caption(needed.source_text))
if not needed.table.empty:
    table = needed.table[["Decision", "When", "Owner", "Tasks", "Board", "Meeting", "Decision ID"]]
    table = drop_blank(table.rename(columns={"Decision ID": "Ref"} if not needed.from_log else {}), ["Meeting", "Board", "Tasks"])
    widgets.show_table(
        table,
        key="decisions_needed",
        file_name="decisions_needed.csv",
        column_config={"Decision": st.column_config.TextColumn(width="large")},
    )

st.header("Decisions taken, not yet done")
if not needed.from_log:
    st.info(absent_text("decisions"))
elif not_done.empty:
    st.write(f"None: every decision the log records as taken by {format_date(ctx.as_at)} is marked Done.")
else:
    st.caption(
        f"{plural(len(not_done), 'decision')} taken and not yet done at {format_date(ctx.as_at)}, "
        f"{len(overdue)} overdue. Overdue first, then by due date."
    )
    first = ["Timeliness", "Decision", "Owner", "Due", "Tasks"]
    table = not_done.drop(columns=["Status"])
    widgets.show_table(
        drop_blank(table[first + [c for c in table if c not in first]], ["Board", "Tasks", "Outcome"]),
        key="decisions_not_done",
        file_name="decisions_taken_not_done.csv",
        column_config={"Decision": st.column_config.TextColumn(width="large")},
    )

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
    widgets.show_table(
        table,
        key="risk_register",
        file_name="risk_register.csv",
        column_config={
            "Description": st.column_config.TextColumn(width="medium"),
            "Mitigation": st.column_config.TextColumn(width="large"),
        },
    )
    if has_grid(register):
        widgets.show_chart(charts.risk_grid(register), key="risk_grid")
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
    counts = lscb_counts(lscb)
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
    widgets.show_table(
        table[
            ["Action", "Timeliness", "Status", "Due", "Action wording", "Lead", "Timescale as written"]
            + [c for c in ("Commentary",) if c in table]
        ],
        key="lscb_actions",
        file_name="lscb_actions.csv",
        column_config={"Action wording": st.column_config.TextColumn(width="large")},
    )

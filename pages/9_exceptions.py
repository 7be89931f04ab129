"""Exceptions (QIB): what needs the board's attention at the reporting date, in the spirit of a PRINCE2
exception report. Counts per kind, then every item with its lead, slip, forecast and latest commentary,
grouped by lead or theme; or walked through one item at a time at the board."""

import pandas as pd
import streamlit as st

from src.analysis.dates import format_date
from src.analysis.exceptions import (
    DEFAULT_DUE_WITHIN_DAYS,
    ExceptionKind,
    by_task,
    exception_groups,
    exception_summary,
    exceptions,
    unreported_lscb,
)
from src.analysis.governance_log import has_issues_log, open_issue_for_task
from src.charts.palette import RAG_STYLES
from src.ui import context, frame, page_params, tables, widgets
from src.ui.safe import md, md_frame, plain

KIND_HELP = {
    "Red": "Tasks Red at the reporting date (overdue, or forecast more than the tolerance late).",
    "Amber": "Tasks Amber (forecast late within the tolerance, no finish date, on hold, or should have started).",
    "Due soon": "Open tasks whose planned or forecast finish falls within the window below.",
    "RAG disagreement": "The lead's reported RAG differs from the one the rules give.",
    "Stale update": "Open tasks with no update since before the previous reporting date.",
    "No finish date": "Open tasks whose finish is TBC, blank or unreadable.",
    "LSCB overdue": "LSCB actions past their due date whose status the LSCB reported as not complete "
    "(those with no status reported are listed apart, below the counts).",
}

LARGE_COLUMNS = ["Task or action", "Code", "Why listed", "RAG", "Reasons", "Open issue", "Slip or days overdue", "Expected finish"]

ctx = frame.page("Exceptions for the Quality Improvement Board")
left, middle = st.columns(2, vertical_alignment="bottom")
right, far = st.columns(2)
due_days = left.number_input(
    "Due soon: within how many days",
    min_value=0,
    max_value=365,
    value=page_params.initial("due", DEFAULT_DUE_WITHIN_DAYS, parse=page_params.parse_days),
    step=1,
    key="due_within_days",
    help="Open tasks finishing in this many days after the reporting date.",
)
group_by = middle.radio(
    "Group by",
    ["Lead", "Theme"],
    index=["Lead", "Theme"].index(page_params.initial("group", "Lead", ["Lead", "Theme"])),
    horizontal=True,
    key="exceptions_group_by",
)
one_at_a_time = right.toggle(
    "One item at a time",
    value=page_params.initial("one", False, parse=page_params.parse_bool),
    key="one_at_a_time",
    help="Walk the board through the list with Previous and Next.",
)
with far:
    large = widgets.large_type()
page_params.keep("due", int(due_days), DEFAULT_DUE_WITHIN_DAYS)
page_params.keep("group", group_by, "Lead")
page_params.keep("one", bool(one_at_a_time), False)

MAX_GROUPS_LISTED = 15


def issues_note(has_log: bool, with_issue: int) -> str:
    if not has_log:
        return "This plan workbook keeps no issues log (no Issues sheet), so no open issues are shown beside Red or Amber tasks."
    return f"{with_issue} Red or Amber task{'s' if with_issue != 1 else ''} held up by an open issue in the plan's issues log (see the Governance log)."


ex = context.memo(("exceptions", *ctx.data_key, int(due_days)), exceptions, ctx.view, due_within_days=int(due_days))
if ctx.filtered:  # the sidebar filters choose plan tasks; LSCB actions are not plan tasks, so they stay
    st.caption("The sidebar filters apply to plan tasks; overdue LSCB actions are always listed.")


def board_exceptions(ex):
    """The filtered tasks' exceptions, the LSCB actions with no status kept apart, and the counts per kind."""
    if ctx.filtered:
        ex = ex[ex["task_id"].isin(set(ctx.tasks["task_id"])) | (ex["kind"] == ExceptionKind.LSCB_OVERDUE)]
    # LSCB actions past due with no status at all are not known to be late: kept apart, not counted as exceptions.
    ex, unreported = unreported_lscb(ex, ctx.plan)
    return ex, unreported, list(exception_summary(ex).items())


# Memoised per (filtered view, due days[, grouping]): the frames and tables below are not rebuilt on a rerun (issue 19).
view_key = (*ctx.view_key, int(due_days))
ex, unreported, counts = context.memo(("board exceptions", *view_key), board_exceptions, ex)
# Counts per kind: one item can appear under several kinds (a TBC task is both Amber and No finish date).
for row in (counts[:4], counts[4:]):  # two rows, so no label is cut short
    for column, (kind, count) in zip(st.columns(4), row):
        column.metric(kind, count, help=KIND_HELP[kind], border=True)
st.caption(
    f"At {format_date(ctx.as_at)}: {ex['task_id'].nunique()} tasks or actions need the board's attention, "
    f"listed once each with every reason ({len(ex)} reasons in all, counted by kind above)."
)
if len(unreported):
    st.info(
        f"**Status not reported: {len(unreported)} LSCB action{'s' if len(unreported) != 1 else ''}** past "
        f"{'its' if len(unreported) == 1 else 'their'} due date with no status given. Ask the LSCB for an update; "
        "they are not counted above."
    )
    with st.expander(f"The {len(unreported)} LSCB action{'s' if len(unreported) != 1 else ''} with no status reported"):
        widgets.show_table(
            context.memo(
                ("lscb unreported table", *view_key),
                lambda: unreported[["task", "task_id", "lead", "slip_days"]].rename(
                    columns={"task": "Action", "task_id": "Code", "lead": "Lead", "slip_days": "Days past due"}
                ),
            ),
            key="lscb_unreported",
        )
if ex.empty:
    st.success("Nothing needs the board's attention at this reporting date.")
    st.stop()


def listing(ex):
    """One row per task (every reason joined, its most serious kind first) in its group, and the board's table."""
    ex = by_task(ex)
    # Groups in order of their most serious item (rows arrive ordered by kind, then plan order).
    groups = exception_groups(ex, group_by)
    ex = ex.assign(group=pd.Categorical(groups, categories=list(dict.fromkeys(groups)), ordered=True))
    ex = ex.sort_values("group", kind="stable").reset_index(drop=True)
    # A Red or Amber task with an open issue in the plan's issues log shows the issue beside it.
    issue_for_task = context.memo(("open issue for task", *ctx.data_key), open_issue_for_task, ctx.view)
    ex["open_issue"] = [issue_for_task.get(t, "") if r in ("Red", "Amber") else "" for t, r in zip(ex["task_id"], ex["rag"])]
    table = tables.exceptions_view(ex)
    if not ex["open_issue"].any():  # nothing to show beside any task: no empty column
        table = table.drop(columns=["Open issue"])
    return ex, table


ex, table = context.memo(("exceptions listing", *view_key, group_by), listing, ex)
if "Open issue" not in table.columns:
    LARGE_COLUMNS.remove("Open issue")
st.caption(issues_note(has_issues_log(ctx.plan), ex.loc[ex["open_issue"] != "", "task_id"].nunique()))
st.download_button(
    "Download every exception (CSV)",
    lambda: tables.csv_bytes(table),
    file_name=f"exceptions_{ctx.as_at:%Y-%m-%d}.csv",
    mime="text/csv",
    key="exceptions_csv",
    on_click="ignore",
)


def rag_words(rag: object) -> str:
    if not isinstance(rag, str) or not rag:
        return "not rated (an LSCB action, not a plan task)"
    return f"{rag} ({RAG_STYLES[rag].meaning})" if rag in RAG_STYLES else rag


def slip_words(row: pd.Series) -> str:
    days = row["slip_days"]
    if pd.isna(days):
        return "not known (no finish date to measure against)"
    if str(row["kind"]) == ExceptionKind.LSCB_OVERDUE:
        return f"overdue by {days} day{'s' if days != 1 else ''}"
    return "on time" if days == 0 else f"{abs(days)} day{'s' if abs(days) != 1 else ''} {'late' if days > 0 else 'early'}"


def show_card(row: pd.Series) -> None:
    with st.container(border=True):
        words = row["task"] if isinstance(row["task"], str) and row["task"] else row["task_id"]
        st.header(md(f"{words} ({row['task_id']})"))
        forecast = format_date(row["forecast"]) or "none given"
        st.markdown(
            "  \n".join(
                [
                    f"**Why listed:** {md(row['why_listed'])}",
                    f"**RAG:** {md(rag_words(row['rag']))}",
                    f"**Reasons:** {md(row['reasons'])}",
                    *([f"**Open issue:** {md(row['open_issue'])}"] if row["open_issue"] else []),
                    f"**Lead:** {md(row['lead'] if isinstance(row['lead'], str) else '(no lead given)')}",
                    f"**Slip:** {md(slip_words(row))}",
                    f"**Current forecast:** {md(forecast)}",
                    f"**Latest commentary:** {md(row['commentary'] if isinstance(row['commentary'], str) and row['commentary'] else 'none given')}",
                ]
            )
        )
        if pd.notna(row["last_update"]):
            st.caption(f"Latest update {format_date(row['last_update'])}.")


def step(by: int) -> None:
    st.session_state["exception_item"] = min(max(st.session_state.get("exception_item", 0) + by, 0), len(ex) - 1)


if one_at_a_time:
    item = min(st.session_state.get("exception_item", 0), len(ex) - 1)
    st.session_state["exception_item"] = item
    back, where, forward = st.columns([1, 3, 1])
    back.button("Previous", key="exception_previous", on_click=step, args=(-1,), disabled=item == 0, width="stretch")
    where.markdown(f"**Item {item + 1} of {len(ex)}** · {group_by.lower()}: {md(ex.at[item, 'group'])}")
    forward.button("Next", key="exception_next", on_click=step, args=(1,), disabled=item >= len(ex) - 1, width="stretch")
    show_card(ex.iloc[item])
else:
    dropped = ["Lead"] if group_by == "Lead" else ["Theme"]
    listed = ex.groupby("group", observed=True, sort=False)
    if listed.ngroups > MAX_GROUPS_LISTED:  # a large programme: one group at a time, chosen from the counts
        st.caption(f"{listed.ngroups} groups: pick one to see its items (the CSV above has them all).")
        chosen = st.selectbox(group_by, list(listed.groups), format_func=plain, key="exceptions_group_pick")
        listed = [(chosen, ex.loc[listed.groups[chosen]])]
    for number, (name, rows) in enumerate(listed):
        st.header(f"{md(name)}: {len(rows)} item{'s' if len(rows) != 1 else ''}")
        shown = context.memo(
            ("exceptions group table", *view_key, group_by, str(name)),
            lambda rows=rows: tables.for_display(table.loc[rows.index].drop(columns=dropped)),
        )
        if large:  # plain HTML tables take the large type; only what the board reads
            st.table(md_frame(shown[LARGE_COLUMNS]), hide_index=True)
        else:
            st.dataframe(
                shown,
                hide_index=True,
                key=f"exceptions_group_{number}",
                column_config={
                    "Task or action": st.column_config.TextColumn(width="large", pinned=True),
                    "Reasons": st.column_config.TextColumn(width="large"),
                    "Open issue": st.column_config.TextColumn(
                        width="medium", help="An open issue in the plan's issues log holding up this Red or Amber task."
                    ),
                    "Latest commentary": st.column_config.TextColumn(width="large"),
                    "Slip or days overdue": st.column_config.NumberColumn(
                        help="Days late against the planned finish (negative: early); for LSCB actions, days past the due date."
                    ),
                },
            )
        # The full commentary on demand: a table cell cuts it at the edge.
        with st.expander(f"Full commentary ({len(rows)} item{'s' if len(rows) != 1 else ''})"):
            for row in rows.itertuples(index=False):
                said = row.commentary if isinstance(row.commentary, str) and row.commentary.strip() else "No commentary given."
                words = row.task if isinstance(row.task, str) and row.task else row.task_id
                st.markdown(f"**{md(words)}** ({md(row.task_id)}): {md(said)}")

"""Monthly update returns: build one small workbook per lead (or theme) for this month, bring the filled ones
back (any number at once), check them, preview what will change, and only on confirmation build a new plan
workbook with them merged, plus a log; and list who has not returned, the list the office chases from.

Nothing is written to the server's disk: the returns and the merged plan are downloads, and uploads are held
for this session only. Tests may hand returned files in through session state (`pending_returns`:
a list of (file name, bytes)), as the frame's own upload hook does, because AppTest has no file uploader.
"""

import hashlib

import pandas as pd
import streamlit as st

from src.analysis.dates import format_date
from src.analysis.returns import (
    BY_LEAD,
    BY_THEME,
    change_summary,
    chase_list,
    check_returns,
    merge_log,
    next_reporting_date,
    plan_returns,
    preview,
    preview_words,
)
from src.analysis.wording import plural
from src.export.returns import MergeNotShown, build_returns, merged_file_name, merged_plan_bytes, returns_zip
from src.ui import cache_keys, context, frame, sidebar, sources, widgets
from src.ui.state import iso

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PENDING_RETURNS = "pending_returns"
MERGED_KEY = "returns_merged"

ctx = frame.page("Monthly update returns")
plan = ctx.plan
st.write(
    "Each month every lead gets a small workbook with only their open tasks and LSCB actions, fills in the yellow cells "
    "and sends it back. Upload the returned workbooks here: they are checked, you see what will change, and only when "
    "you confirm is a **new** plan workbook built with their answers added. Your plan workbook is never changed."
)


def _original_plan_bytes() -> bytes | None:
    """The bytes of the plan workbook in use (upload, environment variable or embedded), as the frame chose it."""
    return sources.plan_bytes_in_use()


# ---- the reporting date ------------------------------------------------------------------------------

default_date = next_reporting_date(plan)
month_ends = pd.date_range(default_date - pd.offsets.MonthEnd(12), default_date + pd.offsets.MonthEnd(3), freq="ME")
choices = sorted({iso(d) for d in [*month_ends, *plan.reporting_dates, default_date]})
left, right = st.columns(2)
as_at_text = left.selectbox(
    "Reporting date for this month's returns",
    choices,
    index=choices.index(iso(default_date)),
    format_func=format_date,
    key="returns_as_at",
    help="The date the leads report their position at. By default the month end after the plan's latest update.",
)
as_at = pd.Timestamp(as_at_text)
by = right.radio(
    "One return per",
    [BY_LEAD, BY_THEME],
    format_func=lambda b: "lead officer" if b == BY_LEAD else "theme (with one for the LSCB action plan)",
    key="returns_by",
    horizontal=True,
)
if plan.reporting_dates and as_at < plan.reporting_dates[-1]:
    st.warning(
        f"The plan already has progress for {format_date(plan.reporting_dates[-1])}, after {format_date(as_at)}: "
        "returns for this date would be refused as late when they come back."
    )

# ---- 1. send out --------------------------------------------------------------------------------------

st.header("1. Send out this month's returns")
specs = context.memo(("returns specs", ctx.plan_source.sha256, as_at_text, by), plan_returns, plan, as_at, by)
st.write(
    f"{plural(len(specs), 'return')} for **{format_date(as_at)}**, one per {'lead officer' if by == BY_LEAD else 'theme'}: "
    f"{plural(sum(len(s.tasks) for s in specs), 'open task')} and {plural(sum(len(s.lscb) for s in specs), 'open LSCB action')}. "
    "Each has an instruction sheet; only the cells to fill can be changed; status and RAG are chosen from a list and "
    "dates must be dates."
)
built_key = (ctx.plan_source.sha256, as_at_text, by)
if st.button("Build the returns", key="build_returns", type="primary", disabled=not specs):
    with st.spinner("Building the returns…"):
        st.session_state["returns_built"] = (built_key, build_returns(plan, as_at, by))
built = st.session_state.get("returns_built")
if built and built[0] == built_key:
    files = built[1]
    st.download_button(
        f"Download all {len(files)} returns (.zip)",
        returns_zip(files),
        file_name=f"Improvement plan updates - {format_date(as_at)}.zip",
        mime="application/zip",
        key="download_returns_zip",
        on_click="ignore",
        type="primary",
        icon=":material/download:",
    )
    listing = pd.DataFrame(
        {
            "Return for": [s.group for s in specs],
            "File": [s.file_name for s in specs],
            "Open tasks": [len(s.tasks) for s in specs],
            "Open LSCB actions": [len(s.lscb) for s in specs],
        }
    )
    st.dataframe(listing, hide_index=True, key="returns_listing")
    file_names = [name for name, _ in files]
    one = st.selectbox("Or download one return", file_names, key="returns_one")
    st.download_button("Download this return", dict(files)[one], file_name=one, mime=XLSX, key="download_one_return", on_click="ignore")

# ---- 2. bring in --------------------------------------------------------------------------------------

st.header("2. Bring the returns in")
uploaded = st.file_uploader(
    "Upload the returned workbooks (as many as you have)",
    type=["xlsx"],
    accept_multiple_files=True,
    key="returns_upload",
    help="Kept for this session only; never saved on the server.",
)
returned = [(f.name, f.getvalue()) for f in uploaded or []] + list(st.session_state.get(PENDING_RETURNS, []))
check = None
if not returned:
    st.info(f"No returns uploaded yet for {format_date(as_at)}.")
else:
    digests = tuple(hashlib.sha256(data).hexdigest() for _, data in returned)
    names = tuple(name for name, _ in returned)
    check = context.memo(("returns check", ctx.plan_source.sha256, as_at_text, names, digests), check_returns, plan, as_at, returned)
    results = check.files_frame()
    st.subheader(f"Checked {plural(len(returned), 'file')}")
    st.table(results.rename(columns=lambda c: c[:1].upper() + c[1:]).set_index("File"))
    if check.refusals:
        st.error(
            f"**{plural(len(check.refusals), 'item')} will not be merged.** Each names the file, sheet and cell; "
            "correct it in the return and upload it again."
        )
        st.table(
            check.refusals_frame().rename(
                columns={"file": "File", "sheet": "Sheet", "cell": "Cell", "task_id": "Item", "problem": "Problem"}
            )
        )
    changes = preview(plan, check)
    st.subheader("What will change")
    if changes.empty:
        st.write("Nothing: no row in these returns can be merged.")
    else:
        for column, (label, count) in zip(st.columns(5), change_summary(changes).items()):
            column.metric(label, count, border=True)
        for lead, rows in changes.groupby("lead", sort=False):
            st.markdown(f"**{lead}**: {plural(len(rows), 'item')}")
            st.table(preview_words(rows).set_index("Item"))
        merged_key = (ctx.plan_source.sha256, as_at_text, digests)
        if st.button("Confirm and build the merged plan", key="confirm_merge", type="primary"):
            original = _original_plan_bytes()
            if original is None or cache_keys.sha256(original) != ctx.plan_source.sha256:
                st.error("The plan workbook in use could not be found again; reload the page and try once more.")
            else:
                try:
                    data = merged_plan_bytes(original, plan, check)
                except MergeNotShown as error:
                    st.error(str(error))
                except Exception as error:  # noqa: BLE001 - e.g. an .xls/.ods plan openpyxl cannot open
                    st.error(
                        f"The plan workbook could not be opened for writing ({type(error).__name__}): save it as .xlsx, upload it and try again."
                    )
                else:
                    name = merged_file_name(ctx.plan_source.name, as_at)
                    st.session_state[MERGED_KEY] = (merged_key, name, data, merge_log(plan, check, name))
        merged = st.session_state.get(MERGED_KEY)
        if merged and merged[0] == merged_key:
            _, name, data, log = merged
            st.success(
                f"Built {name}: {plural(len(check.updates), 'task update')} and {plural(len(check.lscb), 'LSCB action update')} added. "
                "Download it and keep it as the plan of record; your original workbook is unchanged."
            )
            st.download_button(
                f"Download {name}",
                data,
                file_name=name,
                mime=XLSX,
                key="download_merged",
                on_click="ignore",
                type="primary",
                icon=":material/download:",
            )
            st.download_button(
                "Download the merge log (.txt)",
                log.encode("utf-8"),
                file_name=f"Merge log - {format_date(as_at)}.txt",
                mime="text/plain",
                key="download_log",
                on_click="ignore",
            )
            with st.expander("The merge log"):
                st.text(log)
            if st.button("Use the merged plan in the dashboard now", key="use_merged"):
                sources.submit_upload(sources.PLAN, name, data)
                sidebar.set_reporting_date(as_at_text)  # show the new month, not the date the session was on
                st.rerun()

# ---- 3. who has not returned ------------------------------------------------------------------------------

st.header("3. Who has not returned")
chase = context.memo(
    ("returns chase", ctx.plan_source.sha256, as_at_text, by, None if check is None else (names, digests)),
    chase_list,
    plan,
    as_at,
    check,
    by,
)
if chase.empty:
    st.success(f"Every open task and LSCB action has an answer for {format_date(as_at)}.")
else:
    missing = chase.drop_duplicates("return for")
    st.write(
        f"{plural(len(missing), 'return')} missing or incomplete for {format_date(as_at)}, with {plural(len(chase), 'open item')} still without an answer. "
        "An item counts as answered once it is in the plan for this date or merges from the returns above."
    )
    widgets.show_table(
        chase.rename(columns=lambda c: c[:1].upper() + c[1:]), key="returns_chase", file_name=f"not_returned_{as_at_text}.csv"
    )

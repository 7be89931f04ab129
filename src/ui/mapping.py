"""The mapping step: an uploaded tracker whose columns the dashboard cannot read by itself.

Shows the workbook's sheets and first rows, a proposed meaning for each column (a selectbox each,
fuzzy guesses offered as hints only), a preview of the tasks the mapping gives with the findings,
a download of the mapping (JSON, docs/trackers.md) and a button to use it. Streamlit glue only:
the reading is src/analysis/tracker.py and src/analysis/mapping.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from src.analysis.findings import WorkbookError, findings_frame
from src.analysis.isolation import PLAN_AS_KEPT, load_isolated
from src.analysis.mapping import Mapping
from src.analysis.schema import TRACKER_MEANINGS
from src.analysis.tracker import MAPPING_ENV, load_tracker, preview_sheets
from src.analysis.wording import plural

PENDING = "mapping_pending"  # {"name", "data"}: an uploaded workbook waiting for its mapping
PREVIOUS = "previous_upload_plan"  # the plan upload this one replaced (a tracker's earlier version, perhaps)
NOT_RECOGNISED = "No sheet of actions could be recognised"
LABELS = {
    "ignore": "not used",
    "ref": "number / reference",
    "task": "action wording (task)",
    "milestone": "what the actions sit under (milestone)",
    "theme": "theme / priority",
    "recommendation": "Ofsted recommendation",
    "lead": "lead officer",
    "start": "start date",
    "finish": "finish / due date",
    "status": "status",
    "rag": "RAG rating",
    "percent_complete": "percent complete",
    "commentary": "progress commentary",
    "impact": "success measures / impact",
    "detail": "how (detail)",
    "forecast_finish": "revised (forecast) date",
    "actual_finish": "date completed",
}
CHOICES: list[str] = ["ignore", *TRACKER_MEANINGS]  # a string, not None: a None value shows as an empty box


def plain(text: object) -> str:
    """Text from the workbook shown as itself: Markdown's special characters escaped (no links, emphasis or maths)."""
    return re.sub(r"([\\`*_\[\]<>#|~$])", r"\\\1", str(text))


def needs_mapping(findings) -> bool:
    """The upload failed only because its columns could not be recognised: offer the mapping step."""
    return any(NOT_RECOGNISED in f.message for f in findings)


def start(name: str, data: bytes) -> None:
    st.session_state[PENDING] = {"name": name, "data": data}


def pending() -> bool:
    return bool(st.session_state.get(PENDING))


def offer_review(upload: dict, set_earlier: Callable[[list[tuple[str, bytes]]], None]) -> None:
    """For an uploaded tracker: a button to check (and change) how its columns were read, and an uploader for
    its earlier versions, whose statuses become the history."""
    name, data = upload["name"], upload["data"]
    if not (upload.get("mapping") or upload.get("earlier") or upload.get("tracker")):
        return
    st.button("Check how the tracker's columns were read", key="mapping_review", on_click=start, args=(name, data))
    previous = st.session_state.get(PREVIOUS)
    kept = [n for n, _ in upload.get("earlier") or ()]
    if previous and previous["data"] != data and previous["name"] not in kept and not previous.get("mapping"):
        if previous.get("tracker"):
            earlier = [*(upload.get("earlier") or ()), (previous["name"], previous["data"])]
            st.button(
                f"Keep {previous['name']} as an earlier version of this tracker",
                key="mapping_keep_previous",
                on_click=set_earlier,
                args=(earlier,),
                help="Its statuses become the history, at the date they describe.",
            )
    files = st.file_uploader(
        "Earlier versions of this tracker (optional)",
        type=["xlsx", "xlsm", "xls", "ods"],
        accept_multiple_files=True,
        key="uploader_earlier",
        help="Last month's and earlier copies of the same tracker: each one's statuses are the position at its own date.",
    )
    if files:
        earlier = [(f.name, f.getvalue()) for f in files]
        seen = hashlib.sha256(b"".join(d for _, d in earlier)).hexdigest()
        if st.session_state.get("_seen_earlier") != seen:
            st.session_state["_seen_earlier"] = seen
            set_earlier(earlier)
            st.rerun()


def environment_mapping() -> str | None:
    """The mapping named by DASHBOARD_PLAN_MAPPING, as text (None when unset or not a file)."""
    path = os.environ.get(MAPPING_ENV)
    if path and Path(path).is_file():
        return Path(path).read_text(encoding="utf-8-sig", errors="replace")
    return None


def load(data: bytes, name: str, mapping_text: str | None, status_as_at: str | None = None, earlier: tuple | None = None):
    """The plan read with a saved mapping and/or earlier versions (raises WorkbookError with plain findings)."""
    if mapping_text:
        Mapping.from_json(mapping_text, "the mapping")  # a broken mapping is a clear error here, before any worker starts
    # The upload is untrusted: read in the limited worker process, as every other upload is.
    return load_isolated(PLAN_AS_KEPT, data, name, options=(mapping_text, status_as_at, tuple(earlier or ())))


def draw_step(use: Callable[[str, bytes, str], None]) -> None:
    """Draw the mapping step for the pending upload; `use(name, data, mapping_json)` adopts it."""
    job = st.session_state[PENDING]
    name, data = job["name"], job["data"]
    st.header("Read your tracker", anchor=False)
    st.write(
        f"**{plain(name)}** is not laid out like the dashboard's template, and its column headings were not all recognised. "
        "Say what each column means; the tasks it gives are previewed below. Nothing in your file is changed."
    )
    saved = st.file_uploader("Already have a mapping for this tracker? Upload it", type=["json"], key="mapping_upload")
    if saved is not None:
        text = saved.getvalue().decode("utf-8-sig", errors="replace")
        try:
            load(data, name, text)
        except WorkbookError as error:
            st.error("This mapping cannot be used with this tracker: " + plain("; ".join(f.message for f in error.findings)))
        else:
            st.button("Use the uploaded mapping", key="mapping_use_saved", on_click=_adopt, args=(use, name, data, text), type="primary")
    try:
        sheets = preview_sheets(data, name)
    except WorkbookError as error:
        st.error(plain("; ".join(f.message for f in error.findings)))
        st.button("Cancel", key="mapping_cancel", on_click=cancel)
        return
    if not sheets:
        st.error("The workbook has no sheet with content.")
        st.button("Cancel", key="mapping_cancel", on_click=cancel)
        return
    names = [s.name for s in sheets]
    chosen = st.selectbox("Sheet of actions", names, key="mapping_sheet")
    sheet = sheets[names.index(chosen)]
    st.caption(f"The first rows of sheet {sheet.name}, as in Excel (row numbers on the left).")
    st.dataframe(sheet.first_rows, key="mapping_rows")
    if not sheet.proposals:
        st.warning("No row of column headings was found in the first rows of this sheet.")
    columns: dict[str, str] = {}
    for proposal in sheet.proposals:
        default = CHOICES.index(proposal.meaning) if proposal.meaning in CHOICES else 0  # 0: not used
        hint = f"Perhaps: {LABELS[proposal.suggestion]}." if proposal.suggestion else None
        meaning = st.selectbox(
            f"Column “{plain(proposal.header)}” means",
            CHOICES,
            index=default,
            format_func=lambda m: LABELS.get(m, str(m)),
            key=f"mapping_col_{sheet.name}_{proposal.index}",
            help=hint,
        )
        columns[proposal.header] = meaning
    as_at = st.date_input(
        "The statuses describe the position at (optional)",
        value=None,
        format="DD/MM/YYYY",
        key="mapping_as_at",
        help="The date of the tracker's status column, if the workbook does not say (About status_as_at or a version line).",
    )
    mapping = Mapping(columns, [sheet.name], as_at.isoformat() if isinstance(as_at, dt.date) else None)
    mapping_json = mapping.to_json()
    st.subheader("What this mapping gives", anchor=False)
    try:
        plan = load_tracker(data, name, mapping)
    except WorkbookError as error:
        st.error("Not yet a plan: " + plain("; ".join(f.message for f in error.findings)))
    except Exception as error:  # noqa: BLE001 - a person sees a message, never a traceback
        st.error(f"This mapping could not be applied ({type(error).__name__}).")
    else:
        st.write(
            f"**{plural(len(plan.tasks), 'task')}**, {plural(len(plan.themes), 'theme')}, {plural(len(plan.recommendations), 'recommendation')}."
        )
        shown = (
            plan.tasks[["task_id", "task", "lead", "finish_as_written"]]
            .head(20)
            .rename(columns={"task_id": "Id", "task": "Task", "lead": "Lead", "finish_as_written": "Finish as written"})
        )
        st.dataframe(shown, hide_index=True, key="mapping_preview")
        frame = findings_frame(plan.findings)
        if not frame.empty:
            st.dataframe(frame[["severity", "sheet", "row", "column", "message"]], hide_index=True, key="mapping_findings")
        st.download_button(
            "Download this mapping",
            mapping_json,
            file_name=f"{Path(name).stem}.mapping.json",
            mime="application/json",
            key="mapping_download",
        )
        st.button("Use this mapping", key="mapping_use", on_click=_adopt, args=(use, name, data, mapping_json), type="primary")
    st.button("Cancel", key="mapping_cancel", on_click=cancel)


def _adopt(use: Callable[[str, bytes, str], None], name: str, data: bytes, mapping_json: str) -> None:
    st.session_state.pop(PENDING, None)
    use(name, data, mapping_json)


def cancel() -> None:
    st.session_state.pop(PENDING, None)

"""Where the page's workbooks come from, and uploads: upload > environment variable > embedded.

Each workbook is read once per content (cached by cache_keys.workbook: the SHA-256 of its bytes, its saved
mapping and its earlier versions). Untrusted bytes are parsed in the isolation worker. Uploads are kept in
this session's state only (never written to disk). The sidebar's "Data source" expander lives here too.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from src.analysis import parse_cache
from src.analysis.findings import Finding, Severity, WorkbookError
from src.analysis.isolation import PERFORMANCE as _ISOLATED_PERFORMANCE
from src.analysis.isolation import PLAN as _ISOLATED_PLAN
from src.analysis.isolation import PendingLoad, load_isolated, start_isolated
from src.analysis.limits import upload_help
from src.analysis.load import size_finding
from src.analysis.performance_workbook import PerformanceData, load_performance
from src.analysis.plan_workbook import PlanData, load_plan
from src.analysis.wording import plural
from src.analysis.workbook_paths import DEFAULT_PERFORMANCE, DEFAULT_PLAN, PERFORMANCE_ENV, PLAN_ENV
from src.output_files import path_problem, reason

from . import cache_keys
from . import mapping as mapping_step
from .notices import show_problems
from .safe import md

PLAN, PERFORMANCE = "plan", "performance"
EMBEDDED, ENVIRONMENT, UPLOAD = "embedded", "environment variable", "upload"
# Session-state keys. `upload_<kind>` holds {"name", "data", "sha256"} for this session only;
# `pending_upload_<kind>` = (name, bytes) is handled on the next run (the tests use it).
UPLOAD_KEY = "upload_{}"
PENDING_KEY = "pending_upload_{}"
ERROR_KEY = "upload_error_{}"
NOTICE_KEY = "upload_notice_{}"
CACHE_FILES = 8
# Said before a reload can drop an upload (under the uploader) and when it is loaded (issue 14).
UPLOAD_SESSION_NOTE = "Your upload is held for this browser session only; reloading the page returns to the embedded data."


@dataclass(frozen=True)
class Source:
    """Where a workbook came from: kind (embedded / environment variable / upload), file name, organisation."""

    kind: str
    name: str
    sha256: str
    organisation: str | None = None

    def label(self) -> str:
        who = f" ({self.organisation})" if self.organisation else ""
        return f"{self.name}{who}, {self.kind}"


# ---- reading (cached by content) ---------------------------------------------------------------


# One caching idiom throughout src/ui: an st.cache_resource function whose only hashed argument is a key built
# by cache_keys; the heavy inputs go in unhashed (`_`-prefixed). Cached objects are shared between sessions.
@st.cache_resource(max_entries=CACHE_FILES, show_spinner="Reading the plan workbook…")
def _plan_from_bytes(
    key: tuple, _name: str, _data: bytes, _trusted: bool, _mapping: str | None, _earlier: tuple | None, _digest: str, _keep: bool
) -> PlanData:
    # Untrusted bytes (uploads, DASHBOARD_PLAN) are parsed in a limited worker process: a hostile file costs
    # that process, never the server. The embedded workbook is trusted and read here. A tracker read with a
    # saved mapping and/or its earlier versions goes through the same worker (the key covers them too).
    if _mapping or _earlier:
        return mapping_step.load(_data, _name, _mapping, earlier=_earlier)
    return _kept_or_read(
        PLAN, _digest, _name, _keep, lambda: load_plan(_data, _name) if _trusted else load_isolated(_ISOLATED_PLAN, _data, _name)
    )


@st.cache_resource(max_entries=CACHE_FILES, show_spinner="Reading the performance workbook…")
def _performance_from_bytes(key: tuple, _name: str, _data: bytes, _trusted: bool, _digest: str, _keep: bool) -> PerformanceData:
    def read() -> PerformanceData:
        if _trusted:
            return load_performance(_data, _name)
        with _early_lock:
            early = _early_reads.pop(key, None)
        return early.result() if early is not None else load_isolated(_ISOLATED_PERFORMANCE, _data, _name)

    return _kept_or_read(PERFORMANCE, _digest, _name, _keep, read)


def _kept_or_read(kind: str, digest: str, name: str, keep: bool, read):
    """The server's own workbooks (embedded, or named by its settings) come from the parse cache when this
    content was parsed before, by this code; otherwise they are read and kept. Uploads never touch the disk."""
    if not keep:
        return read()
    kept = parse_cache.get(kind, digest, name)
    if kept is not None:
        return kept
    loaded = read()
    parse_cache.put(kind, digest, name, loaded)
    return loaded


# The performance workbook named by the server setting, started in its worker before the plan is read, so a
# server's first page reads the two workbooks at once (two cores) instead of one after the other. Only that
# workbook: uploads are read when they arrive, the embedded ones in process. Each file version is looked at
# once per process (by size and modification time), so a warm rerun costs one `stat`.
_early_reads: dict[tuple, PendingLoad] = {}
_early_lock = threading.Lock()
_early_seen: set[tuple] = set()


def start_reading_performance_early() -> None:
    """Start reading the DASHBOARD_PERFORMANCE workbook in its worker if this process has not yet read it.
    Silent: any problem with the file is reported by `load` as before."""
    if st.session_state.get(UPLOAD_KEY.format(PERFORMANCE)) or not os.environ.get(PERFORMANCE_ENV):
        return
    try:
        path = Path(os.environ[PERFORMANCE_ENV])
        stat = path.stat()
        version = (str(path), stat.st_size, stat.st_mtime_ns)
        with _early_lock:
            if version in _early_seen:
                return
            _early_seen.add(version)
        if size_finding(stat.st_size, path.name):
            return
        data = path.read_bytes()
        digest = cache_keys.workbook(data)
        if parse_cache.has(PERFORMANCE, digest, path.name):
            return  # parsed before: read from the parse cache in a moment, no worker needed
        key = cache_keys.workbook_read(PERFORMANCE, digest, path.name, False)
        pending = start_isolated(_ISOLATED_PERFORMANCE, data, path.name)
        with _early_lock:
            _early_reads[key] = pending
    except Exception:  # noqa: BLE001 - a head start only; the normal read reports any problem
        return


def read_workbook(
    kind: str,
    digest: str,
    name: str,
    data: bytes,
    trusted: bool = False,
    mapping: str | None = None,
    earlier: tuple | None = None,
    keep_parsed: bool = False,
) -> PlanData | PerformanceData:
    """The plan or performance workbook read from `data` (digest = cache_keys.workbook of the same inputs), once
    per content across reruns and sessions (`keep_parsed`: the server's own workbooks, also across restarts,
    through parse_cache). Raises WorkbookError when it cannot be used."""
    key = cache_keys.workbook_read(kind, digest, name, trusted)
    if kind == PLAN:
        return _plan_from_bytes(key, name, data, trusted, mapping, earlier, digest, keep_parsed)
    return _performance_from_bytes(key, name, data, trusted, digest, keep_parsed)


@st.cache_resource(show_spinner=False)
def _template(key: tuple) -> bytes:
    from src.templates import performance_template_bytes, plan_template_bytes  # openpyxl: only when a template is asked for

    return plan_template_bytes() if key == cache_keys.template(PLAN) else performance_template_bytes()


def template_bytes(kind: str) -> bytes:
    """The blank plan or performance workbook template (built once per process)."""
    return _template(cache_keys.template(kind))


def submit_upload(kind: str, name: str, data: bytes) -> list[Finding]:
    """Validate uploaded bytes; keep them for this session when usable (never written to disk).

    Returns the findings. A workbook that cannot be used leaves the data in use unchanged and
    records its problems for the st.error the frame shows.
    """
    ss = st.session_state
    digest = cache_keys.workbook(data)
    try:
        loaded = read_workbook(kind, digest, name, data)
    except WorkbookError as error:
        if kind == PLAN and mapping_step.needs_mapping(error.findings):  # a tracker in its own layout: ask what its columns mean
            mapping_step.start(name, data)
            ss.pop(ERROR_KEY.format(kind), None)
            return error.findings
        ss[ERROR_KEY.format(kind)] = {"name": name, "findings": error.findings}
        return error.findings
    except Exception:  # noqa: BLE001 - a person sees a message, never a traceback; the data in use stays
        findings = [
            Finding(
                name,
                None,
                None,
                None,
                "The workbook could not be read: the file may be damaged, protected or not an Excel workbook.",  # no error class names on screen
                Severity.ERROR,
                "Check it opens in Excel and follows the template; if it does, report this problem.",
            )
        ]
        ss[ERROR_KEY.format(kind)] = {"name": name, "findings": findings}
        return findings
    if kind == PLAN and ss.get(UPLOAD_KEY.format(kind)):  # last month's tracker may become this one's history
        ss[mapping_step.PREVIOUS] = ss[UPLOAD_KEY.format(kind)]
    # `tracker`: read as a council's own tracker (from the parse just made: the review button needs no second read).
    tracker = kind == PLAN and loaded.about.get("layout") == "tracker"
    ss[UPLOAD_KEY.format(kind)] = {"name": name, "data": data, "sha256": digest, "tracker": tracker}
    ss.pop(ERROR_KEY.format(kind), None)
    ss[NOTICE_KEY.format(kind)] = {"name": name, "count": len(loaded.findings)}
    return loaded.findings


def use_mapping(name: str, data: bytes, mapping_json: str) -> None:
    """Adopt an uploaded tracker with the mapping the person chose (kept for this session only)."""
    ss = st.session_state
    digest = cache_keys.workbook(data, mapping_json)
    try:
        loaded = read_workbook(PLAN, digest, name, data, mapping=mapping_json)
    except WorkbookError as error:
        ss[ERROR_KEY.format(PLAN)] = {"name": name, "findings": error.findings}
        return
    ss[UPLOAD_KEY.format(PLAN)] = {"name": name, "data": data, "sha256": digest, "mapping": mapping_json}
    ss.pop(ERROR_KEY.format(PLAN), None)
    ss[NOTICE_KEY.format(PLAN)] = {"name": name, "count": len(loaded.findings)}


def set_earlier_versions(earlier: list[tuple[str, bytes]]) -> None:
    """Earlier versions of the uploaded tracker: their statuses become its Updates history (docs/trackers.md)."""
    ss = st.session_state
    upload = ss[UPLOAD_KEY.format(PLAN)]
    mapping = upload.get("mapping")
    digest = cache_keys.workbook(upload["data"], mapping, [data for _, data in earlier])
    try:
        loaded = read_workbook(PLAN, digest, upload["name"], upload["data"], mapping=mapping, earlier=tuple(earlier))
    except WorkbookError as error:
        ss[ERROR_KEY.format(PLAN)] = {"name": ", ".join(n for n, _ in earlier), "findings": error.findings}
        return
    ss[UPLOAD_KEY.format(PLAN)] = {**upload, "earlier": tuple(earlier), "sha256": digest}
    ss.pop(ERROR_KEY.format(PLAN), None)
    ss[NOTICE_KEY.format(PLAN)] = {
        "name": f"{upload['name']} with {plural(len(earlier), 'earlier version')}",
        "count": len(loaded.findings),
    }


def _clear_upload(kind: str) -> None:
    for key in (UPLOAD_KEY, ERROR_KEY, NOTICE_KEY):
        st.session_state.pop(key.format(kind), None)


def plan_bytes_in_use() -> bytes | None:
    """The bytes of the plan workbook in use (upload, environment variable or embedded), as the frame chose it."""
    upload = st.session_state.get(UPLOAD_KEY.format(PLAN))
    if upload:
        return upload["data"]
    env = os.environ.get(PLAN_ENV)
    path = Path(env) if env and Path(env).is_file() else DEFAULT_PLAN
    return path.read_bytes() if path.is_file() else None


def _source_bytes(kind: str) -> tuple[str, str, bytes] | None:
    """(source kind, file name, bytes) for the plan or performance workbook in use, or None."""
    upload = st.session_state.get(UPLOAD_KEY.format(kind))
    if upload:
        return UPLOAD, upload["name"], upload["data"]
    env = os.environ.get(PLAN_ENV if kind == PLAN else PERFORMANCE_ENV)
    if env:
        # Never another council's data in its place: the problem, and no plan (or no performance figures).
        path = Path(env)
        try:
            if path.is_file():
                too_big = size_finding(path.stat().st_size, path.name)  # before reading a byte: a 5 GB file is never loaded
                if too_big:
                    raise WorkbookError([too_big])
                return ENVIRONMENT, path.name, path.read_bytes()
            problem = path_problem(path)
        except OSError as error:
            problem = reason(error)
        variable = PLAN_ENV if kind == PLAN else PERFORMANCE_ENV
        st.error(
            f"**The {kind} workbook set for this dashboard cannot be read.** The server setting {variable} names "
            f"{md(path.name)}: {md(problem)}. Ask whoever runs the dashboard to correct it."
            + (" No plan is shown rather than another council's." if kind == PLAN else " No performance figures are shown.")
        )
        if kind == PLAN:
            st.stop()
        return None
    if kind == PERFORMANCE and _source_kind(PLAN) != EMBEDDED:
        return None  # Durham's performance figures are only paired with Durham's plan.
    default = DEFAULT_PLAN if kind == PLAN else DEFAULT_PERFORMANCE
    return (EMBEDDED, default.name, default.read_bytes()) if default.is_file() else None


def _source_kind(kind: str) -> str:
    if st.session_state.get(UPLOAD_KEY.format(kind)):
        return UPLOAD
    env = os.environ.get(PLAN_ENV if kind == PLAN else PERFORMANCE_ENV)
    return ENVIRONMENT if env and Path(env).is_file() else EMBEDDED


def load(kind: str):
    """(data, Source) for a kind, or (None, None); an unusable non-upload workbook stops the page."""
    found = None
    try:
        found = _source_bytes(kind)
        if found is None:
            return None, None
        how, name, data = found
        upload = (st.session_state.get(UPLOAD_KEY.format(kind)) or {}) if how == UPLOAD else {}
        mapping_text = upload.get("mapping") if how == UPLOAD else (mapping_step.environment_mapping() if how == ENVIRONMENT else None)
        earlier = upload.get("earlier")
        special = kind == PLAN and bool(mapping_text or earlier)
        digest = upload.get("sha256") if how == UPLOAD else cache_keys.workbook(data, mapping_text if special else None)
        if special:
            loaded = read_workbook(PLAN, digest, name, data, mapping=mapping_text, earlier=earlier)
        else:
            loaded = read_workbook(kind, digest, name, data, trusted=how == EMBEDDED, keep_parsed=how != UPLOAD)
    except WorkbookError as error:
        name = error.findings[0].workbook if error.findings else kind
        how = found[0] if found else ENVIRONMENT
        show_problems(f"The {kind} workbook {name} ({how}) cannot be used", error.findings)
        if kind == PLAN:
            st.stop()
        return None, None
    return loaded, Source(how, name, digest, loaded.about.get("organisation"))


def data_sidebar(plan_source: Source, perf_source: Source | None) -> None:
    ss = st.session_state
    with st.sidebar.expander("Data source", expanded=False):
        st.caption(f"Plan: {md(plan_source.label())}")
        st.caption(
            f"Performance: {md(perf_source.label())}"
            if perf_source
            else "Performance: none loaded (the embedded figures go only with the embedded plan)."
        )
        for kind in (PLAN, PERFORMANCE):
            file = st.file_uploader(
                f"Upload a {kind} workbook",
                type=["xlsx", "xlsm", "xls", "ods"],
                key=f"uploader_{kind}",
                help=upload_help() + " " + UPLOAD_SESSION_NOTE,
            )
            too_big = size_finding(file.size, file.name) if file is not None else None
            if too_big is not None and ss.get(f"_seen_{kind}") != (file.name, file.size):
                ss[f"_seen_{kind}"] = (file.name, file.size)  # refused from its length: the bytes are never copied
                ss[ERROR_KEY.format(kind)] = {"name": file.name, "findings": [too_big]}
                st.rerun()
            if file is not None and too_big is None:
                data = file.getvalue()
                digest = cache_keys.workbook(data)
                if ss.get(f"_seen_{kind}") != digest:
                    ss[f"_seen_{kind}"] = digest
                    submit_upload(kind, file.name, data)
                    st.rerun()
            if ss.get(UPLOAD_KEY.format(kind)):
                st.caption(UPLOAD_SESSION_NOTE)
                st.button(f"Stop using the uploaded {kind} workbook", key=f"clear_{kind}", on_click=_clear_upload, args=(kind,))
                if kind == PLAN and plan_source.kind == UPLOAD:
                    mapping_step.offer_review(ss[UPLOAD_KEY.format(kind)], set_earlier_versions)
            st.download_button(  # the bytes are built when the button is pressed (0.15 s of openpyxl, not on every first page)
                f"Blank {kind} workbook template",
                lambda kind=kind: template_bytes(kind),
                file_name=f"{kind}_template.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=f"template_{kind}",
            )


def pending_uploads() -> None:
    """Uploads handed in through session state (`pending_upload_<kind>`, as the tests do) are submitted first."""
    for kind in (PLAN, PERFORMANCE):
        pending = st.session_state.pop(PENDING_KEY.format(kind), None)
        if pending:
            submit_upload(kind, pending[0], pending[1])


def upload_notices(plan_source: Source, perf_source: Source | None) -> None:
    """An upload that could not be used (the data in use stays), or one just loaded."""
    ss = st.session_state
    for kind in (PLAN, PERFORMANCE):
        error = ss.get(ERROR_KEY.format(kind))
        if error:
            shown = plan_source if kind == PLAN else perf_source
            still = f"; still showing {shown.name}" if shown else ""
            show_problems(f"The uploaded {kind} workbook {error['name']} cannot be used{still}", error["findings"])
        notice = ss.pop(NOTICE_KEY.format(kind), None)
        if notice:
            extra = f" with {plural(notice['count'], 'data-quality finding')}: see the Data quality page" if notice["count"] else ""
            st.success(f"Loaded {md(notice['name'])}{extra}. {UPLOAD_SESSION_NOTE}")

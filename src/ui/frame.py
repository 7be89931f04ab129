"""The frame every page draws first: `ctx = frame.page("Overview")`.

It picks the data (upload > environment variable > embedded), loads it once per file (cached by
the SHA-256 of its bytes), draws the shared controls in the sidebar, builds the PlanView once per
(plan, reporting date, tolerance), and shows the notices every page carries. Pages get a
PageContext and only wire widgets, analysis, charts and tables together.

The only streamlit module besides the pages. Cached objects are shared between sessions:
treat `ctx.view`, `ctx.plan` and their frames as read-only (copy before adding columns).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import streamlit as st

from src.analysis.dates import format_date
from src.analysis.exceptions import previous_reporting_date
from src.analysis.findings import Finding, Severity, WorkbookError
from src.analysis.isolation import PERFORMANCE as _ISOLATED_PERFORMANCE
from src.analysis.isolation import PLAN as _ISOLATED_PLAN
from src.analysis.isolation import load_isolated
from src.analysis.limits import upload_help
from src.analysis.load import size_finding
from src.analysis.performance_workbook import PerformanceData, load_performance
from src.analysis.plan_workbook import RAG_ORDER, PlanData, load_plan
from src.analysis.progress import NO_LEAD, in_scope, progress_trend, scope_words, task_table
from src.analysis.summary import (
    DEFAULT_PERFORMANCE,
    DEFAULT_PLAN,
    PERFORMANCE_ENV,
    PLAN_ENV,
    PlanView,
    plan_summary,
)
from src.analysis.wording import plural
from src.output_files import path_problem, reason
from src.templates import performance_template_bytes, plan_template_bytes

from . import mapping as mapping_step
from . import navigation, state
from .safe import md, plain
from .tables import csv_bytes, for_display

PLAN, PERFORMANCE = "plan", "performance"
EMBEDDED, ENVIRONMENT, UPLOAD = "embedded", "environment variable", "upload"
# Session-state keys. `upload_<kind>` holds {"name", "data", "sha256"} for this session only;
# `pending_upload_<kind>` = (name, bytes) is handled on the next run (the tests use it).
UPLOAD_KEY = "upload_{}"
PENDING_KEY = "pending_upload_{}"
ERROR_KEY = "upload_error_{}"
NOTICE_KEY = "upload_notice_{}"
CONTROLS_KEY = "controls"
WIDGET_KEYS = {"as_at": "w_as_at", "tolerance_days": "w_tol", "themes": "w_theme", "leads": "w_lead", "rags": "w_rag"}
CACHE_FILES = 8
CACHE_VIEWS = 32


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


@dataclass
class PageContext:
    """What a page needs: the PlanView, the filtered task table, the controls and the sources."""

    title: str
    view: PlanView
    tasks: pd.DataFrame  # view.tasks after the theme / lead / RAG filters
    controls: state.Controls
    plan_source: Source
    performance: PerformanceData | None = None
    performance_source: Source | None = None
    _cache: dict = field(default_factory=dict, repr=False)
    council: str | None = None  # LA code for the published figures (sidebar, About, $DASHBOARD_COUNCIL)

    @property
    def plan(self) -> PlanData:
        return self.view.plan

    @property
    def view_key(self) -> tuple:
        """Everything the filtered view depends on, for `memo` keys: workbooks, date, tolerance, filters."""
        c = self.controls
        perf_sha = self.performance_source.sha256 if self.performance_source else None
        return (
            self.plan_source.sha256,
            perf_sha,
            state.iso(self.as_at),
            self.view.tolerance_days,
            tuple(c.themes),
            tuple(c.leads),
            tuple(c.rags),
        )

    @property
    def as_at(self) -> pd.Timestamp:
        return self.view.as_at

    @property
    def filtered(self) -> bool:
        return self.controls.filtered

    @property
    def findings(self) -> list[Finding]:
        """Every data-quality finding: plan, then performance."""
        return list(self.plan.findings) + (list(self.performance.findings) if self.performance is not None else [])

    @cached_property
    def summary(self) -> dict:
        """The CLI's summary for the whole plan at this date (unfiltered)."""
        extra = self.performance.findings if self.performance is not None else None
        return plan_summary(self.view, extra_findings=extra)

    def trend(self) -> pd.DataFrame:
        """progress_trend at every reporting date up to D, for the filtered tasks."""
        ids = tuple(self.tasks["task_id"]) if self.filtered else None
        return _trend(self.plan_source.sha256, state.iso(self.as_at), self.view.tolerance_days, ids, self.plan)

    def table_at(self, as_at: pd.Timestamp) -> pd.DataFrame:
        """The task table at another reporting date (same tolerance), filtered like `tasks`."""
        table = _table_at(self.plan_source.sha256, state.iso(as_at), self.view.tolerance_days, self.plan)
        return table[table["task_id"].isin(set(self.tasks["task_id"]))]

    def previous_date(self) -> pd.Timestamp | None:
        """The reporting date before this one (the engine's one definition), or None."""
        return previous_reporting_date(self.plan, self.as_at)


# ---- loading (cached by content hash) ---------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@st.cache_resource(max_entries=CACHE_FILES, show_spinner="Reading the plan workbook…")
def _plan_from_bytes(
    sha: str, name: str, _data: bytes, trusted: bool = False, _mapping: str | None = None, _earlier: tuple | None = None
) -> PlanData:
    # Untrusted bytes (uploads, DASHBOARD_PLAN) are parsed in a limited worker process: a hostile file costs
    # that process, never the server. The embedded workbook is trusted and read here. A tracker read with a
    # saved mapping and/or its earlier versions goes through the same worker (the sha covers them too).
    if _mapping or _earlier:
        return mapping_step.load(_data, name, _mapping, earlier=_earlier)
    return load_plan(_data, name) if trusted else load_isolated(_ISOLATED_PLAN, _data, name)


@st.cache_resource(max_entries=CACHE_FILES, show_spinner="Reading the performance workbook…")
def _performance_from_bytes(sha: str, name: str, _data: bytes, trusted: bool = False) -> PerformanceData:
    return load_performance(_data, name) if trusted else load_isolated(_ISOLATED_PERFORMANCE, _data, name)


@st.cache_resource(max_entries=CACHE_VIEWS, show_spinner=False)
def _view(
    plan_sha: str, perf_sha: str | None, as_at: str | None, tolerance_days: int, _plan: PlanData, _kpis: pd.DataFrame | None
) -> PlanView:
    return PlanView.build(_plan, pd.Timestamp(as_at) if as_at else None, tolerance_days, kpis=_kpis)


@st.cache_resource(max_entries=CACHE_VIEWS, show_spinner="Working out the trend…")
def _trend(plan_sha: str, as_at: str, tolerance_days: int, task_ids: tuple | None, _plan: PlanData) -> pd.DataFrame:
    return progress_trend(_plan, pd.Timestamp(as_at), tolerance_days, task_ids=task_ids)


@st.cache_resource(max_entries=CACHE_VIEWS, show_spinner=False)
def _table_at(plan_sha: str, as_at: str, tolerance_days: int, _plan: PlanData) -> pd.DataFrame:
    return task_table(_plan, pd.Timestamp(as_at), tolerance_days)


@st.cache_data(show_spinner=False)
def _template(kind: str) -> bytes:
    return plan_template_bytes() if kind == PLAN else performance_template_bytes()


def _loader(kind: str):
    return _plan_from_bytes if kind == PLAN else _performance_from_bytes


def submit_upload(kind: str, name: str, data: bytes) -> list[Finding]:
    """Validate uploaded bytes; keep them for this session when usable (never written to disk).

    Returns the findings. A workbook that cannot be used leaves the data in use unchanged and
    records its problems for the st.error the frame shows.
    """
    ss = st.session_state
    digest = sha256(data)
    try:
        loaded = _loader(kind)(digest, name, data)
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
    ss[UPLOAD_KEY.format(kind)] = {"name": name, "data": data, "sha256": digest}
    ss.pop(ERROR_KEY.format(kind), None)
    ss[NOTICE_KEY.format(kind)] = {"name": name, "count": len(loaded.findings)}
    return loaded.findings


def use_mapping(name: str, data: bytes, mapping_json: str) -> None:
    """Adopt an uploaded tracker with the mapping the person chose (kept for this session only)."""
    ss = st.session_state
    digest = sha256(data + mapping_json.encode())
    try:
        loaded = _plan_from_bytes(digest, name, data, False, mapping_json)
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
    digest = sha256(upload["data"] + (mapping or "").encode() + b"".join(data for _, data in earlier))
    try:
        loaded = _plan_from_bytes(digest, upload["name"], upload["data"], False, mapping, tuple(earlier))
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


def _load(kind: str):
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
        digest = upload.get("sha256") if how == UPLOAD else (sha256(data + mapping_text.encode()) if special else sha256(data))
        if special:
            loaded = _plan_from_bytes(digest, name, data, False, mapping_text, earlier)
        else:
            loaded = _loader(kind)(digest, name, data, how == EMBEDDED)
    except WorkbookError as error:
        name = error.findings[0].workbook if error.findings else kind
        how = found[0] if found else ENVIRONMENT
        _show_problems(f"The {kind} workbook {name} ({how}) cannot be used", error.findings)
        if kind == PLAN:
            st.stop()
        return None, None
    return loaded, Source(how, name, digest, loaded.about.get("organisation"))


def _show_problems(heading: str, findings: list[Finding]) -> None:
    errors = [f for f in findings if f.severity == Severity.ERROR] or findings
    lines = [f"- {md(f)}" + (f" What to do: {md(f.advice)}" if f.advice else "") for f in errors[:20]]
    if len(errors) > 20:
        lines.append(f"- … and {len(errors) - 20} more.")
    st.error(f"**{md(heading)}:**\n" + "\n".join(lines))


# ---- sidebar: data source ---------------------------------------------------------------------


# Said before a reload can drop an upload (under the uploader) and when it is loaded (issue 14).
UPLOAD_SESSION_NOTE = "Your upload is held for this browser session only; reloading the page returns to the embedded data."


def _data_sidebar(plan_source: Source, perf_source: Source | None) -> None:
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
                digest = sha256(data)
                if ss.get(f"_seen_{kind}") != digest:
                    ss[f"_seen_{kind}"] = digest
                    submit_upload(kind, file.name, data)
                    st.rerun()
            if ss.get(UPLOAD_KEY.format(kind)):
                st.caption(UPLOAD_SESSION_NOTE)
                st.button(f"Stop using the uploaded {kind} workbook", key=f"clear_{kind}", on_click=_clear_upload, args=(kind,))
                if kind == PLAN and plan_source.kind == UPLOAD:
                    mapping_step.offer_review(ss[UPLOAD_KEY.format(kind)], set_earlier_versions)
            st.download_button(
                f"Blank {kind} workbook template",
                _template(kind),
                file_name=f"{kind}_template.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=f"template_{kind}",
            )


# ---- sidebar: shared controls -----------------------------------------------------------------


def _initial_controls() -> state.Controls:
    params = {name: st.query_params.get_all(name) for name in state.QUERY_PARAMS}
    return state.from_query(params)


def _on_change(field_name: str) -> None:
    controls: state.Controls = st.session_state[CONTROLS_KEY]
    setattr(controls, field_name, st.session_state[WIDGET_KEYS[field_name]])


def _controls_sidebar(plan: PlanData) -> state.Controls:
    ss = st.session_state
    if CONTROLS_KEY not in ss:
        ss[CONTROLS_KEY] = _initial_controls()
    dates = [state.iso(d) for d in plan.reporting_dates] or [state.iso(plan.default_as_at())]
    free_date = plan.as_at_is_today  # no Updates and no plan date: any date may be chosen (default today)
    if free_date:
        dates = [ss.get(FREE_DATE_CHOSEN) or dates[-1]]
    themes = list(plan.themes["theme_id"])
    theme_names = dict(zip(plan.themes["theme_id"], plan.themes["theme"]))
    leads = sorted(set(plan.tasks["lead"].fillna(NO_LEAD)), key=str.lower)
    rags = [str(r) for r in RAG_ORDER]
    controls = state.settle(ss[CONTROLS_KEY], dates, themes, leads, rags)
    ss[CONTROLS_KEY] = controls
    for name, key in WIDGET_KEYS.items():  # widgets forget their value on a page switch; re-seed them
        ss[key] = getattr(controls, name)
    side = st.sidebar
    if free_date:
        _free_reporting_date(controls)
    else:
        side.selectbox(
            "Reporting date",
            dates,
            format_func=format_date,
            key=WIDGET_KEYS["as_at"],
            on_change=_on_change,
            args=("as_at",),
            help="Progress as reported at this date (the latest by default).",
        )
    side.number_input(
        "RAG tolerance (days)",
        min_value=0,
        max_value=state.MAX_TOLERANCE_DAYS,
        step=1,
        key=WIDGET_KEYS["tolerance_days"],
        on_change=_on_change,
        args=("tolerance_days",),
        help="How many days a forecast may run past the planned finish and still be Amber rather than Red.",
    )
    side.multiselect(
        "Theme",
        themes,
        format_func=lambda t: plain(f"{t}. {theme_names.get(t, '')}"),
        key=WIDGET_KEYS["themes"],
        on_change=_on_change,
        args=("themes",),
        placeholder="All themes",
    )
    side.multiselect(
        "Lead", leads, format_func=plain, key=WIDGET_KEYS["leads"], on_change=_on_change, args=("leads",), placeholder="All leads"
    )
    side.multiselect("RAG", rags, key=WIDGET_KEYS["rags"], on_change=_on_change, args=("rags",), placeholder="All RAG")
    _write_query(controls, state.iso(pd.Timestamp.today()) if free_date else dates[-1])
    return controls


FREE_DATE_KEY = "w_as_at_free"
FREE_DATE_CHOSEN = "_free_as_at"


def _on_free_date() -> None:
    controls: state.Controls = st.session_state[CONTROLS_KEY]
    chosen = st.session_state.get(FREE_DATE_KEY)
    if chosen is not None:
        controls.as_at = st.session_state[FREE_DATE_CHOSEN] = state.iso(chosen)


def _free_reporting_date(controls: state.Controls) -> None:
    """The plan has no Updates and no plan date: the reporting date defaults to today, says so, and may be set."""
    st.session_state[FREE_DATE_KEY] = pd.Timestamp(controls.as_at).date()
    st.sidebar.date_input(
        "Reporting date",
        key=FREE_DATE_KEY,
        on_change=_on_free_date,
        format="DD/MM/YYYY",
        help="The date the plan's RAG and planned completion are worked out at.",
    )
    if controls.as_at == state.iso(pd.Timestamp.today()):
        st.sidebar.caption("The plan has no progress updates and no plan date, so the reporting date is today. Choose another date above.")
    else:
        st.sidebar.caption(
            "The plan has no progress updates and no plan date: the reporting date is the one chosen above (today by default)."
        )


def _write_query(controls: state.Controls, latest: str) -> None:
    wanted = state.to_query(controls, latest)
    for name in state.QUERY_PARAMS:
        if st.query_params.get_all(name) != wanted.get(name, []):
            if name in wanted:
                st.query_params[name] = wanted[name]
            else:
                del st.query_params[name]


def filter_tasks(tasks: pd.DataFrame, controls: state.Controls) -> pd.DataFrame:
    mask = pd.Series(True, index=tasks.index)
    if controls.themes:
        mask &= tasks["theme_id"].isin(controls.themes)
    if controls.leads:
        mask &= tasks["lead"].fillna(NO_LEAD).isin(controls.leads)
    if controls.rags:
        mask &= tasks["rag"].astype("object").map(str).isin(controls.rags)
    return tasks[mask]


# ---- sidebar: the council whose published figures are shown (issue 17) -------------------------

COUNCIL_CHOICE_KEY, COUNCIL_WIDGET_KEY = "council_choice", "w_council"


def _on_council() -> None:
    st.session_state[COUNCIL_CHOICE_KEY] = st.session_state[COUNCIL_WIDGET_KEY] or None


def _council_sidebar(plan: PlanData, performance: PerformanceData | None) -> str | None:
    """A council picker (name or LA code, type to search). Default: the plan's or the performance workbook's
    About `council` / `organisation`, else $DASHBOARD_COUNCIL, else the `council` query parameter."""
    from src.analysis import published

    try:
        data = published.load_published()
    except (OSError, ValueError, KeyError):
        return None  # no published data files: the pages work as before
    ss = st.session_state
    table = published.councils(data)
    names = dict(zip(table["code"], table["name"]))
    chosen = ss.get(COUNCIL_CHOICE_KEY) or st.query_params.get("council")
    code = published.choose_council(data, chosen, plan.about, performance.about if performance is not None else None)
    ss[COUNCIL_WIDGET_KEY] = code or ""  # widgets forget their value on a page switch; re-seed it
    st.sidebar.selectbox(
        "Council (published figures)",
        ["", *table["code"]],
        format_func=lambda c: f"{names[c]} ({c})" if c else "None chosen",
        key=COUNCIL_WIDGET_KEY,
        on_change=_on_council,
        help="Whose published DfE figures the scorecard and benchmarks show, beside England, the region and the "
        "statistical neighbours. Type a name or an LA code.",
    )
    return code


# ---- the frame --------------------------------------------------------------------------------


def _pending_uploads() -> None:
    for kind in (PLAN, PERFORMANCE):
        pending = st.session_state.pop(PENDING_KEY.format(kind), None)
        if pending:
            submit_upload(kind, pending[0], pending[1])


def _notices(ctx: PageContext) -> None:
    ss = st.session_state
    for kind in (PLAN, PERFORMANCE):
        error = ss.get(ERROR_KEY.format(kind))
        if error:
            shown = ctx.plan_source if kind == PLAN else ctx.performance_source
            still = f"; still showing {shown.name}" if shown else ""
            _show_problems(f"The uploaded {kind} workbook {error['name']} cannot be used{still}", error["findings"])
        notice = ss.pop(NOTICE_KEY.format(kind), None)
        if notice:
            extra = f" with {plural(notice['count'], 'data-quality finding')}: see the Data quality page" if notice["count"] else ""
            st.success(f"Loaded {md(notice['name'])}{extra}. {UPLOAD_SESSION_NOTE}")
    parts = [f"Plan: {md(ctx.plan_source.label())}"]
    if ctx.performance_source:
        parts.append(f"performance: {md(ctx.performance_source.label())}")
    parts.append(f"as at {format_date(ctx.as_at)}; RAG tolerance {ctx.view.tolerance_days} days")
    st.caption(" · ".join(parts))
    quarters = ctx.plan.quarters_notice()
    if quarters:
        st.caption(quarters)
    if ctx.plan.is_illustrative:  # one line; the workbook's full data status on click (issue 14)
        notice, details = st.columns([5, 1], vertical_alignment="center")
        notice.warning(
            "**Illustrative progress:** the plan is the council's own; its progress figures are not the council's reported progress."
        )
        with details.popover("About this data", width="stretch"):
            st.markdown(f"**Data status:** {md(ctx.plan.about.get('data_status'))}")
            st.caption(
                "Updates, RAG and slippage are illustrative, generated for demonstration; recommendations, tasks, leads and dates are transcribed."
            )
    if ctx.filtered:
        bits = []
        if ctx.controls.themes:
            bits.append("theme " + md(", ".join(ctx.controls.themes)))
        if ctx.controls.leads:
            bits.append("lead " + md("; ".join(ctx.controls.leads)))
        if ctx.controls.rags:
            bits.append("RAG " + ", ".join(ctx.controls.rags))
        st.info(f"Filtered to {' and '.join(bits)}: {scope_words(ctx.tasks, len(in_scope(ctx.view.tasks)))}.")


# Keyboard focus that can be seen (WCAG 2.4.7): Streamlit's own indicator is a 15% grey wash on the
# sidebar links (about 1.1:1) and a 1px border colour on inputs. A 3px ring in the theme's dark blue instead.
FOCUS_CSS = """<style>
[data-testid="stApp"] :is(a, button, summary, [role="button"], [tabindex]:not([tabindex="-1"])):focus-visible
  { outline: 3px solid #12436D !important; outline-offset: 2px; }
[data-testid="stApp"] div:has(> :is(input, textarea):focus-visible) { outline: 3px solid #12436D; outline-offset: 1px; }
</style>"""


def page(title: str) -> PageContext:
    """Draw the frame (title, sidebar, notices) and return the page's context. Call it first."""
    st.set_page_config(page_title=f"{title} · {navigation.APP_NAME}", layout="wide")  # each page its own tab title
    st.html(FOCUS_CSS)  # style only: takes no space
    navigation.sidebar_links()
    st.title(title)
    _pending_uploads()
    plan, plan_source = _load(PLAN)
    performance, perf_source = _load(PERFORMANCE)
    controls = _controls_sidebar(plan)
    council = _council_sidebar(plan, performance)
    _data_sidebar(plan_source, perf_source)
    kpis = performance.kpis if performance is not None else None
    view = _view(plan_source.sha256, perf_source.sha256 if perf_source else None, controls.as_at, controls.tolerance_days, plan, kpis)
    ctx = PageContext(title, view, filter_tasks(view.tasks, controls), controls, plan_source, performance, perf_source)
    ctx.council = council
    _notices(ctx)
    if mapping_step.pending():  # an uploaded tracker waits for its mapping: that comes before the page
        mapping_step.draw_step(use_mapping)
        st.stop()
    return ctx


# ---- drawing helpers the pages share ----------------------------------------------------------


@st.cache_resource(max_entries=256, show_spinner=False)
def _memo(key: tuple, _build, _args: tuple, _kwargs: dict):
    return _build(*_args, **_kwargs)


def memo(key: tuple, build, *args, **kwargs):
    """build(*args, **kwargs) once per `key` across reruns and sessions (bounded). The key must name
    everything the result depends on (e.g. the workbook's sha256 and the chosen month); treat the
    result as read-only. For charts and tables whose inputs do not change between reruns."""
    return _memo(key, build, args, kwargs)


def show_chart(chart_obj, key: str) -> None:
    """Title as a subheading, the figure, the description as a caption, the data in an expander."""
    st.header(md(chart_obj.title), anchor=False)  # h2 under the page title: headings never skip a level (axe heading-order)
    # A plain dict, not go.Figure(...): re-validating a figure costs ~0.1 s a chart on every rerun.
    figure = chart_obj.figure.to_dict()
    layout = figure.setdefault("layout", {})
    layout["title"] = {**layout.get("title", {}), "text": ""}  # the subheading above already says it
    layout["margin"] = {**layout.get("margin", {}), "t": 40}
    st.plotly_chart(figure, key=f"chart_{key}", theme=None, config={"displaylogo": False})  # the charts carry their own accessible styling
    st.caption(md(chart_obj.description))
    with st.expander("Data behind this chart"):
        show_table(chart_obj.data, key=f"chart_{key}", file_name=f"{key}.csv")


MAX_TABLE_ROWS = 1000


def capped(frame: pd.DataFrame) -> pd.DataFrame:
    """The first MAX_TABLE_ROWS rows, saying so: sending 10,000 rows to the browser on every rerun is slow
    and nobody reads them on screen; the download keeps them all."""
    if len(frame) <= MAX_TABLE_ROWS:
        return frame
    st.caption(f"Showing the first {MAX_TABLE_ROWS:,} of {len(frame):,} rows; filter in the sidebar, or download for all of them.")
    return frame.head(MAX_TABLE_ROWS)


def show_table(frame: pd.DataFrame, key: str, file_name: str | None = None, **kwargs) -> None:
    """A table with dates as `31 Mar 2017` and a CSV download (of every row)."""
    st.dataframe(for_display(capped(frame)), hide_index=True, key=f"table_{key}", **kwargs)
    if file_name:
        # A callable: the CSV is built when someone clicks, not on every rerun (10,000-row tables).
        st.download_button("Download CSV", lambda: csv_bytes(frame), file_name=file_name, mime="text/csv", key=f"csv_{key}")


def excel_bytes(sheets: dict[str, pd.DataFrame], title_rows: dict[str, list[str]] | None = None) -> bytes:
    """An .xlsx of the given tables through src.xlsx (formula-like text is guarded)."""
    from src.xlsx import build_workbook, workbook_bytes

    return workbook_bytes(build_workbook(sheets, title_rows=title_rows))


LARGE_TYPE_CSS = """<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p, [data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] [data-testid="stWidgetLabel"] p, [data-testid="stMain"] [data-testid="stTable"] td,
[data-testid="stMain"] [data-testid="stTable"] th, [data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 1.5rem; line-height: 1.45; }
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] p { font-size: 3rem; }
[data-testid="stMain"] h3 { font-size: 2rem; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { color: #0B0C0C; }
</style>"""


def large_type(key: str = "large_type") -> bool:
    """A 'Large type' toggle for workshops and projected screens: bigger text in the main area, captions at
    full contrast (near-black on white). Returns whether it is on; tables are best drawn with st.table then."""
    on = st.toggle("Large type", key=key, help="Bigger text for a projected screen or a workshop.")
    if on:
        st.html(LARGE_TYPE_CSS)
    return on

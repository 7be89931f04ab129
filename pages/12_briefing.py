"""Briefing pack: the documents people already use, for the reporting date and tolerance in the sidebar.

The Portfolio Holder brief (2-4 pages, PDF or Word), the QIB slide deck (PowerPoint, optionally on the
council's own template), the full pack of every table (PDF or Word) and the Excel workbook. Each is
built only when asked (with a progress bar), cached by its inputs, and offered as a download named
for a person ("Portfolio Holder brief - 31 Mar 2017.docx")."""

import hashlib
import threading
import time
from collections import OrderedDict

import streamlit as st

from src.analysis.dates import format_date
from src.analysis.exceptions import DEFAULT_DUE_WITHIN_DAYS
from src.export.briefing import MIME, build_document, file_name
from src.export.content import figure_status
from src.export.excel import export_workbook
from src.export.pptx_writer import TemplateError
from src.ui import frame
from src.ui.safe import md
from src.ui.state import iso

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_LIMIT_MB = 20
FORMAT_WORDS = {"pdf": "PDF (accessible, for reading)", "docx": "Word (to edit before it goes)", "pptx": "PowerPoint"}


STORE_ENTRIES = 12  # built documents kept for every session (a few MB each at most)


@st.cache_resource(show_spinner=False)
def document_store() -> tuple[OrderedDict, threading.Lock]:
    """Built documents by their inputs, shared by sessions (a cached function cannot drive the progress bar)."""
    return OrderedDict(), threading.Lock()


def build_doc(doc_key: tuple, *, view, performance, due_days: int, template: bytes | None, progress=None) -> bytes:
    """The document for `doc_key` (kind, format, then the inputs it depends on): from the store when built
    before, else built now (and stored)."""
    kind, fmt = doc_key[0], doc_key[1]
    store, lock = document_store()
    with lock:
        if doc_key in store:
            store.move_to_end(doc_key)
            return store[doc_key]
    data = build_document(view, performance, kind, fmt, due_days, template=template, progress=progress)
    with lock:
        store[doc_key] = data
        while len(store) > STORE_ENTRIES:
            store.popitem(last=False)
    return data


@st.cache_resource(max_entries=8, show_spinner=False)
def build_xlsx(plan_sha: str, perf_sha: str | None, as_at: str, tolerance_days: int, due_days: int, _view, _performance) -> bytes:
    return export_workbook(_view, _performance, due_within_days=due_days)


ctx = frame.page("Briefing pack")
st.write(
    f"Every document is for the whole plan at **{format_date(ctx.as_at)}** with a RAG tolerance of "
    f"**{ctx.view.tolerance_days} days**: change these in the sidebar."
    + (" The sidebar's theme, lead and RAG filters do not apply: the documents cover every task." if ctx.filtered else "")
)
due_days = st.columns(3)[0].number_input(
    "Due soon: within how many days",
    min_value=0,
    max_value=365,
    value=DEFAULT_DUE_WITHIN_DAYS,
    step=1,
    key="pack_due_days",
    help="The window for the 'Due soon' items in the exceptions.",
)

# What the figures are: illustrative or published, per source.
st.header("Status of the figures")
st.markdown("\n".join(f"- **{md(what)}:** {md(status)}" for what, status in figure_status(ctx.view, ctx.performance)))
if ctx.plan.is_illustrative:
    st.caption(
        "Every document says so on its first page, slide or About sheet, so a printed copy cannot be mistaken for reported progress."
    )

key = (
    ctx.plan_source.sha256,
    ctx.performance_source.sha256 if ctx.performance_source else None,
    iso(ctx.as_at),
    int(ctx.view.tolerance_days),
    int(due_days),
)


def download(data: bytes, name: str, mime: str, kind: str, seconds: float) -> None:
    st.download_button(
        f"Download {name}",
        data,
        file_name=name,
        mime=mime,
        key=f"download_{kind}",
        on_click="ignore",
        type="primary",
        icon=":material/download:",
    )
    st.caption(f"Built in {seconds:.1f} s; {len(data) / 1024:,.0f} KB.")


def offer(kind: str, label: str, what: str, formats: tuple[str, ...], button: str, template: bytes | None = None) -> None:
    """A format choice and a build button; once built for these inputs, the download, with the time it took."""
    if label:
        st.header(label)
    if what:
        st.markdown(what)
    fmt = formats[0]
    if len(formats) > 1:
        fmt = st.radio("Format", formats, format_func=FORMAT_WORDS.get, horizontal=True, key=f"format_{kind}")
    template_sha = hashlib.sha256(template).hexdigest() if template else None
    doc_key = (kind, fmt, *key, template_sha)
    state_key = f"built_{kind}"
    if st.button(f"{button} ({fmt.upper()})", key=f"build_{kind}", type="primary"):
        bar = st.progress(0.0, text="Starting…")
        started = time.perf_counter()
        try:
            build_doc(
                doc_key,
                due_days=int(due_days),
                view=ctx.view,
                performance=ctx.performance,
                template=template,
                progress=lambda share, words: bar.progress(min(1.0, share), text=words),
            )
        except TemplateError as error:
            bar.empty()
            st.error(f"The PowerPoint template could not be used: {error}. The deck can be built without a template.")
            return
        bar.empty()
        st.session_state[state_key] = (doc_key, time.perf_counter() - started)
    built = st.session_state.get(state_key)
    if built and built[0] == doc_key:
        data = build_doc(
            doc_key, due_days=int(due_days), view=ctx.view, performance=ctx.performance, template=template
        )  # stored: returns at once
        download(data, file_name(kind, fmt, ctx.as_at), MIME[fmt], kind, built[1])


offer(
    "brief",
    "Portfolio Holder brief",
    "Two to four A4 pages. Page 1: the summary in plain English, the RAG counts with their change since the last "
    "reporting date, and questions you may want to ask. Then what slipped and why, what changed, the recommendations "
    "at risk (in full), the key performance figures against England and statistical neighbours, and the decisions "
    "needed. The PDF is tagged for screen readers; the Word version has real headings, to edit before it goes.",
    ("pdf", "docx"),
    "Build the Portfolio Holder brief",
)

st.subheader("QIB slide deck")
st.markdown(
    "16:9 slides for the Quality Improvement Board: title; summary; one slide per theme (RAG counts, what slipped, what "
    "is due next, chart); the exceptions one per slide in large type; changes since the last meeting; risks and LSCB "
    "actions; decisions for the board. RAG is always a word and a colour; the detail is in the speaker notes."
)
uploaded = st.file_uploader(
    "Your council's PowerPoint template (optional)",
    type=["pptx"],
    key="deck_template",
    help=f"A .pptx with your colours and logo (up to {TEMPLATE_LIMIT_MB} MB). The deck uses its 'Title Slide' and "
    "'Title Only' layouts; any slides in it are left out.",
)
template_bytes = None
if uploaded is not None:
    if uploaded.size > TEMPLATE_LIMIT_MB * 1024 * 1024:
        st.error(f"The template is {uploaded.size / 1e6:,.1f} MB; templates up to {TEMPLATE_LIMIT_MB} MB are used.")
    else:
        template_bytes = uploaded.getvalue()
offer("deck", "", "", ("pptx",), "Build the QIB slide deck", template_bytes)
offer(
    "full",
    "Full pack (every table)",
    "Every table on A4: the summary, progress by theme and the completion trend, recommendation coverage, the items for "
    "the board's attention and the LSCB actions, caseload and workforce, KPIs against England and statistical "
    "neighbours with their sources, the risk register, and how the figures were made.",
    ("pdf", "docx"),
    "Build the full pack",
)

st.subheader("Excel workbook of every table")
st.markdown(
    "One sheet per table, with real dates and numbers for your own analysis: About (sources, settings and the "
    "figures' status), Summary, Tasks, progress by theme, milestone and lead, Coverage, Exceptions, LSCB actions, "
    "Risks, Trend, and, with a performance workbook, Caseload by team and KPIs. RAG cells are filled and worded."
)
if st.button("Build the Excel workbook of every table", key="build_xlsx", type="primary"):
    started = time.perf_counter()
    with st.spinner("Building the Excel workbook…"):
        build_xlsx(*key, ctx.view, ctx.performance)
    st.session_state["built_xlsx"] = (key, time.perf_counter() - started)
built = st.session_state.get("built_xlsx")
if built and built[0] == key:
    workbook = build_xlsx(*key, ctx.view, ctx.performance)
    download(workbook, f"Briefing tables - {format_date(ctx.as_at)}.xlsx", XLSX, "xlsx", built[1])

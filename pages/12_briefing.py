"""Briefing pack: the A4 PDF for the Portfolio Holder and the Excel workbook of every table, built for the
reporting date and tolerance in the sidebar only when asked (the PDF takes a few seconds), cached by
(plan, performance, reporting date, tolerance, due-soon window), and offered as downloads."""

import time

import streamlit as st

from src.analysis.dates import format_date
from src.analysis.exceptions import DEFAULT_DUE_WITHIN_DAYS
from src.export.briefing import briefing_pdf
from src.export.content import figure_status
from src.export.excel import export_workbook
from src.ui import frame
from src.ui.safe import md
from src.ui.state import iso

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_resource(max_entries=8, show_spinner=False)
def build_pdf(plan_sha: str, perf_sha: str | None, as_at: str, tolerance_days: int, due_days: int, _view, _performance) -> bytes:
    return briefing_pdf(_view, _performance, due_within_days=due_days)


@st.cache_resource(max_entries=8, show_spinner=False)
def build_xlsx(plan_sha: str, perf_sha: str | None, as_at: str, tolerance_days: int, due_days: int, _view, _performance) -> bytes:
    return export_workbook(_view, _performance, due_within_days=due_days)


ctx = frame.page("Briefing pack")
st.write(
    f"Both files are for the whole plan at **{format_date(ctx.as_at)}** with a RAG tolerance of "
    f"**{ctx.view.tolerance_days} days**: change these in the sidebar."
    + (" The sidebar's theme, lead and RAG filters do not apply: the pack covers every task." if ctx.filtered else "")
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
    st.caption("Both files say so on their cover or About sheet, so a printed copy cannot be mistaken for reported progress.")

key = (
    ctx.plan_source.sha256,
    ctx.performance_source.sha256 if ctx.performance_source else None,
    iso(ctx.as_at),
    int(ctx.view.tolerance_days),
    int(due_days),
)
stem = f"briefing_pack_{ctx.as_at:%Y-%m-%d}"


def offer(kind: str, label: str, button: str, builder, file_name: str, mime: str, what: str) -> None:
    """A build button; once built for this key, the download button, with the time it took."""
    st.header(label)
    st.markdown(what)
    state_key = f"built_{kind}"
    if st.button(button, key=f"build_{kind}", type="primary"):
        started = time.perf_counter()
        with st.spinner(f"Building the {label.lower()}…"):
            builder(*key, ctx.view, ctx.performance)
        st.session_state[state_key] = (key, time.perf_counter() - started)
    built = st.session_state.get(state_key)
    if built and built[0] == key:
        data = builder(*key, ctx.view, ctx.performance)  # cached: returns at once
        st.download_button(
            f"Download {file_name}",
            data,
            file_name=file_name,
            mime=mime,
            key=f"download_{kind}",
            on_click="ignore",
            type="primary",
            icon=":material/download:",
        )
        st.caption(f"Built in {built[1]:.1f} s; {len(data) / 1024:,.0f} KB.")


offer(
    "pdf",
    "Briefing pack (PDF)",
    "Build the briefing pack (PDF)",
    build_pdf,
    f"{stem}.pdf",
    "application/pdf",
    "An A4 pack for a councillor to read on paper. A cover with the figures' status; a summary in plain English "
    "generated from the figures; progress by theme (chart and table) and the completion trend; recommendation "
    "coverage; the items for the board's attention (exceptions) and the LSCB actions; caseload and workforce; "
    "KPIs at the reporting date against England and statistical neighbours; the risk register. Every page "
    'says "Page N of M". Takes a few seconds to build.',
)
offer(
    "xlsx",
    "Excel workbook of every table",
    "Build the Excel workbook of every table",
    build_xlsx,
    f"{stem}.xlsx",
    XLSX,
    "One sheet per table, with real dates and numbers for your own analysis: About (sources, settings and the "
    "figures' status), Summary, Tasks, roll-ups by theme, milestone and lead, Coverage, Exceptions, LSCB actions, "
    "Risks, Trend, and, with a performance workbook, Caseload by team and KPIs. RAG cells are filled and worded.",
)

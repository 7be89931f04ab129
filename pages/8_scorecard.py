"""Performance scorecard: every KPI as known at the reporting date (value, target, RAG, direction,
comparators, trend, source), KPI status over the periods, and one KPI's full chart with its definition."""

import streamlit as st

from src import charts
from src.analysis import scorecard
from src.analysis.dates import format_date
from src.analysis.performance_summary import kpi_values_known_at, latest_kpis_at
from src.ui import context, frame, published_view, widgets
from src.ui.safe import md, plain

ctx = frame.page("Performance scorecard")
perf = ctx.performance


def published_section(local: dict | None = None) -> None:
    """The chosen council's published figures against England, its region and its statistical neighbours."""
    from src.analysis import published
    from src.analysis.performance_summary import workbook_matches_council

    data = published_view.data()
    name = published.council_name(data, ctx.council)
    st.header(f"Published figures for {name} against England, the region and statistical neighbours")
    if perf is not None and not workbook_matches_council(perf, ctx.council, data):
        st.warning(
            f"The performance workbook is for {perf.about.get('organisation') or 'another council'}; the published "
            f"figures below are {name}'s, chosen in the sidebar."
        )
    st.caption(
        "DfE published statistics, each at its latest year on or before the reporting date; statistical neighbours "
        "from the DfE 2025 model (the Published benchmarks page offers the 2021 groups, every council and the funnel plots)."
    )
    published_view.show_published_table(ctx.council, ctx.as_at, published.DEFAULT_MODEL, key="scorecard_published", local=local)
    published_view.explain_codes()


if (perf is None or perf.kpis.empty) and ctx.council:
    st.info(
        "**No performance workbook with KPIs is loaded: the scorecard shows the council's published figures.** A "
        "performance workbook adds local measures (monthly caseloads, local KPIs) and targets: upload one under "
        "**Data source** in the sidebar."
    )
    published_section()
    st.stop()

if perf is None or perf.kpis.empty:
    st.info(
        "**No performance workbook is loaded, so there are no KPIs to show.** Upload one under **Data source** "
        "in the sidebar; the **Blank performance workbook template** there shows the KPIs and KPI_Values sheets "
        "it needs. (The embedded Durham figures are only paired with the embedded Durham plan.)"
    )
    st.stop()

status = perf.sheet_status("KPI_Values")
if status == "published":
    st.success(
        f"**PUBLISHED figures.** KPIs and their values are published statistics. Source: {md(perf.about.get('source', 'see each KPI'))}"
    )
elif status == "illustrative":
    st.warning("**ILLUSTRATIVE: the KPI values are not published figures.**")
else:
    st.caption("The workbook does not say whether its KPI values are published or illustrative.")
st.caption(
    f"Each KPI at its latest period on or before the reporting date, {format_date(ctx.as_at)}: later figures "
    "are not shown. RAG only where the KPI has a target; the direction of travel compares with the previous "
    "period, read in the KPI's polarity (the arrow shows whether the value rose or fell)."
)


# The scorecard: one row per KPI.
def scorecard_at(as_at):
    known_then = kpi_values_known_at(perf, as_at)
    latest_then = latest_kpis_at(perf, as_at)
    return known_then, latest_then, scorecard.scorecard(latest_then, known_then)


known, latest, table = context.memo(("scorecard", ctx.performance_source.sha256, str(ctx.as_at)), scorecard_at, ctx.as_at)
st.header("Scorecard")
widgets.show_table(
    table.drop(columns=["kpi_id"]),
    key="scorecard",
    file_name=f"kpis_{ctx.as_at:%Y-%m-%d}.csv",
    column_config={
        "KPI": st.column_config.TextColumn(width="large", pinned=True),
        "RAG": st.column_config.TextColumn(help="Against the KPI's target (indicators.md, KPI status); no target means no RAG."),
        "Trend": st.column_config.LineChartColumn("Trend up to the reporting date", width="small"),
        "Source": st.column_config.TextColumn(width="large"),
    },
)

# KPI status over the periods.
widgets.show_chart(
    context.memo(
        ("kpi heatmap", ctx.performance_source.sha256, str(ctx.as_at)), lambda: charts.kpi_heatmap(scorecard.status_grid(perf.kpis, known))
    ),
    key="kpi_heatmap",
)

# One KPI in full.
st.header("One KPI over time")
names = dict(zip(latest["kpi_id"], latest["kpi"]))
kpi_id = st.selectbox("KPI", list(names), format_func=lambda k: plain(names[k]), key="scorecard_kpi")
row = latest[latest["kpi_id"] == kpi_id].iloc[0]
settings = perf.kpis[perf.kpis["kpi_id"] == kpi_id].iloc[0]
widgets.show_chart(
    charts.kpi_chart(row, known[known["kpi_id"] == kpi_id], area=perf.about.get("organisation") or "This area"), key=f"kpi_{kpi_id}"
)
if isinstance(settings.get("definition"), str):
    st.markdown(f"**Definition:** {md(settings['definition'])}")
if isinstance(settings.get("source"), str):
    st.markdown(f"**Source:** {md(settings['source'])}")
recs = ", ".join(map(str, row["rec_ids"])) if isinstance(row["rec_ids"], (tuple, list)) and len(row["rec_ids"]) else "none"
st.caption(f"Evidences recommendation(s): {md(recs)}.")

if ctx.council:
    local = None
    if perf.caseloads is not None and not perf.caseloads.empty:
        from src.analysis.performance_summary import caseload_month

        month = caseload_month(perf.caseloads, ctx.as_at)
        head = scorecard.month_headline(scorecard.up_to(perf.caseloads, month), scorecard.up_to(perf.workforce, month), month)
        local = scorecard.local_workforce_figures(head, illustrative=perf.sheet_status("Caseloads") == "illustrative")
    published_section(local)

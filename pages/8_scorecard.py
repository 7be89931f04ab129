"""Performance scorecard: every KPI as known at the reporting date (value, target, RAG, direction,
comparators, trend, source), KPI status over the periods, and one KPI's full chart with its definition."""

import streamlit as st

from src import charts
from src.analysis import scorecard, scorecard_words
from src.analysis.dates import format_date
from src.analysis.kpi import compared_with_other_areas, without_count_comparators
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
    matches = perf is None or context.memo(
        ("workbook matches council", ctx.performance_source.sha256, ctx.council), workbook_matches_council, perf, ctx.council, data
    )
    if not matches:
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
    st.success("**Published figures:** the KPI values are published statistics; their sources are listed under the scorecard.")
elif status == "illustrative":
    st.warning("**ILLUSTRATIVE: the KPI values are not published figures.**")
else:
    st.caption("The workbook does not say whether its KPI values are published or illustrative.")
st.caption(
    f"Each KPI at its latest period on or before the reporting date, {format_date(ctx.as_at)}: later figures "
    "are not shown. RAG only where the KPI has a target. The direction of travel compares with the previous "
    "period: for a KPI where lower or higher is better it says improving or worsening; for a context measure "
    "(children in need, referrals, plans, children looked after) it says only how far the figure rose or fell. "
    "The arrow shows whether the value rose or fell."
)


# The scorecard: one row per KPI.
def scorecard_at(as_at):
    known_then = kpi_values_known_at(perf, as_at)
    latest_then = latest_kpis_at(perf, as_at)
    return known_then, latest_then, scorecard_words.scorecard(latest_then, known_then)


known, latest, table = context.memo(("scorecard", ctx.performance_source.sha256, str(ctx.as_at)), scorecard_at, ctx.as_at)
st.header("Scorecard")
st.caption(scorecard_words.kpi_count_words(latest, ctx.as_at) + ".")
widgets.show_table(
    context.memo(("scorecard table", ctx.performance_source.sha256, str(ctx.as_at)), table.drop, columns=["kpi_id"]),
    key="scorecard",
    file_name=f"kpis_{ctx.as_at:%Y-%m-%d}.csv",
    column_config={
        "KPI": st.column_config.TextColumn(width="large", pinned=True),
        "RAG": st.column_config.TextColumn(help="Against the KPI's target (indicators.md, KPI status); no target means no RAG."),
        "Trend": st.column_config.LineChartColumn("Trend up to the reporting date", width="small"),
        "Source": st.column_config.TextColumn(width="large"),
    },
)
if not latest["unit"].map(compared_with_other_areas).all():
    st.caption(scorecard_words.NOT_COMPARED)
sources = scorecard_words.citation_list(latest["source"])
if sources:
    st.markdown("**Sources**\n" + "\n".join(f"- {md(s)}" for s in sources))
if status == "published" and perf.about.get("source"):
    st.caption(md(perf.about["source"]))  # the workbook's own attribution (e.g. the Open Government Licence), in full

# KPI status over the periods.
widgets.show_chart(
    context.memo(
        ("kpi heatmap", ctx.performance_source.sha256, str(ctx.as_at)),
        lambda: charts.kpi_heatmap(scorecard_words.status_grid(perf.kpis, known), scorecard_words.kpi_grid_title(latest, ctx.as_at)),
    ),
    key="kpi_heatmap",
)

# One KPI in full.
st.header("One KPI over time")
names = dict(zip(latest["kpi_id"], latest["kpi"]))
kpi_id = st.selectbox("KPI", list(names), format_func=lambda k: plain(names[k]), key="scorecard_kpi")
row = latest[latest["kpi_id"] == kpi_id].iloc[0]
settings = perf.kpis[perf.kpis["kpi_id"] == kpi_id].iloc[0]


def one_kpi_chart():
    """The chosen KPI's chart: its values known at the reporting date, each value's source as a citation."""
    one_kpi = without_count_comparators(known[known["kpi_id"] == kpi_id], row["unit"])  # a count is never beside England's
    if "source" in one_kpi.columns:
        one_kpi = one_kpi.assign(source=one_kpi["source"].map(scorecard_words.citation))
    return charts.kpi_chart(row, one_kpi, area=perf.about.get("organisation") or "This area")


widgets.show_chart(context.memo(("kpi chart", ctx.performance_source.sha256, str(ctx.as_at), kpi_id), one_kpi_chart), key=f"kpi_{kpi_id}")
if scorecard_words.plain_words(settings.get("definition")):
    st.markdown(f"**Definition:** {md(scorecard_words.plain_words(settings['definition']))}")
if scorecard_words.citation(settings.get("source")):
    notes = scorecard_words.source_notes(settings["source"])
    st.markdown(f"**Source:** {md(scorecard_words.citation(settings['source']))}" + (f" ({md(notes)})" if notes else ""))
st.caption(md(scorecard_words.recommendation_words(row["rec_ids"])))

if ctx.council:
    local = None
    if perf.caseloads is not None and not perf.caseloads.empty:
        from src.analysis.performance_summary import caseload_month

        def local_figures():
            month = caseload_month(perf.caseloads, ctx.as_at)
            head = scorecard.month_headline(scorecard.up_to(perf.caseloads, month), scorecard.up_to(perf.workforce, month), month)
            return scorecard.local_workforce_figures(head, illustrative=perf.sheet_status("Caseloads") == "illustrative")

        local = context.memo(("scorecard local workforce", ctx.performance_source.sha256, str(ctx.as_at)), local_figures)
    published_section(local)

"""Recommendation coverage: which themes declare each recommendation, which tasks address it,
their roll-up RAG with counts, the KPIs that evidence it, and every coverage finding in words."""

import streamlit as st

from src import charts
from src.analysis import drilldown, scorecard_words
from src.ui import context, frame, widgets
from src.ui import drilldown as drill
from src.ui.safe import md
from src.ui.tables import coverage_view

ctx = frame.page("Recommendation coverage")
if ctx.filtered:
    st.caption("Coverage is worked out for the whole plan: filters do not apply on this page.")

coverage = ctx.view.coverage
if ctx.plan.recommendations.empty:  # a tracker kept without Ofsted's recommendations (docs/trackers.md)
    st.info("This plan does not list Ofsted's recommendations, so coverage cannot be checked.")
    st.stop()
if ctx.plan.themes.empty:  # a tracker with recommendations but no themes (docs/trackers.md)
    st.info("This plan does not group its tasks into themes, so the matrix of themes against recommendations cannot be drawn.")
else:
    # The select box under the grid lists the tasks addressing a recommendation (a heatmap's cells cannot be selected).
    # The whole plan's coverage (no filters): once per data_key, not rebuilt on every rerun (issue 19).
    drill.chart_with_drilldown(
        context.memo(("coverage matrix", *ctx.data_key), charts.coverage_matrix, coverage, ctx.plan.themes, ctx.view.tasks),
        "coverage_matrix",
        context.memo(("recommendation picks", *ctx.data_key), drilldown.recommendation_picks, coverage),
        ctx.view.tasks,
        noun="recommendation",
        clickable=False,
    )

st.header("Findings")
flagged = coverage[coverage["findings"].map(len) > 0]
if flagged.empty:
    st.success("Every recommendation has tasks, a theme in the plan with tasks, and (where KPIs are loaded) a measure of impact.")
for row in flagged.itertuples(index=False):
    st.markdown(f"**Recommendation {md(row.rec_id)}:** " + md(" ".join(row.findings)))

if ctx.performance is not None:  # which KPIs evidence each recommendation (KPIs sheet, rec_ids)
    st.header("KPIs that evidence each recommendation")
    widgets.show_table(
        context.memo(("kpis by recommendation", *ctx.data_key), scorecard_words.kpis_by_recommendation, coverage, ctx.performance.kpis),
        key="coverage_kpis",
        file_name="recommendation_kpis.csv",
    )
else:
    st.caption("No performance workbook is loaded, so KPIs are not checked against recommendations.")

st.header("Every recommendation")
widgets.show_table(
    context.memo(("coverage view", *ctx.data_key), coverage_view, coverage, ctx.plan.themes),
    key="coverage",
    file_name="recommendation_coverage.csv",
    column_config={"Recommendation": st.column_config.TextColumn(width="large")},
)

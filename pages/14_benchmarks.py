"""Published benchmarks: the chosen council's published DfE figures against England, its region and its
statistical neighbours; every council ranked; and a funnel plot saying whether a difference is more than chance."""

import streamlit as st

from src.analysis import published
from src.charts import published as charts
from src.ui import context, frame
from src.ui import published_view as view

ctx = frame.page("Published benchmarks")
data = view.data()
code = ctx.council

if code is None:
    st.info(
        "**Choose a council** under **Council (published figures)** in the sidebar to see its published figures "
        "beside England, its region and its statistical neighbours. A plan or performance workbook whose About "
        "sheet names the council chooses it for you."
    )
    st.stop()

council = published.council_name(data, code)
model = st.radio(
    "Statistical neighbours",
    published.MODELS,
    format_func=lambda m: f"DfE {m} model" + (" (current)" if m == published.DEFAULT_MODEL else ""),
    horizontal=True,
    key="published_model",
)
st.caption(
    f"{council} ({code}), {published.council_region(data, code)}. Each measure at its latest year on or before the reporting "
    f"date, {ctx.as_at:%-d %b %Y}. Published DfE and ONS statistics (Open Government Licence v3.0)."
)

st.header(f"{council}: published figures")
records = view.show_published_table(code, ctx.as_at, model, key="published_all")
view.explain_codes()
if not records:
    st.stop()

st.header("One measure in depth")
names = {r["kpi_id"]: r["kpi"] for r in records}
measure_id = st.selectbox("Measure", list(names), format_func=names.get, key="published_measure")
measure = data.measure(measure_id)
years = [y for y in published.years(data, measure_id, ctx.as_at)]
latest = next(r["year"] for r in records if r["kpi_id"] == measure_id)
year = st.selectbox(
    "Year",
    years[::-1],
    index=years[::-1].index(latest),
    format_func=lambda y: published.period_label(y, measure["period_end"]),
    key=f"published_year_{measure_id}",
)
label = published.period_label(year, measure["period_end"])
b = context.memo(("published benchmark", code, measure_id, year, model), published.benchmark, data, code, measure_id, year, model)
if b["value"] is None:
    st.warning(f"{council}'s {measure['name']} in {label} is {b['reason_text']}.")
if b.get("funnel"):
    st.markdown(f"**Is the difference from England more than chance?** {b['funnel']['text']}")
if b.get("small_numbers"):
    st.warning(b["small_numbers"])
if b.get("note"):
    st.caption(b["note"])

trend = context.memo(
    ("published trend", code, measure_id, model, str(ctx.as_at)), published.trend, data, code, measure_id, model, ctx.as_at
)
# The charts once per (council, measure, year, model, date): rebuilding them took most of a rerun (issue 19).
view.show_view(
    context.memo(("published trend chart", code, measure_id, model, str(ctx.as_at)), charts.benchmark_trend, trend, measure, council),
    key=f"published_trend_{measure_id}",
)

table = context.memo(("published all", measure_id, year, code, model), published.all_councils, data, measure_id, year, code, model)
view.show_view(
    context.memo(("published councils chart", measure_id, year, code, model), charts.all_councils_chart, table, measure, council, label),
    key=f"published_councils_{measure_id}",
)

if measure["funnel"]:
    councils, limits, england = context.memo(
        ("published funnel", measure_id, year, code), published.funnel_table, data, measure_id, year, code
    )
    view.show_view(
        context.memo(
            ("published funnel chart", measure_id, year, code), charts.funnel_plot, councils, limits, england, measure, council, label
        ),
        key=f"published_funnel_{measure_id}",
    )
    st.caption(
        "Method: the limits are exact binomial (percentages) or Poisson (rates per 10,000) quantiles around England's "
        "value for each council size, interpolated as in Spiegelhalter (2005), 'Funnel plots for comparing institutional "
        "performance'. Councils really do differ in need, so many sit outside the limits for rates of children: the "
        "verdict says the difference is real, not why."
    )
else:
    st.caption("No funnel plot for this measure: it is a count or a workforce figure in FTE, not children with a known denominator.")

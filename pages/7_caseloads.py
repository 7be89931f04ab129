"""Caseloads and workforce: headline figures for a month, caseload by team and locality against the
threshold, the distribution of caseloads, the ASYE protected-caseload check, agency, vacancy and turnover."""

import streamlit as st

from src import charts
from src.analysis import scorecard
from src.analysis.caseload import BASIS_CASELOADS, DEFAULT_ROLE_THRESHOLDS, DEFAULT_THRESHOLD, asye_over_threshold, caseload_summary
from src.analysis.dates import format_date
from src.analysis.performance_summary import caseload_month
from src.analysis.wording import MISSING, plural
from src.ui import context, frame, page_params, published_view, widgets
from src.ui.safe import md, plain

ctx = frame.page("Caseloads and workforce")
perf = ctx.performance
ASYE_THRESHOLD = DEFAULT_ROLE_THRESHOLDS["ASYE"]
WORKFORCE_MEASURES = ("SW_FTE", "SW_AGENCY_PCT", "SW_VACANCY_PCT", "SW_TURNOVER_PCT", "SW_CASELOAD")


def published_workforce(local: dict | None = None) -> None:
    """The council's published workforce census figures beside England, region and statistical neighbours."""
    from src.analysis import published

    name = published.council_name(published_view.data(), ctx.council)
    st.header(f"Published workforce figures for {name}")
    st.caption(
        "DfE children's social work workforce census (30 September), the latest on or before the reporting date"
        + ("; the local figure is the workbook's month, so the two dates differ." if local else ".")
    )
    published_view.show_published_table(
        ctx.council, ctx.as_at, published.DEFAULT_MODEL, key="caseload_published", measure_ids=WORKFORCE_MEASURES, local=local
    )


if (perf is None or perf.caseloads is None or perf.caseloads.empty) and ctx.council:
    what = "No performance workbook is loaded" if perf is None else f"{ctx.performance_source.name} has no Caseloads sheet"
    st.info(
        f"**{what}, so there are no local caseload figures: the published workforce figures are shown.** Upload a "
        "performance workbook under **Data source** in the sidebar for monthly caseloads by team."
    )
    published_workforce()
    st.stop()

if perf is None or perf.caseloads is None or perf.caseloads.empty:
    what = "No performance workbook is loaded" if perf is None else f"{md(ctx.performance_source.name)} has no Caseloads sheet"
    st.info(
        f"**{what}, so there are no caseload or workforce figures to show.** Upload a performance workbook "
        "under **Data source** in the sidebar; the **Blank performance workbook template** there shows the "
        "Caseloads and Workforce sheets it needs (one row per case-holding worker per month)."
    )
    st.stop()

# Whether Caseloads and Workforce are illustrative is said once, in the page notice (src/ui/notices.py).
illustrative = perf.generated_workforce_sheets()
if perf.workforce is None:
    st.info(
        "There is no Workforce sheet: the agency rate comes from the Caseloads sheet (workers listed there only), "
        "and there are no vacancy or turnover figures."
    )

# Controls: the month (default: the reporting date's month) and a team or locality.
# The month follows the sidebar's reporting date (one date on the page, as in the header), never a second picker.
month = caseload_month(perf.caseloads, ctx.as_at)
left, right = st.columns(2)
left.markdown(f"**Month:** {format_date(month)}")
left.caption("Month-end figures for the month of the reporting date; change the reporting date in the sidebar.")
focus_options = context.memo(("caseload focus options", ctx.performance_source.sha256), scorecard.focus_options, perf.caseloads)
focus = right.selectbox(
    "Team or locality",
    focus_options,
    index=list(focus_options).index(page_params.initial("team", focus_options[0], focus_options)),
    format_func=plain,
    key="caseload_focus",
)
page_params.keep("team", focus, focus_options[0])
data_key = (ctx.performance_source.sha256, focus, month)  # what every figure below depends on


def focus_frames():
    """Caseloads and Workforce rows of the team or locality up to the chosen month: a view at 31 Mar 2017 does not
    show later months (as KPIs are shown as known then)."""
    localities = scorecard.team_localities(perf.caseloads)
    return (
        scorecard.up_to(scorecard.in_focus(perf.caseloads, focus), month),
        scorecard.up_to(scorecard.in_focus(perf.workforce, focus, localities), month),
    )


# Every frame, figure and table below is memoised per data_key: none is rebuilt on a rerun (issue 19).
caseloads, workforce = context.memo(("caseloads in focus", *data_key), focus_frames)

# Headline figures for the month.
head = context.memo(("month headline", *data_key), scorecard.month_headline, caseloads, workforce, month)
st.header(f"{md(focus)} at {format_date(month)}")
agency_help = scorecard.DEFINITIONS["Agency rate"] + (" Here from Caseloads." if head["agency_basis"] == BASIS_CASELOADS else "")
cells = [
    (
        "Average caseload",
        MISSING if head["average"] is None else f"{head['average']:.1f}",
        f"Cases per FTE; the threshold is {DEFAULT_THRESHOLD:g}. " + scorecard.DEFINITIONS["Average caseload"],
    ),
    ("Above threshold", scorecard.rate_text(head["share_over_threshold"]), scorecard.DEFINITIONS["Over threshold"]),
    ("Case holders", str(head["workers"]), "Workers with cases > 0 (headcount)."),
    ("FTE", MISSING if head["fte"] is None else f"{head['fte']:.1f}", "Full-time equivalent of the case holders."),
    (
        "Agency rate" + (" (from Caseloads)" if head["agency_basis"] == BASIS_CASELOADS else ""),
        scorecard.rate_text(head["agency_rate"]),
        agency_help,
    ),
    ("Vacancy rate", scorecard.rate_text(head["vacancy_rate"]), scorecard.DEFINITIONS["Vacancy rate"]),
    (
        "Turnover (12 months)",
        scorecard.rate_text(head["turnover_rate"]),
        scorecard.DEFINITIONS["Turnover (rolling 12 months)"] + " Unknown until 12 months of Workforce rows.",
    ),
]
for row in (cells[:4], cells[4:]):  # caseload, then workforce: four to a row so the values fit
    for column, (label, value, help_text) in zip(st.columns(4), row):
        column.metric(label, value, help=help_text, border=True)
with st.expander("Definitions"):
    st.markdown("\n".join(f"- **{name}:** {text}" for name, text in scorecard.DEFINITIONS.items()))

# Average caseload over time by team and by locality, against the threshold.
st.header("Average caseload over time")
by_team, by_locality = st.tabs(["By team", "By locality"])
with by_team:
    widgets.show_chart(
        context.memo(("team trend", *data_key), lambda: charts.caseload_trend(caseload_summary(caseloads, "team"), DEFAULT_THRESHOLD)),
        key="caseload_by_team",
    )
with by_locality:
    if "locality" in caseloads.columns and caseloads["locality"].notna().any():
        widgets.show_chart(
            context.memo(
                ("locality trend", *data_key),
                lambda: charts.caseload_trend(caseload_summary(caseloads.dropna(subset=["locality"]), "locality"), DEFAULT_THRESHOLD),
            ),
            key="caseload_by_locality",
        )
    else:
        st.info("The Caseloads sheet has no locality column, so there is no locality view.")

# The month's distribution, and the share above threshold over time.
widgets.show_chart(
    context.memo(
        ("distribution", *data_key),
        lambda: charts.caseload_distribution(scorecard.workers_in_month(caseloads, month), DEFAULT_THRESHOLD, ASYE_THRESHOLD),
    ),
    key="caseload_distribution",
)
st.caption(
    f"Threshold {DEFAULT_THRESHOLD:g} cases per FTE for most roles; ASYE (newly qualified) workers have a "
    f"protected caseload of {ASYE_THRESHOLD:g}, counted against that in the share above threshold."
)
widgets.show_chart(
    context.memo(("share trend", *data_key), lambda: charts.share_over_threshold_trend(caseload_summary(caseloads, "service"))),
    key="share_over_threshold",
)

# ASYE protected caseloads in the month.
st.header(f"ASYE protected caseloads at {format_date(month)}")
breaches = context.memo(("asye over threshold", *data_key), asye_over_threshold, caseloads)
in_month = context.memo(("asye in month", *data_key), lambda: breaches[breaches["period"] == month])
if in_month.empty:
    st.success(f"None: no ASYE held more than {ASYE_THRESHOLD:g} cases per FTE at {format_date(month)}.")
else:
    st.error(f"{plural(len(in_month), 'ASYE worker')} held more than the protected caseload of {ASYE_THRESHOLD:g} cases per FTE.")
    widgets.show_table(
        context.memo(
            ("asye in month table", *data_key),
            in_month.rename,
            columns={
                "period": "Month",
                "team": "Team",
                "worker_id": "Worker",
                "fte": "FTE",
                "cases": "Cases",
                "caseload_per_worker": "Cases per FTE",
                "threshold": "Threshold",
            },
        ),
        key="asye_month",
        file_name="asye_over_threshold.csv",
    )
if len(breaches) and len(breaches) != len(in_month):
    st.caption(
        f"In all months: {plural(len(breaches), 'ASYE month')} above {ASYE_THRESHOLD:g}, latest at {format_date(breaches['period'].max())}."
    )

# Agency, vacancy and turnover over time.
st.header("Agency, vacancy and turnover")


def workforce_rates_chart():
    rates = scorecard.workforce_rates(caseloads, workforce)
    return charts.workforce_rates_trend(rates["agency"], rates["vacancy"], rates["turnover"])


widgets.show_chart(
    context.memo(("workforce rates", *data_key), workforce_rates_chart),
    key="workforce_rates",
)

if ctx.council:
    service_month = context.memo(
        ("service month headline", ctx.performance_source.sha256, month),
        lambda: scorecard.month_headline(scorecard.up_to(perf.caseloads, month), scorecard.up_to(perf.workforce, month), month),
    )
    published_workforce(scorecard.local_workforce_figures(service_month, illustrative=bool(illustrative)))

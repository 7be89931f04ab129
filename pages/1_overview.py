"""Overview: the plan in plain English first (the Portfolio Holder brief's own summary, questions a
councillor could ask), then the headline figures (as the CLI summary) with what each count includes,
RAG by theme, planned vs actual completion, and what changed since the previous reporting date."""

from dataclasses import replace

import streamlit as st

from src import charts
from src.analysis import drilldown
from src.analysis.dates import format_date
from src.analysis.explore import explore
from src.analysis.governance_log import decisions_needed
from src.analysis.headline import Group, figures, filtered_view
from src.analysis.narrative import plan_narrative
from src.analysis.plan_workbook import RAG_ORDER
from src.analysis.progress import changes_between, rollup, rollup_words
from src.analysis.scorecard_words import overview_caseload
from src.analysis.wording import plural
from src.charts.palette import RAG_STYLES
from src.ui import context, frame, widgets
from src.ui import drilldown as drill
from src.ui.metrics import Metric, metric_rows
from src.ui.safe import md

ctx = frame.page("Overview")


def metric_row(metrics):
    for column, metric in zip(st.columns(len(metrics)), metrics):
        # A change is words ("up 2") coloured by meaning, with no arrow: Streamlit would point "down 1" up.
        column.metric(
            metric.label,
            metric.value,
            metric.delta or None,
            metric.delta_color if metric.delta else "off",
            help=metric.help or None,
            border=True,
            delta_arrow="off",
        )
        if metric.note:  # what the count includes, in full under the tile (a delta chip would cut it short)
            column.caption(md(metric.note))


# Each RAG tile carries its colour on its left edge as well as its word (RAG_ORDER: Red, Amber, Green, Blue, Cancelled).
RAG_TILE_CSS = (
    "<style>"
    + "".join(
        f".st-key-rag_tiles [data-testid='stColumn']:nth-of-type({i}) [data-testid='stMetric'] "
        f"{{ border-left: 10px solid {RAG_STYLES[r].colour} !important; }}"
        for i, r in enumerate(RAG_ORDER, start=1)
    )
    + "</style>"
)


def _story(view, previous_as_at):
    """The whole plan's narrative at D, as the Portfolio Holder brief builds it, with the board's decisions
    from `governance_log.decisions_needed` (which says whether they came from the decisions log or the data)."""
    previous = ctx.view_at(previous_as_at) if previous_as_at is not None else None  # = PlanView.build at that date
    needed = decisions_needed(view)
    return plan_narrative(view, previous, needed.table, needed.source_text)


# The story first: the same generated summary as page 1 of the Portfolio Holder brief (whole plan).
previous = ctx.previous_date()
story = context.memo(("overview story", *ctx.data_key, str(previous)), _story, ctx.view, previous)
st.header(f"The plan at {format_date(ctx.as_at)} in brief", anchor=False)
since = f"What changed since {format_date(story.previous_as_at)}" if story.previous_as_at is not None else "What changed"
for heading, sentences in (
    ("Where the plan stands", story.headline + story.on_track),
    ("What slipped", story.slipped),
    (since, story.changed),
    ("What the board is asked to decide", story.decisions),
):
    st.markdown(f"**{heading}.** " + " ".join(md(sentence) for sentence in sentences))
if ctx.filtered:
    st.caption("This summary is for the whole plan; the figures below are for the filtered tasks.")
st.subheader("Questions a councillor could ask", anchor=False)
st.markdown("\n".join(f"- {md(question)}" for question in story.questions))

# Headline figures: the registry's (src/analysis/headline.py), in its order, for the filtered tasks (= CLI when
# unfiltered); coverage and data quality always for the whole plan, both workbooks' findings counted.
st.header("Headline figures", anchor=False)
whole = replace(ctx.view, extra_findings=tuple(ctx.performance.findings) if ctx.performance is not None else ())
shown = context.memo(("headline figures", *ctx.view_key), figures, filtered_view(whole, ctx.tasks), whole, False)
before = None
if previous is not None:  # the same figures at the previous reporting date, for the tiles that show a change
    before = context.memo(
        ("headline figures", *ctx.view_key, str(previous)), figures, filtered_view(whole, ctx.table_at(previous), previous), whole, False
    )
for group, tiles in metric_rows(shown, before, format_date(previous) if previous is not None else "").items():
    if group is Group.RAG:
        st.html(RAG_TILE_CSS)
        with st.container(key="rag_tiles"):
            metric_row(tiles)
        if previous is not None:
            st.caption(f"Change in each RAG count since the previous reporting date, {format_date(previous)}.")
    else:
        metric_row(tiles)
if ctx.filtered:
    st.caption("Coverage and data-quality figures are for the whole plan; the others for the filtered tasks.")
caseload = (
    context.memo(("overview caseload", *ctx.data_key), overview_caseload, ctx.performance, ctx.as_at)
    if ctx.performance is not None
    else None
)
if caseload:  # the reporting month's caseload and workforce (= the CLI summary's `caseload`)
    metric_row([Metric(*cell) for cell in caseload["cells"]])
    st.caption(caseload["note"])

by_theme = context.memo(("rag by theme", *ctx.view_key), explore, ctx.tasks, "theme", "RAG mix")
theme_chart = context.memo(
    ("rag by theme chart", *ctx.view_key),
    charts.explore_bar,
    by_theme,
    "Theme",
    "Number of tasks",
    "tasks",
    rag_mix=True,
    group_column="group",
)
# The worst-RAG colours above never stand alone: each theme's counts in words (progress.rollup_words), right under
# the chart; then a click on a bar's segment (or the select box) lists the tasks behind it (src/ui/drilldown.py).
theme_rollup = context.memo(("rollup by theme", *ctx.view_key), rollup, ctx.tasks, ["theme_id", "theme"])
theme_rows = drilldown.group_picks(by_theme["group"], "theme", theme_chart.data["Theme"]) if not by_theme.empty else []
drill.chart_with_drilldown(
    theme_chart,
    "rag_by_theme",
    theme_rows,
    ctx.tasks,
    noun="bar",
    refine=drilldown.rag_segment,
    options=drilldown.with_rag_segments(theme_rows, by_theme),
    after_chart=lambda: st.markdown(
        "\n".join(f"- Theme {md(row['theme_id'])} ({md(row['theme'])}): {rollup_words(row)}" for _, row in theme_rollup.iterrows())
    ),
)
widgets.show_chart(context.memo(("completion trend", *ctx.view_key), lambda: charts.completion_trend(ctx.trend())), key="completion_trend")

# What changed since the previous reporting date.
st.header("What changed since the previous reporting date")
if previous is None:
    st.info(f"{format_date(ctx.as_at)} is the first reporting date, so there is nothing to compare with.")
else:
    changes = context.memo(("changes", *ctx.view_key, str(previous)), lambda: changes_between(ctx.table_at(previous), ctx.tasks))
    st.caption(f"From {format_date(previous)} to {format_date(ctx.as_at)}.")
    groups = context.memo(
        ("change groups", *ctx.view_key, str(previous)),
        lambda: [
            ("Newly Red", changes[changes["newly_red"]]),
            ("Newly Amber", changes[changes["newly_amber"]]),
            ("Newly complete", changes[changes["newly_complete"]]),
            ("Forecast moved", changes[changes["forecast_moved"]]),
        ],
    )
    metric_row([Metric(name, str(len(rows))) for name, rows in groups])
    columns = {
        "task_id": "Task",
        "task": "Task wording",
        "lead": "Lead",
        "rag_before": "RAG before",
        "rag": "RAG now",
        "reason": "Why",
        "forecast_finish_before": "Forecast before",
        "forecast_finish": "Forecast now",
        "forecast_moved_days": "Moved (days)",
    }
    for name, rows in groups:
        if len(rows):
            with st.expander(f"{name}: {plural(len(rows), 'task')}"):
                widgets.show_table(
                    context.memo(
                        ("change table", *ctx.view_key, str(previous), name), lambda rows=rows: rows[list(columns)].rename(columns=columns)
                    ),
                    key=f"changes_{name}",
                    file_name=f"{name.lower().replace(' ', '_')}.csv",
                )
    if changes.empty:
        st.success("No task changed RAG, completed or moved its forecast.")

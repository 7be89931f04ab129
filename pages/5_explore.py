"""Explore: any measure by any grouping, with the tasks behind each group."""

import streamlit as st

from src import charts
from src.analysis import drilldown
from src.analysis.explore import MEASURE_COLUMNS, Grouping, Measure, explore
from src.analysis.plan_workbook import TaskStatus
from src.analysis.progress import scope_words
from src.ui import drilldown as drill
from src.ui import frame, page_params

ctx = frame.page("Explore")


def grouping_words(grouping) -> str:
    """'Theme', 'Start quarter', 'RAG' (an acronym keeps its capitals: never 'Rag')."""
    text = str(grouping)
    return text if text.isupper() else text.capitalize()


left, right = st.columns(2)
groupings, measures = list(Grouping), list(Measure)
grouping = left.selectbox(
    "Group tasks by",
    groupings,
    index=groupings.index(page_params.initial("group", Grouping.THEME, groupings)),
    format_func=lambda g: grouping_words(g),
    key="explore_grouping",
)
measure = right.selectbox(
    "Measure",
    measures,
    index=measures.index(page_params.initial("measure", measures[0], measures)),
    format_func=lambda m: str(m).capitalize(),
    key="explore_measure",
)
page_params.keep("group", str(grouping), str(Grouping.THEME))
page_params.keep("measure", str(measure), str(list(Measure)[0]))

result = explore(ctx.tasks, grouping, measure)
group_label = grouping_words(grouping)
measure_label = str(measure).capitalize()
value_column = MEASURE_COLUMNS.get(measure, "tasks")
rates = measure in (Measure.COMPLETION_RATE, Measure.PLANNED_COMPLETION)
plotted = result.assign(**{value_column: result[value_column] * 100}) if rates else result
chart = charts.explore_bar(
    plotted, group_label, measure_label + (" (%)" if rates else ""), value_column, rag_mix=measure == Measure.RAG_MIX, group_column="group"
)
# A click on a bar (a RAG segment in the RAG mix), or the select box under the chart, lists the tasks behind it.
group_rows = drilldown.group_picks(result["group"], grouping, chart.data[group_label]) if not result.empty else []
rag_mix = measure == Measure.RAG_MIX
drill.chart_with_drilldown(
    chart,
    "explore",
    group_rows,
    ctx.tasks,
    noun=group_label.lower(),
    refine=drilldown.rag_segment if rag_mix else None,
    options=drilldown.with_rag_segments(group_rows, result) if rag_mix else None,
)
cancelled = int((ctx.tasks["status"] == TaskStatus.CANCELLED).sum())
st.caption(
    f"{scope_words(ctx.tasks).capitalize()}."
    + (
        f" The task count and RAG mix show every task, so they include the {cancelled} cancelled (as Cancelled); "
        "rates and slips count tasks in scope only."
        if cancelled
        else ""
    )
)
if result.empty:
    st.info("No tasks match the filters.")

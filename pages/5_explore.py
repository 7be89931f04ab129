"""Explore: any measure by any grouping, with the tasks behind each group."""

import streamlit as st

from src import charts
from src.analysis import drilldown
from src.analysis.explore import MEASURE_COLUMNS, Grouping, Measure, explore
from src.analysis.plan_workbook import TaskStatus
from src.analysis.progress import scope_words
from src.analysis.wording import sentence
from src.ui import context, frame, page_params
from src.ui import drilldown as drill

ctx = frame.page("Explore")


def grouping_words(grouping) -> str:
    """'Theme', 'Start quarter', 'RAG' (an acronym keeps its capitals: never 'Rag')."""
    text = str(grouping)
    return sentence(text)


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
    format_func=lambda m: str(m)[:1].upper() + str(m)[1:],  # "RAG mix", never "Rag mix"
    key="explore_measure",
)
page_params.keep("group", str(grouping), str(Grouping.THEME))
page_params.keep("measure", str(measure), str(list(Measure)[0]))


def explore_parts(tasks, grouping, measure):
    """The grouped result, its chart and the drill-down choices: once per (filtered view, grouping, measure)."""
    result = explore(tasks, grouping, measure)
    group_label = grouping_words(grouping)
    measure_label = str(measure)[:1].upper() + str(measure)[1:]
    value_column = MEASURE_COLUMNS.get(measure, "tasks")
    rates = measure in (Measure.COMPLETION_RATE, Measure.PLANNED_COMPLETION)
    plotted = result.assign(**{value_column: result[value_column] * 100}) if rates else result
    chart = charts.explore_bar(
        plotted,
        group_label,
        measure_label + (" (%)" if rates else ""),
        value_column,
        rag_mix=measure == Measure.RAG_MIX,
        group_column="group",
    )
    group_rows = drilldown.group_picks(result["group"], grouping, chart.data[group_label]) if not result.empty else []
    options = drilldown.with_rag_segments(group_rows, result) if measure == Measure.RAG_MIX else None
    return result, chart, group_rows, options


result, chart, group_rows, options = context.memo(
    ("explore", *ctx.view_key, str(grouping), str(measure)), explore_parts, ctx.tasks, grouping, measure
)
group_label = grouping_words(grouping)
rag_mix = measure == Measure.RAG_MIX
# A click on a bar (a RAG segment in the RAG mix), or the select box under the chart, lists the tasks behind it.
drill.chart_with_drilldown(
    chart,
    "explore",
    group_rows,
    ctx.tasks,
    noun=group_label.lower(),
    refine=drilldown.rag_segment if rag_mix else None,
    options=options,
)
cancelled = int((ctx.tasks["status"] == TaskStatus.CANCELLED).sum())
st.caption(
    f"{sentence(scope_words(ctx.tasks))}."
    + (
        f" The task count and RAG mix show every task, so they include the {cancelled} cancelled (as Cancelled); "
        "rates and slips count tasks in scope only."
        if cancelled
        else ""
    )
)
if result.empty:
    st.info("No tasks match the filters.")

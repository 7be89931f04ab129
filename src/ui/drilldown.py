"""Drill-down glue: a chart whose bars and points can be clicked, a select box that does the same from the
keyboard, and the table of the tasks behind the choice under them, with a way to clear it.

The mapping from a selection to task rows is src/analysis/drilldown.py (plain pandas); this module only
draws the widgets and keeps the click and the select box in step (docs/screen-wording.md, "Drill-down").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from src.analysis.drilldown import Pick, heading, picks_from_points, tasks_behind

from . import page_params, widgets
from .safe import md, plain
from .tables import for_display

NOTHING = "(none chosen)"
URL_PARAM = "behind"  # one drill-down chart a page: the choice in the URL, so a link shows the same tasks


def drill_table(tasks: pd.DataFrame) -> pd.DataFrame:
    """The tasks behind a choice as people read them: the task's words first, its code beside, RAG as a
    word, dates as `31 Mar 2017`, blank cells blank."""
    table = pd.DataFrame(
        {
            "Task": tasks["task"],
            "Task code": tasks["task_id"],
            "RAG": tasks["rag"].astype("object").map(lambda v: "" if v is None or pd.isna(v) else str(v)),
            "Why": tasks["reason"],
            "Lead": tasks["lead"],
            "Status": tasks["status"].astype("object"),
            "Planned finish": tasks["planned_finish"],
            "Expected finish": tasks["expected_finish"],
            "Slip (days)": tasks["slip_days"],
            "Theme": tasks["theme_id"],
            "Milestone": tasks["milestone_ref"],
        }
    )
    return for_display(table.reset_index(drop=True))


def _state(key: str) -> dict:
    """This chart's drill-down memory: the labels shown, the last chart selection seen, the chart's generation
    (bumped to redraw the chart without its selection when someone clears it)."""
    return st.session_state.setdefault(f"drill_state_{key}", {"labels": [], "seen": (), "generation": 0})


def _on_choose(key: str) -> None:
    chosen = st.session_state.get(f"drill_{key}")
    _state(key)["labels"] = [] if chosen in (None, NOTHING) else [chosen]


def _on_clear(key: str) -> None:
    state = _state(key)
    state.update(labels=[], seen=(), generation=state["generation"] + 1)
    st.session_state[f"drill_{key}"] = NOTHING


def _categories(figure, axis: str) -> list | None:
    """The category axis's order: layout.<axis>axis.categoryarray, else the first trace's values
    (`figure` is the plotly Figure shown, widgets.figure_for_screen)."""
    if axis not in ("x", "y"):
        return None
    layout_axis = figure.layout[f"{axis}axis"]
    if layout_axis.categoryarray is not None:
        return list(layout_axis.categoryarray)
    traces = figure.data
    return list(traces[0][axis] if traces[0][axis] is not None else []) if traces else None


def chart_with_drilldown(
    chart_obj,
    key: str,
    rows: Sequence[Pick],
    tasks: pd.DataFrame | Callable[[Pick], pd.DataFrame],
    *,
    noun: str = "bar",
    axis: str | None = "y",
    refine: Callable[[Pick, str | None], Pick | None] | None = None,
    options: Sequence[Pick] | None = None,
    clickable: bool = True,
    after_chart: Callable[[], None] | None = None,
) -> list[Pick]:
    """widgets.show_chart's chart (title as a subheading, figure, description, data), whose bars and points
    can be clicked (`on_select="rerun"`, points only), then "Show the tasks behind a <noun>" (a select box
    of `options`, default `rows`: the same choice without a pointer) and the tasks behind the choice.

    `rows` are the chart's rows in category order (`axis` is the category axis; None: by point index);
    `refine` narrows a row by the trace clicked (e.g. `drilldown.rag_segment`). `tasks` is the task table,
    or a function giving the table for a pick (a pick at another reporting date). `clickable=False` for a
    chart plotly cannot select on (a heatmap: its cells send no selection), where the select box alone
    does it. `after_chart` draws what belongs right under the chart (the overview's theme counts in words)
    before the select box. Returns the picks shown.
    """
    fresh = f"drill_state_{key}" not in st.session_state
    state = _state(key)
    chart_key = f"chart_{key}" if not state["generation"] else f"chart_{key}_{state['generation']}"
    selectable = {"on_select": "rerun", "selection_mode": ("points",)} if clickable else {}
    figure = widgets.figure_for_screen(chart_obj)
    event = widgets.show_chart(chart_obj, key, figure=figure, chart_key=chart_key, **selectable)
    if after_chart is not None:
        after_chart()

    choices = list(options) if options is not None else list(rows)
    by_label: dict[str, Pick] = {}
    for pick in choices:  # the first of each label, in the chart's order
        by_label.setdefault(pick.label, pick)
    points = list(getattr(getattr(event, "selection", None), "points", None) or [])
    curve_names = [trace.name for trace in figure.data]
    clicked = picks_from_points(points, rows, _categories(figure, axis) if axis else None, curve_names, axis or "y", refine)
    seen = tuple(p.label for p in clicked)
    if seen != state["seen"]:  # the chart's selection changed: it leads, and the select box follows it
        state["seen"] = seen
        if clicked:
            state["labels"] = seen
            for pick in clicked:
                by_label.setdefault(pick.label, pick)
            st.session_state[f"drill_{key}"] = seen[0] if len(seen) == 1 and seen[0] in by_label else NOTHING
    if fresh:  # a link opens the page with its choice shown (?behind=<choice>, page_params)
        linked = page_params.initial(URL_PARAM, None, list(by_label))
        if linked is not None:
            state["labels"] = [linked]
            st.session_state[f"drill_{key}"] = linked
    labels = [label for label in state["labels"] if label in by_label]
    if st.session_state.get(f"drill_{key}") not in [NOTHING, *by_label]:
        st.session_state[f"drill_{key}"] = NOTHING

    st.selectbox(
        f"Show the tasks behind a {noun}",
        [NOTHING, *by_label],
        format_func=plain,
        key=f"drill_{key}",
        on_change=_on_choose,
        args=(key,),
        help=f"The same as clicking a {noun} on the chart above." if clickable else None,
    )
    picks = [by_label[label] for label in labels]
    page_params.keep(URL_PARAM, labels[0] if len(labels) == 1 else None, None)
    if not picks:
        how = f"Click a {noun} on the chart, or choose one above," if clickable else f"Choose a {noun} above"
        st.caption(f"{how} to list the tasks behind it.")
        return []
    behind = _behind(picks, tasks)
    with st.container(key=f"drill_table_{key}"):
        st.subheader(md(heading(picks, len(behind))), anchor=False)
        if behind.empty:
            st.info("No task is behind this choice.")
        else:
            widgets.show_table(drill_table(behind), key=f"drill_{key}", file_name=f"{key}_tasks.csv")
        st.button("Clear the selection", key=f"drill_clear_{key}", on_click=_on_clear, args=(key,))
    return picks


def _behind(picks: list[Pick], tasks: pd.DataFrame | Callable[[Pick], pd.DataFrame]) -> pd.DataFrame:
    if isinstance(tasks, pd.DataFrame):
        return tasks_behind(tasks, picks)
    parts = [tasks_behind(tasks(pick), [pick]) for pick in picks]
    parts = [p for p in parts if not p.empty]
    if not parts:
        return tasks(picks[0]).iloc[0:0]
    return pd.concat(parts, ignore_index=True).drop_duplicates(subset=["task_id"]).reset_index(drop=True)

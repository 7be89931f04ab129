"""RAG count charts: tasks by group and RAG, any aggregated measure, and the overall RAG split."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from src.analysis.plan_workbook import RAG_ORDER, Rag

from .base import (
    Chart,
    apply_layout,
    category_label,
    empty_chart,
    is_blank,
    join_words,
    labels_above_bars,
    number,
    plot_text,
    plural,
    uniform_bar_text,
    unique_labels,
    verb,
)
from .palette import Category, rag_pattern, rag_style, text_colour_on

RAG_WORDS = [str(r) for r in RAG_ORDER]
IN_SCOPE_RAGS = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE]
DESCRIBE_GROUPS = 12  # groups spelt out in a description; the rest are counted


def group_name(value: object, group_label: str) -> str:
    """'Theme 2' for a short id such as '2'; the value itself when it is already a name or a word ('Red',
    'DCS': a RAG word is never 'RAG Red')."""
    if is_blank(value):
        return f"(no {group_label.lower()})"
    text = str(value)
    return f"{group_label} {text}" if len(text) <= 4 and text not in RAG_WORDS else text


def _counts(frame: pd.DataFrame) -> pd.DataFrame:
    counts = pd.DataFrame(index=frame.index)
    for rag in RAG_WORDS:
        counts[rag] = pd.to_numeric(frame[rag], errors="coerce").fillna(0).astype("int64") if rag in frame else 0
    return counts


def _rag_stack(names: list[str], counts: pd.DataFrame, measure_label: str, group_label: str) -> go.Figure:
    """One horizontal trace per RAG (so the legend lists RAG words), stacked, counts written inside; each
    group's full name above its bar (labels_above_bars, which the builder calls for the height)."""
    labels = unique_labels([category_label(n) for n in names])
    widest = max(int(counts.to_numpy().sum(axis=1).max()), 1)
    fig = go.Figure()
    for rag in RAG_ORDER:
        values = counts[str(rag)].tolist()
        if not any(values):
            continue
        style = rag_style(rag)
        fig.add_trace(
            go.Bar(
                name=str(rag),
                y=labels,
                x=values,
                orientation="h",
                marker={"color": style.colour, "pattern": rag_pattern(rag), "line": {"color": "#FFFFFF", "width": 1}},
                # The RAG word where the segment has room for it, the count alone where it is narrow.
                text=[("" if not v else f"{v} {rag}" if v / widest >= 0.12 else str(v)) for v in values],
                textposition="inside",
                insidetextanchor="middle",
                insidetextfont={"color": style.text_colour},
                textangle=0,
                constraintext="none",
                customdata=[plot_text(n) for n in names],
                hovertemplate=f"%{{customdata}}<br>{rag} ({style.meaning}): %{{x}}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", bargap=0.3)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels, autorange="reversed")
    uniform_bar_text(fig)
    return fig


def _stack_layout(fig: go.Figure, title: str, measure_label: str, group_label: str) -> None:
    """The shared layout of a RAG stack: names above the bars, the legend of RAG words above the plot."""
    labels = list(fig.layout.yaxis.categoryarray or [])
    height = labels_above_bars(fig, labels)
    apply_layout(fig, title, measure_label, group_label, legend_title="RAG", height=height)


def _rag_phrase(row: pd.Series) -> str:
    parts = [f"{int(row[r])} {r}" for r in RAG_WORDS if int(row[r])]
    return join_words(parts) if parts else "no tasks"


def _describe_groups(names: list[str], counts: pd.DataFrame) -> str:
    phrases = [f"{name} has {_rag_phrase(row)}" for name, (_, row) in zip(names, counts.iterrows())]
    shown = phrases[:DESCRIBE_GROUPS]
    more = len(phrases) - len(shown)
    return "; ".join(shown) + (f"; and {plural(more, 'more group')}" if more else "") + "."


def leaders(names: list[str], values: list, group_noun: str) -> tuple[str, str]:
    """Who has the largest value, as (subject, verb): ('Theme 2', 'has'), ('Theme 3 and Theme 4', 'have')."""
    top = max(values)
    who = [n for n, v in zip(names, values) if v == top]
    if len(who) == 1:
        return who[0], "has"
    if len(who) <= 3:
        return join_words(who), "have"
    return f"{len(who)} {group_noun}s", "share"


def _headline(names: list[str], counts: pd.DataFrame, group_noun: str = "group", noun: str = "tasks") -> str:
    """'3 of 33 tasks are Red; Theme 2 has the most Red tasks (2)' (Cancelled tasks are outside the 33)."""
    in_scope = int(counts[[str(r) for r in IN_SCOPE_RAGS]].to_numpy().sum())
    red, amber = int(counts["Red"].sum()), int(counts["Amber"].sum())
    blue = int(counts["Blue"].sum())

    def most(column: str) -> str:
        values = counts[column].tolist()
        subject, verb = leaders(names, values, group_noun)
        top = int(max(values))
        each = " each" if sum(1 for v in values if v == top) > 1 else ""
        return f"{subject} {verb} the most {column} {noun} ({top}{each})"

    if in_scope == 0:
        return f"No {noun} are in scope: all are cancelled"
    if red:
        tail = f"; {most('Red')}" if len(names) > 1 else ""
        return f"{red} of {in_scope} {noun} {verb(red)} Red{tail}"
    if amber:
        tail = f"; {most('Amber')}" if len(names) > 1 else ""
        return f"No {noun} are Red; {amber} of {in_scope} {verb(amber)} Amber{tail}"
    return f"No {noun} are Red or Amber; {blue} of {in_scope} are complete (Blue)"


def rag_by_group(rollup_frame: pd.DataFrame, group_column: str, group_label: str = "Theme") -> Chart:
    """Horizontal stacked bars of task counts by RAG (Red, Amber, Green, Blue, Cancelled) per group.

    `rollup_frame` is `progress.rollup(table, group_column)`: one row per group with Red, Amber,
    Green, Blue, Cancelled counts, tasks and the roll-up `rag`.
    """
    if rollup_frame is None or rollup_frame.empty or group_column not in rollup_frame:
        return empty_chart(
            f"No tasks to show by {group_label.lower()}",
            f"There are no tasks, so there is no chart of tasks by {group_label.lower()} and RAG.",
            x_title="Number of tasks",
            y_title=group_label,
        )
    names = [group_name(v, group_label) for v in rollup_frame[group_column]]
    counts = _counts(rollup_frame)
    title = _headline(names, counts, group_label.lower())
    fig = _rag_stack(names, counts, "Number of tasks", group_label)
    _stack_layout(fig, title, "Number of tasks", group_label)
    description = (
        f"Horizontal stacked bar chart of the number of tasks in each of {plural(len(names), group_label.lower())}"
        f" by RAG. " + _describe_groups(names, counts)
    )
    data = pd.DataFrame({group_label: names})
    for rag in RAG_WORDS:
        data[rag] = counts[rag].to_numpy()
    data["Tasks"] = counts.to_numpy().sum(axis=1)
    if "rag" in rollup_frame:
        data["Worst task RAG"] = ["" if is_blank(r) else str(r) for r in rollup_frame["rag"]]
    return Chart(fig, title, description, data)


def _number_text(value: object) -> str:
    """'12', '3.5'; 'no value' when blank (wording.number)."""
    return number(value, 1, missing="no value")


def explore_bar(
    frame: pd.DataFrame, group_label: str, measure_label: str, value_column: str, rag_mix: bool = False, group_column: str | None = None
) -> Chart:
    """A bar per group of an aggregated table (one row per group).

    The group is `group_column`, else a column named `group_label`, else the first column. With
    `rag_mix` the frame has Red/Amber/Green/Blue/Cancelled count columns and the bars are RAG stacks.
    """
    if frame is None or frame.empty:
        return empty_chart(
            f"No {measure_label.lower()} to show by {group_label.lower()}",
            f"There is no data, so there is no chart of {measure_label.lower()} by {group_label.lower()}.",
            x_title=measure_label,
            y_title=group_label,
        )
    column = group_column or (group_label if group_label in frame else frame.columns[0])
    names = [group_name(v, group_label) for v in frame[column]]
    if rag_mix:
        counts = _counts(frame)
        title = _headline(names, counts, group_label.lower())
        fig = _rag_stack(names, counts, measure_label, group_label)
        _stack_layout(fig, title, measure_label, group_label)
        description = f"Horizontal stacked bar chart of {measure_label.lower()} by {group_label.lower()} and RAG. " + _describe_groups(
            names, counts
        )
        data = pd.DataFrame({group_label: names, **{r: counts[r].to_numpy() for r in RAG_WORDS}})
        data[measure_label] = counts.to_numpy().sum(axis=1)
        return Chart(fig, title, description, data)

    values = pd.to_numeric(frame[value_column], errors="coerce") if value_column in frame else pd.Series(float("nan"), index=frame.index)
    labels = unique_labels([category_label(n) for n in names])
    colour = Category.DARK_BLUE.value
    fig = go.Figure(
        go.Bar(
            name=measure_label,
            y=labels,
            x=values.tolist(),
            orientation="h",
            marker={"color": colour},
            text=[_number_text(v) for v in values],
            textposition="auto",
            insidetextfont={"color": text_colour_on(colour)},
            outsidetextfont={"color": "#0B0C0C"},
            customdata=[plot_text(n) for n in names],
            hovertemplate=f"%{{customdata}}<br>{measure_label}: %{{x}}<extra></extra>",
        )
    )
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels, autorange="reversed")
    known = values.dropna()
    if known.empty:
        title = f"No {measure_label.lower()} recorded for any {group_label.lower()}"
    else:
        top = known.max()
        who, verb = leaders(names, values.fillna(known.min() - 1).tolist(), group_label.lower())
        title = f"{who} {verb} the highest {measure_label[:1].lower() + measure_label[1:]} ({_number_text(top)})"
    uniform_bar_text(fig)
    apply_layout(fig, title, measure_label, group_label, height=labels_above_bars(fig, labels), show_legend=False)
    pairs = [f"{n} {_number_text(v)}" for n, v in zip(names, values)]
    shown = pairs[:DESCRIBE_GROUPS]
    more = len(pairs) - len(shown)
    description = (
        f"Horizontal bar chart of {measure_label.lower()} for {plural(len(names), group_label.lower())}: "
        + "; ".join(shown)
        + (f"; and {plural(more, 'more ' + group_label.lower())}" if more else "")
        + "."
    )
    data = pd.DataFrame({group_label: names, measure_label: values.to_numpy()})
    return Chart(fig, title, description, data)


def rag_summary(counts: dict[str, int]) -> Chart:
    """One horizontal stacked bar of the overall RAG counts, each part labelled '12 Blue'.

    `counts` is `progress.rag_counts(table)`: {'Red': n, 'Amber': n, ...} (Cancelled included).
    """
    counts = {str(k): int(v or 0) for k, v in (counts or {}).items()}
    frame = pd.DataFrame([{r: counts.get(r, 0) for r in RAG_WORDS}])
    total = int(frame.to_numpy().sum())
    if total == 0:
        return empty_chart("No tasks to show", "There are no tasks, so there is no RAG summary.", x_title="Number of tasks")
    title = _headline(["All tasks"], frame)
    fig = _rag_stack(["All tasks"], frame, "Number of tasks", "")
    apply_layout(fig, title, "Number of tasks", "", legend_title="RAG", height=220)
    fig.update_yaxes(showticklabels=False)
    fig.update_layout(margin={"t": 90, "b": 50})
    in_scope = total - counts.get("Cancelled", 0)
    cancelled = counts.get("Cancelled", 0)
    description = (
        f"Single stacked bar of {plural(in_scope, 'task')} by RAG: "
        + join_words([f"{counts.get(r, 0)} {r} ({rag_style(r).meaning})" for r in RAG_WORDS[:4]])
        + (f"; {cancelled} more cancelled and counted nowhere." if cancelled else ".")
    )
    data = pd.DataFrame(
        {"RAG": RAG_WORDS, "Meaning": [rag_style(r).meaning for r in RAG_WORDS], "Number of tasks": [counts.get(r, 0) for r in RAG_WORDS]}
    )
    return Chart(fig, title, description, data)

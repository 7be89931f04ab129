"""Explore: any task measure broken down by any grouping (plain pandas; the Explore page draws it).

Every measure is computed per group by the same functions as the overview and the CLI
(`progress.completion`, `progress.slippage`, `progress.rag_counts`), so a group's figure is
what the whole plan's figure would be if the plan held only that group's tasks.
"""

from __future__ import annotations

from enum import StrEnum

import pandas as pd

from .plan_workbook import RAG_ORDER, TaskStatus
from .progress import NO_LEAD, completion, rag_counts, slippage

NO_DATE = "No date"
NO_RECOMMENDATION = "No recommendation"


class Grouping(StrEnum):
    THEME = "theme"
    MILESTONE = "milestone"
    LEAD = "lead"
    RECOMMENDATION = "recommendation"
    STATUS = "status"
    RAG = "RAG"
    START_QUARTER = "start quarter"
    FINISH_QUARTER = "finish quarter"


class Measure(StrEnum):
    TASK_COUNT = "task count"
    COMPLETION_RATE = "completion rate"
    PLANNED_COMPLETION = "planned completion"
    SLIPPED_TASKS = "slipped tasks"
    TOTAL_SLIP_DAYS = "total slip days"
    MEDIAN_SLIP_DAYS = "median slip days"
    RAG_MIX = "RAG mix"


# Column holding each scalar measure in explore()'s result, and its unit for people.
MEASURE_COLUMNS = {
    Measure.TASK_COUNT: "tasks",
    Measure.COMPLETION_RATE: "completion_rate",
    Measure.PLANNED_COMPLETION: "planned_rate",
    Measure.SLIPPED_TASKS: "slipped",
    Measure.TOTAL_SLIP_DAYS: "total_slip_days",
    Measure.MEDIAN_SLIP_DAYS: "median_slip_days",
}
RATE_MEASURES = (Measure.COMPLETION_RATE, Measure.PLANNED_COMPLETION)


def quarter_label(value: object) -> str:
    """`2017 Q1` for a date in January to March 2017; `No date` when unknown."""
    if value is None or pd.isna(value):
        return NO_DATE
    stamp = pd.Timestamp(value)
    return f"{stamp.year} Q{stamp.quarter}"


def theme_label(theme_id: object, theme: object) -> str:
    return f"{theme_id}. {theme}" if isinstance(theme, str) and theme else f"Theme {theme_id}"


def milestone_label(theme_id: object, milestone_ref: object, milestone: object) -> str:
    head = f"Theme {theme_id} {milestone_ref}"
    return f"{head}: {milestone}" if isinstance(milestone, str) and milestone else head


def recommendation_label(rec_id: object) -> str:
    return f"Recommendation {rec_id}"


def _with_groups(table: pd.DataFrame, grouping: Grouping | str) -> pd.DataFrame:
    """The table with a `group` label column and an `_order` sort key; one row per (task, group)."""
    grouping = Grouping(grouping)
    frame = table.copy()
    if grouping == Grouping.THEME:
        frame["group"] = [theme_label(i, t) for i, t in zip(frame["theme_id"], frame["theme"])]
        frame["_order"] = frame["plan_order"]
    elif grouping == Grouping.MILESTONE:
        frame["group"] = [milestone_label(i, r, m) for i, r, m in zip(frame["theme_id"], frame["milestone_ref"], frame["milestone"])]
        frame["_order"] = frame["plan_order"]
    elif grouping == Grouping.LEAD:
        frame["group"] = frame["lead"].fillna(NO_LEAD).astype("object")
        frame["_order"] = frame["group"].map(lambda v: (v == NO_LEAD, str(v).lower()))
    elif grouping == Grouping.RECOMMENDATION:
        frame["group"] = frame["rec_ids"].map(lambda ids: [recommendation_label(r) for r in ids] if ids else [NO_RECOMMENDATION])
        frame = frame.explode("group")
        frame["_order"] = frame["group"].map(_recommendation_order)
    elif grouping == Grouping.STATUS:
        order = {str(s): i for i, s in enumerate(TaskStatus)}
        frame["group"] = frame["status"].astype("object").map(str)
        frame["_order"] = frame["group"].map(lambda v: order.get(v, len(order)))
    elif grouping == Grouping.RAG:
        order = {str(r): i for i, r in enumerate(RAG_ORDER)}
        frame["group"] = frame["rag"].astype("object").map(str)
        frame["_order"] = frame["group"].map(lambda v: order.get(v, len(order)))
    else:
        column = "planned_start" if grouping == Grouping.START_QUARTER else "planned_finish"
        frame["group"] = frame[column].map(quarter_label)
        frame["_order"] = frame["group"].map(lambda v: (v == NO_DATE, v))
    return frame


def _recommendation_order(label: str) -> tuple:
    if label == NO_RECOMMENDATION:
        return (2, 0, "")
    rec = label.removeprefix("Recommendation ")
    return (0, int(rec), "") if rec.isdigit() else (1, 0, rec)


def explore(table: pd.DataFrame, grouping: Grouping | str, measure: Measure | str) -> pd.DataFrame:
    """One row per group: `group`, `tasks` (all tasks, Cancelled included) and the measure.

    Scalar measures add the column named in MEASURE_COLUMNS (rates are 0-1 over tasks not
    Cancelled; slip figures count tasks with slip > 0, as in `progress.slippage`); RAG mix adds
    one count column per RAG (Red, Amber, Green, Blue, Cancelled). A task addressing two
    recommendations counts under both.
    """
    measure = Measure(measure)
    frame = _with_groups(table, grouping)
    # Only what the measure shows is worked out (explore() returns that column alone): the RAG mix needs no
    # completion or slippage, a third of the time at 10,000 tasks.
    wants_completion = measure in RATE_MEASURES
    wants_slippage = MEASURE_COLUMNS.get(measure) in ("slipped", "total_slip_days", "median_slip_days")
    rows = []
    for label, group in frame.groupby("group", sort=False):
        row = {"group": label, "_order": group["_order"].iloc[0], "tasks": len(group)}
        if wants_completion:
            done = completion(group)
            row |= {"completion_rate": done["rate"], "planned_rate": done["planned_rate"]}
        if wants_slippage:
            slip = slippage(group)
            row |= {"slipped": slip["slipped"], "total_slip_days": slip["total_days"], "median_slip_days": slip["median_days"]}
        if measure == Measure.RAG_MIX:
            row |= rag_counts(group)
        rows.append(row)
    columns = ["group", "tasks"] + ([str(r) for r in RAG_ORDER] if measure == Measure.RAG_MIX else [MEASURE_COLUMNS[measure]])
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    result = pd.DataFrame(rows).sort_values("_order", kind="stable", key=lambda s: s.map(_sort_key))
    result = result[list(dict.fromkeys(columns))].reset_index(drop=True)
    for column in ("completion_rate", "planned_rate", "median_slip_days"):
        if column in result:
            result[column] = pd.to_numeric(result[column]).astype("float64")
    return result


def _sort_key(value: object) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def tasks_in_group(table: pd.DataFrame, grouping: Grouping | str, value: str) -> pd.DataFrame:
    """The tasks behind one group of `explore` (the drill-down), in plan order."""
    frame = _with_groups(table, grouping)
    chosen = frame[frame["group"] == value].drop(columns=["group", "_order"])
    return chosen.sort_values("plan_order", kind="stable").reset_index(drop=True)

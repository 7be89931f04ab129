"""Drill-down: from what someone picked on a chart (a bar, a point, a grid cell) to the tasks behind it.

Plain pandas and plain dicts. A chart's selection arrives as Streamlit gives it (`event.selection.points`:
one dict per picked point with `curve_number`, `point_index`, `x`, `y`, `customdata`, ...). Each chart
row (a theme's bar, a Gantt row, a reporting date) stands for a `Pick`: the task fields it fixes. A point
is turned into its row's Pick by the category it sits on (its `y` label on a horizontal bar chart, else
its `point_index`), refined by the trace it belongs to (a RAG segment adds its RAG word, a milestone
diamond stands for the whole milestone). `tasks_behind` then filters the task table by the Picks.

The same Picks are the options of the keyboard equivalent (a select box beside the chart), so a click
and a choice from the list always show the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from .dates import format_date
from .explore import Grouping, tasks_in_group
from .plan_workbook import RAG_ORDER, TaskStatus
from .wording import plural

RAG_WORDS = tuple(str(r) for r in RAG_ORDER)


@dataclass(frozen=True)
class Pick:
    """What one chart row or point stands for: the tasks matching every field that is set.

    `label` is the words for people ("Theme 2, Red"). `grouping`/`group` name an Explore group
    (`explore.tasks_in_group`); `task_ids` is an explicit list (a recommendation's tasks);
    `as_at` says which reporting date's table the tasks come from (None: the page's own date);
    `slipped` keeps only tasks slipped as `progress.slippage` counts them (slip of more than 0 days, not cancelled).
    """

    label: str
    theme_id: str | None = None
    milestone_ref: str | None = None
    task_id: str | None = None
    rag: str | None = None
    rec_id: str | None = None
    grouping: str | None = None
    group: str | None = None
    task_ids: tuple[str, ...] | None = None
    as_at: pd.Timestamp | None = None
    slipped: bool = False

    def with_rag(self, rag: str) -> Pick:
        """The same row narrowed to one RAG (a segment of a stacked bar)."""
        return replace(self, rag=rag, label=f"{self.label}, {rag}")


def _same(series: pd.Series, value: object) -> pd.Series:
    """Whether each cell, as text, is `value` as text (ids can be numbers in one table and text in another)."""
    return series.astype("object").astype(str).eq(str(value)) & series.notna()


def _mask(tasks: pd.DataFrame, pick: Pick) -> pd.Series:
    keep = pd.Series(True, index=tasks.index)
    for column, value in (("task_id", pick.task_id), ("theme_id", pick.theme_id), ("milestone_ref", pick.milestone_ref), ("rag", pick.rag)):
        if value is not None:
            keep &= _same(tasks[column], value)
    if pick.task_ids is not None:
        keep &= tasks["task_id"].astype(str).isin({str(t) for t in pick.task_ids})
    if pick.slipped:  # the engine's own column where there is one (progress.task_table): slip > 0, not cancelled
        if "slipped" in tasks:
            keep &= tasks["slipped"].fillna(False).astype(bool)
        else:
            keep &= pd.to_numeric(tasks["slip_days"], errors="coerce").fillna(0).gt(0) & tasks["status"].astype(str).ne(
                str(TaskStatus.CANCELLED)
            )
    if pick.rec_id is not None and keep.any():  # row by row, so only over the rows still kept
        kept = tasks.loc[keep, "rec_ids"]
        keep.loc[kept.index] = kept.map(lambda ids: str(pick.rec_id) in {str(r) for r in (ids or ())})
    if pick.grouping is not None and pick.group is not None and keep.any():  # Explore's labels, for the rows still kept
        kept = tasks[keep]
        in_group = set(tasks_in_group(kept, Grouping(pick.grouping), pick.group)["task_id"].astype(str))
        keep &= tasks["task_id"].astype(str).isin(in_group)
    return keep


def tasks_behind(tasks: pd.DataFrame, picks: Iterable[Pick]) -> pd.DataFrame:
    """The tasks behind any of `picks`, each once, in plan order (an empty frame for no picks).

    Cancelled tasks are included where a pick matches them (a Cancelled segment, a task picked on the
    timeline): the table shows them with the RAG word Cancelled, never silently dropped.
    """
    picks = list(picks)
    if not picks or tasks.empty:
        return tasks.iloc[0:0]
    keep = pd.Series(False, index=tasks.index)
    for pick in picks:
        keep |= _mask(tasks, pick)
    chosen = tasks[keep]
    order = "plan_order" if "plan_order" in chosen else "task_id"
    return chosen.sort_values(order, kind="stable").reset_index(drop=True)


def heading(picks: Sequence[Pick], count: int) -> str:
    """'Tasks behind: Theme 2, Red – 3 tasks'; several picks are joined with 'and'."""
    labels = [p.label for p in picks]
    if not labels:
        return "Tasks behind: nothing chosen"
    what = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    if len(labels) > 3:
        what = f"{labels[0]}, {labels[1]} and {len(labels) - 2} more"
    return f"Tasks behind: {what} – {plural(count, 'task')}"


# ---- the rows each chart draws, as Picks ---------------------------------------------------------------


def group_picks(groups: Sequence[str], grouping: Grouping | str, names: Sequence[str] | None = None) -> list[Pick]:
    """One Pick per Explore group (the rows of `explore.explore`), labelled with the chart's own names."""
    grouping = Grouping(grouping)
    names = list(names) if names is not None else [str(g) for g in groups]
    return [Pick(label=name, grouping=str(grouping), group=group) for group, name in zip(groups, names)]


def with_rag_segments(rows: Sequence[Pick], counts: pd.DataFrame) -> list[Pick]:
    """Each row followed by its RAG segments that hold tasks ("Theme 2", "Theme 2, Red", ...): the choices of a
    stacked RAG bar chart, in its order. `counts` has a Red/Amber/Green/Blue/Cancelled count column per row."""
    found: list[Pick] = []
    for row, (_, numbers) in zip(rows, counts.iterrows()):
        found.append(row)
        found.extend(row.with_rag(rag) for rag in RAG_WORDS if rag in numbers and int(numbers[rag] or 0) > 0)
    return found


def timeline_picks(tasks: pd.DataFrame, level: str, positions: Sequence[int] | None = None) -> list[Pick]:
    """One Pick per timeline row, in the Gantt's own row order (plan order; a milestone or theme where its
    first task is): "task" rows are tasks, "milestone" rows a theme's milestone, "theme" rows a theme.
    `positions` (row numbers from 0 in that order) builds only those rows' Picks: a page of a 10,000-task plan."""
    if tasks.empty:
        return []
    ordered = tasks.sort_values("plan_order", kind="stable") if "plan_order" in tasks else tasks
    if level != "task":
        ordered = ordered.drop_duplicates(subset=["theme_id"] if level == "theme" else ["theme_id", "milestone_ref"], keep="first")
    if positions is not None:
        ordered = ordered.iloc[[p for p in positions if 0 <= p < len(ordered)]]
    if level == "task":
        return [
            Pick(label=_task_label(t, w), task_id=str(t), theme_id=_text(th), milestone_ref=_text(m))
            for t, w, th, m in zip(ordered["task_id"], ordered["task"], ordered["theme_id"], ordered["milestone_ref"])
        ]
    if level == "theme":
        return [Pick(label=f"Theme {t}", theme_id=str(t)) for t in ordered["theme_id"]]
    return [milestone_pick(t, m) for t, m in zip(ordered["theme_id"], ordered["milestone_ref"])]


def drawn_positions(chart_rows: Sequence[object], offset: int, count: int) -> list[int]:
    """Which timeline rows (from 0, in `timeline_picks` order) one page of the Gantt draws, in its order:
    `chart_rows` is the chart data's "Chart row" column (1, 2, ... for drawn rows, blank for rows not
    drawn); the page shows chart rows offset + 1 to offset + count."""
    numbers = pd.to_numeric(pd.Series(list(chart_rows), dtype="object"), errors="coerce")
    shown = numbers[(numbers > offset) & (numbers <= offset + count)].sort_values(kind="stable")
    return [int(i) for i in shown.index]


def drawn_rows(picks: Sequence[Pick], chart_rows: Sequence[object], offset: int, count: int) -> list[Pick]:
    """The Picks of the rows one page of the Gantt draws, in its order (see `drawn_positions`)."""
    return [picks[i] for i in drawn_positions(chart_rows, offset, count) if i < len(picks)]


def milestone_pick(theme_id: object, milestone_ref: object) -> Pick:
    return Pick(label=f"Theme {theme_id} milestone {milestone_ref}", theme_id=str(theme_id), milestone_ref=_text(milestone_ref))


def recommendation_picks(coverage: pd.DataFrame) -> list[Pick]:
    """One Pick per recommendation: the tasks the coverage check found addressing it (`coverage.tasks`, the
    coverage page's own count), not a second matching of task and recommendation."""
    return [
        Pick(label=f"Recommendation {r}", task_ids=tuple(str(t) for t in (tasks or ())))
        for r, tasks in zip(coverage["rec_id"], coverage["tasks"])
    ]


def slipped_picks(dates: Sequence[pd.Timestamp]) -> list[Pick]:
    """One Pick per reporting date of the slippage trend: the tasks slipped at that date."""
    return [Pick(label=f"{format_date(d)}, slipped", as_at=pd.Timestamp(d), slipped=True) for d in dates]


def _text(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) else str(value)


def _task_label(task_id: object, words: object) -> str:
    text = _text(words)
    return f"{text} ({task_id})" if text else str(task_id)


# ---- from selected points to Picks ---------------------------------------------------------------------


def point_position(point: dict, categories: Sequence[str] | None, axis: str = "y") -> int | None:
    """The chart row a point sits on: its `axis` label's place among `categories` (the category axis's
    order, e.g. the figure's yaxis.categoryarray), else its `point_index`; None when neither fits."""
    if categories is not None:
        label = point.get(axis)
        if label is not None:
            try:
                return list(categories).index(label)
            except ValueError:
                pass
    index = point.get("point_index", point.get("point_number"))
    return index if isinstance(index, int) else None


def picks_from_points(
    points: Iterable[dict],
    rows: Sequence[Pick],
    categories: Sequence[str] | None = None,
    curve_names: Sequence[str | None] = (),
    axis: str = "y",
    refine: Callable[[Pick, str | None], Pick | None] | None = None,
) -> list[Pick]:
    """The Picks behind the selected `points`, each once, in the order picked.

    `rows` are the chart's rows in category order; `curve_names` the figure's trace names by curve number,
    so `refine(pick, name)` can narrow a row by its trace (`rag_segment` adds a RAG word). A point that
    fits no row (off the chart, a stale selection after the data changed) is left out.
    """
    found: list[Pick] = []
    for point in points or ():
        if not isinstance(point, dict):
            continue
        position = point_position(point, categories, axis)
        if position is None or not 0 <= position < len(rows):
            continue
        curve = point.get("curve_number")
        name = curve_names[curve] if isinstance(curve, int) and 0 <= curve < len(curve_names) else None
        pick = refine(rows[position], name) if refine else rows[position]
        if pick is not None and pick not in found:
            found.append(pick)
    return found


def rag_segment(pick: Pick, curve_name: str | None) -> Pick:
    """A stacked RAG bar's segment: the row narrowed to the segment's RAG (its trace is named by the RAG word)."""
    return pick.with_rag(curve_name) if curve_name in RAG_WORDS else pick


MILESTONE_TRACE_PREFIX = "Milestone due"


def timeline_point(pick: Pick, curve_name: str | None) -> Pick:
    """A Gantt point: a bar is its row; a milestone diamond (trace 'Milestone due ...') is the whole milestone."""
    if curve_name and curve_name.startswith(MILESTONE_TRACE_PREFIX) and pick.theme_id is not None and pick.milestone_ref is not None:
        return milestone_pick(pick.theme_id, pick.milestone_ref)
    return pick

"""Recommendation coverage (indicators.md): the themes that name each recommendation, the tasks that address it,
the worst task RAG with counts, KPIs, the tasks per theme (the grid's cells) and the findings in words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pandas as pd
from pandas.api.types import is_list_like

from .plan_workbook import RAG_ORDER, PlanData, Rag, TaskStatus
from .progress import rollup_rag
from .values import is_blank
from .wording import sentence

NO_TASK = "No task addresses this recommendation."
NO_THEME = "Tasks address it, but the plan names it under no theme."
ALL_CANCELLED = "Every task that addressed it has been cancelled."
NO_KPI = "Tasks address it, but no measure (KPI) shows their impact."


def _theme_label(theme_id: str, theme: str | None) -> str:
    return f"theme {theme_id}" + (f" ({theme})" if theme else "")


def declared_under_theme_without_task(theme_id: str, theme: str | None) -> str:
    return f"The plan names it under {_theme_label(theme_id, theme)}, but no task in that theme addresses it."


def tasks_in_theme_not_named(theme_id: str, theme: str | None, tasks: int = 2) -> str:
    what = "1 task" if tasks == 1 else f"{tasks} tasks"
    verb = "addresses" if tasks == 1 else "address"
    return f"{sentence(what)} in {_theme_label(theme_id, theme)} {verb} it, but the plan does not name it under that theme."


def coverage(plan: PlanData, table: pd.DataFrame, kpis: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per recommendation: themes, tasks, rag (+ counts), kpis, theme_tasks and findings (sentences).

    `theme_tasks` is {theme_id: live (not cancelled) tasks of that theme addressing it} for every theme that
    names it or has such a task: the one definition of each cell of the coverage grid (src/charts/coverage.py)
    and of the findings about themes. A theme gap is a theme that names the recommendation with no live task
    there, or a theme whose live tasks address it without naming it (when the plan names it under some theme;
    under none is NO_THEME).

    `kpis` is the performance workbook's KPIs frame (kpi_id, rec_ids); None means no performance
    workbook, so the "no KPI" finding is not raised.
    """
    declared = plan.theme_recommendations.groupby("rec_id")["theme_id"].agg(tuple)
    theme_names = dict(zip(plan.themes["theme_id"], plan.themes["theme"]))
    rows_by_rec = _rows_by_recommendation(table["rec_ids"].tolist())
    task_ids_of, statuses, theme_ids, rags = (table[c].tolist() for c in ("task_id", "status", "theme_id", "rag"))
    kpi_by_rec: dict[str, list[str]] = {}
    if kpis is not None:
        for kpi_id, rec_ids in zip(kpis["kpi_id"], kpis["rec_ids"]):
            for rec in rec_ids or ():
                kpi_by_rec.setdefault(rec, []).append(kpi_id)
    theme_order = _theme_order(plan)
    rows = []
    for rec_id, text in zip(plan.recommendations["rec_id"], plan.recommendations["recommendation"]):
        themes = tuple(declared.get(rec_id, ()))
        positions = rows_by_rec.get(rec_id, [])
        task_ids = tuple(task_ids_of[i] for i in positions)
        live = [i for i in positions if statuses[i] != TaskStatus.CANCELLED]
        rec_kpis = tuple(kpi_by_rec.get(rec_id, ()))
        findings: list[str] = []
        if not task_ids:
            findings.append(NO_TASK)
        elif not live:
            findings.append(ALL_CANCELLED)
        if task_ids and not themes:
            findings.append(NO_THEME)
        live_counts = _theme_counts(theme_ids[i] for i in live)  # a task with no theme belongs to no column
        theme_tasks = {str(t): live_counts.get(str(t), 0) for t in themes}
        theme_tasks |= live_counts
        for theme_id in themes:
            if not theme_tasks.get(str(theme_id)):
                findings.append(declared_under_theme_without_task(theme_id, theme_names.get(theme_id)))
        if themes:
            named = {str(t) for t in themes}
            for theme_id in sorted((t for t in live_counts if t not in named), key=theme_order):
                findings.append(tasks_in_theme_not_named(theme_id, theme_names.get(theme_id), theme_tasks[str(theme_id)]))
        if kpis is not None and task_ids and not rec_kpis:
            findings.append(NO_KPI)
        counts = Counter(rags[i] for i in positions)
        rows.append(
            {
                "rec_id": rec_id,
                "recommendation": text,
                "themes": themes,
                "tasks": task_ids,
                "rag": rollup_rag([rags[i] for i in positions]) if positions else None,
                **{str(r): int(counts.get(r, 0)) for r in RAG_ORDER},
                "kpis": rec_kpis,
                "theme_tasks": theme_tasks,
                "findings": findings,
            }
        )
    frame = pd.DataFrame(rows)
    frame["rag"] = pd.Series([r["rag"] for r in rows], index=frame.index, dtype="object")  # None, not NaN: "no tasks"
    return frame


def _rows_by_recommendation(rec_ids_per_task: list) -> dict[object, list[int]]:
    """{rec_id: the task table's row positions addressing it}, in table order, a task once per time it names it
    (what exploding `rec_ids` and grouping by rec_id gives, without the frames)."""
    rows: dict[object, list[int]] = {}
    for position, rec_ids in enumerate(rec_ids_per_task):
        for rec in rec_ids if is_list_like(rec_ids) else (rec_ids,):
            if not is_blank(rec):
                rows.setdefault(rec, []).append(position)
    return rows


def _theme_counts(theme_ids: Iterable[object]) -> dict[str, int]:
    """{theme id as trimmed text: tasks}, blank themes left out, most tasks first (ties in first-seen order,
    as `value_counts` orders them)."""
    counts: dict[str, int] = {}
    for theme_id in theme_ids:
        if not is_blank(theme_id):
            key = str(theme_id).strip()
            if key:
                counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def _theme_order(plan: PlanData):
    """Sort key: themes in the plan's order (unknown ones last)."""
    order = {str(t): i for i, t in enumerate(plan.themes["theme_id"])}
    return lambda theme_id: (order.get(str(theme_id), len(order)), str(theme_id))


def rag_with_counts(row: pd.Series) -> str:
    """'Amber (1 Red, 2 Amber, 3 Blue)' style label: the roll-up never stands without its counts."""
    rag = row["rag"]
    parts = [f"{int(row[str(r)])} {r}" for r in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.CANCELLED) if int(row[str(r)])]
    if rag is None:
        return "No tasks" if not parts else f"None counted ({', '.join(parts)})"
    return f"{rag} ({', '.join(parts)})"


def grid_title(findings_per_recommendation) -> str:
    """The coverage grid's headline from the same findings the page lists: '2 of 14 recommendations have no
    task; 3 more have themes and tasks that do not match' (the 'no measure of impact' kind is not a grid cell)."""
    findings = list(findings_per_recommendation)
    n = len(findings)
    counts = {k: v for k, v in findings_breakdown(findings).items() if k != FINDING_KINDS[3]}
    if not counts:
        return f"All {n} recommendations have tasks in the themes that name them"
    words = {
        FINDING_KINDS[0]: lambda k: f"{'has' if k == 1 else 'have'} no task",
        FINDING_KINDS[1]: lambda k: f"{'has' if k == 1 else 'have'} every task cancelled",
        FINDING_KINDS[2]: lambda k: f"{'has' if k == 1 else 'have'} themes and tasks that do not match",
    }
    parts = []
    for kind, k in counts.items():
        who = f"{k} of {n} {'recommendation' if n == 1 else 'recommendations'}" if not parts else f"{k} more"
        parts.append(f"{who} {words[kind](k)}")
    return "; ".join(parts)


# Each recommendation with findings is counted once, under its most serious kind, in this order.
FINDING_KINDS = ("no task", "every task cancelled", "themes and tasks do not match", "no measure of impact")


def finding_kind(findings: list[str]) -> str | None:
    """The most serious kind of a recommendation's coverage findings (FINDING_KINDS), None when it has none."""
    if not findings:
        return None
    if NO_TASK in findings:
        return FINDING_KINDS[0]
    if ALL_CANCELLED in findings:
        return FINDING_KINDS[1]
    if any(f != NO_KPI for f in findings):  # NO_THEME or "The plan names it under theme N, but no task ..."
        return FINDING_KINDS[2]
    return FINDING_KINDS[3]


def findings_breakdown(findings_per_recommendation) -> dict[str, int]:
    """Recommendations with findings by their most serious kind (FINDING_KINDS order, zero kinds left out)."""
    kinds = [finding_kind(list(f)) for f in findings_per_recommendation]
    return {kind: kinds.count(kind) for kind in FINDING_KINDS if kinds.count(kind)}


def findings_words(findings_per_recommendation) -> str:
    """Which findings a 'recommendations with coverage findings' count is made of, as the coverage page
    words them: '2 have no task; 2 more have themes and tasks that do not match; 5 more only lack a
    measure of impact'. Empty text when no recommendation has a finding."""
    counts = findings_breakdown(findings_per_recommendation)
    verbs = {
        FINDING_KINDS[0]: lambda n: f"{n} {'has' if n == 1 else 'have'} no task",
        FINDING_KINDS[1]: lambda n: f"{n} {'has' if n == 1 else 'have'} every task cancelled",
        FINDING_KINDS[2]: lambda n: f"{n} {'has' if n == 1 else 'have'} themes and tasks that do not match",
        FINDING_KINDS[3]: lambda n: f"{n} only {'lacks' if n == 1 else 'lack'} a measure of impact",
    }
    parts = []
    for kind, n in counts.items():
        text = verbs[kind](n)
        parts.append(text if not parts else text.replace(f"{n} ", f"{n} more ", 1))
    return "; ".join(parts)

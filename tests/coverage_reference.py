"""Recommendation coverage as computed before issue 19's second pass (a pandas filter and value_counts per
recommendation): the reference src/analysis/coverage.py is pinned to (tests/test_coverage.py). Not used by the product.
"""

from __future__ import annotations

import pandas as pd

from src.analysis.coverage import ALL_CANCELLED, NO_KPI, NO_TASK, NO_THEME, declared_under_theme_without_task, tasks_in_theme_not_named
from src.analysis.plan_workbook import RAG_ORDER, PlanData, TaskStatus
from src.analysis.progress import rollup_rag


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
    exploded = table.assign(rec_id=table["rec_ids"]).explode("rec_id")
    exploded = exploded[exploded["rec_id"].notna()]
    by_rec = {rec: group for rec, group in exploded.groupby("rec_id", sort=False)}
    kpi_by_rec: dict[str, list[str]] = {}
    if kpis is not None:
        for kpi_id, rec_ids in zip(kpis["kpi_id"], kpis["rec_ids"]):
            for rec in rec_ids or ():
                kpi_by_rec.setdefault(rec, []).append(kpi_id)
    rows = []
    for rec_id, text in zip(plan.recommendations["rec_id"], plan.recommendations["recommendation"]):
        themes = tuple(declared.get(rec_id, ()))
        tasks = by_rec.get(rec_id)
        task_ids = tuple(tasks["task_id"]) if tasks is not None else ()
        live = tasks[tasks["status"] != TaskStatus.CANCELLED] if tasks is not None else None
        rec_kpis = tuple(kpi_by_rec.get(rec_id, ()))
        findings: list[str] = []
        if not task_ids:
            findings.append(NO_TASK)
        elif live is not None and live.empty:
            findings.append(ALL_CANCELLED)
        if task_ids and not themes:
            findings.append(NO_THEME)
        live_themes = live["theme_id"].dropna().astype(str).str.strip() if live is not None else pd.Series(dtype="string")
        live_counts = live_themes[live_themes != ""].value_counts()  # a task with no theme belongs to no column
        theme_tasks = {str(t): int(live_counts.get(str(t), 0)) for t in themes}
        theme_tasks |= {str(t): int(n) for t, n in live_counts.items()}
        for theme_id in themes:
            if not theme_tasks.get(str(theme_id)):
                findings.append(declared_under_theme_without_task(theme_id, theme_names.get(theme_id)))
        if themes:
            named = {str(t) for t in themes}
            for theme_id in sorted((t for t in live_counts.index if t not in named), key=_theme_order(plan)):
                findings.append(tasks_in_theme_not_named(theme_id, theme_names.get(theme_id), theme_tasks[str(theme_id)]))
        if kpis is not None and task_ids and not rec_kpis:
            findings.append(NO_KPI)
        counts = tasks["rag"].value_counts() if tasks is not None else pd.Series(dtype="int64")
        rows.append(
            {
                "rec_id": rec_id,
                "recommendation": text,
                "themes": themes,
                "tasks": task_ids,
                "rag": rollup_rag(tasks["rag"]) if tasks is not None else None,
                **{str(r): int(counts.get(r, 0)) for r in RAG_ORDER},
                "kpis": rec_kpis,
                "theme_tasks": theme_tasks,
                "findings": findings,
            }
        )
    frame = pd.DataFrame(rows)
    frame["rag"] = pd.Series([r["rag"] for r in rows], index=frame.index, dtype="object")  # None, not NaN: "no tasks"
    return frame


def _theme_order(plan: PlanData):
    """Sort key: themes in the plan's order (unknown ones last)."""
    order = {str(t): i for i, t in enumerate(plan.themes["theme_id"])}
    return lambda theme_id: (order.get(str(theme_id), len(order)), str(theme_id))

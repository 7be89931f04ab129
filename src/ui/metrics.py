"""The overview's headline figures as (label, value, help) text, from the summary's own dicts.

Plain Python: the overview shows exactly these strings and the tests compare them with
`plan_summary(PlanView.build(...))` formatted by the same function.
"""

from __future__ import annotations

from dataclasses import dataclass

from src.analysis.plan_workbook import RAG_ORDER, Rag
from src.charts.palette import RAG_STYLES


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str = ""
    note: str = ""  # a few words shown under the value (not a change: no arrow, no colour)


def percent(rate: float | None) -> str:
    return "n/a" if rate is None else f"{rate:.0%}"


def days(value: float | None) -> str:
    if value is None:
        return "none"
    return f"{value:g} day" if value == 1 else f"{value:g} days"


def _finishes(count: int) -> str:
    return f"{count} finish" if count == 1 else f"{count} finishes"


def _unread(completion: dict) -> str:
    """`2 unreadable`, under planned completion (short: it sits in a small card): finishes that could not be read."""
    count = completion.get("finish_unreadable") or 0
    return f"{count} unreadable" if count else ""


def progress_metrics(completion: dict, slippage: dict) -> list[Metric]:
    """Completion, planned completion, slipped tasks and median slip."""
    return [
        Metric("Tasks complete", f"{completion['complete']} of {completion['in_scope']}", "Tasks not cancelled that are complete."),
        Metric("Completion rate", percent(completion["rate"]), "Complete tasks / tasks not cancelled."),
        Metric(
            "Planned by now",
            percent(completion["planned_rate"]),
            "Tasks whose planned finish is on or before the reporting date / tasks not cancelled"
            + (" and not ongoing" if completion.get("ongoing") else "")
            + ". A finish that could not be read never counts as planned"
            + (f": {_finishes(completion['finish_unreadable'])} could not be read." if completion.get("finish_unreadable") else ".")
            + (f" Ongoing tasks (no fixed finish), left out: {completion['ongoing']}." if completion.get("ongoing") else ""),
            _unread(completion),
        ),
        Metric(
            "Slipped tasks",
            str(slippage["slipped"]),
            f"Tasks expected to finish after their planned finish; {slippage['total_days']} days in total.",
        ),
        Metric("Median slip", days(slippage["median_days"]), "Median of expected minus planned finish, over slipped tasks."),
    ]


def rag_metrics(rag: dict[str, int]) -> list[Metric]:
    """One metric per RAG, labelled with its word and meaning (never colour alone)."""
    return [
        Metric(f"{r}: {RAG_STYLES[r].meaning}" if r != Rag.CANCELLED else "Cancelled (not counted)", str(rag.get(str(r), 0)))
        for r in RAG_ORDER
    ]


def quality_metrics(recommendations: list[dict], data_quality: list[dict]) -> list[Metric]:
    """Recommendations with coverage findings (whole plan) and data-quality findings (both workbooks)."""
    flagged = sum(1 for rec in recommendations if rec["findings"])
    return [
        Metric(
            "Recommendations with coverage findings",
            f"{flagged} of {len(recommendations)}",
            "No task, tasks but no declared theme, declared under a theme with no task, or no KPI: see Recommendation coverage.",
        ),
        Metric("Data-quality findings", str(len(data_quality)), "Problems found reading the workbooks: see Data quality."),
    ]

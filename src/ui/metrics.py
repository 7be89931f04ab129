"""The overview's headline figures as (label, value, help) text, from the summary's own dicts.

Plain Python: the overview shows exactly these strings and the tests compare them with
`plan_summary(PlanView.build(...))` formatted by the same function.
"""

from __future__ import annotations

from dataclasses import dataclass

from src.analysis.coverage import findings_words
from src.analysis.plan_workbook import RAG_ORDER, Rag
from src.charts.palette import RAG_STYLES


@dataclass(frozen=True)
class Metric:
    label: str
    value: str
    help: str = ""
    note: str = ""  # a few words shown under the value (not a change: no arrow, no colour)
    delta: str = ""  # a change since the previous reporting date in words ("up 2"), shown with an arrow
    delta_color: str = "off"  # st.metric's delta_color: "normal" (up is good), "inverse" (up is bad), "off"


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


def progress_metrics(completion: dict, slippage: dict, scope: str = "") -> list[Metric]:
    """Completion, planned completion, slipped tasks and median slip; `scope` (`progress.scope_words`) is
    shown under the task count so it says what it includes ("33 tasks in scope, 1 cancelled not counted")."""
    return [
        Metric("Tasks complete", f"{completion['complete']} of {completion['in_scope']}", "Tasks not cancelled that are complete.", scope),
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


# Whether a rise in the count is good news. The change is said in words ("down 1") with no arrow (Streamlit
# points a text delta's arrow up unless it starts with "-"), and coloured by meaning: green for good news,
# red for bad, grey for none; the words carry it without the colour.
RISE_IS_GOOD = {"Red": False, "Amber": False, "Green": True, "Blue": True}


def change_words(delta: int) -> str:
    """A count's change in words: 'up 2', 'down 1', 'no change'."""
    return "no change" if delta == 0 else f"{'up' if delta > 0 else 'down'} {abs(delta)}"


def rag_metrics(rag: dict[str, int], before: dict[str, int] | None = None, since: str = "") -> list[Metric]:
    """One metric per RAG, labelled with its word and meaning (never colour alone), its colour on the tile's edge (the page's CSS),
    and, given the counts at the previous reporting date (`before`), the change in words ("up 2")."""
    out = []
    for r in RAG_ORDER:
        word = str(r)
        label = f"{r}: {RAG_STYLES[r].meaning}" if r != Rag.CANCELLED else "Cancelled (not counted)"
        now = rag.get(word, 0)
        delta = change_words(now - before.get(word, 0)) if before is not None else ""
        helptext = f"{before.get(word, 0)} at {since}." if before is not None and since else ""
        change = now - before.get(word, 0) if before is not None else 0
        colour = "off" if change == 0 or word not in RISE_IS_GOOD else ("normal" if (change > 0) == RISE_IS_GOOD[word] else "inverse")
        out.append(Metric(label, str(now), helptext, delta=delta, delta_color=colour))
    return out


def quality_metrics(recommendations: list[dict], data_quality: list[dict]) -> list[Metric]:
    """Recommendations with coverage findings (whole plan) and data-quality findings (both workbooks)."""
    flagged = sum(1 for rec in recommendations if rec["findings"])
    which = findings_words(rec["findings"] for rec in recommendations)
    return [
        Metric(
            "Recommendations with coverage findings",
            f"{flagged} of {len(recommendations)}",
            "A recommendation no task addresses, one whose tasks sit outside the themes the plan gives it, one given a theme "
            "with no task, or one no measure (KPI) shows the impact of: see Recommendation coverage."
            + (f" Of these, {which}." if which else ""),
            which,
        ),
        Metric("Data-quality findings", str(len(data_quality)), "Problems found reading the workbooks: see Data quality."),
    ]

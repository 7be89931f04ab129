"""The registry of headline figures: one entry per figure, read by every surface that shows them.

The overview's tiles, the CLI's JSON (`headline`) and text report, the Excel Summary sheet and the
brief's headline table all walk `HEADLINES` in order, so adding a figure is one entry here, one compute
function (a `progress`/`coverage` function, or a small one below), its test and its row in
docs/indicators.md. Nothing else changes (docs/architecture.md, "Headline figures").

Each entry's `compute` takes the plan view (`PlanView`, or one whose `tasks` the overview has filtered)
and returns the figure in its unit: a count of tasks, a share 0-1, days, percent 0-100 or a date.
Wording goes through `wording` (one formatter per unit), so a figure reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

import pandas as pd

from .coverage import findings_words
from .dates import iso_or_none
from .plan_view import PlanView
from .plan_workbook import RAG_ORDER, Rag
from .progress import scope_words
from .wording import MISSING, days, format_date, number, percent, plural


class Unit(StrEnum):
    """What a figure counts or measures; each has one formatter (`format_figure`)."""

    COUNT = "count"  # tasks, recommendations, findings
    SHARE = "share 0-1"  # shown as percent
    DAYS = "days"
    PERCENT = "percent 0-100"  # already a percent (mean percent complete)
    DATE = "date"


class Group(StrEnum):
    """The overview row a figure sits in (the registry's order within it is the tiles' order)."""

    PROGRESS = "progress"
    RAG = "rag"
    QUALITY = "coverage and data quality"
    DETAIL = "detail"  # no tile and not on paper: the JSON and the Excel Summary sheet only


@dataclass(frozen=True)
class Headline:
    """One headline figure.

    key: stable identifier (the JSON `headline[].key`); label: the plain-English name on every surface;
    help: what it counts, in a sentence; unit: `Unit`; compute: view -> the value in that unit.
    out_of: view -> the whole it is a part of ("17 of 33"); note: view -> a few words shown under the tile;
    more_help: view -> sentences added to `help` that depend on the data; whole_plan: computed for the
    whole plan even when a page filters the tasks; rise_is_good: True/False shows the change since the
    previous reporting date on the tile, coloured by meaning (None: no change shown); missing: the words
    when the value is None; json_path: where the older keys of the CLI JSON carry the same figure.
    """

    key: str
    label: str
    help: str
    unit: Unit
    compute: Callable[[PlanView], object]
    group: Group
    out_of: Callable[[PlanView], int] | None = None
    note: Callable[[PlanView], str] | None = None
    more_help: Callable[[PlanView], str] | None = None
    whole_plan: bool = False
    rise_is_good: bool | None = None
    show_change: bool = False
    missing: str = MISSING
    json_path: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A headline figure worked out for one view: the value in its unit and its words."""

    headline: Headline
    value: object
    of: int | None
    text: str
    help: str
    note: str

    def record(self) -> dict:
        """The figure as a JSON-safe dict (the CLI's `headline` entries)."""
        value = self.value
        if isinstance(value, pd.Timestamp):
            value = iso_or_none(value)
        elif hasattr(value, "item"):
            value = value.item()
        return {
            "key": self.headline.key,
            "label": self.headline.label,
            "unit": str(self.headline.unit),
            "value": value,
            "of": self.of,
            "text": self.text,
            "help": self.help,
            "note": self.note,
        }


def format_figure(unit: Unit, value: object, of: int | None = None, missing: str = MISSING) -> str:
    """A figure's value in words by its unit: 17 of 33, 52%, 61 days, 48.5%, 31 Mar 2017; None -> `missing`."""
    if value is None:
        return missing
    if unit is Unit.COUNT:
        return f"{number(value)} of {number(of)}" if of is not None else number(value)
    if unit is Unit.SHARE:
        return percent(value)
    if unit is Unit.DAYS:
        return days(value)
    if unit is Unit.PERCENT:
        return percent(float(value) / 100, 1)
    return format_date(value) or missing


def change_words(unit: Unit, now: object, before: object) -> str:
    """The change since the previous reporting date in words: 'up 2', 'down 1', 'no change'; shares in
    percentage points ('up 6 points'), days as days; '' when either value is not known."""
    if now is None or before is None or unit is Unit.DATE:
        return ""
    delta = float(now) - float(before)
    if unit is Unit.SHARE:
        delta = round(delta * 100)
    if delta == 0:
        return "no change"
    size = abs(delta)
    amount = {Unit.SHARE: plural(int(size), "point"), Unit.DAYS: days(size)}.get(unit, number(size, 1))
    return f"{'up' if delta > 0 else 'down'} {amount}"


# ---- compute functions that are not already an analysis function ------------------------------


def _rag(word: str) -> Callable[[PlanView], int]:
    def count(view: PlanView) -> int:
        return view.rag_counts[word]

    count.__name__ = f"rag_{word.lower()}"
    return count


def _findings(view: PlanView) -> list[list[str]]:
    """Each recommendation's coverage findings; none for a tracker kept without recommendations (no columns)."""
    return [list(f) for f in view.coverage["findings"]] if "findings" in view.coverage else []


def recommendations_with_findings(view: PlanView) -> int:
    """Recommendations with at least one coverage finding (coverage.coverage), whole plan."""
    return sum(1 for findings in _findings(view) if findings)


def _coverage_words(view: PlanView) -> str:
    return findings_words(_findings(view))


def _planned_help(view: PlanView) -> str:
    done = view.completion
    words = []
    if done["finish_unreadable"]:
        words.append(f"{plural(done['finish_unreadable'], 'finish', 'finishes')} could not be read.")
    if done["ongoing"]:
        words.append(f"Ongoing tasks (no fixed finish), left out: {done['ongoing']}.")
    return " ".join(words)


def _unreadable_note(view: PlanView) -> str:
    """`2 unreadable`, under planned completion (short: it sits in a small card)."""
    count = view.completion["finish_unreadable"]
    return f"{count} unreadable" if count else ""


_RAG_LABELS = {
    Rag.RED: ("Red: off track", False),
    Rag.AMBER: ("Amber: at risk", False),
    Rag.GREEN: ("Green: on track", True),
    Rag.BLUE: ("Blue: complete", True),
    Rag.CANCELLED: ("Cancelled (not counted)", None),
}

HEADLINES: tuple[Headline, ...] = (
    Headline(
        "tasks_complete",
        "Tasks complete",
        "Tasks not cancelled that are complete.",
        Unit.COUNT,
        lambda v: v.completion["complete"],
        Group.PROGRESS,
        out_of=lambda v: v.completion["in_scope"],
        note=lambda v: scope_words(v.tasks),
        json_path=("completion", "complete"),
    ),
    Headline(
        "completion_rate",
        "Completion rate",
        "Complete tasks / tasks not cancelled.",
        Unit.SHARE,
        lambda v: v.completion["rate"],
        Group.PROGRESS,
        json_path=("completion", "rate"),
    ),
    Headline(
        "planned_rate",
        "Planned by now",
        "Tasks whose planned finish is on or before the reporting date / tasks not cancelled and not ongoing. "
        "A finish that could not be read never counts as planned.",
        Unit.SHARE,
        lambda v: v.completion["planned_rate"],
        Group.PROGRESS,
        note=_unreadable_note,
        more_help=_planned_help,
        json_path=("completion", "planned_rate"),
    ),
    Headline(
        "slipped_tasks",
        "Slipped tasks",
        "Tasks expected to finish after their planned finish.",
        Unit.COUNT,
        lambda v: v.slippage["slipped"],
        Group.PROGRESS,
        more_help=lambda v: f"{days(v.slippage['total_days'])} in total.",
        json_path=("slippage", "slipped"),
    ),
    Headline(
        "median_slip_days",
        "Median slip",
        "Median of expected minus planned finish, over slipped tasks.",
        Unit.DAYS,
        lambda v: v.slippage["median_days"],
        Group.PROGRESS,
        missing="no task slipped",
        json_path=("slippage", "median_days"),
    ),
    *(
        Headline(
            f"rag_{str(rag).lower()}",
            _RAG_LABELS[rag][0],
            f"Tasks rated {rag} at the reporting date." if rag != Rag.CANCELLED else "Cancelled tasks: shown, never counted in a rate.",
            Unit.COUNT,
            _rag(str(rag)),
            Group.RAG,
            rise_is_good=_RAG_LABELS[rag][1],
            show_change=True,
            json_path=("rag", str(rag)),
        )
        for rag in RAG_ORDER
    ),
    Headline(
        "recommendations_with_findings",
        "Recommendations with coverage findings",
        "A recommendation no task addresses, one whose tasks sit outside the themes the plan gives it, one given a theme "
        "with no task, or one no measure (KPI) shows the impact of: see Recommendation coverage.",
        Unit.COUNT,
        recommendations_with_findings,
        Group.QUALITY,
        out_of=lambda v: len(v.coverage),
        note=_coverage_words,
        more_help=lambda v: f"Of these, {_coverage_words(v)}." if _coverage_words(v) else "",
        whole_plan=True,
    ),
    Headline(
        "data_quality_findings",
        "Data-quality findings",
        "Problems found reading the workbooks: see Data quality.",
        Unit.COUNT,
        lambda v: len(v.findings),
        Group.QUALITY,
        whole_plan=True,
    ),
    Headline(
        "tasks_all",
        "Tasks (all, cancelled included)",
        "Every task in the plan.",
        Unit.COUNT,
        lambda v: len(v.tasks),
        Group.DETAIL,
    ),
    Headline(
        "tasks_in_scope",
        "Tasks in scope (not cancelled)",
        "Tasks not cancelled and not ongoing: the whole every rate is out of.",
        Unit.COUNT,
        lambda v: v.completion["in_scope"],
        Group.DETAIL,
        json_path=("completion", "in_scope"),
    ),
    Headline(
        "weighted_progress",
        "Weighted progress (mean percent complete)",
        "The mean of the tasks' last reported percent complete, over tasks that reported one.",
        Unit.PERCENT,
        lambda v: v.completion["weighted_progress"],
        Group.DETAIL,
        json_path=("completion", "weighted_progress"),
    ),
    Headline(
        "progress_unknown",
        "Tasks with progress unknown",
        "Tasks in scope that never reported a percent complete.",
        Unit.COUNT,
        lambda v: v.completion["progress_unknown"],
        Group.DETAIL,
        json_path=("completion", "progress_unknown"),
    ),
    Headline(
        "total_slip_days",
        "Total slip (days)",
        "Expected minus planned finish, added up over slipped tasks.",
        Unit.DAYS,
        lambda v: v.slippage["total_days"],
        Group.DETAIL,
        json_path=("slippage", "total_days"),
    ),
)

BY_KEY = {h.key: h for h in HEADLINES}


def figure(headline: Headline, view: PlanView) -> Figure:
    """`headline` worked out for `view`, with its words."""
    value = headline.compute(view)
    of = headline.out_of(view) if headline.out_of else None
    more = headline.more_help(view) if headline.more_help else ""
    return Figure(
        headline=headline,
        value=value,
        of=of,
        text=format_figure(headline.unit, value, of, headline.missing),
        help=f"{headline.help} {more}".strip(),
        note=headline.note(view) if headline.note else "",
    )


def figures(view: PlanView, whole: PlanView | None = None, details: bool = True) -> list[Figure]:
    """Every headline figure in registry order. `view` may hold filtered tasks; `whole` is the whole plan's
    view for the figures that are always for the whole plan (default `view`). `details`: include the
    detail figures (JSON, Excel) as well as the ones shown on screen and paper."""
    whole = whole or view
    return [figure(h, whole if h.whole_plan else view) for h in HEADLINES if details or h.group is not Group.DETAIL]


def filtered_view(view: PlanView, tasks: pd.DataFrame, as_at: pd.Timestamp | None = None) -> PlanView:
    """The view with a page's filtered task table (and, for the previous reporting date, its date)."""
    return replace(view, tasks=tasks, as_at=view.as_at if as_at is None else pd.Timestamp(as_at))


def headline_records(view: PlanView) -> list[dict]:
    """The CLI JSON's `headline`: every figure in registry order (README's table)."""
    return [f.record() for f in figures(view)]

"""The shared view controls (reporting date, RAG tolerance, filters) and their query-parameter form.

Plain Python so the rules are testable without a browser: which values a link may set, what is
kept when the plan changes under them, and how a view is written back into the URL.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from src.analysis.progress import DEFAULT_TOLERANCE_DAYS

# Query parameter names: ?as_at=2017-03-31&tol=30&theme=2&lead=...&rag=Red (lists repeat the name).
QP_AS_AT = "as_at"
QP_TOLERANCE = "tol"
QP_THEME = "theme"
QP_LEAD = "lead"
QP_RAG = "rag"
QUERY_PARAMS = (QP_AS_AT, QP_TOLERANCE, QP_THEME, QP_LEAD, QP_RAG)
MAX_TOLERANCE_DAYS = 365


@dataclass
class Controls:
    """What the person chose: reporting date (ISO text), tolerance (days), filters (empty = all)."""

    as_at: str | None = None
    tolerance_days: int = DEFAULT_TOLERANCE_DAYS
    themes: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    rags: list[str] = field(default_factory=list)

    @property
    def filtered(self) -> bool:
        return bool(self.themes or self.leads or self.rags)


def iso(value: object) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def parse_as_at(text: object) -> str | None:
    """`2017-03-31` (or any readable date) -> ISO text; None when unreadable."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return iso(pd.Timestamp(text.strip()))
    except (ValueError, TypeError):
        return None


def parse_tolerance(text: object) -> int | None:
    try:
        days = int(str(text).strip())
    except (ValueError, TypeError):
        return None
    return days if 0 <= days <= MAX_TOLERANCE_DAYS else None


def from_query(params: dict[str, list[str]]) -> Controls:
    """Controls from query parameters (each name -> all its values); unreadable values are ignored."""
    first = lambda name: (params.get(name) or [None])[-1]  # noqa: E731
    return Controls(
        as_at=parse_as_at(first(QP_AS_AT)),
        tolerance_days=parse_tolerance(first(QP_TOLERANCE)) if parse_tolerance(first(QP_TOLERANCE)) is not None else DEFAULT_TOLERANCE_DAYS,
        themes=[v for v in params.get(QP_THEME, []) if v],
        leads=[v for v in params.get(QP_LEAD, []) if v],
        rags=[v for v in params.get(QP_RAG, []) if v],
    )


def settle(controls: Controls, dates: list[str], themes: list[str], leads: list[str], rags: list[str]) -> Controls:
    """Controls valid for this plan: a reporting date it has (else the latest), filters it can match."""
    as_at = controls.as_at if controls.as_at in dates else (dates[-1] if dates else None)
    rag_words = {r.lower(): r for r in rags}
    return Controls(
        as_at=as_at,
        tolerance_days=min(max(int(controls.tolerance_days), 0), MAX_TOLERANCE_DAYS),
        themes=[t for t in dict.fromkeys(controls.themes) if t in themes],
        leads=[lead for lead in dict.fromkeys(controls.leads) if lead in leads],
        rags=[rag_words[r.lower()] for r in dict.fromkeys(controls.rags) if r.lower() in rag_words],
    )


def to_query(controls: Controls, latest: str | None) -> dict[str, list[str]]:
    """The view as query parameters, leaving out defaults (latest date, 30 days, no filter)."""
    params: dict[str, list[str]] = {}
    if controls.as_at and controls.as_at != latest:
        params[QP_AS_AT] = [controls.as_at]
    if controls.tolerance_days != DEFAULT_TOLERANCE_DAYS:
        params[QP_TOLERANCE] = [str(controls.tolerance_days)]
    for name, values in ((QP_THEME, controls.themes), (QP_LEAD, controls.leads), (QP_RAG, controls.rags)):
        if values:
            params[name] = list(values)
    return params

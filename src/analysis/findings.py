"""Data-quality findings: problems in a workbook, as data rather than prints or tracebacks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from itertools import islice

import pandas as pd

from .limits import MAX_FINDINGS_PER_COLUMN


class Severity(StrEnum):
    """How bad a finding is. `error` stops the workbook; `warning` loses one value; `info` is advice."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem, located as a person would look for it in Excel (row numbers as Excel shows them)."""

    workbook: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    severity: Severity = Severity.WARNING
    advice: str = ""

    def as_dict(self) -> dict:
        record = asdict(self)
        record["severity"] = str(self.severity)
        return record

    def location(self) -> str:
        """`plan.xlsx, sheet Tasks, row 7, column finish` (only the parts known)."""
        parts = [self.workbook]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


FINDING_COLUMNS = ["workbook", "sheet", "row", "column", "message", "severity", "advice"]


class WorkbookError(Exception):
    """A workbook that cannot be used at all. Carries the findings that explain why."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("; ".join(str(f) for f in findings if f.severity == Severity.ERROR) or "workbook unusable")


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as a table, errors first, then in workbook/sheet/row order."""
    frame = pd.DataFrame([f.as_dict() for f in findings], columns=FINDING_COLUMNS)
    if frame.empty:
        return frame
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    frame["_order"] = frame["severity"].map(order)
    frame["row"] = frame["row"].astype("Int64")
    return frame.sort_values(["_order", "workbook", "sheet", "row"], kind="stable").drop(columns="_order").reset_index(drop=True)


def more_like_this(example: Finding, count: int, limit: int = MAX_FINDINGS_PER_COLUMN) -> Finding:
    """The closing finding of a capped list: same place (sheet, column), no row, 'and N more like this'."""
    return replace(
        example,
        row=None,
        message=f"… and {count:,} more like this (only the first {limit} are listed).",
    )


def add_capped(findings: list[Finding], items: Iterable, make: Callable[[object], Finding], limit: int = MAX_FINDINGS_PER_COLUMN) -> int:
    """Append make(item) for the first `limit` items, then one 'and N more like this' finding.

    The one place findings are capped: every check that can fire once per row or cell goes through
    here. Items past the limit are counted, not turned into findings, so the cost is linear in the
    items and the list stays short. Returns how many items there were.
    """
    iterator = iter(items)
    shown = [make(item) for item in islice(iterator, limit)]
    findings.extend(shown)
    extra = sum(1 for _ in iterator)
    if extra:
        findings.append(more_like_this(shown[-1], extra, limit))
    return len(shown) + extra


def add_capped_rows(
    findings: list[Finding], frame: pd.DataFrame, make: Callable[[pd.Series], Finding], limit: int = MAX_FINDINGS_PER_COLUMN
) -> int:
    """add_capped over a frame's rows (only the first `limit` rows are materialised)."""
    if frame.empty:
        return 0
    shown = [make(row) for _, row in frame.head(limit).iterrows()]
    findings.extend(shown)
    if len(frame) > limit:
        findings.append(more_like_this(shown[-1], len(frame) - limit, limit))
    return len(frame)


def cap_findings(findings: list[Finding], limit: int = 4 * MAX_FINDINGS_PER_COLUMN) -> list[Finding]:
    """A safety net over a finished list: at most `limit` findings per (workbook, sheet, column), then one
    'and N more like this'. Linear; keeps the order. Checks cap themselves with add_capped first."""
    counts: dict[tuple, int] = {}
    examples: dict[tuple, Finding] = {}
    kept: list[Finding] = []
    for finding in findings:
        key = (finding.workbook, finding.sheet, finding.column)
        seen = counts.get(key, 0)
        counts[key] = seen + 1
        if seen < limit:
            kept.append(finding)
            examples[key] = finding
    for key, seen in counts.items():
        if seen > limit:
            kept.append(more_like_this(examples[key], seen - limit, limit))
    return kept

"""Data-quality findings: problems in a workbook, as data rather than prints or tracebacks."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum

import pandas as pd


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

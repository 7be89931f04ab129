"""The performance workbook: read and validate KPIs, KPI_Values, Caseloads and Workforce."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .findings import Finding, Severity, add_capped_rows, cap_findings
from .load import RawWorkbook, map_distinct, read_workbook
from .schema import PERFORMANCE_SHEETS, normalise_name

UNITS = ("percent", "count", "rate_per_10k", "days", "ratio", "number")
_POLARITY_WORDS = {
    "higher_is_better": "higher_is_better",
    "higher": "higher_is_better",
    "high": "higher_is_better",
    "up": "higher_is_better",
    "increase": "higher_is_better",
    "bigger_is_better": "higher_is_better",
    "lower_is_better": "lower_is_better",
    "lower": "lower_is_better",
    "low": "lower_is_better",
    "down": "lower_is_better",
    "decrease": "lower_is_better",
    "smaller_is_better": "lower_is_better",
    "context": "context",  # a rise is neither good nor bad: direction without judgement, no RAG
}
_YES_NO = {
    "y": "Y",
    "yes": "Y",
    "true": "Y",
    "1": "Y",
    "agency": "Y",
    "n": "N",
    "no": "N",
    "false": "N",
    "0": "N",
    "permanent": "N",
    "employed": "N",
}


@dataclass
class PerformanceData:
    """A validated performance workbook; frames use the contract's lower-case column names."""

    workbook: str
    about: dict[str, str]
    kpis: pd.DataFrame
    kpi_values: pd.DataFrame
    caseloads: pd.DataFrame | None
    workforce: pd.DataFrame | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def is_illustrative(self) -> bool:
        return "illustrative" in str(self.about.get("data_status", "")).lower()

    def sheet_status(self, sheet: str) -> str:
        """'published', 'illustrative' or 'unknown' for a sheet, from About's published_/illustrative_sheets keys."""
        wanted = normalise_name(sheet)
        for key, label in (("illustrative_sheets", "illustrative"), ("published_sheets", "published")):
            names = {normalise_name(s) for s in str(self.about.get(key, "")).split(",") if s.strip()}
            if wanted in names:
                return label
        return "illustrative" if self.is_illustrative else "unknown"

    def generated_workforce_sheets(self) -> list[str]:
        """Which of Caseloads and Workforce the workbook has and marks illustrative (generated, not the council's
        records), in that order: the one rule the page notice and the Caseloads page both use."""
        return [
            sheet
            for sheet, rows in (("Caseloads", self.caseloads), ("Workforce", self.workforce))
            if rows is not None and self.sheet_status(sheet) == "illustrative"
        ]


def _warn(findings, workbook, sheet, row, column, message, advice=""):
    findings.append(Finding(workbook, sheet, None if row is None else int(row), column, message, Severity.WARNING, advice))


def _report(findings, raw: RawWorkbook, sheet: str, bad: pd.DataFrame, column: str, message, advice: str = "") -> None:
    name = raw.sheet_name(sheet)
    add_capped_rows(
        findings,
        bad,
        lambda row: Finding(raw.workbook, name, int(row["excel_row"]), column, message(row), Severity.WARNING, advice),
    )


def _tidy_kpis(raw: RawWorkbook, findings: list[Finding]) -> pd.DataFrame:
    kpis = raw.frame("KPIs").copy()
    unit = map_distinct(kpis["unit"], lambda v: normalise_name(v) if isinstance(v, str) else None)
    unit = unit.replace({"%": "percent", "percentage": "percent", "rate": "rate_per_10k", "per_10k": "rate_per_10k"})
    _report(
        findings,
        raw,
        "KPIs",
        kpis[kpis["unit"].notna() & ~unit.isin(UNITS)],
        "unit",
        lambda r: f"KPI {r['kpi_id']}: unit '{r['unit']}' is not one of {', '.join(UNITS)}; shown as written.",
    )
    kpis["unit"] = unit.where(unit.isin(UNITS), kpis["unit"])
    polarity = map_distinct(kpis["polarity"], lambda v: _POLARITY_WORDS.get(normalise_name(v)) if isinstance(v, str) else None)
    _report(
        findings,
        raw,
        "KPIs",
        kpis[kpis["polarity"].notna() & polarity.isna()],
        "polarity",
        lambda r: f"KPI {r['kpi_id']}: polarity '{r['polarity']}' is not higher_is_better or lower_is_better; no RAG can be given.",
    )
    no_polarity = kpis["target"].notna() & polarity.isna()
    _report(
        findings,
        raw,
        "KPIs",
        kpis[no_polarity & kpis["polarity"].isna()],
        "polarity",
        lambda r: f"KPI {r['kpi_id']} has a target but no polarity, so no RAG can be given.",
        "Say whether higher_is_better or lower_is_better.",
    )
    _report(
        findings,
        raw,
        "KPIs",
        kpis[kpis["target"].isna() & kpis["polarity"].isna()],
        "polarity",
        lambda r: f"KPI {r['kpi_id']} gives no polarity, so its direction of travel (improving or worsening) cannot be judged.",
        "Say whether higher_is_better or lower_is_better.",
    )
    kpis["polarity"] = polarity
    for column in ("unit", "polarity"):  # blanks as None, not pd.NA: optional values that every reader may compare
        kpis[column] = kpis[column].astype(object).where(kpis[column].notna(), None)
    negative = kpis["tolerance"].notna() & (kpis["tolerance"] < 0)
    _report(findings, raw, "KPIs", kpis[negative], "tolerance", lambda r: f"KPI {r['kpi_id']}: a negative tolerance was read as 0.")
    kpis.loc[negative, "tolerance"] = 0.0
    return kpis.reset_index(drop=True)


def _tidy_values(raw: RawWorkbook, kpi_ids: set[str], findings: list[Finding]) -> pd.DataFrame:
    values = raw.frame("KPI_Values").copy()
    unknown = ~values["kpi_id"].isin(kpi_ids)
    _report(
        findings,
        raw,
        "KPI_Values",
        values[unknown],
        "kpi_id",
        lambda r: f"Value for an unknown KPI '{r['kpi_id']}' (not in the KPIs sheet); the row was left out.",
    )
    no_period = values["period"].isna() & ~unknown
    _report(
        findings,
        raw,
        "KPI_Values",
        values[no_period],
        "period",
        lambda r: f"KPI {r['kpi_id']}: the row has no readable period; it was left out.",
    )
    values = values[~unknown & ~no_period].sort_values(["kpi_id", "period", "excel_row"], kind="stable")
    dup = values.duplicated(["kpi_id", "period"], keep="last")
    _report(
        findings,
        raw,
        "KPI_Values",
        values[dup],
        "period",
        lambda r: f"KPI {r['kpi_id']} has two values for {r['period']:%d %b %Y}; the later row was used.",
    )
    return values[~dup].reset_index(drop=True)


def _tidy_caseloads(raw: RawWorkbook, findings: list[Finding]) -> pd.DataFrame | None:
    frame = raw.frame("Caseloads")
    if frame is None:
        return None
    rows = frame.copy()
    bad_fte = rows["fte"].notna() & ~((rows["fte"] > 0) & (rows["fte"] <= 1))
    _report(
        findings,
        raw,
        "Caseloads",
        rows[bad_fte],
        "fte",
        lambda r: f"Worker {r['worker_id']}: FTE {r['fte']:g} is not above 0 and at most 1; the row was left out of caseload figures.",
        "FTE is a fraction of full time, e.g. 0.6.",
    )
    bad_cases = rows["cases"].notna() & (rows["cases"] < 0)
    _report(
        findings,
        raw,
        "Caseloads",
        rows[bad_cases],
        "cases",
        lambda r: f"Worker {r['worker_id']}: {r['cases']:g} cases is negative; the row was left out.",
    )
    missing = rows["period"].isna() | rows["worker_id"].isna() | rows["team"].isna() | rows["fte"].isna() | rows["cases"].isna()
    _report(
        findings,
        raw,
        "Caseloads",
        rows[missing & ~bad_fte & ~bad_cases],
        "period",
        lambda r: "The row lacks a period, team, worker_id, fte or cases; it was left out.",
    )
    agency = map_distinct(rows["agency"], lambda v: _YES_NO.get(normalise_name(v)) if isinstance(v, str) else None)
    _report(
        findings,
        raw,
        "Caseloads",
        rows[rows["agency"].notna() & agency.isna()],
        "agency",
        lambda r: f"Worker {r['worker_id']}: agency '{r['agency']}' is not Y or N; counted as not agency.",
    )
    rows["agency"] = agency.fillna("N")
    rows = rows[~bad_fte & ~bad_cases & ~missing].copy()
    rows["period"] = rows["period"] + pd.offsets.MonthEnd(0)
    rows["role"] = rows["role"].fillna("Social Worker")
    return rows.reset_index(drop=True)


def _tidy_workforce(raw: RawWorkbook, findings: list[Finding]) -> pd.DataFrame | None:
    frame = raw.frame("Workforce")
    if frame is None:
        return None
    rows = frame.copy()
    for column in ("establishment_fte", "filled_fte", "agency_fte", "starters", "leavers"):
        negative = rows[column].notna() & (rows[column] < 0)
        _report(
            findings, raw, "Workforce", rows[negative], column, lambda r, c=column: f"Team {r['team']}: {c} {r[c]:g} is negative; ignored."
        )
        rows.loc[negative, column] = float("nan")
    missing = rows["period"].isna() | rows["team"].isna()
    _report(findings, raw, "Workforce", rows[missing], "period", lambda r: "The row lacks a period or team; it was left out.")
    rows = rows[~missing].copy()
    rows["period"] = rows["period"] + pd.offsets.MonthEnd(0)
    return rows.reset_index(drop=True)


def load_performance(data: bytes, workbook: str = "performance workbook") -> PerformanceData:
    """Read and validate a performance workbook's bytes. Raises WorkbookError when it cannot be used."""
    raw = read_workbook(data, workbook, PERFORMANCE_SHEETS)
    findings = list(raw.findings)
    kpis = _tidy_kpis(raw, findings)
    return PerformanceData(
        workbook=workbook,
        about=raw.about,
        kpis=kpis,
        kpi_values=_tidy_values(raw, set(kpis["kpi_id"]), findings),
        caseloads=_tidy_caseloads(raw, findings),
        workforce=_tidy_workforce(raw, findings),
        findings=cap_findings(findings),
    )


def read_performance_file(path: str | Path) -> PerformanceData:
    """Load a performance workbook from disk (read-only)."""
    path = Path(path)
    return load_performance(path.read_bytes(), path.name)

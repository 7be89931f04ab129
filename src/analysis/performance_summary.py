"""The performance part of the shared summary: caseload for a month and the latest KPIs."""

from __future__ import annotations

import math

import pandas as pd

from .caseload import caseload_summary
from .dates import iso_or_none
from .kpi import latest_kpis
from .performance_workbook import PerformanceData


def caseload_month(caseloads: pd.DataFrame, as_at: pd.Timestamp | None) -> pd.Timestamp | None:
    """The month shown for a reporting date: its own month, else the latest month before it, else the latest."""
    months = sorted(caseloads["period"].dropna().unique())
    if not months:
        return None
    if as_at is None:
        return pd.Timestamp(months[-1])
    month_end = pd.Timestamp(as_at) + pd.offsets.MonthEnd(0)
    earlier = [m for m in months if m <= month_end]
    return pd.Timestamp(earlier[-1] if earlier else months[-1])


def _num(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def caseload_headline(perf: PerformanceData, as_at: pd.Timestamp | None) -> dict | None:
    """{period, average (cases per FTE), over_threshold_share (0-1), workers, by_team: {...}} or None."""
    if perf.caseloads is None or perf.caseloads.empty:
        return None
    month = caseload_month(perf.caseloads, as_at)
    rows = perf.caseloads[perf.caseloads["period"] == month]
    service = caseload_summary(rows, "service")
    teams = caseload_summary(rows, "team")
    if service.empty:
        return None
    whole = service.iloc[0]
    return {
        "period": iso_or_none(month),
        "average": _num(whole["average_caseload"]),
        "over_threshold_share": _num(whole["share_over_threshold"]),
        "workers": int(whole["workers"]),
        "by_team": {
            str(t.team): {
                "average": _num(t.average_caseload),
                "over_threshold_share": _num(t.share_over_threshold),
                "workers": int(t.workers),
            }
            for t in teams.itertuples(index=False)
        },
    }


def kpi_values_known_at(perf: PerformanceData, as_at: pd.Timestamp | None) -> pd.DataFrame:
    """KPI values with a period on or before D (all when D is None): a view at 31 Dec 2017 shows the
    figures of that time, not later years'."""
    values = perf.kpi_values
    if as_at is None:
        return values
    return values[values["period"] <= pd.Timestamp(as_at)]


def latest_kpis_at(perf: PerformanceData, as_at: pd.Timestamp | None) -> pd.DataFrame:
    """Each KPI at its latest period on or before D, with RAG, direction and comparators."""
    return latest_kpis(perf.kpis, kpi_values_known_at(perf, as_at))


def kpi_records(perf: PerformanceData, as_at: pd.Timestamp | None = None) -> list[dict]:
    latest = latest_kpis_at(perf, as_at)
    records = []
    for row in latest.itertuples(index=False):
        records.append(
            {
                "kpi_id": row.kpi_id,
                "kpi": row.kpi,
                "period": iso_or_none(row.period),
                "value": _num(row.value),
                "target": _num(row.target),
                "rag": None if row.rag is None or (isinstance(row.rag, float) and math.isnan(row.rag)) else str(row.rag),
                "direction": None
                if row.direction is None or (isinstance(row.direction, float) and math.isnan(row.direction))
                else str(row.direction),
                "england": _num(row.england),
                "stat_neighbours": _num(row.stat_neighbours),
                "rec_ids": [str(r) for r in row.rec_ids] if isinstance(row.rec_ids, (tuple, list)) else [],
                "source": None if not isinstance(row.source, str) else row.source,
            }
        )
    return records


def performance_summary(perf: PerformanceData, as_at: pd.Timestamp | None) -> dict:
    """`caseload` for the reporting date's month and `kpis` at their latest period on or before it (latest of all when None)."""
    return {"caseload": caseload_headline(perf, as_at), "kpis": kpi_records(perf, as_at)}

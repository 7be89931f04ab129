"""The performance part of the shared summary: caseload for a month and the latest KPIs."""

from __future__ import annotations

import math

import pandas as pd

from .caseload import caseload_summary
from .dates import iso_or_none
from .kpi import latest_kpis
from .performance_workbook import PerformanceData
from .values import number_or_none


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


_num = number_or_none  # one definition (values.number_or_none)


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
                "unit": None if not isinstance(row.unit, str) else row.unit,
                "polarity": None if not isinstance(row.polarity, str) else row.polarity,
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


# ---- published figures for a council (docs/published-data.md) -----------------------------------

PUBLISHED_KEYS = ("region", "region_name", "stat_neighbours_median", "stat_neighbours_mean", "rank", "of", "quartile")


def workbook_matches_council(perf: PerformanceData | None, code: str | None, data) -> bool:
    """True when a performance workbook can stand beside the council's published figures: it names that
    council in About (`council` or `organisation`), or names none."""
    from .published import council_from_about

    if perf is None or code is None:
        return perf is not None
    named = council_from_about(perf.about, data)
    return named is None or named == code


def _with_published(record: dict, data, code: str, model: str) -> dict:
    """A workbook KPI record with the published comparators of the same measure and period (blank otherwise)."""
    from .published import benchmark, years

    out = {**record, "origin": "workbook"}
    for key in (*PUBLISHED_KEYS, "funnel_verdict", "stat_neighbours_model"):
        out.setdefault(key, None)
    out.setdefault("stat_neighbours_median", record.get("stat_neighbours"))
    if record["kpi_id"] not in data.measure_ids or not record.get("period"):
        return out
    period = pd.Timestamp(record["period"])
    measure = data.measure(record["kpi_id"])
    if period.strftime("%m-%d") != measure["period_end"] or period.year not in years(data, record["kpi_id"]):
        return out
    b = benchmark(data, code, record["kpi_id"], period.year, model)
    for key in PUBLISHED_KEYS:
        out[key] = b[key]
    if record.get("stat_neighbours") is not None:
        out["stat_neighbours_median"] = record["stat_neighbours"]  # the workbook's own, as the scorecard shows it
    out["stat_neighbours_model"] = b["stat_neighbours_model"]
    out["funnel_verdict"] = b["funnel"]["verdict"] if b["funnel"] else None
    return out


def published_summary(
    summary_kpis: list[dict] | None,
    chosen: str | None,
    plan_about: dict | None,
    perf: PerformanceData | None,
    as_at: pd.Timestamp | None,
    model: str = "2025",
) -> dict:
    """`council` and `kpis` for the summary: the council (chosen, else the plan's or the workbook's About, else
    $DASHBOARD_COUNCIL) and every KPI with kpi_id, kpi, period, value, unit, polarity, england, region,
    stat_neighbours_median, stat_neighbours_mean, rank, of, quartile, source and funnel_verdict.

    The workbook's KPIs come first, as the workbook gives them, with the published comparators of the same
    measure and period beside them; then every published measure the workbook does not have, at its latest
    year on or before D. A workbook naming another council is left out (`council.note` says so).
    Returns {} when no council is known (the summary is then as before)."""
    from .published import council_name, council_region, key_figures, load_published, resolve_council

    data = load_published()
    if chosen and resolve_council(chosen, data) is None:
        raise ValueError(f"'{chosen}' is not a council with published figures: give an LA name or code such as 'County Durham' or '840'.")
    from .published import choose_council

    code = choose_council(data, chosen, plan_about, perf.about if perf is not None else None)
    if code is None:
        return {}
    council = {"code": code, "name": council_name(data, code), "region": council_region(data, code), "stat_neighbours_model": model}
    own = summary_kpis or []
    out: dict = {"council": council}
    if perf is not None and not workbook_matches_council(perf, code, data):
        council["note"] = f"The performance workbook is for {perf.about.get('organisation') or 'another council'}: its KPIs are left out."
        own = []
        out["caseload"] = None
    records = [_with_published(r, data, code, model) for r in own]
    have = {r["kpi_id"] for r in records}
    for record in key_figures(data, code, as_at, model):
        if record["kpi_id"] not in have:
            records.append({**record, "target": None, "rag": None, "rec_ids": [], "stat_neighbours": None, "origin": "published"})
    out["kpis"] = records
    return out

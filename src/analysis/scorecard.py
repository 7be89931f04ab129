"""Tables behind the Caseloads and workforce page and the Performance scorecard. Plain pandas.

Every figure comes from src/analysis/caseload.py and kpi.py; this module only selects a month or
a team/locality, joins the rates for one month and words values in their unit. Rates stay 0-1
here; words (`format_value`, `rate_text`) turn them into percent.
"""

from __future__ import annotations

import math

import pandas as pd

from .caseload import (
    BASIS_CASELOADS,
    DEFAULT_THRESHOLD,
    agency_rate,
    caseload_per_worker,
    caseload_summary,
    role_thresholds,
    turnover_rolling,
    vacancy_rate,
)
from .dates import format_date
from .kpi import Direction, Polarity, kpi_status
from .values import is_blank as _blank

WHOLE_SERVICE = "Whole service"
LOCALITY_PREFIX, TEAM_PREFIX = "Locality: ", "Team: "
UNIT_WORDS = {
    "percent": "%",
    "rate_per_10k": "per 10,000 children",
    "count": "count",
    "days": "days",
    "ratio": "cases per FTE",
    "number": "number",
}
DEFINITIONS = {
    "Average caseload": "total cases / total FTE of case-holding workers (workers with cases > 0 in that month).",
    "Caseload per worker": "cases / fte.",
    "Over threshold": "share of case-holding workers whose caseload per worker is above the threshold for their role "
    "(default 20; ASYE 15).",
    "Agency rate": "agency FTE / filled FTE (Workforce sheet; from Caseloads when there is no Workforce sheet, and then labelled so).",
    "Vacancy rate": "(establishment FTE - filled FTE) / establishment FTE.",
    "Turnover (rolling 12 months)": "leavers in the 12 months to the period / mean filled FTE over those months.",
}


def short_value(value: object, unit: object) -> str:
    """A value for a small cell: the number, with % for percent (the unit goes in the row label)."""
    if _blank(value):
        return ""
    number = float(value)
    text = f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"
    return f"{text}%" if unit == "percent" else text


def format_value(value: object, unit: object) -> str:
    """A KPI value in its unit: 18.5 percent -> '18.5%', 408.6 rate_per_10k -> '408.6 per 10,000'; blank -> 'no value'."""
    if _blank(value):
        return "no value"
    unit = None if _blank(unit) else str(unit)  # a blank unit may arrive as pd.NA, which cannot be compared
    number = float(value)
    text = f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"
    if unit == "percent":
        return f"{text}%"
    if unit == "rate_per_10k":
        return f"{text} per 10,000"
    if unit == "days":
        return f"{text} days"
    return text


def rate_text(rate: object, digits: int = 1) -> str:
    """0.1684 -> '16.8%'; blank -> 'n/a'."""
    return "n/a" if _blank(rate) else f"{float(rate) * 100:.{digits}f}%"


def direction_text(direction: object, polarity: object) -> str:
    """The direction word with an arrow for how the value moved: lower_is_better + improving -> '↓ improving'."""
    if _blank(direction):
        return "no earlier value"
    word = str(direction)
    if word == Direction.NO_CHANGE:
        return "→ no change"
    if word in (Direction.RISING, Direction.FALLING):  # polarity context: the movement, no judgement
        return f"{'↑' if word == Direction.RISING else '↓'} {word}"
    rising = (word == Direction.IMPROVING) == (str(polarity) == Polarity.HIGHER_IS_BETTER)
    return f"{'↑' if rising else '↓'} {word}"


# ---- caseloads --------------------------------------------------------------------------------


def focus_options(caseloads: pd.DataFrame) -> list[str]:
    """'Whole service', then 'Locality: X' for each locality, then 'Team: Y' for each team."""
    options = [WHOLE_SERVICE]
    if "locality" in caseloads.columns:
        options += [LOCALITY_PREFIX + str(v) for v in sorted(caseloads["locality"].dropna().unique())]
    options += [TEAM_PREFIX + str(v) for v in sorted(caseloads["team"].dropna().unique())]
    return options


def in_focus(frame: pd.DataFrame | None, focus: str, team_locality: dict[str, str] | None = None) -> pd.DataFrame | None:
    """Rows of a Caseloads or Workforce frame in a focus ('Whole service', 'Locality: X', 'Team: Y').

    A Workforce frame without a locality column is matched through `team_locality` (team -> locality).
    """
    if frame is None or focus == WHOLE_SERVICE:
        return frame
    if focus.startswith(TEAM_PREFIX):
        return frame[frame["team"].astype(str) == focus[len(TEAM_PREFIX) :]]
    locality = focus[len(LOCALITY_PREFIX) :]
    if "locality" in frame.columns:
        return frame[frame["locality"].astype(str) == locality]
    teams = {t for t, loc in (team_locality or {}).items() if str(loc) == locality}
    return frame[frame["team"].astype(str).isin(teams)]


def up_to(frame: pd.DataFrame | None, month: pd.Timestamp) -> pd.DataFrame | None:
    """Rows whose period is on or before `month` (None stays None)."""
    return None if frame is None else frame[frame["period"] <= month]


def team_localities(caseloads: pd.DataFrame) -> dict[str, str]:
    if "locality" not in caseloads.columns:
        return {}
    pairs = caseloads.dropna(subset=["locality"]).drop_duplicates("team")
    return dict(zip(pairs["team"].astype(str), pairs["locality"].astype(str)))


def workers_in_month(
    caseloads: pd.DataFrame, month: pd.Timestamp, thresholds=None, default_threshold: float = DEFAULT_THRESHOLD
) -> pd.DataFrame:
    """Case-holding workers (cases > 0) in a month with caseload_per_worker, their role's threshold and over (bool)."""
    rows = caseloads[(caseloads["period"] == month) & (pd.to_numeric(caseloads["cases"]) > 0)].copy()
    rows["caseload_per_worker"] = caseload_per_worker(rows)
    rows["threshold"] = role_thresholds(rows["role"], thresholds, default_threshold)
    rows["over"] = rows["caseload_per_worker"] > rows["threshold"]
    cols = [
        c
        for c in ("period", "team", "locality", "worker_id", "role", "fte", "cases", "agency", "caseload_per_worker", "threshold", "over")
        if c in rows.columns
    ]
    return rows[cols].sort_values(["team", "worker_id"]).reset_index(drop=True)


def _at(frame: pd.DataFrame, month: pd.Timestamp, column: str) -> float | None:
    row = frame[frame["period"] == month]
    if row.empty or _blank(row[column].iloc[0]):
        return None
    value = float(row[column].iloc[0])
    return None if math.isnan(value) else value


def month_headline(caseloads: pd.DataFrame, workforce: pd.DataFrame | None, month: pd.Timestamp) -> dict:
    """For one month (rows already filtered to a focus): average, share_over_threshold (0-1), workers, fte, cases,
    agency_rate, agency_basis, vacancy_rate, turnover_rate (0-1, None when unknown)."""
    service = caseload_summary(caseloads, "service")
    at = service[service["period"] == month]
    row = at.iloc[0] if len(at) else None
    agency = (
        agency_rate(workforce, caseloads, "service")
        if workforce is not None and len(workforce)
        else agency_rate(None, caseloads, "service")
    )
    out = {
        "month": month,
        "average": None if row is None else float(row["average_caseload"]),
        "share_over_threshold": None if row is None else float(row["share_over_threshold"]),
        "workers": 0 if row is None else int(row["workers"]),
        "fte": None if row is None else float(row["fte"]),
        "cases": None if row is None else float(row["cases"]),
        "agency_rate": _at(agency, month, "agency_rate"),
        "agency_basis": agency["basis"].iloc[0] if len(agency) else BASIS_CASELOADS,
        "vacancy_rate": None,
        "turnover_rate": None,
    }
    if workforce is not None and len(workforce):
        out["vacancy_rate"] = _at(vacancy_rate(workforce, "service"), month, "vacancy_rate")
        out["turnover_rate"] = _at(turnover_rolling(workforce, "service"), month, "turnover_rate")
    return out


def workforce_rates(caseloads: pd.DataFrame, workforce: pd.DataFrame | None) -> dict[str, pd.DataFrame | None]:
    """Service-level agency (with basis), vacancy and rolling turnover frames for the trend chart."""
    has_workforce = workforce is not None and len(workforce) > 0
    return {
        "agency": agency_rate(workforce if has_workforce else None, caseloads, "service"),
        "vacancy": vacancy_rate(workforce, "service") if has_workforce else None,
        "turnover": turnover_rolling(workforce, "service") if has_workforce else None,
    }


# ---- KPIs ---------------------------------------------------------------------------------------


def _rag_words(row) -> str:
    """The RAG word, or why there is none (no target; a target but no polarity; no value)."""
    if not _blank(row.rag):
        return str(row.rag)
    if _blank(row.target):
        return "no target, no RAG"
    return "no polarity, no RAG" if _blank(row.polarity) or not str(row.polarity) else "no value, no RAG"


def scorecard(latest: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """One row per KPI as people read it: value with unit, period, target, RAG word, direction with arrow,
    comparators in the unit, the KPI's values up to D as a list (for a sparkline) and the source.

    `latest` is performance_summary.latest_kpis_at(...); `values` the KPI values known at D.
    """
    history = values.sort_values("period").groupby("kpi_id")["value"].agg(lambda s: [float(v) for v in s.dropna()])
    rows = []
    for row in latest.itertuples(index=False):
        unit = row.unit
        rows.append(
            {
                "KPI": row.kpi,
                "Latest value": format_value(row.value, unit),
                "Unit": UNIT_WORDS.get(str(unit), str(unit) if not _blank(unit) else ""),
                "Period": row.period,
                "Target": "no target" if _blank(row.target) else format_value(row.target, unit),
                "RAG": _rag_words(row),
                "Direction of travel": direction_text(row.direction, row.polarity),
                "England": format_value(row.england, unit) if not _blank(row.england) else "",
                "North East": format_value(getattr(row, "north_east", None), unit) if not _blank(getattr(row, "north_east", None)) else "",
                "Statistical neighbours": format_value(row.stat_neighbours, unit) if not _blank(row.stat_neighbours) else "",
                "Trend": history.get(row.kpi_id, []),
                "Source": row.source if isinstance(row.source, str) else "",
                "kpi_id": row.kpi_id,
            }
        )
    return pd.DataFrame(rows)


def status_grid(kpis: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Every KPI value with its RAG (kpi_status), in the KPIs sheet's order, and the short cell text for a heat
    map: 'Green 18.8' where the KPI has a target, else the value alone (the chart marks the row 'no target')."""
    columns = ["kpi_id", "kpi", "period", "value", "unit", "rag", "text"]
    if values.empty:
        return pd.DataFrame(columns=columns)
    status = kpi_status(kpis, values)
    status = status[status["value"].notna()].copy()
    status["text"] = [
        (short_value(v, u) if _blank(r) else f"{r} {short_value(v, u)}") for v, u, r in zip(status["value"], status["unit"], status["rag"])
    ]
    rank = {str(k).strip(): i for i, k in enumerate(kpis["kpi_id"])}
    status["_order"] = status["kpi_id"].map(rank)
    return status.sort_values(["_order", "period"], kind="stable")[columns].reset_index(drop=True)


def overview_caseload(perf, as_at: pd.Timestamp | None) -> dict | None:
    """The overview's caseload row for the reporting month: {'month', 'cells': [(label, value, help)], 'note'}.

    Average and share above threshold are performance_summary.caseload_headline's (the CLI summary's
    `caseload`); agency and vacancy are month_headline's. None when there are no Caseloads.
    """
    from .performance_summary import caseload_headline, caseload_month

    headline = caseload_headline(perf, as_at)
    if headline is None:
        return None
    month = caseload_month(perf.caseloads, as_at)
    rates = month_headline(perf.caseloads, perf.workforce, month)
    from_caseloads = rates["agency_basis"] == BASIS_CASELOADS
    cells = [
        (
            "Average caseload",
            "n/a" if headline["average"] is None else f"{headline['average']:.1f}",
            f"Cases per FTE; the threshold is {DEFAULT_THRESHOLD:g}. " + DEFINITIONS["Average caseload"],
        ),
        ("Above threshold", rate_text(headline["over_threshold_share"]), DEFINITIONS["Over threshold"]),
        ("Agency rate" + (" (from Caseloads)" if from_caseloads else ""), rate_text(rates["agency_rate"]), DEFINITIONS["Agency rate"]),
        ("Vacancy rate", rate_text(rates["vacancy_rate"]), DEFINITIONS["Vacancy rate"]),
    ]
    status = {perf.sheet_status(s) for s in ("Caseloads", "Workforce")}
    note = f"Caseloads and workforce at {format_date(month)}"
    note += ": ILLUSTRATIVE figures, generated, not the council's records." if "illustrative" in status else "."
    return {"month": month, "cells": cells, "note": note + " More on the Caseloads and workforce page."}


def kpis_by_recommendation(coverage: pd.DataFrame, kpis: pd.DataFrame) -> pd.DataFrame:
    """One row per recommendation: the names of the KPIs that evidence it (coverage's `kpis` ids), or what is missing."""
    names = dict(zip(kpis["kpi_id"].astype(str).str.strip(), kpis["kpi"]))
    rows = []
    for row in coverage.itertuples(index=False):
        ids = [str(k) for k in row.kpis]
        if ids:
            shown = "; ".join(names.get(k, k) for k in ids)
        else:
            shown = "none: no KPI shows the impact of its tasks" if len(row.tasks) else "none"
        rows.append({"Rec": row.rec_id, "KPIs that evidence it": shown, "Number of KPIs": len(ids)})
    return pd.DataFrame(rows)


# ---- published figures for a council (src/analysis/published.py) -------------------------------


def _comparator(value: object, unit: object) -> str:
    return "" if _blank(value) else format_value(value, unit)


def published_table(records: list[dict], local: dict[str, dict] | None = None) -> pd.DataFrame:
    """One row per published measure as people read it (published.council_measures records): value or the
    suppression reason, England, region, the statistical neighbours' median (how many had a value) and mean,
    rank and quartile band, direction, the funnel verdict, a small-numbers warning and the source.

    `local` (kpi_id -> {'value', 'unit', 'month', 'note'}) puts a council's own monthly figure beside the
    published one with the lag labelled ('local: Aug 2026; published and statistical neighbours: 2024-25')."""
    from .published import lag_label

    rows = []
    for r in records:
        unit = r["unit"]
        sn = _comparator(r["stat_neighbours_median"], unit)
        if sn:
            sn += f" ({r['stat_neighbours_with_value']} of 10 with a value)"
        if r["polarity"] == "context":
            rank = "not ranked: context measure"
        elif r["rank"] is None:
            rank = "no rank: no value"
        else:
            rank = f"{r['rank']} of {r['of']}"
        direction = r.get("direction")
        row = {
            "Measure": r["kpi"],
            "Period": r["period_label"],
            "Value": r["reason_text"] if r["value"] is None else format_value(r["value"], unit),
            "England": _comparator(r["england"], unit),
            "Region": (f"{r['region_name']}: " if r["region_name"] and not _blank(r["region"]) else "") + _comparator(r["region"], unit),
            "Statistical neighbours (median)": sn,
            "Statistical neighbours (mean)": _comparator(r["stat_neighbours_mean"], unit),
            "Rank (1 = best)": rank,
            "Quartile (A = best)": r["quartile"] or "",
            "Direction since the year before": direction or "no earlier value",
            "Is the difference from England more than chance?": r["funnel"]["text"] if r.get("funnel") else "no funnel for this measure",
            "Small numbers": r.get("small_numbers") or "",
            "Source": r["source"] + (f". {r['note']}" if r.get("note") else ""),
            "kpi_id": r["kpi_id"],
        }
        if local is not None:
            own = local.get(r["kpi_id"])
            row["Local figure"] = (
                f"{format_value(own['value'], unit)}{own.get('note', '')} ({lag_label(own['month'], r['period_label'])})" if own else ""
            )
        rows.append(row)
    frame = pd.DataFrame(rows)
    if local is not None and len(frame):
        frame.insert(3, "Local figure", frame.pop("Local figure"))
    return frame


def local_workforce_figures(head: dict, illustrative: bool = False) -> dict[str, dict]:
    """A month_headline() as the local figures that stand beside the published workforce measures
    (published.SW_CASELOAD, SW_AGENCY_PCT, SW_VACANCY_PCT, SW_TURNOVER_PCT), in the published units (percent 0-100)."""
    note = ", illustrative" if illustrative else ""
    pairs = {
        "SW_CASELOAD": (head.get("average"), "ratio"),
        "SW_AGENCY_PCT": (None if head.get("agency_rate") is None else head["agency_rate"] * 100, "percent"),
        "SW_VACANCY_PCT": (None if head.get("vacancy_rate") is None else head["vacancy_rate"] * 100, "percent"),
        "SW_TURNOVER_PCT": (None if head.get("turnover_rate") is None else head["turnover_rate"] * 100, "percent"),
    }
    return {k: {"value": v, "unit": u, "month": head["month"], "note": note} for k, (v, u) in pairs.items() if v is not None}

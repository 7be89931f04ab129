"""Selections behind the Caseloads and workforce page and the Performance scorecard. Plain pandas.

Every figure comes from src/analysis/caseload.py and kpi.py; this module only selects a month or a
team/locality and joins the rates for one month. Rates stay 0-1 here. The words people read (values in
their unit, direction of travel, sources, the scorecard and published tables, the overview's caseload
cells) are in scorecard_words.py.
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
from .scorecard_words import DEFINITIONS, rate_text  # noqa: F401 (the Caseloads page still reads them from here)
from .values import is_blank as _blank

WHOLE_SERVICE = "Whole service"
LOCALITY_PREFIX, TEAM_PREFIX = "Locality: ", "Team: "


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


# ---- local figures beside the published ones --------------------------------------------------


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

"""Caseload and workforce indicators (docs: /work/shared/spec/indicators.md,
"Caseloads and workforce").

Plain pandas, no streamlit or plotly. Every function takes DataFrames whose
columns are the workbook contract's names in lower case:

- Caseloads: period (datetime64), team, locality (optional), worker_id, role,
  fte (0 < fte <= 1), cases (count at month end), agency ('Y'/'N').
- Workforce: period, team, establishment_fte, filled_fte, agency_fte,
  starters, leavers (headcount in the month); an optional locality column
  allows grouping by locality.

Grouping (`by`): "service" (whole service), "team" or "locality"; results
are per month, one row per group and month, with `period` normalised to the
month end (monthly figures may use any day of the month).

Units: caseloads are cases per FTE; shares and rates are 0-1 (not percent);
FTE is full-time equivalent.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

DEFAULT_THRESHOLD: float = 20.0
"""Cases per FTE above which a worker is over threshold (Durham's own target)."""
DEFAULT_ROLE_THRESHOLDS: dict[str, float] = {"ASYE": 15.0}
"""Per-role thresholds: ASYE (newly qualified) workers have a protected caseload."""

GROUPINGS = ("service", "team", "locality")
BASIS_WORKFORCE = "Workforce sheet"
BASIS_CASELOADS = "Caseloads sheet (workers listed there only)"


def month_end(period: pd.Series) -> pd.Series:
    """Dates normalised to their month end (any day of a month means that month)."""
    return pd.to_datetime(period).dt.normalize() + pd.offsets.MonthEnd(0)


def _keys(by: str) -> list[str]:
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}, not {by!r}")
    return ["period"] if by == "service" else ["period", by]


def _prepare(frame: pd.DataFrame, by: str, what: str) -> pd.DataFrame:
    keys = _keys(by)
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        raise ValueError(f"{what} has no column {missing[0]!r} to group by {by}")
    out = frame.copy()
    out["period"] = month_end(out["period"])
    return out


def caseload_per_worker(caseloads: pd.DataFrame) -> pd.Series:
    """Cases per FTE for each row (cases / fte); e.g. 10 cases at 0.5 FTE -> 20."""
    return pd.to_numeric(caseloads["cases"]) / pd.to_numeric(caseloads["fte"])


def role_thresholds(
    roles: pd.Series,
    thresholds: Mapping[str, float] | None = None,
    default: float = DEFAULT_THRESHOLD,
) -> pd.Series:
    """Threshold (cases per FTE) for each row's role; roles match trimmed, case-insensitively."""
    table = DEFAULT_ROLE_THRESHOLDS if thresholds is None else thresholds
    lookup = {str(k).strip().casefold(): float(v) for k, v in table.items()}
    keyed = roles.astype("string").str.strip().str.casefold()
    return keyed.map(lookup).astype("float64").fillna(float(default))


def case_holders(caseloads: pd.DataFrame) -> pd.DataFrame:
    """Rows of workers holding cases that month (cases > 0); others (e.g. on leave) are left out."""
    return caseloads[pd.to_numeric(caseloads["cases"]) > 0]


def caseload_summary(
    caseloads: pd.DataFrame,
    by: str = "service",
    thresholds: Mapping[str, float] | None = None,
    default_threshold: float = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """Per group and month, over case-holding workers (cases > 0):

    workers (headcount), fte, cases, average_caseload (total cases / total FTE),
    over_threshold (headcount whose cases/fte is above their role's threshold)
    and share_over_threshold (0-1 of case-holding headcount).
    """
    frame = _prepare(case_holders(caseloads), by, "Caseloads")
    keys = _keys(by)
    frame = frame.assign(
        fte=pd.to_numeric(frame["fte"]),
        cases=pd.to_numeric(frame["cases"]),
        over=(caseload_per_worker(frame) > role_thresholds(frame["role"], thresholds, default_threshold)).astype(int),
    )
    out = (
        frame.groupby(keys, sort=True)
        .agg(workers=("worker_id", "size"), fte=("fte", "sum"), cases=("cases", "sum"), over_threshold=("over", "sum"))
        .reset_index()
    )
    out["average_caseload"] = out["cases"] / out["fte"]
    out["share_over_threshold"] = out["over_threshold"] / out["workers"]
    return out[keys + ["workers", "fte", "cases", "average_caseload", "over_threshold", "share_over_threshold"]]


def average_caseload(caseloads: pd.DataFrame, by: str = "service") -> pd.DataFrame:
    """Average caseload (cases per FTE) per group and month: total cases / total FTE of case holders."""
    return caseload_summary(caseloads, by)[_keys(by) + ["workers", "fte", "cases", "average_caseload"]]


def share_in_band(
    caseloads: pd.DataFrame,
    lower: float | None = None,
    upper: float | None = None,
    by: str = "service",
    inclusive: str = "right",
) -> pd.DataFrame:
    """Share (0-1) of case-holding workers whose cases/fte lies in a band, per group and month.

    By default `lower` is exclusive and `upper` inclusive (`inclusive="right"`:
    "more than 20", "up to 24"); "both", "left" and "neither" as in
    pandas.Series.between. Either bound may be None for an open band.
    Returns keys + workers, in_band, share.
    """
    if inclusive not in ("both", "left", "right", "neither"):
        raise ValueError(f"inclusive must be both, left, right or neither, not {inclusive!r}")
    frame = _prepare(case_holders(caseloads), by, "Caseloads")
    per = caseload_per_worker(frame)
    inside = pd.Series(True, index=frame.index)
    if lower is not None:
        inside &= per >= lower if inclusive in ("both", "left") else per > lower
    if upper is not None:
        inside &= per <= upper if inclusive in ("both", "right") else per < upper
    keys = _keys(by)
    out = (
        frame.assign(in_band=inside.astype(int))
        .groupby(keys, sort=True)
        .agg(workers=("worker_id", "size"), in_band=("in_band", "sum"))
        .reset_index()
    )
    out["share"] = out["in_band"] / out["workers"]
    return out


def asye_over_threshold(
    caseloads: pd.DataFrame,
    thresholds: Mapping[str, float] | None = None,
    role: str = "ASYE",
) -> pd.DataFrame:
    """ASYE protected-caseload check: the ASYE rows whose cases/fte is above the ASYE threshold.

    Returns period, team, worker_id, fte, cases, caseload_per_worker, threshold
    (empty when every ASYE is within the protected caseload).
    """
    frame = caseloads.copy()
    frame["period"] = month_end(frame["period"])
    is_role = frame["role"].astype("string").str.strip().str.casefold() == role.casefold()
    frame = frame[is_role & (pd.to_numeric(frame["cases"]) > 0)]
    frame = frame.assign(
        caseload_per_worker=caseload_per_worker(frame),
        threshold=role_thresholds(frame["role"], thresholds),
    )
    cols = ["period", "team", "worker_id", "fte", "cases", "caseload_per_worker", "threshold"]
    hit = frame[frame["caseload_per_worker"] > frame["threshold"]]
    return hit[cols].sort_values(["period", "team", "worker_id"]).reset_index(drop=True)


def agency_rate(
    workforce: pd.DataFrame | None = None,
    caseloads: pd.DataFrame | None = None,
    by: str = "service",
) -> pd.DataFrame:
    """Agency rate (0-1) = agency FTE / filled FTE per group and month, with its `basis`.

    From the Workforce sheet when given; otherwise from Caseloads (FTE of rows
    with agency 'Y' / FTE of all rows, including workers with 0 cases), and
    then `basis` says so. Filled FTE of 0 gives a missing rate.
    """
    keys = _keys(by)
    if workforce is not None:
        frame = _prepare(workforce, by, "Workforce")
        out = (
            frame.assign(agency_fte=pd.to_numeric(frame["agency_fte"]), filled_fte=pd.to_numeric(frame["filled_fte"]))
            .groupby(keys, sort=True)[["agency_fte", "filled_fte"]]
            .sum(min_count=1)
            .reset_index()
        )
        basis = BASIS_WORKFORCE
    elif caseloads is not None:
        frame = _prepare(caseloads, by, "Caseloads")
        fte = pd.to_numeric(frame["fte"])
        is_agency = frame["agency"].astype("string").str.strip().str.upper().eq("Y").fillna(False)
        out = (
            frame.assign(filled_fte=fte, agency_fte=fte.where(is_agency, 0.0))
            .groupby(keys, sort=True)[["agency_fte", "filled_fte"]]
            .sum()
            .reset_index()
        )
        basis = BASIS_CASELOADS
    else:
        raise ValueError("agency_rate needs a Workforce or a Caseloads frame")
    out["agency_rate"] = out["agency_fte"] / out["filled_fte"].where(out["filled_fte"] > 0)
    out["basis"] = basis
    return out[keys + ["agency_fte", "filled_fte", "agency_rate", "basis"]]


def vacancy_rate(workforce: pd.DataFrame, by: str = "service") -> pd.DataFrame:
    """Vacancy rate (0-1) = (establishment FTE - filled FTE) / establishment FTE per group and month.

    Also returns vacancy_fte. A group with no (or zero) establishment FTE gets a
    missing rate, not an error.
    """
    keys = _keys(by)
    frame = _prepare(workforce, by, "Workforce")
    out = (
        frame.assign(
            establishment_fte=pd.to_numeric(frame["establishment_fte"]),
            filled_fte=pd.to_numeric(frame["filled_fte"]),
        )
        .groupby(keys, sort=True)[["establishment_fte", "filled_fte"]]
        .sum(min_count=1)
        .reset_index()
    )
    out["vacancy_fte"] = out["establishment_fte"] - out["filled_fte"]
    establishment = out["establishment_fte"].where(out["establishment_fte"] > 0)
    out["vacancy_rate"] = out["vacancy_fte"] / establishment
    return out[keys + ["establishment_fte", "filled_fte", "vacancy_fte", "vacancy_rate"]]


def turnover_rolling(workforce: pd.DataFrame, by: str = "service", months: int = 12) -> pd.DataFrame:
    """Rolling turnover (0-1): leavers (headcount) in the `months` months to the period / mean filled FTE over them.

    The window is calendar months ending at the period. A month with no
    Workforce row for the group counts as unknown, so the rate is missing until
    the group has a row in each of the `months` months (no understated rates
    from a partial year). Returns keys + leavers_12m, mean_filled_fte_12m,
    turnover_rate (names keep "12m" whatever `months` is).
    """
    keys = _keys(by)
    frame = _prepare(workforce, by, "Workforce")
    frame = frame.assign(leavers=pd.to_numeric(frame["leavers"]), filled_fte=pd.to_numeric(frame["filled_fte"]), _row=1)
    group = keys[1:]
    summed = frame.groupby(keys, sort=True)[["leavers", "filled_fte", "_row"]].sum(min_count=1)
    if group:
        wide = summed.unstack(group[0])
    else:
        wide = summed
    full = pd.date_range(wide.index.min(), wide.index.max(), freq="ME", name="period")
    wide = wide.reindex(full)
    present = wide["_row"].notna()
    leavers = wide["leavers"].where(present).rolling(months, min_periods=months).sum()
    filled = wide["filled_fte"].where(present).rolling(months, min_periods=months).mean()
    # A window with any month without a row stays missing.
    complete = present.astype(float).rolling(months, min_periods=months).sum() == months
    leavers = leavers.where(complete)
    filled = filled.where(complete)
    if group:
        result = pd.DataFrame({"leavers_12m": leavers.stack(), "mean_filled_fte_12m": filled.stack()})
    else:
        result = pd.DataFrame({"leavers_12m": leavers, "mean_filled_fte_12m": filled})
    result = result.reset_index()
    # Keep only group-months that exist in the input.
    result = result.merge(summed.reset_index()[keys], on=keys, how="inner")
    result["turnover_rate"] = result["leavers_12m"] / result["mean_filled_fte_12m"].where(result["mean_filled_fte_12m"] > 0)
    return result[keys + ["leavers_12m", "mean_filled_fte_12m", "turnover_rate"]].sort_values(keys).reset_index(drop=True)

"""KPI status: RAG against target, direction of travel, gaps to comparators
(docs: /work/shared/spec/indicators.md, "KPI status").

Plain pandas, no streamlit or plotly. Inputs use the workbook contract's
column names in lower case:

- KPIs: kpi_id, kpi, unit, polarity ('higher_is_better' / 'lower_is_better'),
  target, tolerance, rec_ids, definition, source (optional columns may be absent).
- KPI_Values: kpi_id, period (datetime64), value; optional stat_neighbours,
  england, north_east, source.

Values, targets, tolerances and gaps are in the KPI's own unit (a percent KPI
stays in percent points, e.g. 16.0 means 16.0%).
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd

from .plan_workbook import Rag

# One enum for RAG everywhere: a KPI's status uses the tasks' Red, Amber and Green (never Blue or Cancelled).
RAG = Rag


class Direction(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no change"
    RISING = "rising"  # polarity context: a rise is neither good nor bad
    FALLING = "falling"


class Polarity(StrEnum):
    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"
    CONTEXT = "context"  # direction without judgement: no RAG, rising / falling


COMPARATORS = ("england", "stat_neighbours", "north_east")
# Units whose value grows with the council's size: never set beside England's, a region's or other councils'
# values (51,080 children in England against Durham's 498 says nothing); compare the rate per 10,000 instead.
COUNT_UNITS = ("count", "number")


def compared_with_other_areas(unit: object) -> bool:
    """Whether a KPI in this unit is compared with England, the region and statistical neighbours: rates,
    percentages, days and ratios are; counts (children, FTE in post) are not (COUNT_UNITS)."""
    return str(unit).strip().lower() not in COUNT_UNITS


def without_count_comparators(values: pd.DataFrame, unit: object) -> pd.DataFrame:
    """A KPI's values with the comparator columns dropped when its unit is a count (compared_with_other_areas)."""
    if compared_with_other_areas(unit):
        return values
    return values.drop(columns=[c for c in values.columns if c in COMPARATORS or c.startswith("gap_")])


def _polarity(values: pd.Series) -> pd.Series:
    """Polarity text normalised: trimmed, lower case, spaces/hyphens as underscores; blank as '' (unknown:
    no RAG, no direction), never pd.NA, whose truth value is ambiguous in the comparisons below."""
    return values.astype("string").str.strip().str.lower().str.replace(r"[\s\-]+", "_", regex=True).fillna("")


def _id_text(values: pd.Series) -> pd.Series:
    """Ids compared as trimmed text; 3 and 3.0 (as Excel gives them) are the same id."""
    text = values.astype("string").str.strip()
    return text.str.replace(r"^(-?\d+)\.0+$", r"\1", regex=True)


def rag_status(
    value: pd.Series,
    target: pd.Series,
    tolerance: pd.Series | None,
    polarity: pd.Series,
) -> pd.Series:
    """RAG per row (object Series of RAG, or None where there is no target or no value).

    higher_is_better: value >= T Green, value >= T - t Amber, else Red.
    lower_is_better: value <= T Green, value <= T + t Amber, else Red.
    Tolerance t is 0 when missing. An unknown polarity gives no RAG.
    """
    v = pd.to_numeric(value, errors="coerce").to_numpy(dtype="float64")
    t_ = pd.to_numeric(target, errors="coerce").to_numpy(dtype="float64")
    tol = (
        np.zeros_like(v)
        if tolerance is None
        else np.nan_to_num(pd.to_numeric(tolerance, errors="coerce").to_numpy(dtype="float64"), nan=0.0)
    )
    pol = _polarity(pd.Series(polarity, index=value.index)).to_numpy(dtype=object)
    higher = pol == Polarity.HIGHER_IS_BETTER.value
    lower = pol == Polarity.LOWER_IS_BETTER.value
    known = ~np.isnan(v) & ~np.isnan(t_) & (higher | lower)
    with np.errstate(invalid="ignore"):
        green = np.where(higher, v >= t_, v <= t_)
        amber = np.where(higher, v >= t_ - tol, v <= t_ + tol)
    out = np.select([~known, green, amber], [None, RAG.GREEN, RAG.AMBER], default=RAG.RED)
    return pd.Series(out, index=value.index, dtype=object)


def rag(value: float, target: float | None, tolerance: float | None, polarity: str) -> RAG | None:
    """RAG for one value (see rag_status); None when there is no target or no value."""
    idx = pd.RangeIndex(1)
    return rag_status(
        pd.Series([value], index=idx, dtype="float64"),
        pd.Series([target], index=idx, dtype="float64"),
        pd.Series([tolerance], index=idx, dtype="float64"),
        pd.Series([polarity], index=idx, dtype=object),
    ).iloc[0]


def direction_of_travel(value: pd.Series, previous: pd.Series, polarity: pd.Series) -> pd.Series:
    """Direction per row against the previous period's value, in the KPI's polarity.

    improving / worsening / no change (equal within 1e-9); for polarity
    `context`, rising / falling / no change, with no judgement; None where
    either value is missing or the polarity is unknown.
    """
    v = pd.to_numeric(value, errors="coerce").to_numpy(dtype="float64")
    p = pd.to_numeric(previous, errors="coerce").to_numpy(dtype="float64")
    pol = _polarity(pd.Series(polarity, index=value.index)).to_numpy(dtype=object)
    higher = pol == Polarity.HIGHER_IS_BETTER.value
    lower = pol == Polarity.LOWER_IS_BETTER.value
    known = ~np.isnan(v) & ~np.isnan(p) & (higher | lower)
    same = np.isclose(v, p, rtol=0.0, atol=1e-9)
    with np.errstate(invalid="ignore"):
        better = np.where(higher, v > p, v < p)
    out = np.select([~known, same, better], [None, Direction.NO_CHANGE, Direction.IMPROVING], default=Direction.WORSENING)
    context = (pol == Polarity.CONTEXT.value) & ~np.isnan(v) & ~np.isnan(p)
    with np.errstate(invalid="ignore"):
        moved = np.where(same, Direction.NO_CHANGE, np.where(v > p, Direction.RISING, Direction.FALLING))
    out = np.where(context, moved, out)
    return pd.Series(out, index=value.index, dtype=object)


def direction(value: float | None, previous: float | None, polarity: object) -> str | None:
    """direction_of_travel for one value: improving / worsening / no change, rising / falling for `context`;
    None when either value is missing or the polarity is unknown (published.direction uses this too)."""
    idx = pd.RangeIndex(1)
    got = direction_of_travel(
        pd.Series([value], index=idx, dtype="float64"),
        pd.Series([previous], index=idx, dtype="float64"),
        pd.Series([polarity], index=idx, dtype=object),
    ).iloc[0]
    return None if got is None else str(got)


def kpi_status(kpis: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Every KPI value with its KPI's settings and status.

    Adds kpi, unit, polarity, target, tolerance, rec_ids, kpi_source,
    previous_value (the KPI's previous period row; missing if that row's value
    is blank), rag, direction, and gap_<comparator> = value - comparator (NaN
    when either is missing) for each comparator column present. A count KPI
    (COUNT_UNITS) has no comparators and no gaps: they are blank.
    """
    k = kpis.copy()
    k["kpi_id"] = _id_text(k["kpi_id"])
    for col in ("kpi", "unit", "polarity", "target", "tolerance", "rec_ids", "source"):
        if col not in k.columns:
            k[col] = np.nan
    k = k.rename(columns={"source": "kpi_source"})
    v = values.copy()
    v["kpi_id"] = _id_text(v["kpi_id"])
    v["period"] = pd.to_datetime(v["period"])
    v["value"] = pd.to_numeric(v["value"], errors="coerce")
    v = v.sort_values(["kpi_id", "period"], kind="stable").reset_index(drop=True)
    v["previous_value"] = v.groupby("kpi_id", sort=False)["value"].shift(1)
    cols = ["kpi_id", "kpi", "unit", "polarity", "target", "tolerance", "rec_ids", "kpi_source"]
    out = v.merge(k[cols], on="kpi_id", how="left")
    out["target"] = pd.to_numeric(out["target"], errors="coerce")
    out["tolerance"] = pd.to_numeric(out["tolerance"], errors="coerce")
    out["rag"] = rag_status(out["value"], out["target"], out["tolerance"], out["polarity"])
    out["direction"] = direction_of_travel(out["value"], out["previous_value"], out["polarity"])
    counts = ~out["unit"].map(compared_with_other_areas).astype(bool)
    for comp in COMPARATORS:
        if comp in out.columns:
            out[comp] = pd.to_numeric(out[comp], errors="coerce").mask(counts)  # a count has no comparator
            out[f"gap_{comp}"] = out["value"] - out[comp]
    return out


def latest_kpis(kpis: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """One row per KPI (in KPIs order) at its latest period with a value.

    Columns: kpi_id, kpi, period, value, target, rag, direction, england,
    stat_neighbours, north_east (if present), rec_ids, source (the value's own
    source when given, else the KPI's), then unit, polarity, gap_england,
    gap_stat_neighbours (gap_north_east if present). A KPI with no value at all
    is still listed, with blanks, so it is not hidden.
    """
    status = kpi_status(kpis, values)
    with_value = status[status["value"].notna()]
    last = with_value.groupby("kpi_id", sort=False).tail(1)
    order = pd.DataFrame({"kpi_id": _id_text(kpis["kpi_id"])})
    out = order.merge(last, on="kpi_id", how="left")
    # KPIs without a value still show their own settings.
    k = kpis.copy()
    k["kpi_id"] = _id_text(k["kpi_id"])
    k = k.drop_duplicates("kpi_id").set_index("kpi_id")
    for col in ("kpi", "unit", "polarity", "target", "rec_ids"):
        # KPI-level settings come from KPIs, so a KPI with no value still shows them.
        out[col] = out["kpi_id"].map(k[col]) if col in k.columns else np.nan
    out["target"] = pd.to_numeric(out["target"], errors="coerce")
    value_source = out["source"] if "source" in out.columns else pd.Series(np.nan, index=out.index)
    kpi_source = out["kpi_source"] if "kpi_source" in out.columns else pd.Series(np.nan, index=out.index)
    if "source" in k.columns:
        kpi_source = kpi_source.fillna(out["kpi_id"].map(k["source"]))
    out["source"] = value_source.where(value_source.notna() & (value_source.astype("string").str.strip() != ""), kpi_source)
    comps = ["england", "stat_neighbours"] + (["north_east"] if "north_east" in status.columns else [])
    for comp in comps:
        if comp not in out.columns:
            out[comp] = np.nan
            out[f"gap_{comp}"] = np.nan
    cols = (
        ["kpi_id", "kpi", "period", "value", "target", "rag", "direction"]
        + comps
        + ["rec_ids", "source", "unit", "polarity"]
        + [f"gap_{c}" for c in comps]
    )
    return out[cols]

"""Published figures for every council, benchmarked (docs/published-data.md; indicators.md, "Published comparators").

Plain pandas. Reads the files scripts/build_published_data.py writes into data/ (so nothing here needs
../shared): every council's published value of each measure in each year, England's and each region's,
and the statistical-neighbour groups of the DfE models of 2025 and 2021.

For a council and a measure in a year:
- comparators: England; the council's region; its 10 statistical neighbours (2025 model by default),
  summarised as the median of those with a value, the mean beside it (labelled), and how many had one;
- rank among all councils with a value, 1 = best by polarity, ties share the better rank; quartile
  band A (best quarter, rank <= of/4) to D. Polarity `context` (a rise is neither good nor bad) gets
  no rank and no band: its direction is rising / falling / no change;
- the funnel verdict (rates and percentages of children with a known denominator): the council's value
  against England's with 95% and 99.8% control limits for its denominator (exact binomial for a
  percentage, Poisson for a rate per 10,000; Spiegelhalter 2005), and a small-numbers warning.

Units: values are in the measure's own unit (percent 0-100, rate per 10,000 children, count, FTE, ratio).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .kpi import compared_with_other_areas
from .kpi import direction as kpi_direction
from .values import number_or_none
from .wording import sentence

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
VALUES_FILE = "published_measures.csv.gz"
DEFINITIONS_FILE = "published_measure_definitions.csv"
NEIGHBOURS_FILE = "published_neighbours.csv"
COUNCIL_ENV = "DASHBOARD_COUNCIL"
MODELS = ("2025", "2021")
DEFAULT_MODEL = "2025"
CONTEXT = "context"
HIGHER, LOWER = "higher_is_better", "lower_is_better"
JOINT_NORTHAMPTONSHIRE = "940 / 941"
QUARTILES = ("A", "B", "C", "D")
LIMITS = {"95%": (0.025, 0.975), "99.8%": (0.001, 0.999)}
REASONS = {
    "x": "not available (x): DfE does not publish this figure",
    "c": "suppressed (c) to protect confidentiality: small numbers",
    "k": "fewer than 0.5 (k): rounds to zero but is not zero",
    "low": "fewer than 0.5 (low): rounds to zero but is not zero",
    "u": "low reliability (u): DfE judged the figure unreliable",
    "z": "not applicable (z): e.g. the council did not exist that year",
}
SMALL_NUMBERS_SHARE = 0.05  # one child moves the figure by 5% of itself or more
SMALL_NUMBERS_POINTS = 1.0  # ... or a percentage by 1 point or more
WITHIN = "within what chance would give"
ABOVE, BELOW = "above what chance would give", "below what chance would give"
WELL_ABOVE, WELL_BELOW = "well above what chance would give", "well below what chance would give"
_NAME_WORDS = {"council", "county", "borough", "city", "of", "metropolitan", "district", "royal", "the", "and", "london", "cc", "mbc"}


@dataclass(eq=False)
class PublishedData:
    """The three published tables: values (one row per measure, area, year), measures (settings), neighbours.
    Read-only once built: the per-(measure, year) slices and the council list are cached on it."""

    values: pd.DataFrame
    measures: pd.DataFrame
    neighbours: pd.DataFrame

    @cached_property
    def slices(self) -> dict[tuple[str, int], pd.DataFrame]:
        return {(str(m), int(y)): g for (m, y), g in self.values.groupby(["measure_id", "year"], sort=False)}

    @cached_property
    def by_council(self) -> dict[tuple[str, str], pd.DataFrame]:
        """Each council's rows of each measure (all years)."""
        la = self.values[self.values["area_type"] == "la"]
        return {(str(m), str(c)): g for (m, c), g in la.groupby(["measure_id", "area_code"], sort=False)}

    @cached_property
    def council_table(self) -> pd.DataFrame:
        return _councils(self.values)

    def measure(self, measure_id: str) -> dict:
        return self.measures.loc[measure_id].to_dict() | {"measure_id": measure_id}

    @property
    def measure_ids(self) -> list[str]:
        return list(self.measures.index)


@lru_cache(maxsize=4)
def load_published(data_dir: Path = DATA_DIR) -> PublishedData:
    """The published tables from data/ (read once per process; kept parsed, with the council list, by parse_cache
    so that a restarted server's first page does not read them again: 0.11 s -> 0.005 s)."""
    from . import parse_cache

    digest = hashlib.sha256()
    for name in (VALUES_FILE, DEFINITIONS_FILE, NEIGHBOURS_FILE):
        digest.update((data_dir / name).read_bytes())  # a missing file raises OSError here, as reading it would
    kept = parse_cache.get("published", digest.hexdigest(), str(data_dir))
    if isinstance(kept, PublishedData):
        return kept
    data = _read_published(data_dir)
    data.council_table  # noqa: B018 - worked out now, so it is kept with the tables
    parse_cache.put("published", digest.hexdigest(), str(data_dir), data)
    return data


def _read_published(data_dir: Path) -> PublishedData:
    values = pd.read_csv(
        data_dir / VALUES_FILE,
        dtype={"area_code": "string", "reason": "string", "note": "string", "area_name": "string", "region_name": "string"},
        keep_default_na=False,
        na_values={"value": [""], "numerator": [""], "denominator": [""]},
    )
    values["period"] = pd.to_datetime(values["period"])
    for column in ("reason", "note", "region_name"):
        values[column] = values[column].fillna("")
    measures = pd.read_csv(data_dir / DEFINITIONS_FILE, dtype=str, keep_default_na=False).set_index("measure_id")
    neighbours = pd.read_csv(data_dir / NEIGHBOURS_FILE, dtype=str, keep_default_na=False)
    return PublishedData(values, measures, neighbours)


# ---- councils ---------------------------------------------------------------------------------


def councils(data: PublishedData) -> pd.DataFrame:
    """Every council with published figures: code, name, region, first and last year, sorted by name.
    Councils that no longer exist (Northamptonshire, Cumbria) are listed with their last year."""
    return data.council_table


def _councils(values: pd.DataFrame) -> pd.DataFrame:
    la = values[(values["area_type"] == "la") & (values["area_code"] != JOINT_NORTHAMPTONSHIRE) & (values["value"].notna())]
    latest = (
        la.sort_values("year")
        .groupby("area_code")
        .agg(name=("area_name", "last"), region=("region_name", "last"), first_year=("year", "min"), last_year=("year", "max"))
    )
    return (
        latest.reset_index().rename(columns={"area_code": "code"}).sort_values("name", key=lambda s: s.str.lower()).reset_index(drop=True)
    )


def _name_key(text: str) -> str:
    words = re.findall(r"[a-z]+", str(text).lower().replace("&", " and "))
    return " ".join(w for w in words if w not in _NAME_WORDS)


def resolve_council(text: object, data: PublishedData) -> str | None:
    """The LA code for a council given by code ('840') or name ('County Durham', 'Durham County Council',
    'durham'); None when nothing matches or the name matches more than one council."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    given = str(text).strip()
    if not given:
        return None
    table = councils(data)
    code = given.removesuffix(".0")
    if code in set(table["code"]):
        return code
    lowered = given.lower()
    exact = table[table["name"].str.lower() == lowered]
    if len(exact) == 1:
        return str(exact["code"].iloc[0])
    key = _name_key(given)
    if not key:
        return None
    keys = table["name"].map(_name_key)
    found = table[keys == key]
    return str(found["code"].iloc[0]) if len(found) == 1 else None


def council_from_about(about: dict | None, data: PublishedData) -> str | None:
    """A workbook's council: About `council` (a name or code), else `organisation` when it names one."""
    about = about or {}
    for key in ("council", "organisation"):
        code = resolve_council(about.get(key), data)
        if code:
            return code
    return None


def choose_council(data: PublishedData, chosen: object = None, *abouts: dict | None) -> str | None:
    """The council to show: the one chosen (sidebar or --council), else the first About naming one, else
    $DASHBOARD_COUNCIL, else None."""
    code = resolve_council(chosen, data)
    if code:
        return code
    for about in abouts:
        code = council_from_about(about, data)
        if code:
            return code
    return resolve_council(os.environ.get(COUNCIL_ENV), data)


def council_name(data: PublishedData, code: str) -> str:
    table = councils(data)
    found = table[table["code"] == code]
    return str(found["name"].iloc[0]) if len(found) else code


def council_region(data: PublishedData, code: str) -> str:
    table = councils(data)
    found = table[table["code"] == code]
    return str(found["region"].iloc[0]) if len(found) else ""


def neighbours(data: PublishedData, code: str, model: str = DEFAULT_MODEL) -> list[str]:
    """The council's 10 statistical neighbours in a model, closest first ([] when the model has no group for it)."""
    group = data.neighbours[(data.neighbours["model"] == str(model)) & (data.neighbours["la_code"] == code)]
    return list(group.sort_values("neighbour_rank", key=lambda s: s.astype(int))["neighbour_code"])


# ---- one measure in one year -------------------------------------------------------------------


def _rows(data: PublishedData, measure_id: str, year: int) -> pd.DataFrame:
    found = data.slices.get((measure_id, int(year)))
    return data.values.iloc[0:0] if found is None else found


def _council_row(rows: pd.DataFrame, code: str) -> pd.Series | None:
    la = rows[rows["area_type"] == "la"]
    own = la[la["area_code"] == code]
    if own.empty and code in ("940", "941"):
        own = la[la["area_code"] == JOINT_NORTHAMPTONSHIRE]  # the workforce census reports the two as one trust
    return None if own.empty else own.iloc[0]


def rank_values(values: pd.Series, polarity: str) -> pd.Series:
    """Rank 1 = best by polarity among the values given (NaN left out); ties share the better rank.
    Context polarity: no rank (all NaN)."""
    if polarity not in (HIGHER, LOWER):
        return pd.Series(np.nan, index=values.index)
    return values.rank(method="min", ascending=polarity == LOWER)


def quartile_band(rank: float | None, of: int) -> str | None:
    """A (best quarter: rank <= of/4), B, C, D; None without a rank."""
    if rank is None or (isinstance(rank, float) and math.isnan(rank)) or not of:
        return None
    return QUARTILES[min(3, max(0, math.ceil(4 * float(rank) / of) - 1))]


_num = number_or_none  # one definition (values.number_or_none)


def period_label(year: int, period_end: str) -> str:
    """'2022-23' for a year to (or at) 31 March 2023; '30 Sep 2025' for the workforce census."""
    if str(period_end) == "03-31":
        return f"{int(year) - 1}-{str(int(year))[2:]}"
    return pd.Timestamp(f"{int(year)}-{period_end}").strftime("%-d %b %Y")


def benchmark(data: PublishedData, code: str, measure_id: str, year: int, model: str = DEFAULT_MODEL) -> dict:
    """One measure for one council in one year with its comparators, rank, quartile and funnel verdict.

    Keys: kpi_id, kpi, year, period (Timestamp), period_label, value (None when suppressed), reason,
    reason_text, unit, polarity, numerator, denominator, england, region_name, region,
    stat_neighbours_median, stat_neighbours_mean, stat_neighbours_with_value, stat_neighbours_model,
    rank, of, quartile, funnel (dict or None), small_numbers (text or None), source, note.
    A count (kpi.COUNT_UNITS) keeps England's, the region's and the neighbours' published counts here (the
    data as DfE gives it); what people see never sets them beside the council's (scorecard_words, trend).
    """
    m = data.measure(measure_id)
    rows = _rows(data, measure_id, year)
    own = _council_row(rows, code)
    value = None if own is None else _num(own["value"])
    region_name = council_region(data, code)
    england = rows[rows["area_type"] == "england"]["value"]
    region = rows[(rows["area_type"] == "region") & (rows["area_name"] == region_name)]["value"]
    la = rows[rows["area_type"] == "la"]
    by_code = la.set_index("area_code")["value"]
    group = neighbours(data, code, model)
    sn_values = pd.Series([by_code.get(c, np.nan) for c in group], dtype="float64").dropna()
    ranked = la[la["value"].notna()]
    ranks = rank_values(ranked["value"], m["polarity"])
    rank = None
    if value is not None and m["polarity"] in (HIGHER, LOWER):
        own_code = own["area_code"]
        rank = int(ranks[ranked["area_code"] == own_code].iloc[0])
    of = int(len(ranked))
    reason = "" if own is None else str(own["reason"])
    if own is None:
        reason = "z"
    numerator = None if own is None else _num(own["numerator"])
    denominator = None if own is None else _num(own["denominator"])
    out = {
        "kpi_id": measure_id,
        "kpi": m["name"],
        "year": int(year),
        "period": pd.Timestamp(f"{int(year)}-{m['period_end']}"),
        "period_label": period_label(year, m["period_end"]),
        "value": value,
        "reason": reason if value is None else "",
        "reason_text": REASONS.get(reason, f"not published ({reason})") if value is None else "",
        "unit": m["unit"],
        "polarity": m["polarity"],
        "numerator": numerator,
        "denominator": denominator,
        "england": _num(england.iloc[0]) if len(england) else None,
        "region_name": region_name,
        "region": _num(region.iloc[0]) if len(region) else None,
        "stat_neighbours_median": round(float(sn_values.median()), 6) if len(sn_values) else None,
        "stat_neighbours_mean": round(float(sn_values.mean()), 2) if len(sn_values) else None,
        "stat_neighbours_with_value": int(len(sn_values)),
        "stat_neighbours_model": str(model),
        "rank": rank,
        "of": of if m["polarity"] in (HIGHER, LOWER) else None,
        "quartile": quartile_band(rank, of),
        "funnel": None,
        "small_numbers": None,
        "source": m["source"],
        "note": "" if own is None else str(own["note"]),
    }
    if m["funnel"] and value is not None and denominator and out["england"] is not None:
        out["funnel"] = funnel_verdict(value, denominator, out["england"], m["funnel"], m["unit"])
        out["small_numbers"] = small_numbers_warning(value, numerator, denominator, m["unit"])
    return out


# ---- funnel plots (Spiegelhalter 2005) ---------------------------------------------------------


def _scale(unit: str) -> float:
    return 100.0 if unit == "percent" else 10000.0


def control_limits(target: float, denominators, probability: float, method: str, unit: str) -> np.ndarray:
    """The `probability` control limit for councils of these denominators, in the measure's unit.

    target: England's value in the unit (percent or rate per 10,000). Binomial (percentages) or Poisson
    (rates): the exact quantile r_p of the count, interpolated for its discreteness as Spiegelhalter
    (2005, Statistics in Medicine 24:1185-1202, appendix A.1.1): alpha = (F(r_p) - p) / (F(r_p) - F(r_p - 1)),
    limit = (r_p - alpha) / n.
    """
    from scipy import stats  # imported here: scipy.stats takes 0.7 s to import, and only funnels need it

    scale = _scale(unit)
    theta = float(target) / scale
    n = np.asarray(denominators, dtype="float64")
    if method == "binomial":
        n = np.maximum(1.0, np.round(n))
        dist = stats.binom(n, min(max(theta, 0.0), 1.0))
    else:
        dist = stats.poisson(np.maximum(theta * n, 1e-12))
    r = dist.ppf(probability)
    f_r, f_below = dist.cdf(r), dist.cdf(r - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        alpha = np.where(f_r == f_below, 0.0, (f_r - probability) / (f_r - f_below))
    return np.maximum(0.0, (r - alpha) / n * scale)


def control_limit(target: float, denominator: float, probability: float, method: str, unit: str) -> float:
    """control_limits for one denominator."""
    return float(control_limits(target, [denominator], probability, method, unit)[0])


def funnel_limits(target: float, denominators, method: str, unit: str) -> pd.DataFrame:
    """denominator, lower_95, upper_95, lower_998, upper_998 (the unit's scale) for each denominator given."""
    out = pd.DataFrame({"denominator": np.asarray(denominators, dtype="float64")})
    for label, (low, high) in LIMITS.items():
        key = label.replace("%", "").replace(".", "")
        out[f"lower_{key}"] = control_limits(target, out["denominator"], low, method, unit)
        out[f"upper_{key}"] = control_limits(target, out["denominator"], high, method, unit)
    return out[["denominator", "lower_95", "upper_95", "lower_998", "upper_998"]]


def _verdicts(values, limits: pd.DataFrame) -> list[str]:
    v = np.asarray(values, dtype="float64")
    conditions = [v > limits["upper_998"], v > limits["upper_95"], v < limits["lower_998"], v < limits["lower_95"]]
    return [str(v) for v in np.select(conditions, [WELL_ABOVE, ABOVE, WELL_BELOW, BELOW], default=WITHIN)]


def funnel_verdict(value: float, denominator: float, england: float, method: str, unit: str) -> dict:
    """{'verdict', 'limits_95': (lo, hi), 'limits_998': (lo, hi), 'method', 'text'} for one council."""
    limits = funnel_limits(england, [denominator], method, unit)
    verdict = _verdicts([value], limits)[0]
    lo95, hi95, lo998, hi998 = (round(float(limits[c].iloc[0]), 2) for c in ("lower_95", "upper_95", "lower_998", "upper_998"))
    where = {
        WITHIN: "inside the 95% limits",
        ABOVE: "above the 95% limit",
        BELOW: "below the 95% limit",
        WELL_ABOVE: "above the 99.8% limit",
        WELL_BELOW: "below the 99.8% limit",
    }[verdict]
    return {
        "verdict": verdict,
        "limits_95": [lo95, hi95],
        "limits_998": [lo998, hi998],
        "method": "exact binomial" if method == "binomial" else "Poisson",
        "text": f"{sentence(verdict)}: {where} around England's {england:g} for a council of this size.",
    }


def small_numbers_warning(value: float, numerator: float | None, denominator: float | None, unit: str) -> str | None:
    """Words when one child more or fewer moves the figure by 5% of itself or more, or a percentage by a point or more."""
    if not denominator:
        return None
    step = _scale(unit) / float(denominator)
    relative = step / value if value else math.inf
    points = unit == "percent" and step >= SMALL_NUMBERS_POINTS
    if relative < SMALL_NUMBERS_SHARE and not points:
        return None
    unit_words = " percentage points" if unit == "percent" else " per 10,000"
    counted = f" ({numerator:,.0f} children counted)" if numerator is not None else ""
    return f"Small numbers{counted}: one child more or fewer changes this figure by {step:.1f}{unit_words}."


def funnel_table(
    data: PublishedData, measure_id: str, year: int, code: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, float | None]:
    """(councils, limits, england) for a funnel plot of one measure in one year.

    councils: area_code, area_name, value, numerator, denominator, verdict, chosen (bool), one row per
    council with a value and a denominator; limits: funnel_limits over 120 denominators spanning them.
    Empty frames when the measure has no funnel or England has no value."""
    m = data.measure(measure_id)
    rows = _rows(data, measure_id, year)
    england = rows[rows["area_type"] == "england"]["value"]
    target = _num(england.iloc[0]) if len(england) else None
    la = rows[(rows["area_type"] == "la") & rows["value"].notna() & (rows["denominator"] > 0)]
    if not m["funnel"] or target is None or la.empty:
        return pd.DataFrame(), pd.DataFrame(), target
    verdicts = _verdicts(la["value"], funnel_limits(target, la["denominator"], m["funnel"], m["unit"]).set_index(la.index))
    chosen_codes = {code} | ({JOINT_NORTHAMPTONSHIRE} if code in ("940", "941") else set())
    councils_frame = pd.DataFrame(
        {
            "area_code": la["area_code"].to_numpy(),
            "area_name": la["area_name"].to_numpy(),
            "value": la["value"].to_numpy(),
            "numerator": la["numerator"].to_numpy(),
            "denominator": la["denominator"].to_numpy(),
            "verdict": verdicts,
            "chosen": la["area_code"].isin(chosen_codes).to_numpy(),
        }
    )
    low, high = float(la["denominator"].min()), float(la["denominator"].max())
    grid = np.unique(np.round(np.geomspace(max(low * 0.8, 1.0), high * 1.1, 120)))
    return councils_frame, funnel_limits(target, grid, m["funnel"], m["unit"]), target


# ---- tables for a council ----------------------------------------------------------------------


def years(data: PublishedData, measure_id: str | None = None, as_at: pd.Timestamp | None = None) -> list[int]:
    """Years with published figures (for one measure), on or before `as_at` when given (by period)."""
    v = data.values if measure_id is None else data.values[data.values["measure_id"] == measure_id]
    if as_at is not None:
        v = v[v["period"] <= pd.Timestamp(as_at)]
    return sorted(int(y) for y in v["year"].unique())


def latest_year(data: PublishedData, code: str, measure_id: str, as_at: pd.Timestamp | None = None) -> int | None:
    """The latest year (period on or before `as_at` when given) with a row for the council, suppressed or not."""
    codes = [code] + ([JOINT_NORTHAMPTONSHIRE] if code in ("940", "941") else [])
    parts = [data.by_council[(measure_id, c)] for c in codes if (measure_id, c) in data.by_council]
    if not parts:
        return None
    own = pd.concat(parts) if len(parts) > 1 else parts[0]
    own = own[own["value"].notna() | (own["reason"] != "z")]
    if as_at is not None:
        own = own[own["period"] <= pd.Timestamp(as_at)]
    return None if own.empty else int(own["year"].max())


def council_measures(
    data: PublishedData, code: str, as_at: pd.Timestamp | None = None, model: str = DEFAULT_MODEL, year: int | None = None
) -> list[dict]:
    """benchmark() for every measure: at `year` when given (measures without that year are left out),
    else at each measure's latest year on or before `as_at`. With the direction against the year before."""
    out = []
    for measure_id in data.measure_ids:
        at = year if year is not None else latest_year(data, code, measure_id, as_at)
        if at is None or at not in years(data, measure_id):
            continue
        row = benchmark(data, code, measure_id, at, model)
        previous = _council_row(_rows(data, measure_id, at - 1), code)
        row["previous_value"] = None if previous is None else _num(previous["value"])
        row["direction"] = direction(row["value"], row["previous_value"], row["polarity"])
        out.append(row)
    return out


def direction(value: float | None, previous: float | None, polarity: str) -> str | None:
    """improving / worsening / no change in the polarity; rising / falling / no change for context; None when
    unknown. One rule with the workbook's KPIs: kpi.direction."""
    return None if value is None or previous is None else kpi_direction(value, previous, polarity)


COMPARATOR_KEYS = ("england", "region", "stat_neighbours_median", "stat_neighbours_mean")


def trend(data: PublishedData, code: str, measure_id: str, model: str = DEFAULT_MODEL, as_at: pd.Timestamp | None = None) -> pd.DataFrame:
    """One row per year (on or before `as_at`): benchmark() columns without the funnel dict (verdict as text).
    For a count (kpi.compared_with_other_areas) the comparators are blank: the chart never draws England's
    51,080 children beside the council's 498."""
    rows = []
    for year in years(data, measure_id, as_at):
        b = benchmark(data, code, measure_id, year, model)
        b["verdict"] = b.pop("funnel")["verdict"] if b.get("funnel") else None
        if not compared_with_other_areas(b["unit"]):
            b |= dict.fromkeys(COMPARATOR_KEYS)
        rows.append(b)
    return pd.DataFrame(rows)


def all_councils(data: PublishedData, measure_id: str, year: int, code: str | None = None, model: str = DEFAULT_MODEL) -> pd.DataFrame:
    """Every council in one year: area_code, area_name, region_name, value, reason, rank, of, quartile,
    chosen, neighbour (of the chosen council in `model`). Sorted best first (by value for context)."""
    m = data.measure(measure_id)
    rows = _rows(data, measure_id, year)
    la = rows[rows["area_type"] == "la"].copy()
    la = la[~((la["reason"] == "z") & la["value"].isna())]  # councils that did not exist that year
    la["rank"] = rank_values(la["value"], m["polarity"])
    of = int(la["value"].notna().sum())
    la["of"] = of if m["polarity"] in (HIGHER, LOWER) else np.nan
    la["quartile"] = [quartile_band(r, of) for r in la["rank"]]
    group = set(neighbours(data, code, model)) if code else set()
    chosen = {code} | ({JOINT_NORTHAMPTONSHIRE} if code in ("940", "941") else set())
    la["chosen"] = la["area_code"].isin(chosen)
    la["neighbour"] = la["area_code"].isin(group)
    ascending = m["polarity"] == LOWER
    la = la.sort_values(["value", "area_name"], ascending=[ascending, True], na_position="last")
    return la[["area_code", "area_name", "region_name", "value", "reason", "rank", "of", "quartile", "chosen", "neighbour"]].reset_index(
        drop=True
    )


def json_record(b: dict) -> dict:
    """A benchmark() as the CLI's `summary --json` KPI: plain JSON types, period as an ISO date."""
    funnel = b.get("funnel")
    return {
        "kpi_id": b["kpi_id"],
        "kpi": b["kpi"],
        "period": b["period"].date().isoformat(),
        "period_label": b["period_label"],
        "value": b["value"],
        "suppressed": b["reason"] or None,
        "unit": b["unit"],
        "polarity": b["polarity"],
        "england": b["england"],
        "region": b["region"],
        "region_name": b["region_name"],
        "stat_neighbours_median": b["stat_neighbours_median"],
        "stat_neighbours_mean": b["stat_neighbours_mean"],
        "stat_neighbours_with_value": b["stat_neighbours_with_value"],
        "stat_neighbours_model": b["stat_neighbours_model"],
        "rank": b["rank"],
        "of": b["of"],
        "quartile": b["quartile"],
        "direction": b.get("direction"),
        "funnel_verdict": funnel["verdict"] if funnel else None,
        "funnel_limits_95": funnel["limits_95"] if funnel else None,
        "funnel_limits_998": funnel["limits_998"] if funnel else None,
        "small_numbers": b["small_numbers"],
        "source": b["source"],
    }


def key_figures(data: PublishedData, code: str, as_at: pd.Timestamp | None = None, model: str = DEFAULT_MODEL) -> list[dict]:
    """Key performance figures against England and statistical neighbours, for the brief and the CLI:
    json_record() of every measure at its latest year on or before `as_at`."""
    return [json_record(b) for b in council_measures(data, code, as_at, model)]


def lag_label(local_period: pd.Timestamp | None, published_label: str) -> str:
    """'local: Aug 2026; published and statistical neighbours: 2024-25' (local month first)."""
    local = "" if local_period is None else f"local: {pd.Timestamp(local_period):%b %Y}; "
    return f"{local}published and statistical neighbours: {published_label}"

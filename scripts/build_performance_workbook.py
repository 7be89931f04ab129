"""Build data/performance.xlsx: the default Performance workbook (Durham 2016-2017).

Run from the repo root:
    python scripts/build_performance_workbook.py [--out PATH] [--check]

Sheets (workbook contract, /work/shared/spec/workbook-format.md):
- About: organisation, plan title, sources and data status.
- KPIs, KPI_Values: PUBLISHED figures only: DfE/ONS official statistics for
  County Durham with England, North East and statistical-neighbour
  comparators (from /work/shared/reference/durham_official_stats_extract.csv
  and the DfE files beside it), and baseline facts from the Ofsted inspection
  report published 16 May 2016.
- Caseloads, Workforce: ILLUSTRATIVE monthly data, June 2016 to December
  2017, generated with a seeded random.Random and calibrated to published
  aggregates (see docs/data-log.md, "Performance workbook").

Deterministic: the same inputs give the same bytes (no wall clock, fixed seed,
src/xlsx.py writer). `--check` exits 1 if the committed file differs.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from src.paths import shared_reference  # noqa: E402
from src.xlsx import build_workbook, workbook_bytes  # noqa: E402

REFERENCE = shared_reference()
EXTRACT = REFERENCE / "durham_official_stats_extract.csv"
DFE = REFERENCE / "dfe"
DEFAULT_OUT = ROOT / "data" / "performance.xlsx"
SEED = 20160516  # the inspection report's publication date

DURHAM = "County Durham"
ENGLAND = "England"
NORTH_EAST = "North East"
SN_MEDIAN = "Durham SN median (2025 SN model)"
DURHAM_LA_CODE = "840"

OFSTED = "Ofsted inspection report, published 16 May 2016"
PUB_CIN = "DfE, Characteristics of children in need (table B1: children in need at 31 March)"
PUB_REF = "DfE, Characteristics of children in need (table C1: referrals and re-referrals, year to 31 March)"
PUB_CPP = "DfE, Characteristics of children in need (child protection plans: table D5 at 31 March, table D3 starts)"
PUB_CLA = "DfE, Children looked after in England including adoptions (number and rate per 10,000 at 31 March)"
PUB_CSWW = "DfE, Children's social work workforce (census at 30 September)"
PUB_DERIVED = (
    "DERIVED, not a published rate: DfE child protection plans at 31 March (table D5) / "
    "ONS mid-year population aged 0-17 of the previous year x 10,000"
)
SN_NOTE = (
    "stat_neighbours: median of Durham's 10 statistical neighbours in the DfE 2025 model "
    "(DfE CSC outcomes and enablers dashboard), not the 2016 neighbour group"
)

# --------------------------------------------------------------------------
# Published KPIs
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiSpec:
    kpi_id: str
    kpi: str
    unit: str
    polarity: str
    rec_ids: str
    definition: str
    source: str
    indicator: str | None = None  # extract indicator
    year_end: str = "03-31"  # month-day of the period for the extract's year
    target: float | None = None
    tolerance: float | None = None
    extra: tuple[tuple[str, float, str], ...] = field(default_factory=tuple)  # (date, value, note)


CONTEXT = (
    " Context indicator: no target, so no RAG; the direction of travel says whether it rose or fell without calling "
    "that better or worse: {why}"
)

KPI_SPECS: list[KpiSpec] = [
    KpiSpec(
        "CIN_RATE",
        "Children in need per 10,000 children (31 March)",
        "rate_per_10k",
        "context",
        "2",
        "Children in need at 31 March per 10,000 children aged under 18, as published."
        + CONTEXT.format(
            why="a rise can also mean need is being identified better, so read it with re-referrals and the comparators.",
        ),
        f"{PUB_CIN}; {SN_NOTE} (recomputed by the DfE dashboard with revised ONS populations)",
        indicator="cin_rate_per_10k_at_31_march",
    ),
    KpiSpec(
        "REFERRAL_RATE",
        "Referrals per 10,000 children (year to 31 March)",
        "rate_per_10k",
        "context",
        "2",
        "Referrals to children's social care in the year to 31 March per 10,000 children, as published."
        + CONTEXT.format(why="more referrals can also mean partners recognise need better."),
        f"{PUB_REF}; stat_neighbours computed for this workbook as the median of the 10 statistical neighbours "
        "(DfE 2025 model, sn_model_2025_wide.csv) of the published rates in the same C1 file",
        indicator="referrals_referrals_rate",
    ),
    KpiSpec(
        "REREFERRAL_PCT",
        "Re-referrals within 12 months (%)",
        "percent",
        "lower_is_better",
        "2",
        "Referrals in the year to 31 March that were within 12 months of a previous referral, as a percent of "
        "all referrals, as published. Lower is better: fewer cases closed too early.",
        f"{PUB_REF}; {SN_NOTE}",
        indicator="referrals_re_referrals_percent",
    ),
    KpiSpec(
        "CPP_RATE",
        "Child protection plans per 10,000 children (31 March, derived)",
        "rate_per_10k",
        "context",
        "2",
        "DERIVED, NOT PUBLISHED: children subject to a child protection plan at 31 March per 10,000 children aged "
        "0-17, computed from the published count and the ONS mid-year population of the previous year."
        + CONTEXT.format(why="the right number of plans depends on need."),
        PUB_DERIVED,
        indicator="cpp_rate_per_10k_DERIVED",
    ),
    KpiSpec(
        "CPP_COUNT",
        "Children subject to a child protection plan",
        "count",
        "context",
        "2",
        "Children subject to a child protection plan: at 31 March (DfE), and 373 at 22 February 2016 (inspection "
        "baseline)." + CONTEXT.format(why="the right number of plans depends on need."),
        f"{PUB_CPP}; {OFSTED} (baseline at 22 February 2016)",
        indicator="cpp_at_31_march",
        extra=(
            (
                "2016-02-22",
                373,
                f"{OFSTED}: 'At 22 February 2016, 373 children and young people were the subject of a child protection plan.'",
            ),
        ),
    ),
    KpiSpec(
        "CPP_REPEAT_PCT",
        "Child protection plans that are a second or subsequent plan (%)",
        "percent",
        "lower_is_better",
        "2, 5",
        "Plans starting in the year to 31 March that were a second or subsequent plan (at any time), as a percent "
        "of plans starting, as published. Lower is better: plans that end too early return.",
        f"{PUB_CPP}; {SN_NOTE}",
        indicator="cpp_second_or_subsequent_percent",
    ),
    KpiSpec(
        "CLA_RATE",
        "Children looked after per 10,000 children",
        "rate_per_10k",
        "context",
        "2, 9",
        "Children looked after per 10,000 children: at 31 March (DfE, 2019-2023 in the extract), and the "
        "inspection's baseline of 66 at 22 February 2016 (62 at 31 March 2015)."
        + CONTEXT.format(why="the right number depends on need and on timely permanence."),
        f"{PUB_CLA}; {OFSTED} (2015 and 2016 baselines); {SN_NOTE}",
        indicator="cla_rate_per_10k",
        extra=(
            ("2015-03-31", 62, f"{OFSTED}: 'an increase from 620 (62 per 10,000 children) at 31 March 2015'"),
            (
                "2016-02-22",
                66,
                f"{OFSTED}: 'At 22 February 2016, 665 children were being looked after by the local "
                "authority (a rate of 66 per 10,000 children).'",
            ),
        ),
    ),
    KpiSpec(
        "CLA_COUNT",
        "Children looked after",
        "count",
        "context",
        "2, 9",
        "Children looked after by the local authority: at 31 March (DfE), and 665 at 22 February 2016 (620 at "
        "31 March 2015) from the inspection report." + CONTEXT.format(why="the right number depends on need and on timely permanence."),
        f"{PUB_CLA}; {OFSTED} (2015 and 2016 baselines)",
        indicator="cla_at_31_march",
        extra=(
            ("2015-03-31", 620, f"{OFSTED}: 'an increase from 620 (62 per 10,000 children) at 31 March 2015'"),
            ("2016-02-22", 665, f"{OFSTED}: 'At 22 February 2016, 665 children were being looked after'"),
        ),
    ),
    KpiSpec(
        "SW_FTE",
        "Children and family social workers in post (FTE)",
        "number",
        "context",
        "1",
        "Full-time equivalent children and family social workers in post at 30 September (DfE workforce census), "
        "all roles. Capacity context: no target.",
        PUB_CSWW,
        indicator="csww_inpost_fte",
        year_end="09-30",
    ),
    KpiSpec(
        "SW_AGENCY_PCT",
        "Agency social worker rate (%)",
        "percent",
        "lower_is_better",
        "1",
        "Agency social workers (FTE) at 30 September as a percent of agency plus in-post social workers (FTE), "
        "as published. Lower is better: stability of workers for children.",
        f"{PUB_CSWW}; {SN_NOTE}",
        indicator="csww_agency_rate_fte",
        year_end="09-30",
    ),
    KpiSpec(
        "SW_VACANCY_PCT",
        "Social worker vacancy rate (%)",
        "percent",
        "lower_is_better",
        "1",
        "Vacant social worker posts (FTE) at 30 September as a percent of vacancies plus in-post social workers (FTE), as published.",
        f"{PUB_CSWW}; {SN_NOTE}",
        indicator="csww_vacancy_rate_fte",
        year_end="09-30",
    ),
    KpiSpec(
        "SW_TURNOVER_PCT",
        "Social worker turnover rate (%)",
        "percent",
        "lower_is_better",
        "1",
        "Social workers (FTE) leaving in the year to 30 September as a percent of social workers in post at "
        "30 September, as published (permanent staff).",
        f"{PUB_CSWW}; {SN_NOTE}",
        indicator="csww_turnover_rate_fte",
        year_end="09-30",
    ),
    KpiSpec(
        "SW_CASELOAD",
        "Average caseload per FTE case-holding social worker",
        "ratio",
        "lower_is_better",
        "1",
        "Cases held at 30 September / FTE of social workers holding one or more cases (DfE workforce census). "
        "Target: Durham's own aim of no more than 20 cases per social worker.",
        f"{PUB_CSWW}; target: Durham County Council (no more than 20 cases per social worker); {SN_NOTE}",
        indicator="csww_caseload_fte",
        year_end="09-30",
        target=20.0,
    ),
    KpiSpec(
        "STAYING_PUT",
        "Care leavers in 'staying put' arrangements",
        "count",
        "higher_is_better",
        "12",
        "Young people in 'staying put' arrangements with their former foster carers, 'currently' at the "
        "inspection (fieldwork 22 February - 18 March 2016; dated to the start of fieldwork). Inspection baseline.",
        OFSTED,
        extra=(
            (
                "2016-02-22",
                11,
                f"{OFSTED}, para 89: 'There are currently 11 young people in 'staying put' arrangements with previous foster carers'",
            ),
        ),
    ),
    KpiSpec(
        "PRIVATE_FOSTERING",
        "Children known to be privately fostered",
        "count",
        "higher_is_better",
        "7",
        "Children living in privately arranged fostering placements known to the local authority. Higher is "
        "taken as better because the inspection found awareness of private fostering low: more notified "
        "arrangements means more children known and visited. Inspection baseline; no target.",
        OFSTED,
        extra=(
            ("2015-03-31", 4, f"{OFSTED}: 'an increase from four at 31 March 2015'"),
            ("2016-03-01", 8, f"{OFSTED}: 'At 1 March 2016, eight children lived in a privately arranged fostering placement.'"),
        ),
    ),
    KpiSpec(
        "IV_RECEIVING",
        "Young people with an independent visitor",
        "count",
        "higher_is_better",
        "11",
        "Children looked after receiving an independent visitor service at the inspection (fieldwork 22 February "
        "- 18 March 2016; dated to its start). Inspection baseline; no target.",
        OFSTED,
        extra=(("2016-02-22", 6, f"{OFSTED}, para 53: 'only six young people receiving a service at the time of the inspection'"),),
    ),
    KpiSpec(
        "IV_WAITING",
        "Young people waiting for an independent visitor",
        "count",
        "lower_is_better",
        "11",
        "Young people waiting for an independent visitor at the inspection (fieldwork 22 February - 18 March "
        "2016; dated to its start). Inspection baseline; no target.",
        OFSTED,
        extra=(("2016-02-22", 2, f"{OFSTED}, para 53: 'two more young people waiting'"),),
    ),
    KpiSpec(
        "CLA_HEALTH_ASSESSMENT_PCT",
        "Children looked after with a health assessment (%)",
        "percent",
        "higher_is_better",
        "",
        "Children looked after who had had a health assessment in the year to 31 March, as quoted in the "
        "inspection report (2015-16: the latest figures at the inspection, so the year was not yet complete). "
        "No recommendation addresses health assessments; no target.",
        OFSTED,
        extra=(
            ("2015-03-31", 93, f"{OFSTED}, para 58: 'deterioration from the 93% rate in 2014-15'"),
            (
                "2016-03-31",
                86,
                f"{OFSTED}, para 58: 'The latest figures for 2015-16 show that 86% had had a health "
                "assessment ... statistical neighbours, at 96%, and the England level of 90%.'",
            ),
        ),
    ),
]

EXTRA_COMPARATORS = {("CLA_HEALTH_ASSESSMENT_PCT", "2016-03-31"): {"stat_neighbours": 96.0, "england": 90.0}}

CSWW_FIELDS = {  # extract indicator -> column of the DfE csww file, for years after the extract
    "csww_inpost_fte": "inpost_fte",
    "csww_agency_rate_fte": "agency_rate_fte",
    "csww_vacancy_rate_fte": "vacancy_rate_fte",
    "csww_turnover_rate_fte": "turnover_rate_fte",
    "csww_caseload_fte": "caseload_fte",
}


def _num(text: object) -> float:
    """Published value as a float; suppressed ('x') and other markers are missing, never zero."""
    value = pd.to_numeric(pd.Series([text], dtype="string").str.strip(), errors="coerce").iloc[0]
    return float(value) if pd.notna(value) else np.nan


def _referrals_sn_median() -> dict[int, float]:
    """Median referral rate of Durham's 10 statistical neighbours (2025 model), per year, from table C1."""
    sn = pd.read_csv(DFE / "sn_model_2025_wide.csv", dtype=str, encoding="utf-8-sig")
    row = sn[sn["old_la_code"].str.strip() == DURHAM_LA_CODE].iloc[0]
    codes = [row[f"SN_{i}"].strip() for i in range(1, 11)]
    c1 = pd.read_csv(DFE / "c1_children_in_need_referrals_and_rereferrals_2013_to_2023.csv", dtype=str, encoding="utf-8-sig")
    c1 = c1[(c1["geographic_level"] == "Local authority") & c1["old_la_code"].isin(codes)]
    rates = c1.assign(rate=pd.to_numeric(c1["Referrals_rate"], errors="coerce"), year=c1["time_period"].astype(int))
    return rates.groupby("year")["rate"].median().round(1).to_dict()


def _csww_later_years(extract_years: set[int]) -> pd.DataFrame:
    """Workforce census figures for Durham, England and North East in years after the extract (DfE csww file)."""
    csww = pd.read_csv(DFE / "csww_indicators_2017_to_2025.csv", dtype=str, encoding="utf-8-sig")
    csww["year"] = csww["time_period"].astype(int)
    csww = csww[~csww["year"].isin(extract_years)]
    is_area = {
        DURHAM: (csww["geographic_level"] == "Local authority") & (csww["old_la_code"] == DURHAM_LA_CODE),
        ENGLAND: csww["geographic_level"] == "National",
        NORTH_EAST: (csww["geographic_level"] == "Regional") & (csww["region_name"] == NORTH_EAST),
    }
    rows = []
    for area, mask in is_area.items():
        part = csww[mask]
        for indicator, column in CSWW_FIELDS.items():
            rows.append(
                pd.DataFrame(
                    {
                        "indicator": indicator,
                        "year": part["year"],
                        "area": area,
                        "value": part[column],
                        "source": "DfE csww_indicators_2017_to_2025.csv (Explore Education Statistics download)",
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def published_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """KPIs and KPI_Values from the extract, the DfE files and the 2016 Ofsted report."""
    extract = pd.read_csv(EXTRACT, dtype=str, keep_default_na=False)
    extract["year"] = extract["year"].astype(int)
    csww_years = set(extract.loc[(extract["indicator"].str.startswith("csww")) & (extract["area"] == DURHAM), "year"])
    later = _csww_later_years(csww_years)
    ref_sn = _referrals_sn_median()

    kpi_rows, value_rows = [], []
    for spec in KPI_SPECS:
        kpi_rows.append(
            {
                "kpi_id": spec.kpi_id,
                "kpi": spec.kpi,
                "unit": spec.unit,
                "polarity": spec.polarity,
                "target": spec.target,
                "tolerance": spec.tolerance,
                "rec_ids": spec.rec_ids,
                "definition": spec.definition,
                "source": spec.source,
            }
        )
        if spec.indicator:
            ind = extract[extract["indicator"] == spec.indicator]
            ind_later = later[later["indicator"] == spec.indicator]
            durham = pd.concat([ind[ind["area"] == DURHAM], ind_later[ind_later["area"] == DURHAM]])
            lookup = {}
            for frame in (ind, ind_later):
                for rec in frame.itertuples(index=False):
                    lookup[(rec.area, rec.year)] = _num(rec.value)
            publication = spec.source.split(";")[0]
            for rec in durham.sort_values("year").itertuples(index=False):
                if spec.kpi_id == "REFERRAL_RATE":
                    sn_value = ref_sn.get(rec.year, np.nan)
                else:
                    sn_value = lookup.get((SN_MEDIAN, rec.year), np.nan)
                value_rows.append(
                    {
                        "kpi_id": spec.kpi_id,
                        "period": pd.Timestamp(f"{rec.year}-{spec.year_end}"),
                        "value": _num(rec.value),
                        "stat_neighbours": sn_value,
                        "england": lookup.get((ENGLAND, rec.year), np.nan),
                        "north_east": lookup.get((NORTH_EAST, rec.year), np.nan),
                        "source": f"{publication} (file: {rec.source})",
                    }
                )
        for date, value, note in spec.extra:
            comps = EXTRA_COMPARATORS.get((spec.kpi_id, date), {})
            value_rows.append(
                {
                    "kpi_id": spec.kpi_id,
                    "period": pd.Timestamp(date),
                    "value": float(value),
                    "stat_neighbours": comps.get("stat_neighbours", np.nan),
                    "england": comps.get("england", np.nan),
                    "north_east": np.nan,
                    "source": note,
                }
            )
    kpis = pd.DataFrame(kpi_rows)
    values = pd.DataFrame(value_rows)
    order = {k.kpi_id: i for i, k in enumerate(KPI_SPECS)}
    values = values.sort_values(["kpi_id", "period"], key=lambda s: s.map(order) if s.name == "kpi_id" else s, kind="stable").reset_index(
        drop=True
    )
    values = values[["kpi_id", "period", "value", "stat_neighbours", "england", "north_east", "source"]]
    return kpis, values


# --------------------------------------------------------------------------
# Illustrative Caseloads and Workforce
# --------------------------------------------------------------------------

FIRST_MONTH = pd.Timestamp("2016-06-30")
LAST_MONTH = pd.Timestamp("2017-12-31")
BURN_IN_START = pd.Timestamp("2015-07-31")
EAST2_START = pd.Timestamp("2016-10-31")
ASYE_START = pd.Timestamp("2016-09-30")

# (team, locality, kind, base establishment FTE incl. team manager, pressure)
NEW_EAST_TEAM = "Families First East (new team)"  # the plan's "new team in the East of the County"
TEAMS = [
    ("Families First North", "North", "FF", 16, 1.30),
    ("Families First South", "South", "FF", 16, 1.15),
    ("Families First East", "East", "FF", 16, 1.45),
    ("Families First Central", "Central", "FF", 16, 1.00),
    (NEW_EAST_TEAM, "East", "FF", 0, 1.00),  # new team from October 2016
    ("Child Protection North", "North", "CP", 13, 1.05),
    ("Child Protection South", "South", "CP", 13, 1.00),
    ("Child Protection East", "East", "CP", 13, 1.30),
    ("Child Protection Central", "Central", "CP", 13, 0.85),
    ("Looked After North", "North", "LA", 13, 0.95),
    ("Looked After South", "South", "LA", 13, 0.95),
    ("Looked After East", "East", "LA", 13, 1.00),
    ("Looked After Central", "Central", "LA", 12, 0.85),
    ("Disability North", "North", "DIS", 6, 0.80),
    ("Disability South", "South", "DIS", 6, 0.80),
]
EAST2_ESTABLISHMENT = 9.0
ASYE_TEAMS = [  # 12 ASYE posts added to the establishment from September 2016
    "Families First North",
    "Families First North",
    "Families First South",
    "Families First East",
    "Families First East",
    "Families First Central",
    "Child Protection North",
    "Child Protection South",
    "Child Protection East",
    "Child Protection Central",
    "Looked After East",
    "Looked After North",
]
KIND_INTENSITY = {"FF": 1.08, "CP": 1.0, "LA": 0.97, "DIS": 0.75}  # cases per FTE relative to the service

# Anchors for open cases held (service total) and the service vacancy rate (share of establishment).
DEMAND_ANCHORS = {
    "2015-07-31": 2820,
    "2016-06-30": 2840,
    "2016-12-31": 3020,
    "2017-03-31": 3160,
    "2017-06-30": 3250,
    "2017-09-30": 3205,
    "2017-12-31": 3240,
}
AGENCY_HIRE_ANCHORS = {"2015-07-31": 0.22, "2016-06-30": 0.22, "2017-03-31": 0.12, "2017-12-31": 0.08}
# Spread of caseloads between teams: wide in 2016, narrowing as the East team and the ASYEs take cases.
PRESSURE_ANCHORS = {"2015-07-31": 1.3, "2016-06-30": 1.3, "2016-09-30": 1.1, "2017-06-30": 0.45, "2017-12-31": 0.4}
PERSONAL_SIGMA = 0.14
# Unevenness of caseloads within teams (exponent on the personal factor): high at the inspection,
# reduced by caseload monitoring through 2017.
UNEVEN_ANCHORS = {"2015-07-31": 2.8, "2016-06-30": 2.8, "2016-12-31": 1.8, "2017-06-30": 1.35, "2017-12-31": 1.2}
VACANCY_ANCHORS = {
    "2015-07-31": 0.17,
    "2016-06-30": 0.175,
    "2016-10-31": 0.175,
    "2016-11-30": 0.172,
    "2017-04-30": 0.172,
    "2017-05-31": 0.138,
    "2017-09-30": 0.142,
    "2017-12-31": 0.13,
}


def _months(start: pd.Timestamp, end: pd.Timestamp) -> list[pd.Timestamp]:
    return list(pd.date_range(start, end, freq="ME"))


def _interp(anchors: dict[str, float], month: pd.Timestamp) -> float:
    xs = np.array([pd.Timestamp(k).value for k in anchors], dtype="float64")
    ys = np.array(list(anchors.values()), dtype="float64")
    return float(np.interp(float(month.value), xs, ys))


@dataclass
class Worker:
    worker_id: str
    team: str
    role: str
    fte: float
    agency: bool
    start: pd.Timestamp
    factor: float  # personal caseload factor
    tm_cases: int = 0
    asye_cap: int = 0
    end: pd.Timestamp | None = None


def _establishment(team: str, base: float, month: pd.Timestamp) -> float:
    est = float(base)
    if team == NEW_EAST_TEAM:
        est = EAST2_ESTABLISHMENT if month >= EAST2_START else 0.0
    if month >= ASYE_START:
        est += ASYE_TEAMS.count(team)
    return est


def simulate(seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:  # noqa: C901 - one seeded walk through every month; split, it would need its RNG threaded through helpers
    """Illustrative Caseloads and Workforce, June 2016 - December 2017 (month ends)."""
    rng = random.Random(seed)
    id_pool = rng.sample(range(100, 10000), 2000)
    next_id = iter(id_pool)

    def new_worker(team: str, month: pd.Timestamp, role: str | None = None, agency: bool | None = None) -> Worker:
        if role is None:
            role = rng.choices(["Social Worker", "Senior Practitioner", "Consultant Social Worker"], [78, 18, 4])[0]
        if agency is None:
            agency = rng.random() < _interp(AGENCY_HIRE_ANCHORS, month)
        fte = 1.0 if agency or rng.random() < 0.86 else rng.choice([0.5, 0.6, 0.8, 0.8])
        w = Worker(f"SW{next(next_id):04d}", team, role, fte, agency, month, rng.lognormvariate(0, PERSONAL_SIGMA))
        if role == "Team Manager":
            w.tm_cases = rng.randint(2, 6)
        if role == "ASYE":
            w.asye_cap = rng.choice([11, 12, 12, 13, 13, 14])
        return w

    workers: list[Worker] = []
    # Initial staff at the start of the burn-in.
    for team, _loc, _kind, base, _p in TEAMS:
        if base == 0:
            continue
        workers.append(new_worker(team, BURN_IN_START - pd.offsets.MonthEnd(rng.randint(12, 60)), "Team Manager", False))
        target = base * (1 - _interp(VACANCY_ANCHORS, BURN_IN_START))
        while sum(w.fte for w in workers if w.team == team) < target - 0.5:
            workers.append(new_worker(team, BURN_IN_START - pd.offsets.MonthEnd(rng.randint(1, 90))))

    on_leave: dict[str, set[pd.Timestamp]] = {}
    rows = []
    for month in _months(BURN_IN_START, LAST_MONTH):
        active = [w for w in workers if w.end is None and w.start <= month]
        # Leavers this month (the month of leaving: not in post at its end).
        for w in active:
            if w.start == month or w.role == "Team Manager":
                continue
            if w.role == "ASYE" and month < w.start + pd.offsets.MonthEnd(12):
                hazard = 0.004
            else:
                hazard = 0.026 if w.agency else 0.0075
            if rng.random() < hazard:
                w.end = month
        # ASYE cohort joins in September 2016; after a year they are Social Workers.
        if month == ASYE_START:
            for team in ASYE_TEAMS:
                workers.append(new_worker(team, month, "ASYE", False))
        for w in workers:
            if w.role == "ASYE" and month >= w.start + pd.offsets.MonthEnd(12):
                w.role = "Social Worker"
        # New East team: a manager and recruits from October 2016.
        if month == EAST2_START:
            workers.append(new_worker(NEW_EAST_TEAM, month, "Team Manager", False))
        # Recruitment towards the month's filled target per team.
        vac = _interp(VACANCY_ANCHORS, month)
        for team, _loc, _kind, base, pressure in TEAMS:
            est = _establishment(team, base, month)
            if est == 0:
                continue
            team_vac = min(0.6, vac * (0.85 + 0.15 * pressure)) if team != NEW_EAST_TEAM else vac * 0.8
            filled = sum(w.fte for w in workers if w.team == team and w.end is None and w.start <= month)
            target = est * (1 - team_vac)
            while filled < target - 0.4 and rng.random() < 0.85:
                w = new_worker(team, month)
                workers.append(w)
                filled += w.fte
        # Some months of leave (cases = 0).
        for w in rng.sample([w for w in workers if w.end is None and w.start < month and w.role != "ASYE"], 1):
            if rng.random() < 0.25:
                length = rng.choice([1, 1, 2, 3])
                on_leave.setdefault(w.worker_id, set()).update(_months(month, month + pd.offsets.MonthEnd(length - 1)))
        # Allocate the month's open cases.
        demand = _interp(DEMAND_ANCHORS, month) * (1 + rng.gauss(0, 0.004))
        weights = {}
        for team, _loc, kind, base, pressure in TEAMS:
            spread = _interp(PRESSURE_ANCHORS, month)
            weights[team] = KIND_INTENSITY[kind] * base * (1 + (pressure - 1) * spread)
        if month >= EAST2_START:
            moved = min(1.0, (len(_months(EAST2_START, month))) / 4) * 0.30
            weights[NEW_EAST_TEAM] = weights["Families First East"] * moved
            weights["Families First East"] *= 1 - moved
        else:
            weights[NEW_EAST_TEAM] = 0.0
        total_w = sum(weights.values())
        for team, loc, _kind, _base, _p in TEAMS:
            team_demand = demand * weights[team] / total_w
            staff = [w for w in workers if w.team == team and w.end is None and w.start <= month]
            if not staff:
                continue
            fixed, flexible = {}, []
            for w in staff:
                if month in on_leave.get(w.worker_id, ()):
                    fixed[w.worker_id] = 0
                elif w.role == "Team Manager":
                    fixed[w.worker_id] = w.tm_cases
                elif w.role == "ASYE":
                    tenure = len(_months(w.start, month))
                    fixed[w.worker_id] = int(round(min(3 + 2.5 * tenure, w.asye_cap) * w.fte))
                else:
                    flexible.append(w)
            remaining = max(0.0, team_demand - sum(fixed.values()))
            uneven = _interp(UNEVEN_ANCHORS, month)
            wts = []
            for w in flexible:
                tenure = len(_months(w.start, month))
                ramp = 0.45 if tenure == 1 else 0.75 if tenure == 2 else 1.0
                wts.append(w.fte * w.factor**uneven * ramp * (0.6 if w.role == "Consultant Social Worker" else 1.0))
            sw = sum(wts) or 1.0
            cases = dict(fixed)
            for w, wt in zip(flexible, wts):
                cases[w.worker_id] = max(1, int(round(remaining * wt / sw)))
            for w in staff:
                rows.append(
                    {
                        "period": month,
                        "team": team,
                        "locality": loc,
                        "worker_id": w.worker_id,
                        "role": w.role,
                        "fte": w.fte,
                        "cases": cases[w.worker_id],
                        "agency": "Y" if w.agency else "N",
                        "_start": w.start,
                    }
                )
    full = pd.DataFrame(rows)
    # One documented breach of the ASYE protected caseload: covering a colleague's cases in February 2017.
    breach = (full["role"] == "ASYE") & (full["team"] == "Families First East") & (full["period"] == "2017-02-28")
    first = full.index[breach][:1]
    full.loc[first, "cases"] = 17

    # Workforce from the same simulation (starters/leavers need the months before June 2016).
    months = _months(BURN_IN_START, LAST_MONTH)
    present = full[["period", "team", "worker_id"]]
    prev = present.assign(period=present["period"] + pd.offsets.MonthEnd(1))
    leavers = prev.merge(present, on=["period", "team", "worker_id"], how="left", indicator=True)
    leavers = leavers[leavers["_merge"] == "left_only"].groupby(["period", "team"]).size().rename("leavers")
    starters = present.merge(prev, on=["period", "team", "worker_id"], how="left", indicator=True)
    starters = starters[(starters["_merge"] == "left_only") & (starters["period"] > BURN_IN_START)]
    starters = starters.groupby(["period", "team"]).size().rename("starters")
    full["agency_fte_"] = full["fte"].where(full["agency"] == "Y", 0.0)
    agg = full.groupby(["period", "team"]).agg(filled_fte=("fte", "sum"), agency_fte=("agency_fte_", "sum"))
    wf_rows = []
    for month in months:
        for team, loc, _kind, base, _p in TEAMS:
            est = _establishment(team, base, month)
            if est == 0:
                continue
            key = (month, team)
            wf_rows.append(
                {
                    "period": month,
                    "team": team,
                    "locality": loc,
                    "establishment_fte": est,
                    "filled_fte": round(float(agg["filled_fte"].get(key, 0.0)), 1),
                    "agency_fte": round(float(agg["agency_fte"].get(key, 0.0)), 1),
                    "starters": int(starters.get(key, 0)),
                    "leavers": int(leavers.get(key, 0)),
                }
            )
    workforce = pd.DataFrame(wf_rows)
    workforce = workforce[workforce["period"] >= FIRST_MONTH].reset_index(drop=True)
    caseloads = full[full["period"] >= FIRST_MONTH]
    caseloads = caseloads.sort_values(["period", "team", "worker_id"]).reset_index(drop=True)
    caseloads = caseloads[["period", "team", "locality", "worker_id", "role", "fte", "cases", "agency"]]
    return caseloads, workforce


# --------------------------------------------------------------------------
# Workbook
# --------------------------------------------------------------------------


def about_table() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("organisation", "Durham County Council"),
            ("plan_title", "Children and Young People's Services Ofsted Improvement Plan 2016"),
            (
                "source",
                "DfE and ONS official statistics (Explore Education Statistics downloads: children in need, "
                "children looked after, child protection plans, children's social work workforce, ONS mid-year "
                "population); Ofsted inspection report published 16 May 2016. Contains public sector information "
                "licensed under the Open Government Licence v3.0.",
            ),
            (
                "data_status",
                "Mixed: KPIs and KPI_Values are published figures (DfE/ONS official statistics and the 2016 "
                "Ofsted report; one derived rate is marked DERIVED). Caseloads and Workforce are "
                "illustrative: generated monthly figures calibrated to published aggregates, not Durham's "
                "records.",
            ),
            ("published_sheets", "KPIs, KPI_Values"),
            ("illustrative_sheets", "Caseloads, Workforce"),
            (
                "illustrative_method",
                "Generated with a fixed random seed and calibrated to published totals; the method and where "
                "the totals disagree are in the project's data log ('Performance workbook').",
            ),
        ],
        columns=["key", "value"],
    )


def build_sheets() -> dict[str, pd.DataFrame]:
    kpis, values = published_tables()
    caseloads, workforce = simulate()
    return {"About": about_table(), "KPIs": kpis, "KPI_Values": values, "Caseloads": caseloads, "Workforce": workforce}


def build_bytes() -> bytes:
    return workbook_bytes(build_workbook(build_sheets()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file at --out differs from a fresh build")
    args = parser.parse_args(argv)
    data = build_bytes()
    if args.check:
        current = args.out.read_bytes() if args.out.exists() else b""
        if current != data:
            print(f"{args.out} is out of date: run python scripts/build_performance_workbook.py", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

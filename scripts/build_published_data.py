"""Build the published figures for every council: data/published_measures.csv.gz and data/published_neighbours.csv.

Run from the repo root:
    python scripts/build_published_data.py [--out-dir DIR] [--check]

Input: the DfE and ONS open data files in ../shared/reference/dfe/ (Explore Education Statistics
downloads; Open Government Licence v3.0). Output, so that the dashboard and the CLI run without
../shared:

- data/published_measures.csv.gz: one row per measure, area (England, each region, each local
  authority) and year: value, numerator and denominator where known, and the suppression code
  (x, c, k, u, z, low) as `reason` with the value left blank. Measure settings (unit, polarity,
  definition, source) are in MEASURES below and written to data/published_measure_definitions.csv.
- data/published_neighbours.csv: the 10 statistical neighbours of each council in the DfE models of
  2025 and 2021 (April 2021 groupings).

Deterministic: the same inputs give the same bytes (sorted rows, fixed number formats, gzip with no
timestamp or file name). `--check` exits 1 if a committed file differs. docs/published-data.md says
how to refresh the files when DfE publishes a new year.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from src.paths import shared_reference  # noqa: E402

DEFAULT_OUT = ROOT / "data"
VALUES_FILE = "published_measures.csv.gz"
DEFINITIONS_FILE = "published_measure_definitions.csv"
NEIGHBOURS_FILE = "published_neighbours.csv"

B1 = "b1_children_in_need_2013_to_2023.csv"
C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2023.csv"
D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
D5 = "d5_cpps_at31march_by_duration_2013_to_2025.csv"
CLA = "cla_number_and_rate_per_10k_children.csv"
CSWW = "csww_indicators_2017_to_2025.csv"
ONS = "ons_mid-year_population_estimates_2012_to_2024.csv"
SN_2025 = "sn_model_2025_wide.csv"
SN_2021 = "New_Statistical_Neighbour_Groupings_April_2021.csv"

CIN_PUB = "DfE, Characteristics of children in need"
CLA_PUB = "DfE, Children looked after in England including adoptions"
CSWW_PUB = "DfE, Children's social work workforce"
ONS_PUB = "ONS mid-year population estimates, children aged 0 to 17"
SUPPRESSION = ("x", "c", "k", "u", "z", "low")


@dataclass(frozen=True)
class Measure:
    """One published measure. `column` is the value's column in `file`; numerator / denominator are
    columns too, or 'ons' (ONS population aged 0-17 at mid-year before the 31 March), or
    'a+b' (the sum of two columns). `derived` rates are computed here, not published."""

    measure_id: str
    name: str
    unit: str
    polarity: str
    file: str
    column: str | None
    numerator: str | None
    denominator: str | None
    period_end: str  # month-day of the period for the file's year
    funnel: str  # 'binomial', 'poisson' or '' (no funnel)
    definition: str
    source: str
    population_type: str = ""  # the CLA file's row filter
    derived: bool = False


MEASURES = [
    Measure(
        "CIN_RATE",
        "Children in need per 10,000 children (31 March)",
        "rate_per_10k",
        "context",
        B1,
        "At31_episodes_rate",
        "At31_episodes",
        "ons",
        "03-31",
        "poisson",
        "Children in need at 31 March per 10,000 children aged under 18, as published. Context: a rise can mean need "
        "identified better as well as more need.",
        f"{CIN_PUB}, table B1 (children in need at 31 March); denominator for the funnel: {ONS_PUB}, mid-year before",
    ),
    Measure(
        "REFERRAL_RATE",
        "Referrals per 10,000 children (year to 31 March)",
        "rate_per_10k",
        "context",
        C1,
        "Referrals_rate",
        "Referrals",
        "ons",
        "03-31",
        "poisson",
        "Referrals to children's social care in the year to 31 March per 10,000 children, as published. Context: more "
        "referrals can mean partners recognise need better.",
        f"{CIN_PUB}, table C1 (referrals and re-referrals); denominator for the funnel: {ONS_PUB}, mid-year before",
    ),
    Measure(
        "REREFERRAL_PCT",
        "Re-referrals within 12 months (%)",
        "percent",
        "lower_is_better",
        C1,
        "Re_referrals_percent",
        "Re_referrals",
        "Referrals",
        "03-31",
        "binomial",
        "Referrals in the year to 31 March within 12 months of a previous referral, as a percent of all referrals. "
        "Lower is better: fewer cases closed too early.",
        f"{CIN_PUB}, table C1 (referrals and re-referrals)",
    ),
    Measure(
        "CPP_COUNT",
        "Children subject to a child protection plan (31 March)",
        "count",
        "context",
        D5,
        "CPP_At31",
        None,
        None,
        "03-31",
        "",
        "Children subject to a child protection plan at 31 March. Context: the right number depends on need.",
        f"{CIN_PUB}, table D5 (child protection plans at 31 March)",
    ),
    Measure(
        "CPP_RATE",
        "Child protection plans per 10,000 children (31 March, derived)",
        "rate_per_10k",
        "context",
        D5,
        None,
        "CPP_At31",
        "ons",
        "03-31",
        "poisson",
        "DERIVED, NOT PUBLISHED: children subject to a child protection plan at 31 March per 10,000 children aged "
        "0-17, computed from the published count and the ONS mid-year population of the previous year (one decimal).",
        f"DERIVED from {CIN_PUB}, table D5, and {ONS_PUB} (mid-year before the 31 March)",
        derived=True,
    ),
    Measure(
        "CPP_REPEAT_PCT",
        "Child protection plans that are a second or subsequent plan (%)",
        "percent",
        "lower_is_better",
        D3,
        "CPP_subsequent_percent",
        "CPP_subsequent",
        "CPP_start",
        "03-31",
        "binomial",
        "Plans starting in the year to 31 March that were a second or subsequent plan, as a percent of plans starting. "
        "Lower is better: plans that end too early return.",
        f"{CIN_PUB}, table D3 (child protection plans starting in the year)",
    ),
    Measure(
        "CPP_2YEARS_PCT",
        "Child protection plans lasting 2 years or more (%)",
        "percent",
        "lower_is_better",
        D5,
        "2_years_or_more_percent",
        "2_years_or_more",
        "CPP_At31",
        "03-31",
        "binomial",
        "Children on a plan at 31 March whose plan had lasted 2 years or more, as a percent of all children on a plan. "
        "Lower is better: drift in child protection.",
        f"{CIN_PUB}, table D5 (child protection plans at 31 March by length of time)",
    ),
    Measure(
        "CLA_COUNT",
        "Children looked after (31 March)",
        "count",
        "context",
        CLA,
        "children_count",
        None,
        None,
        "03-31",
        "",
        "Children looked after by the local authority at 31 March. Context: the right number depends on need and on timely permanence.",
        f"{CLA_PUB} (children looked after on 31 March)",
        population_type="Children looked after on 31 March each year",
    ),
    Measure(
        "CLA_RATE",
        "Children looked after per 10,000 children (31 March)",
        "rate_per_10k",
        "context",
        CLA,
        "rate_per_10000",
        "children_count",
        "population_estimate",
        "03-31",
        "poisson",
        "Children looked after at 31 March per 10,000 children aged under 18, as published (DfE's own population "
        "estimate as the denominator).",
        f"{CLA_PUB} (number and rate per 10,000 children on 31 March)",
        population_type="Children looked after on 31 March each year",
    ),
    Measure(
        "SW_FTE",
        "Children and family social workers in post (FTE)",
        "number",
        "context",
        CSWW,
        "inpost_fte",
        None,
        None,
        "09-30",
        "",
        "Full-time equivalent children and family social workers in post at 30 September (workforce census). Context: "
        "capacity, read with the number of children.",
        f"{CSWW_PUB} (census at 30 September)",
    ),
    Measure(
        "SW_AGENCY_PCT",
        "Agency social worker rate (%)",
        "percent",
        "lower_is_better",
        CSWW,
        "agency_rate_fte",
        "agency_fte",
        "agency_fte+inpost_fte",
        "09-30",
        "",
        "Agency social workers (FTE) at 30 September as a percent of agency plus in-post social workers (FTE). Lower is "
        "better: stable workers for children.",
        f"{CSWW_PUB} (census at 30 September)",
    ),
    Measure(
        "SW_VACANCY_PCT",
        "Social worker vacancy rate (%)",
        "percent",
        "lower_is_better",
        CSWW,
        "vacancy_rate_fte",
        "vacancy_fte",
        "vacancy_fte+inpost_fte",
        "09-30",
        "",
        "Vacant social worker posts (FTE) at 30 September as a percent of vacancies plus social workers in post (FTE).",
        f"{CSWW_PUB} (census at 30 September)",
    ),
    Measure(
        "SW_TURNOVER_PCT",
        "Social worker turnover rate (%)",
        "percent",
        "lower_is_better",
        CSWW,
        "turnover_rate_fte",
        "leavers_fte",
        "inpost_fte",
        "09-30",
        "",
        "Social workers (FTE) leaving in the year to 30 September as a percent of social workers in post at 30 September.",
        f"{CSWW_PUB} (census at 30 September)",
    ),
    Measure(
        "SW_CASELOAD",
        "Average caseload per FTE case-holding social worker",
        "ratio",
        "lower_is_better",
        CSWW,
        "caseload_fte",
        "cases",
        "case_holders_fte",
        "09-30",
        "",
        "Cases held at 30 September / FTE of social workers holding one or more cases.",
        f"{CSWW_PUB} (census at 30 September)",
    ),
]

VALUE_COLUMNS = [
    "measure_id",
    "year",
    "period",
    "area_type",
    "area_code",
    "area_name",
    "region_name",
    "value",
    "reason",
    "numerator",
    "denominator",
    "note",
]
AREA_ORDER = {"england": 0, "region": 1, "la": 2}
# The North and West Northamptonshire workforce is one children's trust, reported as one row.
JOINT_NORTHAMPTONSHIRE = "940 / 941"
BOUNDARY_NOTES = {
    "928": "Northamptonshire county council: replaced by North Northamptonshire (940) and West Northamptonshire (941) "
    "on 1 April 2021; no figures after that.",
    "909": "Cumbria county council: replaced by Cumberland (942) and Westmorland and Furness (943) on 1 April 2023; no figures after that.",
    "940": "North Northamptonshire: from 1 April 2021 (before that, part of Northamptonshire, 928).",
    "941": "West Northamptonshire: from 1 April 2021 (before that, part of Northamptonshire, 928).",
    "942": "Cumberland: from 1 April 2023 (before that, part of Cumbria, 909).",
    "943": "Westmorland and Furness: from 1 April 2023 (before that, part of Cumbria, 909).",
    JOINT_NORTHAMPTONSHIRE: "North and West Northamptonshire together: the workforce census reports the "
    "Northamptonshire Children's Trust as one; ranked once.",
}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k is not None} for row in csv.DictReader(handle)]


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _fmt(value: float | None) -> str:
    """A number as the fewest digits that keep it (6 significant decimals at most): stable text for --check."""
    if value is None:
        return ""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _reason(text: str) -> str:
    """The suppression code of a cell that is not a number ('' when it is a number)."""
    if _number(text) is not None:
        return ""
    code = text.lower()
    return code if code in SUPPRESSION else ("x" if code == "" else code)


def _area(row: dict[str, str]) -> tuple[str, str, str, str] | None:
    """(area_type, area_code, area_name, region_name) of a row, or None for rows that are not England, a region or an LA."""
    level = row.get("geographic_level", "")
    if level == "National":
        return "england", row.get("country_code") or "E92000001", "England", ""
    if level == "Regional":
        return "region", row.get("region_code", ""), row.get("region_name", ""), row.get("region_name", "")
    if level == "Local authority":
        code = row.get("old_la_code", "").replace(" ", "")
        code = JOINT_NORTHAMPTONSHIRE if code == "940/941" else code
        region = row.get("region_name", "")
        # Some files give a London council's region as Inner or Outer London; its comparator is London.
        region = "London" if region in ("Inner London", "Outer London") else region
        return "la", code, row.get("la_name", ""), region
    return None


def _population(dfe: Path) -> dict[tuple[str, str, int], float]:
    """ONS mid-year population aged 0-17 by (area_type, area_code, mid-year)."""
    out = {}
    for row in _read(dfe / ONS):
        area = _area(row)
        value = _number(row["population_estimate"])
        if area and value is not None:
            out[(area[0], area[1], int(row["time_period"]))] = value
    return out


def _part(row: dict[str, str], spec: str | None) -> float | None:
    if not spec:
        return None
    if "+" in spec:
        parts = [_number(row.get(p, "")) for p in spec.split("+")]
        return None if any(p is None for p in parts) else sum(parts)
    return _number(row.get(spec, ""))


def measure_rows(measure: Measure, rows: list[dict[str, str]], population: dict) -> list[dict[str, str]]:
    out = []
    for row in rows:
        if measure.population_type and row.get("population_type") != measure.population_type:
            continue
        area = _area(row)
        if area is None:
            continue
        area_type, code, name, region = area
        year = int(row["time_period"])
        numerator = _part(row, measure.numerator)
        if measure.denominator == "ons":
            denominator = population.get((area_type, code, year - 1))
        else:
            denominator = _part(row, measure.denominator)
        if measure.derived:
            raw = row.get(measure.numerator or "", "")
            value = None if numerator is None or not denominator else round(numerator / denominator * 10000 + 1e-9, 1)
            reason = "" if value is not None else (_reason(raw) or "x")
        else:
            raw = row.get(measure.column or "", "")
            value = _number(raw)
            reason = _reason(raw)
        out.append(
            {
                "measure_id": measure.measure_id,
                "year": str(year),
                "period": f"{year}-{measure.period_end}",
                "area_type": area_type,
                "area_code": code,
                "area_name": name,
                "region_name": region,
                "value": _fmt(value),
                "reason": reason,
                "numerator": _fmt(numerator),
                "denominator": _fmt(denominator),
                "note": BOUNDARY_NOTES.get(code, "") if area_type == "la" else "",
            }
        )
    return out


def values_table(dfe: Path) -> list[dict[str, str]]:
    population = _population(dfe)
    files = {m.file: _read(dfe / m.file) for m in MEASURES}
    rows = []
    for measure in MEASURES:
        rows += measure_rows(measure, files[measure.file], population)
    order = {m.measure_id: i for i, m in enumerate(MEASURES)}
    rows.sort(key=lambda r: (order[r["measure_id"]], int(r["year"]), AREA_ORDER[r["area_type"]], r["area_code"], r["area_name"]))
    return rows


def definitions_table() -> list[dict[str, str]]:
    fields = ["measure_id", "name", "unit", "polarity", "funnel", "period_end", "derived", "definition", "source"]
    return [{f: ("yes" if m.derived else "no") if f == "derived" else str(getattr(m, f)) for f in fields} for m in MEASURES]


def neighbours_table(dfe: Path) -> list[dict[str, str]]:
    """model, la_code, la_name, region_name, neighbour_rank 1-10, neighbour_code, closeness."""
    rows = []
    for row in _read(dfe / SN_2025):
        for i in range(1, 11):
            rows.append(
                {
                    "model": "2025",
                    "la_code": row["old_la_code"],
                    "la_name": row["la_name"],
                    "region_name": row["region_name"],
                    "neighbour_rank": str(i),
                    "neighbour_code": row[f"SN_{i}"],
                    "closeness": row[f"SN_{i}P"].strip(),
                }
            )
    with (dfe / SN_2021).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)  # header: its closeness columns all share the name SNP
        for cells in reader:
            cells = [c.strip() for c in cells]
            if not cells or not cells[0]:
                break  # below the blank row are the pre-2019 'Old SNs' (Dorset, Poole, Bournemouth, Northamptonshire)
            for i in range(10):
                rows.append(
                    {
                        "model": "2021",
                        "la_code": cells[0],
                        "la_name": cells[1],
                        "region_name": cells[4],
                        "neighbour_rank": str(i + 1),
                        "neighbour_code": cells[5 + 2 * i],
                        "closeness": cells[6 + 2 * i],
                    }
                )
    rows.sort(key=lambda r: (r["model"] != "2025", r["la_code"], int(r["neighbour_rank"])))
    return rows


def _csv_bytes(rows: list[dict[str, str]], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def build_files(dfe: Path) -> dict[str, bytes]:
    values = _csv_bytes(values_table(dfe), VALUE_COLUMNS)
    definitions = definitions_table()
    neighbours = neighbours_table(dfe)
    return {
        VALUES_FILE: gzip.compress(values, compresslevel=9, mtime=0),
        DEFINITIONS_FILE: _csv_bytes(definitions, list(definitions[0])),
        NEIGHBOURS_FILE: _csv_bytes(neighbours, list(neighbours[0])),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--dfe", type=Path, default=None, help="folder of the DfE/ONS csv files (default ../shared/reference/dfe)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a file in --out-dir differs from a fresh build")
    args = parser.parse_args(argv)
    files = build_files(args.dfe or shared_reference() / "dfe")
    stale = []
    for name, data in files.items():
        path = args.out_dir / name
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path} ({len(data):,} bytes)")
    if args.check:
        if stale:
            print(f"out of date: {', '.join(stale)}: run python scripts/build_published_data.py", file=sys.stderr)
            return 1
        print("published data files are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())

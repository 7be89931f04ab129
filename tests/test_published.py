"""Published figures for every council (src/analysis/published.py) against figures worked out here, independently,
from the raw DfE/ONS files with the csv module: value, England, region, statistical-neighbour median and mean
(exactly the model's 10 neighbours), rank and quartile, for three councils of different size and region at two
years. Plus the funnel limits against hand-summed binomial and Poisson tails, ranks with ties, and the build."""

from __future__ import annotations

import csv
import math
import statistics
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from src.analysis import published as P
from src.paths import shared_reference

ROOT = Path(__file__).resolve().parents[1]
DFE = shared_reference() / "dfe"

# Three councils: a large county in the North East, an inner London borough, the smallest county (East Midlands).
COUNCILS = {"840": "County Durham", "202": "Camden", "857": "Rutland"}
YEARS = (2021, 2023)
# measure -> (file, value column, polarity) as the DfE files name them; CPP_RATE is derived (below).
RAW = {
    "CIN_RATE": ("b1_children_in_need_2013_to_2023.csv", "At31_episodes_rate", "context"),
    "REFERRAL_RATE": ("c1_children_in_need_referrals_and_rereferrals_2013_to_2023.csv", "Referrals_rate", "context"),
    "REREFERRAL_PCT": ("c1_children_in_need_referrals_and_rereferrals_2013_to_2023.csv", "Re_referrals_percent", "lower"),
    "CPP_COUNT": ("d5_cpps_at31march_by_duration_2013_to_2025.csv", "CPP_At31", "context"),
    "CPP_REPEAT_PCT": ("d3_cpps_subsequent_plan_2013_to_2025.csv", "CPP_subsequent_percent", "lower"),
    "CPP_2YEARS_PCT": ("d5_cpps_at31march_by_duration_2013_to_2025.csv", "2_years_or_more_percent", "lower"),
    "CLA_COUNT": ("cla_number_and_rate_per_10k_children.csv", "children_count", "context"),
    "CLA_RATE": ("cla_number_and_rate_per_10k_children.csv", "rate_per_10000", "context"),
    "SW_FTE": ("csww_indicators_2017_to_2025.csv", "inpost_fte", "context"),
    "SW_AGENCY_PCT": ("csww_indicators_2017_to_2025.csv", "agency_rate_fte", "lower"),
    "SW_VACANCY_PCT": ("csww_indicators_2017_to_2025.csv", "vacancy_rate_fte", "lower"),
    "SW_TURNOVER_PCT": ("csww_indicators_2017_to_2025.csv", "turnover_rate_fte", "lower"),
    "SW_CASELOAD": ("csww_indicators_2017_to_2025.csv", "caseload_fte", "lower"),
}


def _raw_rows(file: str, year: int) -> list[dict]:
    with (DFE / file).open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["time_period"] == str(year)]
    if file.startswith("cla_"):
        rows = [r for r in rows if r["population_type"] == "Children looked after on 31 March each year"]
    return rows


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _sn_codes(code: str) -> list[str]:
    with (DFE / "sn_model_2025_wide.csv").open(encoding="utf-8-sig", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["old_la_code"] == code)
    return [row[f"SN_{i}"].strip() for i in range(1, 11)]


def _cpp_rate_rows(year: int) -> list[dict]:
    """CPP at 31 March per 10,000 of the ONS 0-17 population at the previous mid-year, one decimal."""
    with (DFE / "ons_mid-year_population_estimates_2012_to_2024.csv").open(encoding="utf-8-sig", newline="") as handle:
        pops = {
            (r["geographic_level"], r["old_la_code"] or r["region_name"]): float(r["population_estimate"])
            for r in csv.DictReader(handle)
            if r["time_period"] == str(year - 1) and _float(r["population_estimate"]) is not None
        }
    out = []
    for r in _raw_rows("d5_cpps_at31march_by_duration_2013_to_2025.csv", year):
        count = _float(r["CPP_At31"])
        pop = pops.get((r["geographic_level"], r["old_la_code"] or r["region_name"]))
        value = "" if count is None or pop is None else str(round(count / pop * 10000 + 1e-9, 1))
        out.append({**r, "value": value})
    return out


def hand_figures(measure: str, code: str, year: int) -> dict:
    if measure == "CPP_RATE":
        rows, column, polarity = _cpp_rate_rows(year), "value", "context"
    else:
        file, column, polarity = RAW[measure]
        rows = _raw_rows(file, year)
    la = {r["old_la_code"].strip(): r for r in rows if r["geographic_level"] == "Local authority"}
    own = la[code]
    region_name = own["region_name"] if own["region_name"] not in ("Inner London", "Outer London") else "London"
    england = next(r for r in rows if r["geographic_level"] == "National")
    region = next(r for r in rows if r["geographic_level"] == "Regional" and r["region_name"] == region_name)
    sn = [_float(la[c][column]) for c in _sn_codes(code) if c in la]
    sn = [v for v in sn if v is not None]
    value = _float(own[column])
    all_values = [_float(r[column]) for r in la.values()]
    all_values = [v for v in all_values if v is not None]
    rank = of = quartile = None
    if polarity == "lower":
        of = len(all_values)  # how many councils were ranked, whether or not this one has a value
    if polarity == "lower" and value is not None:
        rank = 1 + sum(1 for v in all_values if v < value)
        quartile = "ABCD"[math.ceil(4 * rank / of) - 1]
    return {
        "value": value,
        "england": _float(england[column]),
        "region": _float(region[column]),
        "stat_neighbours_median": statistics.median(sn) if sn else None,
        "stat_neighbours_mean": round(statistics.mean(sn), 2) if sn else None,
        "stat_neighbours_with_value": len(sn),
        "rank": rank,
        "of": of,
        "quartile": quartile,
    }


@pytest.fixture(scope="module")
def data():
    return P.load_published()


CASES = [(m, c, y) for m in [*RAW, "CPP_RATE"] for c in COUNCILS for y in YEARS]


@pytest.mark.parametrize(("measure", "code", "year"), CASES)
def test_published_figures_match_the_dfe_files(data, measure, code, year):
    got = P.benchmark(data, code, measure, year)
    want = hand_figures(measure, code, year)
    for key, expected in want.items():
        actual = got[key]
        if isinstance(expected, float) and actual is not None:
            assert actual == pytest.approx(expected, abs=1e-9), (measure, code, year, key)
        else:
            assert actual == expected, (measure, code, year, key)


def test_the_cases_include_suppressed_and_ranked_figures(data):
    """The cases are not all easy: Rutland has suppressed figures, and each council has ranked ones."""
    rutland = [P.benchmark(data, "857", m, 2023) for m in RAW]
    assert any(b["value"] is None and b["reason"] in P.REASONS for b in rutland)
    for code in COUNCILS:
        assert sum(P.benchmark(data, code, m, 2023)["rank"] is not None for m in RAW) >= 4


def test_the_neighbour_median_uses_exactly_the_models_ten(data):
    group = P.neighbours(data, "840", "2025")
    assert group == _sn_codes("840") and len(group) == 10
    with (DFE / "New_Statistical_Neighbour_Groupings_April_2021.csv").open(encoding="utf-8-sig", newline="") as handle:
        row = next(r for r in csv.reader(handle) if r and r[0] == "840")
    assert P.neighbours(data, "840", "2021") == [row[5 + 2 * i] for i in range(10)]
    # A council outside the group with an extreme value does not move the median; a neighbour's does.
    b = P.benchmark(data, "840", "SW_CASELOAD", 2023)
    values = sorted(x for x in (hand_figures("SW_CASELOAD", c, 2023)["value"] for c in group) if x is not None)
    assert b["stat_neighbours_median"] == pytest.approx(statistics.median(values), abs=1e-9)
    assert b["stat_neighbours_with_value"] == len(values)


def test_2021_model_is_an_option(data):
    b = P.benchmark(data, "840", "REREFERRAL_PCT", 2023, model="2021")
    rows = {r["old_la_code"]: _float(r["Re_referrals_percent"]) for r in _raw_rows(RAW["REREFERRAL_PCT"][0], 2023)}
    values = [rows[c] for c in P.neighbours(data, "840", "2021") if rows.get(c) is not None]
    assert b["stat_neighbours_median"] == pytest.approx(statistics.median(values), abs=1e-9) and b["stat_neighbours_model"] == "2021"


def test_rank_ties_share_the_better_rank_and_context_has_none():
    values = pd.Series([5.0, 7.0, 7.0, 9.0, float("nan")])
    assert P.rank_values(values, "lower_is_better").tolist()[:4] == [1, 2, 2, 4]
    assert P.rank_values(values, "higher_is_better").tolist()[:4] == [4, 2, 2, 1]
    assert P.rank_values(values, "context").isna().all()


@pytest.mark.parametrize(
    ("rank", "of", "band"),
    [(1, 152, "A"), (38, 152, "A"), (39, 152, "B"), (76, 152, "B"), (77, 152, "C"), (114, 152, "C"), (115, 152, "D")],
)
def test_quartile_bands(rank, of, band):
    assert P.quartile_band(rank, of) == band
    assert P.quartile_band(None, of) is None


def _binomial_cdf(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(0, k + 1)) if k >= 0 else 0.0


def _poisson_cdf(k: int, mu: float) -> float:
    return sum(math.exp(-mu + i * math.log(mu) - math.lgamma(i + 1)) for i in range(0, k + 1)) if k >= 0 else 0.0


def _hand_limit(cdf, n: int, prob: float, scale: float) -> float:
    r = 0
    while cdf(r) < prob:
        r += 1
    alpha = (cdf(r) - prob) / (cdf(r) - cdf(r - 1))
    return max(0.0, (r - alpha) / n * scale)  # a limit below zero is zero


@pytest.mark.parametrize("prob", [0.001, 0.025, 0.975, 0.999])
@pytest.mark.parametrize("n", [20, 150, 600])
def test_binomial_limits_match_hand_summed_tails(n, prob):
    p = 0.224
    expected = _hand_limit(lambda k: _binomial_cdf(k, n, p), n, prob, 100)
    assert P.control_limit(22.4, n, prob, "binomial", "percent") == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("prob", [0.001, 0.025, 0.975, 0.999])
@pytest.mark.parametrize("population", [2500, 40000])
def test_poisson_limits_match_hand_summed_tails(population, prob):
    rate = 67.0  # per 10,000
    mu = rate / 10000 * population
    expected = _hand_limit(lambda k: _poisson_cdf(k, mu), population, prob, 10000)
    assert P.control_limit(rate, population, prob, "poisson", "rate_per_10k") == pytest.approx(expected, abs=1e-6)


def test_funnel_verdicts_in_words():
    limits = {
        k: P.control_limit(22.4, 1000, p, "binomial", "percent")
        for k, p in (("lo998", 0.001), ("lo95", 0.025), ("hi95", 0.975), ("hi998", 0.999))
    }
    assert limits["lo998"] < limits["lo95"] < 22.4 < limits["hi95"] < limits["hi998"]
    verdict = lambda v: P.funnel_verdict(v, 1000, 22.4, "binomial", "percent")["verdict"]  # noqa: E731
    assert verdict(22.4) == P.WITHIN
    assert verdict((limits["hi95"] + limits["hi998"]) / 2) == P.ABOVE
    assert verdict(limits["hi998"] + 0.5) == P.WELL_ABOVE
    assert verdict((limits["lo95"] + limits["lo998"]) / 2) == P.BELOW
    assert verdict(limits["lo998"] - 0.5) == P.WELL_BELOW
    assert P.funnel_verdict(40.0, 1000, 22.4, "binomial", "percent")["text"].startswith("Well above what chance would give")


def test_small_numbers_warning():
    assert P.small_numbers_warning(20.0, 10, 50, "percent") == (
        "Small numbers (10 children counted): one child more or fewer changes this figure by 2.0 percentage points."
    )
    assert P.small_numbers_warning(20.0, 200, 1000, "percent") is None
    assert P.small_numbers_warning(5.0, 8, 16000, "rate_per_10k") is not None  # 8 children: one child is 12% of the rate
    assert P.small_numbers_warning(400.0, 4000, 100000, "rate_per_10k") is None


def test_suppressed_values_stay_missing_with_their_reason(data):
    b = P.benchmark(data, "840", "CPP_2YEARS_PCT", 2025)  # 'c' in table D5
    assert b["value"] is None and b["reason"] == "c" and "suppressed" in b["reason_text"]
    assert b["rank"] is None and b["quartile"] is None and b["funnel"] is None


def test_boundary_changes(data):
    # Northamptonshire (928) ends in 2021; North Northamptonshire (940) starts in 2022 in the CIN files.
    assert P.latest_year(data, "928", "CIN_RATE") == 2021
    assert min(P.years(data, "CIN_RATE")) == 2013 and P.benchmark(data, "940", "CIN_RATE", 2021)["value"] is None
    assert P.benchmark(data, "940", "CIN_RATE", 2022)["value"] is not None
    # The workforce census reports North and West Northamptonshire together: both show the joint figure, ranked once.
    north, west = (P.benchmark(data, c, "SW_CASELOAD", 2023) for c in ("940", "941"))
    assert north["value"] == west["value"] is not None and "jointly" not in north["note"] and "together" in north["note"]
    table = P.all_councils(data, "SW_CASELOAD", 2023, "940")
    assert (table["area_code"] == "940 / 941").sum() == 1 and table.loc[table["chosen"], "area_code"].tolist() == ["940 / 941"]
    # Cumbria (909) is replaced by Cumberland (942) and Westmorland and Furness (943) from 2024 in table D5.
    assert P.benchmark(data, "909", "CPP_COUNT", 2024)["value"] is None
    assert P.benchmark(data, "942", "CPP_COUNT", 2024)["value"] is not None
    assert P.resolve_council("Cumbria", data) == "909"


@pytest.mark.parametrize(
    ("text", "code"),
    [("840", "840"), ("Durham County Council", "840"), ("county durham", "840"), ("London Borough of Camden", "202"), ("Rutland", "857")],
)
def test_resolve_council(data, text, code):
    assert P.resolve_council(text, data) == code


def test_unknown_or_blank_council(data):
    assert P.resolve_council("Atlantis", data) is None and P.resolve_council("", data) is None and P.resolve_council(None, data) is None


def test_choose_council_order(data, monkeypatch):
    monkeypatch.setenv(P.COUNCIL_ENV, "Camden")
    assert P.choose_council(data, None, {}) == "202"
    assert P.choose_council(data, None, {"organisation": "Durham County Council"}) == "840"
    assert P.choose_council(data, None, {"organisation": "A charity", "council": "857"}) == "857"
    assert P.choose_council(data, "Rutland", {"organisation": "Durham County Council"}) == "857"


def test_all_councils_view(data):
    table = P.all_councils(data, "REREFERRAL_PCT", 2023, "202")
    assert table["chosen"].sum() == 1 and table["neighbour"].sum() == 10
    ranked = table.dropna(subset=["value"])
    assert ranked["value"].is_monotonic_increasing and ranked["rank"].iloc[0] == 1


def test_trend_and_direction(data):
    trend = P.trend(data, "840", "CIN_RATE")
    assert trend["year"].tolist() == list(range(2013, 2024))
    assert P.direction(10, 12, "lower_is_better") == "improving" and P.direction(10, 12, "context") == "falling"
    assert P.direction(12, 12, "context") == "no change" and P.direction(None, 12, "context") is None


def test_json_record_is_plain_json(data):
    import json

    records = P.key_figures(data, "840")
    text = json.dumps(records)
    keys = {"kpi_id", "kpi", "period", "value", "unit", "polarity", "england", "region", "stat_neighbours_median"}
    keys |= {"stat_neighbours_mean", "rank", "of", "quartile", "source", "funnel_verdict"}
    assert keys <= set(records[0]) and "NaN" not in text


# Where the DfE file beside the extract is a later release than the one the extract took (revised figures).
REVISED = {
    ("CLA_COUNT", 2021, "england"),
    ("CLA_COUNT", 2022, "england"),
    ("CLA_COUNT", 2023, "value"),
    ("CLA_COUNT", 2023, "england"),
    ("CLA_RATE", 2023, "england"),
    ("SW_AGENCY_PCT", 2023, "england"),
    ("SW_TURNOVER_PCT", 2022, "england"),
}


def test_durham_workbook_values_are_the_published_ones(data):
    """The embedded workbook's DfE values for Durham and England are the published data's (same period), apart
    from the listed revisions between DfE releases."""
    from src.analysis.performance_workbook import read_performance_file

    perf = read_performance_file(ROOT / "data" / "performance.xlsx")
    checked, differ = 0, set()
    for row in perf.kpi_values.itertuples(index=False):
        if row.kpi_id not in data.measure_ids or pd.isna(row.value):
            continue
        period = pd.Timestamp(row.period)
        if period.strftime("%m-%d") != data.measure(row.kpi_id)["period_end"]:
            continue  # the inspection's baselines (22 Feb 2016) are not DfE figures
        if period.year not in P.years(data, row.kpi_id) or str(row.source).startswith("Ofsted"):
            continue  # the children looked after file starts in 2021; 2015 is the inspection report's figure
        b = P.benchmark(data, "840", row.kpi_id, period.year)
        for key, workbook in (("value", row.value), ("england", row.england)):
            if not pd.isna(workbook) and b[key] != pytest.approx(float(workbook)):
                differ.add((row.kpi_id, period.year, key))
        checked += 1
    assert checked >= 60
    assert differ == REVISED


def test_build_check_passes_on_the_committed_files():
    result = subprocess.run([sys.executable, "scripts/build_published_data.py", "--check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (ROOT / "data" / P.VALUES_FILE).stat().st_size < 3_000_000


def test_build_check_fails_on_a_changed_file(tmp_path):
    for name in (P.VALUES_FILE, P.DEFINITIONS_FILE, P.NEIGHBOURS_FILE):
        (tmp_path / name).write_bytes((ROOT / "data" / name).read_bytes())
    (tmp_path / P.NEIGHBOURS_FILE).write_text("changed\n")
    result = subprocess.run(
        [sys.executable, "scripts/build_published_data.py", "--check", "--out-dir", str(tmp_path)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 1 and P.NEIGHBOURS_FILE in result.stderr


def test_context_polarity_in_workbook_kpis():
    """indicators.md, KPI status: polarity `context` gives rising / falling / no change and never a RAG."""
    from src.analysis.kpi import direction_of_travel, rag
    from src.analysis.performance_workbook import _POLARITY_WORDS
    from src.analysis.scorecard_words import direction_text

    got = direction_of_travel(
        pd.Series([5.0, 3.0, 4.0, 4.0, 1.0]), pd.Series([4.0, 4.0, 4.0, None, 2.0]), pd.Series(["context"] * 4 + ["lower_is_better"])
    )
    assert got.tolist() == ["rising", "falling", "no change", None, "improving"]
    assert rag(5.0, 4.0, 0.0, "context") is None
    assert direction_text("rising", "context") == "↑ rising" and direction_text("falling", "context") == "↓ falling"
    assert _POLARITY_WORDS["context"] == "context"


def test_published_table_words():
    from src.analysis.scorecard import local_workforce_figures
    from src.analysis.scorecard_words import published_table

    data = P.load_published()
    records = P.council_measures(data, "840", pd.Timestamp("2017-12-31"))
    head = {"month": pd.Timestamp("2017-12-31"), "average": 18.84, "agency_rate": 0.15, "vacancy_rate": None, "turnover_rate": None}
    table = published_table(records, local_workforce_figures(head, illustrative=True)).set_index("kpi_id")
    assert (
        table.loc["SW_CASELOAD", "Local figure"]
        == "18.8, illustrative (local: Dec 2017; published and statistical neighbours: 30 Sep 2017)"
    )
    assert table.loc["SW_AGENCY_PCT", "Local figure"].startswith("15%") and table.loc["SW_VACANCY_PCT", "Local figure"] == ""
    assert table.loc["CPP_2YEARS_PCT", "Value"].startswith("suppressed (c)")
    assert table.loc["CIN_RATE", "Rank (1 = best)"] == "not ranked: context measure"
    reref = P.benchmark(data, "840", "REREFERRAL_PCT", 2017)
    assert table.loc["REREFERRAL_PCT", "Rank (1 = best)"] == f"{reref['rank']} of {reref['of']}"

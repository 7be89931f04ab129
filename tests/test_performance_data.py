"""The committed data/performance.xlsx: published figures match their source, the
illustrative sheets are calibrated to published aggregates, and the build is
deterministic. Tolerances are stated beside each check; the conflicts between
published aggregates are documented in docs/data-log.md ("Performance workbook")."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from src.analysis import caseload as c
from src.paths import shared_reference

ROOT = Path(__file__).resolve().parents[1]
WORKBOOK = ROOT / "data" / "performance.xlsx"
SCRIPT = ROOT / "scripts" / "build_performance_workbook.py"
EXTRACT = shared_reference() / "durham_official_stats_extract.csv"


def _lower(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame.columns = [str(col).strip().lower().replace(" ", "_").replace("-", "_") for col in frame.columns]
    return frame


@pytest.fixture(scope="module")
def book() -> dict[str, pd.DataFrame]:
    sheets = pd.read_excel(WORKBOOK, sheet_name=None, engine="calamine")
    out = {name: _lower(frame) for name, frame in sheets.items()}
    for name in ("KPI_Values", "Caseloads", "Workforce"):
        out[name]["period"] = pd.to_datetime(out[name]["period"])
    return out


def test_sheets_and_contract_columns(book):
    assert list(book) == ["About", "KPIs", "KPI_Values", "Caseloads", "Workforce"]
    required = {
        "KPIs": {"kpi_id", "kpi", "unit", "polarity", "target", "tolerance", "rec_ids", "definition", "source"},
        "KPI_Values": {"kpi_id", "period", "value", "stat_neighbours", "england", "north_east", "source"},
        "Caseloads": {"period", "team", "locality", "worker_id", "role", "fte", "cases", "agency"},
        "Workforce": {"period", "team", "establishment_fte", "filled_fte", "agency_fte", "starters", "leavers"},
    }
    for sheet, cols in required.items():
        assert cols <= set(book[sheet].columns), sheet
    kpis = book["KPIs"]
    assert kpis["kpi_id"].is_unique
    assert set(kpis["unit"]) <= {"percent", "count", "rate_per_10k", "days", "ratio", "number"}
    assert set(kpis["polarity"]) <= {"higher_is_better", "lower_is_better"}
    assert set(book["KPI_Values"]["kpi_id"]) <= set(kpis["kpi_id"])


def test_about_says_which_sheets_are_published_and_illustrative(book):
    about = dict(zip(book["About"]["key"], book["About"]["value"]))
    assert "illustrative" in about["data_status"].lower()
    assert about["published_sheets"] == "KPIs, KPI_Values"
    assert about["illustrative_sheets"] == "Caseloads, Workforce"
    assert about["organisation"] == "Durham County Council"


def _value(book, kpi_id, period, column="value"):
    v = book["KPI_Values"]
    row = v[(v["kpi_id"] == kpi_id) & (v["period"] == pd.Timestamp(period))]
    assert len(row) == 1, (kpi_id, period)
    return row[column].iloc[0]


def _extract(indicator, year, area="County Durham"):
    e = pd.read_csv(EXTRACT, dtype=str, keep_default_na=False)
    return e[(e["indicator"] == indicator) & (e["year"] == str(year)) & (e["area"] == area)]["value"].iloc[0]


@pytest.mark.parametrize(
    "kpi_id, indicator, year, period, area, column",
    [
        ("SW_CASELOAD", "csww_caseload_fte", 2017, "2017-09-30", "County Durham", "value"),
        ("SW_AGENCY_PCT", "csww_agency_rate_fte", 2017, "2017-09-30", "County Durham", "value"),
        ("SW_VACANCY_PCT", "csww_vacancy_rate_fte", 2017, "2017-09-30", "County Durham", "value"),
        ("SW_VACANCY_PCT", "csww_vacancy_rate_fte", 2017, "2017-09-30", "Durham SN median (2025 SN model)", "stat_neighbours"),
        ("REREFERRAL_PCT", "referrals_re_referrals_percent", 2016, "2016-03-31", "County Durham", "value"),
        ("REREFERRAL_PCT", "referrals_re_referrals_percent", 2016, "2016-03-31", "England", "england"),
        ("CIN_RATE", "cin_rate_per_10k_at_31_march", 2017, "2017-03-31", "North East", "north_east"),
        ("CPP_REPEAT_PCT", "cpp_second_or_subsequent_percent", 2017, "2017-03-31", "County Durham", "value"),
        ("CPP_RATE", "cpp_rate_per_10k_DERIVED", 2016, "2016-03-31", "County Durham", "value"),
        ("CLA_RATE", "cla_rate_per_10k", 2021, "2021-03-31", "Durham SN median (2025 SN model)", "stat_neighbours"),
        ("SW_FTE", "csww_inpost_fte", 2017, "2017-09-30", "County Durham", "value"),
    ],
)
def test_published_values_equal_the_source(book, kpi_id, indicator, year, period, area, column):
    assert _value(book, kpi_id, period, column) == pytest.approx(float(_extract(indicator, year, area)))


def test_suppressed_values_are_blank_not_zero(book):
    assert _extract("cin_rate_per_10k_at_31_march", 2013) == "x"
    assert pd.isna(_value(book, "CIN_RATE", "2013-03-31"))
    assert _value(book, "CIN_RATE", "2013-03-31", "england") == pytest.approx(330.9)


def test_inspection_baseline_facts(book):
    assert _value(book, "STAYING_PUT", "2016-02-22") == 11
    assert _value(book, "PRIVATE_FOSTERING", "2016-03-01") == 8
    assert _value(book, "IV_RECEIVING", "2016-02-22") == 6
    assert _value(book, "IV_WAITING", "2016-02-22") == 2
    assert _value(book, "CLA_HEALTH_ASSESSMENT_PCT", "2016-03-31") == 86
    assert _value(book, "CLA_HEALTH_ASSESSMENT_PCT", "2016-03-31", "stat_neighbours") == 96
    assert _value(book, "CLA_HEALTH_ASSESSMENT_PCT", "2016-03-31", "england") == 90
    assert _value(book, "CLA_COUNT", "2016-02-22") == 665
    assert _value(book, "CLA_RATE", "2016-02-22") == 66
    assert _value(book, "CPP_COUNT", "2016-02-22") == 373
    assert "16 May 2016" in _value(book, "STAYING_PUT", "2016-02-22", "source")


def test_targets_only_where_set(book):
    kpis = book["KPIs"].set_index("kpi_id")
    assert kpis["target"].notna().sum() == 1
    assert kpis.loc["SW_CASELOAD", "target"] == 20
    assert kpis.loc["SW_CASELOAD", "polarity"] == "lower_is_better"
    assert "DERIVED" in kpis.loc["CPP_RATE", "definition"] and "DERIVED" in kpis.loc["CPP_RATE", "source"]
    for kpi_id in ("SW_CASELOAD", "SW_AGENCY_PCT", "SW_VACANCY_PCT", "SW_TURNOVER_PCT", "SW_FTE"):
        assert kpis.loc[kpi_id, "rec_ids"] == "1" or str(kpis.loc[kpi_id, "rec_ids"]) == "1"


# ---- calibration of the illustrative sheets (computed with src.analysis.caseload) ----


def test_caseloads_shape_and_rules(book):
    cl = book["Caseloads"]
    assert cl["period"].min() == pd.Timestamp("2016-06-30") and cl["period"].max() == pd.Timestamp("2017-12-31")
    assert ((cl["fte"] > 0) & (cl["fte"] <= 1)).all()
    assert set(cl["agency"]) == {"Y", "N"}
    assert set(cl["role"]) == {"Social Worker", "ASYE", "Senior Practitioner", "Consultant Social Worker", "Team Manager"}
    assert cl["worker_id"].str.fullmatch(r"SW\d{4}").all()
    assert not cl.duplicated(["period", "worker_id"]).any()
    assert (cl["cases"] == 0).sum() >= 3  # workers on leave, left out of averages
    assert ((cl["fte"] < 1) & (cl["fte"] >= 0.5)).any()
    # the new East team starts in October 2016
    east2 = cl[cl["team"] == "Families First East (new team)"]
    assert east2["period"].min() == pd.Timestamp("2016-10-31")
    # ASYE cohort of 12 from September 2016, Social Workers after their year
    asye = cl[cl["role"] == "ASYE"]
    assert asye["period"].min() == pd.Timestamp("2016-09-30")
    assert asye.loc[asye["period"] == "2016-09-30", "worker_id"].nunique() == 12
    assert asye["period"].max() < pd.Timestamp("2017-09-30")
    assert len(c.asye_over_threshold(cl)) <= 2  # protected caseloads, with at most a documented breach


def test_calibration_sept_2017_census(book):
    s = c.caseload_summary(book["Caseloads"]).set_index("period").loc["2017-09-30"]
    assert s["average_caseload"] == pytest.approx(18.8, abs=0.5)  # published 18.8
    assert s["fte"] == pytest.approx(170.4, abs=5)  # published 170.4 FTE case holders
    assert s["cases"] == pytest.approx(3203, abs=100)  # published 3,203 cases
    wf = book["Workforce"]
    agency = c.agency_rate(wf).set_index("period").loc["2017-09-30", "agency_rate"]
    vacancy = c.vacancy_rate(wf).set_index("period").loc["2017-09-30", "vacancy_rate"]
    assert agency == pytest.approx(0.160, abs=0.015)  # published 16.0%
    assert vacancy == pytest.approx(0.143, abs=0.015)  # published 14.3%


def test_calibration_vacancies_2016_17(book):
    vac = c.vacancy_rate(book["Workforce"]).set_index("period")["vacancy_fte"]
    nov_apr = vac.loc["2016-11-30":"2017-04-30"]
    assert ((nov_apr > 35 - 5) & (nov_apr < 35 + 5)).all()  # about 35 (FTE) Nov 2016 - Apr 2017
    assert vac.loc["2017-05-31"] == pytest.approx(28, abs=3)  # 28 in May 2017


def test_calibration_caseload_distribution(book):
    cl = book["Caseloads"]
    over30 = c.share_in_band(cl, 30).set_index("period")["share"]
    over20 = c.share_in_band(cl, 20).set_index("period")["share"]
    band = c.share_in_band(cl, 20, 24, inclusive="both").set_index("period")["share"]
    assert over30.loc["2016-06-30"] == pytest.approx(0.17, abs=0.05)  # 17% above 30 at the inspection
    assert over30.loc["2017-06-30"] == pytest.approx(0.06, abs=0.03)  # 6% in mid-2017
    assert band.loc["2017-06-30"] == pytest.approx(0.32, abs=0.05)  # 32% held 20-24
    # Published 57% above 20 cannot hold together with an average of 18.8 (docs/data-log.md): we keep the
    # average and accept a lower share, but still well over a third.
    assert 0.38 <= over20.loc["2017-06-30"] <= 0.60
    s = c.caseload_summary(cl).set_index("period")["cases"]
    assert s.loc["2017-06-30"] - s.loc["2016-06-30"] == pytest.approx(383, abs=60)  # open cases +383


def test_workforce_consistent_with_caseloads(book):
    cl, wf = book["Caseloads"], book["Workforce"]
    from_cl = cl.groupby(["period", "team"])["fte"].sum().round(1)
    merged = wf.set_index(["period", "team"])["filled_fte"]
    assert (merged.reindex(from_cl.index) - from_cl).abs().max() < 0.051
    ag = c.agency_rate(caseloads=cl).set_index("period")["agency_rate"]
    ag_wf = c.agency_rate(wf).set_index("period")["agency_rate"]
    assert (ag - ag_wf).abs().max() < 0.01
    turnover = c.turnover_rolling(wf).set_index("period")["turnover_rate"].loc["2017-09-30"]
    assert 0.08 <= turnover <= 0.20  # DfE 11.5% (permanent staff only); ours counts agency leavers too


def test_build_is_deterministic_and_committed(tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for out in (first, second):
        subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, cwd=ROOT, capture_output=True)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == WORKBOOK.read_bytes()
    check = subprocess.run([sys.executable, str(SCRIPT), "--check"], cwd=ROOT, capture_output=True)
    assert check.returncode == 0
    stale = tmp_path / "stale.xlsx"
    stale.write_bytes(b"not this")
    assert subprocess.run([sys.executable, str(SCRIPT), "--check", "--out", str(stale)], cwd=ROOT, capture_output=True).returncode == 1

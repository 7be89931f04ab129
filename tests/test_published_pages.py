"""Published figures on the pages and in the CLI for any council, with no performance workbook (AppTest), and
with Durham's embedded workbook the same published values as the scorecard showed before."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from src.analysis import published as P
from tests.apptest_helpers import run_page, use_embedded_workbooks  # noqa: F401 (an autouse fixture)
from tests.fixtures_other_council import other_council_plan_bytes
from tests.test_published import hand_figures

ROOT = Path(__file__).resolve().parents[1]
SCORECARD, CASELOADS, BENCHMARKS = (str(ROOT / "pages" / p) for p in ("8_scorecard.py", "7_caseloads.py", "14_benchmarks.py"))


@pytest.fixture(autouse=True)
def no_council_env(monkeypatch):
    monkeypatch.delenv(P.COUNCIL_ENV, raising=False)


@pytest.fixture
def no_workbook(tmp_path, monkeypatch):
    """Another council's plan (Northshire, reporting date 30 Jun 2017) and no performance workbook."""
    plan = tmp_path / "plan.xlsx"
    plan.write_bytes(other_council_plan_bytes())
    monkeypatch.setenv("DASHBOARD_PLAN", str(plan))
    return plan


def _published(at: AppTest):
    return next(df.value for df in at.dataframe if {"Measure", "Statistical neighbours (median)"} <= set(df.value.columns)).set_index(
        "Measure"
    )


def test_scorecard_fills_itself_for_any_council(no_workbook, monkeypatch):
    monkeypatch.setenv(P.COUNCIL_ENV, "Camden")
    at = run_page(SCORECARD)
    assert not at.exception
    assert any("No performance workbook with KPIs" in i.value for i in at.info)
    table = _published(at)
    # At 30 Jun 2017 the latest re-referral figure is 2016-17; worked out from the raw C1 file.
    want = hand_figures("REREFERRAL_PCT", "202", 2017)
    row = table.loc["Re-referrals within 12 months (%)"]
    assert row["Period"] == "2016-17"
    assert row["Value"] == f"{want['value']:.1f}%" and row["England"] == f"{want['england']:.1f}%"
    assert row["Rank (1 = best)"] == f"{want['rank']} of {want['of']}" and row["Quartile (A = best)"] == want["quartile"]
    assert row["Region"] == f"London: {want['region']:.1f}%"
    assert table.loc["Children in need per 10,000 children (31 March)", "Rank (1 = best)"] == "not ranked: context measure"


@pytest.fixture
def durham_plan_only(monkeypatch):
    """Durham's plan named by the environment (reporting date 31 Dec 2017): no performance workbook is paired with it."""
    monkeypatch.setenv("DASHBOARD_PLAN", str(ROOT / "data" / "improvement_plan.xlsx"))


def test_caseload_page_shows_published_workforce_for_a_council_with_no_workbook(durham_plan_only):
    at = run_page(CASELOADS, council="857")  # Rutland, by LA code in the query string
    assert not at.exception
    table = _published(at)
    assert set(table.index) == {
        "Children and family social workers in post (FTE)",
        "Agency social worker rate (%)",
        "Social worker vacancy rate (%)",
        "Social worker turnover rate (%)",
        "Average caseload per FTE case-holding social worker",
    }
    # The census at 30 Sep 2017 is the latest on or before 31 Dec 2017.
    want = hand_figures("SW_CASELOAD", "857", 2017)
    assert table.loc["Average caseload per FTE case-holding social worker", "Value"] == f"{want['value']:.1f}".removesuffix(".0")


def test_no_council_and_no_workbook_still_says_so(no_workbook):
    at = run_page(SCORECARD)
    assert not at.exception and any("No performance workbook is loaded" in i.value for i in at.info)


def test_durham_scorecard_keeps_its_values_and_adds_the_published_ones():
    at = run_page(SCORECARD)
    assert not at.exception
    workbook = next(df.value for df in at.dataframe if "Latest value" in df.value.columns).set_index("KPI")
    table = _published(at)
    # The embedded plan names Durham County Council, so its published figures are chosen without asking.
    assert any(h.value == "Published figures for County Durham against England, the region and statistical neighbours" for h in at.header)
    pairs = {
        "Re-referrals within 12 months (%)": "Re-referrals within 12 months (%)",
        "Average caseload per FTE case-holding social worker": "Average caseload per FTE case-holding social worker",
        "Agency social worker rate (%)": "Agency social worker rate (%)",
        "Children in need per 10,000 children (31 March)": "Children in need per 10,000 children (31 March)",
    }
    for kpi, measure in pairs.items():
        assert workbook.loc[kpi, "Latest value"].replace(" per 10,000", "") == table.loc[measure, "Value"].replace(" per 10,000", "")
    local = table.loc["Average caseload per FTE case-holding social worker", "Local figure"]
    assert "local: Dec 2017; published and statistical neighbours: 30 Sep 2017" in local and "illustrative" in local


def test_benchmarks_page_for_another_council_with_toggle(no_workbook, monkeypatch):
    monkeypatch.setenv(P.COUNCIL_ENV, "Rutland")
    at = run_page(BENCHMARKS)
    assert not at.exception
    assert len(at.get("plotly_chart")) == 3  # trend, every council, funnel (children in need has a funnel)
    assert any("Rutland" in h.value for h in at.header)
    at.get("button_group")[0].set_value("Table").run()  # the trend as a table
    assert not at.exception and len(at.get("plotly_chart")) == 2


def test_benchmarks_page_without_a_council(no_workbook):
    at = run_page(BENCHMARKS)
    assert not at.exception and any("Choose a council" in i.value for i in at.info)


def test_sidebar_picker_changes_the_council(no_workbook):
    at = run_page(BENCHMARKS)
    picker = next(s for s in at.sidebar.selectbox if s.label == "Council (published figures)")
    picker.set_value("840").run()
    assert not at.exception and any(h.value == "County Durham: published figures" for h in at.header)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "src.cli", "summary", *args], cwd=ROOT, capture_output=True, text=True)


KEYS = {"kpi_id", "kpi", "period", "value", "unit", "polarity", "england", "region", "stat_neighbours_median", "stat_neighbours_mean"}
KEYS |= {"rank", "of", "quartile", "source", "funnel_verdict"}


def test_cli_council_json(no_workbook):
    result = _cli("--council", "Rutland", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["council"]["code"] == "857"
    kpis = {k["kpi_id"]: k for k in summary["kpis"]}
    assert all(KEYS <= set(k) for k in kpis.values())
    want = hand_figures("CPP_REPEAT_PCT", "857", 2017)
    got = kpis["CPP_REPEAT_PCT"]
    assert (got["value"], got["england"], got["rank"], got["of"], got["quartile"]) == (
        want["value"],
        want["england"],
        want["rank"],
        want["of"],
        want["quartile"],
    )


def test_cli_durham_workbook_kpis_carry_the_published_keys():
    summary = json.loads(_cli("--json").stdout)
    assert summary["council"]["name"] == "County Durham"
    reref = next(k for k in summary["kpis"] if k["kpi_id"] == "REREFERRAL_PCT")
    assert KEYS <= set(reref) and reref["origin"] == "workbook"
    want = hand_figures("REREFERRAL_PCT", "840", 2017)
    assert reref["value"] == want["value"] and reref["rank"] == want["rank"] and reref["quartile"] == want["quartile"]


def test_cli_unknown_council_is_a_usage_error():
    result = _cli("--council", "Atlantis")
    assert result.returncode == 2 and "not a council with published figures" in result.stderr

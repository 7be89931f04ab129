"""The Caseloads and workforce page and the Performance scorecard run on the embedded data and on a
differently written performance workbook; their headline figures equal the CLI summary's `caseload`; the
scorecard's published values match the official statistics extract; with no performance workbook they say so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from src.analysis.scorecard import rate_text
from src.paths import shared_reference
from src.xlsx import build_workbook, workbook_bytes
from tests.apptest_helpers import metrics, run_page, use_embedded_workbooks  # noqa: F401 (an autouse fixture)
from tests.fixtures_other_council import other_council_plan_bytes

ROOT = Path(__file__).resolve().parents[1]
CASELOADS = str(ROOT / "pages" / "7_caseloads.py")
SCORECARD = str(ROOT / "pages" / "8_scorecard.py")
OVERVIEW = str(ROOT / "pages" / "1_overview.py")
REFERENCE = shared_reference() / "durham_official_stats_extract.csv"
TIMEOUT = 30


def run(page: str) -> AppTest:
    at = run_page(page, TIMEOUT)
    assert not at.exception, [e.value for e in at.exception]
    return at


def cli_summary(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "src.cli", "summary", "--json", *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def northshire_performance_bytes() -> bytes:
    """Another council's performance workbook: title rows above the headers, header aliases
    ("Worker code", "Caseload", "Month", "Indicator"), no Workforce sheet (agency from Caseloads)."""
    d = pd.Timestamp
    kpis = pd.DataFrame(
        {
            "Code": ["CASELOAD", "REREF"],
            "Indicator": ["Average caseload", "Re-referrals (%)"],
            "Unit": ["ratio", "%"],
            "Direction": ["lower", "lower"],
            "Target": [18.0, None],
            "Recommendations": ["2", "1, 3"],
        }
    )
    values = pd.DataFrame(
        {
            "Code": ["CASELOAD", "CASELOAD", "REREF", "REREF"],
            "Date": [d("2017-03-31"), d("2017-09-30"), d("2016-03-31"), d("2017-03-31")],
            "Value": [19.5, 17.0, 24.0, 21.0],
            "National": [17.7, 17.7, 22.3, 21.9],
        }
    )
    rows = []
    for month, extra in (("2017-05-15", 0), ("2017-06-20", 4), ("2017-07-10", 2)):
        for i, (team, fte, cases, role, agency) in enumerate(
            [
                ("Alpha", 1.0, 18, "Social Worker", "No"),
                ("Alpha", 0.8, 20, "Social Worker", "Yes"),
                ("Beta", 1.0, 12, "ASYE", "No"),
                ("Beta", 1.0, 25, "Senior Practitioner", "No"),
            ]
        ):
            rows.append((d(month), team, f"NS{i:03d}", role, fte, cases + (extra if i == 1 else 0), agency))
    caseloads = pd.DataFrame(rows, columns=["Month", "Team", "Worker code", "Post", "FTE", "Caseload", "Agency worker"])
    about = pd.DataFrame({"Key": ["Organisation", "Data status"], "Value": ["Northshire County Council", "reported"]})
    sheets = {"About": about, "Indicators": kpis, "KPI data": values, "Caseload": caseloads}
    title = {"Caseload": ["Northshire County Council", "Caseloads at month end"], "Indicators": ["Scorecard indicators"]}
    return workbook_bytes(build_workbook(sheets, title_rows=title))


@pytest.fixture
def northshire(tmp_path, monkeypatch) -> tuple[Path, Path]:
    plan, perf = tmp_path / "northshire_plan.xlsx", tmp_path / "northshire_performance.xlsx"
    plan.write_bytes(other_council_plan_bytes())
    perf.write_bytes(northshire_performance_bytes())
    monkeypatch.setenv("DASHBOARD_PLAN", str(plan))
    monkeypatch.setenv("DASHBOARD_PERFORMANCE", str(perf))
    return plan, perf


class TestCaseloadsPage:
    def test_embedded_headline_equals_the_cli_summary(self):
        at = run(CASELOADS)
        caseload = cli_summary()["caseload"]
        shown = metrics(at)
        assert shown["Average caseload"] == f"{caseload['average']:.1f}"
        assert shown["Above threshold"] == rate_text(caseload["over_threshold_share"])
        assert shown["Case holders"] == str(caseload["workers"])
        # one notice for all illustrative data (issue 14): the plan's progress and the generated caseload and workforce figures
        notices = [w.value for w in at.warning if "Illustrative figures" in w.value]
        assert len(notices) == 1 and "the caseloads and workforce figures are generated" in notices[0]
        assert not any("ILLUSTRATIVE" in w.value for w in at.warning)
        assert len(at.get("plotly_chart")) >= 5
        assert any("None: no ASYE" in s.value for s in at.success)

    def test_an_earlier_month_finds_the_documented_asye_breach(self):
        # The month follows the sidebar's reporting date (issue 14): pick 28 Feb 2017 there.
        at = AppTest.from_file(CASELOADS, default_timeout=TIMEOUT)
        at.query_params["as_at"] = "2017-02-28"
        at.run()
        assert not at.exception
        assert any(m.value == "**Month:** 28 Feb 2017" for m in at.markdown)
        assert any(" ASYE worker" in e.value and "held more than" in e.value for e in at.error)

    def test_another_councils_workbook_with_no_workforce_sheet(self, northshire):
        plan, perf = northshire
        at = run(CASELOADS)
        caseload = cli_summary("--plan", str(plan), "--performance", str(perf))["caseload"]
        shown = metrics(at)
        assert shown["Average caseload"] == f"{caseload['average']:.1f}"
        assert shown["Above threshold"] == rate_text(caseload["over_threshold_share"])
        assert "Agency rate (from Caseloads)" in shown
        assert shown["Vacancy rate"] == "not known"  # plain words, never "n/a" (wording.MISSING)
        assert any("no Workforce sheet" in i.value for i in at.info)

    def test_no_performance_workbook_says_so(self, tmp_path, monkeypatch):
        plan = tmp_path / "plan.xlsx"
        plan.write_bytes(other_council_plan_bytes())
        monkeypatch.setenv("DASHBOARD_PLAN", str(plan))
        at = run(CASELOADS)
        assert any("No performance workbook is loaded" in i.value and "sidebar" in i.value for i in at.info)
        assert not at.get("plotly_chart")


def reference_value(indicator: str, year: int) -> float:
    ref = pd.read_csv(REFERENCE, dtype=str)
    row = ref[(ref["indicator"] == indicator) & (ref["year"] == str(year)) & (ref["area"] == "County Durham")]
    return float(row["value"].iloc[0])


class TestScorecard:
    def table(self, at: AppTest) -> pd.DataFrame:
        return next(df.value for df in at.dataframe if "Latest value" in df.value.columns)

    def test_published_values_match_the_official_extract(self):
        at = run(SCORECARD)
        table = self.table(at).set_index("KPI")
        # At 31 Dec 2017 the latest re-referral figure is the year to 31 Mar 2017; the caseload census is 30 Sep 2017.
        reref = table.loc["Re-referrals within 12 months (%)"]
        assert reref["Period"] == "31 Mar 2017"
        assert reref["Latest value"] == f"{reference_value('referrals_re_referrals_percent', 2017):g}%"
        caseload = table.loc["Average caseload per FTE case-holding social worker"]
        assert caseload["Period"] == "30 Sep 2017"
        assert caseload["Latest value"] == f"{reference_value('csww_caseload_fte', 2017):g}"
        assert caseload["RAG"] == "Green" and caseload["Target"] == "20"
        assert [s.value for s in at.success if "Published figures" in s.value] == [
            "**Published figures:** the KPI values are published statistics; their sources are listed under the scorecard."
        ]
        assert any("Open Government Licence" in c.value for c in at.caption)  # the workbook's attribution, in full, under the sources
        assert len(at.get("plotly_chart")) == 2

    def test_another_councils_workbook(self, northshire):
        at = run(SCORECARD)
        table = self.table(at).set_index("KPI")
        # Reporting date 30 Jun 2017: the 30 Sep 2017 caseload is not yet known.
        assert table.loc["Average caseload", "Latest value"] == "19.5"
        assert table.loc["Average caseload", "RAG"] == "Red"
        assert table.loc["Re-referrals (%)", "Direction of travel"].startswith("↓ improving (down ")

    def test_no_performance_workbook_says_so(self, tmp_path, monkeypatch):
        plan = tmp_path / "plan.xlsx"
        plan.write_bytes(other_council_plan_bytes())
        monkeypatch.setenv("DASHBOARD_PLAN", str(plan))
        at = run(SCORECARD)
        assert any("No performance workbook is loaded" in i.value for i in at.info)


def test_overview_caseload_row_equals_the_cli_summary():
    at = run(OVERVIEW)
    caseload = cli_summary()["caseload"]
    shown = metrics(at)
    assert shown["Average caseload"] == f"{caseload['average']:.1f}"
    assert shown["Above threshold"] == rate_text(caseload["over_threshold_share"])
    assert any("ILLUSTRATIVE" in c.value for c in at.caption)


def test_caseload_trends_stop_at_the_chosen_month():
    at = run_page(CASELOADS, 30, as_at="2017-03-31")
    assert not at.exception
    titles = [h.value for h in at.header]
    assert any(t.endswith("at 31 Mar 2017") and "teams averaged" in t for t in titles), titles
    assert not any("Dec 2017" in t for t in titles), titles


def test_up_to_keeps_periods_on_or_before_the_month():
    import pandas as pd

    from src.analysis.scorecard import up_to

    frame = pd.DataFrame({"period": pd.to_datetime(["2017-02-28", "2017-03-31", "2017-04-30"]), "team": ["A", "A", "A"]})
    assert up_to(frame, pd.Timestamp("2017-03-31"))["period"].dt.month.tolist() == [2, 3]
    assert up_to(None, pd.Timestamp("2017-03-31")) is None

"""Caseload, workforce and KPI charts: headline titles, plain axis titles, threshold lines, descriptions
whose numbers are worked out by hand from tiny frames, and empty input that draws an empty chart."""

from __future__ import annotations

import pandas as pd
import pytest

from src.analysis.caseload import caseload_summary
from src.analysis.scorecard import workers_in_month
from src.analysis.scorecard_words import format_value, status_grid
from src.charts import performance as pc

D = pd.Timestamp


def caseloads() -> pd.DataFrame:
    """Two teams, two months. May: A 10+30 cases on 2 FTE (20.0), B 12 on 0.5 FTE (24.0).
    June: A 10+22 on 2 FTE (16.0), B an ASYE with 16 cases on 1 FTE (above 15), a worker on leave with 0."""
    rows = [
        ("2017-05-31", "A", "North", "W1", "Social Worker", 1.0, 10, "N"),
        ("2017-05-31", "A", "North", "W2", "Social Worker", 1.0, 30, "Y"),
        ("2017-05-31", "B", "South", "W3", "Social Worker", 0.5, 12, "N"),
        ("2017-06-30", "A", "North", "W1", "Social Worker", 1.0, 10, "N"),
        ("2017-06-30", "A", "North", "W2", "Social Worker", 1.0, 22, "Y"),
        ("2017-06-30", "B", "South", "W4", "ASYE", 1.0, 16, "N"),
        ("2017-06-30", "B", "South", "W5", "Social Worker", 1.0, 0, "N"),
    ]
    frame = pd.DataFrame(rows, columns=["period", "team", "locality", "worker_id", "role", "fte", "cases", "agency"])
    frame["period"] = pd.to_datetime(frame["period"])
    return frame


def axis_titles(chart) -> tuple[str, str]:
    layout = chart.figure.layout
    return layout.xaxis.title.text, layout.yaxis.title.text


def shape_values(chart, kind: str) -> list[float]:
    return [s[kind + "0"] for s in chart.figure.layout.shapes]


class TestCaseloadTrend:
    def test_team_lines_threshold_and_words(self):
        chart = pc.caseload_trend(caseload_summary(caseloads(), "team"), threshold=20)
        # June: A (10 + 22) / 2 FTE = 16.0, B 16 / 1 FTE = 16.0 (W5 has no cases); May: A 20.0, B 24.0.
        assert chart.title == "0 of 2 teams averaged above 20 cases per FTE at 30 Jun 2017"
        assert axis_titles(chart) == ("Month", "Average caseload (cases per FTE)")
        assert 20 in shape_values(chart, "y")
        assert any("Threshold: 20" in a.text for a in chart.figure.layout.annotations)
        assert "At 30 Jun 2017 the highest was A at 16.0 and the lowest A at 16.0" in chart.description
        assert list(chart.data["Average caseload (cases per FTE)"]) == [20.0, 24.0, 16.0, 16.0]

    def test_whole_service_numbers(self):
        chart = pc.caseload_trend(caseload_summary(caseloads(), "service"))
        # May: 52 cases / 2.5 FTE = 20.8; June: 48 / 3 = 16.0 (the worker with 0 cases is left out).
        assert chart.title == "Average caseload 16.0 cases per FTE at 30 Jun 2017, within the threshold of 20"
        assert "It was 20.8 at 31 May 2017 and 16.0 at 30 Jun 2017." in chart.description
        assert list(chart.data["Average caseload (cases per FTE)"]) == [20.8, 16.0]

    def test_empty(self):
        chart = pc.caseload_trend(caseload_summary(caseloads().iloc[0:0], "team"))
        assert chart.is_empty and chart.title


class TestDistribution:
    def test_counts_and_both_thresholds(self):
        workers = workers_in_month(caseloads(), D("2017-05-31"))
        chart = pc.caseload_distribution(workers, 20, 15)
        # Per FTE: 10, 30, 24 -> 2 of 3 above 20.
        assert chart.title == "2 of 3 case holders (67%) held more than 20 cases per FTE at 31 May 2017"
        assert sorted(shape_values(chart, "x")) == [15, 20]
        assert axis_titles(chart)[1] == "Number of workers"
        assert "median 24.0, highest 30.0" in chart.description

    def test_bar_at_exactly_the_threshold_is_not_above_it(self):
        frame = caseloads()
        frame.loc[0, "cases"] = 20  # exactly 20: not above
        chart = pc.caseload_distribution(workers_in_month(frame, D("2017-05-31")))
        bars = chart.figure.data[0]
        right_of_line = sum(y for x, y in zip(bars.x, bars.y) if x > 20)
        assert right_of_line == 2

    def test_asye_words(self):
        chart = pc.caseload_distribution(workers_in_month(caseloads(), D("2017-06-30")))
        assert "1 ASYE held cases; 1 above the protected caseload of 15." in chart.description

    def test_empty(self):
        chart = pc.caseload_distribution(workers_in_month(caseloads(), D("2017-07-31")))
        assert chart.is_empty and chart.title == "No case holders in this month"


class TestShareOverThreshold:
    def test_share_uses_role_thresholds(self):
        chart = pc.share_over_threshold_trend(caseload_summary(caseloads(), "service"))
        # May: W2 (30) and W3 (24) of 3 -> 66.7%; June: W2 (22) and the ASYE W4 (16 > 15) of 3 -> 66.7%.
        assert chart.title.startswith("66.7% of case holders were above their caseload threshold at 30 Jun 2017, unchanged from 66.7%")
        assert "2 of 3 (66.7%) at 30 Jun 2017" in chart.description
        assert axis_titles(chart) == ("Month", "Case holders above threshold (%)")

    def test_empty(self):
        assert pc.share_over_threshold_trend(pd.DataFrame()).is_empty


class TestWorkforceRates:
    def frames(self):
        agency = pd.DataFrame({"period": [D("2017-05-31"), D("2017-06-30")], "agency_rate": [0.2, 0.1], "basis": ["Workforce sheet"] * 2})
        vacancy = pd.DataFrame({"period": [D("2017-05-31"), D("2017-06-30")], "vacancy_rate": [0.15, 0.125]})
        turnover = pd.DataFrame({"period": [D("2017-05-31"), D("2017-06-30")], "turnover_rate": [None, 0.11]})
        return agency, vacancy, turnover

    def test_three_lines_in_percent(self):
        chart = pc.workforce_rates_trend(*self.frames())
        assert chart.title == "At 30 Jun 2017: agency rate 10.0%, vacancy rate 12.5%, turnover 11.0%"
        assert axis_titles(chart) == ("Month", "Percent")
        assert [t.line.dash for t in chart.figure.data] == ["solid", "dash", "dot"]
        assert "agency rate 10.0% (from 20.0% at 31 May 2017)" in chart.description

    def test_agency_from_caseloads_is_labelled(self):
        agency = self.frames()[0].assign(basis="Caseloads sheet (workers listed there only)")
        chart = pc.workforce_rates_trend(agency, None, None)
        assert "from Caseloads" in chart.figure.data[0].name
        assert "no Workforce sheet" in chart.description

    def test_empty(self):
        assert pc.workforce_rates_trend(None, None, None).is_empty


def kpi_values() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kpi_id": ["RR"] * 3,
            "period": [D("2015-03-31"), D("2016-03-31"), D("2017-03-31")],
            "value": [22.6, 20.9, 18.5],
            "england": [22.3, 22.3, 21.9],
            "north_east": [21.0, 20.5, 20.1],
            "stat_neighbours": [None, 21.0, 20.4],
            "source": ["DfE"] * 3,
        }
    )


class TestKpiChart:
    def test_comparators_have_their_own_dash_and_marker(self):
        row = {"kpi_id": "RR", "kpi": "Re-referrals (%)", "unit": "percent", "target": None, "rag": None}
        chart = pc.kpi_chart(row, kpi_values(), area="Durham")
        assert chart.title == "Re-referrals (%): 18.5% at 31 Mar 2017"
        assert axis_titles(chart) == ("Period", "Percent")
        styles = {(t.line.dash, t.marker.symbol) for t in chart.figure.data}
        assert len(styles) == 4
        assert "Durham: 22.6% at 31 Mar 2015, 18.5% at 31 Mar 2017 (England 21.9%, North East 20.1%" in chart.description

    def test_target_line_and_rag_word(self):
        row = {"kpi_id": "CL", "kpi": "Average caseload", "unit": "ratio", "target": 20.0, "rag": "Green"}
        values = pd.DataFrame({"period": [D("2017-09-30")], "value": [18.8], "england": [17.7]})
        chart = pc.kpi_chart(row, values)
        assert "(Green against a target of 20)" in chart.title
        assert 20 in shape_values(chart, "y")

    def test_no_values(self):
        row = {"kpi": "X", "unit": "count"}
        assert pc.kpi_chart(row, pd.DataFrame({"period": [], "value": []})).is_empty


class TestKpiHeatmap:
    def test_rag_words_in_cells_and_no_target_rows(self):
        kpis = pd.DataFrame(
            {
                "kpi_id": ["CL", "RR"],
                "kpi": ["Caseload", "Re-referrals"],
                "unit": ["ratio", "percent"],
                "polarity": ["lower_is_better", "lower_is_better"],
                "target": [20.0, None],
            }
        )
        values = pd.DataFrame(
            {"kpi_id": ["CL", "CL", "RR"], "period": [D("2016-09-30"), D("2017-09-30"), D("2017-03-31")], "value": [21.0, 18.8, 18.5]}
        )
        chart = pc.kpi_heatmap(status_grid(kpis, values))
        texts = {a.text for a in chart.figure.layout.annotations}
        assert {"R<br>21", "G<br>18.8", "18.5"} <= texts  # short enough for a phone's column (issue 14)
        assert chart.title == "1 KPI with a target: 1 Green; 1 without a target show values only"
        # names wrapped onto lines (issue 14), never cut
        assert [y.replace("<br>", " ") for y in chart.figure.data[0].y[1::2]] == ["Caseload", "Re-referrals (%) · no target"]
        assert set(chart.data["RAG"]) == {"Red", "Green", "no target"}

    def test_empty(self):
        assert pc.kpi_heatmap(pd.DataFrame()).is_empty


@pytest.mark.parametrize(
    "value,unit,text",
    [(18.5, "percent", "18.5%"), (408.6, "rate_per_10k", "408.6 per 10,000"), (51080, "count", "51,080"), (None, "count", "no value")],
)
def test_format_value(value, unit, text):
    assert format_value(value, unit) == text

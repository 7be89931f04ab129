"""The scorecard's words (src/analysis/scorecard_words.py): direction of travel in the KPI's meaning, sources as
short plain citations, counts never beside England's, and one count of KPIs for the table and the grid."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from src.analysis import published as P
from src.analysis import scorecard_words as words
from src.analysis.kpi import compared_with_other_areas, kpi_status, latest_kpis, without_count_comparators
from src.analysis.performance_summary import kpi_values_known_at, latest_kpis_at
from src.analysis.performance_workbook import read_performance_file
from src.analysis.workbook_paths import DEFAULT_PERFORMANCE


@pytest.fixture(scope="module")
def perf():
    return read_performance_file(DEFAULT_PERFORMANCE)


class TestDirection:
    def test_context_shows_the_movement_without_judgement(self):
        # 351.5 -> 408.6 is up 57.1, which is 16.2% of 351.5: '↑ up 16%'; a percent KPI moves in points.
        assert words.direction_text("rising", "context", 408.6, 351.5, "rate_per_10k") == "↑ up 16%"
        assert words.direction_text("falling", "context", 511.2, 604.0, "rate_per_10k") == "↓ down 15%"
        assert words.direction_text("rising", "context") == "↑ rising"
        for text in (words.direction_text("rising", "context", 2, 1, "count"), words.direction_text("falling", "context", 1, 2, "count")):
            assert "improving" not in text and "worsening" not in text

    def test_a_polarity_judges_and_says_how_far(self):
        # 20.9% -> 18.5% is down 2.4 points; lower is better, so improving.
        assert words.direction_text("improving", "lower_is_better", 18.5, 20.9, "percent") == "↓ improving (down 2.4 points)"
        assert words.direction_text("worsening", "higher_is_better", 86.0, 93.0, "percent") == "↓ worsening (down 7.0 points)"
        assert words.direction_text("improving", "higher_is_better", 8, 4, "count") == "↑ improving (up 100%)"
        assert words.direction_text("no change", "context", 5, 5, "count") == "→ no change"
        assert words.direction_text(None, "context") == "no earlier value"
        assert words.movement_words(21.0, 20.0, "percent") == "up 1.0 point"

    def test_the_embedded_scorecard_never_judges_a_context_measure(self, perf):
        for as_at in ("2017-03-31", "2017-12-31"):
            latest = latest_kpis_at(perf, pd.Timestamp(as_at))
            table = words.scorecard(latest, kpi_values_known_at(perf, pd.Timestamp(as_at))).set_index("kpi_id")
            for kpi_id in ("CIN_RATE", "REFERRAL_RATE", "CPP_RATE", "CPP_COUNT", "CLA_RATE", "CLA_COUNT"):
                shown = table.loc[kpi_id, "Direction of travel"]
                assert "improving" not in shown and "worsening" not in shown, (as_at, kpi_id, shown)
        at_dec = words.scorecard(latest_kpis_at(perf, pd.Timestamp("2017-12-31")), kpi_values_known_at(perf, pd.Timestamp("2017-12-31")))
        assert at_dec.set_index("kpi_id").loc["CIN_RATE", "Direction of travel"] == "↑ up 16%"

    def test_published_and_workbook_directions_are_one_rule(self):
        for value, previous, polarity in (
            (5.0, 4.0, "context"),
            (3.0, 4.0, "lower_is_better"),
            (3.0, 4.0, "higher_is_better"),
            (4.0, 4.0, "context"),
        ):
            from src.analysis.kpi import direction

            assert P.direction(value, previous, polarity) == direction(value, previous, polarity)
        assert P.direction(None, 4.0, "context") is None


class TestCitations:
    SOURCE = (
        "DfE, Characteristics of children in need (table B1: children in need at 31 March) (file: yauemily/CSC_outcomes_and_enablers "
        "data/b1_children_in_need_2013_to_2023.csv (DfE EES download, commit a2c85164)); stat_neighbours: median of Durham's 10 "
        "statistical neighbours"
    )

    def test_a_citation_is_the_first_clause_without_files_or_commits(self):
        assert words.citation(self.SOURCE) == "DfE, Characteristics of children in need (table B1: children in need at 31 March)"
        assert words.source_notes(self.SOURCE) == "statistical neighbours: median of Durham's 10 statistical neighbours"
        quoted = "Ofsted inspection report, published 16 May 2016, para 58: 'The latest figures for 2015-16 show that 86% ...'"
        assert words.citation(quoted) == "Ofsted inspection report, published 16 May 2016, para 58"
        assert words.citation(None) == "" and words.citation("  ") == ""

    def test_plain_words_for_codes(self):
        assert words.plain_words("polarity lower_is_better; 408.6 rate_per_10k; north_east") == (
            "polarity lower is better; 408.6 per 10,000 children; North East"
        )
        assert words.plain_words("built by scripts/build_performance_workbook.py") == "built by"

    def test_the_list_is_distinct_in_order(self):
        assert words.citation_list([self.SOURCE, "Ofsted report: 'x'", self.SOURCE, None, "Ofsted report"]) == [
            "DfE, Characteristics of children in need (table B1: children in need at 31 March)",
            "Ofsted report",
        ]

    def test_the_brief_uses_the_same_citation(self):
        from src.export.brief_model import source_words

        assert source_words(self.SOURCE) == words.citation(self.SOURCE)

    def test_every_embedded_source_is_plain(self, perf):
        from tests.test_screen_words import banned_in

        for source in list(perf.kpis["source"]) + list(perf.kpi_values["source"]):
            assert banned_in(words.citation(source)) == [], source
            assert banned_in(words.source_notes(source)) == [], source
        for definition in perf.kpis["definition"]:
            assert banned_in(words.plain_words(definition)) == [], definition


class TestCountsAreNotComparedWithEngland:
    def test_the_rule(self):
        assert not compared_with_other_areas("count") and not compared_with_other_areas("number")
        assert all(compared_with_other_areas(u) for u in ("percent", "rate_per_10k", "ratio", "days"))

    def test_kpi_status_blanks_a_counts_comparators_and_gaps(self):
        kpis = pd.DataFrame(
            {"kpi_id": ["N", "R"], "kpi": ["Children", "Rate"], "unit": ["count", "rate_per_10k"], "polarity": ["context"] * 2}
        )
        values = pd.DataFrame(
            {"kpi_id": ["N", "R"], "period": pd.to_datetime(["2017-03-31"] * 2), "value": [498.0, 50.4], "england": [51080.0, 43.8]}
        )
        status = kpi_status(kpis, values).set_index("kpi_id")
        assert pd.isna(status.loc["N", "england"]) and pd.isna(status.loc["N", "gap_england"])
        assert status.loc["R", "gap_england"] == pytest.approx(50.4 - 43.8)
        latest = latest_kpis(kpis, values).set_index("kpi_id")
        assert pd.isna(latest.loc["N", "england"]) and latest.loc["R", "england"] == 43.8
        assert list(without_count_comparators(values, "count").columns) == ["kpi_id", "period", "value"]

    def test_no_surface_sets_a_count_beside_englands(self, perf):
        """The scorecard table, the KPI chart, the published table and trend, and the Portfolio Holder brief."""
        from src.charts.performance import kpi_chart
        from src.charts.published import benchmark_trend

        as_at = pd.Timestamp("2017-12-31")
        latest, known = latest_kpis_at(perf, as_at), kpi_values_known_at(perf, as_at)
        counts = latest[~latest["unit"].map(compared_with_other_areas)]
        assert set(counts["kpi_id"]) >= {"CPP_COUNT", "CLA_COUNT", "SW_FTE"}
        table = words.scorecard(latest, known).set_index("kpi_id")
        for kpi_id in counts["kpi_id"]:
            assert (table.loc[kpi_id, ["England", "North East", "Statistical neighbours"]] == "").all(), kpi_id
            row = latest[latest["kpi_id"] == kpi_id].iloc[0]
            chart = kpi_chart(row, without_count_comparators(known[known["kpi_id"] == kpi_id], row["unit"]))
            assert [t.name for t in chart.figure.data][1:] == [] and "England" not in chart.description
        data = P.load_published()
        records = P.council_measures(data, "840", as_at)
        shown = words.published_table(records).set_index("kpi_id")
        for kpi_id in ("CPP_COUNT", "SW_FTE"):
            assert (
                shown.loc[kpi_id, ["England", "Region", "Statistical neighbours (median)", "Statistical neighbours (mean)"]] == ""
            ).all()
        assert shown.loc["CPP_RATE", "England"] == "43.8 per 10,000"  # rates are compared
        trend = P.trend(data, "840", "CPP_COUNT", as_at=as_at)
        assert trend["england"].isna().all() and trend["stat_neighbours_median"].isna().all()
        assert "England" not in [t.name for t in benchmark_trend(trend, data.measure("CPP_COUNT"), "County Durham").figure.data]

    def test_the_brief_sets_no_count_beside_englands(self, perf):
        from pypdf import PdfReader

        from src.analysis.plan_view import PlanView
        from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file
        from src.export import images
        from src.export.briefing import build_document

        view = PlanView.build(read_plan_file(DEFAULT_PLAN), "2017-12-31", 30, perf.kpis)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(images, "chart_png", lambda *a, **k: (None, "no chart in this test"))
            pdf = build_document(view, perf, "full", "pdf")
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages)
        assert "498" in text  # the count is there ...
        assert "51,080" not in text and "28,482.6" not in text and "28,483" not in text  # ... England's count is not


class TestOneCountOfKpis:
    @pytest.mark.parametrize(
        ("as_at", "want"),
        [
            ("2017-03-31", "18 KPIs: 13 with a figure by 31 Mar 2017, 1 with a target"),
            ("2017-12-31", "18 KPIs: all with a figure by 31 Dec 2017, 1 with a target"),
        ],
    )
    def test_the_table_and_the_grid_count_alike(self, perf, as_at, want):
        """At 31 Mar 2017 the five workforce KPIs (census at 30 Sep) have no figure yet: the grid showed 13 rows and
        said '13 KPIs' while the table listed 18. Both now say how many there are and what is counted."""
        from src.charts.performance import kpi_heatmap

        latest = latest_kpis_at(perf, pd.Timestamp(as_at))
        assert words.kpi_count_words(latest, pd.Timestamp(as_at)) == want
        grid = kpi_heatmap(
            words.status_grid(perf.kpis, kpi_values_known_at(perf, pd.Timestamp(as_at))), words.kpi_grid_title(latest, pd.Timestamp(as_at))
        )
        assert grid.title.startswith(want)
        assert len(words.scorecard(latest, kpi_values_known_at(perf, pd.Timestamp(as_at)))) == 18

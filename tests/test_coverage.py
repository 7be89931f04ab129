"""Recommendation coverage findings (indicators.md, "Recommendation coverage")."""

import pandas as pd
import pytest

from src.analysis.coverage import ALL_CANCELLED, NO_KPI, NO_TASK, NO_THEME, coverage, rag_with_counts
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import Rag, load_plan
from src.analysis.progress import task_table
from src.analysis.summary_json import plan_summary
from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file
from tests.builders import plan_bytes, task, update

D = pd.Timestamp("2016-12-31")
RECS = [(1, "one"), (2, "two"), (3, "three"), (4, "four"), (5, "five")]
THEMES = [(1, "Capacity", ""), (2, "Oversight", "")]
# rec 1 under theme 1; rec 2 under themes 1 and 2; rec 3 under theme 2; rec 4 under no theme; rec 5 under theme 2
PAIRS = [(1, 1), (1, 2), (2, 2), (2, 3), (2, 5)]


@pytest.fixture
def cov():
    tasks = [
        task("A", "May 16", "Mar 17", theme_id=1, rec_ids="1, 2"),  # rec 2 only has a task in theme 1
        task("B", "May 16", "Nov 16", theme_id=2, rec_ids="3"),  # overdue: Red
        task("C", "May 16", "Mar 17", theme_id=2, rec_ids="4"),  # rec 4: tasks but no declared theme
        task("E", "May 16", "Mar 17", theme_id=2, rec_ids="5"),  # cancelled
    ]
    plan = load_plan(plan_bytes(tasks, [update("E", "2016-10-31", "Cancelled")], recs=RECS, themes=THEMES, theme_recs=PAIRS), "c.xlsx")
    kpis = pd.DataFrame({"kpi_id": ["K1"], "rec_ids": [("1",)]})
    return coverage(plan, task_table(plan, D), kpis).set_index("rec_id")


class TestCoverage:
    def test_covered_recommendation_has_no_findings_and_its_kpi(self, cov):
        assert cov.loc["1", "findings"] == [] and cov.loc["1", "kpis"] == ("K1",) and cov.loc["1", "tasks"] == ("A",)

    def test_declared_under_a_theme_none_of_whose_tasks_address_it(self, cov):
        assert "The plan names it under theme 2 (Oversight), but no task in that theme addresses it." in cov.loc["2", "findings"]
        assert cov.loc["2", "themes"] == ("1", "2")

    def test_tasks_but_no_declared_theme(self, cov):
        assert NO_THEME in cov.loc["4", "findings"]

    def test_tasks_but_no_kpi(self, cov):
        assert NO_KPI in cov.loc["3", "findings"] and NO_KPI not in cov.loc["1", "findings"]

    def test_all_tasks_cancelled(self, cov):
        assert ALL_CANCELLED in cov.loc["5", "findings"] and cov.loc["5", "rag"] is None

    def test_rollup_rag_with_counts(self, cov):
        assert cov.loc["3", "rag"] == Rag.RED
        assert rag_with_counts(cov.loc["3"]) == "Red (1 Red)"

    def test_no_kpi_finding_needs_a_performance_workbook(self):
        plan = load_plan(plan_bytes([task("A", "May 16", "Mar 17", rec_ids="1")]), "c.xlsx")
        assert all(NO_KPI not in f for f in coverage(plan, task_table(plan, D)).loc[:, "findings"])


class TestEmbeddedPlanCoverage:
    """The seed plan's own declared mapping, shown not corrected."""

    @pytest.fixture(scope="class")
    def recs(self):
        view = PlanView.build(read_plan_file(DEFAULT_PLAN))
        return {r["rec_id"]: r for r in plan_summary(view)["recommendations"]}

    def test_rec7_has_a_task_but_no_declared_theme(self, recs):
        assert recs["7"]["themes"] == [] and recs["7"]["tasks"] == ["P4-M1-T2"]
        assert NO_THEME in recs["7"]["findings"]

    def test_recs_13_and_14_have_no_task(self, recs):
        for rec in ("13", "14"):
            assert recs[rec]["themes"] == ["4"] and recs[rec]["tasks"] == [] and NO_TASK in recs[rec]["findings"]

    def test_rec9_declared_under_theme_2_but_addressed_only_in_theme_3(self, recs):
        assert recs["9"]["themes"] == ["2"] and recs["9"]["tasks"] == ["P3-M7-T3"]
        assert any(f.startswith("The plan names it under theme 2") for f in recs["9"]["findings"])

    def test_declared_mapping_as_the_plan_prints_it(self, recs):
        assert {k: r["themes"] for k, r in recs.items()} == {
            "1": ["1"],
            "2": ["2"],
            "3": ["2", "3"],
            "4": ["3"],
            "5": ["3"],
            "6": ["4"],
            "7": [],
            "8": ["3"],
            "9": ["2"],
            "10": ["4"],
            "11": ["4"],
            "12": ["4"],
            "13": ["4"],
            "14": ["4"],
        }


class TestThemeGapsOneDefinition:
    """The coverage grid and the findings list use one definition of a theme gap (coverage's `theme_tasks`)."""

    def plan_cov(self, updates=()):
        tasks = [
            task("A", "May 16", "Mar 17", theme_id=1, rec_ids="1"),
            task("D", "May 16", "Mar 17", theme_id=2, rec_ids="1"),  # rec 1 is named under theme 1 only
        ]
        plan = load_plan(plan_bytes(tasks, list(updates), recs=RECS[:1], themes=THEMES, theme_recs=[(1, 1)]), "g.xlsx")
        return plan, coverage(plan, task_table(plan, D))

    def test_tasks_in_a_theme_that_does_not_name_it(self):
        _, cov = self.plan_cov()
        row = cov.iloc[0]
        assert row["theme_tasks"] == {"1": 1, "2": 1}
        assert row["findings"] == ["1 task in theme 2 (Oversight) addresses it, but the plan does not name it under that theme."]

    def test_a_cancelled_task_is_no_gap(self):
        _, cov = self.plan_cov([update("D", "2016-10-31", "Cancelled")])
        assert cov.iloc[0]["theme_tasks"] == {"1": 1} and cov.iloc[0]["findings"] == []

    def test_the_embedded_grid_lists_the_gaps_the_findings_list(self):
        """Recommendation 5 (task P2-M4-T1 in theme 2, named under theme 3 only) was a gap in the grid and
        missing from the findings; now both list it, and the grid's headline counts as the findings do."""
        from src.analysis.coverage import findings_words
        from src.charts.coverage import coverage_matrix

        view = PlanView.build(read_plan_file(DEFAULT_PLAN), "2017-03-31", 30)
        cov = view.coverage.set_index("rec_id", drop=False)
        assert any("theme 2" in f and "does not name it" in f for f in cov.loc["5", "findings"])
        chart = coverage_matrix(view.coverage, view.plan.themes, view.tasks)
        gaps_in_grid = {r for r in cov["rec_id"] if f"recommendation {r} is" in chart.description}
        assert gaps_in_grid == {r for r, f in zip(cov["rec_id"], cov["findings"]) if any(x != NO_KPI for x in f)}
        assert chart.title == "2 of 14 recommendations have no task; 3 more have themes and tasks that do not match"
        assert findings_words(view.coverage["findings"]) == "2 have no task; 3 more have themes and tasks that do not match"


class TestCoverageWithoutPerRecommendationFrames:
    """coverage() counts with plain lists (issue 19, second pass); it gives exactly what the frame-per-recommendation
    version gave (tests/coverage_reference.py), including the order of `theme_tasks` when counts tie."""

    THEMES4 = [(1, "Capacity", ""), (2, "Oversight", ""), (3, "Voice", ""), (4, "Quality", "")]

    def odd_plan(self):
        tasks = [
            task("A", "May 16", "Mar 17", theme_id=4, rec_ids="1"),  # rec 1: named under theme 1 only; theme 4 first seen
            task("B", "May 16", "Mar 17", theme_id=3, rec_ids="1, 2"),  # ... then theme 3, tied with 4
            task("C", "May 16", "Nov 16", theme_id=2, rec_ids="1"),
            task("D", "May 16", "TBC", theme_id=2, rec_ids="1, 5"),  # theme 2 has two: counted first
            task("E", "May 16", "Mar 17", theme_id=1, rec_ids="3"),  # cancelled: rec 3 has every task cancelled
            task("F", "May 16", "Ongoing", theme_id=1, rec_ids="2, 2"),  # names rec 2 twice
            task("G", "May 16", "Mar 17", theme_id=2, rec_ids=""),  # addresses nothing
        ]
        updates = [update("E", "2016-10-31", "Cancelled"), update("C", "2016-10-31", "Complete")]
        return load_plan(plan_bytes(tasks, updates, recs=RECS, themes=self.THEMES4, theme_recs=[(1, 1), (2, 2), (3, 3)]), "odd.xlsx")

    @pytest.mark.parametrize("with_kpis", [False, True])
    def test_same_as_the_reference(self, with_kpis):
        from tests.coverage_reference import coverage as reference_coverage

        plan = self.odd_plan()
        embedded = read_plan_file(DEFAULT_PLAN)
        kpis = pd.DataFrame({"kpi_id": ["K1", "K2"], "rec_ids": [("1",), ("2", "9")]}) if with_kpis else None
        for each in (plan, embedded):
            table = task_table(each, D)
            new, old = coverage(each, table, kpis), reference_coverage(each, table, kpis)
            pd.testing.assert_frame_equal(new, old, check_exact=True)
            for column in ("theme_tasks", "themes", "tasks", "findings", "rag"):
                assert [repr(v) for v in new[column]] == [repr(v) for v in old[column]], column  # order and types too
        rec1 = coverage(plan, task_table(plan, D)).set_index("rec_id").loc["1"]
        assert list(rec1["theme_tasks"].items()) == [("1", 0), ("2", 2), ("4", 1), ("3", 1)]

"""Every page runs on the embedded data and on another council's workbook; the overview shows the
CLI summary's figures; the reporting date and filters change them correctly; a broken upload is
reported and the earlier data stays."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from src.analysis.headline import figures, filtered_view
from src.analysis.performance_workbook import read_performance_file
from src.analysis.plan_view import PlanView
from src.analysis.progress import completion
from src.analysis.summary_json import plan_summary
from src.analysis.workbook_paths import DEFAULT_PERFORMANCE, DEFAULT_PLAN, read_plan_file
from src.ui.metrics import metric_rows
from tests.apptest_helpers import metrics, run_page, use_embedded_workbooks  # noqa: F401 (an autouse fixture)
from tests.fixtures_other_council import ORGANISATION, other_council_plan_bytes

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(str(p) for p in (ROOT / "pages").glob("*.py"))
OVERVIEW = str(ROOT / "pages" / "1_overview.py")
TIMEOUT = 30


@pytest.fixture
def other_council(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "northshire_plan.xlsx"
    path.write_bytes(other_council_plan_bytes())
    monkeypatch.setenv("DASHBOARD_PLAN", str(path))
    return path


def run(page: str, **query) -> AppTest:
    return run_page(page, TIMEOUT, **query)


def query_values(at: AppTest, name: str) -> list[str]:
    value = at.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def expected(summary: dict) -> dict[str, str]:
    """The tiles the overview should show: the CLI JSON's `headline` figures (registry order), detail figures left out."""
    tiles = {f["label"]: f["text"] for f in summary["headline"]}
    return {label: text for label, text in tiles.items() if label in TILE_LABELS}


def tile_values(view) -> dict[str, str]:
    return {m.label: m.value for row in metric_rows(figures(view)).values() for m in row}


TILE_LABELS = set(tile_values(PlanView.build(read_plan_file(DEFAULT_PLAN))))


def embedded_summary(as_at=None, tolerance_days=30) -> dict:
    performance = read_performance_file(DEFAULT_PERFORMANCE)
    view = PlanView.build(read_plan_file(DEFAULT_PLAN), as_at, tolerance_days, kpis=performance.kpis)
    return plan_summary(view, extra_findings=performance.findings)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


class TestEveryPage:
    @pytest.mark.parametrize("page", PAGES, ids=lambda p: Path(p).stem)
    def test_runs_on_the_embedded_data_with_the_illustrative_warning(self, page):
        at = run(page)
        assert_clean(at)
        assert not at.error
        assert any("illustrative" in w.value.lower() for w in at.warning)
        assert any("improvement_plan.xlsx (Durham County Council), embedded" in c.value for c in at.caption)

    @pytest.mark.parametrize("page", PAGES, ids=lambda p: Path(p).stem)
    def test_runs_on_another_councils_workbook(self, page, other_council):
        at = run(page)
        assert_clean(at)
        assert not at.error
        assert any(f"northshire_plan.xlsx ({ORGANISATION}), environment variable" in c.value for c in at.caption)
        assert not any("illustrative" in w.value.lower() for w in at.warning)

    def test_every_plan_page_draws_its_charts(self):
        expected = {
            "1_overview": 2,
            "2_timeline": 1,
            "3_rag": 1,
            "4_coverage": 1,
            "5_explore": 1,
            "6_data_quality": 0,
        }
        counts = {Path(p).stem: len(run(p).get("plotly_chart")) for p in PAGES if Path(p).stem in expected}
        assert counts == expected


class TestOverviewMetrics:
    def test_equal_the_cli_summary(self):
        at = run(OVERVIEW)
        shown = metrics(at)
        for label, value in expected(embedded_summary()).items():
            assert shown[label] == value, label

    def test_other_council_figures_worked_by_hand(self, other_council):
        shown = metrics(run(OVERVIEW))
        assert shown["Tasks complete"] == "1 of 5"
        assert shown["Completion rate"] == "20%"
        assert shown["Planned by now"] == "40%"
        assert shown["Red: off track"] == "2"
        assert shown["Slipped tasks"] == "2"
        assert shown["Median slip"] == "61 days"
        assert shown["Data-quality findings"] == "2"

    def test_reporting_date_from_the_link(self):
        at = run(OVERVIEW, as_at="2017-03-31", tol="10")
        shown = metrics(at)
        summary = embedded_summary(pd.Timestamp("2017-03-31"), 10)
        assert shown == {**shown, **expected(summary)}
        assert at.selectbox(key="w_as_at").value == "2017-03-31"
        assert at.number_input(key="w_tol").value == 10

    def test_reporting_date_from_the_select_widget(self):
        at = run(OVERVIEW)
        at.selectbox(key="w_as_at").select("2016-12-31").run()
        assert_clean(at)
        summary = embedded_summary(pd.Timestamp("2016-12-31"))
        assert metrics(at)["Tasks complete"] == expected(summary)["Tasks complete"]
        assert metrics(at)["Slipped tasks"] == expected(summary)["Slipped tasks"]
        assert metrics(at)["Tasks complete"] != expected(embedded_summary())["Tasks complete"]  # the date really changed
        assert query_values(at, "as_at") == ["2016-12-31"]

    def test_reporting_date_through_session_state(self):
        from src.ui.state import Controls

        at = AppTest.from_file(OVERVIEW, default_timeout=TIMEOUT)
        at.session_state["controls"] = Controls(as_at="2017-01-31")
        at.run()
        assert metrics(at)["Tasks complete"] == expected(embedded_summary(pd.Timestamp("2017-01-31")))["Tasks complete"]

    def test_a_filter_changes_the_figures_to_those_of_the_filtered_tasks(self):
        at = run(OVERVIEW, as_at="2017-03-31")
        at.multiselect(key="w_theme").select("2").run()
        assert_clean(at)
        view = PlanView.build(read_plan_file(DEFAULT_PLAN), pd.Timestamp("2017-03-31"))
        theme2 = view.tasks[view.tasks["theme_id"] == "2"]
        want = {k: v for k, v in tile_values(filtered_view(view, theme2)).items() if "coverage" not in k and "Data-quality" not in k}
        shown = metrics(at)
        assert shown == {**shown, **want}
        assert shown["Tasks complete"] == f"{completion(theme2)['complete']} of {len(theme2)}"
        assert query_values(at, "theme") == ["2"]
        assert any("Filtered to theme 2" in i.value for i in at.info)

    def test_filter_and_date_survive_a_rerun_and_rag_filter_from_link(self):
        at = run(OVERVIEW, rag="Blue")
        shown = metrics(at)
        assert shown["Red: off track"] == "0" and shown["Amber: at risk"] == "0"
        assert shown["Blue: complete"] == expected(embedded_summary())["Blue: complete"]
        at.run()
        assert metrics(at) == shown


class TestUploads:
    def test_a_broken_upload_shows_an_error_and_keeps_the_data(self):
        at = run(OVERVIEW)
        before = metrics(at)
        at.session_state["pending_upload_plan"] = ("broken.xlsx", b"not a workbook")
        at.run()
        assert_clean(at)
        assert any("broken.xlsx" in e.value and "could not be read" in e.value for e in at.error)
        assert metrics(at) == before

    def test_a_good_upload_replaces_the_data_and_a_later_broken_one_keeps_it(self):
        at = run(OVERVIEW)
        at.session_state["pending_upload_plan"] = ("northshire.xlsx", other_council_plan_bytes())
        at.run()
        assert metrics(at)["Completion rate"] == "20%"
        assert any("northshire.xlsx" in c.value and "upload" in c.value for c in at.caption)
        at.session_state["pending_upload_plan"] = ("broken.xlsx", b"not a workbook")
        at.run()
        assert any("still showing northshire.xlsx" in e.value for e in at.error)
        assert metrics(at)["Completion rate"] == "20%"

    def test_the_file_uploader_validates_too(self):
        at = run(OVERVIEW)
        at.file_uploader(key="uploader_plan").upload("broken.xlsx", b"not a workbook").run() if hasattr(
            at.file_uploader(key="uploader_plan"), "upload"
        ) else pytest.skip("AppTest cannot upload")
        assert any("broken.xlsx" in e.value for e in at.error)

"""The registry of headline figures (src/analysis/headline.py): every entry is complete, each compute
function gives the hand-computed figure on a tiny plan, the registry's order is the overview's, and the
overview, the CLI JSON and the Excel Summary sheet show exactly the registry's entries.

The tiny plan, at 31 Jan 2017 (reporting dates 31 Dec 2016 and 31 Jan 2017, tolerance 30 days):
  T1 finish 31 Dec 2016, Complete 100% on 31 Dec 2016               -> Blue, no slip
  T2 finish 31 Jan 2017, 50%, forecast 31 Mar 2017                   -> Red, slip 59 days (28 + 31)
  T3 finish 30 Jun 2017, 20%, forecast 10 Jul 2017                   -> Amber, slip 10 days
  T4 finish 30 Jun 2017, 10%                                         -> Green
  T5 Cancelled                                                       -> Cancelled, counted nowhere
In scope 4, complete 1 (25%); planned by now T1 and T2 = 2 of 4 (50%); slipped 2, 69 days in total,
median 34.5; weighted progress (100 + 50 + 20 + 10) / 4 = 45.0; no task without a percent.
Recommendations: 1 is addressed by theme 1's tasks (no KPIs loaded, so no missing-measure finding); 2 and 3
have no task: 2 of 3.
"""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from src.analysis.headline import BY_KEY, HEADLINES, Group, Unit, change_words, figures, filtered_view, format_figure, headline_records
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import load_plan
from src.analysis.workbook_paths import DEFAULT_PERFORMANCE, DEFAULT_PLAN, read_plan_file
from src.cli import main as cli_main
from src.export.excel import export_workbook
from tests.apptest_helpers import run_page, use_embedded_workbooks  # noqa: F401 (an autouse fixture)
from tests.builders import plan_bytes, task, update

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tiny() -> PlanView:
    plan = load_plan(
        plan_bytes(
            [
                task("T1", "2016-09-01", "2016-12-31"),
                task("T2", "2016-09-01", "2017-01-31"),
                task("T3", "2016-09-01", "2017-06-30"),
                task("T4", "2016-09-01", "2017-06-30"),
                task("T5", "2016-09-01", "2017-06-30"),
            ],
            [
                update("T1", "2016-12-31", "Complete", 100, actual="2016-12-31"),
                update("T2", "2017-01-31", "In progress", 50, forecast="2017-03-31"),
                update("T3", "2017-01-31", "In progress", 20, forecast="2017-07-10"),
                update("T4", "2017-01-31", "In progress", 10),
                update("T5", "2016-12-31", "Cancelled"),
            ],
        ),
        "tiny.xlsx",
    )
    return PlanView.build(plan, pd.Timestamp("2017-01-31"), 30)


HAND_COMPUTED = {
    "tasks_complete": (1, 4, "1 of 4"),
    "completion_rate": (0.25, None, "25%"),
    "planned_rate": (0.5, None, "50%"),
    "slipped_tasks": (2, None, "2"),
    "median_slip_days": (34.5, None, "34.5 days"),
    "rag_red": (1, None, "1"),
    "rag_amber": (1, None, "1"),
    "rag_green": (1, None, "1"),
    "rag_blue": (1, None, "1"),
    "rag_cancelled": (1, None, "1"),
    "recommendations_with_findings": (2, 3, "2 of 3"),
    "data_quality_findings": (0, None, "0"),
    "tasks_all": (5, None, "5"),
    "tasks_in_scope": (4, None, "4"),
    "weighted_progress": (45.0, None, "45.0%"),
    "progress_unknown": (0, None, "0"),
    "total_slip_days": (69, None, "69 days"),
}


class TestTheRegistry:
    def test_every_entry_has_key_label_help_unit_and_a_function(self):
        for h in HEADLINES:
            assert h.key and h.label and h.help.endswith("."), h.key
            assert isinstance(h.unit, Unit) and isinstance(h.group, Group) and callable(h.compute), h.key
        assert len(BY_KEY) == len(HEADLINES) and len({h.label for h in HEADLINES}) == len(HEADLINES)  # keys and labels unique

    def test_every_entry_has_a_hand_computed_expectation(self):
        assert set(HAND_COMPUTED) == set(BY_KEY)

    @pytest.mark.parametrize("key", list(HAND_COMPUTED))
    def test_each_figure_on_the_tiny_plan(self, tiny, key):
        [got] = [f for f in figures(tiny) if f.headline.key == key]
        value, of, text = HAND_COMPUTED[key]
        assert (got.value, got.of, got.text) == (pytest.approx(value), of, text)

    def test_the_figures_that_depend_on_the_data_say_so(self, tiny):
        by_key = {f.headline.key: f for f in figures(tiny)}
        assert by_key["tasks_complete"].note == "4 tasks in scope, 1 cancelled not counted"
        assert by_key["slipped_tasks"].help.endswith("69 days in total.")
        assert by_key["recommendations_with_findings"].note  # which findings, in words

    def test_docs_list_exactly_the_registrys_keys_in_order(self):
        docs = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
        section = docs[docs.index("## Headline figures") :].split("\n## ")[0]
        rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
        assert [key for cell in rows for key in re.findall(r"`([a-z_]+)`", cell)] == [h.key for h in HEADLINES]

    def test_registry_order_is_the_overview_order_and_details_come_last(self):
        groups = [h.group for h in HEADLINES]
        assert groups == sorted(groups, key=[Group.PROGRESS, Group.RAG, Group.QUALITY, Group.DETAIL].index)

    def test_a_filtered_view_changes_the_task_figures_not_the_whole_plan_ones(self, tiny):
        only_t2 = filtered_view(tiny, tiny.tasks[tiny.tasks["task_id"] == "T2"])
        by_key = {f.headline.key: f for f in figures(only_t2, whole=tiny)}
        assert (by_key["tasks_complete"].text, by_key["rag_red"].value, by_key["rag_blue"].value) == ("0 of 1", 1, 0)
        assert by_key["recommendations_with_findings"].text == "2 of 3"

    def test_an_empty_plan_says_not_known_not_zero_percent(self, tiny):
        empty = filtered_view(tiny, tiny.tasks.iloc[0:0])
        by_key = {f.headline.key: f for f in figures(empty)}
        assert by_key["completion_rate"].text == "not known" and by_key["median_slip_days"].text == "no task slipped"


def test_a_tracker_without_recommendations_has_none_with_findings(tiny):
    bare = PlanView(tiny.plan, tiny.as_at, tiny.tolerance_days, tiny.tasks, pd.DataFrame())  # coverage with no columns
    [recs] = [f for f in figures(bare) if f.headline.key == "recommendations_with_findings"]
    assert (recs.value, recs.of, recs.text, recs.note) == (0, 0, "0 of 0", "")


class TestWording:
    def test_one_formatter_per_unit(self):
        assert format_figure(Unit.COUNT, 17, 33) == "17 of 33" and format_figure(Unit.COUNT, 1234) == "1,234"
        assert format_figure(Unit.SHARE, 0.515) == "52%"
        assert format_figure(Unit.DAYS, 1) == "1 day" and format_figure(Unit.DAYS, 34.5) == "34.5 days"
        assert format_figure(Unit.PERCENT, 80.4545) == "80.5%"
        assert format_figure(Unit.DATE, pd.Timestamp("2017-03-31")) == "31 Mar 2017"
        assert format_figure(Unit.SHARE, None) == "not known"

    def test_change_words_by_unit(self):
        assert change_words(Unit.COUNT, 5, 3) == "up 2" and change_words(Unit.COUNT, 2, 3) == "down 1"
        assert change_words(Unit.COUNT, 3, 3) == "no change"
        assert change_words(Unit.SHARE, 0.52, 0.33) == "up 19 points" and change_words(Unit.SHARE, 0.33, 0.32) == "up 1 point"
        assert change_words(Unit.DAYS, 30.0, 34.0) == "down 4 days"
        assert change_words(Unit.SHARE, None, 0.3) == ""


@pytest.fixture(scope="module")
def embedded():
    from src.analysis.performance_workbook import read_performance_file

    plan, performance = read_plan_file(DEFAULT_PLAN), read_performance_file(DEFAULT_PERFORMANCE)
    return PlanView.build(plan, "2017-03-31", 30, performance.kpis), performance


class TestEverySurfaceShowsExactlyTheRegistry:
    def test_overview_tiles_are_the_registry_in_order(self):
        at = run_page(str(ROOT / "pages" / "1_overview.py"), 30, as_at="2017-03-31")
        assert not at.exception
        tiles = [h.label for h in HEADLINES if h.group is not Group.DETAIL]
        assert [m.label for m in at.metric][: len(tiles)] == tiles
        values = {m.label: m.value for m in at.metric}
        summary = json.loads(_cli_json("2017-03-31"))
        assert {f["label"]: f["text"] for f in summary["headline"] if f["label"] in tiles} == {t: values[t] for t in tiles}

    def test_cli_json_headline_is_the_registry_and_agrees_with_the_older_keys(self):
        summary = json.loads(_cli_json("2017-03-31"))
        assert [f["key"] for f in summary["headline"]] == [h.key for h in HEADLINES]
        for f in summary["headline"]:
            path = BY_KEY[f["key"]].json_path
            if path:
                older = summary
                for part in path:
                    older = older[part]
                assert f["value"] == older, f["key"]
        by_key = {f["key"]: f for f in summary["headline"]}
        assert by_key["data_quality_findings"]["value"] == len(summary["data_quality"])
        assert by_key["recommendations_with_findings"]["of"] == len(summary["recommendations"])

    def test_excel_summary_rows_are_the_registry_then_the_exception_counts(self, embedded):
        view, performance = embedded
        sheet = openpyxl.load_workbook(io.BytesIO(export_workbook(view, performance)), read_only=True)["Summary"]
        rows = [r for r in sheet.iter_rows(values_only=True)][1:]
        assert [r[0] for r in rows[: len(HEADLINES)]] == [h.label for h in HEADLINES]
        assert all(str(r[0]).startswith("Exceptions: ") for r in rows[len(HEADLINES) :])
        records = {f["label"]: f for f in headline_records(view)}
        for label, value, of, unit in rows[: len(HEADLINES)]:
            want = records[label]["value"]
            assert value == (pytest.approx(want) if isinstance(want, float) else want) and of == records[label]["of"], label
            assert unit == records[label]["unit"], label


def _cli_json(as_at: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli_main(["summary", "--json", "--as-at", as_at]) == 0
    return out.getvalue()

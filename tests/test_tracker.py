"""Trackers as kept (issue 13; workbook-format.md "Trackers as kept"; docs/trackers.md).

Each test builds a tracker shaped like a real council's (tests/tracker_builders.py) and checks the
task count, leads, dates and statuses against what a person reads on the sheet, and that every
derived id, heading and inferred lead is marked as such.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from src.analysis.dates import Side, parse_plan_date
from src.analysis.findings import Severity, WorkbookError
from src.analysis.mapping import Mapping, propose
from src.analysis.plan_workbook import TaskStatus, load_plan
from src.analysis.progress import task_table
from src.analysis.schema import normalise_name
from src.analysis.tracker import load_plan_as_kept, load_tracker, merge_versions, rag_from_rgb, read_tracker_status, split_items
from tests import tracker_builders as tb
from tests.apptest_helpers import use_embedded_workbooks  # noqa: F401 - autouse: tests start on the embedded workbooks

ROOT = Path(__file__).resolve().parents[1]


def messages(plan, severity=None) -> list[str]:
    return [f.message for f in plan.findings if severity is None or f.severity == severity]


class TestHeaders:
    @pytest.mark.parametrize(
        ("header", "expected"),
        [
            ("Due Date (mm/yy)", "due_date"),
            ("When?", "when"),
            ("Who by?", "who_by"),
            ("Progress & Review", "progress_and_review"),
            ("(Ref)", "ref"),
        ],
    )
    def test_brackets_question_marks_and_punctuation_are_ignored(self, header, expected):
        assert normalise_name(header) == expected

    def test_existing_spellings_still_match(self):
        assert {normalise_name(s) for s in ("Task ID", "task-id", " task_id ", "TASK_ID")} == {"task_id"}
        assert normalise_name("% complete") == "percent_complete"

    def test_each_shape_gets_its_meanings_by_synonym(self):
        nos = {
            p.header: p.meaning
            for p in propose(
                ["NOS", "What?", "Who?", "How?", "When?", "Success measures", "Current Status", "Outcome – (report for Q1, Q2)"]
            )
        }
        assert nos == {
            "NOS": "ref",
            "What?": "task",
            "Who?": "lead",
            "How?": "detail",
            "When?": "finish",
            "Success measures": "impact",
            "Current Status": "status",
            "Outcome – (report for Q1, Q2)": "commentary",
        }
        activity = {p.header: p.meaning for p in propose(["Action", "Activity", "Owner", "Due Date (mm/yy)", "Progress & Review"])}
        assert activity == {
            "Action": "milestone",
            "Activity": "task",
            "Owner": "lead",
            "Due Date (mm/yy)": "finish",
            "Progress & Review": "commentary",
        }

    def test_fuzzy_match_is_only_a_suggestion(self):
        [p] = propose(["Responsibel officer"])
        assert p.meaning is None and p.suggestion == "lead" and p.score >= 85


class TestCells:
    def test_bullets_and_lines_split_wrapped_bullets_join(self):
        assert split_items("• One\n• Two\n  continued\n• Three") == ["One", "Two continued", "Three"]
        assert split_items("First\nSecond") == ["First", "Second"]
        assert split_items("- Only one") == ["Only one"]

    @pytest.mark.parametrize(
        ("word", "status", "rag"),
        [
            ("On track", TaskStatus.IN_PROGRESS, "Green"),
            ("Off track", TaskStatus.IN_PROGRESS, "Red"),
            ("At risk", TaskStatus.IN_PROGRESS, "Amber"),
            ("Complete", TaskStatus.COMPLETE, None),
            ("COMPLETED", TaskStatus.COMPLETE, None),
            ("Done", TaskStatus.COMPLETE, None),
            ("Not started", TaskStatus.NOT_STARTED, None),
            ("Yellow", None, "Yellow"),
        ],
    )
    def test_status_words(self, word, status, rag):
        assert read_tracker_status(word) == (status, rag, True)

    def test_amber_e_is_amber_but_flagged_as_not_fully_understood(self):
        assert read_tracker_status("amber E") == (None, "Amber", False)

    @pytest.mark.parametrize(
        ("rgb", "rag"),
        [
            ("FF0000", "Red"),
            ("C00000", "Red"),
            ("FFC000", "Amber"),
            ("FFFF00", "Yellow"),
            ("00B050", "Green"),
            ("92D050", "Green"),
            ("0070C0", "Blue"),
        ],
    )
    def test_fill_colours(self, rgb, rag):
        assert rag_from_rgb("FF" + rgb) == rag

    def test_grey_and_white_are_no_rag(self):
        assert rag_from_rgb("FFD9D9D9") is None and rag_from_rgb("FFFFFFFF") is None


class TestNosTracker:
    """Shape 1: title + version line; section headings; 1 -> 1.1 -> unnumbered actions; one Who? above its actions."""

    @pytest.fixture(scope="class")
    def plan(self):
        return load_plan(tb.nos_tracker(), "nos.xlsx")

    def test_four_actions_are_the_tasks(self, plan):
        assert plan.tasks["task"].tolist() == [
            "Produce a monthly performance report",
            "Train team managers in using the report",
            "Audit supervision records quarterly",
            "Run threshold briefings for partners",
        ]

    def test_ids_come_from_the_numbering_and_are_marked_derived(self, plan):
        assert plan.tasks["task_id"].tolist() == ["1.1-1", "1.1-2", "1.2-1", "2.1-1"]
        assert plan.tasks["task_id_derived"].all()
        assert plan.tasks["milestone_ref"].tolist() == ["1.1", "1.1", "1.2", "2.1"]

    def test_heading_rows_are_themes_with_their_own_numbers(self, plan):
        assert plan.themes[["theme_id", "theme"]].values.tolist() == [["1", "Leadership and management"], ["2", "Front door"]]
        assert plan.tasks["theme_id"].tolist() == ["1", "1", "1", "2"]

    def test_who_above_covers_the_actions_below_and_is_marked_inferred(self, plan):
        assert plan.tasks["lead"].tolist() == ["Head of Performance", "Head of Performance", "Principal Social Worker", "MASH Manager"]
        assert plan.tasks["lead_inferred"].tolist() == [True, True, False, True]

    def test_dates_as_written(self, plan):
        assert plan.tasks["finish_as_written"].tolist() == ["June 2016", "Sept 16", "Q4 2016", "March 2017"]
        assert plan.tasks["planned_finish"].dt.strftime("%Y-%m-%d").tolist() == ["2016-06-30", "2016-09-30", "2016-12-31", "2017-03-31"]

    def test_snapshot_at_the_version_date(self, plan):
        assert plan.reporting_dates == [pd.Timestamp("2017-03-31")]
        complete = plan.updates.set_index("task_id")["status"]
        assert complete.get("1.1-1") == TaskStatus.COMPLETE and complete.get("1.2-1") == TaskStatus.COMPLETE
        assert any("31 Mar 2017" in m and "version line" in m for m in messages(plan, Severity.INFO))

    def test_first_seen_complete_has_unknown_slip(self, plan):
        table = task_table(plan, pd.Timestamp("2017-03-31")).set_index("task_id")
        assert table.loc["1.1-1", "status"] == TaskStatus.COMPLETE
        assert pd.isna(table.loc["1.1-1", "slip_days"]) and pd.isna(table.loc["1.1-1", "expected_finish"])
        assert not table.loc["1.1-1", "slipped"]


class TestActivityTracker:
    """Shape 2: several activities as bullets in one cell, one owner and date per row, progress as prose."""

    @pytest.fixture(scope="class")
    def plan(self):
        return load_plan(tb.activity_tracker(), "activity.xlsx")

    def test_each_bullet_is_a_task_with_the_rows_owner_and_date(self, plan):
        tasks = plan.tasks
        assert len(tasks) == 5
        assert tasks["task"].tolist()[:3] == ["Revise the assessment template", "Train all social workers", "Audit 20 assessments a month"]
        assert tasks["lead"].tolist() == ["Service Manager, Assessment"] * 3 + ["Head of Service"] * 2
        assert not tasks["lead_inferred"].any()
        assert tasks["finish_as_written"].tolist() == ["03/17"] * 3 + ["06/17"] * 2
        expected = parse_plan_date("03/17", Side.FINISH).date
        assert (tasks["planned_finish"].iloc[0] == expected) or (pd.isna(tasks["planned_finish"].iloc[0]) and expected is None)

    def test_area_for_improvement_is_the_milestone(self, plan):
        assert plan.tasks["milestone"].tolist() == ["Improve the quality of assessments"] * 3 + ["Strengthen management oversight"] * 2
        assert plan.tasks["task_id"].tolist() == ["T1-1", "T1-2", "T1-3", "T2-1", "T2-2"]
        assert plan.tasks["task_id_derived"].all()

    def test_progress_prose_without_a_date_is_not_counted_but_said(self, plan):
        assert plan.updates.empty
        assert any("does not say what date they describe" in m for m in messages(plan, Severity.WARNING))

    def test_a_status_date_given_makes_the_prose_the_commentary_at_that_date(self):
        plan = load_plan_as_kept(tb.activity_tracker(), "activity.xlsx", status_as_at=pd.Timestamp("2017-02-28"))
        assert plan.reporting_dates == [pd.Timestamp("2017-02-28")]
        assert set(plan.updates["commentary"].dropna()) == {"Template revised in January; training under way."}
        assert plan.updates["status"].isna().all()  # prose is not a status


class TestDittoTracker:
    """Shape 3: sub-actions as lines in one cell, leads `ditto` or a ditto mark, `When?` mixing progress and deadlines."""

    @pytest.fixture(scope="class")
    def plan(self):
        return load_plan(tb.ditto_tracker(), "ditto.xlsx")

    def test_lines_are_tasks_under_their_row(self, plan):
        assert plan.tasks["task_id"].tolist() == ["1-1", "1-2", "1-3", "2", "3", "4"]
        assert plan.tasks["task_id_derived"].tolist() == [True, True, True, False, False, False]
        assert plan.tasks["finish_as_written"].tolist()[:3] == ["Sept 2016"] * 3

    def test_ditto_carries_down_marked_inferred(self, plan):
        assert plan.tasks["lead"].tolist() == ["Head of Safeguarding"] * 4 + ["HR Business Partner"] * 2
        assert plan.tasks["lead_inferred"].tolist() == [False, False, False, True, False, True]

    def test_para_ref_is_the_recommendation(self, plan):
        assert plan.recommendations["rec_id"].tolist() == ["3", "7"]
        assert [list(r) for r in plan.tasks["rec_ids"]] == [["3"]] * 4 + [["7"]] * 2

    def test_when_cell_with_progress_words_is_kept_as_written(self, plan):
        assert plan.tasks.set_index("task_id").loc["3", "finish_as_written"] == "Done (March 2017)"


class TestPrioritySheets:
    """Shape 4: one sheet per priority, prose sections, dated groups of bullet milestones."""

    @pytest.fixture(scope="class")
    def plan(self):
        return load_plan(tb.priority_sheets_tracker(), "priorities.xlsx")

    def test_bullets_under_dated_groups_are_tasks_due_then(self, plan):
        tasks = plan.tasks
        assert tasks["task"].tolist() == [
            "Recruitment strategy agreed",
            "Caseload policy published",
            "Agency use below 10%",
            "Voice of the child in every plan",
            "Advocacy offer relaunched",
        ]
        assert tasks["finish_as_written"].tolist() == ["By September 2015"] * 2 + ["By March 2016"] + ["By December 2015"] * 2
        assert tasks["planned_finish"].dt.strftime("%Y-%m-%d").tolist() == ["2015-09-30"] * 2 + ["2016-03-31"] + ["2015-12-31"] * 2

    def test_each_sheet_is_a_priority(self, plan):
        assert plan.themes["theme"].tolist() == ["Priority 1: A stable, skilled workforce", "Priority 2: Children are seen and heard"]
        assert plan.themes["theme_id_derived"].all()
        assert plan.tasks["task_id"].tolist() == ["P1-T1", "P1-T2", "P1-T3", "P2-T1", "P2-T2"]

    def test_prose_is_not_a_task(self, plan):
        assert not plan.tasks["task"].str.contains("Ofsted found").any()
        assert any("prose sections" in m for m in messages(plan, Severity.INFO))


class TestRag:
    @pytest.fixture(scope="class")
    def plan(self):
        return load_plan(tb.rag_fill_tracker(), "rag.xlsx")

    def test_fills_words_and_yellow_as_its_own_level(self, plan):
        reported = plan.updates.set_index("task_id")["reported_rag"].to_dict()
        assert reported == {"A1": "Red", "A2": "Amber", "A3": "Yellow", "A4": "Green", "A5": "Blue", "A6": "Amber"}
        assert plan.about["rag_scale"] == "Red, Amber, Yellow, Green"
        assert plan.updates.set_index("task_id").loc["A5", "status"] == TaskStatus.COMPLETE

    def test_unknown_word_is_a_finding_naming_the_cell(self, plan):
        [finding] = [f for f in plan.findings if "Purple" in f.message]
        assert (finding.sheet, finding.row, finding.column) == ("Tracker", 8, "E (RAG)")

    def test_yellow_detected_without_about(self):
        plan = load_plan(tb.rag_fill_tracker(scale_in_about=False), "rag.xlsx")
        assert plan.about["rag_scale"] == "Red, Amber, Yellow, Green, Blue"


class TestVersions:
    def test_monthly_versions_build_the_history(self):
        jan = tb.status_tracker("Version 1 - 31/01/2017", {"1": "In progress", "2": "Not started"})
        feb = tb.status_tracker("Version 2 - 28/02/2017", {"1": "Complete", "2": "In progress", "3": "Not started"})
        plan = merge_versions([load_tracker(feb, "feb.xlsx"), load_tracker(jan, "jan.xlsx")])
        assert plan.reporting_dates == [pd.Timestamp("2017-01-31"), pd.Timestamp("2017-02-28")]
        table = task_table(plan, pd.Timestamp("2017-02-28")).set_index("task_id")
        # Task 1 was In progress in January and Complete in February: completed by 28 Feb 2017, due 31 Jan: 28 days late.
        assert table.loc["1", "expected_finish"] == pd.Timestamp("2017-02-28")
        assert table.loc["1", "slip_days"] == 28

    def test_cli_takes_earlier_versions(self, tmp_path):
        jan, feb = tmp_path / "jan.xlsx", tmp_path / "feb.xlsx"
        jan.write_bytes(tb.status_tracker("Version 1 - 31/01/2017", {"1": "In progress"}))
        feb.write_bytes(tb.status_tracker("Version 2 - 28/02/2017", {"1": "Complete"}))
        out = run_cli("summary", "--plan", str(feb), "--earlier-version", str(jan), "--json")
        assert out["reporting_dates"] == ["2017-01-31", "2017-02-28"]


class TestMapping:
    def test_own_names_are_not_guessed(self):
        with pytest.raises(WorkbookError) as error:
            load_plan(tb.own_names_tracker(), "own.xlsx")
        assert any("No sheet of actions could be recognised" in f.message for f in error.value.findings)

    def test_mapping_round_trips_and_loads(self):
        mapping = Mapping.from_json(Mapping(tb.OWN_NAMES_MAPPING).to_json())
        plan = load_tracker(tb.own_names_tracker(), "own.xlsx", mapping)
        assert plan.tasks["task_id"].tolist() == ["X1", "X2", "X3"]
        assert not plan.tasks["task_id_derived"].any()
        assert plan.updates.set_index("task_id")["status"].to_dict() == {
            "X1": TaskStatus.COMPLETE,
            "X2": TaskStatus.IN_PROGRESS,
            "X3": TaskStatus.IN_PROGRESS,
        }

    def test_mapping_naming_a_missing_column_is_a_clear_error(self):
        mapping = Mapping({**tb.OWN_NAMES_MAPPING, "Budget": "detail"})
        with pytest.raises(WorkbookError) as error:
            load_tracker(tb.own_names_tracker(), "own.xlsx", mapping)
        [finding] = error.value.findings
        assert finding.sheet == "Our plan" and "'Budget'" in finding.message

    @pytest.mark.parametrize(
        ("text", "says"),
        [
            ("not json", "not valid JSON"),
            ('{"columns": {"A": "colour"}}', "not one the dashboard knows"),
            ('{"columns": {"A": "task", "B": "task"}}', "more than one"),
        ],
    )
    def test_bad_mapping_files(self, text, says):
        with pytest.raises(WorkbookError, match=says):
            Mapping.from_json(text, "m.json")

    def test_cli_summary_with_mapping(self, tmp_path):
        plan, mapping = tmp_path / "T.xlsx", tmp_path / "M.json"
        plan.write_bytes(tb.own_names_tracker())
        mapping.write_text(Mapping(tb.OWN_NAMES_MAPPING).to_json())
        out = run_cli("summary", "--plan", str(plan), "--mapping", str(mapping), "--json")
        assert out["completion"]["complete"] == 1 and out["completion"]["in_scope"] == 3
        assert [t["task_id"] for t in out["tasks"]] == ["X1", "X2", "X3"]
        assert [t["task_id_derived"] for t in out["tasks"]] == [False, False, False]
        assert out["as_at"] == "2017-03-31"

    def test_cli_mapping_missing_column_exits_2_with_a_message(self, tmp_path):
        plan, mapping = tmp_path / "T.xlsx", tmp_path / "M.json"
        plan.write_bytes(tb.own_names_tracker())
        mapping.write_text(json.dumps({"columns": {"Nope": "task"}}))
        result = subprocess.run(
            [sys.executable, "-m", "src.cli", "summary", "--plan", str(plan), "--mapping", str(mapping)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 2 and "'Nope'" in result.stderr and "Traceback" not in result.stderr


def run_cli(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "src.cli", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


class TestContractUnchanged:
    def test_embedded_plan_is_still_read_as_the_contract(self):
        from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file

        plan = read_plan_file(DEFAULT_PLAN)
        assert "layout" not in plan.about and len(plan.tasks) > 0 and not plan.recommendations.empty

    def test_empty_workbook_still_names_the_missing_sheets(self):
        import io

        import openpyxl

        raw = io.BytesIO()
        openpyxl.Workbook().save(raw)
        with pytest.raises(WorkbookError) as error:
            load_plan(raw.getvalue(), "empty.xlsx")
        text = str(error.value)
        assert "Required sheet 'Tasks' is missing" in text and "No sheet of actions could be recognised" in text


class TestDashboard:
    """The four shapes through the upload and the environment variable; the mapping step for own column names."""

    OVERVIEW = str(ROOT / "pages" / "1_overview.py")

    @pytest.mark.parametrize(
        ("builder", "tasks"),
        [(tb.nos_tracker, 4), (tb.activity_tracker, 5), (tb.ditto_tracker, 6), (tb.priority_sheets_tracker, 5)],
    )
    def test_each_shape_loads_through_the_upload(self, builder, tasks):
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(self.OVERVIEW, default_timeout=30)
        at.session_state["pending_upload_plan"] = (f"{builder.__name__}.xlsx", builder())
        at.run()
        assert not at.exception
        assert any(f"{builder.__name__}.xlsx" in s.value for s in at.success)
        table = at.session_state["upload_plan"]
        assert table["name"] == f"{builder.__name__}.xlsx"
        assert any(str(tasks) in m.value for m in at.metric), [(m.label, m.value) for m in at.metric]

    def test_environment_variable(self, tmp_path, monkeypatch):
        from tests.apptest_helpers import run_page

        path = tmp_path / "tracker.xlsx"
        path.write_bytes(tb.nos_tracker())
        monkeypatch.setenv("DASHBOARD_PLAN", str(path))
        at = run_page(self.OVERVIEW)
        assert not at.exception and not at.error
        assert any("tracker.xlsx" in c.value for c in at.caption)

    def test_coverage_page_says_there_are_no_recommendations(self, tmp_path, monkeypatch):
        from tests.apptest_helpers import run_page

        path = tmp_path / "tracker.xlsx"
        path.write_bytes(tb.rag_fill_tracker())
        monkeypatch.setenv("DASHBOARD_PLAN", str(path))
        at = run_page(str(ROOT / "pages" / "4_coverage.py"))
        assert not at.exception
        assert any("does not list Ofsted's recommendations" in i.value for i in at.info)

    def test_mapping_step_for_own_column_names(self):
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(self.OVERVIEW, default_timeout=30)
        at.session_state["pending_upload_plan"] = ("own.xlsx", tb.own_names_tracker())
        at.run()
        assert not at.exception
        assert any(h.value == "Read your tracker" for h in at.header)
        for header, meaning in tb.OWN_NAMES_MAPPING.items():
            [box] = [s for s in at.selectbox if s.label == f"Column “{header}” means"]
            box.set_value(meaning)
        at.run()
        assert any("3 tasks" in m.value for m in at.markdown)
        [use] = [b for b in at.button if b.label == "Use this mapping"]
        use.click().run()
        assert not at.exception
        assert at.session_state["upload_plan"]["mapping"]
        assert json.loads(at.session_state["upload_plan"]["mapping"])["columns"]["Thing to do"] == "task"
        assert not any(h.value == "Read your tracker" for h in at.header)


class TestThemeColumnAndMappingSheet:
    @pytest.fixture(scope="class")
    def plan(self):
        return load_plan(tb.theme_column_tracker(), "themes.xlsx")

    def test_the_workbooks_mapping_sheet_is_used(self, plan):
        assert plan.tasks["task"].tolist() == ["Recruit managers", "Cut agency use", "Audit plans"]
        assert any("Mapping sheet" in m for m in messages(plan, Severity.INFO))

    def test_priority_column_carries_down_and_numbering_is_kept(self, plan):
        assert plan.tasks["task_id"].tolist() == ["R3", "1a", "R4"]
        assert not plan.tasks["task_id_derived"].any()
        assert plan.themes["theme"].tolist() == ["Workforce", "Practice"]
        assert plan.tasks["theme_id"].tolist() == ["1", "1", "2"]
        assert plan.tasks["lead"].tolist() == ["HR Lead", "HR Lead", "QA Lead"] and plan.tasks["lead_inferred"].tolist() == [
            False,
            True,
            False,
        ]

    def test_status_date_from_about_in_uk_form(self, plan):
        assert plan.reporting_dates == [pd.Timestamp("2017-03-31")]


class TestReportedRag:
    def test_summary_counts_the_plans_own_levels_yellow_included(self, tmp_path):
        path = tmp_path / "rag.xlsx"
        path.write_bytes(tb.rag_fill_tracker())
        out = run_cli("summary", "--plan", str(path), "--json")
        assert out["reported_rag"] == {"Red": 1, "Amber": 2, "Yellow": 1, "Green": 1, "Blue": 1, "None given": 1}

    def test_contract_summary_has_no_reported_rag_key(self):
        from src.analysis.plan_view import PlanView
        from src.analysis.summary_json import plan_summary
        from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file

        assert "reported_rag" not in plan_summary(PlanView.build(read_plan_file(DEFAULT_PLAN)))

    def test_amber_e_is_said(self):
        plan = load_plan(tb.rag_fill_tracker(), "rag.xlsx")
        [finding] = [f for f in plan.findings if "amber E" in f.message]
        assert finding.row == 7 and "read as Amber" in finding.message

    def test_rag_page_shows_yellow_as_its_own_level(self, tmp_path, monkeypatch):
        from tests.apptest_helpers import run_page

        path = tmp_path / "rag.xlsx"
        path.write_bytes(tb.rag_fill_tracker())
        monkeypatch.setenv("DASHBOARD_PLAN", str(path))
        at = run_page(str(ROOT / "pages" / "3_rag.py"))
        assert not at.exception
        [table] = [t for t in at.table if "Reported RAG" in t.value.columns]
        assert dict(zip(table.value["Reported RAG"], table.value["Tasks"]))["Yellow"] == 1


class TestVisibleAsDerived:
    def test_cli_marks_derived_ids_and_inferred_leads(self, tmp_path):
        path = tmp_path / "nos.xlsx"
        path.write_bytes(tb.nos_tracker())
        out = run_cli("summary", "--plan", str(path), "--json")
        assert [(t["task_id"], t["task_id_derived"], t["lead_inferred"]) for t in out["tasks"]] == [
            ("1.1-1", True, True),
            ("1.1-2", True, True),
            ("1.2-1", True, False),
            ("2.1-1", True, True),
        ]
        # Two tasks first seen Complete at the 31 Mar 2017 snapshot: complete, with no slip invented for them.
        assert out["completion"]["complete"] == 2
        assert [t["slip_days"] for t in out["tasks"] if t["status"] == "Complete"] == [None, None]

    def test_contract_task_records_have_no_derived_key(self):
        from src.analysis.plan_view import PlanView
        from src.analysis.summary_json import plan_summary
        from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file

        assert "task_id_derived" not in plan_summary(PlanView.build(read_plan_file(DEFAULT_PLAN)))["tasks"][0]

    def test_rag_page_table_says_which_ids_the_dashboard_made(self):
        from src.analysis.plan_view import PlanView
        from src.ui.tables import task_view

        view = PlanView.build(load_plan(tb.nos_tracker(), "nos.xlsx"))
        table = task_view(view.tasks)
        assert table["Lead"].tolist()[0] == "Head of Performance (inferred)"
        assert table["Id made by the dashboard"].str.startswith("Yes").all()


def test_timeline_without_any_readable_date_says_so(tmp_path, monkeypatch):
    import openpyxl

    from tests.apptest_helpers import run_page

    book = openpyxl.Workbook()
    book.active.append(["Action", "Owner", "Deadline"])
    book.active.append(["Write the policy", "Lead A", "soon"])
    book.active.append(["Train the managers", "Lead B", "when we can"])
    path = tmp_path / "undated.xlsx"
    book.save(path)
    monkeypatch.setenv("DASHBOARD_PLAN", str(path))
    at = run_page(str(ROOT / "pages" / "2_timeline.py"))
    assert not at.exception
    assert any("no timeline to draw" in i.value for i in at.info)


class TestDashboardVersionsAndReview:
    OVERVIEW = str(ROOT / "pages" / "1_overview.py")

    def test_earlier_versions_uploaded_together_give_the_reporting_dates(self):
        from streamlit.testing.v1 import AppTest

        jan = tb.status_tracker("Version 1 - 31/01/2017", {"1": "In progress"})
        feb = tb.status_tracker("Version 2 - 28/02/2017", {"1": "Complete"})
        at = AppTest.from_file(self.OVERVIEW, default_timeout=30)
        at.session_state["upload_plan"] = {"name": "feb.xlsx", "data": feb, "sha256": "feb+jan", "earlier": (("jan.xlsx", jan),)}
        at.run()
        assert not at.exception and not at.error
        [date_box] = [s for s in at.sidebar.selectbox if s.label == "Reporting date"]
        assert list(date_box.options) == ["31 Jan 2017", "28 Feb 2017"]

    def test_an_uploaded_tracker_can_be_checked_in_the_mapping_step(self):
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(self.OVERVIEW, default_timeout=30)
        at.session_state["pending_upload_plan"] = ("nos.xlsx", tb.nos_tracker())
        at.run()
        [review] = [b for b in at.button if b.label == "Check how the tracker's columns were read"]
        review.click().run()
        assert not at.exception
        assert any(h.value == "Read your tracker" for h in at.header)
        box = next(s for s in at.selectbox if s.label == "Column “What?” means")
        assert box.value == "task"


def test_coverage_without_themes_says_so_and_still_lists_the_findings(tmp_path, monkeypatch):
    from tests.apptest_helpers import run_page

    path = tmp_path / "ditto.xlsx"
    path.write_bytes(tb.ditto_tracker())
    monkeypatch.setenv("DASHBOARD_PLAN", str(path))
    at = run_page(str(ROOT / "pages" / "4_coverage.py"))
    assert not at.exception
    assert any("does not group its tasks into themes" in i.value for i in at.info)
    assert any(h.value == "Findings" for h in at.header)


PAGE_FILES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
TRACKER_SHAPES = {
    "activity": tb.activity_tracker,
    "ditto": tb.ditto_tracker,
    "rag_fill": tb.rag_fill_tracker,
    "priorities": tb.priority_sheets_tracker,
}


@pytest.mark.parametrize("shape", list(TRACKER_SHAPES))
@pytest.mark.parametrize("page_file", PAGE_FILES)
def test_every_page_draws_a_tracker_only_plan(page_file, shape, tmp_path, monkeypatch):
    """No themes, no recommendations, no updates, dates unreadable: each page says so rather than failing."""
    from tests.apptest_helpers import run_page

    path = tmp_path / f"{shape}.xlsx"
    path.write_bytes(TRACKER_SHAPES[shape]())
    monkeypatch.setenv("DASHBOARD_PLAN", str(path))
    at = run_page(str(ROOT / "pages" / page_file))
    assert not at.exception, at.exception[0].value if at.exception else ""
    assert not at.error, at.error[0].value


def test_a_stray_cell_far_below_is_said_not_silently_skipped():
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Action", "Owner", "Deadline"])
    book.active.append(["Write the policy", "Lead A", "March 2017"])
    book.active.cell(30_000, 1, "stray")
    raw = io.BytesIO()
    book.save(raw)
    with pytest.raises(WorkbookError) as error:
        load_plan(raw.getvalue(), "long.xlsx")
    assert any("longer than 20,000 rows" in f.message and f.sheet == "Sheet" for f in error.value.findings)


def test_environment_variables_name_the_tracker_and_its_mapping(tmp_path, monkeypatch):
    from tests.apptest_helpers import metrics, run_page

    plan, mapping = tmp_path / "T.xlsx", tmp_path / "M.json"
    plan.write_bytes(tb.own_names_tracker())
    mapping.write_text(Mapping(tb.OWN_NAMES_MAPPING).to_json())
    monkeypatch.setenv("DASHBOARD_PLAN", str(plan))
    monkeypatch.setenv("DASHBOARD_PLAN_MAPPING", str(mapping))
    at = run_page(str(ROOT / "pages" / "1_overview.py"))
    assert not at.exception and not at.error
    assert metrics(at)["Tasks complete"] == "1 of 3"
    result = subprocess.run([sys.executable, "-m", "src.cli", "summary", "--json"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout)["completion"]["complete"] == 1


def test_versions_uploaded_one_after_another_build_the_history():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "pages" / "1_overview.py"), default_timeout=30)
    at.session_state["pending_upload_plan"] = ("jan.xlsx", tb.status_tracker("Version 1 - 31/01/2017", {"1": "In progress"}))
    at.run()
    at.session_state["pending_upload_plan"] = ("feb.xlsx", tb.status_tracker("Version 2 - 28/02/2017", {"1": "Complete"}))
    at.run()
    [keep] = [b for b in at.button if b.label == "Keep jan.xlsx as an earlier version of this tracker"]
    keep.click().run()
    assert not at.exception and not at.error
    [date_box] = [s for s in at.sidebar.selectbox if s.label == "Reporting date"]
    assert list(date_box.options) == ["31 Jan 2017", "28 Feb 2017"]
    assert not [b for b in at.button if b.label.startswith("Keep jan.xlsx")]


def test_recommendation_text_gets_a_derived_id_that_never_clashes_with_the_plans_own():
    from src.analysis.tracker import _Built, _recommendations

    built = _Built()
    assert _recommendations(built, "R1", 2) == ("R1",)
    assert _recommendations(built, "Plans and reviews are timely", 3) == ("R2",)
    assert _recommendations(built, "3, 9", 4) == ("3", "9")
    assert built.recs["R2"]["rec_id_derived"] and not built.recs["R1"]["rec_id_derived"]


def test_docs_list_every_synonym():
    from src.analysis.schema import TRACKER_SYNONYMS

    text = (ROOT / "docs" / "trackers.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip().split(" ")[0]: line.split("|")[2]
        for line in text.splitlines()
        if line.startswith("| ") and "---" not in line
    }
    for meaning, words in TRACKER_SYNONYMS.items():
        listed = {w.strip() for w in rows[meaning].split(",")}
        assert set(words) == listed, meaning


def test_cli_text_says_there_are_no_recommendations(tmp_path):
    path = tmp_path / "nos.xlsx"
    path.write_bytes(tb.nos_tracker())
    result = subprocess.run(
        [sys.executable, "-m", "src.cli", "summary", "--plan", str(path)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert "this plan does not list Ofsted's recommendations, so coverage cannot be checked" in result.stdout

"""The Issues and Decisions sheets (issue 15): read with findings, and the governance log's rules
(src/analysis/governance_log.py) with hand-computed expectations on the plan in tests/governance_builders.py.

The plan at a glance (tolerance 30 days; reporting dates 31 Jan, 28 Feb, 31 Mar 2017):
T1 finish 31 Jan, never re-forecast: overdue (Red) from 28 Feb; slip 28 days at 28 Feb, 59 at 31 Mar.
T2 finish 31 Mar, forecast 15 Apr from 28 Feb: Amber, slip 15. T3 cancelled at 28 Feb.
T4 finish 31 Dec: Green. T5 finish 30 Apr: forecast 15 May at 28 Feb (slip 15, Amber), 31 Jul at 31 Mar (slip 92, Red).
"""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest

from src.analysis import governance_log as g
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import DecisionStatus, IssueStatus, load_plan, read_decision_status, read_issue_status
from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file
from src.cli import main
from src.export.excel import export_workbook
from src.templates import plan_template_bytes
from tests.builders import frame, plan_bytes
from tests.governance_builders import DECISION_COLUMNS, DECISIONS, ISSUE_COLUMNS, ISSUES, TASKS, UPDATES, governance_plan

D = pd.Timestamp


@pytest.fixture(scope="module")
def plan():
    return load_plan(governance_plan(), "gov.xlsx")


@pytest.fixture(scope="module")
def bare():
    """The same plan with neither sheet."""
    return load_plan(governance_plan(issues=None, decisions=None), "bare.xlsx")


def view_at(plan, as_at: str, tolerance: int = 30) -> PlanView:
    return PlanView.build(plan, D(as_at), tolerance)


def found(plan, sheet: str) -> list[tuple]:
    return [(f.row, f.column, f.message) for f in plan.findings if f.sheet == sheet]


class TestReadingTheSheets:
    def test_status_words_and_synonyms(self):
        assert read_issue_status(" resolved ") == IssueStatus.CLOSED and read_issue_status("OPEN") == IssueStatus.OPEN
        assert read_issue_status("Parked") is None and read_issue_status(None) is None
        assert read_decision_status("Agreed") == DecisionStatus.TAKEN
        assert read_decision_status("implemented") == DecisionStatus.DONE
        assert read_decision_status("for decision") == DecisionStatus.NEEDED
        assert read_decision_status("Deferred") is None

    def test_unknown_task_and_theme_ids_are_findings_naming_sheet_row_and_column(self, plan):
        issues = found(plan, "Issues")
        assert (4, "task_ids", "Issue I3 names task T99, not in the Tasks sheet; ignored.") in issues
        assert any(row == 6 and column == "theme_id" and "theme '9'" in message for row, column, message in issues)
        assert (4, "task_ids", "Decision D3 names task T42, not in the Tasks sheet; ignored.") in found(plan, "Decisions")
        # Unknown ids are left out; known ones stay.
        by_id = plan.issues.set_index("issue_id")
        assert by_id.at["I3", "task_ids"] == ("T2",) and by_id.at["I5", "theme_id"] is None
        assert plan.decisions.set_index("decision_id").at["D3", "task_ids"] == ("T5",)

    def test_a_closed_issue_with_no_close_date_is_a_finding_and_stays_closed(self, plan):
        assert any(row == 4 and column == "closed" and "Closed but has no closed date" in m for row, column, m in found(plan, "Issues"))
        assert plan.issues.set_index("issue_id").at["I3", "status"] == IssueStatus.CLOSED

    def test_a_decision_with_no_owner_is_a_finding(self, plan):
        assert (3, "owner", "Decision D2 (Taken) has no owner: nobody is named to carry it out.") in found(plan, "Decisions")

    def test_statuses_any_case_and_synonyms_are_canonical(self, plan):
        assert plan.issues.set_index("issue_id").at["I4", "status"] == IssueStatus.CLOSED  # written "closed"
        assert plan.decisions.set_index("decision_id").at["D5", "status"] == DecisionStatus.NEEDED  # written "pending"

    def test_other_headers_sheet_names_and_awkward_values(self):
        # Given a council's own headings, title rows, a text date, an unknown status, an Open issue with a closed
        # date, and a blank status beside a closed date.
        issues = pd.DataFrame(
            {
                "Issue No": ["A", "B", "C", "E"],
                "Description": ["One", "Two", "Three", "Five"],
                "Date raised": ["March 2017", D("2017-01-05"), "not a date", D("2017-01-05")],
                "Issue owner": ["X", "Y", "Z", "Z"],
                "Tasks": ["T1 and T2", "T4", "", "T1"],
                "Status": ["Parked", "Open", "", "Open"],
                "Date closed": [None, D("2017-02-01"), D("2017-03-01"), None],
            }
        )
        decisions = pd.DataFrame({"Ref": ["Q1"], "Decision needed": ["Pick"], "Meeting date": ["31/03/2017"], "Status": ["Deferred"]})
        data = plan_bytes(
            TASKS, UPDATES, extra={"Issues Log": issues, "Decision Log": decisions}, title_rows={"Issues Log": ["Issues log", ""]}
        )
        plan = load_plan(data, "theirs.xlsx")
        assert plan.has_sheet("Issues") and plan.has_sheet("Decisions")
        by_id = plan.issues.set_index("issue_id")
        assert by_id.at["A", "raised"] == D("2017-03-31")  # a month, through the same date reader: its end
        assert by_id.at["A", "task_ids"] == ("T1", "T2")
        assert by_id.at["A", "status"] == IssueStatus.OPEN  # 'Parked' not known, no closed date: Open
        assert by_id.at["B", "status"] == IssueStatus.CLOSED  # marked Open with a closed date: the date wins
        assert by_id.at["C", "status"] == IssueStatus.CLOSED  # blank status, closed date given
        assert pd.isna(by_id.at["C", "raised"])
        messages = [(f.sheet, f.row, f.column, f.message) for f in plan.findings]
        assert ("Issues Log", 4, "status", "Issue A: 'Parked' is not Open or Closed; treated as Open (no closed date).") in messages
        assert any(s == "Issues Log" and r == 5 and c == "status" and "marked Open but has a closed date" in m for s, r, c, m in messages)
        assert any(s == "Issues Log" and r == 6 and c == "raised" and "'not a date' is not a date" in m for s, r, c, m in messages)
        decision = plan.decisions.iloc[0]
        assert decision["status"] == DecisionStatus.NEEDED and decision["meeting"] == D("2017-03-31")
        assert (
            "Decision Log",
            2,
            "status",
            "Decision Q1: 'Deferred' is not Needed, Taken or Done; treated as Needed (still to be made).",
        ) in messages

    def test_a_long_broken_log_gives_a_readable_report(self):
        # 3,000 issues, every one naming an unknown task and a status nobody knows: 25 findings of each, then a count.
        rows = [(f"I{n}", "x", D("2017-01-01"), "O", "NOPE", None, "", "", "Parked", None) for n in range(3000)]
        plan = load_plan(governance_plan(issues=rows), "long.xlsx")
        task_ids = [f for f in plan.findings if f.sheet == "Issues" and f.column == "task_ids"]
        assert len(task_ids) == 26 and task_ids[-1].message == "2,975 more rows name unknown tasks."
        assert len([f for f in plan.findings if f.sheet == "Issues" and f.column == "status"]) == 25
        assert (plan.issues["status"] == IssueStatus.OPEN).all() and len(plan.issues) == 3000

    def test_a_sheet_without_its_required_columns_is_ignored_with_a_warning(self):
        data = plan_bytes(TASKS, UPDATES, extra={"Issues": frame(["issue_id", "owner"], [("I1", "X")])})
        plan = load_plan(data, "x.xlsx")
        assert not plan.has_sheet("Issues") and plan.issues.empty
        assert any(f.sheet == "Issues" and f.column == "issue" and f.severity == "warning" for f in plan.findings)

    def test_a_plan_with_neither_sheet_has_empty_frames(self, bare):
        assert not g.has_issues_log(bare) and not g.has_decisions_log(bare)
        assert bare.issues.empty and bare.decisions.empty
        assert g.issues_at(view_at(bare, "2017-03-31")).empty

    def test_the_template_has_both_sheets_empty_and_their_examples_apart(self):
        """Issue 13: no example rows in the real sheets; the examples sit on their own sheet."""
        plan = load_plan(plan_template_bytes(), "template.xlsx")
        assert plan.findings == [] and plan.has_sheet("Issues") and plan.has_sheet("Decisions")
        assert plan.issues.empty and plan.decisions.empty
        book = openpyxl.load_workbook(io.BytesIO(plan_template_bytes()))
        example_sheets = {row[0] for row in book["Examples"].iter_rows(values_only=True)}
        assert {"Issues", "Decisions"} <= example_sheets
        notes = pd.DataFrame(list(book["Notes"].values)[1:], columns=list(book["Notes"].values)[0])
        impact = notes[(notes["sheet"] == "Issues") & (notes["column"] == "impact")]["meaning"].iloc[0]
        assert impact == "What it does to delivery, in words."  # not the risk register's "1 to 5"
        assert {"Issues", "Decisions"} <= set(book.sheetnames)


class TestIssues:
    def test_open_first_oldest_first_then_closed_latest_first_and_later_issues_left_out(self, plan):
        issues = g.issues_at(view_at(plan, "2017-03-31"))
        assert list(issues["Issue ID"]) == ["I1", "I2", "I5", "I4", "I3"]  # I6 is raised on 10 Apr
        assert list(issues["State at reporting date"]) == ["Open", "Open", "Open", "Closed", "Closed"]
        assert list(issues["Days open"].iloc[:3]) == [80, 54, 11]  # 31 Mar - 10 Jan, - 5 Feb, - 20 Mar

    def test_an_issue_closed_after_d_is_open_at_d(self, plan):
        issues = g.open_issues(view_at(plan, "2017-02-28"))
        assert list(issues["Issue ID"]) == ["I1", "I2", "I4"]  # I4 closed 15 Mar; I3 closed with no date: closed

    def test_tasks_held_up_with_their_rag_at_d(self, plan):
        by_id = g.issues_at(view_at(plan, "2017-03-31")).set_index("Issue ID")
        assert by_id.at["I1", "Tasks held up"] == "Recruit ten social workers (T1, Red)"
        assert by_id.at["I1", "Worst RAG of tasks held up"] == "Red"
        # A theme-wide issue holds up the theme's tasks: T4 Green and T5 Red.
        assert by_id.at["I4", "Tasks held up"] == "all 2 tasks in theme 2 (worst RAG Red)"
        assert by_id.at["I4", "Theme"] == "Theme 2. Oversight" and by_id.at["I4", "Owner"] == g.NO_OWNER
        # At 28 Feb, T5 was Amber (slip 15).
        earlier = g.issues_at(view_at(plan, "2017-02-28")).set_index("Issue ID")
        assert earlier.at["I4", "Worst RAG of tasks held up"] == "Amber"

    def test_an_issue_on_a_cancelled_task_says_so(self, plan):
        issue = g.issues_at(view_at(plan, "2017-03-31")).set_index("Issue ID").loc["I2"]
        assert issue["Tasks held up"] == "Open the new assessment team (T3, Cancelled)"
        assert issue["Note"] == "Every task it holds up is complete or cancelled: can it be closed?"
        assert pd.isna(issue["Worst RAG of tasks held up"])  # a cancelled task counts in no RAG

    def test_open_issue_for_red_and_amber_tasks(self, plan):
        assert g.open_issue_for_task(view_at(plan, "2017-03-31")) == {
            "T1": "Issue I1: Recruitment freeze (owner HR Lead, open since 10 Jan 2017)",
            "T5": "Issue I5: Audit tool licence (owner QA Lead, open since 20 Mar 2017)",
        }
        # At 28 Feb: T2 (Amber) has only the closed I3; T5 (Amber) is held up by the theme-wide I4.
        by_task = g.open_issues_by_task(view_at(plan, "2017-02-28"))
        assert list(zip(by_task["Task ID"], by_task["Issue ID"], by_task["Linked by"])) == [("T1", "I1", "task"), ("T5", "I4", "theme")]


class TestDecisions:
    def test_needed_from_the_log_earliest_meeting_first(self, plan):
        needed = g.decisions_needed(view_at(plan, "2017-03-31"))
        assert needed.source == g.SOURCE_LOG and needed.from_log
        assert needed.source_text == "From the plan's decisions log: 2 decisions marked Needed."
        assert list(needed.table["Decision ID"]) == ["D5", "D3"]
        assert list(needed.table["When"]) == ["For the meeting of 31 Mar 2017", "For the meeting of 30 Apr 2017"]
        later = g.decisions_needed(PlanView.build(plan, D("2017-04-30"), 30))  # not a reporting date: positions as at 31 Mar
        assert later.table["When"].iloc[0] == "Asked for at the meeting of 31 Mar 2017; not yet made"

    def test_needed_from_the_data_when_there_is_no_log(self, bare):
        # T1: slip 28 at 28 Feb, 59 at 31 Mar; T5: 15 then 92; T2 stays at 15. Tolerance 30.
        needed = g.decisions_needed(view_at(bare, "2017-03-31"))
        assert needed.source == g.SOURCE_DATA and not needed.from_log
        assert list(needed.table["Decision ID"]) == ["T1", "T5"]
        assert needed.table["Owner"].tolist() == ["Lead A", "Lead A"]
        assert needed.table["Decision"].iloc[1] == (
            "Agree a re-plan for 'Audit case records': expected to finish 92 days after its planned finish of 30 Apr 2017, "
            "beyond the 30-day tolerance for the first time"
        )
        assert needed.source_text.startswith("Worked out from the data (the plan keeps no decisions log): 2 tasks")

    def test_only_the_first_time_beyond_tolerance_counts(self, bare):
        # Tolerance 10: at 28 Feb T1 (28), T2 (15) and T5 (15) go beyond it for the first time (0 at 31 Jan);
        # at 31 Mar all three were already beyond it at 28 Feb, so none is new.
        assert list(g.decisions_needed(view_at(bare, "2017-02-28", 10)).table["Decision ID"]) == ["T1", "T2", "T5"]
        empty = g.decisions_needed(view_at(bare, "2017-03-31", 10))
        assert empty.table.empty and "no task's forecast went beyond the 10-day tolerance" in empty.source_text

    def test_the_embedded_plan_by_hand(self):
        # Open tasks more than 30 days late at 31 Mar 2017 and not at 28 Feb 2017, from the two task tables.
        plan = read_plan_file(DEFAULT_PLAN)
        from src.analysis.progress import task_table

        now, before = task_table(plan, D("2017-03-31")), task_table(plan, D("2017-02-28")).set_index("task_id")
        is_open = ~now["status"].isin(["Complete", "Cancelled"])
        late = now[is_open & (now["slip_days"].fillna(0) > 30)]
        by_hand = [t for t in late["task_id"] if not (before.at[t, "slip_days"] > 30 if pd.notna(before.at[t, "slip_days"]) else False)]
        needed = g.decisions_needed(view_at(plan, "2017-03-31"))
        assert list(needed.table["Decision ID"]) == by_hand and by_hand

    def test_an_empty_decisions_sheet_is_still_the_source(self):
        plan = load_plan(governance_plan(decisions=[]), "empty.xlsx")
        needed = g.decisions_needed(view_at(plan, "2017-03-31"))
        assert needed.source == g.SOURCE_LOG and needed.table.empty

    def test_taken_not_done_overdue_first(self, plan):
        taken = g.decisions_taken_not_done(view_at(plan, "2017-03-31"))
        assert list(taken["Decision ID"]) == ["D1", "D2"]
        assert list(taken["Timeliness"]) == ["Overdue by 31 days", "Due in 30 days"]  # due 28 Feb; due 30 Apr
        assert taken.set_index("Decision ID").at["D2", "Owner"] == g.NO_OWNER
        # At 31 Jan, D2 (taken at the 28 Feb meeting) was not yet taken.
        early = g.decisions_taken_not_done(view_at(plan, "2017-01-31"))
        assert list(early["Decision ID"]) == ["D1"] and list(early["Timeliness"]) == ["Due in 28 days"]


class TestBetweenTwoDates:
    def test_issues_opened_and_closed_and_decisions_taken(self, plan):
        march = g.governance_changes(view_at(plan, "2017-03-31"), D("2017-02-28"))
        assert list(march.issues_opened["Issue ID"]) == ["I5"]
        assert list(march.issues_closed["Issue ID"]) == ["I4"]  # I3 has no closed date: cannot be placed
        assert march.decisions_taken.empty
        february = g.governance_changes(view_at(plan, "2017-03-31"), D("2017-01-31"), D("2017-02-28"))
        assert list(february.issues_opened["Issue ID"]) == ["I2", "I4"]
        assert february.issues_closed.empty
        assert list(february.decisions_taken["Decision ID"]) == ["D2", "D4"]  # Taken and Done at the 28 Feb meeting


class TestSurfaces:
    def test_cli_json_has_issues_and_decisions(self, tmp_path, capsys):
        path = tmp_path / "gov.xlsx"
        path.write_bytes(governance_plan())
        assert main(["summary", "--json", "--plan", str(path), "--as-at", "2017-03-31"]) == 0
        summary = json.loads(capsys.readouterr().out)
        issues, decisions = summary["issues"], summary["decisions"]
        assert issues["log"] is True and (issues["open"], issues["closed"]) == (3, 2)
        assert issues["items"][0] == {
            "issue_id": "I1",
            "issue": "Recruitment freeze",
            "state": "Open",
            "raised": "2017-01-10",
            "days_open": 80,
            "owner": "HR Lead",
            "task_ids": ["T1"],
            "tasks_held_up": "Recruit ten social workers (T1, Red)",
            "worst_rag": "Red",
            "theme": None,
            "impact": "No new posts",
            "action": "Ask for an exemption",
            "closed": None,
            "note": None,
        }
        assert decisions["needed_source"] == "decisions log"
        assert [d["decision_id"] for d in decisions["needed"]] == ["D5", "D3"]
        assert [d["decision_id"] for d in decisions["taken_not_done"]] == ["D1", "D2"] and decisions["overdue"] == 1

    def test_cli_text_report_mentions_them(self, tmp_path, capsys):
        path = tmp_path / "gov.xlsx"
        path.write_bytes(governance_plan())
        assert main(["summary", "--plan", str(path), "--as-at", "2017-03-31"]) == 0
        out = capsys.readouterr().out
        assert "Issues: 3 open, 2 closed." in out
        assert "Decisions needed: From the plan's decisions log: 2 decisions marked Needed." in out
        assert "  D1: Fund two agency social workers (Overdue by 31 days; owner HR Lead)" in out

    def test_cli_on_the_embedded_plan_says_there_is_no_log(self, capsys):
        assert main(["summary", "--json", "--as-at", "2017-03-31"]) == 0
        summary = json.loads(capsys.readouterr().out)
        assert summary["issues"]["log"] is False and summary["issues"]["items"] == []
        assert "keeps no issues log" in summary["issues"]["note"]
        assert summary["decisions"]["needed_source"] == "worked out from the data"

    def test_excel_export_has_issues_and_decisions_sheets(self, plan):
        sheets = pd.read_excel(io.BytesIO(export_workbook(view_at(plan, "2017-03-31"))), sheet_name=None, engine="calamine")
        assert list(sheets["Issues"]["Issue ID"]) == ["I1", "I2", "I5", "I4", "I3"]
        assert sheets["Issues"].set_index("Issue ID").at["I3", "Task IDs"] == "T2"
        decisions = sheets["Decisions"]
        assert list(zip(decisions["List"], decisions["Decision ID"])) == [
            ("Needed at the next meeting", "D5"),
            ("Needed at the next meeting", "D3"),
            ("Taken, not yet done", "D1"),
            ("Taken, not yet done", "D2"),
            ("Done", "D4"),
        ]

    def test_excel_export_of_a_plan_without_the_sheets_says_so(self):
        view = PlanView.build(read_plan_file(DEFAULT_PLAN), D("2017-03-31"), 30)
        sheets = pd.read_excel(io.BytesIO(export_workbook(view)), sheet_name=None, engine="calamine")
        assert "keeps no issues log" in sheets["Issues"]["Note"].iloc[0]
        assert set(sheets["Decisions"]["Source"]) <= {"worked out from the data"}


def test_issue_and_decision_columns_follow_the_contract():
    """The builders' columns are the contract's, in its order (shared/spec/workbook-format.md)."""
    from src.analysis.schema import PLAN_SHEETS

    specs = {s.name: [c.name for c in s.columns] for s in PLAN_SHEETS}
    assert specs["Issues"] == ISSUE_COLUMNS and specs["Decisions"] == DECISION_COLUMNS
    assert len(ISSUES) == 6 and len(DECISIONS) == 5

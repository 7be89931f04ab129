"""The governance log on the pages (issue 15): the Governance log page (risks, issues, decisions), the open
issue beside a Red or Amber task on the Exceptions page, and issues and decisions on the Changes page, with
a plan that has both sheets (tests/governance_builders.py) and with the embedded plan, which has neither."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from src.analysis.governance_log import decisions_needed
from src.analysis.plan_view import PlanView
from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file
from tests.apptest_helpers import metrics, run_page, use_embedded_workbooks  # noqa: F401 (an autouse fixture)
from tests.governance_builders import governance_plan
from tests.test_governance_pages import CHANGES, EXCEPTIONS, RISKS, assert_clean, in_order, table_after, use_plan

TIMEOUT = 60


def run(page: str, **query):
    return run_page(page, TIMEOUT, **query)


def texts(at) -> list[str]:
    """Every info, markdown and caption on the page, in order."""
    return [e.value for e in in_order(at.main) if e.type in ("markdown", "caption", "alert") or e.type == "info"]


def with_logs(tmp_path, monkeypatch) -> Path:
    return use_plan(tmp_path, monkeypatch, governance_plan(), "gov.xlsx")


class TestGovernanceLogPage:
    def test_counts_issues_and_decisions_at_the_reporting_date(self, tmp_path, monkeypatch):
        with_logs(tmp_path, monkeypatch)
        at = run(RISKS, as_at="2017-03-31")
        assert_clean(at)
        assert at.title[0].value == "Governance log: risks, issues, decisions and LSCB"
        assert metrics(at) == {"Open issues": "3", "Decisions needed": "2", "Decisions taken, not yet done": "2", "Of which overdue": "1"}

    def test_issues_open_first_oldest_first_with_the_tasks_they_hold_up(self, tmp_path, monkeypatch):
        with_logs(tmp_path, monkeypatch)
        at = run(RISKS, as_at="2017-03-31")
        issues = table_after(at, "Issues log")
        assert list(issues["Issue ID"]) == ["I1", "I2", "I5", "I4", "I3"]
        assert list(issues["State at reporting date"]) == ["Open", "Open", "Open", "Closed", "Closed"]
        assert issues["Raised"].iloc[0] == "10 Jan 2017"  # dates as people write them
        assert issues["Tasks held up"].iloc[1] == "Open the new assessment team (T3, Cancelled)"

    def test_decisions_say_where_they_come_from_and_overdue_come_first(self, tmp_path, monkeypatch):
        with_logs(tmp_path, monkeypatch)
        at = run(RISKS, as_at="2017-03-31")
        assert "**Where this list comes from:** From the plan's decisions log: 2 decisions marked Needed." in texts(at)
        assert list(table_after(at, "Decisions needed")["Decision ID"]) == ["D5", "D3"]
        taken = table_after(at, "Decisions taken, not yet done")
        assert list(taken["Timeliness"]) == ["Overdue by 31 days", "Due in 30 days"]
        assert list(taken["Owner"]) == ["HR Lead", "(no owner given)"]

    def test_the_embedded_plan_says_plainly_it_has_neither_log(self):
        at = run(RISKS, as_at="2017-03-31")
        assert_clean(at)
        shown = " ".join(i.value for i in at.info)
        assert "keeps no issues log (it has no Issues sheet)" in shown
        assert "keeps no decisions log (it has no Decisions sheet)" in shown
        assert "The Durham plan as published" in shown
        assert any(t.startswith("**Where this list comes from:** Worked out from the data") for t in texts(at))
        assert metrics(at)["Open issues"] == "0"
        view = PlanView.build(read_plan_file(DEFAULT_PLAN), pd.Timestamp("2017-03-31"), 30)
        assert list(table_after(at, "Decisions needed")["Ref"]) == list(decisions_needed(view).table["Decision ID"]) == ["P3-M5-T1"]
        assert len(table_after(at, "Risk register")) == 5  # the risk register is still there


class TestExceptionsPage:
    def test_a_red_or_amber_task_with_an_open_issue_shows_it(self, tmp_path, monkeypatch):
        with_logs(tmp_path, monkeypatch)
        at = run(EXCEPTIONS, as_at="2017-03-31")
        assert_clean(at)
        rows = pd.concat([d.value for d in at.dataframe if "Why listed" in d.value.columns])
        issue_of = dict(zip(rows["Code"], rows["Open issue"]))  # the task's words lead; its code sits beside them
        assert issue_of["T1"] == "Issue I1: Recruitment freeze (owner HR Lead, open since 10 Jan 2017)"
        assert issue_of["T2"] == ""  # Amber, but its issue I3 is closed
        assert any(c.value.startswith("2 Red or Amber tasks held up by an open issue") for c in at.caption)

    def test_the_card_shows_the_open_issue(self, tmp_path, monkeypatch):
        with_logs(tmp_path, monkeypatch)
        at = run(EXCEPTIONS, as_at="2017-03-31")
        at.toggle(key="one_at_a_time").set_value(True).run()
        card = next(m.value for m in at.markdown if m.value.startswith("**Why listed:**"))
        assert "**Open issue:** Issue I1: Recruitment freeze" in card  # the first item is T1, Red

    def test_the_embedded_plan_has_no_issue_column_and_says_why(self):
        at = run(EXCEPTIONS, as_at="2017-03-31")
        assert_clean(at)
        assert all("Open issue" not in d.value.columns for d in at.dataframe)
        assert any("keeps no issues log" in c.value for c in at.caption)


class TestChangesPage:
    def test_issues_opened_and_closed_and_decisions_taken_since_the_last_meeting(self, tmp_path, monkeypatch):
        with_logs(tmp_path, monkeypatch)
        at = run(CHANGES, as_at="2017-03-31")
        assert_clean(at)
        counts = metrics(at)
        assert (counts["Issues opened"], counts["Issues closed"], counts["Decisions taken"]) == ("1", "1", "0")
        assert list(table_after(at, "Issues opened")["Issue ID"]) == ["I5"]
        assert list(table_after(at, "Issues closed")["Issue ID"]) == ["I4"]
        at.selectbox(key="changes_from").select("2017-01-31").run()
        at.selectbox(key="changes_to").select("2017-02-28").run()
        assert_clean(at)
        assert metrics(at)["Decisions taken"] == "2"
        assert list(table_after(at, "Decisions taken")["Decision ID"]) == ["D2", "D4"]

    def test_the_embedded_plan_says_it_keeps_no_logs(self):
        at = run(CHANGES, as_at="2017-03-31")
        assert_clean(at)
        written = [m.value for m in at.markdown]
        assert "None recorded: this plan workbook keeps no issues log (no Issues sheet)." in written
        assert "None recorded: this plan workbook keeps no decisions log (no Decisions sheet)." in written


def test_the_brief_shows_the_open_issue_beside_a_red_or_amber_task(tmp_path):
    """Issue 15: a Red or Amber task held up by an open issue shows it in the brief's "what slipped" table too."""
    from src.analysis.plan_view import PlanView
    from src.analysis.plan_workbook import load_plan
    from src.export.brief_model import slipped_table
    from tests.governance_builders import governance_plan

    view = PlanView.build(load_plan(governance_plan(), "gov.xlsx"), "2017-03-31", 30)
    table, _ = slipped_table(view, None)
    why = {row[0]: row[3] for row in table.rows}
    held = [w for w in why.values() if "Open issue: Issue I1: Recruitment freeze (owner HR Lead, open since 10 Jan 2017)" in w]
    assert len(held) == 1
    assert not any("Issue I3" in w for w in why.values())  # closed: not shown

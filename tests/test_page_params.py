"""Issue 14: every page control in the URL; the Caseloads month follows the sidebar date; the upload notice."""

from __future__ import annotations

from pathlib import Path

from src.analysis.explore import Grouping, Measure
from src.ui.sources import UPLOAD_SESSION_NOTE
from tests.apptest_helpers import run_page, use_embedded_workbooks  # noqa: F401 (an autouse fixture)

ROOT = Path(__file__).resolve().parents[1]
PAGE = lambda name: str(ROOT / "pages" / name)  # noqa: E731


def value(at, name):
    got = at.query_params.get(name)
    return got[0] if isinstance(got, list) and got else got


def test_explore_grouping_and_measure_from_and_to_the_url():
    at = run_page(PAGE("5_explore.py"), 30, group="lead", measure="slipped tasks")
    assert not at.exception and not at.warning[1:]  # no session-state warning beside the widgets
    assert at.selectbox(key="explore_grouping").value == Grouping.LEAD
    assert at.selectbox(key="explore_measure").value == Measure.SLIPPED_TASKS
    at.selectbox(key="explore_grouping").set_value(Grouping.RAG).run()
    assert value(at, "group") == "RAG"
    at.selectbox(key="explore_grouping").set_value(Grouping.THEME).run()
    assert value(at, "group") is None  # the default stays out of the link


def test_exceptions_options_from_and_to_the_url():
    at = run_page(PAGE("9_exceptions.py"), 30, as_at="2017-03-31", due="90", group="Theme")
    assert not at.exception
    assert at.number_input(key="due_within_days").value == 90
    assert at.radio(key="exceptions_group_by").value == "Theme"
    at.toggle(key="one_at_a_time").set_value(True).run()
    assert value(at, "one") == "True" and value(at, "due") == "90"


def test_exceptions_ignores_an_unreadable_window():
    at = run_page(PAGE("9_exceptions.py"), 30, as_at="2017-03-31", due="many")
    assert not at.exception and at.number_input(key="due_within_days").value == 30


def test_changes_dates_from_the_url():
    at = run_page(PAGE("10_changes.py"), 30, **{"from": "2016-12-31", "to": "2017-03-31"})
    assert not at.exception
    assert at.selectbox(key="changes_from").value == "2016-12-31"
    assert at.selectbox(key="changes_to").value == "2017-03-31"


def test_caseloads_month_follows_the_sidebar_and_team_is_in_the_url():
    at = run_page(PAGE("7_caseloads.py"), 30, as_at="2017-03-31")
    assert not at.exception
    assert any(m.value == "**Month:** 31 Mar 2017" for m in at.markdown)
    assert not [s for s in at.selectbox if s.label == "Month"]  # no second date picker
    options = at.selectbox(key="caseload_focus").options
    at.selectbox(key="caseload_focus").set_value(at.selectbox(key="caseload_focus").options[1]).run() if len(options) > 1 else None
    assert value(at, "team") == options[1]
    again = run_page(PAGE("7_caseloads.py"), 30, as_at="2017-03-31", team=options[1])
    assert again.selectbox(key="caseload_focus").value == options[1]


def test_upload_notice_says_the_upload_is_for_this_session_only():
    from tests.fixtures_other_council import other_council_plan_bytes

    at = run_page(PAGE("1_overview.py"), 30)
    at.session_state["pending_upload_plan"] = ("northshire.xlsx", other_council_plan_bytes())
    at.run()
    assert any(UPLOAD_SESSION_NOTE in s.value for s in at.success)
    assert any(UPLOAD_SESSION_NOTE in c.value for c in at.sidebar.caption)

"""Memoised pages follow their controls (issue 19): each page memoises its charts and tables across reruns
(`context.memo`, keys from `ctx.data_key` / `ctx.view_key` plus the page's own controls). Changing a
filter, the reporting date or a page control changes what is shown, and what a rerun shows after the change
is what a fresh session with that choice shows when nothing is cached: a memo key that missed a control
would show the previous choice's chart or table."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.apptest_helpers import use_embedded_workbooks  # noqa: F401 (an autouse fixture)

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


def page(name: str) -> str:
    (found,) = (ROOT / "pages").glob(f"{name}.py")
    return str(found)


def shown(at: AppTest) -> dict:
    """What the page shows: every chart's spec, table, heading, text and figure."""
    assert not at.exception, at.exception
    return {
        "charts": [c.proto.spec for c in at.get("plotly_chart")],
        "tables": [t.value.to_csv() for t in at.dataframe],
        "headers": [h.value for h in at.header] + [h.value for h in at.subheader],
        "text": [m.value for m in at.markdown] + [c.value for c in at.caption],
        "metrics": [(m.label, m.value) for m in at.metric],
    }


def fresh(name: str, change) -> dict:
    """A new session with the change made when nothing is cached (so no memo can answer for it)."""
    at = AppTest.from_file(page(name), default_timeout=TIMEOUT).run()
    st.cache_resource.clear()
    change(at)
    return shown(at)


def theme_1(at: AppTest) -> None:
    at.multiselect(key="w_theme").select("1").run()


def earlier_date(at: AppTest) -> None:
    at.selectbox(key="w_as_at").select("2016-12-31").run()


def second_option(key: str):
    def choose(at: AppTest) -> None:
        at.selectbox(key=key).select_index(1).run()  # the first option is the default on each of these pages

    return choose


def other_neighbours_model(at: AppTest) -> None:
    from src.analysis.published import DEFAULT_MODEL, MODELS

    at.radio(key="published_model").set_value(next(m for m in MODELS if m != DEFAULT_MODEL)).run()


CHANGES = [
    ("1_overview", theme_1, "the change tables and figures"),
    ("2_timeline", theme_1, "the undated tasks and rows"),
    ("3_rag", theme_1, "the roll-up tables"),
    ("4_coverage", earlier_date, "the coverage grid and tables (whole plan: the date, not the filters)"),
    ("5_explore", theme_1, "the chart and its choices"),
    ("7_caseloads", second_option("caseload_focus"), "the team's frames, charts and tables"),
    ("8_scorecard", earlier_date, "the scorecard table and the KPI's chart"),
    ("9_exceptions", theme_1, "the filtered exceptions, their counts and group tables"),
    ("10_changes", theme_1, "the changed tasks and their tables"),
    ("14_benchmarks", other_neighbours_model, "the measure's charts (statistical neighbours)"),
]


@pytest.mark.parametrize(("name", "change", "what"), CHANGES, ids=[c[0] for c in CHANGES])
def test_a_change_shows_what_a_fresh_session_shows(name, change, what):
    at = AppTest.from_file(page(name), default_timeout=TIMEOUT).run()
    at.run()  # a warm rerun: the memoised charts and tables are used
    before = shown(at)
    change(at)
    after = shown(at)
    assert after != before, f"{name}: {what} did not change"
    assert after == fresh(name, change), f"{name}: {what} after the change differ from a fresh session's"


def test_the_scorecards_kpi_chart_follows_the_kpi_chosen():
    at = AppTest.from_file(page("8_scorecard"), default_timeout=TIMEOUT).run()
    before = shown(at)["charts"]
    second_option("scorecard_kpi")(at)
    after = shown(at)["charts"]
    assert after[0] == before[0] and after[1] != before[1]  # the KPI grid stays, the one KPI's chart changes


def test_the_exceptions_follow_their_grouping_and_due_days():
    at = AppTest.from_file(page("9_exceptions"), default_timeout=TIMEOUT).run()
    before = shown(at)
    radio = at.radio(key="exceptions_group_by")
    radio.set_value(next(o for o in radio.options if o != radio.value)).run()
    by_other = shown(at)
    assert by_other["headers"] != before["headers"]
    at.number_input(key="due_within_days").set_value(365).run()
    assert shown(at)["metrics"] != by_other["metrics"]


def test_explores_chart_follows_the_grouping():
    at = AppTest.from_file(page("5_explore"), default_timeout=TIMEOUT).run()
    before = shown(at)
    second_option("explore_grouping")(at)
    assert shown(at)["charts"] != before["charts"]

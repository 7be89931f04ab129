"""The plain-Python parts of src/ui and src/templates: query parameters, control settling,
display formatting and the blank templates."""

from __future__ import annotations

import pandas as pd

from src.analysis.performance_workbook import load_performance
from src.analysis.plan_workbook import load_plan
from src.templates import performance_template_bytes, plan_template_bytes
from src.ui.state import Controls, from_query, settle, to_query
from src.ui.tables import csv_bytes, for_display

DATES = ["2017-01-31", "2017-02-28", "2017-03-31"]


class TestFromQuery:
    def test_reads_every_parameter_and_repeated_lists(self):
        controls = from_query({"as_at": ["2017-02-28"], "tol": ["10"], "theme": ["1", "2"], "lead": ["A"], "rag": ["red"]})
        assert controls == Controls("2017-02-28", 10, ["1", "2"], ["A"], ["red"])

    def test_ignores_unreadable_values(self):
        controls = from_query({"as_at": ["not a date"], "tol": ["-3"]})
        assert controls.as_at is None and controls.tolerance_days == 30


class TestSettle:
    def test_unknown_date_falls_back_to_the_latest_and_filters_drop_unknown_values(self):
        settled = settle(Controls("2016-01-01", 30, ["1", "9"], ["A", "Z"], ["red", "Purple"]), DATES, ["1", "2"], ["A"], ["Red", "Amber"])
        assert settled == Controls("2017-03-31", 30, ["1"], ["A"], ["Red"])

    def test_known_date_is_kept(self):
        assert settle(Controls("2017-02-28"), DATES, [], [], []).as_at == "2017-02-28"


class TestToQuery:
    def test_defaults_are_left_out(self):
        assert to_query(Controls("2017-03-31", 30), latest="2017-03-31") == {}

    def test_a_view_round_trips_through_the_link(self):
        view = Controls("2017-02-28", 14, ["2"], ["Lead A"], ["Red", "Amber"])
        params = to_query(view, latest="2017-03-31")
        assert params == {"as_at": ["2017-02-28"], "tol": ["14"], "theme": ["2"], "lead": ["Lead A"], "rag": ["Red", "Amber"]}
        assert from_query(params) == view


class TestDisplay:
    def test_dates_as_house_style_and_lists_joined(self):
        frame = pd.DataFrame({"when": pd.to_datetime(["2017-03-31", None]), "ids": [("3", "9"), ()]})
        shown = for_display(frame)
        assert shown["when"].tolist() == ["31 Mar 2017", ""]
        assert shown["ids"].tolist() == ["3, 9", ""]

    def test_csv_guards_formula_like_text(self):
        text = csv_bytes(pd.DataFrame({"note": ["=HYPERLINK(1)", "fine"]})).decode("utf-8-sig")
        assert "'=HYPERLINK(1)" in text


class TestTemplates:
    def test_plan_template_reads_cleanly_with_no_example_rows_in_the_real_sheets(self):
        plan = load_plan(plan_template_bytes(), "plan_template.xlsx")
        assert plan.findings == []
        assert len(plan.tasks) == 0 and len(plan.updates) == 0
        assert set(plan.about) >= {"organisation", "plan_title", "plan_date"}

    def test_plan_template_has_its_examples_dropdowns_and_accepted_forms_on_their_own(self):
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(plan_template_bytes()))
        examples = list(book["Examples"].values)
        assert ("Tasks", "task", "Assess the additional social work capacity needed") in examples
        rules = {str(r.sqref): r.formula1 for r in book["Updates"].data_validations.dataValidation}
        assert rules == {"C2:C2000": '"Not started,In progress,Complete,On hold,Cancelled"', "G2:G2000": '"Red,Amber,Green,Blue"'}
        accepted = {row[0]: row[1] for row in list(book["Accepted headings and dates"].values)[1:]}
        assert "Who by" in accepted["Tracker column: lead"] and "By September 2015" in accepted["Date: A deadline"]

    def test_performance_template_reads_cleanly(self):
        performance = load_performance(performance_template_bytes(), "performance_template.xlsx")
        assert performance.findings == []
        assert len(performance.kpis) == 1 and len(performance.caseloads) == 1

    def test_templates_explain_every_column_in_a_notes_sheet(self):
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(plan_template_bytes()))
        assert "Notes" in book.sheetnames
        notes = pd.DataFrame(list(book["Notes"].values)[1:], columns=list(book["Notes"].values)[0])
        assert notes["meaning"].fillna("").str.len().gt(0).all()
        assert {"Tasks", "Updates", "Recommendations"} <= set(notes["sheet"])


def test_an_unexpected_failure_while_reading_an_upload_is_a_message_not_a_traceback(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from src.ui import sources as ui_sources

    real = ui_sources.load_plan

    def explode(data, name="x", *args):  # a reader bug that only this upload meets
        if name == "odd.xlsx":
            raise RuntimeError("boom")
        return real(data, name, *args)

    monkeypatch.setattr(ui_sources, "load_plan", explode)
    real_isolated = ui_sources.load_isolated  # uploads are read in the worker process: the same bug, met there

    def explode_isolated(kind, data, name, *args):
        if name == "odd.xlsx":
            raise RuntimeError("boom")
        return real_isolated(kind, data, name, *args)

    monkeypatch.setattr(ui_sources, "load_isolated", explode_isolated)
    from pathlib import Path

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "pages" / "1_overview.py"), default_timeout=60)
    at.session_state["pending_upload_plan"] = ("odd.xlsx", b"PK-not-really")
    at.run()
    assert not at.exception
    assert any("could not be read: the file may be damaged" in e.value for e in at.error)
    assert not any("RuntimeError" in e.value for e in at.error)  # no error class names on screen (issue 14)

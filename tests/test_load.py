"""Reading any workbook that follows the contract: loose names, title blocks, located findings."""

import datetime as dt
import io
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest

from src.analysis import load
from src.analysis.findings import Severity, WorkbookError
from src.analysis.plan_workbook import load_plan
from src.analysis.schema import PLAN_SHEETS, normalise_name
from tests.builders import TASK_COLUMNS, frame, other_council_plan_bytes, plan_bytes, task, update


def messages(plan, column=None):
    return [f.message for f in plan.findings if column is None or f.column == column]


class TestNames:
    @pytest.mark.parametrize("spelling", ["Task ID", "task-id", "task_id", " TASK id "])
    def test_contract_spellings_are_one_column(self, spelling):
        assert normalise_name(spelling) == "task_id"


class TestOtherCouncilStyle:
    @pytest.fixture(scope="class")
    def plan(self):
        return load_plan(other_council_plan_bytes(), "anytown.xlsx")

    def test_header_found_under_title_block_with_other_spellings(self, plan):
        assert list(plan.tasks["task_id"]) == ["A1", "A2", "A3", "B1", "B2"]
        assert plan.tasks.loc[0, "excel_row"] == 5  # three title rows, header on row 4

    def test_blank_lead_is_inferred_from_the_row_above_in_its_milestone(self, plan):
        tasks = plan.tasks.set_index("task_id")
        assert tasks.loc["A2", "lead"] == "Head of Service" and bool(tasks.loc["A2", "lead_inferred"])
        assert not bool(tasks.loc["A3", "lead_inferred"])

    def test_excel_dates_mixed_with_plan_wording(self, plan):
        tasks = plan.tasks.set_index("task_id")
        assert tasks.loc["A1", "planned_finish"] == pd.Timestamp("2023-06-30")
        assert tasks.loc["A2", "planned_finish"] == pd.Timestamp("2023-09-30") and bool(tasks.loc["A2", "started_at_plan"])
        assert tasks.loc["A3", "planned_start"] == pd.Timestamp("2023-04-01")
        assert pd.isna(tasks.loc["B2", "planned_finish"]) and tasks.loc["B2", "finish_as_written"] == "TBC"

    def test_ids_compare_as_trimmed_text(self, plan):
        assert list(plan.recommendations["rec_id"]) == ["1", "2", "3"]  # read from 1.0, 2.0, 3.0
        assert plan.tasks.set_index("task_id").loc["A3", "rec_ids"] == ("2",)  # from 2.0

    def test_declared_pairs_split_from_one_cell(self, plan):
        assert sorted(map(tuple, plan.theme_recommendations[["theme_id", "rec_id"]].values)) == [("1", "1"), ("1", "2"), ("2", "3")]

    def test_status_synonyms_and_no_findings(self, plan):
        assert list(plan.updates["status"]) == ["Complete", "In progress", "In progress", "On hold"]
        assert plan.findings == []


class TestFatal:
    def test_not_a_workbook(self):
        with pytest.raises(WorkbookError) as error:
            load_plan(b"this is a text file", "notes.xlsx")
        assert "could not be read as an Excel workbook" in str(error.value)
        assert error.value.findings[0].workbook == "notes.xlsx"

    def test_zero_bytes(self):
        with pytest.raises(WorkbookError, match="empty"):
            load_plan(b"", "empty.xlsx")

    def test_truncated(self):
        data = plan_bytes([task("T1", "May 16", "June 16")])
        with pytest.raises(WorkbookError, match="damaged or incomplete"):
            load_plan(data[: len(data) // 2], "cut.xlsx")

    def test_missing_required_sheet_is_named_and_other_sheets_still_checked(self):
        wb = openpyxl.Workbook()
        wb.active.title = "Recommendations"
        wb.active.append(["rec_id", "recommendation"])
        themes = wb.create_sheet("Themes")
        themes.append(["theme_id"])  # 'theme' column missing too
        raw = io.BytesIO()
        wb.save(raw)
        with pytest.raises(WorkbookError) as error:
            load_plan(raw.getvalue(), "partial.xlsx")
        errors = [f for f in error.value.findings if f.severity == Severity.ERROR]
        assert {(f.sheet, f.column) for f in errors} >= {("Tasks", None), ("Theme_Recommendations", None), ("Themes", "theme")}
        assert all(f.workbook == "partial.xlsx" for f in errors)

    def test_missing_required_column_names_sheet_and_column(self):
        tasks = frame([c for c in TASK_COLUMNS if c != "finish"], [("T1", 1, "M1", "m", "T1", "t", "L", "May 16", "1")])
        data = plan_bytes([], extra={"Tasks": tasks})
        with pytest.raises(WorkbookError) as error:
            load_plan(data, "nofinish.xlsx")
        [finding] = [f for f in error.value.findings if f.severity == Severity.ERROR]
        assert (finding.sheet, finding.column) == ("Tasks", "finish")
        assert "nofinish.xlsx, sheet Tasks, column finish" in str(finding)


class TestValueFindings:
    def test_duplicate_task_id_keeps_the_first_and_names_both_rows(self):
        plan = load_plan(plan_bytes([task("T1", "May 16", "June 16"), task("T1", "May 16", "July 16")]), "dup.xlsx")
        assert len(plan.tasks) == 1 and plan.tasks.loc[0, "finish_as_written"] == "June 16"
        [finding] = plan.findings
        assert (finding.sheet, finding.row, finding.column) == ("Tasks", 3, "task_id") and "first used on row 2" in finding.message

    def test_unreadable_date_is_a_finding_and_the_task_is_kept(self):
        plan = load_plan(plan_bytes([task("T1", "May 16", "end of spring")]), "d.xlsx")
        assert len(plan.tasks) == 1 and plan.tasks.loc[0, "finish_kind"] == "unreadable"
        [finding] = plan.findings
        assert (finding.row, finding.column) == (2, "finish") and "end of spring" in finding.message

    def test_finish_before_start(self):
        plan = load_plan(plan_bytes([task("T1", "Sept 16", "May 16")]), "d.xlsx")
        assert any("finishes (May 16) before it starts (Sept 16)" in m for m in messages(plan))

    def test_update_for_unknown_task_is_left_out(self):
        plan = load_plan(plan_bytes([task("T1", "May 16", "June 16")], [update("T9", "2016-09-30", "Complete")]), "u.xlsx")
        assert plan.updates.empty
        [finding] = plan.findings
        assert (finding.sheet, finding.row, finding.column) == ("Updates", 2, "task_id")

    def test_unknown_status_keeps_the_previous_one(self):
        plan = load_plan(
            plan_bytes(
                [task("T1", "May 16", "Mar 17")],
                [update("T1", "2016-09-30", "In progress", 30), update("T1", "2016-10-31", "Nearly there", 60)],
            ),
            "s.xlsx",
        )
        assert messages(plan, "status") == ["Task T1 at 31 Oct 2016: 'Nearly there' is not a known status; the previous status is kept."]
        from src.analysis.progress import task_table

        row = task_table(plan, pd.Timestamp("2016-10-31")).iloc[0]
        assert row["status"] == "In progress" and row["percent_complete"] == 60

    def test_percent_outside_0_100_is_ignored(self):
        plan = load_plan(plan_bytes([task("T1", "May 16", "Mar 17")], [update("T1", "2016-09-30", "In progress", 150)]), "p.xlsx")
        assert pd.isna(plan.updates.loc[0, "percent_complete"])
        assert messages(plan, "percent_complete") == ["Task T1: percent complete 150 is outside 0-100; ignored."]

    def test_unknown_rec_id_in_task(self):
        plan = load_plan(plan_bytes([task("T1", "May 16", "June 16", rec_ids="1, 42")]), "r.xlsx")
        assert plan.tasks.loc[0, "rec_ids"] == ("1",)
        assert "42" in messages(plan, "rec_ids")[0]

    def test_not_a_number_is_located(self):
        plan = load_plan(plan_bytes([task("T1", "May 16", "Mar 17")], [update("T1", "2016-09-30", "In progress", "lots")]), "n.xlsx")
        [finding] = plan.findings
        assert (finding.sheet, finding.row, finding.column) == ("Updates", 2, "percent_complete")

    def test_fully_blank_rows_are_skipped_and_rows_numbered_as_excel_does(self):
        blank = (None,) * len(TASK_COLUMNS)
        plan = load_plan(plan_bytes([task("T1", "May 16", "June 16"), blank, task("T2", "May 16", "June 16")]), "b.xlsx")
        assert list(plan.tasks["excel_row"]) == [2, 4] and plan.findings == []

    def test_rows_of_only_spaces_are_blank(self):
        spaces = ("  ",) + (None,) * (len(TASK_COLUMNS) - 1)
        plan = load_plan(plan_bytes([task("T1", "May 16", "June 16"), spaces]), "s.xlsx")
        assert list(plan.tasks["task_id"]) == ["T1"] and plan.findings == []


class TestEmbeddedPlan:
    def test_embedded_workbook_reads_without_findings(self):
        from src.analysis.workbook_paths import DEFAULT_PLAN, read_plan_file

        plan = read_plan_file(DEFAULT_PLAN)
        assert len(plan.tasks) == 34 and len(plan.recommendations) == 14 and plan.findings == []
        assert plan.is_illustrative and len(plan.reporting_dates) == 16


# ---- the loader's C-level fast paths -------------------------------------------------------------
# Each fast path (all text; real dates with blank cells; finite numbers with blank cells) gives exactly what the
# per-value readers give; any other cell sends the column through the reader, cell by cell, as before.


def slow_text(values, ids):
    reader = load._id_text if ids else load._text
    return [reader(v) for v in values]


def test_an_all_text_column_reads_as_the_per_value_reader_does():
    values = ["  T1 ", "", "   ", "3.0", "+4.00", "4.50", "10", "abc", "x0"]
    for ids in (True, False):
        assert load._text_column(values, ids=ids).tolist() == slow_text(values, ids)
    assert load._text_column(values, ids=True).tolist()[3:6] == ["3", "4", "4.50"]


def test_a_mixed_column_still_goes_through_the_reader():
    values = ["T1", 3.0, 4.5, None, dt.date(2017, 3, 31)]
    assert load._text_column(values, ids=True).tolist() == slow_text(values, True)


def slow_dates(values):
    out = []
    for v in values:
        try:
            out.append(load._date(v))
        except ValueError:
            out.append(load._UNREADABLE)
    return out


def test_real_dates_with_blank_cells_take_the_fast_path_and_match_the_reader():
    values = [dt.date(2017, 3, 31), "", "  ", dt.date(2016, 1, 1)]
    fast = load._dates_fast(values)
    assert fast[0] is values[0] and fast[1] is None and fast[2] is None and fast[3] is values[3]
    assert [None if v is None else np.datetime64(v) for v in fast] == [
        None if v is None else np.datetime64(v.date()) for v in slow_dates(values)
    ]


def test_a_date_out_of_range_or_text_date_leaves_the_fast_path():
    far = dt.date(1200, 1, 1)
    values = [dt.date(2017, 3, 31), far, "March 2017", ""]
    fast = load._dates_fast(values)
    assert fast[1] is load._UNREADABLE
    assert fast[2] == load._date("March 2017")
    assert fast[3] is None


def test_finite_numbers_with_blank_cells_read_in_one_array():
    numbers = load._numbers_fast([1.0, 2, "", "  ", 3.5])
    assert numbers.dtype == np.float64
    assert numbers[[0, 1, 4]].tolist() == [1.0, 2.0, 3.5] and math.isnan(numbers[2]) and math.isnan(numbers[3])


def test_numbers_that_need_the_reader_are_not_taken_by_the_fast_path():
    assert load._numbers_fast(["1,200", 3.0]) is None  # text: the reader parses it (or reports it)
    assert load._numbers_fast([math.inf, 1.0]) is None  # not a figure: the reader reports the cell
    assert load._numbers_fast([True, 1.0]) is None  # a tick box is not a number
    assert load._numbers_fast([]) is None


def test_a_column_is_all_filled_only_when_no_cell_is_blank():
    assert load._all_filled(("a", "b"))
    assert not load._all_filled(("a", ""))
    assert load._all_filled((1, dt.date(2017, 1, 1)))
    assert not load._all_filled((1.0, 2.0))  # floats may be NaN: the general check decides
    assert not load._all_filled(())


def test_a_repeated_header_written_differently_is_still_skipped():
    spec = next(s for s in PLAN_SHEETS if s.name == "Updates")
    header = [
        "task_id",
        "as_at",
        "status",
        "percent_complete",
        "forecast_finish",
        "actual_finish",
        "reported_rag",
        "commentary",
        "updated_by",
    ]
    rows = [header, ["T1", dt.date(2017, 3, 31), "In progress", 50.0, "", "", "", "", ""]]
    rows.append(
        ["Task ID", "As at", "Status", "% complete", "Forecast finish", "Actual finish", "Reported RAG", "Commentary", "Updated by"]
    )
    rows.append(["T2", dt.date(2017, 3, 31), "Complete", 100.0, "", dt.date(2017, 3, 1), "", "", ""])
    table, findings = load.read_table(rows, spec, "Updates", "plan.xlsx")
    assert table.frame["task_id"].tolist() == ["T1", "T2"]
    assert [f.row for f in findings if "repeats the header" in f.message] == [3]  # Excel row 3

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


# ---- second pass: per distinct value, C-level spreading (each pinned against the per-value rule it replaced) ----

ODD_CELLS = [
    "T1",
    "T1",
    " T1 ",
    "",
    "",
    "   ",
    "\t\n",
    "\u00a0",  # no-break space: str.strip removes it
    "\u200b",  # zero-width space: not whitespace to str.strip
    "\x1c",
    "3.0",
    "3.0",
    "+4.00",
    "x0",
    "0",
]


def test_repeated_ids_and_text_read_per_distinct_value_as_the_reader_does():
    for ids in (True, False):
        assert load._text_column(ODD_CELLS, ids=ids).tolist() == slow_text(ODD_CELLS, ids)
        no_blank = [v for v in ODD_CELLS if v.strip()]
        assert load._text_column(no_blank, ids=ids).tolist() == slow_text(no_blank, ids)


def test_space_only_cells_are_found_as_strip_finds_them():
    def slow(cells):
        return any(isinstance(v, str) and v and not v.strip() for v in set(cells))

    for cell in ODD_CELLS + [None, 3.0, math.nan, dt.date(2017, 1, 1), True]:
        assert load._has_space_only_cells(["T1", cell]) == slow(["T1", cell]), repr(cell)
    assert load._has_space_only_cells(()) is False


def test_blank_plan_dates_become_none_per_distinct_value_and_other_cells_are_kept_as_they_are():
    nan_a, nan_b = float("nan"), float("nan")
    date = dt.date(2017, 3, 31)
    values = [None, nan_a, nan_b, np.nan, "", "  ", "\u00a0", 0, 0.0, False, "0", "May 16", pd.NaT, date, date, "Q1 2017"]
    out = load._blanks_as_none(values)
    assert out == [None if load.is_empty(v) else v for v in values]
    assert all(o is v for o, v in zip(out, values) if not load.is_empty(v))  # the very cell, not an equal one
    with_na = [pd.NA, "May 16", 0]
    assert load._blanks_as_none(with_na) == [None, "May 16", 0]
    unhashable = [["a list"], "", "May 16"]
    assert load._blanks_as_none(unhashable) == [["a list"], None, "May 16"]


def test_dates_with_repeated_blank_text_match_the_reader():
    date, later = dt.datetime(2017, 3, 31), dt.datetime(2018, 1, 31)
    values = [date, "", later, "  ", "", date, "\u00a0"]
    fast = load._dates_fast(values)
    assert fast == [date, None, later, None, None, date, None] and fast[0] is values[0]
    assert load._dates_fast([date, "", "soon"])[2] is load._UNREADABLE  # text: the reader decides


def test_map_distinct_on_distinct_values_gives_the_per_value_steps_result():
    from src.analysis.plan_workbook import read_rag, read_status

    index = pd.Index([10, 11, 12, 13, 14, 15, 16])
    words = pd.Series(["Complete", "done", None, "Complete", "nonsense", None, " red "], index=index, dtype="object", name="w")
    readers = [
        read_status,
        read_rag,
        load.split_ids,
        lambda v: len(v),  # numbers (and NaN for blanks): pandas' own type rules
        lambda v: None,
        lambda v: v.strip() or None,
    ]
    for reader in readers:
        fast = load.map_distinct(words, reader)
        slow = load._map_distinct(words, reader)
        pd.testing.assert_series_equal(fast, slow)
        assert [type(v) for v in fast] == [type(v) for v in slow]
    mixed = pd.Series(["a", 1.0, "a", None], dtype="object")  # not text alone: the general steps
    pd.testing.assert_series_equal(load.map_distinct(mixed, str), load._map_distinct(mixed, str))


def test_a_column_whose_text_lacks_the_headers_letters_keeps_every_row():
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
    body = [[f"P1-M{i}-T1", dt.date(2017, 3, 31), "Complete", 100.0, "", "", "", "", ""] for i in range(5)]
    table, findings = load.read_table([header, *body], spec, "Updates", "plan.xlsx")
    assert len(table.frame) == 5 and findings == []
    rest = ["Status", "% complete", "Forecast finish", "Actual finish", "Reported RAG", "Commentary", "Updated by"]
    for repeat in (["TASK ID", "As at"], ["task id (ref)", "as at"], ["Task_Id", "AS AT"]):  # still found among other text
        rows = [header, *body, repeat + rest]
        table, findings = load.read_table(rows, spec, "Updates", "plan.xlsx")
        assert len(table.frame) == 5 and [f.row for f in findings if "repeats the header" in f.message] == [7]


def test_personal_data_text_values_and_unmapped_cells_match_the_per_cell_rules():
    from src.analysis import personal_data

    class Text(str):
        pass

    cells = ["a", "a", "  ", "", 3.0, None, Text("sub"), "b\u00a0", "\u00a0"]
    assert sorted(personal_data._text_values(cells)) == sorted({v for v in set(cells) if v.__class__ is str and v.strip()})
    rows = [["h1", "h2", "h3"], ["x", "y", "z"], ["p", "q"], ["m", "n", "o"]]
    for data_cells in ((0, {0}), (0, {1}), (0, {0, 1, 2}), None):
        got = list(personal_data._cells_outside_data(rows, data_cells))
        if data_cells is None:
            want = [c for r in rows for c in r]
        else:
            header_idx, mapped = data_cells
            width = max(len(r) for r in rows)
            want = [c for r in rows[: header_idx + 1] for c in r]
            want += [r[c] for c in range(width) if c not in mapped for r in rows[header_idx + 1 :] if c < len(r)]
        assert got == want, data_cells
    full = [["h1", "h2"], ["x", "y"], ["p", "q"]]
    assert list(personal_data._cells_outside_data(full, (0, {0}))) == ["h1", "h2", "y", "q"]


def test_worker_names_are_counted_per_row_not_per_distinct_name():
    from src.analysis import personal_data

    header = ["period", "team", "worker_id", "fte"]

    def finding(workers):
        rows = [header] + [["2017-03-31", "A", w, 1.0] for w in workers]
        return personal_data._worker_names(rows, "perf.xlsx", "Caseloads")

    # One name on four rows against three codes: 4 of 7 rows are names (one of four distinct values).
    (hit,) = finding(["SW1", "Jane Smith", "SW2", "Jane Smith", "Jane Smith", "SW3", "Jane Smith"])
    assert hit.row == 3 and hit.column == "C" and "worker's name" in hit.message
    # Two distinct names on one row each against five rows of codes: 2 of 7, not refused.
    assert finding(["SW1", "SW1", "Jane Smith", "SW1", "Tom Brown", "SW2", "SW2"]) == []
    # Blank and space-only cells do not count; a short row is skipped.
    rows = [header, ["2017-03-31", "A", "Jane Smith", 1.0], ["2017-03-31", "A", "  ", 1.0], ["2017-03-31", "A"], ["x", "A", 3.0, 1.0]]
    assert len(personal_data._worker_names(rows, "perf.xlsx", "Caseloads")) == 1


def test_a_repeated_date_column_converts_per_distinct_date_as_the_whole_column_does():
    def slow(out):
        return pd.to_datetime(pd.Series(out, dtype="object")).dt.normalize()

    day, other = dt.date(2017, 3, 31), dt.date(2016, 1, 1)
    noon = dt.datetime(2017, 3, 31, 12, 30)
    cases = [
        [day, None, day, other, None, day],
        [noon, noon, None, dt.datetime(2016, 1, 1), noon],
        [None, None, None],
        [day, noon, day, noon],  # two types: the whole column at once
        [pd.Timestamp("2017-03-31"), dt.datetime(2017, 3, 31), None, None],  # equal values of two types
        [dt.datetime(2017, 3, 31, tzinfo=dt.UTC)] * 3,
        [day],
    ]
    for out in cases:
        pd.testing.assert_series_equal(load._dates_series(out), slow(out))


def test_text_columns_distinct_values_reach_the_personal_data_check_unchanged():
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
    body = [[f" T{i % 3} ", dt.date(2017, 3, 31), "Complete", 100.0, "", "", "Red", "ok", ""] for i in range(6)]
    table, _ = load.read_table([header, *body], spec, "Updates", "plan.xlsx")
    flat = [v for c in spec.columns if c.kind in (load.Kind.TEXT, load.Kind.ID) for v in table.text_distinct[c.name]]
    assert flat == load._distinct_text(table.frame, spec)
    keyed = next(s for s in PLAN_SHEETS if s.name == "Tasks")
    rows = [list(TASK_COLUMNS)] + [["T1"] + [""] * (len(TASK_COLUMNS) - 1)] * 4  # duplicate ids: rows left out
    table, _ = load.read_table(rows, keyed, "Tasks", "plan.xlsx")
    assert table.text_distinct is None


def test_plan_date_cells_read_per_distinct_value_are_the_cells_read_plan_cells_gives():
    from src.analysis.dates import read_plan_cells
    from src.analysis.plan_workbook import _plan_cells

    nan_a, nan_b = float("nan"), float("nan")
    values = ["May 16", "May 16", None, 1.0, 1, True, nan_a, nan_b, dt.date(2017, 3, 31), "Q1 2017", "", "May 16", dt.date(2017, 3, 31)]
    column = pd.Series(values, dtype="object")
    fast, slow = _plan_cells(column, "calendar", None), read_plan_cells(column, "calendar", None)
    assert fast == slow
    assert fast[0] is fast[1] is fast[11] and fast[3] is not fast[4]  # one object per (type, value), as before
    unhashable = pd.Series([["May 16"], "May 16"], dtype="object")
    assert _plan_cells(unhashable, "calendar", None) == read_plan_cells(unhashable, "calendar", None)

"""The loader's C-level fast paths (src/analysis/load.py) give exactly what the per-value readers give.

Each fast path serves the common column shape (all text; real dates with blank cells; finite numbers with
blank cells); any other cell sends the column through the reader, cell by cell, as before."""

import datetime as dt
import math

import numpy as np

from src.analysis import load
from src.analysis.schema import PLAN_SHEETS


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

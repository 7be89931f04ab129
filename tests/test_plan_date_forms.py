"""Every plan-date form councils write (issue 12; docs/plan-dates.md; workbook-format.md "Plan dates").

One table: each phrasing with the start and finish it means and how it was read (its kind).
Hand-computed: a month is its first day as a start and its last day as a finish; financial years
run 1 April to 31 March; quarters and halves are calendar unless written as a financial year or the
About sheet says `quarters: financial`. Yearless days and months are placed after the plan date,
8 Sep 2016 here (PLAN_DATE).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from src.analysis.dates import Assumption, DateKind, Side, parse_plan_date, read_plan_cell
from src.analysis.load import is_month_year_format
from src.analysis.plan_workbook import Rag

from .builders import TASK_COLUMNS, frame, plan_bytes, task

ROOT = Path(__file__).resolve().parents[1]
PLAN_DATE = pd.Timestamp("2016-09-08")
T = pd.Timestamp
K = DateKind

DAY, MONTH, QUARTER, HALF, TERM, SEASON, YEAR, FY, RANGE, ONGOING, STARTED, UNSET, UNREADABLE = (
    K.DAY,
    K.MONTH,
    K.QUARTER,
    K.HALF,
    K.TERM,
    K.SEASON,
    K.YEAR,
    K.FINANCIAL_YEAR,
    K.RANGE,
    K.ONGOING,
    K.STARTED,
    K.UNSET,
    K.UNREADABLE,
)

# (as written, start, finish, kind); None where that side has no date.
FORMS = [
    # the seed's own forms
    ("May 16", "2016-05-01", "2016-05-31", MONTH),
    ("Sept 17", "2017-09-01", "2017-09-30", MONTH),
    ("March 17", "2017-03-01", "2017-03-31", MONTH),
    ("June 2016", "2016-06-01", "2016-06-30", MONTH),
    ("Nov 2016", "2016-11-01", "2016-11-30", MONTH),
    ("Feb 16", "2016-02-01", "2016-02-29", MONTH),
    ("2nd quarter 2017", "2017-04-01", "2017-06-30", QUARTER),
    ("2 <sup>nd</sup> quarter 2017", "2017-04-01", "2017-06-30", QUARTER),
    ("2017-03-31", "2017-03-31", "2017-03-31", DAY),
    ("31/03/2017", "2017-03-31", "2017-03-31", DAY),
    ("31 March 2017", "2017-03-31", "2017-03-31", DAY),
    ("2017", "2017-01-01", "2017-12-31", YEAR),
    # capitals, extra spaces, trailing full stops
    ("MARCH 2017", "2017-03-01", "2017-03-31", MONTH),
    ("  sept   2016.  ", "2016-09-01", "2016-09-30", MONTH),
    ("Sept. 2016", "2016-09-01", "2016-09-30", MONTH),
    ("Mar-17", "2017-03-01", "2017-03-31", MONTH),
    ("mar '17", "2017-03-01", "2017-03-31", MONTH),
    ("March of 2017", "2017-03-01", "2017-03-31", MONTH),
    ("DECEMBER 2016.", "2016-12-01", "2016-12-31", MONTH),
    # deadlines: the date after the words, read as usual; `end of` is the last day on both sides
    ("By September 2015", "2015-09-01", "2015-09-30", MONTH),
    ("by september 2015.", "2015-09-01", "2015-09-30", MONTH),
    ("BY SEPT 15", "2015-09-01", "2015-09-30", MONTH),
    ("By end of March 2013", "2013-03-31", "2013-03-31", MONTH),
    ("By the end of March 2013", "2013-03-31", "2013-03-31", MONTH),
    ("End of March 2013", "2013-03-31", "2013-03-31", MONTH),
    ("end march 2013", "2013-03-31", "2013-03-31", MONTH),
    ("by 12th August 2022", "2022-08-12", "2022-08-12", DAY),
    ("By 31/03/2017", "2017-03-31", "2017-03-31", DAY),
    ("no later than June 2017", "2017-06-01", "2017-06-30", MONTH),
    ("No later than 30 June 2017", "2017-06-30", "2017-06-30", DAY),
    ("not later than Q2 2017", "2017-04-01", "2017-06-30", QUARTER),
    ("w/c 5 June 2017", "2017-06-05", "2017-06-05", DAY),
    ("W/C 5th June 2017", "2017-06-05", "2017-06-05", DAY),
    ("week commencing 5 June 2017", "2017-06-05", "2017-06-05", DAY),
    ("wc 05/06/2017", "2017-06-05", "2017-06-05", DAY),
    ("Due: March 2017", "2017-03-01", "2017-03-31", MONTH),
    ("Deadline 31 March 2017", "2017-03-31", "2017-03-31", DAY),
    ("From April 2016", "2016-04-01", "2016-04-30", MONTH),
    ("in June 2017", "2017-06-01", "2017-06-30", MONTH),
    ("During 2017", "2017-01-01", "2017-12-31", YEAR),
    ("Throughout 2017", "2017-01-01", "2017-12-31", YEAR),
    ("end of 2017", "2017-12-31", "2017-12-31", YEAR),
    # financial years (April to March)
    ("2015/16", "2015-04-01", "2016-03-31", FY),
    ("2015-16", "2015-04-01", "2016-03-31", FY),
    ("15/16", "2015-04-01", "2016-03-31", FY),
    ("FY 2017/18", "2017-04-01", "2018-03-31", FY),
    ("fy2017/18", "2017-04-01", "2018-03-31", FY),
    ("FY17/18", "2017-04-01", "2018-03-31", FY),
    ("2017/2018", "2017-04-01", "2018-03-31", FY),
    ("2016-2017", "2016-04-01", "2017-03-31", FY),
    ("Financial year 2017/18", "2017-04-01", "2018-03-31", FY),
    ("FY17", "2016-04-01", "2017-03-31", FY),
    ("By end 2005/06", "2006-03-31", "2006-03-31", FY),
    ("By end of 2017/18", "2018-03-31", "2018-03-31", FY),
    ("during 2016/17", "2016-04-01", "2017-03-31", FY),
    ("12/13", "2012-04-01", "2013-03-31", FY),  # consecutive: the financial year, with a finding
    # financial quarters
    ("Q1 2017/18", "2017-04-01", "2017-06-30", QUARTER),
    ("Q2 2017/18", "2017-07-01", "2017-09-30", QUARTER),
    ("Q3 2017/18", "2017-10-01", "2017-12-31", QUARTER),
    ("Q4 17/18", "2018-01-01", "2018-03-31", QUARTER),
    ("q4 2017-18", "2018-01-01", "2018-03-31", QUARTER),
    ("Quarter 1 2017/18", "2017-04-01", "2017-06-30", QUARTER),
    ("1st quarter 2017/18", "2017-04-01", "2017-06-30", QUARTER),
    ("2017/18 Q2", "2017-07-01", "2017-09-30", QUARTER),
    ("Q1 FY 2017/18", "2017-04-01", "2017-06-30", QUARTER),
    # calendar quarters (a bare year: the About default)
    ("Q1 2017", "2017-01-01", "2017-03-31", QUARTER),
    ("Q2 2017", "2017-04-01", "2017-06-30", QUARTER),
    ("q4 2016", "2016-10-01", "2016-12-31", QUARTER),
    ("Q3 17", "2017-07-01", "2017-09-30", QUARTER),
    ("2017 Q2", "2017-04-01", "2017-06-30", QUARTER),
    ("Quarter 3 2017", "2017-07-01", "2017-09-30", QUARTER),
    ("4th Quarter 2016", "2016-10-01", "2016-12-31", QUARTER),
    ("3rd quarter of 2017", "2017-07-01", "2017-09-30", QUARTER),
    ("Qtr 2 2017", "2017-04-01", "2017-06-30", QUARTER),
    ("By Q2 2017", "2017-04-01", "2017-06-30", QUARTER),
    ("End of Q2 2017", "2017-06-30", "2017-06-30", QUARTER),
    # school terms (Easter moves: docs/plan-dates.md)
    ("Autumn term 2017", "2017-09-01", "2017-12-31", TERM),
    ("Spring term 2018", "2018-01-01", "2018-03-31", TERM),
    ("Summer term 2018", "2018-04-01", "2018-07-31", TERM),
    ("AUTUMN TERM 2016.", "2016-09-01", "2016-12-31", TERM),
    ("Spring Term 2017/18", "2018-01-01", "2018-03-31", TERM),
    ("Autumn term 2017/18", "2017-09-01", "2017-12-31", TERM),
    ("end of Spring term 2018", "2018-03-31", "2018-03-31", TERM),
    ("By the end of the summer term 2017", "2017-07-31", "2017-07-31", TERM),
    ("summer term 17", "2017-04-01", "2017-07-31", TERM),
    # meteorological seasons
    ("Spring 2017", "2017-03-01", "2017-05-31", SEASON),
    ("Summer 2017", "2017-06-01", "2017-08-31", SEASON),
    ("Autumn 2016", "2016-09-01", "2016-11-30", SEASON),
    ("Winter 2016/17", "2016-12-01", "2017-02-28", SEASON),
    ("winter 2015-16", "2015-12-01", "2016-02-29", SEASON),
    ("By Autumn 2017", "2017-09-01", "2017-11-30", SEASON),
    ("summer 17", "2017-06-01", "2017-08-31", SEASON),
    # halves
    ("H1 2017", "2017-01-01", "2017-06-30", HALF),
    ("H2 2017", "2017-07-01", "2017-12-31", HALF),
    ("first half of 2017", "2017-01-01", "2017-06-30", HALF),
    ("Second half of 2017", "2017-07-01", "2017-12-31", HALF),
    ("second half of 2017/18", "2017-10-01", "2018-03-31", HALF),
    ("H1 2017/18", "2017-04-01", "2017-09-30", HALF),
    ("1st half 2017", "2017-01-01", "2017-06-30", HALF),
    # ranges in one cell
    ("Sept 2016 – March 2017", "2016-09-01", "2017-03-31", RANGE),
    ("Sept 2016 - March 2017", "2016-09-01", "2017-03-31", RANGE),
    ("Sep 16 - Mar 17", "2016-09-01", "2017-03-31", RANGE),
    ("sep 16-mar 17", "2016-09-01", "2017-03-31", RANGE),
    ("10-19 September 2012", "2012-09-10", "2012-09-19", RANGE),
    ("18th – 20th January 2022", "2022-01-18", "2022-01-20", RANGE),
    ("2016-2018", "2016-01-01", "2018-12-31", RANGE),
    ("Sept 2016 to March 2017", "2016-09-01", "2017-03-31", RANGE),
    ("From Sept 2016 to March 2017", "2016-09-01", "2017-03-31", RANGE),
    ("between April 2016 and March 2017", "2016-04-01", "2017-03-31", RANGE),
    ("April - June 2017", "2017-04-01", "2017-06-30", RANGE),
    ("Nov - Feb 2017", "2016-11-01", "2017-02-28", RANGE),
    ("Q1 - Q2 2017", "2017-01-01", "2017-06-30", RANGE),
    ("1 Sept 2016 - 31 March 2017", "2016-09-01", "2017-03-31", RANGE),
    ("01/09/2016 - 31/03/2017", "2016-09-01", "2017-03-31", RANGE),
    ("2016/17 - 2017/18", "2016-04-01", "2018-03-31", RANGE),
    ("Autumn term 2016 – Summer term 2017", "2016-09-01", "2017-07-31", RANGE),
    ("May 16 until Dec 16", "2016-05-01", "2016-12-31", RANGE),
    # ongoing and recurring: no fixed finish
    ("Ongoing", "started", None, ONGOING),  # as a start: under way, as before ongoing finishes
    ("ONGOING.", "started", None, ONGOING),  # as a start: under way, as before ongoing finishes
    ("On-going", "started", None, ONGOING),  # as a start: under way, as before ongoing finishes
    ("Monthly", None, None, ONGOING),
    ("Quarterly", None, None, ONGOING),
    ("Annually", None, None, ONGOING),
    ("Throughout", None, None, ONGOING),
    ("Business as usual", None, None, ONGOING),
    ("BAU", None, None, ONGOING),
    ("May and November annually", None, None, ONGOING),
    ("Weekly", None, None, ONGOING),
    ("Six monthly", None, None, ONGOING),
    ("Termly", None, None, ONGOING),
    ("Every month", None, None, ONGOING),
    ("Monthly reports to QIB", None, None, ONGOING),
    ("Ongoing from April 2016", "2016-04-01", None, ONGOING),
    ("April 2016 onwards", "2016-04-01", None, ONGOING),
    ("Monthly from June 2016", "2016-06-01", None, ONGOING),
    # status and date in one cell
    ("Phase 1 completed Phase 2 Mar 2017", "2017-03-01", "2017-03-31", MONTH),
    ("Done (March 2004)", "2004-03-01", "2004-03-31", MONTH),
    ("Complete - Jan 17", "2017-01-01", "2017-01-31", MONTH),
    ("Completed 14/02/2017", "2017-02-14", "2017-02-14", DAY),
    ("COMPLETE (Dec 16)", "2016-12-01", "2016-12-31", MONTH),
    ("In progress - Q2 2017", "2017-04-01", "2017-06-30", QUARTER),
    ("Delayed to June 2017", "2017-06-01", "2017-06-30", MONTH),
    ("On hold until Sept 2017", "2017-09-01", "2017-09-30", MONTH),
    # numeric: day first, month and year, month first only where day first is impossible
    ("9.12.16", "2016-12-09", "2016-12-09", DAY),
    ("13/12/12", "2012-12-13", "2012-12-13", DAY),
    ("03/13", "2013-03-01", "2013-03-31", MONTH),
    ("3/2013", "2013-03-01", "2013-03-31", MONTH),
    ("12/2016", "2016-12-01", "2016-12-31", MONTH),
    ("12/25/2017", "2017-12-25", "2017-12-25", DAY),
    ("1/2/2017", "2017-02-01", "2017-02-01", DAY),
    ("01.02.17", "2017-02-01", "2017-02-01", DAY),
    ("31-03-2017", "2017-03-31", "2017-03-31", DAY),
    ("31.3.17.", "2017-03-31", "2017-03-31", DAY),
    ("5/5/2017", "2017-05-05", "2017-05-05", DAY),
    # words around a day
    ("Friday 31 March 2017", "2017-03-31", "2017-03-31", DAY),
    ("Fri 31 Mar 2017", "2017-03-31", "2017-03-31", DAY),
    ("friday, 31st march 2017", "2017-03-31", "2017-03-31", DAY),
    ("14th of January 2017", "2017-01-14", "2017-01-14", DAY),
    ("January 14, 2017", "2017-01-14", "2017-01-14", DAY),
    ("January 14th 2017", "2017-01-14", "2017-01-14", DAY),
    ("31st Mar '17", "2017-03-31", "2017-03-31", DAY),
    ("1st April 2017", "2017-04-01", "2017-04-01", DAY),
    ("the 3rd of May 2017", "2017-05-03", "2017-05-03", DAY),
    ("31-Mar-2017", "2017-03-31", "2017-03-31", DAY),
    ("2 Oct 16", "2016-10-02", "2016-10-02", DAY),
    # no year written: the first after the plan date (8 Sep 2016), with a finding
    ("January 14 th", "2017-01-14", "2017-01-14", DAY),
    ("14 January", "2017-01-14", "2017-01-14", DAY),
    ("30th September", "2016-09-30", "2016-09-30", DAY),
    ("1 September", "2017-09-01", "2017-09-01", DAY),
    ("December", "2016-12-01", "2016-12-31", MONTH),
    ("By March", "2017-03-01", "2017-03-31", MONTH),
    # started, not set
    ("Started", "started", None, STARTED),
    ("Under way", "started", None, STARTED),
    ("In progress", "started", None, STARTED),
    ("TBC", None, None, UNSET),
    ("tbc.", None, None, UNSET),
    ("To be confirmed", None, None, UNSET),
    ("TBA", None, None, UNSET),
    ("N/A", None, None, UNSET),
    ("", None, None, UNSET),
    ("   ", None, None, UNSET),
    # still unreadable (with advice)
    ("Early 2017", None, None, UNREADABLE),
    ("mid-2017", None, None, UNREADABLE),
    ("Late 2016", None, None, UNREADABLE),
    ("6/12/18 month review", None, None, UNREADABLE),
    ("Q1", None, None, UNREADABLE),
    ("2nd quarter", None, None, UNREADABLE),
    ("080617", None, None, UNREADABLE),
    ("soon", None, None, UNREADABLE),
    ("31/02/2017", None, None, UNREADABLE),
    ("Smarch 17", None, None, UNREADABLE),
    ("1850-01-01", None, None, UNREADABLE),
    ("Winter 2016", None, None, UNREADABLE),
    ("2018-2016", None, None, UNREADABLE),
]


def _expected(value):
    return None if value in (None, "started") else T(value)


def test_the_table_holds_at_least_150_phrasings():
    assert len(FORMS) >= 150
    assert len({written for written, *_ in FORMS}) == len(FORMS)


@pytest.mark.parametrize("written, start, finish, kind", FORMS, ids=[f[0] or "blank" for f in FORMS])
def test_each_form_reads_as_the_planner_meant(written, start, finish, kind):
    cell = read_plan_cell(written, reference=PLAN_DATE)
    as_start = parse_plan_date(written, Side.START, reference=PLAN_DATE)
    as_finish = parse_plan_date(written, Side.FINISH, reference=PLAN_DATE)
    assert cell.kind == kind
    assert (as_start.date, as_finish.date) == (_expected(start), _expected(finish))
    assert as_start.kind == (STARTED if start == "started" else kind)
    assert as_finish.kind == (UNREADABLE if kind == STARTED else kind)  # `Started` is a start, never a finish
    assert as_finish.as_written == written.strip()


@pytest.mark.parametrize("written", [w for w, _, _, k in FORMS if k == UNREADABLE])
def test_unreadable_forms_carry_advice(written):
    assert read_plan_cell(written, reference=PLAN_DATE).advice


class TestQuartersSetting:
    @pytest.mark.parametrize(
        "written, start, finish",
        [
            ("Q1 2017", "2017-04-01", "2017-06-30"),
            ("Q4 2017", "2018-01-01", "2018-03-31"),
            ("2nd quarter 2017", "2017-07-01", "2017-09-30"),
            ("H2 2017", "2017-10-01", "2018-03-31"),
            ("Q1 2017/18", "2017-04-01", "2017-06-30"),  # written as a financial year: the same either way
        ],
    )
    def test_financial_setting_reads_bare_quarters_from_april(self, written, start, finish):
        cell = read_plan_cell(written, quarters="financial")
        assert (cell.start, cell.finish) == (T(start), T(finish))

    def test_bare_quarter_says_which_reading_was_taken(self):
        assert read_plan_cell("Q1 2017").assumption == Assumption.CALENDAR_QUARTER
        assert read_plan_cell("Q1 2017", quarters="Financial").assumption == Assumption.FINANCIAL_QUARTER
        assert read_plan_cell("Q1 2017/18").assumption == Assumption.NONE


class TestAssumptions:
    @pytest.mark.parametrize(
        "written, assumption",
        [
            ("1/2/2017", Assumption.DAY_FIRST),
            ("13/12/12", Assumption.NONE),  # only day first is possible
            ("5/5/2017", Assumption.NONE),  # both readings are the same day
            ("12/25/2017", Assumption.MONTH_FIRST),
            ("12/13", Assumption.FINANCIAL_YEAR),
            ("15/16", Assumption.NONE),  # 15 is no month
            ("January 14 th", Assumption.NO_YEAR),
            ("Phase 1 completed Phase 2 Mar 2017", Assumption.WORDS_IGNORED),
            ("080617", Assumption.VERSION_STAMP),
            ("March 2017", Assumption.NONE),
        ],
    )
    def test_assumption(self, written, assumption):
        assert read_plan_cell(written, reference=PLAN_DATE).assumption == assumption

    def test_status_word_carried_only_when_it_is_the_tasks(self):
        assert read_plan_cell("Done (March 2004)").status == "Complete"
        assert read_plan_cell("Complete - Jan 17").status == "Complete"
        assert read_plan_cell("Phase 1 completed Phase 2 Mar 2017").status is None  # phase 1's status, not the task's
        assert "Phase 1 completed Phase 2" in read_plan_cell("Phase 1 completed Phase 2 Mar 2017").note

    def test_no_year_without_a_plan_date_is_unreadable(self):
        assert read_plan_cell("January 14 th").kind == UNREADABLE

    def test_ongoing_as_a_start_is_under_way(self):
        assert parse_plan_date("Ongoing", Side.START).kind == STARTED
        assert parse_plan_date("Ongoing", Side.FINISH).kind == ONGOING


class TestNumberFormats:
    @pytest.mark.parametrize("code", ["mmm-yy", "mmmm yyyy", "mmm yyyy", "[$-809]mmm\\ yy;@", 'mmmm" "yyyy', "mm/yyyy"])
    def test_month_and_year_formats(self, code):
        assert is_month_year_format(code)

    @pytest.mark.parametrize("code", ["dd/mm/yyyy", "d mmm yyyy", "yyyy-mm-dd h:mm:ss", "General", "0.00", "mmm", "h:mm"])
    def test_other_formats(self, code):
        assert not is_month_year_format(code)


# ---- workbooks through the command line ------------------------------------------------------------


def _summary(tmp_path: Path, data: bytes) -> dict:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-m", "src.cli", "summary", "--plan", str(path), "--json"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


# (task_id, start cell, finish cell, planned_start, planned_finish, start_as_written, finish_as_written)
WORKBOOK_TASKS = [
    ("T1", "", "By September 2015", None, "2015-09-30", "", "By September 2015"),
    ("T2", "w/c 5 June 2017", "no later than June 2017", "2017-06-05", "2017-06-30", "w/c 5 June 2017", "no later than June 2017"),
    ("T3", "2015/16", "FY 2017/18", "2015-04-01", "2018-03-31", "2015/16", "FY 2017/18"),
    ("T4", "Q1 2017/18", "Q4 17/18", "2017-04-01", "2018-03-31", "Q1 2017/18", "Q4 17/18"),
    ("T5", "Autumn term 2017", "end of Spring term 2018", "2017-09-01", "2018-03-31", "Autumn term 2017", "end of Spring term 2018"),
    ("T6", "Spring 2017", "Winter 2016/17", "2017-03-01", "2017-02-28", "Spring 2017", "Winter 2016/17"),
    ("T7", "H1 2017", "second half of 2017/18", "2017-01-01", "2018-03-31", "H1 2017", "second half of 2017/18"),
    ("T8", "", "Sept 2016 – March 2017", "2016-09-01", "2017-03-31", "Sept 2016 – March 2017", "Sept 2016 – March 2017"),
    ("T9", "10-19 September 2012", "", "2012-09-10", "2012-09-19", "10-19 September 2012", "10-19 September 2012"),
    ("T10", "Started", "Monthly", None, None, "Started", "Monthly"),
    ("T11", "", "Done (March 2004)", None, "2004-03-31", "", "Done (March 2004)"),
    ("T12", "9.12.16", "12/25/2017", "2016-12-09", "2017-12-25", "9.12.16", "12/25/2017"),
    ("T13", "03/13", "080617", "2013-03-01", None, "03/13", "080617"),
    ("T14", "Friday 31 March 2017", "January 14 th", "2017-03-31", "2018-01-14", "Friday 31 March 2017", "January 14 th"),
    ("T15", "TBC", "mid-2017", None, None, "TBC", "mid-2017"),
    ("T16", "1/2/2017", "3/4/2017", "2017-02-01", "2017-04-03", "1/2/2017", "3/4/2017"),
    ("T17", "Phase 1 completed Phase 2 Mar 2017", "Q1 2017", "2017-03-01", "2017-03-31", "Phase 1 completed Phase 2 Mar 2017", "Q1 2017"),
]


@pytest.fixture(scope="module")
def styled(tmp_path_factory):
    tasks = [task(t[0], t[1] or None, t[2] or None) for t in WORKBOOK_TASKS]
    data = plan_bytes(tasks, about={"organisation": "Test council", "plan_date": "2017-03-01"})
    return _summary(tmp_path_factory.mktemp("styled"), data)


class TestWorkbookInEachStyle:
    def test_planned_dates_in_the_json(self, styled):
        by_id = {t["task_id"]: t for t in styled["tasks"]}
        for task_id, _, _, start, finish, start_written, finish_written in WORKBOOK_TASKS:
            got = by_id[task_id]
            assert (got["planned_start"], got["planned_finish"]) == (start, finish), task_id
            assert (got["start_as_written"], got["finish_as_written"]) == (start_written, finish_written), task_id

    def test_findings_name_each_cell_read_with_an_assumption(self, styled):
        problems = [(p["row"], p["column"], p["message"]) for p in styled["data_quality"] if p["sheet"] == "Tasks"]
        # Excel rows: the header is row 1, so task Tn is on row n + 1.
        by_cell = {(row, column): message for row, column, message in problems}
        assert "month first" in by_cell[(13, "finish")]  # 12/25/2017
        assert "stamp" in by_cell[(14, "finish")]  # 080617
        assert "no year written" in by_cell[(15, "finish")]  # January 14 th
        assert "ignored 'Done'" in by_cell[(12, "finish")] and "Complete" in by_cell[(12, "finish")]
        assert "ignored 'Phase 1 completed Phase 2'" in by_cell[(18, "start")]
        assert "mid-2017" in by_cell[(16, "finish")]
        # The day-or-month doubt is said once per column, naming the rows.
        doubts = [m for r, c, m in problems if r is None and "day first or month first" in m]
        assert len(doubts) == 2
        assert any("rows 13, 17" in m for m in doubts)  # start column: 9.12.16 and 1/2/2017
        assert any("such as '3/4/2017'" in m and "row 13 can only be read month first" in m.lower() for m in doubts)

    def test_ongoing_task_is_shown_as_ongoing_not_overdue(self, styled):
        ongoing = next(t for t in styled["tasks"] if t["task_id"] == "T10")
        assert ongoing["rag"] == "Green" and ongoing["reason"] == "ongoing (no fixed finish)"
        assert styled["completion"]["ongoing"] == 1

    def test_status_carried_from_the_date_cell(self, styled):
        done = next(t for t in styled["tasks"] if t["task_id"] == "T11")
        assert done["status"] == "Complete" and done["rag"] == "Blue"

    def test_completion_counts_finishes_that_could_not_be_read(self, styled):
        assert styled["completion"]["finish_unreadable"] == 2  # 080617, mid-2017
        assert styled["completion"]["in_scope"] == len(WORKBOOK_TASKS) - 1  # the ongoing task is beside the rates


def test_excel_typed_month_is_the_whole_month(tmp_path):
    """A real date cell formatted mmm-yy (as Excel stores a typed "March 2013") is that month, written `Mar 2013`."""
    book = openpyxl.load_workbook(io.BytesIO(plan_bytes([task("T1", "May 16", "Mar 17"), task("T2", "May 16", "Mar 17")])))
    sheet = book["Tasks"]
    finish = TASK_COLUMNS.index("finish") + 1
    sheet.cell(row=2, column=finish, value=dt.datetime(2013, 3, 1)).number_format = "mmm-yy"
    sheet.cell(row=3, column=finish, value=dt.datetime(2013, 3, 1)).number_format = "dd/mm/yyyy"
    out = io.BytesIO()
    book.save(out)
    summary = _summary(tmp_path, out.getvalue())
    by_id = {t["task_id"]: t for t in summary["tasks"]}
    assert (by_id["T1"]["planned_finish"], by_id["T1"]["finish_as_written"]) == ("2013-03-31", "Mar 2013")
    assert (by_id["T2"]["planned_finish"], by_id["T2"]["finish_as_written"]) == ("2013-03-01", "2013-03-01")


def test_single_date_column_fills_both_sides():
    from src.analysis.plan_workbook import load_plan

    columns = [c for c in TASK_COLUMNS if c != "start"]
    rows = [tuple(v for c, v in zip(TASK_COLUMNS, task("T1", None, "Sep 16 - Mar 17")) if c != "start")]
    data = plan_bytes([], extra={"Tasks": frame(columns + ["start"], [(*rows[0], None)])})
    tasks = load_plan(data).tasks
    assert (tasks.loc[0, "planned_start"], tasks.loc[0, "planned_finish"]) == (T("2016-09-01"), T("2017-03-31"))


class TestDefaultsThatSpeak:
    """No Updates and no plan date: the reporting date is today, the sidebar says so and lets it be set."""

    @pytest.fixture
    def undated(self, tmp_path, monkeypatch):
        path = tmp_path / "undated.xlsx"
        path.write_bytes(plan_bytes([task("T1", "May 16", "Mar 17"), task("T2", "May 16", "Early 2017")], about={"organisation": "Test"}))
        monkeypatch.setenv("DASHBOARD_PLAN", str(path))
        monkeypatch.delenv("DASHBOARD_PERFORMANCE", raising=False)
        return path

    def test_cli_text_says_the_date_is_today(self, undated):
        result = subprocess.run(
            [sys.executable, "-m", "src.cli", "summary", "--plan", str(undated)], cwd=ROOT, capture_output=True, text=True, check=True
        )
        assert "no progress updates and no plan date, so the reporting date is today" in result.stdout
        assert "1 finish could not be read" in result.stdout

    def test_sidebar_offers_any_date_and_says_why(self, undated):
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(str(ROOT / "pages" / "1_overview.py"), default_timeout=30).run()
        assert not at.exception
        picker = at.sidebar.date_input[0]
        assert picker.label == "Reporting date" and picker.value == pd.Timestamp.today().date()
        assert any("reporting date is today" in c.value for c in at.sidebar.caption)
        assert "1 finish could not be read" in next(m for m in at.metric if m.label == "Planned by now").help
        planned = next(m for m in at.metric if m.label == "Planned by now")
        assert planned.value == "50%"  # T1 due (Mar 17); T2 "Early 2017" never
        assert any(c.value == "1 unreadable" for c in at.caption)  # the note sits under its tile (issue 14)
        picker.set_value(dt.date(2017, 1, 31)).run()
        assert not at.exception
        assert any("31 Jan 2017" in c.value for c in at.caption)
        assert next(m for m in at.metric if m.label == "Planned by now").value.startswith("0%")


class TestOngoingTasks:
    """Rules 10-13 (docs/indicators.md): an ongoing task is never overdue nor "no finish date"; D = 31 Dec 2016."""

    D = T("2016-12-31")

    @pytest.fixture
    def table(self):
        from src.analysis.plan_workbook import load_plan
        from src.analysis.progress import task_table

        from .builders import update

        tasks = [
            task("O1", "May 16", "Monthly"),  # in progress: Green
            task("O2", "May 16", "Ongoing"),  # reported Red: Red
            task("O3", "May 16", "Quarterly"),  # on hold: Amber
            task("O4", "May 16", "Business as usual"),  # not started, start passed: Amber
            task("O5", "May 16", "Annually"),  # complete: Blue
            task("F1", "May 16", "Nov 16"),  # finite, overdue: Red, planned
            task("F2", "May 16", "Early 2017"),  # finish unreadable: Amber, never planned
            task("F3", "May 16", "Mar 17"),  # finite, not due yet
        ]
        updates = [
            update("O1", "2016-12-31", "In progress", 50),
            update("O2", "2016-12-31", "In progress", 50, reported="Red"),
            update("O3", "2016-12-31", "On hold"),
            update("O5", "2016-12-31", "Complete"),
            update("F1", "2016-12-31", "In progress", 90),
        ]
        plan = load_plan(plan_bytes(tasks, updates), "ongoing.xlsx")
        return plan, task_table(plan, self.D).set_index("task_id")

    def test_rag_and_reason(self, table):
        _, t = table
        assert (t.loc["O1", "rag"], t.loc["O1", "reason"]) == (Rag.GREEN, "ongoing (no fixed finish)")
        assert (t.loc["O2", "rag"], t.loc["O2", "reason"]) == (Rag.RED, "ongoing (no fixed finish): RAG as the lead reported it")
        assert not t.loc["O2", "rag_disagrees"]
        assert (t.loc["O3", "rag"], t.loc["O3", "reason"]) == (Rag.AMBER, "ongoing (no fixed finish): on hold")
        assert (t.loc["O4", "rag"], t.loc["O4", "reason"]) == (Rag.AMBER, "ongoing (no fixed finish): should have started")
        assert t.loc["O5", "rag"] == Rag.BLUE
        assert t.loc["F1", "rag"] == Rag.RED and t.loc["F2", "reason"].startswith("no finish date ('Early 2017'")

    def test_completion_leaves_ongoing_out_and_counts_unreadable(self, table):
        from src.analysis.progress import completion

        _, t = table
        done = completion(t.reset_index())
        # counted: F1 F2 F3 (3); none complete; planned by D: F1 only -> 1/3
        assert (done["in_scope"], done["complete"], done["planned_rate"]) == (3, 0, pytest.approx(1 / 3))
        assert (done["ongoing"], done["finish_unreadable"], done["finish_not_set"]) == (5, 1, 0)

    def test_trend_and_chart_say_so(self, table):
        from src.analysis.progress import progress_trend
        from src.charts import completion_trend

        plan, _ = table
        trend = progress_trend(plan, self.D)
        assert trend.iloc[-1][["in_scope", "finish_unreadable", "ongoing"]].tolist() == [3, 1, 5]
        description = completion_trend(trend).description
        assert "1 task had a finish that could not be read" in description
        assert "5 ongoing tasks (no fixed finish) are left out of both lines" in description


def test_ongoing_task_is_no_no_finish_date_exception():
    from src.analysis.exceptions import exceptions
    from src.analysis.plan_view import PlanView
    from src.analysis.plan_workbook import load_plan

    plan = load_plan(plan_bytes([task("O1", "May 16", "Monthly"), task("F1", "May 16", "TBC")]), "x.xlsx")
    view = PlanView.build(plan, T("2016-12-31"), 30)
    found = exceptions(view)
    no_finish = found[found["kind"] == "No finish date"]
    assert list(no_finish["task_id"]) == ["F1"]


def test_quarters_setting_applies_to_the_plan_and_a_bad_value_is_a_finding():
    from src.analysis.plan_workbook import load_plan

    tasks = [task("T1", "Q1 2017", "Q4 2017")]
    financial = load_plan(plan_bytes(tasks, about={"organisation": "X", "quarters": "Financial"})).tasks
    assert (financial.loc[0, "planned_start"], financial.loc[0, "planned_finish"]) == (T("2017-04-01"), T("2018-03-31"))
    odd = load_plan(plan_bytes(tasks, about={"organisation": "X", "quarters": "fiscal"}))
    assert (odd.tasks.loc[0, "planned_start"], odd.tasks.loc[0, "planned_finish"]) == (T("2017-01-01"), T("2017-12-31"))
    assert any(f.column == "quarters" and "'fiscal'" in f.message for f in odd.findings)
    assert "financial quarters (Q1 is April to June)" in load_plan(plan_bytes(tasks, about={"quarters": "financial"})).quarters_notice()

"""Plan dates as a planner means them (workbook-format.md, "Plan dates")."""

import datetime as dt

import pandas as pd
import pytest

from src.analysis.dates import DateKind, Side, format_date, parse_plan_date

T = pd.Timestamp


class TestParsePlanDate:
    @pytest.mark.parametrize(
        "written, start, finish",
        [
            ("May 16", T("2016-05-01"), T("2016-05-31")),
            ("June 16", T("2016-06-01"), T("2016-06-30")),
            ("Sept 17", T("2017-09-01"), T("2017-09-30")),
            ("March 17", T("2017-03-01"), T("2017-03-31")),
            ("June 2016", T("2016-06-01"), T("2016-06-30")),
            ("Nov 2016", T("2016-11-01"), T("2016-11-30")),
            ("Feb 16", T("2016-02-01"), T("2016-02-29")),  # leap year month end
            ("2nd quarter 2017", T("2017-04-01"), T("2017-06-30")),
            ("2 <sup>nd</sup> quarter 2017", T("2017-04-01"), T("2017-06-30")),
            ("Q2 2017", T("2017-04-01"), T("2017-06-30")),
            ("Q4 2016", T("2016-10-01"), T("2016-12-31")),
            ("2017-03-31", T("2017-03-31"), T("2017-03-31")),
            ("31/03/2017", T("2017-03-31"), T("2017-03-31")),
            ("31 March 2017", T("2017-03-31"), T("2017-03-31")),
        ],
    )
    def test_wording_reads_as_first_or_last_day(self, written, start, finish):
        assert parse_plan_date(written, Side.START).date == start
        assert parse_plan_date(written, Side.FINISH).date == finish
        assert parse_plan_date(written, Side.FINISH).as_written == written

    def test_real_excel_date_is_that_day(self):
        parsed = parse_plan_date(dt.datetime(2017, 3, 15), Side.START)
        assert (parsed.date, parsed.kind, parsed.as_written) == (T("2017-03-15"), DateKind.DAY, "2017-03-15")

    def test_started_is_under_way_with_no_date(self):
        parsed = parse_plan_date("Started", Side.START)
        assert parsed.kind == DateKind.STARTED and parsed.date is None

    def test_started_as_a_finish_is_unreadable(self):
        assert parse_plan_date("Started", Side.FINISH).kind == DateKind.UNREADABLE

    @pytest.mark.parametrize("written", ["TBC", "tbc", "", None, "  "])
    def test_tbc_and_blank_are_unset_not_dropped(self, written):
        parsed = parse_plan_date(written, Side.FINISH)
        assert parsed.kind == DateKind.UNSET and parsed.date is None

    @pytest.mark.parametrize("written", ["soon", "31/02/2017", "Smarch 17", "1850-01-01", "2150-01-01"])
    def test_unreadable_is_kept_as_written(self, written):
        parsed = parse_plan_date(written, Side.FINISH)
        assert parsed.kind == DateKind.UNREADABLE and parsed.date is None and parsed.as_written == written

    def test_date_outside_1900_2100_is_unreadable(self):
        assert parse_plan_date(dt.datetime(1899, 12, 31), Side.START).kind == DateKind.UNREADABLE


class TestFormatDate:
    def test_house_style(self):
        assert format_date(T("2017-03-31")) == "31 Mar 2017"
        assert format_date(T("2017-04-01")) == "1 Apr 2017"  # no leading zero, as GOV.UK writes dates

    def test_unknown_is_blank(self):
        assert format_date(None) == "" and format_date(pd.NaT) == ""

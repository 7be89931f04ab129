"""src/analysis/wording.py: the one way numbers are worded (hand-written expectations)."""

import math

import pandas as pd
import pytest

from src.analysis import wording


class TestPercent:
    @pytest.mark.parametrize(
        "share, digits, expected",
        [(0.333, 0, "33%"), (0.333, 1, "33.3%"), (0, 0, "0%"), (1, 0, "100%"), (0.005, 0, "0%"), (0.125, 1, "12.5%")],
    )
    def test_share_0_1_in_percent_out(self, share, digits, expected):
        assert wording.percent(share, digits) == expected

    @pytest.mark.parametrize("blank", [None, float("nan"), pd.NA, pd.NaT, math.inf, ""])
    def test_blank_is_the_one_missing_word(self, blank):
        assert wording.percent(blank) == wording.MISSING == "not known"

    def test_caller_may_ask_for_a_blank_cell(self):
        assert wording.percent(None, missing="") == ""


class TestNumber:
    @pytest.mark.parametrize(
        "value, digits, expected", [(1234.5, 0, "1,234"), (1234.5, 1, "1,234.5"), (18.0, 1, "18"), (3, 0, "3"), (-2.25, 1, "-2.2")]
    )
    def test_thousands_and_no_fraction_on_whole_numbers(self, value, digits, expected):
        assert wording.number(value, digits) == expected

    def test_blank(self):
        assert wording.number(None) == "not known"


class TestPluralAndDays:
    @pytest.mark.parametrize("count, expected", [(0, "0 tasks"), (1, "1 task"), (2, "2 tasks"), (1200, "1,200 tasks")])
    def test_plural(self, count, expected):
        assert wording.plural(count, "task") == expected

    def test_irregular(self):
        assert (wording.plural(1, "child", "children"), wording.plural(3, "child", "children")) == ("1 child", "3 children")

    @pytest.mark.parametrize("value, expected", [(1, "1 day"), (-1, "-1 day"), (0, "0 days"), (12.5, "12.5 days"), (30.0, "30 days")])
    def test_days(self, value, expected):
        assert wording.days(value) == expected

    def test_count_of_follows_the_whole(self):
        assert wording.count_of(3, 33, "task") == "3 of 33 tasks"
        assert wording.count_of(1, 1, "task") == "1 of 1 task"
        assert wording.count_of(0, 14, "recommendation") == "0 of 14 recommendations"

    def test_dates_are_the_house_style(self):
        assert wording.format_date(pd.Timestamp("2017-03-31")) == "31 Mar 2017"


class TestNounAndEmpty:
    @pytest.mark.parametrize("count, expected", [(0, "tasks"), (1, "task"), (2, "tasks")])
    def test_noun_is_the_word_alone(self, count, expected):
        assert wording.noun(count, "task") == expected

    def test_noun_irregular(self):
        assert (wording.noun(1, "child", "children"), wording.noun(4, "child", "children")) == ("child", "children")

    @pytest.mark.parametrize("value, expected", [(None, True), (float("nan"), True), (pd.NA, True), (pd.NaT, True), ("", True)])
    def test_is_empty_blank(self, value, expected):
        from src.analysis.values import is_blank, is_empty

        assert is_empty(value) is expected
        assert is_blank("") is False  # the narrower rule keeps typed text, even empty

    @pytest.mark.parametrize("value", ["  ", "\t\n"])
    def test_is_empty_spaces_only(self, value):
        from src.analysis.values import is_empty

        assert is_empty(value) is True

    def test_is_empty_numpy_scalars(self):
        import numpy as np

        from src.analysis.values import is_empty

        assert (is_empty(np.float64("nan")), is_empty(np.int64(0)), is_empty(np.datetime64("NaT"))) == (True, False, True)

    @pytest.mark.parametrize("value", [0, 0.0, "0", "n/a", False, [], ()])
    def test_is_empty_keeps_what_was_written(self, value):
        from src.analysis.values import is_empty

        assert is_empty(value) is False


class TestSentence:
    """wording.sentence: the first letter in capitals, the rest as written (str.capitalize lowercases the rest)."""

    def test_keeps_dates_names_and_acronyms(self):
        assert wording.sentence("newly beyond tolerance at 31 Jan 2017") == "Newly beyond tolerance at 31 Jan 2017"
        assert wording.sentence("ofsted's RAG") == "Ofsted's RAG"
        assert wording.sentence("RAG") == "RAG"

    def test_blank_and_non_text(self):
        assert wording.sentence("") == "" and wording.sentence(None) == "" and wording.sentence(float("nan")) == ""
        assert wording.sentence(3) == "3"

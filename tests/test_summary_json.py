"""The summary JSON's column conversions (src/analysis/summary_json.py): the fast paths of issue 19's second pass
give what the value-by-value conversions gave, on odd columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from src.analysis.plan_workbook import Rag, TaskStatus
from src.analysis.summary_json import _iso_days, _texts


def by_strftime(series: pd.Series) -> list:
    text = series.dt.strftime("%Y-%m-%d")
    return text.astype("object").where(series.notna(), None).tolist()


def value_by_value(series: pd.Series) -> list:
    return [None if value is None or value != value else str(value) for value in series.astype("object").tolist()]


@pytest.mark.parametrize("unit", ["s", "us", "ns"])
def test_dates_as_strftime_gives_them(unit):
    days = ["2016-03-31", None, "1900-02-28", "2024-02-29 13:45", "2262-04-11"]
    series = pd.Series([pd.Timestamp(d) if d else pd.NaT for d in days]).astype(f"datetime64[{unit}]")
    assert _iso_days(series) == by_strftime(series) == ["2016-03-31", None, "1900-02-28", "2024-02-29", "2262-04-11"]


def test_dates_beyond_four_digit_years_and_all_missing():
    far = pd.Series(np.array(["0999-12-31", "9999-12-31", "NaT"], dtype="datetime64[s]"))
    assert _iso_days(far) == by_strftime(far)
    nothing = pd.Series([pd.NaT, pd.NaT], dtype="datetime64[us]")
    assert _iso_days(nothing) == [None, None] == by_strftime(nothing)
    assert _iso_days(pd.Series([], dtype="datetime64[us]")) == []


@pytest.mark.parametrize(
    "values",
    [
        ["Red", None, Rag.RED, np.nan, "Amber", "Red"],  # a Rag and its word are one value, worded alike
        [TaskStatus.COMPLETE, "Complete", "In progress", None],
        ["1", 1, 1.0, True, None],  # not all text: value by value (1, 1.0 and True are one key to factorize)
        [],
    ],
)
def test_texts_as_value_by_value(values):
    series = pd.Series(values, dtype="object")
    assert _texts(series) == value_by_value(series)
    assert [type(v) for v in _texts(series)] == [type(v) for v in value_by_value(series)]


def test_texts_of_a_string_column():
    series = pd.Series(["a", None, "b", "a"], dtype="str")
    assert _texts(series) == value_by_value(series) == ["a", None, "b", "a"]

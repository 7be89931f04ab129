"""Small value helpers shared by the engine, the charts and the exports."""

from __future__ import annotations

import pandas as pd


def is_blank(value: object) -> bool:
    """True for None, NaN, NaT and pd.NA (a missing value of any kind); False for anything else, lists included."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def is_empty(value: object) -> bool:
    """True for a missing value (`is_blank`) and for text that is empty or only spaces: a cell with nothing in it.

    The one rule for "nothing written here"; `is_blank` alone keeps a blank string (it is text a person typed)."""
    # The common cell types first, without pandas: this runs once per cell of a sheet.
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return value != value
    if isinstance(value, (bool, int)):
        return False
    return is_blank(value)


def number_or_none(value: object) -> float | None:
    """A float for JSON and words, or None for anything blank, NaN or not a number."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number

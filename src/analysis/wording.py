"""One way of wording numbers for people: percent, counts, plurals, days, dates and the missing value.

Plain Python, used by the pages, the charts, the documents and the CLI's text report alike, so a share
reads "33%" and an unknown value reads the same word everywhere. Shares are 0-1 in, percent out.
"""

from __future__ import annotations

import math

from .dates import format_date
from .values import is_empty

MISSING = "not known"  # the one word for a value nobody gave or that cannot be worked out

__all__ = ["MISSING", "count_of", "days", "format_date", "noun", "number", "percent", "plural"]


def _missing(value: object) -> bool:
    """Blank (None, NaN, NaT, NA), empty text, or infinite: nothing a person can be told as a number."""
    return is_empty(value) or (isinstance(value, float) and math.isinf(value))


def percent(share: object, digits: int = 0, missing: str = MISSING) -> str:
    """A share 0-1 as percent text: 0.333 -> '33%', with digits=1 -> '33.3%'; blank -> `missing`."""
    if _missing(share):
        return missing
    return f"{float(share) * 100:.{digits}f}%"


def number(value: object, digits: int = 0, missing: str = MISSING) -> str:
    """A number with thousands separators: 1234.5 -> '1,235' (digits=1 -> '1,234.5'); whole numbers never
    show a fraction ('18' not '18.0'); blank -> `missing`."""
    if _missing(value):
        return missing
    value = float(value)
    if value.is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}"


def noun(count: int, singular: str, many: str | None = None) -> str:
    """The word alone, for a count given another way (a list of ids): 1 -> 'task', 0 or 2 -> 'tasks'."""
    return singular if count == 1 else (many or f"{singular}s")


def plural(count: int, singular: str, many: str | None = None) -> str:
    """'1 task', '2 tasks', '0 tasks'; `many` for irregular words ('1 child', '3 children')."""
    return f"{count:,} {noun(count, singular, many)}"


def days(value: object, missing: str = MISSING) -> str:
    """A number of days: 1 -> '1 day', 12.5 -> '12.5 days', -3 -> '-3 days'; blank -> `missing`."""
    if _missing(value):
        return missing
    value = float(value)
    text = f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    return f"{text} day" if abs(value) == 1 else f"{text} days"


def count_of(part: int, whole: int, what: str, many: str | None = None) -> str:
    """A count with its denominator: '3 of 33 tasks' (the noun follows the whole)."""
    word = what if whole == 1 else (many or f"{what}s")
    return f"{part:,} of {whole:,} {word}"


def sentence(text: object) -> str:
    """Text with its first letter in capitals and the rest as written: 'newly beyond tolerance at 31 Jan 2017'
    -> 'Newly beyond tolerance at 31 Jan 2017' (str.capitalize would write '31 jan 2017' and 'ofsted')."""
    text = "" if _missing(text) else str(text)
    return text[:1].upper() + text[1:]

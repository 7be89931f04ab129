"""Plan dates read as a planner means them (shared/spec/workbook-format.md, "Plan dates").

`May 16` as a start is 1 May 2016 and as a finish 31 May 2016; `2nd quarter 2017` is
1 April / 30 June 2017; `Started` is under way before the plan date; `TBC` is not set.
The original wording is always kept beside the parsed date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from .values import is_blank


class Side(StrEnum):
    START = "start"
    FINISH = "finish"


class DateKind(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    STARTED = "started"
    UNSET = "unset"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class PlanDate:
    """A plan date: what was written, what it means (or None), and how it was read."""

    as_written: str
    date: pd.Timestamp | None
    kind: DateKind

    @property
    def is_set(self) -> bool:
        return self.date is not None


EARLIEST_YEAR = 1900
LATEST_YEAR = 2100

_MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_UNSET_WORDS = {"", "tbc", "tba", "tbd", "to be confirmed", "to be agreed", "n/a", "na", "none", "-", "–", "—", "?"}
_STARTED_WORDS = {"started", "already started", "underway", "under way", "in progress", "ongoing", "on going"}
_ORDINAL = r"(?P<q>[1-4])\s*(?:st|nd|rd|th)?"
_QUARTER_PATTERNS = (
    re.compile(rf"^{_ORDINAL}\s+quarter\s*(?:of\s+)?(?P<y>\d{{2}}|\d{{4}})$"),
    re.compile(r"^q\s*(?P<q>[1-4])\s*[,/\-]?\s*(?P<y>\d{2}|\d{4})$"),
    re.compile(r"^quarter\s*(?P<q>[1-4])\s*[,/\-]?\s*(?P<y>\d{2}|\d{4})$"),
    re.compile(r"^(?P<y>\d{4})\s*[,/\-]?\s*q\s*(?P<q>[1-4])$"),
)
_MONTH_YEAR = re.compile(r"^(?P<m>[a-z]+)\.?\s*[,/\-']?\s*(?P<y>\d{2}|\d{4})$")
_DAY_MONTH_YEAR = re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m>[a-z]+)\.?,?\s+(?P<y>\d{2}|\d{4})$")
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ t]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_UK_NUMERIC = re.compile(r"^(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{2}|\d{4})$")
_MONTH_NUMERIC = re.compile(r"^(?P<m>\d{1,2})[/.](?P<y>\d{4})$")


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def _month_bounds(year: int, month: int, side: Side) -> pd.Timestamp:
    first = pd.Timestamp(year=year, month=month, day=1)
    return first if side == Side.START else first + pd.offsets.MonthEnd(0)


def _quarter_bounds(year: int, quarter: int, side: Side) -> pd.Timestamp:
    first_month = 3 * (quarter - 1) + 1
    return _month_bounds(year, first_month if side == Side.START else first_month + 2, side)


def _in_range(year: int) -> bool:
    return EARLIEST_YEAR <= year <= LATEST_YEAR


def _as_written(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and pd.isna(value):
        return ""
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        stamp = pd.Timestamp(value)
        return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_plan_date(value: object, side: Side | str = Side.FINISH) -> PlanDate:
    """Read one plan date cell. `side` decides whether a month or quarter means its first or last day."""
    side = Side(side)
    written = _as_written(value)
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)) and not (isinstance(value, pd.Timestamp) and pd.isna(value)):
        stamp = pd.Timestamp(value).normalize()
        if not _in_range(stamp.year):
            return PlanDate(written, None, DateKind.UNREADABLE)
        return PlanDate(written, stamp, DateKind.DAY)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not pd.isna(value):
        if float(value).is_integer() and _in_range(int(value)):
            year = int(value)
            stamp = pd.Timestamp(year=year, month=1 if side == Side.START else 12, day=1 if side == Side.START else 31)
            return PlanDate(written, stamp, DateKind.YEAR)
        return PlanDate(written, None, DateKind.UNREADABLE)
    text = re.sub(r"\s+", " ", written.lower()).strip()
    text = re.sub(r"<[^>]+>", "", text).strip()  # `2 <sup>nd</sup> quarter 2017` from a PDF
    if text in _UNSET_WORDS:
        return PlanDate(written, None, DateKind.UNSET)
    if text in _STARTED_WORDS:
        if side == Side.START:
            return PlanDate(written, None, DateKind.STARTED)
        return PlanDate(written, None, DateKind.UNREADABLE)
    for pattern in _QUARTER_PATTERNS:
        match = pattern.match(text)
        if match:
            year = _year(match["y"])
            if not _in_range(year):
                break
            return PlanDate(written, _quarter_bounds(year, int(match["q"]), side), DateKind.QUARTER)
    match = _ISO.match(text) or _UK_NUMERIC.match(text)
    if match:
        year = _year(match["y"])
        try:
            stamp = pd.Timestamp(year=year, month=int(match["m"]), day=int(match["d"]))
        except ValueError:
            return PlanDate(written, None, DateKind.UNREADABLE)
        if not _in_range(year):
            return PlanDate(written, None, DateKind.UNREADABLE)
        return PlanDate(written, stamp, DateKind.DAY)
    match = _DAY_MONTH_YEAR.match(text)
    if match and match["m"] in _MONTHS:
        year = _year(match["y"])
        try:
            stamp = pd.Timestamp(year=year, month=_MONTHS[match["m"]], day=int(match["d"]))
        except ValueError:
            return PlanDate(written, None, DateKind.UNREADABLE)
        if not _in_range(year):
            return PlanDate(written, None, DateKind.UNREADABLE)
        return PlanDate(written, stamp, DateKind.DAY)
    match = _MONTH_YEAR.match(text)
    if match and match["m"] in _MONTHS:
        year = _year(match["y"])
        if _in_range(year):
            return PlanDate(written, _month_bounds(year, _MONTHS[match["m"]], side), DateKind.MONTH)
    match = _MONTH_NUMERIC.match(text)
    if match and 1 <= int(match["m"]) <= 12 and _in_range(int(match["y"])):
        return PlanDate(written, _month_bounds(int(match["y"]), int(match["m"]), side), DateKind.MONTH)
    if re.fullmatch(r"\d{4}", text) and _in_range(int(text)):
        return parse_plan_date(int(text), side)
    return PlanDate(written, None, DateKind.UNREADABLE)


def parse_plan_dates(values, side: Side | str = Side.FINISH) -> list[PlanDate]:
    """parse_plan_date for a column, once per distinct cell value."""
    cache: dict = {}
    out = []
    for value in values:
        key = (value.__class__, value)
        try:
            parsed = cache[key]
        except KeyError:
            parsed = cache[key] = parse_plan_date(value, side)
        except TypeError:
            parsed = parse_plan_date(value, side)
        out.append(parsed)
    return out


def format_date(value: object) -> str:
    """House style for dates on screen and on paper: `31 Mar 2017`, `1 Apr 2017`; blank when unknown."""
    if is_blank(value):
        return ""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp.strftime('%b %Y')}"


def iso_or_none(value: object) -> str | None:
    """ISO date text for JSON; None when unknown."""
    if is_blank(value):
        return None
    return pd.Timestamp(value).strftime("%Y-%m-%d")

"""Plan dates read as a planner means them (shared/spec/workbook-format.md, "Plan dates"; docs/plan-dates.md).

`May 16` as a start is 1 May 2016 and as a finish 31 May 2016; `2nd quarter 2017` is
1 April / 30 June 2017; `2015/16` is the financial year 1 Apr 2015 to 31 Mar 2016;
`Sept 2016 - March 2017` gives both a start and a finish; `Monthly` has no fixed finish
(ongoing); `Started` is under way before the plan date; `TBC` is not set.
The original wording is always kept beside the parsed date, and any reading that took an
assumption (day or month first, a year not written, words ignored) carries a note saying so.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
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
    HALF = "half"
    TERM = "term"  # a school term
    SEASON = "season"
    YEAR = "year"
    FINANCIAL_YEAR = "financial_year"
    RANGE = "range"  # a start and a finish in one cell
    ONGOING = "ongoing"  # no fixed finish: Ongoing, Monthly, Business as usual
    STARTED = "started"
    UNSET = "unset"
    UNREADABLE = "unreadable"


class Assumption(StrEnum):
    """What a reading took for granted; each is reported as a data-quality finding (docs/plan-dates.md)."""

    NONE = ""
    DAY_FIRST = "day_first"  # 1/2/2017 could be either; read day first (UK)
    MONTH_FIRST = "month_first"  # 12/25/2017: day first impossible, read month first
    FINANCIAL_YEAR = "financial_year"  # 12/13 read as the financial year 2012/13, not December 2013
    CALENDAR_QUARTER = "calendar_quarter"  # a bare Q1 2017 read by the About `quarters` setting
    FINANCIAL_QUARTER = "financial_quarter"
    NO_YEAR = "no_year"  # January 14th: the year taken from the plan date
    WORDS_IGNORED = "words_ignored"  # Phase 1 completed Phase 2 Mar 2017
    VERSION_STAMP = "version_stamp"  # 080617: not read as a date


@dataclass(frozen=True)
class PlanDate:
    """A plan date: what was written, what it means (or None), and how it was read.

    `note` says in words what was assumed (blank when nothing was); `status` is a task status word
    carried in the same cell (`Done (March 2004)` -> "Complete"); `advice` says how to write an
    unreadable date so that it can be read.
    """

    as_written: str
    date: pd.Timestamp | None
    kind: DateKind
    note: str = ""
    assumption: Assumption = Assumption.NONE
    status: str | None = None
    advice: str = ""

    @property
    def is_set(self) -> bool:
        return self.date is not None


@dataclass(frozen=True)
class PlanCell:
    """One plan-date cell read for both sides: a range or a period gives a start and a finish."""

    as_written: str
    start: pd.Timestamp | None
    finish: pd.Timestamp | None
    kind: DateKind
    note: str = ""
    assumption: Assumption = Assumption.NONE
    status: str | None = None
    advice: str = ""

    def side(self, side: Side | str) -> PlanDate:
        side = Side(side)
        kind = self.kind
        if kind == DateKind.STARTED and side == Side.FINISH:
            return PlanDate(self.as_written, None, DateKind.UNREADABLE, advice=_ADVICE_STARTED)
        date = self.start if side == Side.START else self.finish
        return PlanDate(self.as_written, date, kind, self.note, self.assumption, self.status, self.advice)

    @property
    def is_range(self) -> bool:
        return self.kind == DateKind.RANGE


EARLIEST_YEAR = 1900
LATEST_YEAR = 2100
MAX_DATE_TEXT = 100  # characters: the longest real form seen is under 40
CALENDAR = "calendar"
FINANCIAL = "financial"

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
_WEEKDAYS = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?"
_UNSET_WORDS = {"", "tbc", "tba", "tbd", "to be confirmed", "to be agreed", "to be decided", "n/a", "na", "none", "-", "?", "??", "x"}
_STARTED_WORDS = {"started", "already started", "underway", "under way", "in progress", "in place", "commenced", "begun"}
_ONGOING_WORDS = {
    "ongoing",
    "on going",
    "on-going",
    "continuous",
    "continuing",
    "continual",
    "throughout",
    "business as usual",
    "bau",
    "as required",
    "as and when",
    "as needed",
    "regularly",
    "routine",
    "rolling",
    "rolling programme",
    "annual",
    "every year",
    "every month",
    "each month",
    "each year",
    "each term",
}
_RECURRING = re.compile(
    r"\b(?:daily|weekly|fortnightly|monthly|bi-monthly|bimonthly|quarterly|termly|annually|yearly|half-yearly|half yearly|"
    r"six-monthly|six monthly|6-monthly|6 monthly|biannually|bi-annually|ongoing|on-going|on going|onwards|thereafter)\b"
)
_STATUS_IN_CELL = {
    "complete": "Complete",
    "completed": "Complete",
    "done": "Complete",
    "achieved": "Complete",
    "delivered": "Complete",
    "closed": "Complete",
    "in progress": "In progress",
    "on track": "In progress",
    "started": "In progress",
    "underway": "In progress",
    "under way": "In progress",
    "on hold": "On hold",
    "paused": "On hold",
    "delayed": None,  # a status word, but not one of the contract's statuses: read, not carried
    "slipped": None,
    "revised": None,
    "not started": "Not started",
    "cancelled": "Cancelled",
    "withdrawn": "Cancelled",
}
_STATUS_PATTERN = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _STATUS_IN_CELL), key=len, reverse=True)) + r")\b")
_VAGUE = re.compile(r"^(?:early|mid|middle of|late|beginning of|start of|towards the end of|around|approx\.?|c\.|circa)[\s-]")
_END_PREFIX = re.compile(r"^(?:by\s+)?(?:the\s+)?end\s+(?:of\s+)?(?:the\s+)?")
_PREFIX = re.compile(
    r"^(?:no\s+later\s+than|not\s+later\s+than|by\s+no\s+later\s+than|deadline:?|due:?|due\s+by|by|before|from|during|in|within|"
    r"throughout|until|w/c|w/b|w\.c\.|wc|wb|week\s+commencing|week\s+beginning|wk\s+commencing|commencing|starting|target:?)\s+"
)
_MAX_STATUS_WORDS = 12  # a status and a date in one cell is a few words; more is commentary, not a date
_NOT_A_DAY_AFTER = {"phase", "stage", "part", "step", "tier", "wave", "round", "no", "number", "year", "level", "version", "v", "section"}
_ADVICE = (
    "Write a date (31/03/2017), a month (March 2017), a quarter (Q1 2017 or Q1 2017/18), a financial year (2017/18), "
    "a range (Sept 2016 - March 2017), Ongoing, 'Started' (starts only) or TBC."
)
_ADVICE_STARTED = "'Started' says a task is under way, so it belongs in the start; give the finish as a date, a month or TBC."
_ADVICE_VAGUE = "Give the month the planner means (e.g. 'June 2017' for mid-2017); early, mid and late are not dates."
_ADVICE_NO_YEAR = "Add the year (e.g. Q1 2017 or Q1 2017/18): without one the quarter cannot be placed."
_ADVICE_ADD_YEAR = "Add the year (14 January 2017): without a plan date on the About sheet the year cannot be assumed."
_ADVICE_STAMP = "This looks like a version or document stamp (six digits), not a date; write the date as 08/06/2017 if that is meant."
_ADVICE_REVIEW = "This reads as a list of reviews at several months (e.g. 6, 12 and 18 months); give each review its own task and date."


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def _in_range(year: int) -> bool:
    return EARLIEST_YEAR <= year <= LATEST_YEAR


def _month_first(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year=year, month=month, day=1)


def _month_last(year: int, month: int) -> pd.Timestamp:
    return pd.Timestamp(year=year, month=month, day=1) + pd.offsets.MonthEnd(0)


def _months(year: int, first_month: int, count: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First day of (year, first_month) and last day of the month `count - 1` months later (month 13 is January next year)."""
    year, first_month = year + (first_month - 1) // 12, (first_month - 1) % 12 + 1
    start = _month_first(year, first_month)
    last = start + pd.DateOffset(months=count - 1)
    return start, _month_last(last.year, last.month)


@dataclass(frozen=True)
class _Span:
    start: pd.Timestamp
    finish: pd.Timestamp
    kind: DateKind
    note: str = ""
    assumption: Assumption = Assumption.NONE


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


def _normalise(written: str, lower: bool = True) -> str:
    text = re.sub(r"<[^>]+>", "", written.lower() if lower else written)  # `2 <sup>nd</sup> quarter 2017` from a PDF
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # en and em dashes, minus signs
    text = text.replace("\u00a0", " ").replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(\d)\s+(st|nd|rd|th)\b", r"\1\2", text, flags=re.IGNORECASE)  # `January 14 th`
    text = re.sub(r"'\s*(\d{2})\b", r" \1", text)  # `31st Mar '17`
    text = re.sub(r"\s+", " ", text)
    return text.strip(" .,;:")


# ---- one period -------------------------------------------------------------------------------

_FY = r"(?:fy\s*)?(?P<fy1>\d{4}|\d{2})\s*[/-]\s*(?P<fy2>\d{4}|\d{2})"
_FY_ONLY = re.compile(rf"^(?:fy|financial year)?\s*{_FY}$")
_FY_SHORT = re.compile(r"^fy\s*(?P<y>\d{2}|\d{4})$")  # FY17 or FY 2017: the year it ends (FY17 = 2016/17)
_YEAR_OR_FY = rf"(?:{_FY}|(?P<y>\d{{4}}|\d{{2}}))"
_QUARTER_PATTERNS = (
    re.compile(rf"^(?P<q>[1-4])(?:st|nd|rd|th)?\s+quarter\s*(?:of\s+)?(?:fy\s*)?{_YEAR_OR_FY}$"),
    re.compile(rf"^(?:q|qtr|quarter)\s*(?P<q>[1-4])\s*[,/-]?\s*(?:of\s+)?(?:fy\s*)?{_YEAR_OR_FY}$"),
    re.compile(rf"^(?:fy\s*)?{_YEAR_OR_FY}\s*[,/-]?\s*(?:q|qtr|quarter)\s*(?P<q>[1-4])$"),
)
_HALF_PATTERNS = (
    re.compile(rf"^h\s*(?P<h>[12])\s*[,/-]?\s*(?:fy\s*)?{_YEAR_OR_FY}$"),
    re.compile(rf"^(?P<h>first|second|1st|2nd)\s+half\s+(?:of\s+)?(?:the\s+)?(?:year\s+)?(?:fy\s*)?{_YEAR_OR_FY}$"),
)
_TERM = re.compile(rf"^(?P<t>autumn|spring|summer)\s+term\s*(?:of\s+)?{_YEAR_OR_FY}$")
_SEASON = re.compile(r"^(?P<s>spring|summer|autumn|fall)\s+(?P<y>\d{4}|\d{2})$")
_WINTER = re.compile(rf"^winter\s+{_FY}$")
_MONTH_YEAR = re.compile(r"^(?P<m>[a-z]+)\.?\s*(?:of\s+)?[,/-]?\s*(?P<y>\d{4}|\d{2})$")
_DAY_MONTH_YEAR = re.compile(
    rf"^(?:{_WEEKDAYS},?\s+)?(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+(?P<m>[a-z]+)\.?,?[\s-]+(?P<y>\d{{4}}|\d{{2}})$"
)
_MONTH_DAY_YEAR = re.compile(rf"^(?:{_WEEKDAYS},?\s+)?(?P<m>[a-z]+)\.?\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})$")
_DAY_MONTH = re.compile(rf"^(?:{_WEEKDAYS},?\s+)?(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m>[a-z]+)\.?$")
_MONTH_DAY = re.compile(rf"^(?:{_WEEKDAYS},?\s+)?(?P<m>[a-z]+)\.?\s+(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?$")
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ t]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NUMERIC_DMY = re.compile(r"^(?P<a>\d{1,2})\s*[/.-]\s*(?P<b>\d{1,2})\s*[/.-]\s*(?P<y>\d{4}|\d{2})$")
_NUMERIC_MY = re.compile(r"^(?P<a>\d{1,2})\s*[/.]\s*(?P<y>\d{4}|\d{2})$")
_STAMP = re.compile(r"^\d{6}$")


def _fiscal_start(first: str, second: str) -> int | None:
    """The calendar year a financial year written `first/second` starts in, when the two are consecutive."""
    start, end = _year(first), _year(second)
    return start if end == start + 1 and _in_range(start) else None


def _period_year(match: re.Match) -> tuple[int, bool] | None:
    """(year, is_financial) from a match holding either `y` or the financial-year pair `fy1`/`fy2`."""
    if match["fy1"]:
        start = _fiscal_start(match["fy1"], match["fy2"])
        return None if start is None else (start, True)
    year = _year(match["y"])
    return (year, False) if _in_range(year) else None


def _day(year: int, month: int, day: int, note: str = "", assumption: Assumption = Assumption.NONE) -> _Span | None:
    if not _in_range(year):
        return None
    try:
        stamp = pd.Timestamp(year=year, month=month, day=day)
    except ValueError:
        return None
    return _Span(stamp, stamp, DateKind.DAY, note, assumption)


def _month(year: int, month: int) -> _Span | None:
    if not _in_range(year) or not 1 <= month <= 12:
        return None
    return _Span(_month_first(year, month), _month_last(year, month), DateKind.MONTH)


def _quarter(text: str, quarters: str) -> _Span | None:
    for pattern in _QUARTER_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        read = _period_year(match)
        if read is None:
            return None
        year, financial = read
        quarter = int(match["q"])
        note, assumption = "", Assumption.NONE
        if not financial:
            if quarters == FINANCIAL:
                financial = True
                assumption = Assumption.FINANCIAL_QUARTER
            else:
                assumption = Assumption.CALENDAR_QUARTER
        if financial:
            start, finish = _months(year, 4 + 3 * (quarter - 1), 3)
        else:
            start, finish = _months(year, 1 + 3 * (quarter - 1), 3)
        if assumption != Assumption.NONE:
            which = "financial (April to March)" if assumption == Assumption.FINANCIAL_QUARTER else "calendar"
            setting = FINANCIAL if assumption == Assumption.FINANCIAL_QUARTER else CALENDAR
            note = f"read as a {which} quarter ({format_date(start)} to {format_date(finish)}): the About sheet's quarters setting is {setting}"
        return _Span(start, finish, DateKind.QUARTER, note, assumption)
    return None


def _half(text: str, quarters: str) -> _Span | None:
    for pattern in _HALF_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        read = _period_year(match)
        if read is None:
            return None
        year, financial = read
        half = 1 if match["h"] in ("1", "first", "1st") else 2
        financial = financial or quarters == FINANCIAL
        start, finish = _months(year, (4 if financial else 1) + 6 * (half - 1), 6)
        return _Span(start, finish, DateKind.HALF)
    return None


def _term(text: str) -> _Span | None:
    """School terms: Autumn 1 Sep-31 Dec, Spring 1 Jan-31 Mar, Summer 1 Apr-31 Jul (Easter moves; docs/plan-dates.md)."""
    match = _TERM.match(text)
    if not match:
        return None
    read = _period_year(match)
    if read is None:
        return None
    year, academic = read
    term = match["t"]
    if academic and term != "autumn":  # Spring term 2017/18 is in 2018
        year += 1
    first, count = {"autumn": (9, 4), "spring": (1, 3), "summer": (4, 4)}[term]
    start, finish = _months(year, first, count)
    return _Span(start, finish, DateKind.TERM)


def _season(text: str) -> _Span | None:
    """Meteorological seasons: Spring Mar-May, Summer Jun-Aug, Autumn Sep-Nov, Winter Dec-Feb (written 2016/17)."""
    match = _SEASON.match(text)
    if match:
        year = _year(match["y"])
        if not _in_range(year):
            return None
        first = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9}[match["s"]]
        start, finish = _months(year, first, 3)
        return _Span(start, finish, DateKind.SEASON)
    match = _WINTER.match(text)
    if match:
        year = _fiscal_start(match["fy1"], match["fy2"])
        if year is None:
            return None
        start, finish = _months(year, 12, 3)
        return _Span(start, finish, DateKind.SEASON)
    return None


def _financial_year(text: str) -> _Span | None:
    match = _FY_ONLY.match(text)
    if match:
        start_year = _fiscal_start(match["fy1"], match["fy2"])
        if start_year is None:
            return None
        note, assumption = "", Assumption.NONE
        first = int(match["fy1"])
        if len(match["fy1"]) == 2 and len(match["fy2"]) == 2 and 1 <= first <= 12 and "fy" not in text:
            note = f"read as the financial year {start_year}/{str(start_year + 1)[2:]}, not {pd.Timestamp(year=2000 + int(match['fy2']), month=first, day=1):%B %Y}"
            assumption = Assumption.FINANCIAL_YEAR
        start, finish = _months(start_year, 4, 12)
        return _Span(start, finish, DateKind.FINANCIAL_YEAR, note, assumption)
    match = _FY_SHORT.match(text)
    if match:
        end_year = _year(match["y"])
        if not _in_range(end_year - 1):
            return None
        start, finish = _months(end_year - 1, 4, 12)
        return _Span(start, finish, DateKind.FINANCIAL_YEAR)
    return None


def _numeric(text: str) -> _Span | None:
    match = _ISO.match(text)
    if match:
        return _day(int(match["y"]), int(match["m"]), int(match["d"]))
    match = _NUMERIC_DMY.match(text)
    if match:
        a, b, year = int(match["a"]), int(match["b"]), _year(match["y"])
        day_first = _day(year, b, a)
        if day_first is not None:
            if a <= 12 and a != b:
                other = _day(year, a, b)
                note = f"read day first as {format_date(day_first.start)} (UK order), not {format_date(other.start)}" if other else ""
                return replace(day_first, note=note, assumption=Assumption.DAY_FIRST if other else Assumption.NONE)
            return day_first
        month_first = _day(year, a, b)
        if month_first is not None:
            return replace(
                month_first,
                note=f"read month first as {format_date(month_first.start)}: day first is impossible",
                assumption=Assumption.MONTH_FIRST,
            )
        return None
    match = _NUMERIC_MY.match(text)
    if match:
        return _month(_year(match["y"]), int(match["a"]))
    return None


def _worded_day(text: str) -> _Span | None:
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        match = pattern.match(text)
        if match and match["m"] in _MONTHS:
            return _day(_year(match["y"]), _MONTHS[match["m"]], int(match["d"]))
    return None


def _month_year(text: str) -> _Span | None:
    match = _MONTH_YEAR.match(text)
    if match and match["m"] in _MONTHS:
        return _month(_year(match["y"]), _MONTHS[match["m"]])
    return None


def _no_year(text: str, reference: pd.Timestamp | None) -> _Span | None:
    """`January 14th`, `14 January`, `September`: the first such day or month on or after the plan date."""
    day = month = None
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        match = pattern.match(text)
        if match and match["m"] in _MONTHS:
            day, month = int(match["d"]), _MONTHS[match["m"]]
            break
    else:
        if text in _MONTHS:
            month = _MONTHS[text]
    if month is None or reference is None:
        return None
    reference = pd.Timestamp(reference)
    year = reference.year
    if day is None:
        if month < reference.month:
            year += 1
        span = _month(year, month)
    else:
        span = _day(year, month, day)
        if span is not None and span.start < reference.normalize():
            span = _day(year + 1, month, day)
    if span is None:
        return None
    what = format_date(span.start) if day is not None else f"{span.start:%B %Y}"
    return replace(
        span,
        note=f"no year written: read as {what}, the first after the plan date ({format_date(reference)})",
        assumption=Assumption.NO_YEAR,
    )


def _year_only(text: str) -> _Span | None:
    if re.fullmatch(r"\d{4}", text) and _in_range(int(text)):
        year = int(text)
        return _Span(pd.Timestamp(year=year, month=1, day=1), pd.Timestamp(year=year, month=12, day=31), DateKind.YEAR)
    return None


def _period(text: str, quarters: str, reference: pd.Timestamp | None) -> _Span | None:
    """One period written alone (no deadline words, no range): its first and last day, or None."""
    text = text.strip(" .,;:()[]")
    for reader in (_financial_year, _numeric, _worded_day, _month_year, _term, _season, _year_only):
        span = reader(text)
        if span is not None:
            return span
    return _quarter(text, quarters) or _half(text, quarters) or _no_year(text, reference)


def _with_prefix(text: str, quarters: str, reference: pd.Timestamp | None) -> _Span | None:
    """A period after deadline words: `By September 2015`, `w/c 5 June 2017`, `End of March 2013` (its last day)."""
    text = text.strip(" .,;:()[]")
    end = _END_PREFIX.match(text)
    if end and end.end() < len(text):
        span = _with_prefix(text[end.end() :], quarters, reference)
        if span is None:
            return None
        return replace(span, start=span.finish)  # `end of Spring term 2018` is one day, its last
    prefix = _PREFIX.match(text)
    if prefix:
        return _with_prefix(text[prefix.end() :], quarters, reference)
    return _period(text, quarters, reference)


_RANGE_SEPARATOR = re.compile(r"\s*(?:-|\bto\b|\buntil\b|\btill\b|\bthrough\b|\bthru\b|\band\b)\s*")


def _range(text: str, quarters: str, reference: pd.Timestamp | None) -> _Span | None:
    """`Sept 2016 - March 2017`, `10-19 September 2012`, `18th - 20th January 2022`, `2016-2018`: a start and a finish."""
    body = re.sub(r"^(?:from|between)\s+", "", text)
    for match in _RANGE_SEPARATOR.finditer(body):
        left, right = body[: match.start()].strip(), body[match.end() :].strip()
        if not left or not right:
            continue
        finish = _with_prefix(right, quarters, reference)
        if finish is None:
            continue
        start = _with_prefix(left, quarters, None)
        borrowed = False
        if start is None:  # `10-19 September 2012`: the left takes the month and year it leaves out
            words = right.split()
            for take in (1, 2):
                if len(words) > take:
                    start = _with_prefix(f"{left} {' '.join(words[-take:])}", quarters, None)
                    if start is not None:
                        borrowed = True
                        break
        if start is None:
            continue
        if borrowed and start.start > finish.finish:  # `Nov - Feb 2017`: November 2016
            start = replace(start, start=start.start - pd.DateOffset(years=1))
        if start.start > finish.finish:
            continue
        note = "; ".join(n for n in (start.note, finish.note) if n)
        assumption = start.assumption or finish.assumption
        return _Span(start.start, finish.finish, DateKind.RANGE, note, assumption)
    return None


def _ongoing(text: str, quarters: str, reference: pd.Timestamp | None) -> PlanCell | None:
    """`Ongoing`, `Monthly`, `May and November annually`, `Ongoing from April 2016`: no fixed finish."""
    if text in _ONGOING_WORDS or re.fullmatch(r"every \w+( \w+)?", text):
        return PlanCell("", None, None, DateKind.ONGOING)
    if not _RECURRING.search(text):
        return None
    rest = _RECURRING.sub(" ", text)
    rest = re.sub(r"\b(?:from|and|starting|beginning|commencing|then|reviewed|review|reviews|meetings?|reports?)\b", " ", rest)
    rest = re.sub(r"\s+", " ", rest).strip(" ,;:-()")
    start = _with_prefix(rest, quarters, reference) if rest else None
    # `Ongoing from April 2016`, `April 2016 onwards`: the start is known, the finish never fixed.
    return PlanCell("", None if start is None else start.start, None, DateKind.ONGOING)


def _status_and_date(text: str, cased: str, quarters: str, reference: pd.Timestamp | None) -> tuple[_Span, str, str, str | None] | None:
    """`Done (March 2004)`, `Complete - Jan 17`, `Phase 1 completed Phase 2 Mar 2017`: (date, its words, words ignored, status)."""
    found = _STATUS_PATTERN.search(text)
    if not found:
        return None
    words = re.sub(r"[()\[\],;:]", " ", text).split()
    if len(words) > _MAX_STATUS_WORDS:
        return None
    cased_words = re.sub(r"[()\[\],;:]", " ", cased).split()
    if len(cased_words) != len(words):
        cased_words = words
    best: tuple[int, int, _Span] | None = None
    for length in range(min(len(words), 6), 0, -1):
        for begin in range(len(words) - length, -1, -1):  # the last date in the cell: `Phase 2 Mar 2017` rather than phase 1
            piece = " ".join(words[begin : begin + length])
            if re.fullmatch(r"\d{1,2}", words[begin]) and begin > 0 and words[begin - 1] in _NOT_A_DAY_AFTER:
                continue
            if _STATUS_PATTERN.fullmatch(piece):
                continue
            span = _with_prefix(piece, quarters, reference) or _range(piece, quarters, reference)
            if span is not None:
                best = (begin, length, span)
                break
        if best:
            break
    if best is None:
        return None
    begin, length, span = best
    piece = " ".join(cased_words[begin : begin + length])
    ignored = " ".join(cased_words[:begin] + cased_words[begin + length :]).strip(" -")
    # The status is carried only when it is all the rest of the cell says (`Done (March 2004)`), not `Phase 1 completed`.
    rest = _STATUS_PATTERN.fullmatch(re.sub(r"\s*-\s*", " ", ignored.lower()).strip())
    status = _STATUS_IN_CELL.get(rest.group(1)) if rest else None
    return span, piece, ignored, status


def read_plan_cell(value: object, quarters: str = CALENDAR, reference: pd.Timestamp | None = None) -> PlanCell:
    """Read one plan-date cell for both sides: start and finish, kind, assumption note, carried status, advice.

    `quarters` is the About sheet's setting (`calendar`, the default, or `financial`): what a bare
    `Q1 2017` means. `reference` (the plan date) places a day or month written without a year.
    """
    quarters = FINANCIAL if str(quarters or "").strip().lower() == FINANCIAL else CALENDAR
    written = _as_written(value)
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)) and not (isinstance(value, pd.Timestamp) and pd.isna(value)):
        stamp = pd.Timestamp(value).normalize()
        if not _in_range(stamp.year):
            return PlanCell(written, None, None, DateKind.UNREADABLE, advice=_ADVICE)
        return PlanCell(written, stamp, stamp, DateKind.DAY)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and not pd.isna(value):
        if float(value).is_integer() and _in_range(int(value)):
            span = _year_only(str(int(value)))
            return PlanCell(written, span.start, span.finish, DateKind.YEAR)
        if float(value).is_integer() and _STAMP.match(written):
            return PlanCell(
                written,
                None,
                None,
                DateKind.UNREADABLE,
                "a six-digit stamp, not read as a date",
                Assumption.VERSION_STAMP,
                advice=_ADVICE_STAMP,
            )
        return PlanCell(written, None, None, DateKind.UNREADABLE, advice=_ADVICE)
    if len(written) > MAX_DATE_TEXT:  # no plan date is this long; a hostile cell must not cost more than a glance
        return PlanCell(written, None, None, DateKind.UNREADABLE, advice=_ADVICE)
    text = _normalise(written)
    if text in _UNSET_WORDS:
        return PlanCell(written, None, None, DateKind.UNSET)
    if text in _STARTED_WORDS:
        return PlanCell(written, None, None, DateKind.STARTED)
    span = _with_prefix(text, quarters, reference) or _range(text, quarters, reference)
    if span is not None:
        return PlanCell(written, span.start, span.finish, span.kind, span.note, span.assumption)
    ongoing = _ongoing(text, quarters, reference)
    if ongoing is not None:
        return replace(ongoing, as_written=written)
    if _STAMP.match(text):
        return PlanCell(
            written,
            None,
            None,
            DateKind.UNREADABLE,
            "a six-digit stamp, not read as a date",
            Assumption.VERSION_STAMP,
            advice=_ADVICE_STAMP,
        )
    if _VAGUE.match(text):
        return PlanCell(written, None, None, DateKind.UNREADABLE, advice=_ADVICE_VAGUE)
    if re.fullmatch(r"(?:q|qtr|quarter)\s*[1-4]|[1-4](?:st|nd|rd|th)? quarter|h[12]", text):
        return PlanCell(written, None, None, DateKind.UNREADABLE, advice=_ADVICE_NO_YEAR)
    if reference is None and _no_year(text, pd.Timestamp("2000-01-01")) is not None:
        return PlanCell(written, None, None, DateKind.UNREADABLE, advice=_ADVICE_ADD_YEAR)
    if re.search(r"\bmonths?\b.*\breviews?\b|\d+\s*/\s*\d+\s*/\s*\d+\s+months?", text):
        return PlanCell(written, None, None, DateKind.UNREADABLE, advice=_ADVICE_REVIEW)
    carried = _status_and_date(text, _normalise(written, lower=False), quarters, reference)
    if carried is not None:
        span, piece, ignored, status = carried
        note = f"read '{piece}' ({_span_text(span)}) and ignored '{ignored}'"
        return PlanCell(written, span.start, span.finish, span.kind, note, Assumption.WORDS_IGNORED, status)
    return PlanCell(written, None, None, DateKind.UNREADABLE, advice=_ADVICE)


def _span_text(span: _Span) -> str:
    if span.start == span.finish:
        return format_date(span.start)
    return f"{format_date(span.start)} to {format_date(span.finish)}"


def parse_plan_date(
    value: object, side: Side | str = Side.FINISH, quarters: str = CALENDAR, reference: pd.Timestamp | None = None
) -> PlanDate:
    """Read one plan date cell. `side` decides whether a month or quarter (or a range) gives its first or last day."""
    side = Side(side)
    cell = read_plan_cell(value, quarters, reference)
    if (
        side == Side.START
        and cell.kind == DateKind.ONGOING
        and cell.start is None
        and _normalise(cell.as_written) in ("ongoing", "on going", "on-going")
    ):
        # `Ongoing` as a start: already under way, as `Started` (the reading before ongoing finishes existed).
        return PlanDate(cell.as_written, None, DateKind.STARTED)
    return cell.side(side)


def read_plan_cells(values, quarters: str = CALENDAR, reference: pd.Timestamp | None = None) -> list[PlanCell]:
    """read_plan_cell for a column, once per distinct cell value."""
    cache: dict = {}
    out = []
    for value in values:
        key = (value.__class__, value)
        try:
            parsed = cache[key]
        except KeyError:
            parsed = cache[key] = read_plan_cell(value, quarters, reference)
        except TypeError:
            parsed = read_plan_cell(value, quarters, reference)
        out.append(parsed)
    return out


def parse_plan_dates(
    values, side: Side | str = Side.FINISH, quarters: str = CALENDAR, reference: pd.Timestamp | None = None
) -> list[PlanDate]:
    """parse_plan_date for a column, once per distinct cell value."""
    cache: dict = {}
    out = []
    for value in values:
        key = (value.__class__, value)
        try:
            parsed = cache[key]
        except KeyError:
            parsed = cache[key] = parse_plan_date(value, side, quarters, reference)
        except TypeError:
            parsed = parse_plan_date(value, side, quarters, reference)
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


def _blank_cell(cell: PlanCell) -> bool:
    return cell.kind == DateKind.UNSET and not cell.as_written


def task_dates(start_cell: PlanCell, finish_cell: PlanCell) -> tuple[PlanDate, PlanDate]:
    """A task's start and finish from its two cells. A blank side takes the other cell's range or ongoing reading,
    so a plan with a single date column (`Sept 2016 - March 2017`, `Ongoing from April 2016`) fills both."""
    start = parse_plan_date_from(start_cell, Side.START)
    finish = parse_plan_date_from(finish_cell, Side.FINISH)
    if _blank_cell(start_cell) and finish_cell.kind in (DateKind.RANGE, DateKind.ONGOING):
        start = finish_cell.side(Side.START)
    if _blank_cell(finish_cell) and start_cell.kind in (DateKind.RANGE, DateKind.ONGOING):
        finish = start_cell.side(Side.FINISH)
    return start, finish


def parse_plan_date_from(cell: PlanCell, side: Side | str) -> PlanDate:
    """One side of a cell already read (see parse_plan_date: `Ongoing` as a start means already under way)."""
    side = Side(side)
    if side == Side.START and cell.kind == DateKind.ONGOING and cell.start is None and _normalise(cell.as_written) in _ONGOING_AS_STARTED:
        return PlanDate(cell.as_written, None, DateKind.STARTED)
    return cell.side(side)


_ONGOING_AS_STARTED = ("ongoing", "on going", "on-going")

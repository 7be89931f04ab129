"""The personal-data check: the dashboard holds aggregates and pseudonymous codes, never data about a child
or a named member of staff. A workbook that holds such data is refused, naming the cell.

Two looks, both bounded (limits.PERSONAL_SCAN_VALUES distinct text values a sheet):
- headers: every short text cell, normalised (case, punctuation, curly apostrophes, D.O.B., NHS No.,
  a trailing "(...)"), matched against the identifiers below, wherever the cell is in the sheet;
- free text: identifying patterns inside any text cell (a valid 10-digit NHS number, an email
  address, a date of birth given as such).
Never refused: the council's own details (the About sheet's address, postcode or contact), task
wording such as "Address the backlog", a Workforce or Governance `Name` column (teams and boards).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, chain, compress, islice, repeat
from operator import is_, itemgetter

from .findings import Finding, Severity
from .limits import HEADER_SEARCH_ROWS, PERSONAL_SCAN_VALUES
from .sheet_scan import column_letters

# Normalised header -> what it is. Normalised: lower case, apostrophes dropped, other punctuation a space,
# single letters run together (d o b -> dob), text from the first "(" dropped.
CHILD_HEADERS = {
    "first name": "a first name",
    "forename": "a forename",
    "forenames": "forenames",
    "given name": "a given name",
    "given names": "given names",
    "surname": "a surname",
    "last name": "a last name",
    "family name": "a family name",
    "full name": "a full name",
    "child name": "a child's name",
    "childs name": "a child's name",
    "name of child": "a child's name",
    "name of the child": "a child's name",
    "child full name": "a child's name",
    "childs full name": "a child's name",
    "young person name": "a young person's name",
    "young persons name": "a young person's name",
    "name of young person": "a young person's name",
    "pupil name": "a pupil's name",
    "pupils name": "a pupil's name",
    "date of birth": "a date of birth",
    "dob": "a date of birth",
    "birth date": "a date of birth",
    "birthdate": "a date of birth",
    "upn": "a Unique Pupil Number",
    "unique pupil number": "a Unique Pupil Number",
    "nhs number": "an NHS number",
    "nhs no": "an NHS number",
    "nhs num": "an NHS number",
    "nhs": "an NHS number",
    "nhsno": "an NHS number",
    "home address": "an address",
    "address line 1": "an address",
    "street address": "an address",
    "address": "an address",
    "postcode": "a postcode",
    "post code": "a postcode",
    "postal code": "a postcode",
    "home postcode": "a postcode",
}
_COUNCIL_OWN = {"an address", "a postcode"}  # in the About sheet these are the council's own details
WORKER_HEADERS = {"name", "worker name", "staff name", "social worker name", "employee name", "full name"}
WORKER_LEVEL_SHEETS = {"caseloads", "caseload", "staffing", "workers"}  # one row per worker (Workforce is per team)
_WORKER_ID_HEADERS = {"worker id", "worker code", "staff id", "employee id"}  # where codes belong (SW0137)

_KEYWORDS = re.compile(r"name|birth|d\W?o\W?b|nhs|upn|pupil|address|post\W?code|surname|forename|worker|staff|employee", re.I)
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
_PUNCTUATION = re.compile(r"[^a-z0-9]+")
_SINGLE_LETTERS = re.compile(r"\b(?:[a-z] ){1,}[a-z]\b")

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
_TEN_DIGITS = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{1,2}(?:st|nd|rd|th)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}|\d{4}-\d{2}-\d{2})"
_DOB = re.compile(r"\b(?:d\.?\s?o\.?\s?b\.?|date of birth|born(?: on)?|birthday)\W{0,4}" + _DATE, re.I)


def normalise_header(text: str) -> str:
    """`Child’s Name (legal)` -> 'childs name'; `D.O.B.` -> 'dob'; `NHS No.` -> 'nhs no'."""
    head = text.split("(", 1)[0] if not text.lstrip().startswith("(") else text
    value = _APOSTROPHES.sub("", head.lower())
    value = _PUNCTUATION.sub(" ", value).strip()
    return _SINGLE_LETTERS.sub(lambda m: m.group(0).replace(" ", ""), value)


def nhs_number_valid(digits: str) -> bool:
    """The NHS number's modulus 11 check digit (so phone numbers and other 10-digit codes rarely match)."""
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _free_text_hits(values: list[str]) -> tuple[str, str] | None:
    """(value, what) for the first text value holding an identifying pattern, or None.

    The patterns run over all values joined into one string (C-speed), not one call per cell.
    """
    joined = "\n".join(values)

    def owner(position: int) -> str:  # each value's offset, worked out only when a pattern matched
        starts = list(accumulate(map((1).__add__, map(len, values)), initial=0))
        return values[bisect_right(starts, position) - 1]

    email = _EMAIL.search(joined) if "@" in joined else None
    if email:
        return owner(email.start()), "an email address"
    for match in _TEN_DIGITS.finditer(joined):
        if nhs_number_valid("".join(match.groups())):
            return owner(match.start()), "what looks like an NHS number"
    birth = _DOB.search(joined)
    if birth:
        return owner(birth.start()), "a date of birth"
    return None


def _locate(rows: list[list], value: str, data_cells: tuple[int, set[int]] | None = None) -> tuple[int, int] | None:
    """(row, column) from 0 of the first cell holding `value`, skipping the contract's data cells when given
    as (header row, mapped columns): the values under a mapped header are data ("Address the backlog"),
    not headers."""
    for row_index, row in enumerate(rows):
        if value not in row:
            continue
        for col_index, cell in enumerate(row):
            if cell == value and not (data_cells and row_index > data_cells[0] and col_index in data_cells[1]):
                return row_index, col_index
    if data_cells is None:  # a value read from a column (trimmed): find the cell it came from
        for row_index, row in enumerate(rows):
            for col_index, cell in enumerate(row):
                if isinstance(cell, str) and cell.strip() == value:
                    return row_index, col_index
    return None


def _finding(
    workbook: str, sheet: str, rows: list[list], value: str, what: str, header: bool, where: tuple[int, int] | None = None
) -> Finding:
    where = where or _locate(rows, value)
    shown = value if len(value) <= 40 else value[:37] + "…"
    message = (
        (f"This column looks like {what}." if header else f"The cell holds {what}.")
        + " The dashboard is for aggregate figures and pseudonymous codes, never personal data about children or named staff, so the workbook was refused and nothing from it was kept."
    )
    if where is None:
        return Finding(workbook, sheet, None, None, f"{message} ({shown})", Severity.ERROR, _ADVICE)
    row_index, col_index = where
    return Finding(
        workbook,
        sheet,
        row_index + 1,
        f"{column_letters(col_index + 1)} ({shown})" if header else column_letters(col_index + 1),
        message,
        Severity.ERROR,
        _ADVICE,
    )


_ADVICE = "Remove the personal data (use a pseudonymous code such as SW0137 for workers, C0042 for children), save, and upload again."


def _text_values(cells, extra: list[str] | None = None) -> list[str]:
    """The distinct text values holding more than spaces, at most PERSONAL_SCAN_VALUES, in the set's order.

    C-level: the exact-`str` test by `map(type)` and `operator.is_`, the blank test by `filter(str.strip)`."""
    distinct = set(cells)
    if extra:
        distinct.update(extra)
    values = list(distinct)
    texts = compress(values, map(is_, map(type, values), repeat(str)))
    return list(islice(filter(str.strip, texts), PERSONAL_SCAN_VALUES))


def _cells_outside_data(rows: list[list], data_cells: tuple[int, set[int]] | None):
    """Every cell of a sheet the contract ignores; for a contract sheet, the rows down to the header and the
    columns it does not map (the mapped columns' values come in as `text_values`, already read)."""
    if data_cells is None:
        return chain.from_iterable(rows)
    header_idx, mapped = data_cells
    width = max(map(len, rows), default=0)
    unmapped = [c for c in range(width) if c not in mapped]
    body = rows[header_idx + 1 :]
    shortest = min(map(len, body), default=0)
    columns = (
        map(itemgetter(c), body) if c < shortest else (r[c] for r in body if c < len(r)) for c in unmapped
    )  # C-level when no row is short
    return chain(chain.from_iterable(rows[: header_idx + 1]), chain.from_iterable(columns))


_PERSON = re.compile(r"[A-Z][a-z'’\-]+(?: [A-Z][a-z'’\-]+){1,3}")


def _looks_like_person(value: object) -> bool:
    return isinstance(value, str) and _PERSON.fullmatch(value.strip()) is not None


def _worker_column(rows: list[list], col_index: int) -> list:
    """The column's text cells holding more than spaces, in row order (rows too short for the column skipped)."""
    if min(map(len, rows), default=0) > col_index:
        cells = list(map(itemgetter(col_index), rows))
        try:  # the test once per distinct cell (a caseload repeats each worker every month), then a C-level filter
            written = {v: isinstance(v, str) and bool(v.strip()) for v in dict.fromkeys(cells)}
        except TypeError:  # an unhashable cell (not from a reader): the per-cell test below
            pass
        else:
            return list(filter(written.__getitem__, cells))
    return [r[col_index] for r in rows if col_index < len(r) and isinstance(r[col_index], str) and r[col_index].strip()]


def _worker_names(rows: list[list], workbook: str, sheet: str) -> list[Finding]:
    """A worker-level sheet whose worker column holds people's names (Jane Smith) rather than codes: at least
    half of its written cells (counted per row, not per distinct name)."""
    for row_index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for col_index, cell in enumerate(row):
            if isinstance(cell, str) and normalise_header(cell) in _WORKER_ID_HEADERS:
                values = _worker_column(rows[row_index + 1 :], col_index)
                person = {v: _looks_like_person(v) for v in dict.fromkeys(values)}  # the regex once per distinct value
                named = sum(map(person.__getitem__, values))
                if named and named * 2 >= len(values):
                    first = next(v for v in values if person[v])
                    return [_finding(workbook, sheet, rows, first, "a worker's name", header=False)]
    return []


def personal_data_findings(
    sheets: dict[str, list[list] | None],
    workbook: str,
    about_sheet: str | None = None,
    data_cells: dict[str, tuple[int, set[int]]] | None = None,
    text_values: dict[str, list[str]] | None = None,
) -> list[Finding]:
    """Error findings for every sheet holding personal data (one per sheet at most: the first cell found).

    `data_cells`: for the contract's sheets, (header row from 0, mapped column indexes): header words are
    looked for everywhere except in the cells under a mapped header (those are data, scanned for patterns).
    `text_values`: for the contract's sheets, the distinct values of the text columns read (for the patterns).
    """
    data_cells = data_cells or {}
    text_values = text_values or {}
    findings: list[Finding] = []
    for name, rows in sheets.items():
        if not rows:
            continue
        worker_level = normalise_header(name).replace(" ", "") in WORKER_LEVEL_SHEETS
        values = _text_values(_cells_outside_data(rows, data_cells.get(name)))
        hit: Finding | None = None
        short = (v for v in values if len(v) <= 40 or v.find("(", 0, 41) != -1)
        for value in filter(_KEYWORDS.search, short):
            key = normalise_header(value[:500])
            what = CHILD_HEADERS.get(key) or ("a worker's name" if worker_level and key in WORKER_HEADERS else None)
            if what and not (name == about_sheet and what in _COUNCIL_OWN):
                where = _locate(rows, value, data_cells.get(name))
                if where is not None:
                    hit = _finding(workbook, name, rows, value, what, header=True, where=where)
                    break
        if hit is None:
            values = _text_values(values, text_values.get(name))
            free = _free_text_hits([v for v in values if "@" not in v] if name == about_sheet else values)
            if free:
                hit = _finding(workbook, name, rows, free[0], free[1], header=False)
        if hit is None and worker_level:
            hit = next(iter(_worker_names(rows, workbook, name)), None)
        if hit is not None:
            findings.append(hit)
    return findings

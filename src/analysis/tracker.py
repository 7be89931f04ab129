"""A council's own tracker, read as it is kept (workbook-format.md, "Trackers as kept"; docs/trackers.md).

One sheet of actions with the council's own headings (or one sheet per priority) becomes the same
tidy frames the full contract gives: Tasks (with the plan's own numbering as ids, or ids from row
order, marked `task_id_derived`), Themes from heading rows / a Theme column / the sheets, Updates
from the snapshot status column at the date it describes, optional Recommendations from a
recommendation column. Nothing is invented silently: every derived id, heading or inferred lead is
marked in its own column, and every assumption is an `info` finding.
"""

from __future__ import annotations

import colorsys
import datetime as dt
import io
import re
from dataclasses import dataclass, field

import pandas as pd

from .dates import DateKind, PlanDate, Side, parse_plan_date
from .findings import Finding, Severity, WorkbookError
from .load import (
    HEADER_SEARCH_ROWS,
    MAX_FINDINGS_PER_COLUMN,
    RawWorkbook,
    SheetTable,
    _column_letter,
    _id_text,
    _text,
    open_workbook,
    personal_data_findings,
    split_ids,
)
from .mapping import ColumnProposal, Mapping, columns_by_meaning, propose
from .plan_workbook import PlanData, TaskStatus, _empty, _tidy_tasks, read_status
from .schema import normalise_name
from .values import is_empty
from .wording import noun, plural

MAX_TRACKER_ROWS = 20_000  # a tracker is tens to hundreds of rows; beyond this it is not one
MAX_FILL_ROWS = 5_000  # fills are read (openpyxl, slow) for the status/RAG column of at most this many rows
PREVIEW_ROWS = 8
_SKIP_SHEETS = {
    "about",
    "mapping",
    "notes",
    "examples",
    "example",
    "accepted_headings_and_dates",
    "read_me",
    "readme",
    "instructions",
    "guidance",
    "lists",
    "lookups",
}
_DITTO = {"ditto", "do", "as_above", "same", "same_as_above", "", "''"}
_DITTO_MARKS = {'"', "''", "〃", "-do-", "”", "“"}
_NUMBERING = re.compile(r"^(?P<prefix>[A-Za-z]{1,3}\s?)?(?P<body>\d{1,3}(?:\.\d{1,3})*)(?P<letter>[a-z])?\.?$")
_BULLET = re.compile(r"^\s*(?:[•·▪◦●○■□➢►✓\-–—*]+|o(?=\s)|\(?(?:[a-z]|\d{1,2}|[ivx]{1,4})[.)])\s*", re.IGNORECASE)
_DEADLINE_WORDS = re.compile(r"^\s*(?:by\s+(?:the\s+)?end\s+of|by|end\s+of|no\s+later\s+than|before|w/c|week\s+commencing|from)\s+", re.I)
_DATE_IN_TEXT = re.compile(
    r"(\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{4})"
)
_SECTION_PROSE = {
    "why_are_we_doing_this",
    "expected_outcomes",
    "outcomes",
    "what_will_be_different",
    "how_will_we_know",
    "measures_of_success",
    "success_measures",
    "background",
    "context",
    "what_we_know",
}
_SECTION_TASKS = {"milestones_and_outcomes", "milestones", "key_milestones", "actions", "key_actions", "what_we_will_do", "our_actions"}
_REC_REF = re.compile(r"^(?:[A-Za-z]{1,5}\.?\s?)?\d{1,3}(?:\.\d{1,3})*[a-z]?$")
_RAG_LEVELS = ("Red", "Amber", "Yellow", "Green", "Blue")
_RAG_WORD = {"red": "Red", "r": "Red", "amber": "Amber", "a": "Amber", "yellow": "Yellow", "y": "Yellow", "green": "Green", "g": "Green"}
_RAG_WORD |= {"blue": "Blue", "b": "Blue"}
# Words trackers write in a status column: (status, reported RAG). Either may be None.
_TRACKER_STATUS = {
    "on_track": (TaskStatus.IN_PROGRESS, "Green"),
    "off_track": (TaskStatus.IN_PROGRESS, "Red"),
    "at_risk": (TaskStatus.IN_PROGRESS, "Amber"),
    "behind": (TaskStatus.IN_PROGRESS, "Red"),
    "delayed": (TaskStatus.IN_PROGRESS, "Red"),
    "achieved": (TaskStatus.COMPLETE, None),
    "met": (TaskStatus.COMPLETE, None),
    "closed": (TaskStatus.COMPLETE, None),
    "not_due": (TaskStatus.NOT_STARTED, None),
    "not_yet_due": (TaskStatus.NOT_STARTED, None),
}


# ---- reading cells -------------------------------------------------------------------------------


def tracker_date(value: object, side: Side) -> PlanDate:
    """parse_plan_date, retried without deadline words (`By September 2015`) when it cannot read them."""
    parsed = parse_plan_date(value, side)
    if parsed.kind == DateKind.UNREADABLE and isinstance(value, str) and _DEADLINE_WORDS.match(value):
        again = parse_plan_date(_DEADLINE_WORDS.sub("", value, count=1), side)
        if again.date is not None:
            return PlanDate(parsed.as_written, again.date, again.kind)
    return parsed


def read_tracker_status(text: object) -> tuple[TaskStatus | None, str | None, bool]:
    """A status cell -> (status, reported RAG on the tracker's own scale, understood?). Blank: (None, None, True)."""
    if is_empty(text):
        return None, None, True
    if not isinstance(text, str):
        text = str(text)
    key = normalise_name(text)
    if key in _TRACKER_STATUS:
        status, rag = _TRACKER_STATUS[key]
        return status, rag, True
    status = read_status(text)
    if status is not None:
        return status, None, True
    if key in _RAG_WORD:
        rag = _RAG_WORD[key]
        return (TaskStatus.COMPLETE if rag == "Blue" else None), rag, True
    first, _, rest = key.partition("_")
    if first in _RAG_WORD and len(first) > 1:  # `amber E`, `Green - complete`
        status = read_status(rest) if rest else None
        return status, _RAG_WORD[first], len(rest) == 0 or status is not None
    if first in ("complete", "completed", "done") or key.startswith(("complete_", "completed_")):
        return TaskStatus.COMPLETE, None, False
    return None, None, False


_FILL_REFERENCE = {"Red": 0.0, "Amber": 38.0, "Yellow": 58.0, "Green": 120.0, "Blue": 210.0}


def rag_from_rgb(rgb: str) -> str | None:
    """A fill colour (`FFC000`, `FF00B050` with alpha) -> Red/Amber/Yellow/Green/Blue by hue, None for greys/white."""
    text = rgb[-6:]
    try:
        r, g, b = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    if saturation < 0.3 or lightness > 0.93 or lightness < 0.08:
        return None
    degrees = hue * 360
    if degrees >= 340 or degrees < 20:
        return "Red"
    if degrees < 50:
        return "Amber"
    if degrees < 70:
        return "Yellow"
    if degrees < 170:
        return "Green"
    if degrees < 260:
        return "Blue"
    return None


def read_fills(data: bytes, sheet: str, column: int, excel_rows: list[int]) -> dict[int, tuple[str | None, str]]:
    """Excel row -> (RAG or None, colour as found) for the filled cells of one column, read with openpyxl.

    Bounded: only one column, only up to MAX_FILL_ROWS rows; calamine does not read styles.
    """
    if not excel_rows:
        return {}
    import openpyxl
    from openpyxl.styles.colors import COLOR_INDEX

    wanted = set(excel_rows[:MAX_FILL_ROWS])
    out: dict[int, tuple[str | None, str]] = {}
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - a workbook calamine read but openpyxl cannot: no fills, said by the caller
        return {}
    try:
        if sheet not in book.sheetnames:
            return {}
        rows = book[sheet].iter_rows(min_row=min(wanted), max_row=max(wanted), min_col=column + 1, max_col=column + 1)
        for offset, row in enumerate(rows):
            excel_row = min(wanted) + offset
            if excel_row not in wanted or not row:
                continue
            fill = getattr(row[0], "fill", None)
            if fill is None or fill.fill_type != "solid":
                continue
            colour = fill.fgColor
            if colour.type == "rgb" and isinstance(colour.rgb, str):
                out[excel_row] = (rag_from_rgb(colour.rgb), colour.rgb[-6:])
            elif colour.type == "indexed" and isinstance(colour.indexed, int) and colour.indexed < len(COLOR_INDEX):
                out[excel_row] = (rag_from_rgb(COLOR_INDEX[colour.indexed]), COLOR_INDEX[colour.indexed][-6:])
            else:
                out[excel_row] = (None, "a theme colour")
    finally:
        book.close()
    return out


def split_items(text: object) -> list[str]:
    """A cell holding several activities (lines or bullets) -> one text per activity; a single activity -> [it].

    A line with no bullet after a bulleted line continues it (a wrapped bullet).
    """
    if not isinstance(text, str):
        value = _text(text)
        return [value] if value else []
    raw = [line for line in re.split(r"\r?\n|\r|(?<=\S)\s+(?=•)", text) if line.strip()]
    if len(raw) <= 1:
        single = _BULLET.sub("", raw[0]).strip() if raw else ""
        return [single] if single else []
    bulleted = [
        bool(re.match(r"^\s*[•·▪◦●○■□➢►✓\-–—*]", line)) or bool(_BULLET.match(line) and _BULLET.match(line).end() > 0) for line in raw
    ]
    items: list[str] = []
    for line, is_bullet in zip(raw, bulleted):
        clean = _BULLET.sub("", line).strip() if is_bullet else line.strip()
        if not clean:
            continue
        if items and not is_bullet and any(bulleted) and bulleted[raw.index(line) - 1]:
            items[-1] = f"{items[-1]} {clean}"
        else:
            items.append(clean)
    return items


def _numbering(value: object) -> tuple[str, int, str | None] | None:
    """The plan's own number -> (id, depth, parent id). `1.1.2` -> ('1.1.2', 3, '1.1'); `1a` -> ('1a', 2, '1'); `R3` -> ('R3', 1, None)."""
    text = _id_text(value)
    if not text:
        return None
    match = _NUMBERING.match(text.strip())
    if not match:
        return None
    body = match["body"]
    parts = body.split(".")
    prefix = (match["prefix"] or "").strip()
    ident = f"{prefix}{body}{match['letter'] or ''}"
    if match["letter"]:
        return ident, len(parts) + 1, f"{prefix}{body}"
    parent = f"{prefix}{'.'.join(parts[:-1])}" if len(parts) > 1 else None
    return ident, len(parts), parent


# ---- recognising the layout ----------------------------------------------------------------------


@dataclass
class TrackerSheet:
    """One sheet read as a tracker: its header row (0-based index into rows), the column meanings, the rows."""

    name: str
    rows: list[list]
    header_index: int | None
    proposals: list[ColumnProposal]
    kind: str = "table"  # `table` (a header row) or `sections` (prose sections and dated groups, no header)

    @property
    def columns(self) -> dict[str, int]:
        return columns_by_meaning(self.proposals)

    @property
    def header_row(self) -> int | None:
        return None if self.header_index is None else self.header_index + 1


def _usable(columns: dict[str, int]) -> bool:
    return "task" in columns and bool({"finish", "status", "rag", "start"} & set(columns))


def find_header(rows: list[list], mapping: Mapping | None) -> tuple[int | None, list[ColumnProposal]]:
    """The first row (in the first HEADER_SEARCH_ROWS) whose headers give an action wording and a date or status."""
    best: tuple[int | None, list[ColumnProposal]] = (None, [])
    best_score = 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [c if isinstance(c, str) else None for c in row]
        if sum(1 for t in texts if t and t.strip()) < 2:
            continue
        if mapping is not None:
            if not mapping.missing_columns(texts):
                return index, propose(texts, mapping.columns)
            continue
        proposals = propose(texts)
        columns = columns_by_meaning(proposals)
        if _usable(columns):
            return index, proposals
        if len(columns) > best_score:
            best, best_score = (index, proposals), len(columns)
    return (None, best[1]) if mapping is None else (None, [])


def _row_text(row: list) -> list[str]:
    return [t for t in (_text(c) for c in row) if t]


def _looks_sectioned(rows: list[list]) -> bool:
    for row in rows[:MAX_TRACKER_ROWS]:
        cells = _row_text(row)
        if len(cells) == 1 and normalise_name(cells[0]) in _SECTION_TASKS:
            return True
    return False


def _sheet_rows(book, name: str) -> list[list] | None:
    try:
        sheet = book.get_sheet_by_name(name)
        if sheet.height > MAX_TRACKER_ROWS + HEADER_SEARCH_ROWS:
            return None
        return sheet.to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 - calamine raises several types for bad sheets
        return None


@dataclass
class TrackerBook:
    """A workbook opened as a tracker: every sheet's rows, the About values, the recognised tracker sheets."""

    workbook: str
    data: bytes
    sheets: dict[str, list[list] | None]
    about: dict[str, str]
    mapping: Mapping | None
    trackers: list[TrackerSheet] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _key_values(rows: list[list]) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in rows[1:]:
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() and not is_empty(row[1]):
            out[normalise_name(row[0])] = _text(row[1]) or ""
    return out


def _mapping_sheet(rows: list[list], workbook: str) -> Mapping | None:
    pairs = {}
    for row in rows[1:]:
        if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() and isinstance(row[1], str) and row[1].strip():
            pairs[row[0].strip()] = row[1].strip()
    if not pairs:
        return None
    import json

    return Mapping.from_json(json.dumps({"columns": pairs}), f"{workbook}, sheet Mapping")


def open_tracker(data: bytes, workbook: str, mapping: Mapping | None = None) -> TrackerBook:
    """Open the workbook and recognise its tracker sheets. Raises WorkbookError when none can be recognised."""
    book = open_workbook(data, workbook)
    try:
        names = list(book.sheet_names)
    except Exception:  # noqa: BLE001
        raise WorkbookError(
            [Finding(workbook, None, None, None, "The workbook's list of sheets could not be read.", Severity.ERROR)]
        ) from None
    sheets = {name: _sheet_rows(book, name) for name in names}
    personal = personal_data_findings(sheets, workbook)
    if personal:
        raise WorkbookError(personal)
    about: dict[str, str] = {}
    findings: list[Finding] = [
        Finding(
            workbook,
            name,
            None,
            None,
            f"The sheet could not be read as a tracker: it is unreadable or longer than {MAX_TRACKER_ROWS:,} rows.",
            Severity.WARNING,
            "A tracker is tens to hundreds of rows; check the sheet has no stray cell far below the plan.",
        )
        for name, rows in sheets.items()
        if rows is None
    ]
    for name, rows in sheets.items():
        key = normalise_name(name)
        if key == "about" and rows:
            about = _key_values(rows)
        elif key == "mapping" and rows and mapping is None:
            mapping = _mapping_sheet(rows, workbook)
            findings.append(
                Finding(workbook, name, None, None, "The columns were read as this workbook's Mapping sheet says.", Severity.INFO)
            )
    result = TrackerBook(workbook, data, sheets, about, mapping, findings=findings)
    wanted = {normalise_name(s) for s in mapping.sheets} if mapping and mapping.sheets else None
    for name, rows in sheets.items():
        key = normalise_name(name)
        if key in _SKIP_SHEETS or (wanted is not None and key not in wanted) or not rows:
            continue
        header_index, proposals = find_header(rows, mapping)
        if header_index is not None and (mapping is not None or _usable(columns_by_meaning(proposals))):
            result.trackers.append(TrackerSheet(name, rows, header_index, proposals))
        elif mapping is None and _looks_sectioned(rows):
            result.trackers.append(TrackerSheet(name, rows, None, [], kind="sections"))
    if not result.trackers:
        raise WorkbookError(_not_recognised(result, mapping) + findings)
    return result


def _not_recognised(book: TrackerBook, mapping: Mapping | None) -> list[Finding]:
    if mapping is not None:
        findings = []
        for name, rows in book.sheets.items():
            if not rows or normalise_name(name) in _SKIP_SHEETS:
                continue
            if mapping.sheets and normalise_name(name) not in {normalise_name(s) for s in mapping.sheets}:
                continue
            best = max(rows[:HEADER_SEARCH_ROWS], key=lambda r: len(mapping.columns) - len(mapping.missing_columns(r)), default=[])
            missing = mapping.missing_columns(best)
            findings.append(
                Finding(
                    book.workbook,
                    name,
                    None,
                    ", ".join(missing),
                    f"The mapping names {noun(len(missing), 'column')} {', '.join(repr(m) for m in missing)}, which this sheet does not have "
                    f"(no row in the first {HEADER_SEARCH_ROWS} holds them all).",
                    Severity.ERROR,
                    "Check the mapping is for this tracker, or make a new one in the dashboard's mapping step.",
                )
            )
        return findings or [
            Finding(book.workbook, None, None, None, "The mapping names sheets this workbook does not have.", Severity.ERROR)
        ]
    return [
        Finding(
            book.workbook,
            None,
            None,
            None,
            "No sheet of actions could be recognised: no header row names both an action (e.g. Action, What?) "
            "and a date or status (e.g. When?, Due date, Status).",
            Severity.ERROR,
            "Choose what each column means in the mapping step, or use the template.",
        )
    ]


# ---- turning rows into tasks ---------------------------------------------------------------------


@dataclass
class _Row:
    excel_row: int
    cells: dict[str, object]  # meaning -> cell value
    ref: tuple[str, int, str | None] | None
    ref_text: str | None
    heading: bool = False
    parent: _Row | None = None
    children: int = 0
    order: int = 0


def _cell(row: list, index: int | None) -> object:
    if index is None or index >= len(row):
        return None
    value = row[index]
    return None if is_empty(value) else value


def _version_date(rows: list[list], upto: int) -> tuple[pd.Timestamp | None, str | None]:
    """A date in the title block above the header (`Version 3 - 12 June 2017`, `Updated 31/03/2017`)."""
    for row in rows[:upto]:
        for cell in row:
            if isinstance(cell, (dt.date, dt.datetime)):
                return pd.Timestamp(cell).normalize(), _text(cell)
            if isinstance(cell, str) and re.search(r"version|updated|as at|position at|date|v\d", cell, re.I):
                for match in _DATE_IN_TEXT.finditer(cell):
                    parsed = tracker_date(match.group(1), Side.FINISH)
                    if parsed.date is not None and parsed.kind == DateKind.DAY:
                        return parsed.date, cell.strip()
                for match in _DATE_IN_TEXT.finditer(cell):
                    parsed = tracker_date(match.group(1), Side.FINISH)
                    if parsed.date is not None:
                        return parsed.date, cell.strip()
    return None, None


def _table_rows(sheet: TrackerSheet) -> list[_Row]:
    """The sheet's body rows with their meanings, numbering, heading flag and parent."""
    columns = sheet.columns
    assert sheet.header_index is not None
    header = sheet.rows[sheet.header_index]
    used = sorted(columns.values())
    first_used = used[0] if used else 0
    heading_span = {i for i in range(len(header)) if i <= first_used + 1}
    out: list[_Row] = []
    stack: list[_Row] = []
    for offset, row in enumerate(sheet.rows[sheet.header_index + 1 :][:MAX_TRACKER_ROWS]):
        filled = [i for i, v in enumerate(row) if not is_empty(v)]
        if not filled:
            continue
        cells = {meaning: _cell(row, index) for meaning, index in columns.items()}
        ref = _numbering(cells.get("ref")) if "ref" in columns else None
        record = _Row(sheet.header_index + 2 + offset, cells, ref, _id_text(cells.get("ref")))
        record.order = len(out)
        details = {"lead", "start", "finish", "status", "rag", "percent_complete", "commentary", "impact", "detail"}
        if set(filled) <= heading_span and not any(cells.get(m) is not None for m in details):
            record.heading = True
            stack = []
        elif ref is not None:
            while stack and stack[-1].ref and stack[-1].ref[1] >= ref[1]:
                stack.pop()
            record.parent = stack[-1] if stack else None
            stack.append(record)
        else:
            record.parent = stack[-1] if stack else None
        if record.parent is not None:
            record.parent.children += 1
        out.append(record)
    return out


@dataclass
class _Built:
    tasks: list[dict] = field(default_factory=list)
    themes: dict[str, dict] = field(default_factory=dict)
    recs: dict[str, dict] = field(default_factory=dict)
    notes: dict[str, list[int]] = field(default_factory=dict)  # assumption -> Excel rows


def _note(built: _Built, what: str, row: int) -> None:
    built.notes.setdefault(what, []).append(row)


def _theme(built: _Built, name: str, given_id: str | None, sheet: str, row: int | None) -> str:
    for theme_id, theme in built.themes.items():
        if theme["theme"] == name and theme["source_sheet"] == sheet:
            return theme_id
    theme_id = given_id if given_id and given_id not in built.themes else str(len(built.themes) + 1)
    built.themes[theme_id] = {
        "theme_id": theme_id,
        "theme": name,
        "chair": None,
        "theme_id_derived": theme_id != given_id,
        "source_sheet": sheet,
        "excel_row": row or 0,
    }
    return theme_id


def _recommendations(built: _Built, value: object, row: int) -> tuple[str, ...]:
    text = _text(value)
    if not text:
        return ()
    parts = [p.strip() for p in re.split(r"[,;&/]|\band\b", text) if p.strip()]
    if parts and all(_REC_REF.match(p) for p in parts):  # `3`, `R3`, `Para 12`, `3.2`, `3, 9`: ids, not text
        ids = split_ids(text)
        for rec_id in ids:
            built.recs.setdefault(
                rec_id, {"rec_id": rec_id, "recommendation": rec_id, "source": None, "rec_id_derived": False, "excel_row": row}
            )
        return ids
    for rec_id, rec in built.recs.items():
        if rec["recommendation"] == text:
            return (rec_id,)
    number = len(built.recs) + 1
    while f"R{number}" in built.recs:  # never the same as one of the plan's own ids
        number += 1
    rec_id = f"R{number}"
    built.recs[rec_id] = {"rec_id": rec_id, "recommendation": text, "source": None, "rec_id_derived": True, "excel_row": row}
    _note(built, "recommendation ids numbered in order of appearance (the tracker gives text, not numbers)", row)
    return (rec_id,)


def _lines_for(value: object, count: int) -> list[object]:
    """A cell's value per activity: one per line when it has exactly `count` lines, else the same for all."""
    if count > 1 and isinstance(value, str):
        lines = [line.strip() for line in re.split(r"\r?\n", value) if line.strip()]
        if len(lines) == count:
            return [_BULLET.sub("", line).strip() or line for line in lines]
    return [value] * count


def _build_table(sheet: TrackerSheet, built: _Built, prefix: str, sheet_theme: str | None) -> None:
    rows = _table_rows(sheet)
    theme_id: str | None = sheet_theme
    theme_from_column: str | None = None
    last_lead: str | None = None
    last_rec: object = None
    unnumbered: dict[str, int] = {}
    used_ids: set[str] = {t["task_id"] for t in built.tasks}
    name = sheet.name
    for record in rows:
        cells = record.cells
        if record.heading:
            title = _text(cells.get("task")) or " ".join(_row_text(sheet.rows[record.excel_row - 1]))
            given = record.ref[0] if record.ref else None
            theme_id = _theme(built, title, given, name, record.excel_row)
            if not given:
                _note(built, "heading rows read as themes, numbered in order (they have no number of their own)", record.excel_row)
            last_lead = None
            continue
        if "theme" in sheet.columns:
            value = _text(cells.get("theme"))
            if value and normalise_name(value) not in _DITTO:
                theme_from_column = value
            if theme_from_column:
                theme_id = _theme(built, theme_from_column, None, name, record.excel_row)
        if "recommendation" in sheet.columns:
            value = cells.get("recommendation")
            if value is not None and normalise_name(_text(value) or "") not in _DITTO:
                last_rec = value
            elif value is None and last_rec is not None:
                _note(built, "blank recommendation cells read as the recommendation above", record.excel_row)
        wording = cells.get("task")
        has_own = any(cells.get(m) is not None for m in ("finish", "start", "status", "rag", "percent_complete", "actual_finish"))
        lead_text = _text(cells.get("lead"))
        if lead_text and (normalise_name(lead_text) in _DITTO or lead_text in _DITTO_MARKS):
            lead_text = None
        if lead_text:
            last_lead = lead_text
        if record.children and not has_own:
            _note(
                built, "numbered rows with rows beneath them read as the heading (milestone) of those rows, not as tasks", record.excel_row
            )
            continue  # a numbered row with actions beneath it: their milestone, not a task itself
        items = split_items(wording)
        if not items:
            if has_own:
                _note(built, "rows with a date or status but no action wording were left out", record.excel_row)
            continue
        intro = None
        if len(items) > 1 and items[0].endswith(":"):
            intro, items = items[0].rstrip(":").strip(), items[1:]
        parent = record.parent
        milestone_ref = parent.ref[0] if parent is not None and parent.ref else None
        milestone = _text(parent.cells.get("task")) if parent is not None else None
        if "milestone" in sheet.columns and cells.get("milestone") is not None:
            milestone = _text(cells.get("milestone"))
        if intro:
            milestone = intro if not milestone else f"{milestone}: {intro}"
        if record.ref:
            base, derived = record.ref[0], False
        elif record.ref_text and "ref" in sheet.columns:
            base, derived = record.ref_text, False
        else:
            anchor = milestone_ref or prefix.rstrip("-") or "T"
            unnumbered[anchor] = unnumbered.get(anchor, 0) + 1
            base, derived = f"{anchor}-{unnumbered[anchor]}" if milestone_ref else f"{prefix}T{unnumbered[anchor]}", True
            _note(built, "task ids made from the row order (the row has no number of its own)", record.excel_row)
        if not derived and prefix:
            base = f"{prefix}{base}"
        count = len(items)
        if count > 1:
            _note(built, "cells holding several activities (lines or bullets) read as one task each", record.excel_row)
        leads = _lines_for(cells.get("lead"), count) if lead_text else [None] * count
        starts, finishes = _lines_for(cells.get("start"), count), _lines_for(cells.get("finish"), count)
        statuses = _lines_for(cells.get("status"), count)
        rec_ids = _recommendations(built, last_rec, record.excel_row) if last_rec is not None else ()
        for k, (item, lead, start, finish, status) in enumerate(zip(items, leads, starts, finishes, statuses), start=1):
            task_id = base if count == 1 else f"{base}-{k}"
            item_derived = derived or count > 1
            while task_id in used_ids:
                task_id, item_derived = f"{task_id}~", True
                _note(built, "repeated numbers given a ~ to keep ids unique", record.excel_row)
            used_ids.add(task_id)
            inferred = lead is None and last_lead is not None
            lead_value = _text(lead) if lead is not None else last_lead
            if inferred:
                _note(built, "blank or ditto leads read as the lead above (marked inferred)", record.excel_row)
            built.tasks.append(
                {
                    "task_id": task_id,
                    "task_id_derived": item_derived,
                    "theme_id": theme_id,
                    "milestone_ref": milestone_ref,
                    "milestone": milestone,
                    "task_ref": task_id,
                    "task": item,
                    "lead": lead_value,
                    "lead_inferred": inferred,
                    "start": start,
                    "finish": finish,
                    "rec_ids": rec_ids,
                    "status_cell": status,
                    "rag_cell": cells.get("rag"),
                    "percent_complete": cells.get("percent_complete"),
                    "commentary": _text(cells.get("commentary")),
                    "impact": _text(cells.get("impact")),
                    "detail": _text(cells.get("detail")),
                    "forecast_finish": cells.get("forecast_finish"),
                    "actual_finish": cells.get("actual_finish"),
                    "source_sheet": name,
                    "excel_row": record.excel_row,
                }
            )


def _build_sections(sheet: TrackerSheet, built: _Built, prefix: str) -> None:
    """A priority written as prose sections with dated groups of bullet milestones (`By September 2015`)."""
    title_row = next((i for i, r in enumerate(sheet.rows) if _row_text(r)), 0)
    title = _row_text(sheet.rows[title_row])[0] if sheet.rows else sheet.name
    theme_id = _theme(built, title, None, sheet.name, title_row + 1)
    in_tasks = False
    group: tuple[object, str] | None = None
    count = 0
    prose_rows: list[int] = []
    for index, row in enumerate(sheet.rows[:MAX_TRACKER_ROWS]):
        cells = _row_text(row)
        if not cells or index == title_row:
            continue
        text = " ".join(cells)
        key = normalise_name(text)
        parsed = tracker_date(cells[0], Side.FINISH) if len(cells) == 1 and len(cells[0]) < 40 else None
        if in_tasks and parsed is not None and parsed.date is not None:
            group = (cells[0], cells[0])
            continue
        if len(cells) == 1 and (text.rstrip().endswith("?") or key in _SECTION_TASKS or key in _SECTION_PROSE):
            in_tasks = key in _SECTION_TASKS
            group = None
            continue
        if not in_tasks:
            prose_rows.append(index + 1)
            continue
        lead = cells[1] if len(cells) > 1 else None
        for item in split_items(cells[0]):
            count += 1
            built.tasks.append(
                {
                    "task_id": f"{prefix}T{count}",
                    "task_id_derived": True,
                    "theme_id": theme_id,
                    "milestone_ref": None,
                    "milestone": group[1] if group else None,
                    "task_ref": f"T{count}",
                    "task": item,
                    "lead": lead,
                    "lead_inferred": False,
                    "start": None,
                    "finish": group[0] if group else None,
                    "rec_ids": (),
                    "status_cell": None,
                    "rag_cell": None,
                    "percent_complete": None,
                    "commentary": None,
                    "impact": None,
                    "detail": None,
                    "forecast_finish": None,
                    "actual_finish": None,
                    "source_sheet": sheet.name,
                    "excel_row": index + 1,
                }
            )
            _note(built, "bullet milestones under a dated heading read as tasks due by that date, numbered in order", index + 1)
    if prose_rows:
        _note(built, "prose sections (e.g. 'Why are we doing this?', 'Expected outcomes') kept out of the task list", prose_rows[0])


# ---- the plan --------------------------------------------------------------------------------


@dataclass
class TrackerOptions:
    """What a person can add that the workbook does not say: the date its statuses describe, the RAG scale."""

    status_as_at: pd.Timestamp | None = None
    rag_scale: list[str] = field(default_factory=list)


def _status_date(book: TrackerBook, options: TrackerOptions) -> tuple[pd.Timestamp | None, str]:
    if options.status_as_at is not None:
        return pd.Timestamp(options.status_as_at).normalize(), "the date given with the upload"
    if book.mapping is not None and book.mapping.status_as_at:
        parsed = parse_plan_date(book.mapping.status_as_at, Side.FINISH)
        if parsed.date is not None:
            return parsed.date, "the mapping's status_as_at"
    for key, said in (("status_as_at", "About's status_as_at"),):
        if book.about.get(key):
            parsed = tracker_date(book.about[key], Side.FINISH)
            if parsed.date is not None:
                return parsed.date, said
    for sheet in book.trackers:
        if sheet.header_index:
            found, text = _version_date(sheet.rows, sheet.header_index)
            if found is not None:
                return found, f"the tracker's version line ('{text}')"
    if book.about.get("plan_date"):
        parsed = tracker_date(book.about["plan_date"], Side.FINISH)
        if parsed.date is not None:
            return parsed.date, "About's plan_date"
    return None, ""


def _location(sheet: str, row: int, column: str | None) -> tuple[str, int, str | None]:
    return sheet, row, column


def _fills(book: TrackerBook, tasks: pd.DataFrame) -> dict[tuple[str, int], tuple[str | None, str]]:
    """(sheet, Excel row) -> fill RAG for the task rows whose RAG (or status) cell holds no word."""
    fills: dict[tuple[str, int], tuple[str | None, str]] = {}
    for sheet in book.trackers:
        column = sheet.columns.get("rag", sheet.columns.get("status")) if sheet.kind == "table" else None
        if column is None:
            continue
        mine = tasks[tasks["source_sheet"] == sheet.name]
        blank = mine[mine["rag_cell"].isna() & mine["status_cell"].isna()] if "rag" not in sheet.columns else mine[mine["rag_cell"].isna()]
        for row, value in read_fills(book.data, sheet.name, column, sorted(set(blank["excel_row"]))).items():
            fills[(sheet.name, row)] = value
    return fills


def _measures(t) -> tuple[float | None, pd.Timestamp | None, pd.Timestamp | None]:
    """(percent complete 0-100, actual finish, forecast finish) from a task row's cells; None where not given or unreadable."""
    percent = None
    if not is_empty(t.percent_complete):
        try:
            percent = float(str(t.percent_complete).strip().rstrip("%"))
            if isinstance(t.percent_complete, float) and 0 < percent <= 1:
                percent *= 100  # a cell formatted as a percentage holds 0-1
        except ValueError:
            percent = None
    actual = None if is_empty(t.actual_finish) else tracker_date(t.actual_finish, Side.FINISH).date
    forecast = None if is_empty(t.forecast_finish) else tracker_date(t.forecast_finish, Side.FINISH).date
    return percent, actual, forecast


def _updates(book: TrackerBook, tasks: pd.DataFrame, options: TrackerOptions, findings: list[Finding]) -> pd.DataFrame:
    """The snapshot: one update per task at the status date, from the status / RAG / percent / fill colour."""
    wb = book.workbook
    as_at, said = _status_date(book, options)
    columns_of = {s.name: s for s in book.trackers}
    fills = _fills(book, tasks)
    records = []
    unknown: dict[str, int] = {}
    fill_count = 0
    for t in tasks.itertuples(index=False):
        sheet = columns_of.get(t.source_sheet)
        header = sheet.rows[sheet.header_index] if sheet is not None and sheet.header_index is not None else []

        def column_name(meaning: str, sheet=sheet, header=header) -> str | None:
            index = sheet.columns.get(meaning) if sheet is not None else None
            if index is None:
                return None
            return f"{_column_letter(index)} ({_text(header[index]) if index < len(header) else meaning})"

        status, rag, understood = read_tracker_status(None if is_empty(t.status_cell) else t.status_cell)
        if status is None and getattr(tracker_date(t.finish_as_written, Side.FINISH), "status", None) == "Complete":
            status = TaskStatus.COMPLETE  # `Done (March 2017)` in the date column (a parser that reads the status says so)
        if not understood and unknown.get("status", 0) < MAX_FINDINGS_PER_COLUMN:
            unknown["status"] = unknown.get("status", 0) + 1
            got = "; read as Complete" if status == TaskStatus.COMPLETE else ("; read as " + rag if rag else "; not used")
            findings.append(
                Finding(
                    wb,
                    t.source_sheet,
                    int(t.excel_row),
                    column_name("status"),
                    f"Task {t.task_id}: the status '{_text(t.status_cell)}' is not a status the dashboard knows{got}.",
                    Severity.WARNING,
                    "Use Not started, In progress, On track, At risk, Off track, Complete, On hold, Cancelled, or a RAG colour.",
                )
            )
        if not is_empty(t.rag_cell):
            _, word_rag, ok = read_tracker_status(t.rag_cell)
            if word_rag:
                rag = word_rag
                if not ok and unknown.get("rag", 0) < MAX_FINDINGS_PER_COLUMN:
                    unknown["rag"] = unknown.get("rag", 0) + 1
                    findings.append(
                        Finding(
                            wb,
                            t.source_sheet,
                            int(t.excel_row),
                            column_name("rag"),
                            f"Task {t.task_id}: '{_text(t.rag_cell)}' was read as {word_rag}; the rest of the cell is not understood.",
                            Severity.INFO,
                        )
                    )
            elif unknown.get("rag", 0) < MAX_FINDINGS_PER_COLUMN:
                unknown["rag"] = unknown.get("rag", 0) + 1
                findings.append(
                    Finding(
                        wb,
                        t.source_sheet,
                        int(t.excel_row),
                        column_name("rag"),
                        f"Task {t.task_id}: '{_text(t.rag_cell)}' is not Red, Amber, Yellow, Green or Blue; ignored.",
                    )
                )
        fill = fills.get((t.source_sheet, int(t.excel_row)))
        if rag is None and fill is not None:
            if fill[0] is not None:
                rag = fill[0]
                fill_count += 1
                if rag == "Blue" and status is None:
                    status = TaskStatus.COMPLETE
            elif unknown.get("fill", 0) < MAX_FINDINGS_PER_COLUMN:
                unknown["fill"] = unknown.get("fill", 0) + 1
                findings.append(
                    Finding(
                        wb,
                        t.source_sheet,
                        int(t.excel_row),
                        column_name("rag") or column_name("status"),
                        f"Task {t.task_id}: the cell is filled with {fill[1]}, which is not a RAG colour the dashboard can tell; ignored.",
                        Severity.WARNING,
                        "Use Excel's standard red, orange (amber), yellow, green or blue fill, or write the word.",
                    )
                )
        percent, actual, forecast = _measures(t)
        commentary = None if is_empty(t.commentary) else t.commentary
        if status is None and rag is None and percent is None and actual is None and forecast is None and not commentary:
            continue
        if status is None and actual is not None:
            status = TaskStatus.COMPLETE
        records.append(
            {
                "task_id": t.task_id,
                "as_at": as_at,
                "status": status,
                "percent_complete": percent,
                "forecast_finish": forecast,
                "actual_finish": actual,
                "reported_rag": rag,
                "commentary": commentary,
                "updated_by": None,
                "excel_row": int(t.excel_row),
            }
        )
    if fill_count:
        findings.append(
            Finding(
                wb,
                None,
                None,
                None,
                f"{plural(fill_count, 'RAG rating')} read from the cell's fill colour (no word in the cell).",
                Severity.INFO,
            )
        )
    if not records:
        return _empty("Updates")
    if as_at is None:
        findings.append(
            Finding(
                wb,
                book.trackers[0].name,
                None,
                None,
                f"{plural(len(records), 'task')} {'has' if len(records) == 1 else 'have'} a status or progress note, but the tracker does not say what date they describe; "
                "they are not counted as progress.",
                Severity.WARNING,
                "Give the date the statuses describe: an About sheet with status_as_at, a 'Version ... date' line above the "
                "headers, or the 'status as at' date in the mapping step.",
            )
        )
        return _empty("Updates")
    findings.append(Finding(wb, None, None, None, f"The statuses are read as the position at {as_at:%d %b %Y} ({said}).", Severity.INFO))
    updates = pd.DataFrame.from_records(records)
    updates["as_at"] = pd.to_datetime(updates["as_at"])
    for column in ("forecast_finish", "actual_finish"):
        updates[column] = pd.to_datetime(updates[column])
    updates["percent_complete"] = updates["percent_complete"].astype("float64")
    for column in ("status", "reported_rag", "commentary", "updated_by"):
        updates[column] = updates[column].astype("object").where(updates[column].notna(), None)
    return updates


def build_plan(book: TrackerBook, options: TrackerOptions | None = None) -> PlanData:
    """The recognised tracker sheets -> PlanData (Tasks, Themes, Updates, Recommendations) with findings."""
    options = options or TrackerOptions()
    findings = list(book.findings)
    built = _Built()
    many = len(book.trackers) > 1
    for number, sheet in enumerate(book.trackers, start=1):
        prefix = f"P{number}-" if many else ""
        if sheet.kind == "sections":
            _build_sections(sheet, built, prefix)
        else:
            sheet_theme = _theme(built, sheet.name, None, sheet.name, None) if many and "theme" not in sheet.columns else None
            _build_table(sheet, built, prefix, sheet_theme)
    if many:
        _note(built, "each sheet read as one priority (theme), its task ids prefixed P1-, P2-, ... by sheet order", 0)
    if not built.tasks:
        raise WorkbookError(
            [
                Finding(
                    book.workbook,
                    book.trackers[0].name,
                    None,
                    None,
                    "The tracker's columns were recognised but no row below the headers holds an action.",
                    Severity.ERROR,
                    "Check the right sheet and header row were chosen in the mapping step.",
                )
            ]
        )
    raw = pd.DataFrame.from_records(built.tasks)
    raw["excel_row"] = raw["excel_row"].astype("int64")
    themes = pd.DataFrame.from_records(list(built.themes.values())) if built.themes else _empty("Themes").assign(theme_id_derived=False)
    recs = pd.DataFrame.from_records(list(built.recs.values())) if built.recs else _empty("Recommendations").assign(rec_id_derived=False)
    # Dates the current parser cannot read with their deadline words are handed over without them, as written kept.
    written = {}
    for side, column in ((Side.START, "start"), (Side.FINISH, "finish")):
        written[column] = raw[column].map(lambda v, side=side: None if v is None else parse_plan_date(v, side).as_written)
        raw[column] = [_date_value(v, side) for v in raw[column]]
    frames = []
    for sheet_name, part in raw.groupby("source_sheet", sort=False):
        tidy_raw = RawWorkbook(book.workbook, {"Tasks": SheetTable(str(sheet_name), part.reset_index(drop=True), 0)})
        frames.append(_tidy_tasks(tidy_raw, themes, recs, findings).assign(_index=part.index.to_numpy()))
    tasks = pd.concat(frames).sort_values("_index").drop(columns="_index").reset_index(drop=True)
    tasks["plan_order"] = range(len(tasks))
    tasks["lead_inferred"] = tasks["lead_inferred"].to_numpy(dtype=bool) | raw["lead_inferred"].to_numpy(dtype=bool)
    tasks["start_as_written"] = [w or "" for w in written["start"]]
    tasks["finish_as_written"] = [w or "" for w in written["finish"]]
    _assumption_findings(book, built, findings)
    updates = _updates(book, tasks, options, findings)
    tasks = tasks.drop(columns=["status_cell", "rag_cell", "percent_complete", "forecast_finish", "actual_finish", "commentary"])
    about = dict(book.about)
    about.setdefault("plan_title", book.workbook)
    about["layout"] = "tracker"
    scale = options.rag_scale or (book.mapping.rag_scale if book.mapping else []) or _scale(about.get("rag_scale"))
    if not scale:
        seen = set(updates["reported_rag"].dropna()) if not updates.empty else set()
        scale = [level for level in _RAG_LEVELS if level in seen or level in ("Red", "Amber", "Green")]
    about["rag_scale"] = ", ".join(scale)
    theme_recs = pd.DataFrame(
        [(t, r) for t, ids in zip(tasks["theme_id"], tasks["rec_ids"]) if t is not None for r in ids], columns=["theme_id", "rec_id"]
    ).drop_duplicates()
    theme_recs["excel_row"] = 0
    return PlanData(
        workbook=book.workbook,
        about=about,
        recommendations=recs,
        themes=themes,
        theme_recommendations=theme_recs.reset_index(drop=True),
        tasks=tasks,
        updates=updates,
        risks=_empty("Risks"),
        lscb_actions=_empty("LSCB_Actions").assign(timescale_as_written=None, due=pd.NaT).drop(columns="timescale"),
        governance=_empty("Governance"),
        findings=findings,
        sheet_names={"Tasks": ", ".join(s.name for s in book.trackers)},
    )


def _date_value(value: object, side: Side) -> object:
    if value is None:
        return None
    parsed = parse_plan_date(value, side)
    if parsed.kind == DateKind.UNREADABLE and isinstance(value, str):
        again = tracker_date(value, side)
        if again.date is not None:
            return _DEADLINE_WORDS.sub("", value, count=1)
    return value


def _scale(text: str | None) -> list[str]:
    if not text:
        return []
    levels = [_RAG_WORD.get(normalise_name(p)) for p in re.split(r"[,;/]", text)]
    return [level for level in levels if level]


def _assumption_findings(book: TrackerBook, built: _Built, findings: list[Finding]) -> None:
    sheet = book.trackers[0].name if len(book.trackers) == 1 else None
    for what, rows in built.notes.items():
        rows = sorted({r for r in rows if r})
        where = f" (rows {', '.join(str(r) for r in rows[:8])}{', ...' if len(rows) > 8 else ''})" if rows else ""
        findings.append(
            Finding(book.workbook, sheet, rows[0] if len(rows) == 1 else None, None, f"Read as a tracker: {what}{where}.", Severity.INFO)
        )


def load_tracker(
    data: bytes, workbook: str = "plan workbook", mapping: Mapping | None = None, options: TrackerOptions | None = None
) -> PlanData:
    """A council's own tracker -> PlanData. Raises WorkbookError (with plain findings) when it cannot be read."""
    return build_plan(open_tracker(data, workbook, mapping), options)


def merge_versions(plans: list[PlanData]) -> PlanData:
    """Successive versions of one tracker -> one plan: the latest version's tasks, every version's statuses as Updates.

    Versions are ordered by the date their statuses describe; tasks are matched by id, so a tracker
    whose ids come from row order matches only while its rows stay in place (a finding says so).
    """
    dated = sorted(plans, key=lambda p: p.reporting_dates[-1] if p.reporting_dates else pd.Timestamp.min)
    latest = dated[-1]
    findings = [f for p in dated for f in p.findings]
    known = set(latest.tasks["task_id"])
    frames = []
    for plan in dated:
        updates = plan.updates[plan.updates["task_id"].isin(known)]
        dropped = len(plan.updates) - len(updates)
        if dropped:
            findings.append(
                Finding(
                    plan.workbook,
                    None,
                    None,
                    None,
                    f"{dropped} status(es) are for tasks not in the latest version; left out.",
                    Severity.WARNING,
                )
            )
        frames.append(updates)
    dates = [p.reporting_dates[-1] for p in dated if p.reporting_dates]
    if len(dates) != len(set(dates)):
        findings.append(
            Finding(
                latest.workbook,
                None,
                None,
                None,
                "Two versions describe the same date; the later file's statuses were used.",
                Severity.WARNING,
            )
        )
    if latest.tasks.get("task_id_derived", pd.Series(dtype=bool)).any():
        findings.append(
            Finding(
                latest.workbook,
                None,
                None,
                None,
                "Some task ids come from row order, so versions are matched by position: check a row added or removed between versions.",
                Severity.INFO,
            )
        )
    updates = pd.concat([f for f in frames if not f.empty]) if any(not f.empty for f in frames) else latest.updates
    updates = updates.sort_values(["task_id", "as_at"], kind="stable").drop_duplicates(["task_id", "as_at"], keep="last")
    about = dict(latest.about)
    about["versions"] = ", ".join(p.workbook for p in dated)
    return PlanData(
        workbook=latest.workbook,
        about=about,
        recommendations=latest.recommendations,
        themes=latest.themes,
        theme_recommendations=latest.theme_recommendations,
        tasks=latest.tasks,
        updates=updates.reset_index(drop=True),
        risks=latest.risks,
        lscb_actions=latest.lscb_actions,
        governance=latest.governance,
        findings=findings,
        sheet_names=latest.sheet_names,
    )


# ---- what the mapping step shows -----------------------------------------------------------------


@dataclass
class SheetPreview:
    name: str
    first_rows: pd.DataFrame
    header_row: int | None
    proposals: list[ColumnProposal]


def preview_sheets(data: bytes, workbook: str) -> list[SheetPreview]:
    """Every sheet's first rows and a proposed meaning per column of its likeliest header row (for the mapping step)."""
    book = open_workbook(data, workbook)
    out = []
    sheets = {name: _sheet_rows(book, name) for name in book.sheet_names}
    personal = personal_data_findings(sheets, workbook)
    if personal:
        raise WorkbookError(personal)
    for name, rows in sheets.items():
        if not rows or normalise_name(name) in _SKIP_SHEETS:
            continue
        header_index, proposals = find_header(rows, None)
        if header_index is None:
            header_index = next((i for i, r in enumerate(rows[:HEADER_SEARCH_ROWS]) if len(_row_text(r)) >= 2), None)
            proposals = propose([c if isinstance(c, str) else None for c in rows[header_index]]) if header_index is not None else []
        start = header_index or 0
        head = [[_text(c) or "" for c in r] for r in rows[start : start + PREVIEW_ROWS + 1]]
        width = max((len(r) for r in head), default=0)
        frame = pd.DataFrame([r + [""] * (width - len(r)) for r in head], columns=[_column_letter(i) for i in range(width)])
        frame.index = range(start + 1, start + 1 + len(frame))
        out.append(SheetPreview(name, frame, None if header_index is None else header_index + 1, proposals))
    return out


MAPPING_ENV = "DASHBOARD_PLAN_MAPPING"


def read_mapping_file(path) -> Mapping:
    """A saved mapping from disk (JSON); a missing or bad file is a WorkbookError naming it."""
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise WorkbookError([Finding(path.name, None, None, None, f"The mapping file {path.name} does not exist.", Severity.ERROR)])
    return Mapping.from_json(path.read_bytes(), path.name)


def load_plan_as_kept_text(
    data: bytes,
    workbook: str,
    mapping_text: str | None = None,
    status_as_at: str | None = None,
    earlier: tuple[tuple[str, bytes], ...] = (),
) -> PlanData:
    """load_plan_as_kept with its options as plain values (JSON mapping text, an ISO date), so that the
    isolated worker process can be handed them."""
    mapping = Mapping.from_json(mapping_text, "the mapping") if mapping_text else None
    as_at = pd.Timestamp(status_as_at) if status_as_at else None
    return load_plan_as_kept(data, workbook, mapping, as_at, list(earlier))


def load_plan_as_kept(
    data: bytes,
    workbook: str,
    mapping: Mapping | None = None,
    status_as_at: pd.Timestamp | None = None,
    earlier: list[tuple[str, bytes]] | None = None,
) -> PlanData:
    """The one entry point for a plan that may be a tracker: contract first (unless a mapping is given), then the tracker.

    `status_as_at` is the date a person says the statuses describe; `earlier` are previous versions
    of the same tracker (name, bytes), whose statuses become the Updates history.
    """
    from .plan_workbook import load_plan

    options = TrackerOptions(status_as_at=status_as_at)
    if mapping is not None:
        plan = load_tracker(data, workbook, mapping, options)
    else:
        plan = load_plan(data, workbook)
        if plan.about.get("layout") == "tracker" and status_as_at is not None:
            plan = load_tracker(data, workbook, None, options)
    if earlier:
        versions = [load_tracker(d, name, mapping) for name, d in earlier]
        plan = merge_versions([*versions, plan])
    return plan

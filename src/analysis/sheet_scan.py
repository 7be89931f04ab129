"""Look at an .xlsx's sheets from their XML before the cell reader sees them.

The cell reader (python-calamine) sizes each sheet's grid from the furthest cell it finds, blanks
included, so one value in XFD1048576 asks for about 17 billion cells. Here each sheet's XML is
streamed once, in chunks, with C-speed byte searches (no per-cell Python work on ordinary files), to
find: the extent the sheet declares (<dimension ref>), the furthest cell actually present (rows and
columns from A1), and the cells holding Excel error values (#REF!, #DIV/0!, #N/A ...), which the
reader turns into blanks without a word.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from defusedxml import ElementTree

from .limits import MAX_CELLS_PER_SHEET, MAX_FINDINGS_PER_COLUMN

CHUNK_BYTES = 16 * 1024 * 1024
MAX_ERRORS_KEPT = 20 * MAX_FINDINGS_PER_COLUMN  # error cells located per sheet; the rest are counted
_MAIN_XML_LIMIT = 16 * 1024 * 1024  # workbook.xml and its relationships: small in any real workbook

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})(\d{1,8})(?::([A-Z]{1,3})(\d{1,8}))?"')
_CELL_REF_AT = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,8})"[^>]*>')
_ERROR_VALUE = re.compile(rb"<v>([^<]{0,40})</v>")
_PREFIXED_CELL = re.compile(rb"<\w+:c[\s>/]")
_SLOW_TOKEN = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s>/])([^>]*?)(/?)>")
_ATTR_R = re.compile(rb'\sr="([A-Z]{0,3})(\d{0,8})"')


def column_index(letters: str | bytes) -> int:
    """'A' -> 1, 'Z' -> 26, 'AA' -> 27, 'XFD' -> 16384."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    number = 0
    for char in letters:
        number = number * 26 + (ord(char) - 64)
    return number


def column_letters(index: int) -> str:
    """1 -> 'A', 27 -> 'AA' (index from 1, as Excel counts)."""
    letters = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class SheetExtent:
    """What a sheet's XML says about its size and its error cells. Rows and columns count from 1."""

    part: str
    rows: int = 0  # furthest row holding a cell
    columns: int = 0  # furthest column holding a cell
    furthest: str = ""  # e.g. 'XFD1048576': the cell that sets the grid's far corner (row and column may differ)
    declared: str = ""  # the <dimension ref> as written, e.g. 'A1:H34'
    declared_cells: int = 0
    cell_tags: int = 0  # <c> elements present
    errors: list[tuple[str, str]] = field(default_factory=list)  # (cell, error value) of the first error cells
    error_count: int = 0

    @property
    def cells(self) -> int:
        """The grid the reader allocates: rows x columns from A1."""
        return self.rows * self.columns

    @property
    def too_big_cell(self) -> str:
        return self.furthest or f"{column_letters(self.columns)}{self.rows}"


def _last_cell(chunk: bytes) -> tuple[bytes, bytes] | None:
    last = chunk.rfind(b'<c r="')
    match = _CELL_REF_AT.match(chunk, last) if last != -1 else None
    return (match.group(1), match.group(2)) if match else None


def _max_column(chunk: bytes) -> int:
    """The furthest column referenced by `<c r="..">` in the chunk, by a few C-level searches.

    The last cell's column is the usual answer (rows are written in order); one search checks that no
    cell lies further right, and only a sheet where one does pays for a closer look."""
    last = _last_cell(chunk)
    if last is None:
        return 0
    letters = last[0]
    if len(letters) == 1 and not re.search(rb'<c r="(?:[A-Z]{2}|[%c-Z])' % min(ord(letters) + 1, 90), chunk) and letters != b"Z":
        return column_index(letters)
    for width in (3, 2):
        if re.search(rb'<c r="[A-Z]{%d}\d' % width, chunk):
            return column_index(max(re.findall(rb'<c r="([A-Z]{%d})\d' % width, chunk)))
    low, high = 0, 25  # binary search on the letter: is any cell in column >= letter?
    while low < high:
        mid = (low + high + 1) // 2
        if re.search(rb'<c r="[%c-Z]\d' % (65 + mid), chunk):
            low = mid
        else:
            high = mid - 1
    return low + 1


def _max_row(chunk: bytes) -> int:
    last = _last_cell(chunk)
    if last is None:
        return 0
    digits = len(last[1])
    if not re.search(rb'<c r="[A-Z]{1,3}\d{%d}' % (digits + 1), chunk):
        return int(max(re.findall(rb'<c r="[A-Z]{1,3}(\d{%d})"' % digits, chunk)))
    for width in range(8, digits, -1):
        if re.search(rb'<c r="[A-Z]{1,3}\d{%d}"' % width, chunk):
            return int(max(re.findall(rb'<c r="[A-Z]{1,3}(\d{%d})"' % width, chunk)))
    return 0


def _errors(chunk: bytes, extent: SheetExtent) -> None:
    count = chunk.count(b't="e"')
    if not count:
        return
    extent.error_count += count
    position = chunk.find(b't="e"')
    while position != -1 and len(extent.errors) < MAX_ERRORS_KEPT:
        start = chunk.rfind(b"<c ", 0, position)
        cell = _CELL_REF_AT.match(chunk, start) if start != -1 else None
        if cell:
            value = _ERROR_VALUE.search(chunk, cell.end(), cell.end() + 400)
            text = value.group(1).decode("utf-8", "replace") if value else "#ERROR"
            extent.errors.append((f"{cell.group(1).decode()}{int(cell.group(2))}", text))
        position = chunk.find(b't="e"', position + 5)


def _slow_positions(chunk: bytes, state: list[int], extent: SheetExtent) -> None:
    """Cell positions as the reader finds them when cells lack `r` or tags carry a prefix: one step per tag.

    `state` is [current row, current column] carried across chunks. Only reached for unusual files,
    and only after the tag count is known to be within the cells-per-sheet limit.
    """
    for match in _SLOW_TOKEN.finditer(chunk):
        kind, attrs = match.group(1), match.group(2)
        ref = _ATTR_R.search(attrs)
        if kind == b"row":
            state[0] = int(ref.group(2)) if ref and ref.group(2) else state[0] + 1
            state[1] = 0
            continue
        if ref and ref.group(1):
            state[1] = column_index(ref.group(1))
            if ref.group(2):
                state[0] = int(ref.group(2))
        else:
            state[1] += 1
        extent.rows = max(extent.rows, state[0], 1)
        extent.columns = max(extent.columns, state[1])


def scan_sheet(archive: zipfile.ZipFile, part: str) -> SheetExtent:
    """Stream one sheet part; stops early once it is known to be over the cells-per-sheet limit."""
    extent = SheetExtent(part)
    tail = b""
    first = True
    slow = False
    slow_state = [0, 0]
    with archive.open(part) as stream:
        while True:
            block = stream.read(CHUNK_BYTES)
            chunk = tail + block
            if block:
                cut = chunk.rfind(b"<")  # every pattern starts with '<': never split one between chunks
                cut = cut if cut > 0 else len(chunk)
                chunk, tail = chunk[:cut], chunk[cut:]
            else:
                tail = b""
            if first:
                first = False
                declared = _DIMENSION.search(chunk, 0, 64 * 1024)
                if declared:
                    a, b, c, d = declared.groups()
                    far_col, far_row = (c, d) if c else (a, b)
                    extent.declared = declared.group(0).split(b'"')[1].decode()
                    extent.declared_cells = column_index(far_col) * int(far_row)
            tags = chunk.count(b"<c ") + chunk.count(b"<c>") + chunk.count(b"<c/>")
            extent.cell_tags += tags
            if not slow and (tags != chunk.count(b'<c r="') or _PREFIXED_CELL.search(chunk)):
                slow = True
            if slow:
                if extent.cell_tags + len(_PREFIXED_CELL.findall(chunk)) > MAX_CELLS_PER_SHEET:
                    extent.rows, extent.columns = max(extent.rows, MAX_CELLS_PER_SHEET), max(extent.columns, 1)
                    extent.furthest = "beyond the limit (more cells than the limit are present)"
                    return extent
                _slow_positions(chunk, slow_state, extent)
            else:
                extent.rows = max(extent.rows, _max_row(chunk))
                extent.columns = max(extent.columns, _max_column(chunk))
            _errors(chunk, extent)
            if extent.cells > MAX_CELLS_PER_SHEET:
                break
            if not block:
                break
    if extent.rows and extent.columns and not extent.furthest:
        extent.furthest = f"{column_letters(extent.columns)}{extent.rows}"
    return extent


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    """Sheet name -> (part path inside the archive, visibility 'visible' | 'hidden' | 'veryHidden')."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        return {}
    book_info = archive.getinfo("xl/workbook.xml")
    rels_path = "xl/_rels/workbook.xml.rels"
    if book_info.file_size > _MAIN_XML_LIMIT or rels_path not in names or archive.getinfo(rels_path).file_size > _MAIN_XML_LIMIT:
        return {}
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read(rels_path))
    except Exception:  # noqa: BLE001 - defusedxml refuses entities; a broken file is calamine's to report
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = path
    parts: dict[str, tuple[str, str]] = {}
    for element in book.iter():
        if not element.tag.endswith("}sheet") and element.tag != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
        path = targets.get(rel_id)
        if path in names and element.get("name") is not None:
            parts[element.get("name")] = (path, element.get("state") or "visible")
    return parts


_ROW_BLOCK = re.compile(rb"<(?:\w+:)?row\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?row>)", re.S)
_CELL_BLOCK = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR_T = re.compile(rb'\st="(\w+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_TEXT = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>(.*?)</(?:\w+:)?t>", re.S)
_SI = re.compile(rb"<(?:\w+:)?si>(.*?)</(?:\w+:)?si>", re.S)
HEAD_BYTES = 8 * 1024 * 1024  # of a large sheet's XML read for its first rows
HEAD_COLUMNS = 256


def _unescape(raw: bytes) -> str:
    import html

    return html.unescape(raw.decode("utf-8", "replace"))


def _shared_strings(archive: zipfile.ZipFile, needed: set[int]) -> dict[int, str]:
    """The shared strings with the given indexes, streaming the table only as far as the largest one."""
    if not needed or "xl/sharedStrings.xml" not in archive.namelist():
        return {}
    wanted, found, index, tail = max(needed), {}, 0, b""
    with archive.open("xl/sharedStrings.xml") as stream:
        while index <= wanted:
            block = stream.read(CHUNK_BYTES)
            chunk = tail + block
            end = chunk.rfind(b"</si>") + 5 if block else len(chunk)
            chunk, tail = (chunk[:end], chunk[end:]) if end > 4 else (b"", chunk)
            for item in _SI.finditer(chunk):
                if index in needed:
                    found[index] = "".join(_unescape(t) for t in _TEXT.findall(item.group(1)))
                index += 1
            if not block:
                break
    return found


def head_rows(archive: zipfile.ZipFile, part: str, max_rows: int) -> list[list]:
    """The text cells of a large sheet's first `max_rows` rows (other cells ''), from its XML, without the
    cell reader: for the personal-data check of a sheet the contract does not use. At most HEAD_BYTES of
    XML and HEAD_COLUMNS columns are looked at."""
    with archive.open(part) as stream:
        xml = stream.read(HEAD_BYTES)
    cells: list[tuple[int, int, str, bytes]] = []  # (row, column, type, raw)
    row_number = 0
    for count, row in enumerate(_ROW_BLOCK.finditer(xml)):
        if count >= max_rows:
            break
        ref = _ATTR_R.search(row.group(1))
        row_number = int(ref.group(2)) if ref and ref.group(2) else row_number + 1
        column = 0
        for cell in _CELL_BLOCK.finditer(row.group(2) or b""):
            ref = _ATTR_R.search(cell.group(1))
            column = column_index(ref.group(1)) if ref and ref.group(1) else column + 1
            kind = _ATTR_T.search(cell.group(1))
            kind = kind.group(1) if kind else b"n"
            if column <= HEAD_COLUMNS and kind in (b"s", b"inlineStr", b"str") and cell.group(2):
                cells.append((row_number, column, kind, cell.group(2)))
    needed = set()
    for _row, _col, kind, raw in cells:
        value = _VALUE.search(raw) if kind == b"s" else None
        if value and value.group(1).strip().isdigit():
            needed.add(int(value.group(1)))
    shared = _shared_strings(archive, needed)
    rows: dict[int, dict[int, str]] = {}
    for row_number, column, kind, raw in cells:
        if kind == b"s":
            value = _VALUE.search(raw)
            text = shared.get(int(value.group(1))) if value and value.group(1).strip().isdigit() else None
        elif kind == b"inlineStr":
            text = "".join(_unescape(t) for t in _TEXT.findall(raw))
        else:
            value = _VALUE.search(raw)
            text = _unescape(value.group(1)) if value else None
        if text:
            rows.setdefault(row_number, {})[column] = text
    if not rows:
        return []
    last_row = min(max(rows), max_rows + len(rows))
    width = max(max(r) for r in rows.values())
    grid = [[""] * width for _ in range(min(last_row, max_rows))]
    for row_number, values in rows.items():
        if row_number <= len(grid):
            for column, text in values.items():
                grid[row_number - 1][column - 1] = text
    return grid

"""Read a workbook that follows the contract into tidy frames plus findings.

Generic part: open the file once (calamine), match sheets and headers loosely, find the
header row under a title block, coerce each column by its kind, report every problem as
a Finding located by workbook, sheet, Excel row and column. A fatal problem (unreadable
file, required sheet or column missing) raises WorkbookError after every sheet has been
looked at, so one bad sheet does not hide the others.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import is_, itemgetter

import numpy as np
import pandas as pd
import python_calamine

from . import sheet_scan
from .dates import EARLIEST_YEAR, LATEST_YEAR, Side, parse_plan_date
from .findings import Finding, Severity, WorkbookError, add_capped
from .limits import (
    HEADER_SEARCH_ROWS,
    MAX_CELLS_PER_SHEET,
    MAX_CELLS_PER_WORKBOOK,
    MAX_COMPRESSION_RATIO,
    MAX_FILE_BYTES,
    MAX_FILE_MIB,
    MAX_FINDINGS_PER_COLUMN,
    MAX_IDS_PER_CELL,
    MAX_SHEETS,
    MAX_TEXT_CHARS,
    MAX_UNZIPPED_BYTES,
    MIB,
    PERSONAL_SCAN_ROWS,
)
from .personal_data import personal_data_findings
from .schema import Kind, SheetSpec, normalise_name
from .values import is_empty

FULL_SCAN_PART_BYTES = 2 * MIB  # sheet XML up to this size is scanned in full before reading (about 4,000 tasks; see read_workbook)
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_NUMERIC_ID = re.compile(r"^[+-]?\d+\.0+$")
_LIST_SPLIT = re.compile(r"\s*(?:,|;|/|&|\band\b|\n)\s*")


@dataclass
class SheetTable:
    """One sheet read against its spec: canonical columns plus `excel_row`."""

    name: str  # the sheet name as the workbook spells it
    frame: pd.DataFrame
    header_row: int  # Excel row number of the header
    # Each text and id column's distinct values in order of first appearance (None left out), when read_table
    # worked them out on the way (for the personal-data check); None otherwise.
    text_distinct: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)


@dataclass
class RawWorkbook:
    """The tables of one workbook, as read, with the findings met while reading."""

    workbook: str
    tables: dict[str, SheetTable] = field(default_factory=dict)
    about: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def frame(self, sheet: str) -> pd.DataFrame | None:
        table = self.tables.get(sheet)
        return None if table is None else table.frame

    def sheet_name(self, sheet: str) -> str:
        table = self.tables.get(sheet)
        return sheet if table is None else table.name


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def check_archive(data: bytes, workbook: str) -> list[Finding]:
    """Refuse oversize files and zip bombs from the archive's declared sizes, before any parsing."""
    if len(data) == 0:
        return [
            Finding(
                workbook,
                None,
                None,
                None,
                "The file is empty (0 bytes).",
                Severity.ERROR,
                "Save the workbook again from Excel and upload the saved file.",
            )
        ]
    if len(data) > MAX_FILE_BYTES:
        return [
            Finding(
                workbook,
                None,
                None,
                None,
                f"The file is {len(data) / MIB:,.1f} MiB; the limit is {MAX_FILE_MIB} MiB.",
                Severity.ERROR,
                "Remove sheets the dashboard does not use, or split the workbook.",
            )
        ]
    if data.startswith(_OLE_SIGNATURE) and is_encrypted(data):
        return [password_finding(workbook)]
    if not data.startswith(b"PK"):
        return []  # not a zip: .xls or .ods-like; calamine decides
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            declared = sum(info.file_size for info in archive.infolist())
            compressed = sum(info.compress_size for info in archive.infolist()) or 1
    except (zipfile.BadZipFile, OSError, ValueError):
        return [
            Finding(
                workbook,
                None,
                None,
                None,
                "The file looks like an Excel workbook but is damaged or incomplete (truncated).",
                Severity.ERROR,
                "Save the workbook again from Excel and upload the saved file.",
            )
        ]
    if declared > MAX_UNZIPPED_BYTES or (declared > 50 * MIB and declared / compressed > MAX_COMPRESSION_RATIO):
        return [
            Finding(
                workbook,
                None,
                None,
                None,
                f"The workbook would expand to {declared / MIB:,.0f} MiB when opened "
                f"({declared / compressed:,.0f} times its size); it was refused unopened to protect the service.",
                Severity.ERROR,
                "Check where the file came from; a real plan workbook is a few MB at most.",
            )
        ]
    return []


def is_encrypted(data: bytes) -> bool:
    """A password-protected Office file (an OLE container with an EncryptionInfo stream, or an encrypted .xls)."""
    try:
        import msoffcrypto

        return bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
    except Exception:  # noqa: BLE001 - not an Office container msoffcrypto knows: calamine decides
        return False


def password_finding(workbook: str) -> Finding:
    return Finding(
        workbook,
        None,
        None,
        None,
        "The workbook is password-protected (encrypted), so it cannot be read.",
        Severity.ERROR,
        "Open it in Excel with its password, then File > Info > Protect Workbook > Encrypt with Password, "
        "delete the password, press OK, save, and upload the saved copy.",
    )


def size_finding(size: int, workbook: str) -> Finding | None:
    """The file-size check on a size alone (from the file system or the upload's length), before reading any byte."""
    if size <= MAX_FILE_BYTES:
        return None
    return Finding(
        workbook,
        None,
        None,
        None,
        f"The file is {size / MIB:,.1f} MiB; the limit is {MAX_FILE_MIB} MiB. It was not read.",
        Severity.ERROR,
        "Remove sheets the dashboard does not use, or split the workbook.",
    )


def open_workbook(data: bytes, workbook: str) -> python_calamine.CalamineWorkbook:
    """Open with calamine; any failure becomes a WorkbookError with a plain message."""
    findings = check_archive(data, workbook)
    if findings:
        raise WorkbookError(findings)
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several types for bad input
        kind = type(exc).__name__
        raise WorkbookError(
            [
                Finding(
                    workbook,
                    None,
                    None,
                    None,
                    f"This file could not be read as an Excel workbook (.xlsx, .xlsm, .xls or .ods) ({kind}).",
                    Severity.ERROR,
                    "Open it in Excel, check it is the right file, save it as .xlsx and try again.",
                )
            ]
        ) from None


def _match_sheets(
    names: list[str], specs: tuple[SheetSpec, ...], workbook: str, visibility: dict[str, str] | None = None
) -> tuple[dict[str, str], list[Finding]]:
    """Map spec name -> actual sheet name; report missing required sheets and near-duplicate names.

    A visible sheet is preferred over a hidden one of the same role (`visibility`: name -> visible/hidden/veryHidden).
    """
    visibility = visibility or {}
    findings: list[Finding] = []
    by_norm: dict[str, list[str]] = {}
    for name in names:
        by_norm.setdefault(normalise_name(name), []).append(name)
    chosen: dict[str, str] = {}
    for spec in specs:
        candidates: list[str] = []
        for key in (normalise_name(spec.name), *(normalise_name(a) for a in spec.aliases)):
            candidates.extend(by_norm.get(key, []))
            if candidates:
                break
        if not candidates:
            if spec.required:
                findings.append(
                    Finding(
                        workbook,
                        spec.name,
                        None,
                        None,
                        f"Required sheet '{spec.name}' is missing (sheets found: {', '.join(names) or 'none'}).",
                        Severity.ERROR,
                        f"Add a sheet named {spec.name} with the columns in the template.",
                    )
                )
            continue
        candidates.sort(key=lambda c: visibility.get(c, "visible") != "visible")  # stable: visible first
        chosen[spec.name] = candidates[0]
        if len(candidates) > 1:
            findings.append(
                Finding(
                    workbook,
                    candidates[0],
                    None,
                    None,
                    f"Sheets {', '.join(repr(c) for c in candidates)} have names that differ only in case or spacing; "
                    f"'{candidates[0]}' was used and the others ignored.",
                    Severity.WARNING,
                    "Rename or delete the sheet you do not mean.",
                )
            )
    return chosen, findings


def _header_map(row: list, spec: SheetSpec) -> dict[str, int]:
    """Canonical column -> index for one candidate header row (canonical names beat aliases)."""
    normalised = [normalise_name(cell) if isinstance(cell, str) and cell.strip() else "" for cell in row]
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for column in spec.columns:
        key = normalise_name(column.name)
        if key in normalised:
            idx = normalised.index(key)
            mapping[column.name] = idx
            used.add(idx)
    for column in spec.columns:
        if column.name in mapping:
            continue
        for alias in column.aliases:
            key = normalise_name(alias)
            idx = next((i for i, n in enumerate(normalised) if n == key and i not in used), None)
            if idx is not None:
                mapping[column.name] = idx
                used.add(idx)
                break
    return mapping


def _find_header(rows: list[list], spec: SheetSpec) -> tuple[int | None, dict[str, int], list[str]]:
    """First row holding every required column; else the best candidate's missing columns."""
    required = spec.required_columns
    best_missing = required
    for idx, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        mapping = _header_map(row, spec)
        missing = [c for c in required if c not in mapping]
        if not missing:
            return idx, mapping, []
        if len(missing) < len(best_missing):
            best_missing = missing
    return None, {}, best_missing


_UNREADABLE = object()


def _convert(values: list, reader) -> list:
    """reader(value) for each cell, computed once per distinct value (plans repeat dates, statuses, leads).

    A reader's ValueError/TypeError marks the cell `_UNREADABLE` for the caller to report.
    """
    cache: dict = {}
    out = []
    append = out.append
    for value in values:
        key = (value.__class__, value)
        try:
            append(cache[key])
            continue
        except KeyError:
            pass
        except TypeError:  # unhashable: compute directly
            key = None
        try:
            result = reader(value)
        except (ValueError, TypeError, OverflowError):
            result = _UNREADABLE
        if key is not None:
            cache[key] = result
        append(result)
    return out


def map_distinct(values: pd.Series, reader) -> pd.Series:
    """reader applied once per distinct value (a sheet repeats a handful of statuses many times); None for blanks.

    A text column (str and None only, as read_table gives) goes through the same steps on its distinct values
    alone, and the results are spread over the rows by position (C-level look-ups): the same values and types."""
    if values.dtype == object and len(values) > 1:
        items = values.tolist()
        try:
            distinct = dict.fromkeys(items)
        except TypeError:  # an unhashable value: the general steps decide
            distinct = {}
        if 0 < len(distinct) < len(items) and set(map(type, distinct)) <= {str, type(None)}:
            read = _map_distinct(pd.Series(list(distinct), dtype="object"), reader).to_numpy(dtype=object)
            codes = dict(zip(distinct, range(len(distinct))))
            positions = np.fromiter(map(codes.__getitem__, items), dtype=np.intp, count=len(items))
            return pd.Series(read[positions], index=values.index, name=values.name, dtype="object")
    return _map_distinct(values, reader)


def _map_distinct(values: pd.Series, reader) -> pd.Series:
    distinct = {v: reader(v) for v in values.dropna().unique()}
    mapped = values.map(distinct).astype("object")
    return mapped.where(mapped.notna(), None)


def _text_column(values: list, ids: bool) -> pd.Series:
    """Trimmed text (blank -> None); with ids=True, `3.0` and 3 read as '3'. A plain loop: faster than .str here."""
    return pd.Series(_read_text(values, ids)[0], dtype="object")


def _read_text(values: list, ids: bool, distinct: dict | None = None) -> tuple[list, dict | None]:
    """_text_column's cells, and their distinct results in order of first appearance (None among them) when the
    column was read per distinct value, else None. `distinct`: the cells' dict.fromkeys, when the caller has it.

    A column of repeated text (each distinct value at least twice on average: statuses, teams, task ids in
    updates) is trimmed once per distinct value and spread by a C-level look-up; other text as below."""
    reader = _id_text if ids else _text
    match_numeric = _NUMERIC_ID.match
    if distinct is not None and 2 * len(distinct) <= len(values) and set(map(type, distinct)) == {str}:
        read = {}
        for value in distinct:
            text = value.strip()
            read[value] = (text.split(".")[0].lstrip("+") if ids and text[-1] == "0" and match_numeric(text) else text) if text else None
        return list(map(read.__getitem__, values)), dict.fromkeys(read.values())
    if set(map(type, values)) == {str}:  # the common case (calamine gives blanks as ''): C-level strip and look-ups
        stripped = list(map(str.strip, values))
        if ids:  # the numeric-id test once per distinct id (updates repeat each task's id)
            read = {
                t: (t.split(".")[0].lstrip("+") if t[-1] == "0" and match_numeric(t) else t) if t else None for t in dict.fromkeys(stripped)
            }
            out = list(map(read.__getitem__, stripped))
        else:
            out = list(map(_BLANK_TEXT.get, stripped, stripped)) if "" in stripped else stripped  # '' -> None, text as it is
        return out, None
    cache: dict = {}
    out = []
    append = out.append
    for value in values:
        if value.__class__ is str:
            text = value.strip()
            if not text:
                append(None)
            elif ids and text[-1] == "0" and match_numeric(text):
                append(text.split(".")[0].lstrip("+"))
            else:
                append(text)
            continue
        key = (value.__class__, value)
        try:
            append(cache[key])
        except KeyError:
            cache[key] = reader(value)
            append(cache[key])
        except TypeError:
            append(reader(value))
    return out, None


_BLANK_TEXT = {"": None}


def _has_space_only_cells(cells) -> bool:
    """True when a cell of the column is text of spaces only (C-level: a set, `filter` and `str.isspace`, which is
    True exactly for the non-empty text that `strip()` empties)."""
    return any(map(str.isspace, filter(str.__instancecheck__, cells if isinstance(cells, dict) else set(cells))))


def _dates_fast(values: list) -> list:
    """_date for a column: real dates taken as they are, anything else through the reader once per value."""
    types = set(map(type, values))
    real_types = types - {str}
    if len(real_types) <= 1 and real_types <= {dt.datetime, dt.date}:  # dates (of one type) and blank cells: C-level min/max
        # Every cell is exactly str or the one date type here, so the split is made once per distinct value.
        distinct = set(values) if str in types else ()
        texts = [v for v in distinct if v.__class__ is str]
        real = [v for v in distinct if v.__class__ is not str] if texts else values
        if not any(map(str.strip, texts)) and (not real or (EARLIEST_YEAR <= min(real).year and max(real).year <= LATEST_YEAR)):
            return list(map(dict.fromkeys(texts).get, values, values)) if texts else list(values)  # blank text -> None (C-level)
    out = []
    slow: dict = {}
    for value in values:
        if value.__class__ is dt.datetime or value.__class__ is dt.date:
            if EARLIEST_YEAR <= value.year <= LATEST_YEAR:
                out.append(value)
                continue
        try:
            key = (value.__class__, value)
            result = slow[key]
        except KeyError:
            try:
                result = _date(value)
            except (ValueError, TypeError, OverflowError):
                result = _UNREADABLE
            slow[key] = result
        out.append(result)
    return out


def _numbers_fast(values: list) -> np.ndarray | None:
    """A column of finite numbers and blank cells as float64 (blank -> NaN) in C; None when any cell needs _number."""
    types = set(map(type, values))
    if not values or not types <= {float, int, str}:
        return None
    if str in types:
        blanks = [i for i, v in enumerate(values) if v.__class__ is str]
        if any(values[i].strip() for i in blanks):
            return None  # text that may be a number ('1,200', '45%') or not: the reader decides, per value
        values = list(values)
        for i in blanks:
            values[i] = math.nan
    numbers = np.array(values, dtype="float64")
    return None if np.isinf(numbers).any() else numbers


def _id_text(value: object) -> str | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    text = str(value).strip()
    if _NUMERIC_ID.match(text):
        text = text.split(".")[0].lstrip("+")
    return text


def _text(value: object) -> str | None:
    if is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    return str(value).strip()


def split_ids(value: object) -> tuple[str, ...]:
    """`3, 9` or `3 and 9` or 3.0 -> ('3', '9'); blank -> ()."""
    if is_empty(value):
        return ()
    if isinstance(value, (int, float)):
        single = _id_text(value)
        return (single,) if single else ()
    parts = [_id_text(p) for p in _LIST_SPLIT.split(str(value))]
    return tuple(p for p in parts if p)


def _number(value: object) -> float | None:
    """A number, or None for blank; raises ValueError for text that is not a number."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        raise ValueError
    else:
        text = str(value).strip().replace(",", "")
        if text.endswith("%"):
            text = text[:-1].strip()
        number = float(text)
    if not math.isfinite(number):  # 'inf', 'Infinity', 'nan' or 1e999: not a figure (and not valid JSON)
        raise ValueError
    return number


def _date(value: object) -> pd.Timestamp | None:
    """A real date, ISO/UK text or month wording (month end), an Excel serial; None blank; ValueError else."""
    if is_empty(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < float(value) < 80000:  # an Excel serial in a cell formatted as General (1954-2119)
            return pd.Timestamp("1899-12-30") + pd.to_timedelta(int(value), unit="D")
        raise ValueError
    parsed = parse_plan_date(value, Side.FINISH)
    if parsed.date is None:
        raise ValueError
    return parsed.date


# ---- Excel-typed months: a real date whose number format shows only month and year ---------------
# calamine gives cell values without their formats, so for date columns the formats are read from the
# archive: xl/styles.xml says which cell styles (s="n") show only month and year; a sheet is scanned
# for cells of those styles only when such a style exists (most workbooks: never), with one regex.

_BUILTIN_MONTH_YEAR_FORMATS = {17}  # mmm-yy
_MAX_STYLES_BYTES = 5 * 1024 * 1024
_MAX_SCAN_BYTES = 256 * 1024 * 1024  # a sheet's XML larger than this keeps its dates as days
_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"')


def _attributes(tag: str) -> dict[str, str]:
    return {name.split(":")[-1]: html.unescape(value) for name, value in _ATTR.findall(tag)}


def is_month_year_format(code: str) -> bool:
    """True for a number format showing only month and year (`mmm-yy`, `mmmm yyyy`, `[$-809]mmm yy`)."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", code.split(";")[0]).lower()
    return "m" in code and "y" in code and not any(ch in code for ch in "dhs")


def month_year_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles (cellXfs) whose number format shows only month and year."""
    try:
        info = archive.getinfo("xl/styles.xml")
        if info.file_size > _MAX_STYLES_BYTES:
            return set()
        text = archive.read(info).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return set()
    month_formats = set(_BUILTIN_MONTH_YEAR_FORMATS)
    for tag in re.findall(r"<(?:\w+:)?numFmt\b[^>]*>", text):
        attrs = _attributes(tag)
        if attrs.get("numFmtId", "").isdigit() and is_month_year_format(attrs.get("formatCode", "")):
            month_formats.add(int(attrs["numFmtId"]))
    block = re.search(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", text, re.S)
    if not block:
        return set()
    styles = set()
    for index, tag in enumerate(re.findall(r"<(?:\w+:)?xf\b[^>]*>", block.group(1))):
        number_format = _attributes(tag).get("numFmtId", "0")
        if number_format.isdigit() and int(number_format) in month_formats:
            styles.add(index)
    return styles


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its part in the archive (xl/worksheets/sheet1.xml)."""
    try:
        book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    targets = {}
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
        attrs = _attributes(tag)
        target = attrs.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[attrs.get("Id")] = target
    parts = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        attrs = _attributes(tag)
        if attrs.get("id") in targets and "name" in attrs:
            parts[attrs["name"]] = targets[attrs["id"]]
    return parts


_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\s")


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ch - 64)
    return index - 1


class CellFormats:
    """Which cells of a workbook's sheets hold a month-and-year date format, read lazily per sheet."""

    def __init__(self, data: bytes):
        self._archive: zipfile.ZipFile | None = None
        self._styles: set[int] = set()
        self._cache: dict[str, set[tuple[int, int]]] = {}
        if data.startswith(b"PK"):
            try:
                self._archive = zipfile.ZipFile(io.BytesIO(data))
                self._styles = month_year_styles(self._archive)
            except (zipfile.BadZipFile, OSError, ValueError):
                self._archive = None

    def month_cells(self, sheet: str) -> set[tuple[int, int]]:
        """(row, column) indexes, from 0 as calamine's grid counts them, of the sheet's month-and-year cells."""
        if not self._styles or self._archive is None:
            return set()
        if sheet not in self._cache:
            self._cache[sheet] = self._scan(sheet)
        return self._cache[sheet]

    def _scan(self, sheet: str) -> set[tuple[int, int]]:
        part = _sheet_parts(self._archive).get(sheet)
        try:
            if not part or self._archive.getinfo(part).file_size > _MAX_SCAN_BYTES:
                return set()
            xml = self._archive.read(part)
        except (KeyError, zipfile.BadZipFile, OSError, ValueError):
            return set()
        styles = "|".join(str(s) for s in sorted(self._styles))
        # Find the style attribute itself (a plain byte search), then the start of its tag: far faster than
        # testing every <c> tag of a large sheet; row tags (<row s="3" customFormat="1">) are skipped.
        cells = set()
        for match in re.finditer(rb' s="(?:' + styles.encode() + rb')"', xml):  # a literal first byte: fast
            start = xml.rfind(b"<", 0, match.start())
            tag = xml[start : match.end()]
            if not _CELL_TAG.match(tag):
                continue
            end = xml.find(b">", match.end())
            ref = _CELL_REF.search(xml, start, end if end != -1 else len(xml))
            if ref:
                cells.add((int(ref.group(2)) - 1, _column_index(ref.group(1))))
        return cells


def typed_months(values: list, excel_rows: list[int], column: int, month_cells: set[tuple[int, int]] | None) -> list:
    """Real dates in month-and-year cells become the month as written (`Mar 2013`): a finish is the month's last day."""
    if not month_cells:
        return values
    out = list(values)
    for i, (row, value) in enumerate(zip(excel_rows, values)):
        if (row - 1, column) in month_cells and isinstance(value, (dt.date, dt.datetime)):
            out[i] = f"{value:%b %Y}"
    return out


_KIND_READERS = {Kind.NUMBER: _number, Kind.DATE: _date}
_KIND_LABEL = {Kind.NUMBER: "a number", Kind.DATE: "a date (e.g. 31/03/2017, 2017-03-31 or March 2017)"}


def _all_filled(cells: tuple) -> bool:
    """True when no cell of the column is '' or missing (C-level checks on text, date or integer columns)."""
    types = set(map(type, cells))
    if types == {str}:
        return "" not in cells
    return bool(types) and types <= {int, dt.datetime, dt.date}


def _skip_repeated_headers(
    header: list,
    transposed: list,
    mapping: dict[str, int],
    keep: list[int],
    width: int,
    header_idx: int,
    sheet: str,
    workbook: str,
    findings: list[Finding],
    pools: dict[int, dict] | None = None,
) -> list[int]:
    """`keep` without rows that repeat the header row (a pasted block, a printed page's heading): never a phantom task.

    `pools`: column index -> the column's distinct cells (dict.fromkeys), when the caller has them."""
    columns = {i: normalise_name(header[i]) for i in mapping.values() if i < width and i < len(header) and isinstance(header[i], str)}
    if not columns or not keep:
        return keep
    first = next(iter(columns))
    cells = transposed[first]
    # normalise_name keeps only characters of the lowered text (plus 'percent' / 'and' for % and &): a cell lacking
    # one of the header's letters cannot match, which spares the regexes for nearly every distinct value.
    letters = set(columns[first]) - {"_"}

    def could_match(v: object) -> bool:
        return isinstance(v, str) and ("%" in v or "&" in v or letters <= set(v.lower()))

    if header[first] not in cells:  # the common case: one C-level membership test, then the distinct text values
        texts = list(filter(str.__instancecheck__, pools[first] if pools and first in pools else set(cells)))
        written = set("\n".join(map(str.lower, texts)))  # every character the column's text holds (C-level)
        if "%" not in written and "&" not in written and not letters <= written:
            return keep  # no value holds all the header's letters, so none can match
        if not any(could_match(v) and normalise_name(v) == columns[first] for v in texts):
            return keep
    repeated = [
        o
        for o in keep
        if isinstance(cells[o], str)
        and normalise_name(cells[o]) == columns[first]
        and 2 * sum(isinstance(transposed[i][o], str) and normalise_name(transposed[i][o]) == n for i, n in columns.items()) > len(columns)
    ]
    if not repeated:
        return keep
    add_capped(
        findings,
        repeated,
        lambda o: Finding(
            workbook,
            sheet,
            header_idx + 2 + o,
            None,
            f"This row repeats the header row (row {header_idx + 1}); it was skipped.",
            Severity.WARNING,
            "Delete the repeated header row.",
        ),
    )
    dropped = set(repeated)
    return [o for o in keep if o not in dropped]


def _clip_long_text(series: pd.Series, excel_rows: list[int], column: str, sheet: str, workbook: str, findings: list[Finding]) -> pd.Series:
    """Text longer than MAX_TEXT_CHARS (Excel's own cell limit) is clipped, with a finding naming the cell."""
    values = series.tolist()
    if max(map(len, filter(None, values)), default=0) <= MAX_TEXT_CHARS:  # one C-level pass in the common case
        return series
    long = [i for i, v in enumerate(values) if v is not None and len(v) > MAX_TEXT_CHARS]
    if not long:
        return series
    add_capped(
        findings,
        long,
        lambda i: Finding(
            workbook,
            sheet,
            excel_rows[i],
            column,
            f"The text is {len(values[i]):,} characters long; only the first {MAX_TEXT_CHARS:,} were kept.",
            Severity.WARNING,
            "Shorten the text (Excel itself allows 32,767 characters in a cell).",
        ),
    )
    for i in long:
        values[i] = values[i][:MAX_TEXT_CHARS] + "…"
    return pd.Series(values, dtype="object")


def cap_id_lists(lists: list, excel_rows: list, column: str, sheet: str, workbook: str, findings: list[Finding]) -> list:
    """Id lists (rec_ids) cut to MAX_IDS_PER_CELL ids a cell, with a finding: a pasted list cannot multiply the rows."""
    lists = [() if v is _UNREADABLE or v is None else v for v in lists]
    long = [i for i, ids in enumerate(lists) if len(ids) > MAX_IDS_PER_CELL]
    add_capped(
        findings,
        long,
        lambda i: Finding(
            workbook,
            sheet,
            int(excel_rows[i]),
            column,
            f"The cell lists {len(lists[i]):,} ids; only the first {MAX_IDS_PER_CELL} were read.",
            Severity.WARNING,
            "List only the ids that apply.",
        ),
    )
    for i in long:
        lists[i] = lists[i][:MAX_IDS_PER_CELL]
    return lists


def read_table(
    rows: list[list], spec: SheetSpec, sheet_name: str, workbook: str, month_cells: set[tuple[int, int]] | None = None
) -> tuple[SheetTable | None, list[Finding]]:
    """One sheet's rows -> SheetTable with canonical columns and `excel_row`; findings for bad cells.

    `month_cells`: (row, column) of date cells formatted as month and year only (CellFormats.month_cells)."""
    findings: list[Finding] = []
    header_idx, mapping, missing = _find_header(rows, spec)
    if header_idx is None:
        findings.append(
            Finding(
                workbook,
                sheet_name,
                None,
                ", ".join(missing),
                f"No header row with the required column(s) {', '.join(missing)} was found in the first {HEADER_SEARCH_ROWS} rows.",
                Severity.ERROR if spec.required else Severity.WARNING,
                "Add the missing column headers (spelling as in the template; case and spaces do not matter)."
                + ("" if spec.required else " The sheet was ignored."),
            )
        )
        return None, findings
    body = rows[header_idx + 1 :]
    lengths = set(map(len, body))
    width = max(lengths, default=0)
    if len(lengths) > 1:  # calamine pads rows; other readers may not
        body = [list(r) + [""] * (width - len(r)) for r in body]
    # Only the mapped columns are taken out of the rows (one C-level pass each); the others are never looked at.
    mapped_columns = {i for i in mapping.values() if i < width}
    transposed = [tuple(map(itemgetter(i), body)) if i in mapped_columns else () for i in range(width)] if body else []
    matched = [transposed[i] for i in mapping.values() if i < width]
    try:  # each mapped column's distinct cells, once: for the space-only check and the text columns
        pools = {i: dict.fromkeys(transposed[i]) for i in mapped_columns}
    except TypeError:  # an unhashable cell (not from a reader): the checks below work on the cells themselves
        pools = {}
    # A row counts when any matched cell holds something: fully blank rows are skipped (numpy, not a Python loop).
    # (on each column's distinct cells when known: a cell equal to a filled one is filled too)
    if matched and any(
        map(_all_filled, [pools[i] for i in mapping.values() if i < width] if pools else matched)
    ):  # e.g. an id in every row
        keep = list(range(len(body)))
    elif matched:
        cells = np.array(matched, dtype=object)
        filled = ((cells != "") & ~pd.isna(cells)).any(axis=0)
        keep = np.flatnonzero(filled).tolist()
    else:
        keep = []
    keep = _skip_repeated_headers(rows[header_idx], transposed, mapping, keep, width, header_idx, sheet_name, workbook, findings, pools)
    first_row = header_idx + 2
    excel_rows = list(range(first_row, first_row + len(body))) if len(keep) == len(body) else [first_row + o for o in keep]
    frame = pd.DataFrame({"excel_row": pd.Series(excel_rows, dtype="int64")})
    text_distinct: dict[str, list[str]] = {}
    for column in spec.columns:
        idx = mapping.get(column.name)
        if idx is None or idx >= width:
            values: list = [None] * len(keep)
        else:
            cells = transposed[idx]
            values = list(cells) if len(keep) == len(cells) else list(map(cells.__getitem__, keep))
            if column.kind in (Kind.DATE, Kind.PLAN_DATE):
                values = typed_months(values, excel_rows, idx, month_cells)
        if column.kind in (Kind.ID, Kind.TEXT):
            pool = pools.get(idx) if idx is not None and idx < width and len(values) == len(transposed[idx]) else None
            cells_read, firsts = _read_text(values, column.kind == Kind.ID, pool)
            series = pd.Series(cells_read, dtype="object")
            if column.kind == Kind.TEXT and (firsts is None or max(map(len, filter(None, firsts)), default=0) > MAX_TEXT_CHARS):
                series = _clip_long_text(series, excel_rows, column.name, sheet_name, workbook, findings)
                firsts = None  # the clipped text is not the text read
            frame[column.name] = series
            if firsts is not None:
                firsts.pop(None, None)
                text_distinct[column.name] = list(firsts)
        elif column.kind == Kind.PLAN_DATE:
            frame[column.name] = pd.Series(_blanks_as_none(values), dtype="object")
        elif column.kind == Kind.ID_LIST:
            lists = cap_id_lists(_convert(values, split_ids), excel_rows, column.name, sheet_name, workbook, findings)
            frame[column.name] = pd.Series(lists, dtype="object")
        elif column.kind == Kind.NUMBER and (numbers := _numbers_fast(values)) is not None:
            frame[column.name] = numbers
        else:
            out = _dates_fast(values) if column.kind == Kind.DATE else _convert(values, _KIND_READERS[column.kind])
            unreadable = any(map(is_, out, repeat(_UNREADABLE)))  # C-level: nearly every column has none
            bad_rows = [(row, value) for row, value, result in zip(excel_rows, values, out) if result is _UNREADABLE] if unreadable else []
            for excel_row, value in bad_rows[:MAX_FINDINGS_PER_COLUMN]:
                findings.append(
                    Finding(
                        workbook,
                        sheet_name,
                        excel_row,
                        column.name,
                        f"'{_text(value)}' is not {_KIND_LABEL[column.kind]}; the cell was ignored.",
                        Severity.WARNING,
                        f"Enter {_KIND_LABEL[column.kind]}.",
                    )
                )
            if len(bad_rows) > MAX_FINDINGS_PER_COLUMN:
                findings.append(
                    Finding(
                        workbook,
                        sheet_name,
                        None,
                        column.name,
                        f"… and {len(bad_rows) - MAX_FINDINGS_PER_COLUMN:,} more like this: cells in this column that are not {_KIND_LABEL[column.kind]} (only the first {MAX_FINDINGS_PER_COLUMN} are listed).",
                        Severity.WARNING,
                        f"Enter {_KIND_LABEL[column.kind]}.",
                    )
                )
            if bad_rows:
                out = [None if r is _UNREADABLE else r for r in out]
            if column.kind == Kind.DATE:
                frame[column.name] = _dates_series(out)
            else:
                frame[column.name] = pd.to_numeric(pd.Series(out, dtype="object"), errors="coerce").astype("float64")
    # Rows whose only content was spaces are blank too, once trimmed (checked only when such cells exist).
    if any(map(_has_space_only_cells, [pools[i] for i in mapping.values() if i < width] if pools else matched)):
        content = [c.name for c in spec.columns]
        empty = frame[content].isna().all(axis=1)
        frame = frame[~empty]  # rows with no content: their text cells are None, so text_distinct still holds
    if spec.key:
        rows_read = len(frame)
        frame, key_findings = _unique_key(frame, spec.key, sheet_name, workbook)
        findings.extend(key_findings)
        if len(frame) != rows_read:  # rows left out: their text may be missing from the frame
            text_distinct = {}
    complete = all(c.name in text_distinct for c in spec.columns if c.kind in (Kind.TEXT, Kind.ID))
    return SheetTable(sheet_name, frame.reset_index(drop=True), header_idx + 1, text_distinct if complete else None), findings


def _dates_series(out: list) -> pd.Series:
    """The date column's datetime64 series (`pd.to_datetime(...).dt.normalize()`), converted once per distinct date
    when the cells are naive dates of one exact type (and blanks) and repeat, then spread by position (C-level)."""
    types = set(map(type, out))
    if len(out) > 1 and (types <= {dt.date, type(None)} or types <= {dt.datetime, type(None)}):
        distinct = dict.fromkeys(out)
        if 2 * len(distinct) <= len(out) and all(getattr(v, "tzinfo", None) is None for v in distinct):
            read = pd.to_datetime(pd.Series(list(distinct), dtype="object")).dt.normalize().to_numpy()
            codes = dict(zip(distinct, range(len(distinct))))
            return pd.Series(read[np.fromiter(map(codes.__getitem__, out), dtype=np.intp, count=len(out))])
    return pd.to_datetime(pd.Series(out, dtype="object")).dt.normalize()


def _blanks_as_none(values: list) -> list:
    """None for each empty cell (`is_empty`), the cell itself otherwise: the test once per distinct value, the
    replacement by a C-level look-up (plans repeat their dates); per cell for a column that cannot be hashed."""
    try:
        blanks = dict.fromkeys(v for v in set(values) if is_empty(v))
        return list(map(blanks.get, values, values)) if blanks else list(values)
    except TypeError:  # an unhashable cell, or a missing value that refuses comparison (pd.NA)
        return [None if is_empty(v) else v for v in values]


def _distinct_text(frame: pd.DataFrame, spec: SheetSpec) -> list[str]:
    """Each text or id column's distinct text in order of first appearance (dict.fromkeys: C-level), for the
    personal-data check."""
    out: list[str] = []
    for column in spec.columns:
        if column.kind in (Kind.TEXT, Kind.ID):
            distinct = dict.fromkeys(frame[column.name].tolist())
            distinct.pop(None, None)
            out.extend(distinct)
    return out


def _unique_key(frame: pd.DataFrame, key: str, sheet: str, workbook: str) -> tuple[pd.DataFrame, list[Finding]]:
    findings: list[Finding] = []
    blank = frame[key].isna()
    add_capped(
        findings,
        frame.loc[blank, "excel_row"],
        lambda row: Finding(
            workbook, sheet, int(row), key, f"The row has no {key}; it was left out.", Severity.WARNING, f"Give every row a unique {key}."
        ),
    )
    frame = frame[~blank]
    dup = frame[key].duplicated(keep="first")
    first_rows = dict(zip(frame.loc[~dup, key], frame.loc[~dup, "excel_row"]))
    add_capped(
        findings,
        zip(frame.loc[dup, "excel_row"], frame.loc[dup, key]),
        lambda item: Finding(
            workbook,
            sheet,
            int(item[0]),
            key,
            f"Duplicate {key} '{item[1]}' (first used on row {int(first_rows[item[1]])}); this row was left out.",
            Severity.WARNING,
            f"Give each row its own {key}.",
        ),
    )
    return frame[~dup], findings


def _sheet_visibility(book: python_calamine.CalamineWorkbook) -> dict[str, str]:
    """Sheet name -> 'visible' | 'hidden' | 'veryHidden', from calamine's sheet metadata (every format)."""
    try:
        metadata = book.sheets_metadata
    except Exception:  # noqa: BLE001 - metadata is advisory
        return {}
    words = {"visible": "visible", "hidden": "hidden", "veryhidden": "veryHidden"}
    return {m.name: words.get(str(m.visible).rsplit(".", 1)[-1].lower(), "visible") for m in metadata}


def scan_extents(data: bytes) -> dict[str, sheet_scan.SheetExtent]:
    """Sheet name -> extent from the XML, for the sheets of an .xlsx small enough to scan in full cheaply.

    Larger sheet parts (over FULL_SCAN_PART_BYTES unzipped: a programme of thousands of tasks) are not
    scanned, since that would cost as much as reading them; their extent is checked from the reader's own
    size before any cell becomes a Python value, and the worker's memory limit covers the reader itself.
    """
    if not data.startswith(b"PK"):
        return {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            extents = {}
            for name, (part, _state) in sheet_scan.sheet_parts(archive).items():
                if archive.getinfo(part).file_size <= FULL_SCAN_PART_BYTES:
                    extents[name] = sheet_scan.scan_sheet(archive, part)
            return extents
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, RuntimeError):
        return {}  # calamine reports the damage in its own words


def big_sheet_heads(data: bytes, names: set[str]) -> dict[str, list[list]]:
    """For the named sheets whose XML is over FULL_SCAN_PART_BYTES: their first PERSONAL_SCAN_ROWS rows' text,
    from the XML (the cell reader would parse the whole sheet to give them)."""
    if not names or not data.startswith(b"PK"):
        return {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = sheet_scan.sheet_parts(archive)
            return {
                name: sheet_scan.head_rows(archive, part, PERSONAL_SCAN_ROWS)
                for name, (part, _state) in parts.items()
                if name in names and archive.getinfo(part).file_size > FULL_SCAN_PART_BYTES
            }
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, RuntimeError, re.error):
        return {}


def _too_big(workbook: str, sheet: str, cells: int, far: str, used: bool) -> Finding:
    return Finding(
        workbook,
        sheet,
        None,
        far,
        f"The sheet reaches cell {far}: {cells:,} cells counted from A1, over the limit of {MAX_CELLS_PER_SHEET:,}. "
        + (
            "The workbook was refused unread to protect the service." if used else "The sheet was not read (the dashboard does not use it)."
        ),
        Severity.ERROR if used else Severity.WARNING,
        "Delete the far cell, or clear the rows and columns beyond your data (select them, Delete, save).",
    )


def _error_value_findings(extent: sheet_scan.SheetExtent, rows: list[list], header_row: int, sheet: str, workbook: str) -> list[Finding]:
    """One finding per Excel error cell (#REF!, #DIV/0!, #N/A ...), capped per column: the reader makes them blanks."""
    header = rows[header_row - 1] if 0 < header_row <= len(rows) else []
    by_column: dict[int, list[tuple[str, int, str]]] = {}
    for cell, value in extent.errors:
        letters = cell.rstrip("0123456789")
        column = sheet_scan.column_index(letters)
        by_column.setdefault(column, []).append((cell, int(cell[len(letters) :]), value))
    findings: list[Finding] = []
    for column, cells in by_column.items():
        title = (
            header[column - 1] if column - 1 < len(header) and isinstance(header[column - 1], str) and header[column - 1].strip() else ""
        )
        label = f"{sheet_scan.column_letters(column)} ({title.strip()})" if title else sheet_scan.column_letters(column)
        add_capped(
            findings,
            cells,
            lambda item, label=label: Finding(
                workbook,
                sheet,
                item[1],
                label,
                f"Cell {item[0]} holds the Excel error {item[2]}; it was read as blank.",
                Severity.WARNING,
                "Fix the formula (or type the value) and save again.",
            ),
        )
    unlisted = extent.error_count - len(extent.errors)
    if unlisted > 0:
        findings.append(
            Finding(
                workbook,
                sheet,
                None,
                None,
                f"… and {unlisted:,} more cells holding Excel errors, read as blank.",
                Severity.WARNING,
                "Fix the formulas.",
            )
        )
    return findings


def _hidden_findings(chosen: dict[str, str], names: list[str], visibility: dict[str, str], workbook: str) -> list[Finding]:
    used = set(chosen.values())
    findings = []
    for name in names:
        state = visibility.get(name, "visible")
        if state == "visible":
            continue
        how = "very hidden (it can be shown only from Excel's VBA editor)" if state == "veryHidden" else "hidden"
        if name in used:
            role = next(spec for spec, actual in chosen.items() if actual == name)
            message = f"The sheet is {how} in Excel, but it was read as the {role} sheet; check it holds what you expect."
            findings.append(
                Finding(
                    workbook,
                    name,
                    None,
                    None,
                    message,
                    Severity.WARNING,
                    "Unhide the sheet (right-click a sheet tab > Unhide) to check it.",
                )
            )
        else:
            message = f"The sheet is {how} in Excel; the dashboard did not use it."
            findings.append(Finding(workbook, name, None, None, message, Severity.INFO, ""))
    return findings


def _refuse(workbook: str, message: str, advice: str) -> WorkbookError:
    return WorkbookError([Finding(workbook, None, None, None, message, Severity.ERROR, advice)])


def read_workbook(data: bytes, workbook: str, specs: tuple[SheetSpec, ...]) -> RawWorkbook:
    """Read the sheets the specs name, once. Raises WorkbookError when the workbook cannot be used.

    Before any cell is read: archive limits, each sheet's extent from its XML (see scan_extents), and
    the reader's own size for each sheet. Sheets the contract uses are read in full; others only
    up to PERSONAL_SCAN_ROWS rows, for the personal-data check.
    """
    book = open_workbook(data, workbook)
    result = RawWorkbook(workbook)
    try:
        names = list(book.sheet_names)
    except Exception:  # noqa: BLE001 - calamine errors on corrupt metadata
        raise _refuse(workbook, "The workbook's list of sheets could not be read.", "Save the workbook again from Excel.") from None
    if len(names) > MAX_SHEETS:
        raise _refuse(
            workbook, f"The workbook has {len(names):,} sheets; the limit is {MAX_SHEETS}.", "Delete the sheets the dashboard does not use."
        )
    visibility = _sheet_visibility(book)
    chosen, findings = _match_sheets(names, specs, workbook, visibility)
    used = set(chosen.values())
    findings.extend(_hidden_findings(chosen, names, visibility, workbook))
    extents = scan_extents(data)
    refusals: list[Finding] = []
    sheets: dict[str, list[list] | None] = {}
    unreadable: dict[str, str] = {}
    skipped: set[str] = set()
    total_cells = 0
    heads = big_sheet_heads(data, {n for n in names if n not in used and n not in extents})
    for name in names:
        if name in heads:  # a large sheet the contract ignores: its first rows from the XML, the reader never parses it
            sheets[name] = heads[name]
            continue
        extent = extents.get(name)
        if extent is not None and extent.cells > MAX_CELLS_PER_SHEET:
            (refusals if name in used else findings).append(_too_big(workbook, name, extent.cells, extent.too_big_cell, name in used))
            skipped.add(name)
            continue
        try:
            sheet = book.get_sheet_by_name(name)
            end = sheet.end
            cells = (end[0] + 1) * (end[1] + 1) if end else 0
            if cells > MAX_CELLS_PER_SHEET:
                far = f"{sheet_scan.column_letters(end[1] + 1)}{end[0] + 1}"
                (refusals if name in used else findings).append(_too_big(workbook, name, cells, far, name in used))
                skipped.add(name)
                continue
            if name in used:
                total_cells += cells
                if total_cells > MAX_CELLS_PER_WORKBOOK:
                    raise _refuse(
                        workbook,
                        f"The sheets the dashboard reads hold more than {MAX_CELLS_PER_WORKBOOK:,} cells together (counted from A1 to each sheet's furthest cell).",
                        "Clear rows and columns beyond your data, or split the workbook.",
                    )
                sheets[name] = sheet.to_python(skip_empty_area=False)
            else:
                sheets[name] = sheet.to_python(skip_empty_area=False, nrows=PERSONAL_SCAN_ROWS)
        except WorkbookError:
            raise
        except Exception as exc:  # noqa: BLE001 - calamine raises several types for bad sheets
            sheets[name] = None
            unreadable[name] = type(exc).__name__
    if refusals:
        raise WorkbookError(refusals + findings)
    result.findings.extend(findings)
    data_cells: dict[str, tuple[int, set[int]]] = {}
    text_values: dict[str, list[str]] = {}
    formats = CellFormats(data)
    for spec in specs:
        actual = chosen.get(spec.name)
        if actual is None or actual in skipped:
            continue
        rows = sheets[actual]
        if rows is None:
            result.findings.append(
                Finding(
                    workbook,
                    actual,
                    None,
                    None,
                    f"The sheet could not be read ({unreadable[actual]}).",
                    Severity.ERROR if spec.required else Severity.WARNING,
                    "Save the workbook again from Excel.",
                )
            )
            continue
        table, sheet_findings = read_table(rows, spec, actual, workbook, formats.month_cells(actual))
        result.findings.extend(sheet_findings)
        if table is not None:
            data_cells[actual] = (table.header_row - 1, set(_find_header(rows, spec)[1].values()))
            text_values[actual] = (
                list(chain.from_iterable(table.text_distinct[c.name] for c in spec.columns if c.kind in (Kind.TEXT, Kind.ID)))
                if table.text_distinct is not None
                else _distinct_text(table.frame, spec)
            )
        if actual in extents and extents[actual].error_count:
            result.findings.extend(_error_value_findings(extents[actual], rows, table.header_row if table else 0, actual, workbook))
        if table is None:
            continue
        if spec.about:
            result.about = {normalise_name(k): v for k, v in zip(table.frame["key"], table.frame["value"]) if k}
        else:
            result.tables[spec.name] = table
    # After the tables are read (their text columns give the distinct values cheaply), before anything is returned.
    personal = personal_data_findings(sheets, workbook, about_sheet=chosen.get("About"), data_cells=data_cells, text_values=text_values)
    if personal:
        raise WorkbookError(personal)
    if any(f.severity == Severity.ERROR for f in result.findings):
        raise WorkbookError(result.findings)
    return result

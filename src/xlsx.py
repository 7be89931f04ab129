"""Write Excel workbooks deterministically: the same tables give the same bytes.

Used by the data build scripts (so `data/*.xlsx` only changes when its source
does) and by the exports. Plain openpyxl; no streamlit, no plotly.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from openpyxl import Workbook

FIXED_TIMESTAMP = dt.datetime(2016, 9, 8)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# OWASP's CSV-injection list: Excel, LibreOffice and Sheets read a cell starting with these as a formula.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """True for text a spreadsheet could take as a formula (starts with = + - @, tab or carriage return)."""
    return isinstance(value, str) and value.startswith(_FORMULA_TRIGGERS)


def csv_safe(value: object) -> object:
    """A CSV cell that opens as the text it is: formula-like text gets a leading single quote (OWASP)."""
    return "'" + value if looks_like_formula(value) else value


def guard_sheet(ws) -> None:
    """Every formula-like text cell in `ws` (titles, headers and body) stored as text, never a formula:
    data type 's' with Excel's quote prefix, so it shows as typed and is never evaluated."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type in ("s", "f") and looks_like_formula(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True


def _cell_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            return value.item()  # numpy scalar -> Python scalar
        except (AttributeError, ValueError):
            pass
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def build_workbook(
    sheets: Mapping[str, pd.DataFrame],
    title_rows: Mapping[str, list[str]] | None = None,
    date_format: str = "dd mmm yyyy",
    guard_formulas: bool = True,
) -> Workbook:
    """An openpyxl Workbook with one sheet per frame, header in bold, optional title rows above."""
    # openpyxl imported here: every page imports csv_safe from this module, few build a workbook (77 ms saved).
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    title_rows = title_rows or {}
    for name, frame in sheets.items():
        ws = wb.create_sheet(title=name)
        for line in title_rows.get(name, []):
            ws.append([line])
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        ws.append([str(c) for c in frame.columns])
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = Font(bold=True)
        for record in frame.itertuples(index=False, name=None):
            ws.append([_cell_value(v) for v in record])
        if guard_formulas:
            guard_sheet(ws)
        for col_idx, column in enumerate(frame.columns, start=1):
            letter = get_column_letter(col_idx)
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                for cell in ws[letter][header_row:]:
                    cell.number_format = date_format
            longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200) if v is not None])
            ws.column_dimensions[letter].width = min(max(10, longest + 2), 80)
    wb.properties.creator = "children's services improvement dashboard"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """Serialise with fixed zip timestamps so identical content gives identical bytes."""
    raw = io.BytesIO()
    wb.properties.modified = FIXED_TIMESTAMP
    wb.save(raw)
    return normalise_zip(raw.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip archive with fixed member timestamps, same member order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _fix_core_dates(content)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def _fix_core_dates(content: bytes) -> bytes:
    import re

    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\2", content)


def write_workbook(
    sheets: Mapping[str, pd.DataFrame],
    path: str | Path,
    title_rows: Mapping[str, list[str]] | None = None,
) -> bytes:
    """Write `sheets` to `path` deterministically; returns the bytes written."""
    data = workbook_bytes(build_workbook(sheets, title_rows=title_rows))
    Path(path).write_bytes(data)
    return data

"""Write the monthly update returns (one small workbook per lead or theme) and the merged plan workbook.

openpyxl only; the rows, layout and checks come from src/analysis/returns.py. A return: an Instructions
sheet, "Your tasks" (and "LSCB actions" when the lead has any) with the plan's words and last month's
position locked beside empty cells to fill, dropdowns for status and RAG, date-only and 0-100 cells, sheets
protected without a password (a guard against slips, not security: the return is checked when it comes
back), and a very hidden "Return details" sheet naming the plan, the reporting date and the lead.

The merged plan is the original workbook opened with openpyxl, with rows appended to its Updates sheet
(created when absent; missing contract columns added at the right) and LSCB statuses written in place,
so every other sheet stays as the council keeps it. It is written to a new file only, atomically.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from src.analysis.dates import format_date
from src.analysis.plan_workbook import PlanData, load_plan
from src.analysis.returns import (
    FIRST_ROW,
    HEADER_ROW,
    INSTRUCTIONS_SHEET,
    LSCB_COLUMNS,
    LSCB_SHEET,
    META_SHEET,
    RAG_CHOICES,
    STATUS_CHOICES,
    TASK_COLUMNS,
    TASK_SHEET,
    UPDATE_COLUMNS,
    Column,
    ReturnsCheck,
    ReturnSpec,
    column_letter,
    plan_returns,
    sheet_layout,
)
from src.xlsx import looks_like_formula, workbook_bytes

FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: the cells to fill (the header says so too)
LOCKED_FILL = PatternFill("solid", fgColor="F3F2F1")
HEADER_FILL = PatternFill("solid", fgColor="DEEBF7")
THIN = Side(style="thin", color="7F7F7F")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
DATE_FORMAT = "dd mmm yyyy"
# Excel serials for the date-only validation: 1 Jan 2000 to 31 Dec 2099.
FIRST_DATE_SERIAL, LAST_DATE_SERIAL = 36526, 73050


def _put(cell, value) -> None:
    """Set a value; text Excel could take as a formula is stored as text, shown as typed."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        cell.value = None
        return
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    elif hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def _validations(ws, columns: list[Column], last_row: int) -> None:
    def add(dv: DataValidation, key: str) -> None:
        letter = column_letter([c.key for c in columns].index(key))
        dv.add(f"{letter}{FIRST_ROW}:{letter}{last_row}")
        ws.add_data_validation(dv)

    keys = {c.key: c for c in columns}
    status = DataValidation(type="list", formula1='"' + ",".join(STATUS_CHOICES) + '"', allow_blank=True, showErrorMessage=True)
    status.error, status.errorTitle = "Choose a status from the list.", "Status"
    add(status, "status")
    if "reported_rag" in keys:
        rag = DataValidation(type="list", formula1='"' + ",".join(RAG_CHOICES) + '"', allow_blank=True, showErrorMessage=True)
        rag.error, rag.errorTitle = "Choose Red, Amber, Green or Blue (Blue means complete).", "RAG"
        add(rag, "reported_rag")
    if "percent_complete" in keys:
        pct = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True, showErrorMessage=True)
        pct.error, pct.errorTitle = "Enter a number from 0 to 100.", "% complete"
        add(pct, "percent_complete")
    for key in ("forecast_finish", "actual_finish"):
        if key in keys:
            when = DataValidation(
                type="date",
                operator="between",
                formula1=str(FIRST_DATE_SERIAL),
                formula2=str(LAST_DATE_SERIAL),
                allow_blank=True,
                showErrorMessage=True,
            )
            when.error, when.errorTitle = "Enter a date, for example 31/03/2017.", "Date"
            add(when, key)


def _table_sheet(wb: Workbook, title: str, heading: str, columns: list[Column], rows: pd.DataFrame) -> None:
    ws = wb.create_sheet(title)
    ws["A1"] = heading
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = (
        "Fill in the yellow columns on the right (headed 'now' or 'this month'); the other columns are the plan and last month, for reference."
    )
    ws["A2"].font = Font(italic=True)
    for i, column in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = FILL if column.fill else HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = BOX
        ws.column_dimensions[column_letter(i - 1)].width = column.width
    for r, record in enumerate(rows.to_dict("records"), start=FIRST_ROW):
        for i, column in enumerate(columns, start=1):
            cell = ws.cell(row=r, column=i)
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.fill:
                cell.protection = Protection(locked=False)
                cell.fill = FILL
            else:
                _put(cell, record.get(column.key))
                cell.fill = LOCKED_FILL
            if column.kind == "date":
                cell.number_format = DATE_FORMAT
    last_row = max(FIRST_ROW, FIRST_ROW + len(rows) - 1)
    _validations(ws, columns, last_row)
    ws.freeze_panes = f"B{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"  # printed: landscape, one page wide, headings on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    # Protected: only the unlocked (yellow) cells take input. No password; columns and rows may be resized.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def _instructions(wb: Workbook, spec: ReturnSpec) -> None:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    when = format_date(spec.as_at)
    lines = [
        (f"Improvement plan update for {when}", True),
        (f"For: {spec.group}", True),
        (f"Plan: {spec.plan_title or spec.organisation or 'improvement plan'}", False),
        ("", False),
        ("What to do", True),
        (
            f"1. Open the sheet '{TASK_SHEET}'"
            + (f" (and '{LSCB_SHEET}')" if not spec.lscb.empty else "")
            + ": one row per open item you lead.",
            False,
        ),
        ("2. For every row, fill in the yellow cells with the position now:", False),
        (
            "   Status now: choose Not started, In progress, Complete, On hold or Cancelled from the list (required for each row you answer).",
            False,
        ),
        ("   % complete now: a number from 0 to 100.", False),
        ("   Forecast finish now: the date you now expect it to finish (a date, for example 31/03/2017). Leave blank if unchanged.", False),
        ("   Actual finish: the date it was completed, if it is complete.", False),
        ("   RAG now: Red, Amber, Green, or Blue for complete.", False),
        ("   Commentary this month: what was done, what is next, any risk or help needed.", False),
        ("3. Last month's status, forecast, % complete, RAG and commentary are shown beside each row for reference.", False),
        ("4. Do not add, delete or move rows. If a task is no longer yours, say so in the commentary.", False),
        ("5. Save the file and send it back as it is (any file name is fine).", False),
        ("", False),
        ("The sheets are protected so that only the yellow cells can be changed (no password). The return is checked when it", False),
        ("comes back: a value that cannot be used is listed, with its cell, and that row is not merged until corrected.", False),
    ]
    for r, (text, bold) in enumerate(lines, start=1):
        ws.cell(row=r, column=1, value=text).font = Font(bold=bold, size=13 if r == 1 else 11)
    ws.column_dimensions["A"].width = 120
    ws.protection.sheet = True


def return_workbook_bytes(spec: ReturnSpec) -> bytes:
    """One return as .xlsx bytes (deterministic: the same spec gives the same bytes)."""
    wb = Workbook()
    wb.remove(wb.active)
    _instructions(wb, spec)
    when = format_date(spec.as_at)
    _table_sheet(wb, TASK_SHEET, f"Tasks for {spec.group}: position at {when}", TASK_COLUMNS, spec.tasks)
    if not spec.lscb.empty:
        _table_sheet(wb, LSCB_SHEET, f"LSCB actions for {spec.group}: position at {when}", LSCB_COLUMNS, spec.lscb)
    meta = wb.create_sheet(META_SHEET)
    meta.append(["key", "value"])
    for key, value in spec.metadata().items():
        meta.append([key, value])
        meta.cell(row=meta.max_row, column=2).data_type = "s"
    meta.sheet_state = "veryHidden"
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)  # sheets cannot be added, deleted or unhidden
    wb.properties.title = f"Improvement plan update - {spec.group} - {when}"
    return workbook_bytes(wb)


def build_returns(plan: PlanData, as_at: pd.Timestamp, by: str = "lead") -> list[tuple[str, bytes]]:
    """(file name, bytes) for every return to send for D."""
    return [(spec.file_name, return_workbook_bytes(spec)) for spec in plan_returns(plan, as_at, by)]


def returns_zip(returns: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in returns:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, data)
    return out.getvalue()


# ---- the merged plan -------------------------------------------------------------------------------


def _last_used_row(ws) -> int:
    for row in range(ws.max_row, 0, -1):
        if any(cell.value not in (None, "") for cell in ws[row]):
            return row
    return 0


def _column_indexes(ws, layout, wanted: list[str]) -> dict[str, int]:
    """1-based column of each wanted contract column; absent ones get a new header at the right."""
    columns = {name: index + 1 for name, index in (layout.columns.items() if layout else [])}
    header_row = layout.header_row if layout else 1
    next_column = max([ws.max_column if layout else 0, *columns.values()]) + 1
    for name in wanted:
        if name not in columns:
            ws.cell(row=header_row, column=next_column, value=name).font = Font(bold=True)
            columns[name] = next_column
            next_column += 1
    return columns


def merged_plan_bytes(original: bytes, plan: PlanData, check: ReturnsCheck) -> bytes:
    """The original plan workbook with the checked returns added: one Updates row per merged task
    (`updated_by` = the lead) and LSCB status/commentary written in place. Other sheets are kept."""
    wb = load_workbook(io.BytesIO(original), rich_text=True)
    if not check.updates.empty:
        layout = sheet_layout(original, plan, "Updates")
        if layout is None:
            ws = wb.create_sheet("Updates")
        else:
            ws = wb[layout.sheet]
        columns = _column_indexes(ws, layout, UPDATE_COLUMNS)
        row = max(_last_used_row(ws), layout.header_row if layout else 1) + 1
        for record in check.updates[UPDATE_COLUMNS].to_dict("records"):
            for name in UPDATE_COLUMNS:
                cell = ws.cell(row=row, column=columns[name])
                _put(cell, record[name])
                if name in ("as_at", "forecast_finish", "actual_finish") and cell.value is not None:
                    cell.number_format = DATE_FORMAT
            row += 1
    if not check.lscb.empty:
        layout = sheet_layout(original, plan, "LSCB_Actions")
        ws = wb[layout.sheet]
        columns = _column_indexes(ws, layout, ["status", "commentary"])
        rows = dict(zip(plan.lscb_actions["action_id"].astype(str), plan.lscb_actions["excel_row"]))
        for change in check.lscb.to_dict("records"):
            excel_row = int(rows[change["action_id"]])
            _put(ws.cell(row=excel_row, column=columns["status"]), change["status"])
            if change["commentary"]:
                _put(ws.cell(row=excel_row, column=columns["commentary"]), change["commentary"])
    data = workbook_bytes(wb)
    _check_merged(data, plan, check)
    return data


class MergeNotShown(Exception):
    """The merged workbook, loaded again, would not show the merged updates: nothing is offered or written."""


def _check_merged(data: bytes, plan: PlanData, check: ReturnsCheck) -> None:
    """Load the merged workbook as the dashboard will and make sure every merged update is there. A plan kept
    in a council's own layout (a tracker whose progress is a status column) may be read without the Updates
    sheet the merge writes; better to say so than to hand back a plan that silently lost the month."""
    merged = load_plan(data, plan.workbook)
    at_date = merged.updates[pd.to_datetime(merged.updates["as_at"]) == check.as_at]
    shown = set(at_date["task_id"].astype(str))
    missing = [t for t in check.updates["task_id"] if t not in shown]
    statuses = dict(zip(merged.lscb_actions["action_id"].astype(str), merged.lscb_actions["status"].astype("object")))
    missing += [f"LSCB {a}" for a, s in zip(check.lscb["action_id"], check.lscb["status"]) if str(statuses.get(a)) != s]
    if missing:
        raise MergeNotShown(
            f"The merged plan would not show {len(missing)} of the {len(check.updates) + len(check.lscb)} updates "
            f"(first: {missing[0]}) when loaded, so nothing was built. This plan keeps its progress in its own layout, "
            "which the merge cannot write to yet: copy these updates in by hand from the preview, or keep the plan in the "
            "template's layout (a Tasks and an Updates sheet)."
        )


def merged_file_name(plan_name: str, as_at: pd.Timestamp) -> str:
    """`improvement_plan - with returns 31 Mar 2017.xlsx` (always a different name from the input)."""
    stem = Path(plan_name).stem
    return f"{stem} - with returns {format_date(as_at)}.xlsx"

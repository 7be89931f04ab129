"""The Excel export: every computed table on its own sheet, for officers who want to filter and sort.

Built with the shared deterministic writer (`src.xlsx.build_workbook` / `workbook_bytes`), so text
that looks like a formula (`=`, `+`, `-`, `@`) is stored as text with Excel's quote prefix and never
runs, and the same inputs give the same bytes. Styling here only changes formats, never values:
RAG cells are filled in their colour AND keep the word; header row frozen and bold; autofilter on;
rates shown as percentages; dates as `dd mmm yyyy`; long text wrapped in capped column widths.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from src.analysis.exceptions import DEFAULT_DUE_WITHIN_DAYS, exception_summary
from src.analysis.governance_log import absent_log_text, decisions_log, has_issues_log, issues_at
from src.analysis.headline import Unit, figures
from src.analysis.lscb import lscb_status
from src.analysis.risks import risk_register
from src.charts.palette import RAG_STYLES
from src.xlsx import build_workbook, workbook_bytes

from . import content

RAG_HEADERS = {"RAG", "Roll-up RAG", "Reported RAG", "KPI RAG", "Worst RAG of tasks held up"}
PERCENT_HEADERS = {"Completion rate", "Planned completion rate", "Share over threshold", "Agency rate", "Vacancy rate"}
UNIT_FORMATS = {Unit.SHARE: "0%", Unit.PERCENT: "0.0"}  # Summary rows by the figure's unit; the rest as Excel shows numbers
WRAP_MIN_CHARS = 40
MAX_WIDTH = 60
HEADER_FILL = PatternFill("solid", fgColor="DEE0E2")
_RAG_FILLS = {
    str(rag): (PatternFill("solid", fgColor=style.colour.lstrip("#")), Font(color=style.text_colour.lstrip("#")))
    for rag, style in RAG_STYLES.items()
}


def _summary_frame(view, ex: pd.DataFrame, performance=None) -> tuple[pd.DataFrame, dict[int, str]]:
    """The registry's headline figures in order (`headline.figures`, detail figures included), each value in its
    unit with the whole it is out of and the unit's name, then the exception counts; and the number format of each row that needs one."""
    if performance is not None:
        view = replace(view, extra_findings=view.extra_findings + tuple(performance.findings))
    shown = figures(view)
    rows: list[tuple[str, object, object, str]] = [(f.headline.label, f.value, f.of, str(f.headline.unit)) for f in shown]
    rows += [(f"Exceptions: {kind}", count, None, "count") for kind, count in exception_summary(ex).items()]
    formats = {i: UNIT_FORMATS[f.headline.unit] for i, f in enumerate(shown) if f.headline.unit in UNIT_FORMATS}
    return pd.DataFrame(rows, columns=["Measure", "Value", "Out of", "Unit"]), formats


def _issues_sheet(view) -> pd.DataFrame:
    """The issues log at D (open first, oldest first); a one-cell note where the plan keeps no Issues sheet."""
    if not has_issues_log(view.plan):
        return pd.DataFrame({"Note": [absent_log_text(view.plan)["issues"]]})
    issues = issues_at(view)
    return issues.assign(**{"Task IDs": issues["Task IDs"].map(lambda ids: ", ".join(ids))})


def export_sheets(view, performance=None, due_within_days: int = DEFAULT_DUE_WITHIN_DAYS) -> tuple[dict[str, pd.DataFrame], dict[int, str]]:
    """The export's sheets in order (name -> frame), and the number format of each Summary row that needs one."""
    ex = content.view_exceptions(view, due_within_days)
    summary, rate_rows = _summary_frame(view, ex, performance)
    lscb = lscb_status(view.plan, view.as_at).rename(
        columns={
            "action_id": "Action",
            "action": "Action text",
            "lead": "Lead",
            "timescale_as_written": "Timescale as written",
            "due": "Due",
            "status": "Status",
            "timeliness": "Timeliness",
            "commentary": "Commentary",
        }
    )
    risks = risk_register(view.plan).rename(
        columns={
            "risk_id": "Risk",
            "risk": "Risk description",
            "rating": "Rating",
            "response": "Response",
            "mitigation": "Mitigation",
            "owner": "Owner",
            "likelihood": "Likelihood (1-5)",
            "impact": "Impact (1-5)",
            "score": "Score (likelihood x impact)",
        }
    )
    sheets = {
        "About": pd.DataFrame(content.about_rows(view, performance, due_within_days), columns=["Item", "Value"]),
        "Summary": summary,
        "Tasks": content.task_frame(view),
        "Roll-up by theme": content.theme_rollup(view),
        "Roll-up by milestone": content.milestone_rollup(view),
        "Roll-up by lead": content.lead_rollup(view),
        "Coverage": content.coverage_frame(view),
        "Exceptions": content.exception_frame(ex),
        "LSCB actions": lscb,
        "Risks": risks,
        "Issues": _issues_sheet(view),
        "Decisions": decisions_log(view),
        "Trend": content.trend_frame(view),
    }
    if performance is not None:
        _, caseload = content.caseload_team_frame(performance, view.as_at if view.plan.reporting_dates else None)
        if not caseload.empty:
            sheets["Caseload by team"] = caseload
        kpis = content.kpi_frame(performance, view.as_at)
        if not kpis.empty:
            sheets["KPIs"] = kpis
    return sheets, rate_rows


def _style_sheet(ws, frame: pd.DataFrame) -> None:
    n_rows = len(frame) + 1
    ws.freeze_panes = "A2"
    if len(frame.columns):
        ws.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{n_rows}"
    for cell in ws[1]:
        cell.fill = HEADER_FILL
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        cells = ws[letter][1:n_rows]
        longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(500) if not content.is_blank(v)])
        if column in RAG_HEADERS:
            for cell in cells:
                style = _RAG_FILLS.get(str(cell.value))
                if style:
                    cell.fill, cell.font = style
        if column in PERCENT_HEADERS:
            for cell in cells:
                cell.number_format = "0%"
        if longest > WRAP_MIN_CHARS and pd.api.types.is_object_dtype(frame[column]):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = min(max(10, min(longest, MAX_WIDTH) + 2), MAX_WIDTH + 2)


def export_workbook(view, performance=None, due_within_days: int = DEFAULT_DUE_WITHIN_DAYS) -> bytes:
    """Every computed table at the view's reporting date as .xlsx bytes (same inputs, same bytes)."""
    sheets, rate_rows = export_sheets(view, performance, due_within_days)
    wb = build_workbook(sheets)
    for name, frame in sheets.items():
        _style_sheet(wb[name], frame)
    summary = wb["Summary"]
    for row, number_format in rate_rows.items():
        summary.cell(row=row + 2, column=2).number_format = number_format
    about = wb["About"]
    about.column_dimensions["A"].width = 45
    about.column_dimensions["B"].width = 100
    wb.active = 0
    return workbook_bytes(wb)

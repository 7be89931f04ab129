"""Exports: the Excel workbook of every computed table and the councillor's PDF briefing pack.

Plain pandas + openpyxl + reportlab (+ plotly/kaleido for chart images). No streamlit here: the
dashboard's download buttons and the CLI call these functions with a `summary.PlanView`.
"""

from .excel import export_workbook

__all__ = ["export_workbook", "briefing_pdf"]


def briefing_pdf(*args, **kwargs):  # reportlab is imported only when a PDF is asked for
    from .briefing import briefing_pdf as build

    return build(*args, **kwargs)

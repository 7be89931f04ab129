"""Exports: the Excel workbook of every computed table, the Portfolio Holder brief, the full pack and the QIB deck.

Plain pandas + openpyxl (Excel), WeasyPrint (tagged PDF), python-docx (Word), python-pptx (PowerPoint),
plus plotly/kaleido for chart images. No streamlit here: the dashboard's download buttons and the CLI
call these functions with a `plan_view.PlanView`. Every document is built from one content model
(`brief_model`), so the documents never disagree.
"""

from .excel import export_workbook

__all__ = ["export_workbook", "briefing_pdf", "build_document"]


def briefing_pdf(*args, **kwargs):  # WeasyPrint is imported only when a document is asked for
    from .briefing import briefing_pdf as build

    return build(*args, **kwargs)


def build_document(*args, **kwargs):
    from .briefing import build_document as build

    return build(*args, **kwargs)

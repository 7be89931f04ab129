"""Tests of src/analysis/performance_workbook.py's data-status rules (the reader itself is pinned by the
loader, hostile-input and published-data tests)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from src.analysis.performance_workbook import read_performance_file
from src.analysis.workbook_paths import DEFAULT_PERFORMANCE


@pytest.fixture(scope="module")
def embedded():
    return read_performance_file(DEFAULT_PERFORMANCE)


class TestGeneratedWorkforceSheets:
    """Which of Caseloads and Workforce are present and marked illustrative: the page notice and the Caseloads page."""

    def test_the_embedded_workbook_marks_both_generated(self, embedded):
        # its About sheet lists Caseloads and Workforce under illustrative_sheets; KPI_Values is published
        assert embedded.sheet_status("KPI_Values") == "published"
        assert embedded.generated_workforce_sheets() == ["Caseloads", "Workforce"]

    def test_a_missing_sheet_is_not_listed(self, embedded):
        assert replace(embedded, workforce=None).generated_workforce_sheets() == ["Caseloads"]
        assert replace(embedded, caseloads=None, workforce=None).generated_workforce_sheets() == []

    def test_published_sheets_are_not_listed(self, embedded):
        about = {"data_status": "published", "published_sheets": "Caseloads, Workforce"}
        assert replace(embedded, about=about).generated_workforce_sheets() == []
        # unmarked sheets follow the workbook's overall status
        assert replace(embedded, about={"data_status": "Illustrative"}).generated_workforce_sheets() == ["Caseloads", "Workforce"]
        assert replace(embedded, about={}).generated_workforce_sheets() == []

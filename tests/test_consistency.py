"""One number, one meaning (issue 14): each headline figure is the same on the overview, the RAG page,
Explore, Exceptions, the CLI's JSON summary, the Excel export and the Portfolio Holder brief (PDF and Word),
at two reporting dates.

Expectations are hand-checked against the embedded Durham plan (34 tasks, 1 of them cancelled):
at 31 Mar 2017 17 of 33 complete, Red 2, Amber 5, Green 9, Blue 17, 8 slipped; at 31 Dec 2017 32 of 33
complete, Red 0, Amber 1, Green 0, Blue 32, 14 slipped. 10 of the 14 recommendations have coverage
findings with the performance workbook's KPIs loaded (2 no task, 3 themes and tasks that do not match,
5 only no measure of impact). Open tasks past their planned finish ("overdue"): counted from the table.
"""

from __future__ import annotations

import io
import json
import re
from contextlib import redirect_stdout
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from src.analysis.explore import Grouping
from src.analysis.performance_workbook import read_performance_file
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import TaskStatus
from src.analysis.workbook_paths import DEFAULT_PERFORMANCE, DEFAULT_PLAN, read_plan_file
from src.cli import main as cli_main
from src.export.excel import export_workbook
from tests.apptest_helpers import run_page, use_embedded_workbooks  # noqa: F401 (an autouse fixture)

ROOT = Path(__file__).resolve().parents[1]
PAGE = lambda name: str(ROOT / "pages" / name)  # noqa: E731

EXPECTED = {
    "2017-03-31": {
        "in_scope": 33,
        "complete": 17,
        "cancelled": 1,
        "Red": 2,
        "Amber": 5,
        "Green": 9,
        "Blue": 17,
        "slipped": 8,
        "flagged": 10,
    },
    "2017-12-31": {
        "in_scope": 33,
        "complete": 32,
        "cancelled": 1,
        "Red": 0,
        "Amber": 1,
        "Green": 0,
        "Blue": 32,
        "slipped": 14,
        "flagged": 10,
    },
}
DATES = list(EXPECTED)


@pytest.fixture(scope="module")
def views():
    plan, performance = read_plan_file(DEFAULT_PLAN), read_performance_file(DEFAULT_PERFORMANCE)
    return {d: (PlanView.build(plan, d, 30, performance.kpis), performance) for d in DATES}


def overdue(view) -> int:
    """Open tasks whose planned finish is before D (the oldest of them is the overview's second question)."""
    t = view.tasks
    is_open = ~t["status"].isin([TaskStatus.COMPLETE, TaskStatus.CANCELLED])
    return int((is_open & t["planned_finish"].notna() & (t["planned_finish"] < view.as_at)).sum())


@pytest.mark.parametrize("as_at", DATES)
def test_overview_tiles(as_at):
    want = EXPECTED[as_at]
    at = run_page(PAGE("1_overview.py"), 30, as_at=as_at)
    assert not at.exception
    tiles = {m.label: m for m in at.metric}
    assert tiles["Tasks complete"].value == f"{want['complete']} of {want['in_scope']}"
    assert any(c.value == f"{want['in_scope']} tasks in scope, {want['cancelled']} cancelled not counted" for c in at.caption)
    assert tiles["Slipped tasks"].value == str(want["slipped"])
    for rag, label in (("Red", "Red: off track"), ("Amber", "Amber: at risk"), ("Green", "Green: on track"), ("Blue", "Blue: complete")):
        assert tiles[label].value == str(want[rag]), rag
    assert tiles["Cancelled (not counted)"].value == str(want["cancelled"])
    assert tiles["Recommendations with coverage findings"].value == f"{want['flagged']} of 14"


@pytest.mark.parametrize("as_at", DATES)
def test_rag_page_task_table(as_at):
    want = EXPECTED[as_at]
    at = run_page(PAGE("3_rag.py"), 30, as_at=as_at)
    assert not at.exception
    table = at.dataframe[0].value  # the task table comes first (AppTest does not expose dataframe keys)
    assert len(table) == want["in_scope"] + want["cancelled"]
    counts = table["RAG"].astype(str).value_counts()
    assert {r: int(counts.get(r, 0)) for r in ("Red", "Amber", "Green", "Blue", "Cancelled")} == {
        r: want[r] for r in ("Red", "Amber", "Green", "Blue")
    } | {"Cancelled": want["cancelled"]}
    theme_rows = next(d.value for d in at.dataframe if d.value.columns[0] == "Theme" and d.value.columns[1] == "Progress")
    assert int(theme_rows["Tasks in scope"].sum()) == want["in_scope"]
    assert int(theme_rows["Complete"].sum()) == want["complete"]


@pytest.mark.parametrize("as_at", DATES)
def test_explore_by_rag_and_its_caption(as_at):
    want = EXPECTED[as_at]
    at = run_page(PAGE("5_explore.py"), 30, as_at=as_at)
    at.selectbox(key="explore_grouping").set_value(Grouping.RAG).run()
    assert not at.exception
    data = at.dataframe[0].value  # the data behind the chart: group, then the count per RAG
    shown = dict(zip(data.iloc[:, 0].astype(str), data.iloc[:, 1].astype(int)))
    assert {r: shown.get(r, 0) for r in ("Red", "Amber", "Green", "Blue")} == {r: want[r] for r in ("Red", "Amber", "Green", "Blue")}
    assert any(f"{want['in_scope']} tasks in scope, {want['cancelled']} cancelled not counted" in c.value for c in at.caption)


@pytest.mark.parametrize("as_at", DATES)
def test_exceptions_red_and_amber(as_at):
    want = EXPECTED[as_at]
    at = run_page(PAGE("9_exceptions.py"), 30, as_at=as_at)
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Red"] == str(want["Red"]) and tiles["Amber"] == str(want["Amber"])


@pytest.mark.parametrize("as_at", DATES)
def test_cli_json(as_at, views):
    want = EXPECTED[as_at]
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli_main(["summary", "--json", "--as-at", as_at]) == 0
    summary = json.loads(out.getvalue())
    assert summary["completion"]["in_scope"] == want["in_scope"] and summary["completion"]["complete"] == want["complete"]
    assert summary["rag"] == {"Red": want["Red"], "Amber": want["Amber"], "Green": want["Green"], "Blue": want["Blue"], "Cancelled": 1}
    assert summary["slippage"]["slipped"] == want["slipped"]
    assert sum(1 for r in summary["recommendations"] if r["findings"]) == want["flagged"]
    view, _ = views[as_at]
    assert overdue(view) == sum(
        1
        for t in summary["tasks"]
        if t.get("status") not in ("Complete", "Cancelled") and t.get("planned_finish") and t["planned_finish"] < as_at
    )


@pytest.mark.parametrize("as_at", DATES)
def test_excel_summary_sheet(as_at, views):
    want = EXPECTED[as_at]
    view, performance = views[as_at]
    book = openpyxl.load_workbook(io.BytesIO(export_workbook(view, performance)), read_only=True)
    sheet = book["Summary"]
    rows = {str(r[0]): r[1] for r in sheet.iter_rows(values_only=True) if r and r[0] is not None}
    assert rows["Tasks (all, cancelled included)"] == want["in_scope"] + want["cancelled"]
    assert rows["Tasks in scope (not cancelled)"] == want["in_scope"]
    assert rows["Tasks complete"] == want["complete"]
    for rag, label in (("Red", "Red: off track"), ("Amber", "Amber: at risk"), ("Green", "Green: on track"), ("Blue", "Blue: complete")):
        assert rows[label] == want[rag], rag  # the registry's one label for each figure, as on the overview
    assert rows["Slipped tasks"] == want["slipped"]
    assert rows["Exceptions: Red"] == want["Red"] and rows["Exceptions: Amber"] == want["Amber"]


def test_the_two_dates_really_differ():
    assert EXPECTED["2017-03-31"]["complete"] != EXPECTED["2017-12-31"]["complete"]
    assert pd.Timestamp(DATES[0]) < pd.Timestamp(DATES[1])


# ---- on paper: the Portfolio Holder brief (PDF and Word) says what the overview says ----------------------------
# The brief's headline figures read back the way its readers' software reads them (pypdf, python-docx): the
# headline sentence ("17 of 33 tasks are complete"), the RAG counts table (Cancelled included), the scope line
# under it ("33 tasks in scope, 1 cancelled not counted") and the slipped sentence; compared with the overview's
# tiles at the same date and with the hand-checked EXPECTED figures.

BRIEF_FIGURES = {
    "complete": re.compile(r"(\d+) of \d+ tasks are complete"),
    "in_scope": re.compile(r"\d+ of (\d+) tasks are complete"),
    "scope_line": re.compile(r"(\d+) tasks? in scope, (\d+) cancelled not counted\."),
    "Red": re.compile(r"Red \(off track\) (\d+)\b"),
    "Amber": re.compile(r"Amber \(at risk\) (\d+)\b"),
    "Green": re.compile(r"Green \(on track\) (\d+)\b"),
    "Blue": re.compile(r"Blue \(complete\) (\d+)\b"),
    "cancelled": re.compile(r"Cancelled \([^)]*\) (\d+)\b"),
    "slipped": re.compile(r"(\d+) tasks? finished or (?:is|are) forecast to finish later than planned"),
}


def brief_figures(text: str) -> dict[str, int]:
    """The headline figures printed in a brief's text (one line of words, as read back)."""
    found = {}
    for key, pattern in BRIEF_FIGURES.items():
        match = pattern.search(text)
        assert match, f"{key} not found in the brief"
        if key == "scope_line":
            found["scope_in_scope"], found["scope_cancelled"] = int(match.group(1)), int(match.group(2))
        else:
            found[key] = int(match.group(1))
    return found


@pytest.fixture(scope="module")
def no_chart_images():
    """Charts are not what is compared: a blank image keeps Chromium out of this test."""
    from src.export import images

    def blank(figure, width_px, height_px, scale=2.0, timeout_s=None):
        return None, "not drawn in this test"

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(images, "chart_png", blank)
        yield


@pytest.fixture(scope="module")
def brief_texts(views, no_chart_images):
    """{date: {"pdf": text, "docx": text}} of the Portfolio Holder brief at each date."""
    from docx import Document as read_docx
    from pypdf import PdfReader

    from src.export.briefing import build_document

    out = {}
    for as_at, (view, performance) in views.items():
        pdf = PdfReader(io.BytesIO(build_document(view, performance, "brief", "pdf")))
        word = read_docx(io.BytesIO(build_document(view, performance, "brief", "docx")))
        cells = [" ".join(c.text for c in row.cells) for table in word.tables for row in table.rows]
        out[as_at] = {
            "pdf": " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages),
            "docx": " ".join(" ".join(t.split()) for t in [p.text for p in word.paragraphs] + cells),
        }
    return out


_OVERVIEW: dict[str, tuple[dict[str, str], list[str]]] = {}


def overview_shown(as_at: str) -> tuple[dict[str, str], list[str]]:
    """The overview's tiles (label -> value) and captions at `as_at`, run once per date."""
    if as_at not in _OVERVIEW:
        at = run_page(PAGE("1_overview.py"), 30, as_at=as_at)
        assert not at.exception
        _OVERVIEW[as_at] = ({m.label: m.value for m in at.metric}, [c.value for c in at.caption])
    return _OVERVIEW[as_at]


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("as_at", DATES)
def test_brief_on_paper_says_what_the_overview_says(as_at, fmt, brief_texts):
    want = EXPECTED[as_at]
    shown = brief_figures(brief_texts[as_at][fmt])
    assert shown == {
        "complete": want["complete"],
        "in_scope": want["in_scope"],
        "scope_in_scope": want["in_scope"],
        "scope_cancelled": want["cancelled"],
        "Red": want["Red"],
        "Amber": want["Amber"],
        "Green": want["Green"],
        "Blue": want["Blue"],
        "cancelled": want["cancelled"],
        "slipped": want["slipped"],
    }
    tiles, captions = overview_shown(as_at)
    assert tiles["Tasks complete"] == f"{shown['complete']} of {shown['in_scope']}"
    assert f"{shown['scope_in_scope']} tasks in scope, {shown['scope_cancelled']} cancelled not counted" in captions
    assert tiles["Slipped tasks"] == str(shown["slipped"])
    assert tiles["Cancelled (not counted)"] == str(shown["cancelled"])
    for rag, label in (("Red", "Red: off track"), ("Amber", "Amber: at risk"), ("Green", "Green: on track"), ("Blue", "Blue: complete")):
        assert tiles[label] == str(shown[rag]), rag

"""The Excel export and the PDF briefing pack, read back the way a reader (or Excel) would."""

import io

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from src import cli
from src.analysis.exceptions import exceptions
from src.analysis.performance_workbook import read_performance_file
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import load_plan
from src.analysis.summary_json import plan_summary
from src.analysis.workbook_paths import DEFAULT_PERFORMANCE, DEFAULT_PLAN, read_plan_file
from src.export import images
from src.export.briefing import briefing_pdf
from src.export.excel import export_workbook
from tests.builders import other_council_plan_bytes, plan_bytes, task, update

# The full pack (every table) flows section after section, so no table leaves a near-empty page: on the
# embedded data at 31 Dec 2017 it is 11-12 A4 pages; allow a few either way for font metrics, not a runaway.
MIN_PAGES_WITH_PERFORMANCE, MAX_PAGES = 8, 16


@pytest.fixture(scope="module")
def embedded():
    plan, perf = read_plan_file(DEFAULT_PLAN), read_performance_file(DEFAULT_PERFORMANCE)
    return plan, perf, PlanView.build(plan, None, 30, perf.kpis)


@pytest.fixture(scope="module")
def pack(embedded):
    _, perf, view = embedded
    return PdfReader(io.BytesIO(briefing_pdf(view, perf)))


def page_texts(reader):
    return [page.extract_text() or "" for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


class TestBriefingPdf:
    def test_first_page_names_organisation_plan_date_and_data_status(self, pack):
        cover = flat(page_texts(pack)[0])
        assert "Durham County Council" in cover
        assert "Position at 31 Dec 2017" in cover
        assert "Illustrative progress" in cover and "Published figures" in cover

    def test_every_exception_item_is_listed_by_its_words(self, embedded, pack):
        _, _, view = embedded
        text = flat("\n".join(page_texts(pack)))
        ex = exceptions(view)
        assert len(ex)  # the embedded data has items (1 Amber, 9 LSCB actions overdue)
        missing = [row.task for row in ex.itertuples() if flat(str(row.task))[:40] not in text]
        assert missing == []

    def test_page_count_and_footer(self, pack):
        texts = page_texts(pack)
        n = len(texts)
        assert MIN_PAGES_WITH_PERFORMANCE <= n <= MAX_PAGES
        assert "Page 1 of" in texts[0]
        assert f"Page {n} of {n}" in texts[-1]

    def test_no_near_empty_page(self, pack):
        texts = page_texts(pack)
        short = [i + 1 for i, t in enumerate(texts[:-1]) if len(flat(t)) < 600]  # the last page may be short
        assert short == []

    def test_no_raw_missing_values_iso_dates_file_paths_or_dash_rows(self, pack):
        text = flat("\n".join(page_texts(pack)))
        for bad in ("nan", "None", "NaT", "rag_rule", "2017-12-31"):
            assert f" {bad} " not in f" {text} "
        assert "(file:" not in text and ".csv" not in text and "data-raw/" not in text
        assert "– – –" not in text and " mores" not in text

    def test_tagged_with_title_language_and_build_time(self, pack):
        root = pack.trailer["/Root"]
        assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
        assert root["/Lang"] == "en-GB"
        assert "briefing pack at 31 Dec 2017" in pack.metadata.title
        created = pack.metadata.creation_date
        assert created is not None and abs((pd.Timestamp.now(tz="UTC") - pd.Timestamp(created)).total_seconds()) < 3600

    def test_a_different_reporting_date_names_its_red_tasks_by_their_words(self, embedded):
        plan, perf, _ = embedded
        view = PlanView.build(plan, pd.Timestamp("2017-03-31"), 30, perf.kpis)
        texts = page_texts(PdfReader(io.BytesIO(briefing_pdf(view, perf))))
        assert "31 Mar 2017" in texts[0]
        reds = view.tasks.loc[view.tasks["rag"].astype(str) == "Red", "task"]
        text = flat("\n".join(texts))
        assert len(reds) == 2 and all(flat(t)[:40] in text for t in reds)

    def test_builds_without_chromium_with_a_note_per_chart(self, embedded, monkeypatch):
        plan, perf, view = embedded
        monkeypatch.setattr(images, "browser_path", lambda: None)
        reader = PdfReader(io.BytesIO(briefing_pdf(view, perf)))
        text = flat(" ".join(page_texts(reader)))
        assert text.count("Chart not drawn: no Chromium browser") == 3  # theme RAG, completion trend, caseload
        assert MIN_PAGES_WITH_PERFORMANCE <= len(reader.pages) <= MAX_PAGES

    def test_another_councils_plan_without_performance(self):
        plan = load_plan(other_council_plan_bytes(), "anytown.xlsx")
        reader = PdfReader(io.BytesIO(briefing_pdf(PlanView.build(plan, None, 30))))
        texts = page_texts(reader)
        assert "31 Oct 2023" in texts[0] and len(texts) >= 2


class TestExcelExport:
    def test_round_trip_has_the_summary_figures(self, embedded):
        _, perf, view = embedded
        summary = plan_summary(view)
        sheets = pd.read_excel(io.BytesIO(export_workbook(view, perf)), sheet_name=None, engine="calamine")
        tasks = sheets["Tasks"]
        assert len(tasks) == len(summary["tasks"])
        counts = tasks["RAG"].value_counts()
        assert {k: int(counts.get(k, 0)) for k in summary["rag"]} == summary["rag"]
        measures = dict(zip(sheets["Summary"]["Measure"], sheets["Summary"]["Value"]))
        assert measures["Tasks complete"] == summary["completion"]["complete"]
        assert measures["Tasks in scope (not cancelled)"] == summary["completion"]["in_scope"]
        assert measures["Completion rate"] == pytest.approx(summary["completion"]["rate"])
        assert measures["Slipped tasks"] == summary["slippage"]["slipped"]
        assert (tasks["Slip (days)"] > 0).sum() >= summary["slippage"]["slipped"]  # + the cancelled task's, if any
        assert {"About", "Coverage", "Exceptions", "Trend", "Caseload by team", "KPIs"} <= set(sheets)

    def test_same_inputs_same_bytes(self, embedded):
        _, perf, view = embedded
        assert export_workbook(view, perf) == export_workbook(view, perf)

    def test_formula_like_commentary_stays_text(self):
        plan = load_plan(
            plan_bytes(
                [task("T1", "Started", "June 17"), task("T2", "Started", "June 17")],
                [
                    update("T1", "2016-12-31", "In progress", commentary='=HYPERLINK("x")'),
                    update("T2", "2016-12-31", "In progress", commentary="-1+1"),
                ],
            ),
            "t.xlsx",
        )
        wb = openpyxl.load_workbook(io.BytesIO(export_workbook(PlanView.build(plan, None, 30))))
        ws = wb["Tasks"]
        column = [c.value for c in ws[1]].index("Latest commentary") + 1
        cells = [ws.cell(row=r, column=column) for r in (2, 3)]
        assert [c.value for c in cells] == ['=HYPERLINK("x")', "-1+1"]
        assert all(c.data_type == "s" for c in cells)

    def test_rag_cells_filled_and_worded_header_frozen_with_filter(self, embedded):
        _, _, view = embedded
        ws = openpyxl.load_workbook(io.BytesIO(export_workbook(view)))["Tasks"]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
        column = [c.value for c in ws[1]].index("RAG") + 1
        cell = ws.cell(row=2, column=column)
        assert cell.value == "Blue" and cell.fill.fgColor.rgb.endswith("5694CA")


class TestCommands:
    def test_briefing_and_export_write_files(self, tmp_path, capsys):
        pdf, xlsx = tmp_path / "pack.pdf", tmp_path / "tables.xlsx"
        assert cli.main(["briefing", "--full", "--out", str(pdf), "--due-within-days", "45"]) == 0
        assert cli.main(["export", "--out", str(xlsx), "--as-at", "2017-03-31"]) == 0
        assert pdf.read_bytes()[:5] == b"%PDF-" and xlsx.read_bytes()[:2] == b"PK"
        out = capsys.readouterr().out
        assert str(pdf) in out and " s (" in out

    def test_unusable_input_exits_2(self, tmp_path, capsys):
        bad = tmp_path / "bad.xlsx"
        bad.write_text("not a workbook")
        assert cli.main(["export", "--out", str(tmp_path / "x.xlsx"), "--plan", str(bad)]) == 2
        assert cli.main(["briefing", "--out", str(tmp_path / "x.txt")]) == 2
        assert cli.main(["briefing", "--out", str(tmp_path / "x.pdf"), "--due-within-days", "-1"]) == 2

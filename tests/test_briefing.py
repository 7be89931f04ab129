"""The Portfolio Holder brief (PDF and Word), the QIB deck (PowerPoint) and the plain-English narrative,
read back the way their readers' software reads them (pypdf, python-docx, python-pptx) and checked
against the one narrative and the analysis functions; plus long text and a missing or hung Chromium.

Charts are drawn as blank PNGs of the real size here (`fake_charts`), so the layout and page counts
are the real ones without starting Chromium for every build; tests/test_export.py draws real charts.
"""

from __future__ import annotations

import io
import re
import threading
import time

import pandas as pd
import pytest
from docx import Document as read_docx
from docx.oxml.ns import qn
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from src import cli
from src.analysis.exceptions import exceptions, previous_reporting_date
from src.analysis.performance_workbook import read_performance_file
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import load_plan
from src.analysis.workbook_paths import DEFAULT_PERFORMANCE, DEFAULT_PLAN, read_plan_file
from src.export import brief_model, images
from src.export.briefing import build_document, file_name
from tests.builders import frame, other_council_plan_bytes, plan_bytes, task, update
from tests.fixtures_other_council import other_council_plan_bytes as northshire_plan_bytes

CODE = re.compile(r"\bP\d+-M\d+-T\d+\b")  # the embedded plan's task codes


def blank_png(figure, width_px, height_px, scale=2.0, timeout_s=None):
    out = io.BytesIO()
    Image.new("RGB", (int(width_px), int(height_px)), "white").save(out, format="PNG")
    return out.getvalue(), None


@pytest.fixture(scope="module", autouse=True)
def fake_charts():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(images, "chart_png", blank_png)
        yield


@pytest.fixture(scope="module")
def embedded():
    plan, perf = read_plan_file(DEFAULT_PLAN), read_performance_file(DEFAULT_PERFORMANCE)
    return plan, perf


def view_at(embedded, as_at=None):
    plan, perf = embedded
    return PlanView.build(plan, as_at, 30, perf.kpis), perf


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(reader: PdfReader) -> list[str]:
    return [flat(p.extract_text() or "") for p in reader.pages]


@pytest.fixture(scope="module")
def march(embedded):
    """The embedded plan at 31 Mar 2017 (2 Red, 5 Amber; a previous date to compare with)."""
    view, perf = view_at(embedded, "2017-03-31")
    inputs = brief_model.gather(view, perf)
    return view, perf, inputs


@pytest.fixture(scope="module")
def brief_pdf(march):
    view, perf, _ = march
    return PdfReader(io.BytesIO(build_document(view, perf, "brief", "pdf")))


# ---- sources on paper --------------------------------------------------------------------------


def test_source_words_drop_file_notes_and_paths():
    source = "DfE, Children in need (table B1) (file: owner/repo data/b1_children_in_need.csv (DfE EES download, commit a2c8))"
    assert brief_model.source_words(source) == "DfE, Children in need (table B1)"
    assert brief_model.source_words("ONS (see data-raw/ons_population.csv)") == "ONS (see)"


# ---- the brief as PDF --------------------------------------------------------------------------


class TestBriefPdf:
    def test_tagged_pdf_with_language_title_and_build_time(self, brief_pdf, march):
        view = march[0]
        root = brief_pdf.trailer["/Root"]
        assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
        assert root["/Lang"] == "en-GB"
        assert brief_pdf.metadata.title == f"{view.plan.title}: Portfolio Holder brief at 31 Mar 2017"
        created = pd.Timestamp(brief_pdf.metadata.creation_date)
        assert abs((pd.Timestamp.now(tz="UTC") - created).total_seconds()) < 3600

    def test_fonts_are_embedded_and_figures_have_alt_text(self, brief_pdf):
        fonts, figures = [], []
        for page in brief_pdf.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                descriptor = (
                    font.get_object().get("/FontDescriptor") or font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                )
                fonts.append(any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")))

        def walk(node):
            node = node.get_object()
            if node.get("/S") == "/Figure":
                figures.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
                if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                    walk(kid)

        walk(brief_pdf.trailer["/Root"]["/StructTreeRoot"])
        assert fonts and all(fonts)
        assert len(figures) == 1 and figures[0].startswith("Horizontal stacked bar chart")

    def test_page_one_is_summary_rag_counts_and_questions(self, brief_pdf, march):
        _, _, inputs = march
        page1 = pdf_text(brief_pdf)[0]
        for sentence in inputs.narrative.summary_sentences():
            assert flat(sentence) in page1
        assert "Headline figures" in page1 and "Change since 28 Feb 2017" in page1
        assert "Red (off track) 2 down 1" in page1
        assert "Questions you may want to ask" in page1
        for question in inputs.narrative.questions:
            assert flat(question)[:60] in page1

    def test_sections_in_order_task_words_not_codes_full_recommendations(self, brief_pdf, march):
        view = march[0]
        text = " ".join(pdf_text(brief_pdf))
        headings = [
            "What slipped and why",
            "What changed since 28 Feb 2017",
            "Recommendations at risk",
            "Key performance figures against England and statistical neighbours",
            "Decisions needed",
        ]
        positions = [text.index(h) for h in headings]
        assert positions == sorted(positions)
        quoted = set(CODE.findall(" ".join(view.tasks["commentary"].dropna())))  # a lead's own words may cite a code
        assert set(CODE.findall(text)) <= quoted
        for rec in brief_model.recommendations_at_risk(view).head(brief_model.BRIEF_RECOMMENDATION_ROWS)["recommendation"]:
            assert flat(rec) in text  # never cut mid-sentence
        reds = view.tasks.loc[view.tasks["rag"].astype(str) == "Red", "task"]
        assert all(flat(t)[:50] in text for t in reds)

    @pytest.mark.parametrize("as_at", read_plan_file(DEFAULT_PLAN).reporting_dates, ids=lambda d: f"{d:%Y-%m-%d}")
    def test_at_most_four_pages_at_every_reporting_date(self, embedded, as_at):
        view, perf = view_at(embedded, as_at)
        reader = PdfReader(io.BytesIO(build_document(view, perf, "brief", "pdf")))
        assert 2 <= len(reader.pages) <= 4

    @pytest.mark.parametrize("workbook", [other_council_plan_bytes, northshire_plan_bytes], ids=["anytown", "northshire"])
    def test_other_councils_at_most_four_pages(self, workbook):
        plan = load_plan(workbook(), "other.xlsx")
        for as_at in plan.reporting_dates or [None]:
            reader = PdfReader(io.BytesIO(build_document(PlanView.build(plan, as_at, 30), None, "brief", "pdf")))
            assert len(reader.pages) <= 4
            assert "Summary" in pdf_text(reader)[0]


# ---- the brief as Word ---------------------------------------------------------------------------


class TestBriefDocx:
    @pytest.fixture(scope="class")
    def docx(self, march):
        view, perf, _ = march
        return read_docx(io.BytesIO(build_document(view, perf, "brief", "docx")))

    def test_headings_title_language(self, docx, march):
        view = march[0]
        headings = [(p.style.name, p.text) for p in docx.paragraphs if p.style.name.startswith("Heading")]
        assert headings[0] == ("Heading 1", "Portfolio Holder brief")
        assert ("Heading 2", "Summary") in headings and ("Heading 2", "Questions you may want to ask") in headings
        assert ("Heading 2", "Decisions needed") in headings
        assert docx.core_properties.title == f"{view.plan.title}: Portfolio Holder brief at 31 Mar 2017"
        assert docx.core_properties.language == "en-GB"
        lang = docx.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
        assert lang.get(qn("w:val")) == "en-GB"

    def test_same_summary_and_questions_as_the_narrative(self, docx, march):
        _, _, inputs = march
        texts = [p.text for p in docx.paragraphs]
        start = texts.index("Summary") + 1
        assert texts[start : start + len(inputs.narrative.summary_sentences())] == inputs.narrative.summary_sentences()
        numbered = [p.text for p in docx.paragraphs if p.style.name == "List Number"]
        assert numbered == inputs.narrative.questions

    def test_header_rows_repeat_and_rag_counts_match(self, docx, march):
        _, _, inputs = march
        assert docx.tables and all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in docx.tables)
        headline = docx.tables[0]  # the headline figures two to a row: (figure, value, change) twice
        half = len(headline.rows[0].cells) // 2
        cells = [(row.cells[i].text, row.cells[i + 1].text) for row in headline.rows[1:] for i in (0, half)]
        counts = {label.split(" ")[0]: int(value) for label, value in cells if label.split(" ")[0] in inputs.narrative.rag_now}
        assert counts == inputs.narrative.rag_now

    def test_every_image_has_alt_text(self, docx):
        shapes = list(docx.inline_shapes)
        assert len(shapes) == 1
        assert all(s._inline.docPr.get("descr", "").startswith("Horizontal stacked bar chart") for s in shapes)


# ---- the QIB deck --------------------------------------------------------------------------------


def slide_text(slide) -> str:
    return flat(" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame))


class TestDeck:
    @pytest.fixture(scope="class")
    def deck(self, march):
        view, perf, _ = march
        return Presentation(io.BytesIO(build_document(view, perf, "deck", "pptx")))

    def test_16_by_9_title_and_summary(self, deck, march):
        view, _, inputs = march
        assert deck.slide_width * 9 == deck.slide_height * 16
        slides = list(deck.slides)
        assert slides[0].shapes.title.text == view.plan.title
        assert "31 Mar 2017" in slide_text(slides[0])
        assert flat(inputs.narrative.headline[0]) in slide_text(slides[1])
        assert deck.core_properties.title.endswith("Quality Improvement Board at 31 Mar 2017")

    def test_one_slide_per_theme_then_one_per_exception(self, deck, march):
        view, _, inputs = march
        titles = [s.shapes.title.text for s in deck.slides]
        themes = [t for t in titles if t.startswith("Theme ")]
        assert len(themes) == len(view.plan.themes)
        ex = exceptions(view).reset_index(drop=True)
        cards = [s for s in deck.slides if "Exception " in slide_text(s) and " of " in slide_text(s)]
        assert len(cards) == min(len(ex), brief_model.DECK_EXCEPTIONS)
        for slide, row in zip(cards, ex.itertuples()):
            text = slide_text(slide)
            assert f"Kind: {row.kind}" in text and flat(row.reason) in text
        last = titles[-3:]
        assert (
            last[0].startswith("Changes since 28 Feb 2017") and last[1] == "Risks and LSCB actions" and last[2] == "Decisions for the board"
        )

    def test_rag_is_word_and_colour_pictures_have_alt_text_notes_carry_detail(self, deck):
        badges = [s for slide in deck.slides for s in slide.shapes if s.name.startswith("RAG ")]
        assert badges and all(
            b.text_frame.text.removeprefix("Worst task: ").split(":")[0] in ("Red", "Amber", "Green", "Blue") for b in badges
        )
        pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
        assert pictures and all(p._element.nvPicPr.cNvPr.get("descr") for p in pictures)
        assert all(slide.has_notes_slide and slide.notes_slide.notes_text_frame.text for slide in deck.slides)

    def test_council_template_layouts_are_used(self, march, tmp_path):
        view, perf, _ = march
        template = Presentation()
        template.slide_width, template.slide_height = 12192000, 6858000  # 16:9 at 13.333 in
        template.slides.add_slide(template.slide_layouts[6])  # a sample slide: left out of the deck
        template.slide_layouts[5].name = "Title Only"
        template.core_properties.title = "Council template"
        out = io.BytesIO()
        template.save(out)
        deck = Presentation(io.BytesIO(build_document(view, perf, "deck", "pptx", template=out.getvalue())))
        assert deck.slide_width == 12192000
        assert {s.slide_layout.name for s in deck.slides} == {"Title Slide", "Title Only"}
        assert deck.slides[0].shapes.title.text == view.plan.title

    def test_bad_template_is_a_message(self, tmp_path, capsys):
        bad = tmp_path / "template.pptx"
        bad.write_bytes(b"not a presentation")
        assert cli.main(["briefing", "--format", "pptx", "--template", str(bad), "--out", str(tmp_path / "d.pptx")]) == 2
        assert "could not be opened as a PowerPoint file" in capsys.readouterr().err


# ---- long text and Chromium -------------------------------------------------------------------------


def long_text_plan():
    lead = "Head of Service " * 320  # 5,120 characters
    mitigation = ("Mitigation step with detail. " * 140)[:4000]
    extra = {
        "Risks": frame(["risk_id", "risk", "rating", "response", "mitigation"], [(1, "Staff leave", "High", "Treat", mitigation)]),
        "LSCB_Actions": frame(["action_id", "action", "lead", "timescale", "status"], [(1, "Review " * 700, lead, "March 2017", "")]),
    }
    tasks = [task("T1", "Jan 17", "February 17", lead=lead, text="Long words " * 500), task("T2", "Jan 17", "June 17")]
    updates = [update("T1", "2017-03-31", "In progress", commentary="Said at length. " * 400)]
    return load_plan(plan_bytes(tasks, updates, recs=[(1, "Recommend. " * 600), (2, "Short."), (3, "Other.")], extra=extra), "long.xlsx")


DOCUMENTS = [("brief", "pdf"), ("brief", "docx"), ("full", "pdf"), ("full", "docx"), ("deck", "pptx")]


class TestNeverFails:
    @pytest.mark.parametrize(("kind", "fmt"), DOCUMENTS)
    def test_4000_character_mitigation_and_5000_character_lead(self, kind, fmt):
        data = build_document(PlanView.build(long_text_plan(), None, 30), None, kind, fmt)
        if fmt == "pdf":
            reader = PdfReader(io.BytesIO(data))
            text = " ".join(pdf_text(reader))
            assert "shortened" in text or "…" in text
            assert len(reader.pages) <= (4 if kind == "brief" else 12)
        assert len(data) > 1000

    def test_cli_writes_every_format_for_long_text(self, tmp_path):
        source = tmp_path / "long.xlsx"
        plan_path = source
        plan_path.write_bytes(
            plan_bytes(
                [task("T1", "Jan 17", "February 17", lead="Lead " * 1000)],
                [update("T1", "2017-03-31", "In progress", commentary="x" * 6000)],
                extra={"Risks": frame(["risk_id", "risk", "rating", "response", "mitigation"], [(1, "R", "High", "Treat", "m " * 2000)])},
            )
        )
        for args in (["--format", "pdf"], ["--format", "docx"], ["--format", "pptx"], ["--full"]):
            out = tmp_path / f"out.{args[1] if args[0] == '--format' else 'pdf'}"
            assert cli.main(["briefing", "--plan", str(plan_path), "--out", str(out), *args]) == 0
            assert out.stat().st_size > 1000

    @pytest.mark.parametrize(("kind", "fmt"), DOCUMENTS)
    def test_without_chromium_a_note_in_place_of_each_chart(self, embedded, kind, fmt, monkeypatch):
        monkeypatch.setattr(images, "chart_png", _real_chart_png)
        monkeypatch.setattr(images, "browser_path", lambda: None)
        view, perf = view_at(embedded, "2017-03-31")
        data = build_document(view, perf, kind, fmt)
        if fmt == "pdf":
            assert "Chart not drawn: no Chromium browser" in " ".join(pdf_text(PdfReader(io.BytesIO(data))))
        elif fmt == "docx":
            doc = read_docx(io.BytesIO(data))
            assert not doc.inline_shapes and any(p.text.startswith("Chart not drawn") for p in doc.paragraphs)
        else:
            deck = Presentation(io.BytesIO(data))
            assert not [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
            assert any("Chart not drawn" in slide_text(s) for s in deck.slides)


_real_chart_png = images.chart_png  # the module attribute before fake_charts patches it


class TestChartTimeout:
    @pytest.fixture(autouse=True)
    def fresh(self, monkeypatch):
        images.reset()
        monkeypatch.setattr(images, "chart_png", _real_chart_png)
        monkeypatch.setattr(images, "browser_path", lambda: "/usr/bin/chromium")
        yield
        images.reset()

    def test_a_hung_renderer_gives_chart_not_drawn_in_time_and_later_charts_fall_back_at_once(self, monkeypatch):
        release = threading.Event()
        monkeypatch.setattr(images, "_draw", lambda figure, opts: release.wait(30) and b"")
        started = time.perf_counter()
        png, problem = images.chart_png({}, 100, 100, timeout_s=0.5)
        assert png is None and "did not answer within 0.5 seconds" in problem
        assert time.perf_counter() - started < 5
        started = time.perf_counter()
        assert images.chart_png({}, 100, 100, timeout_s=10)[0] is None
        assert time.perf_counter() - started < 1  # remembered: no second wait
        release.set()

    def test_a_busy_lock_never_blocks_another_session_forever(self):
        with images._lock:
            started = time.perf_counter()
            png, problem = images.chart_png({}, 100, 100, timeout_s=0.3)
        assert png is None and "could not be drawn in time" in problem
        assert time.perf_counter() - started < 3

    def test_a_failure_is_retried_after_a_while(self, monkeypatch):
        calls = []

        def flaky(figure, opts):
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("busy")
            return b"png"

        monkeypatch.setattr(images, "_draw", flaky)
        assert images.chart_png({}, 100, 100, timeout_s=5)[0] is None
        assert images.chart_png({}, 100, 100, timeout_s=5)[0] is None and len(calls) == 1  # remembered
        monkeypatch.setattr(images, "RETRY_AFTER_SECONDS", 0.0)
        assert images.chart_png({}, 100, 100, timeout_s=5) == (b"png", None)

    def test_a_failing_renderer_is_a_note(self, monkeypatch):
        def boom(figure, opts):
            raise RuntimeError("chromium exited")

        monkeypatch.setattr(images, "_draw", boom)
        assert images.chart_png({}, 100, 100, timeout_s=5) == (None, "the chart could not be drawn (RuntimeError)")


# ---- the command and the names -------------------------------------------------------------------


class TestCommand:
    def test_default_is_the_brief_as_pdf_and_format_follows_the_options(self, tmp_path, capsys):
        pdf = tmp_path / "brief.pdf"
        assert cli.main(["briefing", "--as-at", "2017-03-31", "--out", str(pdf)]) == 0
        reader = PdfReader(io.BytesIO(pdf.read_bytes()))
        assert len(reader.pages) <= 4 and "Portfolio Holder brief" in pdf_text(reader)[0]
        docx = tmp_path / "brief.docx"
        assert cli.main(["briefing", "--format", "docx", "--out", str(docx)]) == 0
        assert read_docx(str(docx)).paragraphs[0].text == "Portfolio Holder brief"
        deck = tmp_path / "deck.pptx"
        assert cli.main(["briefing", "--out", str(deck)]) == 0  # the ending chooses pptx
        assert len(Presentation(str(deck)).slides) > 5

    def test_bad_combinations_exit_2(self, tmp_path, capsys):
        assert cli.main(["briefing", "--full", "--format", "pptx", "--out", str(tmp_path / "x.pptx")]) == 2
        assert cli.main(["briefing", "--format", "docx", "--out", str(tmp_path / "x.pdf")]) == 2
        assert cli.main(["briefing", "--template", str(tmp_path / "t.pptx"), "--out", str(tmp_path / "x.pdf")]) == 2
        err = capsys.readouterr().err
        assert "--full is the full pack" in err and "must end in .docx" in err and "--template is a PowerPoint template" in err

    def test_file_names_are_for_a_person(self):
        when = pd.Timestamp("2017-03-31")
        assert file_name("brief", "docx", when) == "Portfolio Holder brief - 31 Mar 2017.docx"
        assert file_name("deck", "pptx", when) == "QIB slides - 31 Mar 2017.pptx"
        assert file_name("full", "pdf", when) == "Briefing pack - 31 Mar 2017.pdf"


def test_previous_reporting_date_drives_the_comparison(embedded):
    view, perf = view_at(embedded, "2017-03-31")
    inputs = brief_model.gather(view, perf)
    assert inputs.previous.as_at == previous_reporting_date(view.plan, view.as_at) == pd.Timestamp("2017-02-28")


# ---- one way of wording on paper (issue 11): no "n/a", no "(s)" ------------------------------------------------

PAPER_WORDING = re.compile(r"\bn/a\b|\w\(s\)|\bunknown\b|\bnot given\b", re.IGNORECASE)


def wording_problems(text: str) -> list[str]:
    """Each place a document words a missing value or a plural the old way ('n/a', 'unknown', 'not given',
    'task(s)'), with a little of the text around it; the one words are wording.MISSING and wording.plural."""
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in PAPER_WORDING.finditer(text)]


def document_text(data: bytes, fmt: str) -> str:
    """All the words a reader sees in a document: PDF pages; Word paragraphs and table cells; slides' shapes,
    tables and speaker notes."""
    if fmt == "pdf":
        return " ".join(pdf_text(PdfReader(io.BytesIO(data))))
    if fmt == "docx":
        doc = read_docx(io.BytesIO(data))
        cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
        return flat(" ".join([p.text for p in doc.paragraphs] + cells))
    deck = Presentation(io.BytesIO(data))
    words = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                words.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                words += [c.text for row in shape.table.rows for c in row.cells]
        if slide.has_notes_slide:
            words.append(slide.notes_slide.notes_text_frame.text)
    return flat(" ".join(words))


class TestPaperWording:
    def test_the_check_finds_the_old_words(self):
        found = wording_problems("3 task(s) merged. Agency rate n/a. Lead unknown. Owner not given. 2 tasks. Vacancy rate not known.")
        assert len(found) == 4 and not any("Vacancy" in p for p in found[:2])

    @pytest.mark.parametrize(("kind", "fmt"), DOCUMENTS)
    def test_embedded_plan_with_performance_figures(self, march, kind, fmt):
        view, perf, _ = march
        assert wording_problems(document_text(build_document(view, perf, kind, fmt), fmt)) == []

    @pytest.mark.parametrize(("kind", "fmt"), [("full", "pdf"), ("deck", "pptx")])
    def test_a_plan_with_blanks_and_no_performance_workbook(self, kind, fmt):
        plan = load_plan(northshire_plan_bytes(), "northshire.xlsx")
        view = PlanView.build(plan, plan.reporting_dates[-1] if plan.reporting_dates else None, 30)
        assert wording_problems(document_text(build_document(view, None, kind, fmt), fmt)) == []

    def test_the_theme_table_counts_the_cancelled_task(self, march):
        """Theme 3 holds the embedded plan's cancelled task: 11 in scope, 1 cancelled, said in words on paper."""
        view, perf, _ = march
        intro, table = brief_model.theme_progress(view)
        assert intro.text.startswith("At 31 Mar 2017: 33 tasks in scope, 1 cancelled not counted.")
        assert table.header == ["Theme", "Progress", "Worst task RAG", "Tasks", "Complete", "Slipped"]
        theme3 = next(r for r in table.rows if r[0].startswith("3. "))
        assert theme3[1:5] == [
            "1 of 11 tasks off track, 1 at risk, 6 on track, 3 complete (1 cancelled not counted)",
            "Red",
            "11 tasks in scope, 1 cancelled not counted",
            "3 of 11 tasks (27%)",
        ]
        theme4 = next(r for r in table.rows if r[0].startswith("4. "))
        assert theme4[1:5] == ["1 of 5 tasks off track, 4 complete", "Red", "5 tasks in scope", "4 of 5 tasks (80%)"]
        text = " ".join(pdf_text(PdfReader(io.BytesIO(build_document(view, perf, "full", "pdf")))))
        assert "11 tasks in scope, 1 cancelled not counted" in text and "Tasks 12" not in text

    def test_roll_ups_lead_with_counts_on_every_document(self, march):
        view, perf, _ = march
        recs, _ = brief_model.recommendations_table(view, None)
        assert recs.header[2:4] == ["Progress of its tasks", "Worst task RAG"] and recs.rag_columns == (3,)
        rec11 = next(r for r in recs.rows if r[0] == "11")
        assert rec11[2:4] == ["1 of 1 task off track", "Red"]
        deck = Presentation(io.BytesIO(build_document(view, perf, "deck", "pptx")))
        theme4 = next(s for s in deck.slides if slide_text(s).startswith("Theme 4"))
        assert "1 of 5 tasks off track, 4 complete." in slide_text(theme4)
        assert "Roll-up" not in theme4.notes_slide.notes_text_frame.text
        assert [s.text_frame.text for s in theme4.shapes if s.name.startswith("RAG ")] == ["Worst task: Red"]

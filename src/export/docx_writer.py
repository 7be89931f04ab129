"""A `brief_model.Document` as Word (.docx, python-docx) for officers to edit before it goes out.

Real heading styles (Heading 1 for the title, Heading 2-4 for sections, so the navigation pane and a screen reader see the outline),
table header rows that repeat on every page (w:tblHeader), RAG cells filled and worded, alternative
text on every image (wp:docPr descr), and the core properties title, subject, author, language and
created (the build time) set; the document's default language is set too, for the spelling checker.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from src.charts.palette import RAG_STYLES

from .brief_model import Document, Figure, Para, Section, Table

TEXT_WIDTH_MM = 174.0
FONT = "Arial"


def _shade(cell, hex_colour: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_colour.lstrip("#"))
    tc_pr.append(shd)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _cell_text(cell, text: str, bold: bool = False, colour: str | None = None, size: float = 8.5) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    for i, line in enumerate(str(text).split("\n")):
        run = paragraph.add_run(line)
        run.font.size = Pt(size)
        run.bold = bold
        if colour:
            run.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
        if i < len(str(text).split("\n")) - 1:
            run.add_break()


def add_table(doc, table: Table) -> None:
    grid = doc.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    total = sum(table.widths[: len(table.header)]) or 1
    widths = [Mm(TEXT_WIDTH_MM * w / total) for w in table.widths[: len(table.header)]]
    head = grid.rows[0]
    _repeat_header(head)
    for c, words in enumerate(table.header):
        _cell_text(head.cells[c], words, bold=True)
        _shade(head.cells[c], "#DEE0E2")
    for values in table.rows:
        cells = grid.add_row().cells  # rows may split across pages: "can't split" left near-empty pages in LibreOffice
        for c, value in enumerate(values):
            text = str(value)
            word = text.split(" ", 1)[0] if text else ""
            if c in table.rag_columns and word in RAG_STYLES:
                style = RAG_STYLES[word]
                _shade(cells[c], style.colour)
                _cell_text(cells[c], text, bold=True, colour=style.text_colour)
            else:
                _cell_text(cells[c], text)
    grid.autofit = False
    for c, column in enumerate(grid.columns):
        column.width = widths[c]
    for row in grid.rows:
        for c, cell in enumerate(row.cells):
            cell.width = widths[c]
    doc.add_paragraph().paragraph_format.space_after = Pt(2)


def add_figure(doc, figure: Figure) -> None:
    title = doc.add_paragraph()
    run = title.add_run(figure.title)
    run.bold = True
    title.paragraph_format.keep_with_next = True
    if figure.png is None:
        doc.add_paragraph(f"Chart not drawn: {figure.problem}. The figures are in the table nearby and in the Excel workbook.")
    else:
        width_mm = TEXT_WIDTH_MM
        height_mm = width_mm * figure.height_px / figure.width_px
        if height_mm > 100:
            width_mm, height_mm = width_mm * 100 / height_mm, 100
        picture = doc.add_paragraph()
        picture.paragraph_format.keep_with_next = True
        shape = picture.add_run().add_picture(io.BytesIO(figure.png), width=Mm(width_mm))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", figure.description)
        doc_pr.set("title", figure.title)
    caption = doc.add_paragraph(figure.description)
    caption.style = doc.styles["Caption"]


def _para(doc, block: Para) -> None:
    if block.style == "question":
        doc.add_paragraph(block.text, style="List Number")
    elif block.style == "bullet":
        doc.add_paragraph(block.text, style="List Bullet")
    elif block.style == "subheading":
        doc.add_heading(block.text, level=4)
    elif block.style == "notice":
        p = doc.add_paragraph()
        run = p.add_run(block.text)
        run.bold = True
    elif block.style == "small":
        p = doc.add_paragraph()
        p.add_run(block.text).font.size = Pt(8.5)
    else:
        doc.add_paragraph(block.text)


def add_section(doc, section: Section) -> None:
    if section.page_break:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    heading = doc.add_heading(section.heading, level=max(2, min(4, section.level)))
    heading.paragraph_format.keep_with_next = True
    for block in section.blocks:
        if isinstance(block, Table):
            add_table(doc, block)
        elif isinstance(block, Figure):
            add_figure(doc, block)
        else:
            _para(doc, block)


def _set_language(doc, lang: str) -> None:
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults"))
    rpr = rpr_default.find(qn("w:rPrDefault")).find(qn("w:rPr")) if rpr_default is not None else None
    if rpr is None:
        return
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    element = OxmlElement("w:lang")
    element.set(qn("w:val"), lang)
    element.set(qn("w:eastAsia"), lang)
    element.set(qn("w:bidi"), lang)
    rpr.append(element)


def _footer(doc, text: str) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    run = paragraph.add_run(f"{text} · Page ")
    run.font.size = Pt(8)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    words = OxmlElement("w:t")
    words.text = "1"
    number.append(words)
    field.append(number)
    paragraph._p.append(field)


def document_docx(doc_model: Document) -> bytes:
    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(18)
    section.top_margin, section.bottom_margin = Mm(16), Mm(16)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Caption"):
        doc.styles[name].font.name = FONT
    doc.styles["Caption"].font.size = Pt(8.5)
    _set_language(doc, doc_model.lang)

    props = doc.core_properties
    props.title = doc_model.title
    props.subject = doc_model.subject
    props.author = doc_model.author
    props.language = doc_model.lang
    props.created = doc_model.created.replace(tzinfo=None)
    props.modified = doc_model.created.replace(tzinfo=None)
    props.last_modified_by = doc_model.author
    props.comments = "Generated by the children's services improvement dashboard."

    doc.add_heading(doc_model.heading, level=1)
    for line in doc_model.subtitle:
        doc.add_paragraph(line).paragraph_format.space_after = Pt(1)
    if doc_model.notice:
        p = doc.add_paragraph()
        p.add_run(doc_model.notice).italic = True
    for part in doc_model.sections:
        add_section(doc, part)
    _footer(doc, doc_model.footer)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

"""A `brief_model.Deck` as the QIB's PowerPoint deck (.pptx, python-pptx), 16:9.

With a council's own template (.pptx/.potx saved as .pptx), its slide master and layouts are used
("Title Slide" for the title, "Title Only" for the rest, found by name, else by position), so its
colours, fonts and logo carry through; any slides in the template are removed first. Without one,
python-pptx's default template is widened to 16:9. RAG is always a word and a colour (a filled badge
with the word in it, and filled table cells worded); charts are pictures with alternative text
(p:cNvPr descr); the detail a presenter needs is in the speaker notes.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from src.charts.palette import RAG_STYLES

from .brief_model import Deck, Slide, Table

WIDE = (Emu(12192000), Emu(6858000))  # 16:9, 13.333 x 7.5 in: PowerPoint's own widescreen size
TEXT = RGBColor(0x0B, 0x0C, 0x0C)


class TemplateError(ValueError):
    """The template is not a PowerPoint file python-pptx can open."""


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _layout(prs, names: tuple[str, ...], fallback: int):
    for layout in prs.slide_layouts:
        if layout.name.strip().lower() in names:
            return layout
    layouts = list(prs.slide_layouts)
    return layouts[min(fallback, len(layouts) - 1)]


def _drop_slides(prs) -> None:
    """Remove the template's own slides, keeping its master and layouts."""
    ids = prs.slides._sldIdLst
    for sld_id in list(ids):
        prs.part.drop_rel(sld_id.rId)
        ids.remove(sld_id)


def open_presentation(template: bytes | None):
    if template is None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = WIDE
        return prs, False
    try:
        prs = Presentation(io.BytesIO(template))
    except Exception as error:  # noqa: BLE001 - a bad upload is a message, never a traceback
        raise TemplateError(f"the template could not be opened as a PowerPoint file ({type(error).__name__})") from None
    _drop_slides(prs)
    return prs, True


def _title(slide, text: str, prs, own_template: bool, size: int = 30, height=None) -> int:
    """Fill the title placeholder (or add a text box); returns the bottom of the title in EMU."""
    shape = slide.shapes.title
    margin = Inches(0.5)
    if shape is None:
        shape = slide.shapes.add_textbox(margin, Inches(0.3), prs.slide_width - 2 * margin, height or Inches(1.0))
    elif not own_template:
        shape.left, shape.top, shape.width, shape.height = margin, Inches(0.3), prs.slide_width - 2 * margin, height or Inches(1.0)
    frame = shape.text_frame
    frame.text = text
    frame.word_wrap = True
    if not own_template:
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        for paragraph in frame.paragraphs:
            paragraph.alignment = PP_ALIGN.LEFT
            for run in paragraph.runs:
                run.font.size = Pt(size)
                run.font.bold = True
                run.font.color.rgb = TEXT
    return int(shape.top + shape.height)


def _badge(slide, rag: str, left: int, top: int, label: str = "") -> None:
    """A RAG word on its colour; `label` names what the RAG is of ('Worst task: Red' on a theme's slide)."""
    style = RAG_STYLES.get(rag)
    if style is None:
        return
    box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, Inches(2.6), Inches(0.55))
    box.fill.solid()
    box.fill.fore_color.rgb = _rgb(style.colour)
    box.line.color.rgb = _rgb("#0B0C0C")
    frame = box.text_frame
    frame.text = f"{label}: {rag}" if label else (f"{rag}: {style.meaning}" if len(style.meaning) < 14 else rag)
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.CENTER
    run = paragraph.runs[0]
    run.font.size, run.font.bold, run.font.color.rgb = Pt(16), True, _rgb(style.text_colour)
    box.name = f"RAG {rag}"


def _bullets(slide, lines: list[str], left: int, top: int, width: int, height: int, size: int = 16) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.space_after = Pt(8)
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.color.rgb = TEXT


def _table(slide, table: Table, left: int, top: int, width: int, size: int = 12) -> int:
    rows, cols = len(table.rows) + 1, len(table.header)
    row_height = Inches(0.5 if size >= 16 else 0.4)
    shape = slide.shapes.add_table(rows, cols, left, top, width, row_height * rows)
    grid = shape.table
    total = sum(table.widths[:cols]) or 1
    for c, w in enumerate(table.widths[:cols]):
        grid.columns[c].width = Emu(int(width * w / total))
    for r, values in enumerate([table.header] + table.rows):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.text = str(value)
            word = str(value).split(" ", 1)[0] if value else ""
            fill, colour, bold = None, TEXT, r == 0
            if r == 0:
                fill = "#DEE0E2"
            elif c in table.rag_columns and word in RAG_STYLES:
                fill, colour, bold = RAG_STYLES[word].colour, _rgb(RAG_STYLES[word].text_colour), True
            else:
                fill = "#FFFFFF"
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(fill)
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
    return int(top + row_height * rows)


def _picture(slide, figure, left: int, top: int, width: int, height: int) -> None:
    if figure.png is None:
        _bullets(slide, [f"Chart not drawn: {figure.problem}.", figure.description], left, top, width, height, size=12)
        return
    ratio = figure.height_px / figure.width_px
    w, h = width, int(width * ratio)
    if h > height:
        w, h = int(height / ratio), height
    picture = slide.shapes.add_picture(io.BytesIO(figure.png), left, top, w, h)
    picture._element.nvPicPr.cNvPr.set("descr", figure.description)
    picture.name = figure.title[:250]


def _fields(slide, fields: list[tuple[str, str]], footnote: str, left: int, top: int, width: int, height: int) -> None:
    """The exception card in large type: each label in bold, then its words."""
    size = 24 if sum(len(w) for _, w in fields) < 420 else 20
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, (label, words) in enumerate(fields):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(6)
        head = paragraph.add_run()
        head.text = f"{label}: "
        head.font.bold, head.font.size, head.font.color.rgb = True, Pt(size), TEXT
        body = paragraph.add_run()
        body.text = words
        body.font.size, body.font.color.rgb = Pt(size), TEXT
    if footnote:
        paragraph = frame.add_paragraph()
        paragraph.text = footnote
        for run in paragraph.runs:
            run.font.size, run.font.color.rgb = Pt(14), _rgb("#505A5F")


def _notes(slide, text: str) -> None:
    if text:
        slide.notes_slide.notes_text_frame.text = text


def _content_slide(prs, layout, spec: Slide, own_template: bool) -> None:
    slide = prs.slides.add_slide(layout)
    margin = Inches(0.5)
    width = prs.slide_width - 2 * margin
    title_width_cut = Inches(3.0) if spec.rag else 0
    card = spec.kind == "card"
    bottom = _title(slide, spec.title, prs, own_template, size=24 if card else 28, height=Inches(1.25) if card else None)
    if spec.rag and slide.shapes.title is not None and not own_template:
        slide.shapes.title.width = width - title_width_cut
    if spec.rag:
        _badge(slide, spec.rag, prs.slide_width - margin - Inches(2.6), Inches(0.5), spec.rag_label)
    top = bottom + Inches(0.15)
    height = prs.slide_height - top - Inches(0.4)
    if card:
        _fields(slide, spec.fields, spec.subtitle, margin, top, width, height)
    else:
        side = spec.figure is None and spec.table is not None and spec.kind == "summary"
        text_width = int(width * 0.45) if spec.figure is not None else (int(width * 0.5) if side else width)
        y = top
        if spec.bullets:
            size = 18 if sum(len(b) for b in spec.bullets) < 500 else 16
            per_line = 85 if text_width == width else 40
            lines_height = Inches(0.45) * max(1, sum(1 + len(b) // per_line for b in spec.bullets))
            _bullets(slide, spec.bullets, margin, y, text_width, min(lines_height, height), size=size)
            y += min(lines_height, height) + Inches(0.1)
        if spec.table is not None and side:
            _table(slide, spec.table, margin + text_width + Inches(0.3), top, width - text_width - Inches(0.3), size=15)
        elif spec.table is not None:
            _table(slide, spec.table, margin, y, text_width, size=16 if len(spec.table.rows) <= 4 else 12)
        if spec.figure is not None:
            _picture(slide, spec.figure, margin + text_width + Inches(0.3), top, width - text_width - Inches(0.3), height)
    _notes(slide, spec.notes)


def deck_pptx(deck: Deck, template: bytes | None = None) -> bytes:
    """The deck as .pptx bytes; `template` is a council's .pptx whose layouts are used."""
    prs, own_template = open_presentation(template)
    title_layout = _layout(prs, ("title slide",), 0)
    content_layout = _layout(prs, ("title only",), 5)
    for spec in deck.slides:
        if spec.kind == "title":
            slide = prs.slides.add_slide(title_layout)
            _title(slide, spec.title, prs, own_template, size=34)
            if not own_template and slide.shapes.title is not None:
                slide.shapes.title.top, slide.shapes.title.height = Inches(2.0), Inches(1.8)
            body = [ph for ph in slide.placeholders if ph.placeholder_format.idx == 1]
            if body:
                body[0].text_frame.text = spec.subtitle
                if not own_template:
                    body[0].left, body[0].top = Inches(0.5), Inches(4.0)
                    body[0].width, body[0].height = prs.slide_width - Inches(1.0), Inches(1.6)
                    for paragraph in body[0].text_frame.paragraphs:
                        paragraph.alignment = PP_ALIGN.LEFT
            else:
                _bullets(slide, spec.subtitle.split("\n"), Inches(0.5), Inches(4.0), prs.slide_width - Inches(1.0), Inches(1.6), 20)
            _notes(slide, spec.notes)
        else:
            _content_slide(prs, content_layout, spec, own_template)
    props = prs.core_properties
    props.title = deck.title
    props.author = deck.author
    props.language = deck.lang
    props.subject = "Quality Improvement Board"
    props.created = deck.created.replace(tzinfo=None)
    props.modified = deck.created.replace(tzinfo=None)
    props.last_modified_by = deck.author
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()

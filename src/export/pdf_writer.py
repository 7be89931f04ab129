"""A `brief_model.Document` as a tagged, accessible A4 PDF: HTML rendered by WeasyPrint's PDF/UA-1 variant.

WeasyPrint writes the structure tree (headings, paragraphs, tables with header cells, figures with
their alternative text) in reading order, /Lang from <html lang>, /Title from <title>, /MarkInfo
Marked, and embeds (subsets) the fonts; the creation date is the build time (dcterms.created).
Every text is escaped here: workbook text is never markup. Table rows split across pages, so a
very long cell wraps onto the next page instead of failing; header rows repeat on every page.
"""

from __future__ import annotations

import base64
import html

from src.charts.palette import RAG_STYLES

from .brief_model import Document, Figure, Para, Section, Table

FONT = "'Liberation Sans', 'DejaVu Sans', Arial, sans-serif"

CSS = """
@page {
  size: A4; margin: 17mm 17mm 20mm 17mm;
  @bottom-left { content: "%(footer)s"; font: 8.5pt %(font)s; color: #505A5F; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8.5pt %(font)s; color: #505A5F; }
}
html { font-family: %(font)s; font-size: 10pt; line-height: 1.35; color: #0B0C0C; }
body { margin: 0; }
h1 { font-size: 19pt; margin: 0 0 2mm 0; line-height: 1.15; }
.subtitle { font-size: 11.5pt; margin: 0 0 1mm 0; }
.subtitle.when { font-weight: bold; margin-bottom: 3mm; }
h2 { font-size: 13pt; margin: 4.5mm 0 1.5mm 0; break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm 0; break-after: avoid; }
h4 { font-size: 10pt; margin: 3mm 0 1mm 0; break-after: avoid; }
p { margin: 0 0 2mm 0; orphans: 2; widows: 2; }
p.small { font-size: 8.5pt; color: #333; }
p.notice { border: 1pt solid #B35C00; background: #FFF4D6; padding: 2mm 3mm; margin: 2mm 0 3mm 0; }
ol.questions { margin: 0 0 2mm 0; padding-left: 6mm; }
ol.questions li { margin-bottom: 1.5mm; }
ul { margin: 0 0 2mm 0; padding-left: 6mm; }
table { border-collapse: collapse; table-layout: fixed; width: 100%%; margin: 1mm 0 3mm 0; font-size: 8.5pt; line-height: 1.25; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th { background: #DEE0E2; text-align: left; font-weight: bold; }
th, td { border: 0.5pt solid #8A8D90; padding: 1mm 1.3mm; vertical-align: top; overflow-wrap: break-word; }
td.multiline { white-space: pre-line; }
figure { margin: 2mm 0 3mm 0; break-inside: avoid; }
figure .charttitle { font-weight: bold; font-size: 10.5pt; margin: 0 0 1mm 0; }
figure img { display: block; }
figcaption { font-size: 8.5pt; font-style: italic; margin-top: 1mm; }
.pagebreak { break-before: page; }
section.keep { break-inside: avoid; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _rag_style(cell: str) -> str:
    word = cell.split(" ", 1)[0] if cell else ""
    if word in RAG_STYLES:
        style = RAG_STYLES[word]
        return f' style="background:{style.colour};color:{style.text_colour};font-weight:bold"'
    return ""


def table_html(table: Table) -> str:
    total = sum(table.widths) or 1
    cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in table.widths[: len(table.header)])
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in table.header)
    body = []
    for row in table.rows:
        cells = []
        for c, value in enumerate(row):
            text = str(value)
            style = _rag_style(text) if c in table.rag_columns else ""
            klass = ' class="multiline"' if "\n" in text else ""
            cells.append(f"<td{klass}{style}>{_e(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"<caption>{_e(table.caption)}</caption>" if table.caption else ""
    return f"<table>{caption}<colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def figure_html(figure: Figure, max_height_mm: float = 105) -> str:
    title = f'<p class="charttitle">{_e(figure.title)}</p>'
    if figure.png is None:
        note = (
            f'<p class="notice">Chart not drawn: {_e(figure.problem)}. The figures are in the table nearby and in the Excel workbook.</p>'
        )
        return f"<div>{title}{note}<p class='small'>{_e(figure.description)}</p></div>"
    width_mm = 176.0
    height_mm = width_mm * figure.height_px / figure.width_px
    if height_mm > max_height_mm:
        width_mm, height_mm = width_mm * max_height_mm / height_mm, max_height_mm
    data = base64.b64encode(figure.png).decode("ascii")
    img = f'<img src="data:image/png;base64,{data}" alt="{_e(figure.description)}" style="width:{width_mm:.1f}mm;height:{height_mm:.1f}mm">'
    return f"<figure>{title}{img}<figcaption>{_e(figure.description)}</figcaption></figure>"


def _block(block) -> str:
    if isinstance(block, Table):
        return table_html(block)
    if isinstance(block, Figure):
        return figure_html(block)
    if isinstance(block, Para):
        if block.style == "subheading":
            return f"<h4>{_e(block.text)}</h4>"
        return f'<p class="{_e(block.style)}">{_e(block.text)}</p>'
    raise TypeError(f"unknown block {type(block).__name__}")


def _section(section: Section) -> str:
    level = max(2, min(4, section.level))
    parts = []
    blocks = list(section.blocks)
    i = 0
    while i < len(blocks):
        if isinstance(blocks[i], Para) and blocks[i].style == "question":
            items = []
            while i < len(blocks) and isinstance(blocks[i], Para) and blocks[i].style == "question":
                items.append(f"<li>{_e(blocks[i].text)}</li>")
                i += 1
            parts.append(f'<ol class="questions">{"".join(items)}</ol>')
            continue
        parts.append(_block(blocks[i]))
        i += 1
    classes = [c for c, on in (("pagebreak", section.page_break), ("keep", section.keep_together)) if on]
    klass = f' class="{" ".join(classes)}"' if classes else ""
    return f"<section{klass}><h{level}>{_e(section.heading)}</h{level}>{''.join(parts)}</section>"


def document_html(doc: Document) -> str:
    css = CSS % {"footer": doc.footer.replace("\\", "\\\\").replace('"', '\\"'), "font": FONT}
    subtitle = doc.subtitle[:-1]
    when = doc.subtitle[-1] if doc.subtitle else ""
    head = (
        f'<!DOCTYPE html><html lang="{_e(doc.lang)}"><head><meta charset="utf-8"><title>{_e(doc.title)}</title>'
        f'<meta name="author" content="{_e(doc.author)}"><meta name="description" content="{_e(doc.subject)}">'
        f'<meta name="generator" content="children\'s services improvement dashboard">'
        f'<meta name="dcterms.created" content="{doc.created.isoformat()}"><meta name="dcterms.modified" content="{doc.created.isoformat()}">'
        f"<style>{css}</style></head><body>"
    )
    top = [f"<h1>{_e(doc.heading)}</h1>"] + [f'<p class="subtitle">{_e(s)}</p>' for s in subtitle]
    if when:
        top.append(f'<p class="subtitle when">{_e(when)}</p>')
    if doc.notice:
        top.append(f'<p class="notice">{_e(doc.notice)}</p>')
    return head + "<header>" + "".join(top) + "</header><main>" + "".join(_section(s) for s in doc.sections) + "</main></body></html>"


def document_pdf(doc: Document) -> bytes:
    """The document as PDF/UA-1 bytes."""
    from weasyprint import HTML

    return HTML(string=document_html(doc)).write_pdf(pdf_variant="pdf/ua-1")

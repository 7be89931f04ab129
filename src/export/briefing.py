"""The Portfolio Holder's briefing pack: an A4 PDF a councillor reads on paper.

Sections (each starts on a new page): cover; summary in plain English generated from the figures;
progress by theme (chart + table) and the completion trend; recommendation coverage; items for the
board's attention (exceptions) and the LSCB actions; caseload and workforce (illustrative, with one
chart); KPIs against comparators (published, with sources); risks. Footer: "Page N of M".

Every number comes from src/analysis through `content`; charts from src/charts, drawn as PNG by
`images` (one kaleido server per process; a note in place of a chart when no Chromium is found).
The text font is a TrueType font embedded in the PDF (Liberation Sans, else DejaVu Sans, else
reportlab's bundled Vera).
"""

from __future__ import annotations

import io
import os
from xml.sax.saxutils import escape

import pandas as pd
import plotly.graph_objects as go
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from src.analysis.dates import format_date
from src.analysis.exceptions import (
    DEFAULT_DUE_WITHIN_DAYS,
    changes_since,
    exception_summary,
    lscb_status,
    previous_reporting_date,
    risk_register,
)
from src.analysis.plan_workbook import Rag
from src.analysis.progress import progress_trend, rollup
from src.charts.base import truncate
from src.charts.palette import RAG_STYLES

from . import content, images

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
CHART_WIDTH_PX = 720  # drawn at the frame width, so the charts' 14px text prints at about 9.5pt
MAX_CHART_HEIGHT = 120 * mm

_FONT_CANDIDATES = [
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Italic.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf",
    ),
]


def _register_fonts() -> tuple[str, str, str]:
    if "PackSans" in pdfmetrics.getRegisteredFontNames():
        return "PackSans", "PackSans-Bold", "PackSans-Italic"
    import reportlab

    bundled = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    candidates = _FONT_CANDIDATES + [
        (os.path.join(bundled, "Vera.ttf"), os.path.join(bundled, "VeraBd.ttf"), os.path.join(bundled, "VeraIt.ttf"))
    ]
    for regular, bold, italic in candidates:
        if all(os.path.isfile(p) for p in (regular, bold, italic)):
            pdfmetrics.registerFont(TTFont("PackSans", regular))
            pdfmetrics.registerFont(TTFont("PackSans-Bold", bold))
            pdfmetrics.registerFont(TTFont("PackSans-Italic", italic))
            pdfmetrics.registerFontFamily(
                "PackSans", normal="PackSans", bold="PackSans-Bold", italic="PackSans-Italic", boldItalic="PackSans-Bold"
            )
            return "PackSans", "PackSans-Bold", "PackSans-Italic"
    raise RuntimeError("no TrueType font found to embed in the PDF")


class _Styles:
    def __init__(self) -> None:
        regular, bold, italic = _register_fonts()
        self.regular, self.bold, self.italic = regular, bold, italic
        base = dict(fontName=regular, textColor=colors.HexColor("#0B0C0C"), alignment=TA_LEFT)
        self.body = ParagraphStyle("body", fontSize=10.5, leading=14, spaceAfter=6, **base)
        self.bullet = ParagraphStyle("bullet", parent=self.body, leftIndent=12, bulletIndent=2, spaceAfter=3)
        self.small = ParagraphStyle("small", fontSize=9, leading=11.5, spaceAfter=4, **base)
        self.caption = ParagraphStyle("caption", parent=self.small, fontName=italic, spaceBefore=2, spaceAfter=10)
        self.chart_title = ParagraphStyle(
            "chart_title", fontSize=11, leading=14, spaceBefore=4, spaceAfter=2, **(base | {"fontName": bold})
        )
        self.cell = ParagraphStyle("cell", fontSize=8.5, leading=10.5, **base)
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=bold)
        self.h1 = ParagraphStyle("h1", fontSize=18, leading=22, spaceAfter=10, **(base | {"fontName": bold}))
        self.h2 = ParagraphStyle("h2", fontSize=13, leading=16, spaceBefore=8, spaceAfter=6, **(base | {"fontName": bold}))
        self.cover_org = ParagraphStyle("cover_org", fontSize=26, leading=32, spaceAfter=14, **(base | {"fontName": bold}))
        self.cover_title = ParagraphStyle("cover_title", fontSize=17, leading=22, spaceAfter=18, **base)
        self.cover_date = ParagraphStyle("cover_date", fontSize=15, leading=20, spaceAfter=18, **(base | {"fontName": bold}))
        self.notice = ParagraphStyle(
            "notice",
            parent=self.body,
            backColor=colors.HexColor("#FFF4D6"),
            borderColor=colors.HexColor("#B35C00"),
            borderWidth=1,
            borderPadding=8,
            spaceBefore=6,
            spaceAfter=14,
        )


def _p(text: str, style) -> Paragraph:
    """A paragraph of plain text (escaped; never markup from the workbook); line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _pm(markup: str, style) -> Paragraph:
    """A paragraph whose markup we wrote (workbook text inside it must be escaped by the caller)."""
    return Paragraph(markup, style)


def _clip(text: str, limit: int) -> str:
    return truncate(text, limit)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


# ---- tables ------------------------------------------------------------------------------------


def _table(st: _Styles, header: list[str], rows: list[list[object]], widths_mm: list[float], rag_columns: tuple[int, ...] = ()) -> Table:
    """A table whose cells wrap; header repeated on each page; RAG cells filled and worded."""
    total = sum(widths_mm)
    widths = [FRAME_WIDTH * w / total for w in widths_mm]
    data = [[_p(h, st.cell_head) for h in header]]
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DEE0E2")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8A8D90")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            words = content.text(value)
            style = st.cell
            if c in rag_columns and words:
                rag = words.split(" ", 1)[0]
                if rag in RAG_STYLES:
                    rs = RAG_STYLES[Rag(rag)]
                    commands.append(("BACKGROUND", (c, r), (c, r), colors.HexColor(rs.colour)))
                    style = ParagraphStyle(f"rag{rag}", parent=st.cell, textColor=colors.HexColor(rs.text_colour), fontName=st.bold)
            cells.append(_p(words, style))
        data.append(cells)
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


# ---- charts ------------------------------------------------------------------------------------

PAPER_ROWS = 60  # a councillor reads a page or two of a table; the Excel export carries every row


def _on_paper(st: _Styles, frame: pd.DataFrame, what: str) -> tuple[pd.DataFrame, list]:
    """The first PAPER_ROWS rows and, when more were cut, a sentence saying where the rest are."""
    if len(frame) <= PAPER_ROWS:
        return frame, []
    return frame.head(PAPER_ROWS), [
        _p(
            f"The first {PAPER_ROWS} of {len(frame):,} {what} are listed here, the most serious "
            "first; the Excel workbook of every table has them all.",
            st.small,
        )
    ]


def _chart_flowables(st: _Styles, chart, label: str | None = None) -> list:
    """The chart as an image with its one-line description beneath, or a note in its place."""
    # The headline goes above the image as text that wraps: a long figure title would be clipped.
    fig = go.Figure(chart.figure)
    top = 70 if fig.layout.margin.t is None else fig.layout.margin.t
    height_px = max(200, int(fig.layout.height or 450) - max(0, top - 20))
    fig.update_layout(title_text="", margin={"t": 20}, height=height_px)
    heading = _p(chart.title, st.chart_title)
    png, problem = images.chart_png(fig, CHART_WIDTH_PX, height_px)
    tag = f" Figures: {label}." if label else ""
    caption = _p(f"{chart.description}{tag}", st.caption)
    if png is None:
        note = _p(f"Chart not drawn: {problem}. The figures are in the table below or in the Excel export.", st.notice)
        return [KeepTogether([heading, note, caption])]
    width = FRAME_WIDTH
    height = width * height_px / CHART_WIDTH_PX
    if height > MAX_CHART_HEIGHT:
        width, height = width * MAX_CHART_HEIGHT / height, MAX_CHART_HEIGHT
    image = Image(io.BytesIO(png), width=width, height=height)
    image.hAlign = "LEFT"
    return [KeepTogether([heading, image, caption])]


# ---- page furniture ----------------------------------------------------------------------------


def _numbered_canvas(footer_left: str, font: str):
    class NumberedCanvas(pdfcanvas.Canvas):
        """Holds each page until the end so the footer can say 'Page N of M'."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(font, 9)
                self.setFillColor(colors.HexColor("#505A5F"))
                self.drawString(MARGIN, 10 * mm, footer_left)
                self.drawRightString(PAGE_WIDTH - MARGIN, 10 * mm, f"Page {self._pageNumber} of {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


# ---- sections ----------------------------------------------------------------------------------


def _status_words(view, performance) -> str:
    plan_status = content.text(view.plan.about.get("data_status"))
    words = []
    if view.plan.is_illustrative:
        words.append(
            "ILLUSTRATIVE PROGRESS: the task progress, RAG ratings and slippage in this pack come from illustrative "
            "updates and are not the council's reported progress."
        )
    elif plan_status:
        words.append(f"Plan data status: {plan_status}.")
    if performance is not None:
        labels = dict(content.figure_status(view, performance)[1:])
        published = [k for k, v in labels.items() if v == "published"]
        illustrative = [k for k, v in labels.items() if v == "illustrative"]
        if published:
            words.append(f"Published figures: {', '.join(published)} (official statistics, sources given with the table).")
        if illustrative:
            words.append(f"Illustrative figures: {', '.join(illustrative)} (generated for demonstration, not the council's records).")
    return " ".join(words)


def _cover(st: _Styles, view, performance, due_within_days: int) -> list:
    about = view.plan.about
    org = content.text(about.get("organisation")) or "Organisation not named in the plan workbook"
    parts = [
        Spacer(1, 30 * mm),
        _p(org, st.cover_org),
        _p(view.plan.title, st.cover_title),
        _p("Briefing pack for the Portfolio Holder and the Quality Improvement Board", st.body),
        _p(f"Position at {format_date(view.as_at)}", st.cover_date),
    ]
    status = _status_words(view, performance)
    if status:
        parts.append(_p(status, st.notice))
    full = content.text(about.get("data_status"))
    if full:
        parts.append(_p(f"Data status as stated in the plan workbook: {full}", st.small))
    parts += [
        Spacer(1, 6 * mm),
        _p(
            "Contents: 1 Summary. 2 Progress by theme. 3 Recommendation coverage. 4 Items for the board's attention and "
            "LSCB actions."
            + (" 5 Caseload and workforce. 6 Key performance indicators. 7 Risks." if performance is not None else " 5 Risks."),
            st.small,
        ),
        _p(
            f"How to read the ratings: Red means off track (overdue, or forecast more than {view.tolerance_days} days late); "
            f"Amber means at risk (forecast up to {view.tolerance_days} days late, on hold, not started when it should have, "
            "or no finish date); Green means on track; Blue means complete. Cancelled tasks are shown but counted nowhere. "
            f"'Due soon' means a planned or forecast finish within {due_within_days} days.",
            st.small,
        ),
        _p(
            f"Source workbook: {view.plan.workbook}"
            + (f"; performance workbook: {performance.workbook}" if performance is not None else "")
            + ".",
            st.small,
        ),
    ]
    return parts


def _task_label(row) -> str:
    lead = content.text(row.lead)
    return f"<b>{escape(str(row.task_id))}</b> {escape(_clip(content.text(row.task), 110).rstrip('.'))}" + (
        f" (lead: {escape(lead)})" if lead else ""
    )


SUMMARY_NAMES = 12  # the one-page summary names this many tasks of a kind, then counts the rest


def _more(st: _Styles, total: int, what: str) -> list:
    if total <= SUMMARY_NAMES:
        return []
    return [_p(f"... and {total - SUMMARY_NAMES:,} more {what}, listed in section 4 and in the Excel workbook.", st.small)]


def _summary(st: _Styles, view, ex: pd.DataFrame, due_within_days: int) -> list:
    head = content.headline(view)
    done, rag, slip = head["completion"], head["rag"], head["slippage"]
    when = format_date(view.as_at)
    tasks = view.tasks
    out = [_p("1. Summary", st.h1)]
    if done["in_scope"] == 0:
        out.append(_p(f"At {when} the plan has no tasks in scope.", st.body))
        return out
    gap = round((done["rate"] or 0) * 100) - round((done["planned_rate"] or 0) * 100)
    position = (
        "in line with the plan"
        if gap == 0
        else (f"{abs(gap)} percentage points behind the plan" if gap < 0 else f"{gap} percentage points ahead of the plan")
    )
    out.append(
        _p(
            f"At {when}, {done['complete']} of {done['in_scope']} tasks are complete ({content.percent_text(done['rate'])}). "
            f"By this date the plan expected {content.percent_text(done['planned_rate'])} to be complete, so delivery is {position}.",
            st.body,
        )
    )
    out.append(
        _p(
            f"On track: {_plural(rag['Green'], 'task')} {'is' if rag['Green'] == 1 else 'are'} Green and {rag['Blue']} complete (Blue). "
            f"At risk or off track: {rag['Amber']} Amber and {rag['Red']} Red."
            + (
                f" {_plural(rag['Cancelled'], 'task')} {'was' if rag['Cancelled'] == 1 else 'were'} cancelled and {'is' if rag['Cancelled'] == 1 else 'are'} not counted."
                if rag["Cancelled"]
                else ""
            ),
            st.body,
        )
    )
    if slip["slipped"]:
        out.append(
            _p(
                f"Slippage: {_plural(slip['slipped'], 'task')} finished or {'is' if slip['slipped'] == 1 else 'are'} forecast to finish later than planned, "
                f"by a median of {slip['median_days']:g} days ({slip['total_days']} days in total).",
                st.body,
            )
        )
    else:
        out.append(_p("Slippage: no task has finished, or is forecast to finish, later than planned.", st.body))

    reds = tasks[tasks["rag"].astype(str) == "Red"]
    if len(reds):
        out.append(_p(f"What has slipped and why: {_plural(len(reds), 'task')} {'is' if len(reds) == 1 else 'are'} Red.", st.body))
        for row in reds.head(SUMMARY_NAMES).itertuples(index=False):
            said = content.text(row.commentary)
            out.append(
                _pm(
                    f"{_task_label(row)}: {escape(content.text(row.reason))}."
                    + (f" Lead's latest update: {escape(_clip(said, 200))}" if said else ""),
                    st.bullet,
                )
            )
        out += _more(st, len(reds), "Red tasks")
    else:
        out.append(_p("No task is Red.", st.body))
    ambers = tasks[tasks["rag"].astype(str) == "Amber"]
    if len(ambers):
        out.append(_p(f"{_plural(len(ambers), 'task')} {'is' if len(ambers) == 1 else 'are'} Amber:", st.body))
        for row in ambers.head(SUMMARY_NAMES).itertuples(index=False):
            out.append(_pm(f"{_task_label(row)}: {escape(content.text(row.reason))}.", st.bullet))
        out += _more(st, len(ambers), "Amber tasks")

    previous = previous_reporting_date(view.plan, view.as_at)
    if previous is not None:
        changes = changes_since(view.plan, previous, view.as_at, view.tolerance_days).tasks
        completed = int(changes["newly_complete"].sum())
        newly_red = list(changes.loc[changes["newly_red"], "task_id"])
        if len(newly_red) > SUMMARY_NAMES:
            newly_red = newly_red[:SUMMARY_NAMES] + [f"and {len(newly_red) - SUMMARY_NAMES:,} more"]
        moved = int(changes["forecast_moved"].sum())
        words = [f"{_plural(completed, 'task')} completed"]
        words.append(f"{_plural(len(newly_red), 'task')} became Red" + (f" ({', '.join(newly_red)})" if newly_red else ""))
        words.append(f"{_plural(moved, 'forecast')} moved")
        out.append(_p(f"Since the previous reporting date ({format_date(previous)}): " + "; ".join(words) + ".", st.body))

    counts = exception_summary(ex)
    asks = []
    if counts["Red"]:
        asks.append(f"the {_plural(counts['Red'], 'Red task')} above and the recovery actions their leads propose")
    if counts["Due soon"]:
        asks.append(f"{_plural(counts['Due soon'], 'task')} due to finish within {due_within_days} days")
    if counts["LSCB overdue"]:
        asks.append(
            f"{_plural(counts['LSCB overdue'], 'LSCB action')} past {'its' if counts['LSCB overdue'] == 1 else 'their'} due date without a reported completion"
        )
    gaps = view.coverage[view.coverage["findings"].map(len) > 0]
    no_task = view.coverage[view.coverage["tasks"].map(len) == 0]
    if len(no_task):
        asks.append(
            f"{_plural(len(no_task), 'recommendation')} with no task addressing {'it' if len(no_task) == 1 else 'them'} "
            f"({', '.join(map(str, no_task['rec_id']))})"
        )
    elif len(gaps):
        asks.append(f"{_plural(len(gaps), 'recommendation')} with a coverage finding (section 3)")
    if counts["RAG disagreement"]:
        asks.append(
            f"{_plural(counts['RAG disagreement'], 'task')} where the lead's reported RAG differs from the rating the plan's dates give"
        )
    if counts["Stale update"]:
        asks.append(f"{_plural(counts['Stale update'], 'task')} without a progress update since the previous reporting date")
    if counts["No finish date"]:
        asks.append(f"{_plural(counts['No finish date'], 'task')} with no finish date in the plan")
    out.append(_p("The board is asked to note:", st.body))
    for ask in asks or ["that no item needs the board's attention at this date"]:
        out.append(_p(ask[:1].upper() + ask[1:] + ".", st.bullet))
    out.append(_p("Section 4 lists every item for the board's attention.", st.small))
    return out


def _progress(st: _Styles, view) -> list:
    from src.charts import completion_trend, rag_by_group

    out = [_p("2. Progress by theme", st.h1)]
    themes = content.theme_rollup(view)
    out += _chart_flowables(
        st,
        rag_by_group(
            rollup(view.tasks, "theme_id").assign(
                theme_id=lambda f: f["theme_id"].astype(str).map(content.theme_names(view)).fillna(f["theme_id"].astype(str))
            ),
            "theme_id",
            "Theme",
        ),
        "illustrative" if view.plan.is_illustrative else None,
    )
    rows = [
        [
            f"{r['Theme ID']}. {r['Theme']}",
            r["RAG with counts"],
            r["Tasks"],
            f"{r['Complete']} ({content.percent_text(r['Completion rate'])})",
            r["Slipped"],
        ]
        for _, r in themes.iterrows()
    ]
    out.append(
        _table(
            st,
            ["Theme", "Roll-up RAG (tasks of each colour)", "Tasks", "Complete", "Slipped"],
            rows,
            [70, 55, 15, 25, 17],
            rag_columns=(1,),
        )
    )
    out.append(Spacer(1, 6 * mm))
    trend = progress_trend(view.plan, view.as_at, view.tolerance_days)
    out += _chart_flowables(st, completion_trend(trend), "illustrative" if view.plan.is_illustrative else None)
    return out


def _coverage(st: _Styles, view) -> list:
    out = [
        _p("3. Recommendation coverage", st.h1),
        _p(
            "Each inspection recommendation, the themes the plan declares for it, the tasks that address it and their "
            "combined rating. Findings point to gaps: a recommendation no task addresses, or one with no measure of impact.",
            st.body,
        ),
    ]
    cov, note = _on_paper(st, content.coverage_frame(view), "recommendations")
    rows = [
        [
            r["Recommendation"],
            _clip(r["Recommendation text"], 260),
            r["Themes declared"] or "none",
            str(len([t for t in r["Tasks addressing it"].split(", ") if t])),
            r["RAG with counts"],
            r["Findings"],
        ]
        for _, r in cov.iterrows()
    ]
    out.append(
        _table(st, ["No.", "Recommendation", "Themes", "Tasks", "Rating", "Findings"], rows, [9, 70, 14, 11, 28, 48], rag_columns=(4,))
    )
    return out + note


def _exceptions(st: _Styles, view, ex: pd.DataFrame, due_within_days: int) -> list:
    out = [_p("4. Items for the board's attention", st.h1)]
    counts = exception_summary(ex)
    summary = "; ".join(f"{k}: {v}" for k, v in counts.items())
    out.append(
        _p(
            f"At {format_date(view.as_at)}: {summary}. An item can appear under more than one heading. "
            f"'Due soon' means within {due_within_days} days; 'Stale update' means no update since the previous reporting date.",
            st.body,
        )
    )
    if ex.empty:
        out.append(_p("No item needs the board's attention at this date.", st.body))
    else:
        listed, note = _on_paper(st, ex, "items")
        rows = [
            [
                r.kind,
                r.task_id,
                _clip(content.text(r.task), 140),
                content.text(r.lead),
                content.text(r.reason),
                format_date(r.forecast),
                _clip(content.text(r.commentary), 160),
            ]
            for r in listed.itertuples(index=False)
        ]
        out.append(
            _table(
                st,
                ["Heading", "Task", "What", "Lead", "Why", "Expected finish", "Latest commentary"],
                rows,
                [24, 19, 37, 29, 35, 18, 36],
                rag_columns=(0,),
            )
        )
        out += note
    lscb = lscb_status(view.plan, view.as_at)
    if not lscb.empty:
        out.append(_p("LSCB actions", st.h2))
        rows = [
            [r.action_id, _clip(content.text(r.action), 200), content.text(r.lead), r.due or "none given", r.status, r.timeliness]
            for r in lscb.itertuples(index=False)
        ]
        out.append(_table(st, ["No.", "Action", "Lead", "Due", "Status", "Timeliness"], rows, [9, 80, 38, 20, 20, 24]))
    return out


def _caseload(st: _Styles, view, performance) -> list:
    from src.charts import explore_bar

    month, frame = content.caseload_team_frame(performance, view.as_at if view.plan.reporting_dates else None)
    out = [_p("5. Caseload and workforce", st.h1)]
    if frame.empty:
        out.append(_p("The performance workbook has no caseload figures.", st.body))
        return out
    label = frame["Figures"].iloc[0]
    out.append(
        _p(
            f"{label.capitalize()} figures for {format_date(month)}"
            + (
                ": generated for demonstration and calibrated to published totals, not the council's own records."
                if label == "illustrative"
                else "."
            ),
            st.notice if label == "illustrative" else st.body,
        )
    )
    whole = frame[frame["Team"] == "Whole service"].iloc[0]
    words = (
        f"Across the service, {int(whole['Case-holding workers'])} case-holding workers carry an average of "
        f"{whole['Average caseload (cases per FTE)']:.1f} cases per full-time equivalent; "
        f"{content.percent_text(whole['Share over threshold'])} of them are above their caseload threshold (20 cases, 15 for newly qualified workers)."
    )
    if not content.is_blank(whole["Agency rate"]):
        words += f" Agency staff fill {content.percent_text(whole['Agency rate'])} of filled posts"
        words += (
            f" and {content.percent_text(whole['Vacancy rate'])} of the establishment is vacant."
            if not content.is_blank(whole["Vacancy rate"])
            else "."
        )
    out.append(_p(words, st.body))
    teams = frame[frame["Team"] != "Whole service"]
    chart = explore_bar(teams, "Team", "Average caseload (cases per FTE)", "Average caseload (cases per FTE)", group_column="Team")
    out += _chart_flowables(st, chart, label)
    rows = [
        [
            r["Team"],
            int(r["Case-holding workers"]),
            f"{r['Average caseload (cases per FTE)']:.1f}",
            content.percent_text(r["Share over threshold"]),
            content.percent_text(r["Agency rate"]),
            content.percent_text(r["Vacancy rate"]),
        ]
        for _, r in frame.iterrows()
    ]
    out.append(
        _table(
            st,
            ["Team", "Case-holding workers", "Average caseload", "Over threshold", "Agency rate", "Vacancy rate"],
            rows,
            [60, 22, 22, 22, 20, 20],
        )
    )
    out.append(Spacer(1, 2 * mm))
    out.append(_p(f"Figures: {label}.", st.caption))
    return out


def _number(value: object, unit: str) -> str:
    if content.is_blank(value):
        return "–"
    number = float(value)
    text = f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"
    return text + ("%" if unit == "percent" else "")


def _kpis(st: _Styles, performance, as_at: pd.Timestamp) -> list:
    out = [_p("6. Key performance indicators", st.h1)]
    frame = content.kpi_frame(performance, as_at)
    if frame.empty:
        out.append(_p("The performance workbook has no KPIs.", st.body))
        return out
    frame, note = _on_paper(st, frame, "indicators")
    label = frame["Figures"].iloc[0]
    out.append(
        _p(
            f"Figures: {label}. Each indicator at its latest period up to {format_date(as_at)}, against England and the council's statistical neighbours. "
            "Status is against the council's target where one is set; direction of travel compares with the previous period.",
            st.body,
        )
    )
    rows = [
        [
            r["KPI"],
            format_date(r["Period"]),
            _number(r["Value"], r["Unit"]),
            _number(r["England"], r["Unit"]),
            _number(r["Statistical neighbours"], r["Unit"]),
            _number(r["Target"], r["Unit"]),
            r["KPI RAG"] or "no target",
            (r["Direction of travel"] or "–").capitalize(),
        ]
        for _, r in frame.iterrows()
    ]
    out.append(
        _table(
            st,
            ["Indicator", "Period", "Value", "England", "Statistical neighbours", "Target", "Status", "Direction"],
            rows,
            [62, 20, 16, 16, 20, 15, 17, 20],
            rag_columns=(6,),
        )
    )
    out += note
    out.append(_p("Sources", st.h2))
    for r in frame.itertuples(index=False):
        source = content.text(r.Source)
        if source:
            out.append(_pm(f"<b>{escape(r.KPI)}</b>: {escape(_clip(source, 400))}", st.small))
    return out


def _risks(st: _Styles, view, number: int) -> list:
    out = [_p(f"{number}. Risks", st.h1)]
    risks = risk_register(view.plan)
    if risks.empty:
        out.append(_p("The plan workbook lists no risks.", st.body))
        return out
    has_score = risks["score"].notna().any()
    header = ["No.", "Risk", "Rating", "Response", "Mitigation"] + (["Score"] if has_score else [])
    rows = []
    for r in risks.itertuples(index=False):
        mitigation = "\n".join(line.strip() for line in content.text(r.mitigation).splitlines() if line.strip())
        row = [r.risk_id, content.text(r.risk), content.text(r.rating), content.text(r.response), mitigation]
        if has_score:
            row.append("" if pd.isna(r.score) else f"{int(r.score)} ({int(r.likelihood)} x {int(r.impact)})")
        rows.append(row)
    out.append(_table(st, header, rows, [9, 50, 16, 20, 80] + ([20] if has_score else [])))
    if not has_score:
        out.append(Spacer(1, 3 * mm))
        out.append(_p("The plan gives a rating for each risk but no likelihood or impact scores.", st.small))
    return out


def briefing_pdf(view, performance=None, due_within_days: int = DEFAULT_DUE_WITHIN_DAYS) -> bytes:
    """The A4 briefing pack for the view's reporting date as PDF bytes."""
    st = _Styles()
    ex = content.view_exceptions(view, due_within_days)
    org = content.text(view.plan.about.get("organisation"))
    footer = " · ".join(
        p for p in (org, f"Briefing pack at {format_date(view.as_at)}", "illustrative progress" if view.plan.is_illustrative else "") if p
    )
    story: list = []
    story += _cover(st, view, performance, due_within_days)
    story.append(PageBreak())
    story += _summary(st, view, ex, due_within_days)
    story.append(PageBreak())
    story += _progress(st, view)
    story.append(PageBreak())
    story += _coverage(st, view)
    story.append(PageBreak())
    story += _exceptions(st, view, ex, due_within_days)
    if performance is not None:
        story.append(PageBreak())
        story += _caseload(st, view, performance)
        story.append(PageBreak())
        story += _kpis(st, performance, view.as_at)
    story.append(PageBreak())
    story += _risks(st, view, 7 if performance is not None else 5)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=20 * mm,
        title=f"{view.plan.title}: briefing pack at {format_date(view.as_at)}",
        author=org or "children's services improvement dashboard",
        subject="Portfolio Holder briefing pack",
        creator="children's services improvement dashboard",
        invariant=1,
    )
    doc.build(story, canvasmaker=_numbered_canvas(footer, st.regular))
    return out.getvalue()

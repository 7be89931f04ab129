"""The Chart a builder returns and the layout every chart shares. No streamlit here."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from src.analysis.dates import format_date
from src.analysis.textsafe import BIDI_CONTROLS, clean_label
from src.analysis.values import is_blank
from src.analysis.wording import count_of as count_of  # the one wording (src/analysis/wording.py), re-exported for the builders
from src.analysis.wording import number as number
from src.analysis.wording import percent as percent
from src.analysis.wording import plural as plural

from .palette import BLACK, GRID, WHITE

FONT_FAMILY = "Arial, Helvetica, sans-serif"
FONT_SIZE = 14  # px: body text; titles are larger
TICK_FONT_SIZE = 16  # px: tick labels, readable on a projector at the back of a room (issue 14)
TITLE_SIZE = 18
DATE_TICK_FORMAT = "%-d %b %Y"  # 31 Mar 2017, as format_date
DATE_TICK_FORMAT_TWO_LINES = "%-d %b<br>%Y"  # 31 Mar / 2017: five fit across a phone
DATE_HOVER_FORMAT = "%-d %b %Y"
ROW_HEIGHT_PX = 28
MIN_HEIGHT_PX = 300
LABEL_WRAP_CHARS = 26  # a category name's line: about 215 px of 16 px text, inside a 320 px (WCAG reflow) screen
LABEL_MAX_LINES = 3
LINE_PX = 20  # one line of 16 px tick text
DATE_TICKS = (
    3  # reporting dates labelled on a time axis: four two-line labels touched or ran together at 320 px (reflow), beside a second y axis
)
NOTHING_TO_SHOW = "Nothing to show"
LEGEND_ABOVE = {
    "orientation": "h",
    "yanchor": "bottom",
    "y": 1.02,
    "x": 0,
    "xanchor": "left",
    "traceorder": "normal",
    "font": {"size": FONT_SIZE},
}


@dataclass
class Chart:
    """A figure with the words that go with it.

    `title` states the finding (it is also the figure's title); `description` is one or two plain
    sentences with the numbers, for screen readers and print; `data` is the table behind the chart
    with human column names, for a table view and CSV/Excel download.
    """

    figure: go.Figure
    title: str
    description: str
    data: pd.DataFrame

    def __post_init__(self) -> None:
        # The safety net under plot_text: whatever a builder forgot to escape, no figure carries live markup.
        self.figure = inert_figure(self.figure)

    @property
    def is_empty(self) -> bool:
        return self.data.empty


# ---- workbook text in plotly ------------------------------------------------------------------
# Plotly reads a subset of HTML in every title, label, legend, hover and annotation (<a href>, <b>,
# <br>, <span style>, <sup>, entities). Workbook text goes in through plot_text; the builders' own
# markup is limited to the tags below, and inert_figure escapes any other tag left in a figure.
BUILDER_TAGS = ("br", "b", "/b", "i", "/i", "sup", "/sup", "sub", "/sub", "extra", "/extra")
_FOREIGN_TAG = re.compile(r"<(?!(?:" + "|".join(re.escape(t) for t in BUILDER_TAGS) + r")>)")
_NEEDS_CLEANING = re.compile("[<\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


def plot_text(value: object) -> str:
    """Workbook text as literal plotly text: `<`, `>` and `&` escaped, bidi and control characters removed.

    Apply before adding the builder's own `<br>`/`<b>` (wrap_lines after, truncate before)."""
    return html.escape(clean_label(value), quote=False)


_UNCHANGED = object()


def _inert(value: object) -> object:
    """The cleaned value, or _UNCHANGED; dicts come back as only their changed keys (an update)."""
    if isinstance(value, str):
        if not _NEEDS_CLEANING.search(value):
            return _UNCHANGED
        cleaned = _FOREIGN_TAG.sub("&lt;", clean_label(value))
        return _UNCHANGED if cleaned == value else cleaned
    if isinstance(value, dict):
        delta = {k: v for k, v in ((k, _inert(v)) for k, v in value.items()) if v is not _UNCHANGED}
        return delta or _UNCHANGED
    if isinstance(value, (list, tuple, np.ndarray)) and (not isinstance(value, np.ndarray) or value.dtype.kind in "OUS"):
        items = list(value)
        cleaned = [_inert(v) for v in items]
        if all(c is _UNCHANGED for c in cleaned):
            return _UNCHANGED
        # A list is replaced whole; a dict inside it (an annotation) merged with its changes.
        return [(v if c is _UNCHANGED else {**v, **c} if isinstance(v, dict) else c) for v, c in zip(items, cleaned)]
    return _UNCHANGED


def inert_figure(fig: go.Figure) -> go.Figure:
    """`fig` with every string free of markup other than BUILDER_TAGS and of bidi/control characters.
    Changed in place and only where needed: most figures carry nothing to clean."""
    raw = fig.to_dict()
    for index, trace in enumerate(raw.get("data", [])):
        delta = _inert(trace)
        if delta is not _UNCHANGED:
            fig.data[index].update(delta)
    delta = _inert(raw.get("layout", {}))
    if delta is not _UNCHANGED:
        fig.layout.update(delta)
    return fig


def apply_layout(
    fig: go.Figure,
    title: str,
    x_title: str,
    y_title: str,
    *,
    legend_title: str | None = None,
    height: int | None = None,
    x_dates: bool = False,
    y_dates: bool = False,
    hovermode: str = "closest",
    show_legend: bool | None = None,
) -> go.Figure:
    """White background, 14px text, the headline as the figure title, plain-English axis titles."""
    fig.update_layout(
        title={
            "text": plot_text(title),  # titles name KPIs, teams, themes: workbook text
            "x": 0,
            "xanchor": "left",
            "y": 0.99,
            "yref": "container",
            "yanchor": "top",
            "font": {"size": TITLE_SIZE, "color": BLACK},
        },
        font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": BLACK},
        paper_bgcolor=WHITE,
        plot_bgcolor=WHITE,
        hovermode=hovermode,
        hoverlabel={"font": {"family": FONT_FAMILY, "size": FONT_SIZE}, "bgcolor": WHITE},
        margin={"l": 20, "r": 20, "t": 70, "b": 60},
        # Legend laid flat above the plot area (issue 14): to the right it squeezed the plot to a sliver on a
        # phone and covered the latest point at 320 px; above, it wraps onto more rows and pushes the plot down.
        legend={"title": {"text": legend_title or "", "side": "top"}, **LEGEND_ABOVE},
    )
    if show_legend is not None:
        fig.update_layout(showlegend=show_legend)
    if height is not None:
        fig.update_layout(height=height)
    axis = {
        "showline": True,
        "linecolor": BLACK,
        "gridcolor": GRID,
        "zeroline": False,
        "automargin": True,
        "title": {"font": {"size": FONT_SIZE}},
        "tickfont": {"size": TICK_FONT_SIZE},
    }
    # Never turned on their side: rotated labels at phone width run into each other and into the axis title.
    fig.update_xaxes(**axis, title_text=x_title, tickangle=0)
    fig.update_yaxes(**axis, title_text=y_title)
    for name, title_text in (("x", x_title), ("y", y_title)):
        if str(title_text).startswith("Number of") or _whole_bars(fig, name):  # a count: whole-number ticks, never 0.5 of a task
            _whole_number_ticks(fig, name)
    if x_dates:
        fig.update_xaxes(type="date", tickformat=DATE_TICK_FORMAT, hoverformat=DATE_HOVER_FORMAT)
    if y_dates:
        fig.update_yaxes(type="date", tickformat=DATE_TICK_FORMAT, hoverformat=DATE_HOVER_FORMAT)
    if fig.data and not _has_values(fig):
        nothing_to_show(fig)
    return fig


def _has_values(fig: go.Figure) -> bool:
    """True when some trace has a number or a date to draw (plotly draws an empty -1..1 axis otherwise)."""
    for trace in fig.data:
        for name in ("x", "y", "z"):
            values = getattr(trace, name, None)
            if values is None:
                continue
            flat = np.asarray(values, dtype="object").ravel()
            # A number or a date, not a category name: bars of blank values on named rows are still empty.
            if any(_is_quantity(v) for v in flat):
                return True
    return False


def _is_quantity(value: object) -> bool:
    if isinstance(value, bool) or is_blank(value):
        return False
    return isinstance(value, (int, float, np.integer, np.floating, pd.Timestamp, np.datetime64)) or hasattr(value, "isoformat")


def nothing_to_show(fig: go.Figure) -> go.Figure:
    """No axes, no legend, and "Nothing to show" in the middle: never an empty -1 to 1 grid."""
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.update_layout(showlegend=False)
    fig.add_annotation(
        text=NOTHING_TO_SHOW, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": FONT_SIZE + 2, "color": BLACK}
    )
    return fig


def _whole_bars(fig: go.Figure, axis: str) -> bool:
    """True when every trace is a bar whose values along `axis` are whole numbers (a count by another name)."""
    found = False
    for trace in fig.data:
        if getattr(trace, "type", "") != "bar":
            return False
        values = getattr(trace, axis, None)
        if values is None:
            continue
        for v in values:
            if is_blank(v):
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or float(v) != int(v):
                return False
            found = True
    return found


def _whole_number_ticks(fig: go.Figure, axis: str) -> None:
    """Ticks at whole numbers on a count axis: integer labels, and a step of 1 when the largest stacked
    value is 10 or less (plotly would otherwise tick 0, 0.5, 1, ...)."""
    other = "y" if axis == "x" else "x"
    stacks: dict[object, float] = {}  # the tallest stack of bars (or the largest value) along the count axis
    for trace in fig.data:
        values = getattr(trace, axis, None)
        if values is None:
            continue
        keys = getattr(trace, other, None)
        keys = list(keys) if keys is not None else list(range(len(values)))
        for key, v in zip(keys, values):
            if isinstance(v, (int, float, np.integer, np.floating)) and v == v:
                stacks[key] = stacks.get(key, 0.0) + float(v)
    largest = max(stacks.values(), default=0.0)
    update = {"tickformat": ",d", "rangemode": "tozero"}
    if 0 < largest <= 10:
        update["dtick"] = 1
    elif largest <= 25:
        update["dtick"] = 5  # plotly's own choice at phone width is 0 and 10 only
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**update)


def rows_height(rows: int) -> int:
    """Figure height in px for a chart with one row (bar) per item: 28px a row plus room for titles."""
    return max(MIN_HEIGHT_PX, ROW_HEIGHT_PX * rows + 170)


def empty_chart(title: str, description: str, data: pd.DataFrame | None = None, x_title: str = "", y_title: str = "") -> Chart:
    """A chart with nothing to draw: the reason in the title and in the middle of the figure."""
    fig = go.Figure()
    apply_layout(fig, title, x_title, y_title, height=MIN_HEIGHT_PX, show_legend=False)
    nothing_to_show(fig)
    return Chart(fig, title, description, data if data is not None else pd.DataFrame())


# ---- words -----------------------------------------------------------------------------------


def date_text(value: object) -> str:
    return format_date(value)


def percent_text(rate: object) -> str:
    """0.9697 -> '97%'; 'not known' when blank (wording.percent: one wording on every surface)."""
    return percent(rate)


def verb(count: int, singular: str = "is", many: str = "are") -> str:
    """'is' for 1, 'are' otherwise: '1 of 14 recommendations has no task' from the same template as '2 ... have'."""
    return singular if count == 1 else many


def truncate(text: object, limit: int) -> str:
    """Cut at a word boundary within `limit` characters and end with an ellipsis."""
    text = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-") + "…"


def join_words(parts: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    parts = [p for p in parts if p]
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def two_line_date(value: object) -> str:
    """'31 Mar<br>2017': the date as everywhere (31 Mar 2017), on two lines so five fit across a phone."""
    text = date_text(value)
    day_month, _, year = text.rpartition(" ")
    return f"{day_month}<br>{year}" if day_month else text


def reporting_date_ticks(fig: go.Figure, dates, max_labels: int = DATE_TICKS) -> None:
    """Tick labels at the reporting dates themselves (`31 Mar 2017`, on two lines), not at month starts;
    thinned to at most `max_labels` so they never run together at 390 px (the same figure is drawn at 1440)."""
    stamps = sorted({pd.Timestamp(d) for d in dates if not is_blank(d)})
    if not stamps:
        return
    step = max(1, -(-len(stamps) // max_labels))
    shown = stamps[::-1][::step][::-1]  # keep the latest date labelled
    fig.update_xaxes(tickmode="array", tickvals=[d.strftime("%Y-%m-%d") for d in shown], ticktext=[two_line_date(d) for d in shown])


def month_ticks(fig: go.Figure, start: object, end: object, max_labels: int = 3) -> None:
    """Ticks on the 1st of a month every 3, 6, 12 or 24 months (the shortest step that gives at most
    `max_labels` ticks and still at least two), written '1 Jul<br>2017' (plotly's own ran together on a phone)."""
    if is_blank(start) or is_blank(end):
        return
    first, last = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()

    def ticks_every(step: int) -> list[pd.Timestamp]:
        tick = pd.Timestamp(year=first.year, month=first.month, day=1)
        if tick < first:
            tick += pd.DateOffset(months=1)
        out = []
        while tick <= last:
            out.append(tick)
            tick += pd.DateOffset(months=step)
        return out

    choices = [ticks_every(step) for step in (3, 6, 12, 24, 60)]
    ticks = next((t for t in choices if 2 <= len(t) <= max_labels), None) or next((t for t in choices if len(t) <= max_labels), choices[-1])
    quarters = [t for t in choices[0] if t.month in (1, 4, 7, 10)]
    if max_labels == 2 and len(quarters) >= 2:
        # Two labels as far apart as the dates allow, the first and the last quarter's start: two labels 12 months
        # apart ran together on the timeline's 90 px date strip at 320 px (issue 14, tests/e2e/test_chart_layout.py).
        ticks = [quarters[0], quarters[-1]]
    fig.update_xaxes(tickmode="array", tickvals=[t.strftime("%Y-%m-%d") for t in ticks], ticktext=[two_line_date(t) for t in ticks])


def thin_category_ticks(fig: go.Figure, labels: list, max_labels: int = 4) -> None:
    """Label at most `max_labels` of the categories along x (the latest always): '2015-16' for nine years
    ran together on a phone. Every category keeps its point and its hover."""
    labels = list(dict.fromkeys(labels))
    if len(labels) <= max_labels:
        return
    step = -(-len(labels) // max_labels)
    shown = labels[::-1][::step][::-1]
    fig.update_xaxes(type="category", tickmode="array", tickvals=shown, ticktext=shown)


def category_label(text: object, width: int = LABEL_WRAP_CHARS, max_lines: int = LABEL_MAX_LINES) -> str:
    """A full name as plotly text, wrapped onto lines of about `width` characters (never cut at a fixed
    length); only a name longer than `max_lines` lines ends with an ellipsis (the hover has it whole)."""
    words = " ".join(str(text).split()) if not is_blank(text) else ""
    wrapped = wrap_lines(plot_text(words), width).split("<br>")
    if len(wrapped) > max_lines:
        wrapped = wrapped[:max_lines]
        wrapped[-1] = truncate(wrapped[-1] + " …", width)
        if not wrapped[-1].endswith("…"):
            wrapped[-1] += "…"
    return "<br>".join(wrapped)


def label_lines(labels: list[str]) -> int:
    """The most lines any of `labels` takes."""
    return max((label.count("<br>") + 1 for label in labels), default=1)


BAR_PX = 34  # a bar's thickness when names are written above the bars
ABOVE_MARGINS_PX = 165  # title, legend above the plot and axis below: the figure height beyond the rows


def labels_above_bars(fig: go.Figure, labels: list[str]) -> int:
    """Horizontal bars with each category's full name written above its bar, inside the plot (so bars keep the
    whole width on a phone and the axis title never meets the names). Returns the figure height in px.

    The names are annotations anchored at their bottom on the category's tick, and each bar starts just below
    the tick: a row is the name's lines, a 4 px gap, the bar and a 14 px gap before the next name. (Plotly's own
    "inside" tick labels hide the count axis's tick labels on a narrow screen.)"""
    lines = label_lines(labels)
    row_px = LINE_PX * lines + 4 + BAR_PX + 14
    offset = 4 / row_px  # the axis is reversed: a positive offset is further down
    for trace in fig.data:
        if getattr(trace, "type", "") == "bar" and getattr(trace, "orientation", None) == "h":
            trace.update(width=BAR_PX / row_px, offset=offset)
    fig.update_yaxes(showticklabels=False, ticks="", showline=True)
    for label in labels:
        fig.add_annotation(
            text=label,
            x=0,
            xref="paper",
            xanchor="left",
            y=label,
            yref="y",
            yanchor="bottom",
            yshift=1,
            align="left",
            showarrow=False,
            font={"size": TICK_FONT_SIZE, "color": BLACK},
        )
    return max(MIN_HEIGHT_PX, row_px * len(labels) + ABOVE_MARGINS_PX)


GRID_NAME_CHARS = 30  # a grid row's name above the row: two lines of 16 px text across a 320 px screen
GRID_BAND_PX = 46  # a name band (two lines of 16 px) and a row of cells alike
GRID_NAME_KEY = "\u2060name {}"  # the y category of the band above grid row {}: never shown (tick labels are hidden)


def grid_rows_with_names_above(labels: list[str]) -> list[str]:
    """The y categories of a grid (heat map) whose row names are written above each row, across the whole
    width, instead of beside it: [name band 0, row 0, name band 1, row 1, ...]. Beside the rows the names took
    half of a phone's width and left columns of about 37 px, too narrow for the cell text (issue 14). A name
    band has no cells (its z is blank); `names_above_grid_rows` writes the names."""
    categories = []
    for i, label in enumerate(labels):
        categories += [GRID_NAME_KEY.format(i), label]
    return categories


def names_above_grid_rows(fig: go.Figure, labels: list[str], band_px: int) -> int:
    """Writes each row's name in the band above the row (see grid_rows_with_names_above), hides the y tick
    labels and returns the plot area's height in px for bands of `band_px` each."""
    fig.update_yaxes(
        showticklabels=False, ticks="", type="category", categoryorder="array", categoryarray=grid_rows_with_names_above(labels)
    )
    # One layout update for all the names: add_annotation re-validates every annotation already there, so one call per
    # row grew as rows squared (about 4 s for 200 KPIs).
    names = [
        {
            "text": label,
            "x": 0,
            "xref": "paper",
            "xanchor": "left",
            "y": GRID_NAME_KEY.format(i),
            "yref": "y",
            "yanchor": "middle",
            "align": "left",
            "showarrow": False,
            "font": {"size": TICK_FONT_SIZE, "color": BLACK},
        }
        for i, label in enumerate(labels)
    ]
    fig.update_layout(annotations=list(fig.layout.annotations) + names)
    return band_px * 2 * len(labels)


def uniform_bar_text(fig: go.Figure) -> None:
    """Bar labels in one size, at least 14 px, and hidden where a segment is too narrow for them (on a phone),
    never shrunk to a sliver or run into the next segment ('18 Blu')."""
    fig.update_layout(uniformtext={"minsize": FONT_SIZE, "mode": "hide"})
    fig.update_traces(constraintext="inside", selector={"type": "bar"})


def wrap_lines(text: str, width: int) -> str:
    """Words wrapped at about `width` characters, lines joined with <br> (plotly text has no wrapping)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def unique_labels(labels: list[str]) -> list[str]:
    """Axis categories must be unique: add ' (2)' to repeats left by truncation."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out

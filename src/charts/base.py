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

from .palette import BLACK, GRID, WHITE

FONT_FAMILY = "Arial, Helvetica, sans-serif"
FONT_SIZE = 14  # px: body text; titles are larger
TICK_FONT_SIZE = 16  # px: tick labels, readable on a projector at the back of a room (issue 14)
TITLE_SIZE = 18
DATE_TICK_FORMAT = "%-d %b %Y"  # 31 Mar 2017, as format_date
DATE_HOVER_FORMAT = "%-d %b %Y"
ROW_HEIGHT_PX = 28
MIN_HEIGHT_PX = 300


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
        # Legend to the right of the plot: above it, it collides with the title and annotations.
        legend={
            "title": {"text": legend_title or ""},
            "orientation": "v",
            "yanchor": "top",
            "y": 1.0,
            "x": 1.02,
            "xanchor": "left",
            "traceorder": "normal",
        },
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
    fig.update_xaxes(**axis, title_text=x_title)
    fig.update_yaxes(**axis, title_text=y_title)
    for name, title_text in (("x", x_title), ("y", y_title)):
        if str(title_text).startswith("Number of"):  # a count: whole-number ticks, never 0.5 of a task
            _whole_number_ticks(fig, name)
    if x_dates:
        fig.update_xaxes(type="date", tickformat=DATE_TICK_FORMAT, hoverformat=DATE_HOVER_FORMAT)
    if y_dates:
        fig.update_yaxes(type="date", tickformat=DATE_TICK_FORMAT, hoverformat=DATE_HOVER_FORMAT)
    return fig


def _whole_number_ticks(fig: go.Figure, axis: str) -> None:
    """Ticks at whole numbers on a count axis: integer labels, and a step of 1 when the largest stacked
    value is 10 or less (plotly would otherwise tick 0, 0.5, 1, ...)."""
    largest = 0.0
    for trace in fig.data:
        values = getattr(trace, axis, None)
        if values is None:
            continue
        numbers = [float(v) for v in values if isinstance(v, (int, float)) and v == v]
        largest += max(numbers, default=0.0)  # stacked bars: an upper bound of the tallest stack
    update = {"tickformat": ",d", "rangemode": "tozero"}
    if 0 < largest <= 10:
        update["dtick"] = 1
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**update)


def rows_height(rows: int) -> int:
    """Figure height in px for a chart with one row (bar) per item: 28px a row plus room for titles."""
    return max(MIN_HEIGHT_PX, ROW_HEIGHT_PX * rows + 170)


def empty_chart(title: str, description: str, data: pd.DataFrame | None = None, x_title: str = "", y_title: str = "") -> Chart:
    """A chart with nothing to draw: the reason in the title and in the middle of the figure."""
    fig = go.Figure()
    apply_layout(fig, title, x_title, y_title, height=MIN_HEIGHT_PX, show_legend=False)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        text="No data to show", x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": FONT_SIZE + 2, "color": BLACK}
    )
    return Chart(fig, title, description, data if data is not None else pd.DataFrame())


# ---- words -----------------------------------------------------------------------------------


def date_text(value: object) -> str:
    return format_date(value)


def percent_text(rate: object) -> str:
    """0.9697 -> '97%'; blank when unknown."""
    if rate is None or pd.isna(rate):
        return "unknown"
    return f"{round(float(rate) * 100)}%"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 task', '3 tasks'."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


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


def reporting_date_ticks(fig: go.Figure, dates, max_labels: int = 8) -> None:
    """Tick labels at the reporting dates themselves (`31 Mar 2017`), not at month starts; thinned to fit."""
    stamps = [pd.Timestamp(d) for d in dates if not is_blank(d)]
    if not stamps:
        return
    step = max(1, -(-len(stamps) // max_labels))
    shown = stamps[::-1][::step][::-1]  # keep the latest date labelled
    fig.update_xaxes(tickmode="array", tickvals=[d.strftime("%Y-%m-%d") for d in shown], ticktext=[date_text(d) for d in shown])


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

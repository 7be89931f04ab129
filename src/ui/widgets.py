"""Drawing helpers the pages share: charts with their title, description and data; capped tables with a CSV
download; Excel downloads; the large-type toggle; and the frame's CSS."""

from __future__ import annotations

import weakref

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from .safe import md
from .tables import csv_bytes, for_display

# Keyboard focus that can be seen (WCAG 2.4.7): Streamlit's own indicator is a 15% grey wash on the
# sidebar links (about 1.1:1) and a 1px border colour on inputs. A 3px ring in the theme's dark blue instead.
FOCUS_CSS = """<style>
[data-testid="stApp"] :is(a, button, summary, [role="button"], [tabindex]:not([tabindex="-1"])):focus-visible
  { outline: 3px solid #12436D !important; outline-offset: 2px; }
[data-testid="stApp"] div:has(> :is(input, textarea):focus-visible) { outline: 3px solid #12436D; outline-offset: 1px; }
/* At phone and reflow widths (WCAG 1.4.10) a page title in Streamlit's 2.75rem broke mid-word
   ("Recommendat / ion" at 320 px): smaller there, so whole words wrap. */
@media (max-width: 480px) { [data-testid="stApp"] h1 { font-size: 1.75rem; overflow-wrap: normal; word-break: normal; } }
</style>"""


def figure_for_screen(chart_obj) -> go.Figure:
    """The chart's figure as shown on screen: without its own title (the subheading above says it), validated
    once per figure (`_screen_figure`)."""
    return _screen_figure(chart_obj.figure)


def show_chart(chart_obj, key: str, *, figure: go.Figure | None = None, chart_key: str | None = None, **plotly_options):
    """Title as a subheading, the figure, the description as a caption, the data in an expander.
    `figure`: figure_for_screen(chart_obj) when the caller already has it; `chart_key` overrides the
    figure's widget key (a drill-down bumps it to clear a selection); `plotly_options` go to
    st.plotly_chart (e.g. on_select). Returns st.plotly_chart's value (the selection event with on_select)."""
    st.header(md(chart_obj.title), anchor=False)  # h2 under the page title: headings never skip a level (axe heading-order)
    figure = figure if figure is not None else figure_for_screen(chart_obj)
    # theme=None: the charts carry their own accessible styling
    event = st.plotly_chart(figure, key=chart_key or f"chart_{key}", theme=None, config={"displaylogo": False}, **plotly_options)
    st.caption(md(chart_obj.description))
    with st.expander("Data behind this chart"):
        show_table(chart_obj.data, key=f"chart_{key}", file_name=f"{key}.csv")
    return event


# Chart figure (by identity) -> (a weak reference to it, its screen version). st.plotly_chart re-validates a
# plain dict on every call (plotly's Figure(**dict): 0.1-0.5 s for a heatmap's annotations) but not a Figure, so a
# memoised chart is validated once here and then sent as it is. Entries go when their figure does.
_SCREEN_FIGURES: dict[int, tuple[weakref.ref, go.Figure]] = {}


class _ScreenFigure(go.Figure):
    """A screen figure, never changed once made: its dict is worked out once. st.plotly_chart calls `to_dict()`
    on every rerun (a deep copy of every trace and annotation: 0.13 s for the large scorecard's 7,400 cells),
    then serialises that dict; the copy is kept here and given out read-only."""

    def to_dict(self):
        cached = self.__dict__.get("_screen_dict")
        if cached is None:
            cached = super().to_dict()
            self.__dict__["_screen_dict"] = cached
        return cached


def _screen_figure(figure: go.Figure) -> go.Figure:
    """The figure without its title (the subheading above says it) and with a 40 px top margin; never changes `figure`."""
    known = _SCREEN_FIGURES.get(id(figure))
    if known is not None and known[0]() is figure:
        return known[1]
    spec = figure.to_dict()
    layout = spec.setdefault("layout", {})
    layout["title"] = {**layout.get("title", {}), "text": ""}
    layout["margin"] = {**layout.get("margin", {}), "t": 40}
    screen = _ScreenFigure(spec)
    try:
        _SCREEN_FIGURES[id(figure)] = (weakref.ref(figure), screen)
        weakref.finalize(figure, _SCREEN_FIGURES.pop, id(figure), None)
    except TypeError:  # not weakly referable: no reuse
        pass
    return screen


MAX_TABLE_ROWS = 1000


def capped(frame: pd.DataFrame) -> pd.DataFrame:
    """The first MAX_TABLE_ROWS rows, saying so: sending 10,000 rows to the browser on every rerun is slow
    and nobody reads them on screen; the download keeps them all."""
    if len(frame) <= MAX_TABLE_ROWS:
        return frame
    st.caption(f"Showing the first {MAX_TABLE_ROWS:,} of {len(frame):,} rows; filter in the sidebar, or download for all of them.")
    return frame.head(MAX_TABLE_ROWS)


# Table frame (by identity) -> (a weak reference to it, its display version): a memoised table (context.memo) is
# turned into display text once, not on every rerun (per-cell date formatting of 1,000 rows). Frames given to
# show_table are read-only, like every memoised result. Entries go when their frame does.
_DISPLAY_FRAMES: dict[int, tuple[weakref.ref, pd.DataFrame]] = {}


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """for_display of the first MAX_TABLE_ROWS rows of `frame`, worked out once per frame object."""
    known = _DISPLAY_FRAMES.get(id(frame))
    if known is not None and known[0]() is frame:
        return known[1]
    shown = for_display(frame.head(MAX_TABLE_ROWS) if len(frame) > MAX_TABLE_ROWS else frame)
    try:
        _DISPLAY_FRAMES[id(frame)] = (weakref.ref(frame), shown)
        weakref.finalize(frame, _DISPLAY_FRAMES.pop, id(frame), None)
    except TypeError:  # not weakly referable: no reuse
        pass
    return shown


def show_table(frame: pd.DataFrame, key: str, file_name: str | None = None, **kwargs) -> None:
    """A table with dates as `31 Mar 2017` and a CSV download (of every row)."""
    capped(frame)  # says how many rows are not shown
    st.dataframe(display_frame(frame), hide_index=True, key=f"table_{key}", **kwargs)
    if file_name:
        # A callable: the CSV is built when someone clicks, not on every rerun (10,000-row tables).
        st.download_button("Download CSV", lambda: csv_bytes(frame), file_name=file_name, mime="text/csv", key=f"csv_{key}")


def excel_bytes(sheets: dict[str, pd.DataFrame], title_rows: dict[str, list[str]] | None = None) -> bytes:
    """An .xlsx of the given tables through src.xlsx (formula-like text is guarded)."""
    from src.xlsx import build_workbook, workbook_bytes

    return workbook_bytes(build_workbook(sheets, title_rows=title_rows))


LARGE_TYPE_CSS = """<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p, [data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] [data-testid="stWidgetLabel"] p, [data-testid="stMain"] [data-testid="stTable"] td,
[data-testid="stMain"] [data-testid="stTable"] th, [data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 1.5rem; line-height: 1.45; }
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] p { font-size: 3rem; }
[data-testid="stMain"] h3 { font-size: 2rem; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.3rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { color: #0B0C0C; }
</style>"""


def large_type(key: str = "large_type") -> bool:
    """A 'Large type' toggle for workshops and projected screens: bigger text in the main area, captions at
    full contrast (near-black on white). Returns whether it is on; tables are best drawn with st.table then."""
    on = st.toggle("Large type", key=key, help="Bigger text for a projected screen or a workshop.")
    if on:
        st.html(LARGE_TYPE_CSS)
    return on

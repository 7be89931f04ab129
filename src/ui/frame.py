"""The frame every page draws first: `ctx = frame.page("Overview")`.

It picks the data and reads it once per content (sources.py), draws the shared controls in the sidebar
(sidebar.py), builds the PlanView once per (plan, reporting date, tolerance) (context.py), and shows the
notices every page carries (notices.py). Pages get a PageContext and only wire widgets, analysis, charts
and tables together (widgets.py has the shared drawing helpers; cache_keys.py builds every cache key).
"""

from __future__ import annotations

import streamlit as st

from src.analysis.isolation import start_workers_in_background

from . import mapping as mapping_step
from . import navigation, sidebar, sources
from .context import PageContext, plan_view
from .notices import page_notices
from .widgets import FOCUS_CSS


def page(title: str) -> PageContext:
    """Draw the frame (title, sidebar, notices) and return the page's context. Call it first."""
    st.set_page_config(page_title=f"{title} · {navigation.APP_NAME}", layout="wide")  # each page its own tab title
    st.html(FOCUS_CSS)  # style only: takes no space
    navigation.sidebar_links()
    st.title(title)
    start_workers_in_background()  # ready for the first upload: a fork, not the worker server's start
    sources.pending_uploads()
    sources.start_reading_performance_early()  # both workbooks at once on a server's first page
    plan, plan_source = sources.load(sources.PLAN)
    performance, perf_source = sources.load(sources.PERFORMANCE)
    controls = sidebar.controls_sidebar(plan)
    council = sidebar.council_sidebar(plan, performance)
    sources.data_sidebar(plan_source, perf_source)
    view = plan_view(plan, plan_source, performance, perf_source, controls)
    ctx = PageContext(title, view, sidebar.filter_tasks(view.tasks, controls), controls, plan_source, performance, perf_source)
    ctx.council = council
    sources.upload_notices(plan_source, perf_source)
    page_notices(ctx)
    if mapping_step.pending():  # an uploaded tracker waits for its mapping: that comes before the page
        mapping_step.draw_step(sources.use_mapping)
        st.stop()
    return ctx

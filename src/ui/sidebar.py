"""The sidebar's shared controls (reporting date, tolerance, theme / lead / RAG filters, council) and their
sync with the URL's query parameters (src/ui/state.py defines them), so a link opens the same view."""

from __future__ import annotations

import os
import weakref

import pandas as pd
import streamlit as st

from src.analysis.dates import format_date
from src.analysis.performance_workbook import PerformanceData
from src.analysis.plan_workbook import RAG_ORDER, PlanData
from src.analysis.progress import NO_LEAD

from . import state
from .safe import plain

CONTROLS_KEY = "controls"
WIDGET_KEYS = {"as_at": "w_as_at", "tolerance_days": "w_tol", "themes": "w_theme", "leads": "w_lead", "rags": "w_rag"}


def _initial_controls() -> state.Controls:
    params = {name: st.query_params.get_all(name) for name in state.QUERY_PARAMS}
    return state.from_query(params)


def _on_change(field_name: str) -> None:
    controls: state.Controls = st.session_state[CONTROLS_KEY]
    setattr(controls, field_name, st.session_state[WIDGET_KEYS[field_name]])


# Plan (by identity) -> (a weak reference to it, its sidebar choices): the reporting dates sort every update row's
# date and the leads every task's lead, the same on every rerun (a plan read once per content is shared).
_PLAN_CHOICES: dict[int, tuple[weakref.ref, tuple]] = {}


def _plan_choices(plan: PlanData) -> tuple[list[str], list, dict, list[str]]:
    """(reporting dates as ISO text, theme ids, theme names, leads) of a plan, worked out once per plan object."""
    known = _PLAN_CHOICES.get(id(plan))
    if known is not None and known[0]() is plan:
        return known[1]
    choices = (
        [state.iso(d) for d in plan.reporting_dates] or [state.iso(plan.default_as_at())],
        list(plan.themes["theme_id"]),
        dict(zip(plan.themes["theme_id"], plan.themes["theme"])),
        sorted(set(plan.tasks["lead"].fillna(NO_LEAD)), key=str.lower),
    )
    try:
        _PLAN_CHOICES[id(plan)] = (weakref.ref(plan), choices)
        weakref.finalize(plan, _PLAN_CHOICES.pop, id(plan), None)
    except TypeError:  # not weakly referable: no reuse
        pass
    return choices


def controls_sidebar(plan: PlanData) -> state.Controls:
    ss = st.session_state
    if CONTROLS_KEY not in ss:
        ss[CONTROLS_KEY] = _initial_controls()
    dates, themes, theme_names, leads = _plan_choices(plan)
    dates = list(dates)
    free_date = plan.as_at_is_today  # no Updates and no plan date: any date may be chosen (default today)
    if free_date:
        dates = [ss.get(FREE_DATE_CHOSEN) or dates[-1]]
    rags = [str(r) for r in RAG_ORDER]
    controls = state.settle(ss[CONTROLS_KEY], dates, themes, leads, rags)
    ss[CONTROLS_KEY] = controls
    for name, key in WIDGET_KEYS.items():  # widgets forget their value on a page switch; re-seed them
        ss[key] = getattr(controls, name)
    side = st.sidebar
    if free_date:
        _free_reporting_date(controls)
    else:
        side.selectbox(
            "Reporting date",
            dates,
            format_func=format_date,
            key=WIDGET_KEYS["as_at"],
            on_change=_on_change,
            args=("as_at",),
            help="Progress as reported at this date (the latest by default).",
        )
    side.number_input(
        "RAG tolerance (days)",
        min_value=0,
        max_value=state.MAX_TOLERANCE_DAYS,
        step=1,
        key=WIDGET_KEYS["tolerance_days"],
        on_change=_on_change,
        args=("tolerance_days",),
        help="How many days a forecast may run past the planned finish and still be Amber rather than Red.",
    )
    side.multiselect(
        "Theme",
        themes,
        format_func=lambda t: plain(f"{t}. {theme_names.get(t, '')}"),
        key=WIDGET_KEYS["themes"],
        on_change=_on_change,
        args=("themes",),
        placeholder="All themes",
    )
    side.multiselect(
        "Lead", leads, format_func=plain, key=WIDGET_KEYS["leads"], on_change=_on_change, args=("leads",), placeholder="All leads"
    )
    side.multiselect("RAG", rags, key=WIDGET_KEYS["rags"], on_change=_on_change, args=("rags",), placeholder="All RAG")
    _write_query(controls, state.iso(pd.Timestamp.today()) if free_date else dates[-1])
    return controls


FREE_DATE_KEY = "w_as_at_free"
FREE_DATE_CHOSEN = "_free_as_at"


def _on_free_date() -> None:
    controls: state.Controls = st.session_state[CONTROLS_KEY]
    chosen = st.session_state.get(FREE_DATE_KEY)
    if chosen is not None:
        controls.as_at = st.session_state[FREE_DATE_CHOSEN] = state.iso(chosen)


def _free_reporting_date(controls: state.Controls) -> None:
    """The plan has no Updates and no plan date: the reporting date defaults to today, says so, and may be set."""
    st.session_state[FREE_DATE_KEY] = pd.Timestamp(controls.as_at).date()
    st.sidebar.date_input(
        "Reporting date",
        key=FREE_DATE_KEY,
        on_change=_on_free_date,
        format="DD/MM/YYYY",
        help="The date the plan's RAG and planned completion are worked out at.",
    )
    if controls.as_at == state.iso(pd.Timestamp.today()):
        st.sidebar.caption("The plan has no progress updates and no plan date, so the reporting date is today. Choose another date above.")
    else:
        st.sidebar.caption(
            "The plan has no progress updates and no plan date: the reporting date is the one chosen above (today by default)."
        )


def _write_query(controls: state.Controls, latest: str) -> None:
    wanted = state.to_query(controls, latest)
    for name in state.QUERY_PARAMS:
        if st.query_params.get_all(name) != wanted.get(name, []):
            if name in wanted:
                st.query_params[name] = wanted[name]
            else:
                del st.query_params[name]


def filter_tasks(tasks: pd.DataFrame, controls: state.Controls) -> pd.DataFrame:
    mask = pd.Series(True, index=tasks.index)
    if controls.themes:
        mask &= tasks["theme_id"].isin(controls.themes)
    if controls.leads:
        mask &= tasks["lead"].fillna(NO_LEAD).isin(controls.leads)
    if controls.rags:
        mask &= tasks["rag"].astype("object").map(str).isin(controls.rags)
    return tasks[mask]


# ---- sidebar: the council whose published figures are shown (issue 17) -------------------------

COUNCIL_CHOICE_KEY, COUNCIL_WIDGET_KEY = "council_choice", "w_council"


def _on_council() -> None:
    st.session_state[COUNCIL_CHOICE_KEY] = st.session_state[COUNCIL_WIDGET_KEY] or None


# (the published data, what the choice depends on) -> the council code: resolving names against every council
# (published.choose_council) took 5-10 ms of every rerun on every page. Bounded; the data are read once per process.
_COUNCIL_CODES: dict[tuple, tuple[object, str | None]] = {}


def _council_code(data, chosen, plan_about: dict, perf_about: dict | None) -> str | None:
    from src.analysis import published

    abouts = (plan_about, perf_about)
    key = (
        id(data),
        repr(chosen),
        tuple(repr((a or {}).get(k)) for a in abouts for k in ("council", "organisation")),
        perf_about is None,
        os.environ.get(published.COUNCIL_ENV),
    )
    known = _COUNCIL_CODES.get(key)
    if known is not None and known[0] is data:
        return known[1]
    code = published.choose_council(data, chosen, *abouts)
    if len(_COUNCIL_CODES) >= 256:
        _COUNCIL_CODES.clear()
    _COUNCIL_CODES[key] = (data, code)
    return code


def council_sidebar(plan: PlanData, performance: PerformanceData | None) -> str | None:
    """A council picker (name or LA code, type to search). Default: the plan's or the performance workbook's
    About `council` / `organisation`, else $DASHBOARD_COUNCIL, else the `council` query parameter."""
    from src.analysis import published

    try:
        data = published.load_published()
    except (OSError, ValueError, KeyError):
        return None  # no published data files: the pages work as before
    ss = st.session_state
    table = published.councils(data)
    names = dict(zip(table["code"], table["name"]))
    chosen = ss.get(COUNCIL_CHOICE_KEY) or st.query_params.get("council")
    code = _council_code(data, chosen, plan.about, performance.about if performance is not None else None)
    ss[COUNCIL_WIDGET_KEY] = code or ""  # widgets forget their value on a page switch; re-seed it
    st.sidebar.selectbox(
        "Council (published figures)",
        ["", *table["code"]],
        format_func=lambda c: f"{names[c]} ({c})" if c else "None chosen",
        key=COUNCIL_WIDGET_KEY,
        on_change=_on_council,
        help="Whose published DfE figures the scorecard and benchmarks show, beside England, the region and the "
        "statistical neighbours. Type a name or an LA code.",
    )
    return code


def set_reporting_date(as_at: str) -> None:
    """Show this reporting date (ISO text) from the next run on, e.g. after a merged plan is adopted."""
    if CONTROLS_KEY in st.session_state:
        st.session_state[CONTROLS_KEY].as_at = as_at

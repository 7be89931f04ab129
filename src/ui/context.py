"""What a page gets from the frame (PageContext) and the caches of derived frames behind it.

Cached objects are shared between sessions: treat `ctx.view`, `ctx.plan` and their frames as read-only
(copy before adding columns). Every cache here follows the one idiom (see sources.py): an st.cache_resource
function whose hashed argument is a key from cache_keys, the heavy inputs unhashed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd
import streamlit as st

from src.analysis.exceptions import previous_reporting_date
from src.analysis.findings import Finding
from src.analysis.performance_workbook import PerformanceData
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import PlanData
from src.analysis.progress import progress_trend, task_table
from src.analysis.summary_json import plan_summary

from . import cache_keys, state
from .sources import Source

CACHE_VIEWS = 32
CACHE_DERIVED = 256


@dataclass
class PageContext:
    """What a page needs: the PlanView, the filtered task table, the controls and the sources."""

    title: str
    view: PlanView
    tasks: pd.DataFrame  # view.tasks after the theme / lead / RAG filters
    controls: state.Controls
    plan_source: Source
    performance: PerformanceData | None = None
    performance_source: Source | None = None
    _cache: dict = field(default_factory=dict, repr=False)
    council: str | None = None  # LA code for the published figures (sidebar, About, $DASHBOARD_COUNCIL)

    @property
    def plan(self) -> PlanData:
        return self.view.plan

    @property
    def data_key(self) -> tuple:
        """What the whole (unfiltered) view depends on, for `memo` keys: workbooks, reporting date, tolerance."""
        perf_sha = self.performance_source.sha256 if self.performance_source else None
        return cache_keys.view(self.plan_source.sha256, perf_sha, self.as_at, self.view.tolerance_days)

    @property
    def view_key(self) -> tuple:
        """Everything the filtered view depends on, for `memo` keys: workbooks, date, tolerance, filters."""
        c = self.controls
        return cache_keys.filtered_view(*self.data_key, c.themes, c.leads, c.rags)

    @property
    def as_at(self) -> pd.Timestamp:
        return self.view.as_at

    @property
    def filtered(self) -> bool:
        return self.controls.filtered

    @property
    def findings(self) -> list[Finding]:
        """Every data-quality finding: plan, then performance."""
        return list(self.plan.findings) + (list(self.performance.findings) if self.performance is not None else [])

    @cached_property
    def summary(self) -> dict:
        """The CLI's summary for the whole plan at this date (unfiltered), once per data_key (read-only)."""
        extra = self.performance.findings if self.performance is not None else None
        return memo(("summary", *self.data_key), plan_summary, self.view, extra_findings=extra)

    def trend(self) -> pd.DataFrame:
        """progress_trend at every reporting date up to D, for the filtered tasks."""
        ids = tuple(self.tasks["task_id"]) if self.filtered else None
        key = cache_keys.trend(self.plan_source.sha256, self.as_at, self.view.tolerance_days, ids)
        return _trend(key, self.plan, self.as_at, self.view.tolerance_days, ids)

    def table_at(self, as_at: pd.Timestamp) -> pd.DataFrame:
        """The task table at another reporting date (same tolerance), filtered like `tasks`."""
        table = _table_at(
            cache_keys.task_table(self.plan_source.sha256, as_at, self.view.tolerance_days), self.plan, as_at, self.view.tolerance_days
        )
        return table[table["task_id"].isin(set(self.tasks["task_id"]))]

    def view_at(self, as_at: pd.Timestamp) -> PlanView:
        """The whole plan's PlanView at another reporting date (same tolerance and KPIs) = PlanView.build there,
        built on table_at's task table (a copy), so the two are worked out once between them."""
        as_at = pd.Timestamp(as_at)
        return memo(("view at", *self.data_key, str(as_at)), self._view_at, as_at)

    def _view_at(self, as_at: pd.Timestamp) -> PlanView:
        tolerance = self.view.tolerance_days
        tasks = _table_at(cache_keys.task_table(self.plan_source.sha256, as_at, tolerance), self.plan, as_at, tolerance).copy()
        kpis = self.performance.kpis if self.performance is not None else None
        return PlanView.build(self.plan, as_at, tolerance, kpis=kpis, tasks=tasks)

    def previous_date(self) -> pd.Timestamp | None:
        """The reporting date before this one (the engine's one definition), or None: once per data_key (it
        sorts the dates of every update row)."""
        return memo(("previous reporting date", *self.data_key), previous_reporting_date, self.plan, self.as_at)


@st.cache_resource(max_entries=CACHE_VIEWS, show_spinner=False)
def _view(key: tuple, _plan: PlanData, _as_at: str | None, _tolerance_days: int, _kpis: pd.DataFrame | None) -> PlanView:
    return PlanView.build(_plan, pd.Timestamp(_as_at) if _as_at else None, _tolerance_days, kpis=_kpis)


def plan_view(plan: PlanData, plan_source: Source, performance: PerformanceData | None, perf_source: Source | None, controls) -> PlanView:
    """The PlanView of the plan (and its performance figures) at the chosen date and tolerance, once per key."""
    kpis = performance.kpis if performance is not None else None
    key = cache_keys.view(plan_source.sha256, perf_source.sha256 if perf_source else None, controls.as_at, controls.tolerance_days)
    return _view(key, plan, controls.as_at, controls.tolerance_days, kpis)


@st.cache_resource(max_entries=CACHE_VIEWS, show_spinner="Working out the trend…")
def _trend(key: tuple, _plan: PlanData, _as_at: pd.Timestamp, _tolerance_days: int, _task_ids: tuple | None) -> pd.DataFrame:
    return progress_trend(_plan, pd.Timestamp(_as_at), _tolerance_days, task_ids=_task_ids)


@st.cache_resource(max_entries=CACHE_VIEWS, show_spinner=False)
def _table_at(key: tuple, _plan: PlanData, _as_at: pd.Timestamp, _tolerance_days: int) -> pd.DataFrame:
    return task_table(_plan, pd.Timestamp(_as_at), _tolerance_days)


@st.cache_resource(max_entries=CACHE_DERIVED, show_spinner=False)
def _memo(key: tuple, _build, _args: tuple, _kwargs: dict):
    return _build(*_args, **_kwargs)


def memo(key: tuple, build, *args, **kwargs):
    """build(*args, **kwargs) once per `key` across reruns and sessions (bounded). The key must name
    everything the result depends on (start from `ctx.data_key` or `ctx.view_key`); treat the result as
    read-only. For charts and tables whose inputs do not change between reruns."""
    return _memo(key, build, args, kwargs)

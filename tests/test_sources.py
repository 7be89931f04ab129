"""src/ui/sources.py: where the page's workbooks come from, and the early start of the performance workbook."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.apptest_helpers import metrics, run_page, use_embedded_workbooks  # noqa: F401 - autouse fixture

ROOT = Path(__file__).resolve().parents[1]
OVERVIEW = str(ROOT / "pages" / "1_overview.py")


def test_the_configured_performance_workbook_is_started_before_the_plan_is_read_and_only_once(tmp_path, monkeypatch):
    """A server's first page reads both configured workbooks at once: the performance workbook's worker is
    started before the plan's read begins; a rerun starts nothing (a `stat` only) and the figures come from it."""
    from src.ui import sources

    plan, perf = tmp_path / "plan.xlsx", tmp_path / "performance.xlsx"
    shutil.copy(ROOT / "data" / "improvement_plan.xlsx", plan)
    shutil.copy(ROOT / "data" / "performance.xlsx", perf)
    perf.touch()  # a file version this process has not seen
    monkeypatch.setenv("DASHBOARD_PLAN", str(plan))
    monkeypatch.setenv("DASHBOARD_PERFORMANCE", str(perf))
    events = []
    real_start, real_load = sources.start_isolated, sources.load_isolated

    def start(kind, data, name, *args, **kwargs):
        events.append(f"start {kind} {name}")
        return real_start(kind, data, name, *args, **kwargs)

    def load(kind, data, name, *args, **kwargs):
        events.append(f"read {kind} {name}")
        return real_load(kind, data, name, *args, **kwargs)

    monkeypatch.setattr(sources, "start_isolated", start)
    monkeypatch.setattr(sources, "load_isolated", load)
    at = run_page(OVERVIEW, timeout=60)
    assert not at.exception
    assert events == ["start performance performance.xlsx", "read plan plan.xlsx"]  # the performance read waited for, not repeated
    assert "performance.xlsx" in " ".join(c.value for c in at.caption)  # the figures come from the configured workbook
    at.run()
    assert events == ["start performance performance.xlsx", "read plan plan.xlsx"]
    assert metrics(at)


def test_a_broken_configured_performance_workbook_is_still_reported_by_the_page(tmp_path, monkeypatch):
    from src.ui import sources

    perf = tmp_path / "broken-performance.xlsx"
    perf.write_bytes(b"not a workbook")
    monkeypatch.setenv("DASHBOARD_PERFORMANCE", str(perf))
    sources.start_reading_performance_early()  # as the frame does: nothing raised, nothing shown
    at = run_page(OVERVIEW, timeout=60)
    assert not at.exception
    assert any("broken-performance.xlsx" in e.value for e in at.error)


def test_an_uploaded_tracker_is_read_once_in_the_worker_and_offers_its_review(monkeypatch):
    """The review button's question (is this a council's own tracker?) is answered from the upload's own parse, in
    the worker: the server never parses uploaded bytes itself (it once did, a second time, just for the button)."""
    from streamlit.testing.v1 import AppTest

    from src.analysis import plan_workbook
    from src.ui import sources
    from tests import tracker_builders as tb

    def never(*args, **kwargs):
        raise AssertionError("an upload was parsed in the server's own process")

    monkeypatch.setattr(plan_workbook, "load_plan", never)
    monkeypatch.setattr(sources, "load_plan", never)
    reads = []
    real = sources.load_isolated

    def counted(kind, data, name, *args, **kwargs):
        reads.append(name)
        return real(kind, data, name, *args, **kwargs)

    monkeypatch.setattr(sources, "load_isolated", counted)
    at = AppTest.from_file(OVERVIEW, default_timeout=60)
    at.session_state["pending_upload_plan"] = ("own tracker.xlsx", tb.nos_tracker())
    at.run()
    assert not at.exception
    assert at.session_state["upload_plan"]["tracker"] is True
    assert reads == ["own tracker.xlsx"]
    assert any(b.label == "Check how the tracker's columns were read" for b in at.button)

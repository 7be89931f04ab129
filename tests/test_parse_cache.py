"""src/analysis/parse_cache.py: the server's own workbooks parsed once per content, across restarts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from src.analysis import parse_cache
from src.analysis.plan_workbook import load_plan
from tests.apptest_helpers import metrics, run_page, use_embedded_workbooks  # noqa: F401 - autouse fixture

ROOT = Path(__file__).resolve().parents[1]
PLAN_BYTES = (ROOT / "data" / "improvement_plan.xlsx").read_bytes()


@pytest.fixture
def folder(tmp_path, monkeypatch):
    where = tmp_path / "parsed"
    monkeypatch.setenv(parse_cache.CACHE_ENV, str(where))
    return where


def entries(where: Path, workbooks_only: bool = False) -> list[str]:
    """The entries kept; `workbooks_only`: the plan and performance workbooks' (not the published tables')."""
    found = sorted(p.name for p in where.glob("*.pickle")) if where.is_dir() else []
    return [name for name in found if not name.startswith("published-")] if workbooks_only else found


def test_a_kept_workbook_comes_back_equal_and_only_for_the_same_content_kind_and_name(folder):
    plan = load_plan(PLAN_BYTES, "improvement_plan.xlsx")
    parse_cache.put("plan", "abc", "improvement_plan.xlsx", plan, background=False)
    kept = parse_cache.get("plan", "abc", "improvement_plan.xlsx")
    pd.testing.assert_frame_equal(kept.tasks, plan.tasks)
    pd.testing.assert_frame_equal(kept.updates, plan.updates)
    assert kept.findings == plan.findings
    assert parse_cache.has("plan", "abc", "improvement_plan.xlsx")
    assert parse_cache.get("plan", "abd", "improvement_plan.xlsx") is None  # other bytes
    assert parse_cache.get("plan", "abc", "other name.xlsx") is None  # the name is in every finding
    assert parse_cache.get("performance", "abc", "improvement_plan.xlsx") is None


def test_the_folder_and_its_entries_are_private(folder):
    parse_cache.put("plan", "abc", "p.xlsx", {"x": 1}, background=False)
    assert folder.stat().st_mode & 0o777 == 0o700
    (entry,) = folder.glob("*.pickle")
    assert entry.stat().st_mode & 0o077 == 0


def test_a_folder_others_can_write_is_never_read(folder):
    parse_cache.put("plan", "abc", "p.xlsx", {"x": 1}, background=False)
    os.chmod(folder, 0o777)
    assert parse_cache.get("plan", "abc", "p.xlsx") is None
    os.chmod(folder, 0o700)
    assert parse_cache.get("plan", "abc", "p.xlsx") == {"x": 1}


def test_an_entry_others_can_write_is_never_read(folder):
    parse_cache.put("plan", "abc", "p.xlsx", {"x": 1}, background=False)
    (entry,) = folder.glob("*.pickle")
    os.chmod(entry, 0o666)
    assert parse_cache.get("plan", "abc", "p.xlsx") is None


def test_a_damaged_entry_is_a_miss_and_is_removed(folder):
    parse_cache.put("plan", "abc", "p.xlsx", {"x": 1}, background=False)
    (entry,) = folder.glob("*.pickle")
    entry.write_bytes(b"\x80\x05 not a pickle")
    assert parse_cache.get("plan", "abc", "p.xlsx") is None
    assert not entry.exists()


def test_off_means_nothing_is_written_or_read(tmp_path, monkeypatch):
    monkeypatch.setenv(parse_cache.CACHE_ENV, "off")
    parse_cache.put("plan", "abc", "p.xlsx", {"x": 1}, background=False)
    assert parse_cache.get("plan", "abc", "p.xlsx") is None
    assert parse_cache.cache_folder() is None


def test_at_most_max_entries_are_kept_the_least_recently_used_go_first(folder):
    for number in range(parse_cache.MAX_ENTRIES + 2):
        parse_cache.put("plan", f"d{number}", "p.xlsx", number, background=False)
        entry = folder / parse_cache.entry_name("plan", f"d{number}", "p.xlsx")
        os.utime(entry, (1_000_000 + number, 1_000_000 + number))  # written in this order
    assert len(entries(folder)) == parse_cache.MAX_ENTRIES
    assert parse_cache.get("plan", "d0", "p.xlsx") is None and parse_cache.get("plan", "d1", "p.xlsx") is None
    assert parse_cache.get("plan", f"d{parse_cache.MAX_ENTRIES + 1}", "p.xlsx") == parse_cache.MAX_ENTRIES + 1


def test_a_change_to_the_analysis_code_is_a_new_key(tmp_path, monkeypatch):
    code = tmp_path / "analysis"
    code.mkdir()
    (code / "load.py").write_text("x = 1\n")
    monkeypatch.setattr(parse_cache, "_ANALYSIS", code)
    parse_cache.code_fingerprint.cache_clear()
    try:
        before = parse_cache.entry_name("plan", "abc", "p.xlsx")
        (code / "load.py").write_text("x = 2\n")
        parse_cache.code_fingerprint.cache_clear()
        assert parse_cache.entry_name("plan", "abc", "p.xlsx") != before
    finally:
        parse_cache.code_fingerprint.cache_clear()


# ---- the dashboard ---------------------------------------------------------------------------------------


OVERVIEW = str(ROOT / "pages" / "1_overview.py")


def counting_reads(monkeypatch) -> list[str]:
    from src.ui import sources

    reads = []
    real = sources.load_isolated

    def load(kind, data, name, *args, **kwargs):
        reads.append(name)
        return real(kind, data, name, *args, **kwargs)

    monkeypatch.setattr(sources, "load_isolated", load)
    return reads


def test_a_restarted_server_reads_its_configured_plan_from_the_cache_with_the_same_figures(folder, tmp_path, monkeypatch):
    import streamlit as st

    plan = tmp_path / "configured plan.xlsx"
    shutil.copy(ROOT / "data" / "improvement_plan.xlsx", plan)
    monkeypatch.setenv("DASHBOARD_PLAN", str(plan))
    reads = counting_reads(monkeypatch)
    st.cache_resource.clear()
    first = run_page(OVERVIEW, timeout=60)
    assert not first.exception and reads == ["configured plan.xlsx"]
    assert len(wait_for_entries(folder, 1, workbooks_only=True)) == 1
    st.cache_resource.clear()  # as a restart empties the process's caches
    again = run_page(OVERVIEW, timeout=60)
    assert reads == ["configured plan.xlsx"]  # not parsed a second time
    assert metrics(again) == metrics(first)


def wait_for_entries(where: Path, count: int, workbooks_only: bool = False) -> list[str]:
    import time

    for _ in range(100):  # entries are written in the background
        if len(entries(where, workbooks_only)) >= count:
            break
        time.sleep(0.05)
    time.sleep(0.3)  # and room for one more, were there one
    return entries(where, workbooks_only)


def test_an_upload_is_never_written_to_disk(folder, monkeypatch):
    import streamlit as st

    st.cache_resource.clear()
    at = run_page(OVERVIEW, timeout=60)  # the embedded workbooks: kept (so an upload's entry would show too)
    kept = wait_for_entries(folder, 2, workbooks_only=True)
    assert len(kept) == 2
    from tests.builders import plan_bytes, task, update

    upload = plan_bytes([task("T1", "May 16", "June 16")], [update("T1", "2016-06-30", "Complete", 100)])
    at.session_state["pending_upload_plan"] = ("uploaded.xlsx", upload)
    at.run()
    assert not at.exception and at.session_state["upload_plan"]["name"] == "uploaded.xlsx"  # accepted and in use
    assert wait_for_entries(folder, 3, workbooks_only=True) == kept


def test_a_refused_configured_workbook_is_not_kept(folder, tmp_path, monkeypatch):
    import streamlit as st

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    monkeypatch.setenv("DASHBOARD_PLAN", str(broken))
    st.cache_resource.clear()
    at = run_page(OVERVIEW, timeout=60)
    assert any("broken.xlsx" in e.value for e in at.error)
    assert not [name for name in entries(folder) if name.startswith("plan-")]


def test_the_published_tables_are_kept_with_their_council_list(folder):
    from src.analysis import published

    published.load_published.cache_clear()
    first = published.load_published()
    assert len(wait_for_entries(folder, 1)) == 1  # written in the background
    published.load_published.cache_clear()  # as a restart
    again = published.load_published()
    assert again is not first
    pd.testing.assert_frame_equal(again.values, first.values)
    pd.testing.assert_frame_equal(again.council_table, first.council_table)
    assert "council_table" in vars(again)  # worked out before it was kept, not again
    published.load_published.cache_clear()

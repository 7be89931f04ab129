"""The Monthly update returns page, headless: build the returns, hand back filled ones (through the page's
session-state hook: AppTest has no file uploader), preview, confirm, download the merged plan, use it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from src.analysis.plan_workbook import load_plan
from tests.apptest_helpers import metrics, run_page, use_embedded_workbooks  # noqa: F401 (an autouse fixture)
from tests.test_returns import FEBRUARY, HCS_FILE, MARCH, fill_return, march_answers, plan_until

ROOT = Path(__file__).resolve().parents[1]
PAGE = str(ROOT / "pages" / "13_returns.py")
HCS_TASKS = ["P1-M5-T1", "P2-M4-T1", "P3-M1-T1", "P3-M4-T1"]


@pytest.fixture
def saved_files(monkeypatch) -> dict[str, bytes]:
    saved: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        saved[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return saved


def downloads(at, saved) -> dict[str, bytes]:
    return {b.proto.label: saved[b.proto.url.rsplit("/", 1)[-1].split(".")[0]] for b in at.get("download_button") if b.proto.url}


@pytest.fixture
def february_plan_file(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "plan.xlsx"
    path.write_bytes(plan_until(FEBRUARY))
    monkeypatch.setenv("DASHBOARD_PLAN", str(path))
    return path


def clean(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_embedded_plan_page_offers_next_months_returns():
    at = run_page(PAGE)
    clean(at)
    assert at.selectbox(key="returns_as_at").value == "2018-01-31"
    assert any("No returns uploaded yet for 31 Jan 2018" in i.value for i in at.info)
    assert any(h.value == "3. Who has not returned" for h in at.header)


def test_build_hand_back_preview_confirm_and_use(february_plan_file, saved_files):
    from src.analysis.workbook_paths import DEFAULT_PLAN

    full = load_plan(DEFAULT_PLAN.read_bytes(), DEFAULT_PLAN.name)
    at = run_page(PAGE)
    clean(at)
    assert at.selectbox(key="returns_as_at").value == "2017-03-31"
    at.button(key="build_returns").click().run()
    clean(at)
    files = downloads(at, saved_files)
    archive = zipfile.ZipFile(io.BytesIO(files["Download all 14 returns (.zip)"]))
    assert HCS_FILE in archive.namelist()
    filled = fill_return(archive.read(HCS_FILE), march_answers(full, HCS_TASKS))
    at.session_state["pending_returns"] = [(HCS_FILE, filled)]
    at.run()
    clean(at)
    shown = metrics(at)
    assert shown["Items updated"] == "4" and shown["New commentary"] == "4"
    assert not any("will not be merged" in e.value for e in at.error)
    assert not any(b.proto.label.startswith("Download plan - with returns") for b in at.get("download_button")), "nothing before confirming"
    at.button(key="confirm_merge").click().run()
    clean(at)
    files = downloads(at, saved_files)
    merged = load_plan(files["Download plan - with returns 31 Mar 2017.xlsx"], "merged.xlsx")
    assert merged.reporting_dates[-1] == MARCH
    assert set(merged.updates.loc[merged.updates["as_at"] == MARCH, "task_id"]) == set(HCS_TASKS)
    assert "4 task updates" in files["Download the merge log (.txt)"].decode()
    # Using the merged plan: the same return is now "already merged", and HCS is no longer chased.
    at.button(key="use_merged").click().run()
    clean(at)
    assert any("Plan: plan - with returns 31 Mar 2017.xlsx" in c.value and "as at 31 Mar 2017" in c.value for c in at.caption)
    assert at.selectbox(key="returns_as_at").value == "2017-03-31"
    assert list(at.table[0].value["Outcome"]) == ["already merged"]
    chase = at.dataframe[-1].value
    assert "Head of Children's Services" not in set(chase["Return for"]) and len(chase) > 0


def test_a_bad_return_is_listed_with_its_cell(february_plan_file):
    at = run_page(PAGE)
    at.button(key="build_returns").click().run()
    from src.analysis.plan_workbook import load_plan as load
    from src.export.returns import build_returns

    plan = load(february_plan_file.read_bytes(), "plan.xlsx")
    returns = dict(build_returns(plan, MARCH))
    bad = fill_return(returns[HCS_FILE], {"P3-M1-T1": {"status": "Nearly done"}})
    at.session_state["pending_returns"] = [(HCS_FILE, bad)]
    at.run()
    clean(at)
    assert any("1 item will not be merged" in e.value for e in at.error)
    refusals = at.table[1].value
    assert list(refusals["Cell"]) == ["N6"] and "'Nearly done' is not a status" in refusals["Problem"].iloc[0]

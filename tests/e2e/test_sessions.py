"""Ten people at once on one server: each uploads their own council's plan workbook, and each then
sees only their own data (organisation and task count), checked after all ten have uploaded.
Uploads are kept in the session's memory only: nothing named like an upload appears on disk."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from tests.builders import plan_bytes, task, update
from tests.e2e.conftest import (
    PAGES,
    ROOT,
    RUN_TIMEOUT_MS,
    caption_text,
    metrics,
    nav_link,
    open_data_source,
    sidebar,
    wait_for_run,
)

SESSIONS = 10
SMALL_VIEWPORT = {"width": 1280, "height": 900}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def council_plan(n: int) -> tuple[str, str, int, bytes]:
    """Council n: its own name, file name and 2 + n tasks (T1 complete, the rest in progress)."""
    organisation = f"Session Test Council {n:02d}"
    count = 2 + n
    tasks = [task(f"T{k}", pd.Timestamp("2017-01-01"), pd.Timestamp("2017-12-31")) for k in range(1, count + 1)]
    updates = [update("T1", "2017-06-30", "Complete", 100, actual="2017-06-20")]
    updates += [update(f"T{k}", "2017-06-30", "In progress", 50) for k in range(2, count + 1)]
    data = plan_bytes(tasks, updates, about={"organisation": organisation, "data_status": "illustrative"})
    return organisation, f"e2e_session_{n:02d}_plan.xlsx", count, data


def _files_named(root: Path, prefix: str) -> list[Path]:
    found = []
    for folder, _dirs, files in os.walk(root):
        found += [Path(folder) / f for f in files if f.startswith(prefix)]
    return found


def test_ten_sessions_each_see_only_their_own_upload(browser, server):
    overview = next(p for p in PAGES if p.url_path == "")
    # The ten load a page without charts first (ten Chromium tabs drawing plotly on two cores is a
    # test of the CI machine, not of the server); the overview is then checked one at a time.
    start = next((p for p in PAGES if p.title == "Data quality"), overview)
    plans = [council_plan(n) for n in range(1, SESSIONS + 1)]
    assert len({p[2] for p in plans}) == SESSIONS and len({p[0] for p in plans}) == SESSIONS

    contexts = [browser.new_context(viewport=SMALL_VIEWPORT) for _ in plans]
    try:
        pages = []
        for context in contexts:
            context.set_default_timeout(2 * RUN_TIMEOUT_MS)
            pages.append(context.new_page())
        for page in pages:  # ten sessions open together
            page.goto(server.page_url(start), wait_until="commit")
        for page in pages:
            wait_for_run(page, 2 * RUN_TIMEOUT_MS)
            open_data_source(page)
        # All ten uploads sent before any is waited for, so the server handles them side by side.
        for page, (_org, name, _count, data) in zip(pages, plans):
            sidebar(page).get_by_test_id("stFileUploader").filter(has_text="Upload a plan workbook").locator(
                'input[type="file"]'
            ).set_input_files(files=[{"name": name, "mimeType": XLSX, "buffer": data}])
        for page in pages:
            wait_for_run(page, 2 * RUN_TIMEOUT_MS)

        # Only now, with every session holding its upload, check what each one shows.
        for page, (organisation, name, _count, _data) in zip(pages, plans):
            assert f"{name} ({organisation}), upload" in caption_text(page)
        for page in pages:  # a new run in each session, from its own state, all ten together
            nav_link(page, overview).click()
        for page, (organisation, name, count, _data) in zip(pages, plans):
            page.wait_for_url(f"{server.url}/{overview.link_path}*")
            wait_for_run(page, 2 * RUN_TIMEOUT_MS)
            source = caption_text(page)
            assert f"{name} ({organisation}), upload" in source, source
            body = page.get_by_test_id("stMain").inner_text()
            others = [org for org, *_ in plans if org != organisation] + ["Durham"]
            assert [o for o in others if o in body] == []
            shown = metrics(page)
            assert shown["Tasks complete"] == f"1 of {count}", shown
    finally:
        for context in contexts:
            context.close()

    # Nothing was written: no file named like an upload in the repository or the temp folders.
    for root in {ROOT, Path(tempfile.gettempdir()), Path("/tmp")}:
        assert _files_named(root, "e2e_session_") == [], f"uploaded workbooks found on disk under {root}"
    recent = [p for p in ROOT.rglob("*.xls*") if p.stat().st_mtime >= server.started_at and "artifacts" not in p.parts]
    assert recent == [], f"workbooks written into the repository while the server ran: {recent}"
    assert server.process.poll() is None, "the server is still running"

"""The monthly cycle in a real browser, on the embedded plan: build the returns for 31 Jan 2018, fill three of
them in as the leads would, upload the three at once, see the checks and what will change, confirm, download
the merged plan, upload it through the sidebar and see its figures on the overview."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from src.analysis.plan_workbook import load_plan
from tests.e2e.conftest import (
    PAGES,
    SCREENSHOTS,
    caption_text,
    choose,
    go_to,
    metrics,
    open_page,
    page_by_title,
    sidebar,
    upload_plan,
    wait_for_run,
)
from tests.test_returns import fill_return

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WHEN = "31 Jan 2018"


def _download(page, button_text: str) -> tuple[str, bytes]:
    button = page.get_by_test_id("stMain").get_by_test_id("stDownloadButton").filter(has_text=button_text)
    button.first.wait_for(state="visible")
    with page.expect_download(timeout=60_000) as info:
        button.first.locator("button").click()
    with open(info.value.path(), "rb") as handle:
        return info.value.suggested_filename, handle.read()


def _go(page, server, nav) -> None:
    """Follow the sidebar link, first opening the navigation's "View N more" when the page is folded away."""
    more = page.get_by_test_id("stSidebar").get_by_text(re.compile(r"^View \d+ more$"))
    if more.count():
        more.first.click()
    go_to(page, server, nav)


def test_build_fill_upload_confirm_download_and_see_the_overview(page, server):
    overview = next(p for p in PAGES if p.url_path == "")
    open_page(page, server, overview)
    before = metrics(page)
    assert before["Tasks complete"] == "32 of 33"

    _go(page, server, page_by_title("Monthly update returns"))
    main = page.get_by_test_id("stMain")
    main.get_by_role("button", name="Build the returns").click()
    wait_for_run(page)
    name, archive = _download(page, "Download all 7 returns")
    assert name == f"Improvement plan updates - {WHEN}.zip"
    returns = {n: zipfile.ZipFile(io.BytesIO(archive)).read(n) for n in zipfile.ZipFile(io.BytesIO(archive)).namelist()}
    planning = f"Improvement plan update - Head of Planning and Service Strategy - {WHEN}.xlsx"
    unit = f"Improvement plan update - LSCB Business Unit - {WHEN}.xlsx"
    quality = f"Improvement plan update - Quality and Performance Sub-Group - {WHEN}.xlsx"
    assert {planning, unit, quality} <= set(returns)
    filled = {
        planning: fill_return(
            returns[planning],
            {
                "P2-M3-T5": {
                    "status": "Complete",
                    "actual_finish": dt.datetime(2018, 1, 26),
                    "reported_rag": "Blue",
                    "commentary": "System live.",
                }
            },
        ),
        unit: fill_return(
            returns[unit],
            {"2": {"status": "Complete"}, "5": {"status": "Complete", "commentary": "Procedures updated."}},
            sheet="LSCB actions",
        ),
        quality: fill_return(returns[quality], {"4": {"status": "In progress"}, "7": {"status": "Finished!"}}, sheet="LSCB actions"),
    }
    uploader = main.get_by_test_id("stFileUploader").filter(has_text="Upload the returned workbooks")
    uploader.locator('input[type="file"]').set_input_files(files=[{"name": n, "mimeType": XLSX, "buffer": d} for n, d in filled.items()])
    main.get_by_text("What will change").wait_for(timeout=60_000)
    wait_for_run(page)
    assert metrics(page)["Items updated"] == "4"  # P2-M3-T5, LSCB 2, 5 and 4; LSCB 7's status word is refused
    assert metrics(page)["New commentary"] == "2" and metrics(page)["Newly complete"] == "3"
    refused = main.get_by_test_id("stTable").filter(has_text="'Finished!' is not a status")
    assert refused.count() == 1 and "G5" in refused.inner_text()
    assert main.get_by_test_id("stTable").filter(has_text="In progress → Complete").count() == 1
    assert main.get_by_test_id("stDownloadButton").filter(has_text="with returns").count() == 0, "nothing is built before confirming"

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "returns_preview.png"), full_page=True)
    main.get_by_role("button", name="Confirm and build the merged plan").click()
    wait_for_run(page)
    merged_name, merged = _download(page, "with returns")
    assert merged_name == f"improvement_plan - with returns {WHEN}.xlsx"
    plan = load_plan(merged, merged_name)
    assert plan.reporting_dates[-1].strftime("%d %b %Y") == WHEN
    log_name, log = _download(page, "merge log")
    assert "1 task update and 3 LSCB action updates merged from 3 files" in log.decode()

    _go(page, server, overview)
    upload_plan(page, "merged_plan.xlsx", merged)  # a short name: the sidebar's uploader shortens long ones
    # The sidebar keeps the reporting date the session was on (31 Dec 2017); the new month is now offered in it.
    choose(page, "Reporting date", WHEN, scope=sidebar(page))
    after = metrics(page)
    assert after["Tasks complete"] == "33 of 33"
    assert f"as at {WHEN}" in caption_text(page) and "merged_plan.xlsx" in caption_text(page)
    assert re.search(r"upload", caption_text(page))
    assert page.get_by_test_id("stException").count() == 0
    assert page.errors.all() == []

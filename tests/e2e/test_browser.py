"""The dashboard in a real browser: every page in the navigation draws without an
exception or a JavaScript error (screenshot kept under artifacts/screenshots/), the sidebar's
reporting date and RAG filter change the overview's figures, an uploaded plan workbook written
another council's way replaces the data, a broken upload is reported and the earlier data stays,
and the briefing pack downloads as a PDF."""

from __future__ import annotations

import re

import pytest

from tests.builders import other_council_plan_bytes
from tests.e2e.conftest import (
    PAGES,
    caption_text,
    choose,
    metrics,
    open_page,
    page_by_title,
    sidebar,
    upload_plan,
    wait_for_run,
)

OVERVIEW = PAGES[0] if PAGES else None


def test_navigation_lists_every_page_once():
    assert len(PAGES) >= 6
    assert len({p.url_path for p in PAGES}) == len(PAGES)
    assert sum(p.url_path == "" for p in PAGES) == 1, "exactly one default page"


@pytest.mark.parametrize("nav", PAGES, ids=[p.slug for p in PAGES])
def test_sidebar_lists_every_page(tour, server, nav):
    """The navigation each page shows is exactly the registry's, in order, with the same addresses."""
    shown = tour[nav.slug].nav_links
    assert shown == [(p.title, f"{server.url}/{p.link_path}") for p in PAGES]


@pytest.mark.parametrize("nav", PAGES, ids=[p.slug for p in PAGES])
def test_page_renders_without_errors(tour, nav):
    """The shared tour (conftest) opened the page once, screenshot saved under artifacts/screenshots/."""
    seen = tour[nav.slug]
    assert seen.failure is None, f"{nav.title} could not be drawn: {seen.failure}"
    assert seen.exceptions == [], seen.exceptions[0]
    assert seen.errors == []
    assert seen.has_title, "the frame draws a title on every page"
    assert "as at" in seen.source_line, "the frame's source line is shown"
    assert seen.screenshot is not None and seen.screenshot.stat().st_size > 10_000


def _overview(page, server):
    overview = next(p for p in PAGES if p.url_path == "")
    open_page(page, server, overview)
    return metrics(page)


def test_reporting_date_and_rag_filter_change_the_overview(page, server):
    latest = _overview(page, server)
    assert "Tasks complete" in latest
    assert "as at 31 Dec 2017" in caption_text(page)

    choose(page, "Reporting date", "30 Sep 2017", scope=sidebar(page))
    earlier = metrics(page)
    assert "as at 30 Sep 2017" in caption_text(page)
    assert "as_at=2017-09-30" in page.url
    assert earlier["Tasks complete"] != latest["Tasks complete"]

    choose(page, "RAG", "Red", scope=sidebar(page))
    red_only = metrics(page)
    red = int(earlier["Red: off track"])
    assert red > 0, "the embedded plan has Red tasks at 30 Sep 2017"
    assert red_only["Red: off track"] == str(red)
    assert red_only["Blue: complete"] == "0" and red_only["Green: on track"] == "0"
    assert red_only["Tasks complete"] == f"0 of {red}"
    assert page.get_by_test_id("stAlert").filter(has_text=f"Filtered to RAG Red: {red} of").count() == 1
    assert page.errors.all() == []


def test_upload_switches_the_data_and_a_broken_upload_keeps_it(page, server):
    before = _overview(page, server)
    assert "improvement_plan.xlsx (Durham County Council), embedded" in caption_text(page)

    upload_plan(page, "anytown_plan.xlsx", other_council_plan_bytes())
    after = metrics(page)
    source = caption_text(page)
    assert "anytown_plan.xlsx" in source and "upload" in source and "Durham" not in source
    assert re.search(r"of 5$", after["Tasks complete"]), after  # Anytown's five tasks, none cancelled
    assert after["Tasks complete"] != before["Tasks complete"]
    assert page.get_by_test_id("stAlert").filter(has_text="Loaded anytown_plan.xlsx").count() == 1

    upload_plan(page, "plan.xlsx", b"not a workbook")
    error = page.get_by_test_id("stAlert").filter(has_text="plan.xlsx cannot be used")
    assert error.count() == 1
    assert "still showing anytown_plan.xlsx" in error.inner_text()
    assert "could not be read as an Excel workbook" in error.inner_text()
    assert metrics(page) == after
    assert "anytown_plan.xlsx" in caption_text(page)
    assert page.get_by_test_id("stException").count() == 0
    assert page.errors.all() == []


def test_briefing_pack_downloads_a_pdf(page, server):
    nav = page_by_title("Briefing pack")
    if nav is None:
        pytest.skip("no Briefing pack page in dashboard.py's navigation")
    open_page(page, server, nav)
    main = page.get_by_test_id("stMain")
    build = main.get_by_role("button", name=re.compile(r"(build|make|create|generate).*(pdf|pack)", re.IGNORECASE))
    download = main.get_by_test_id("stDownloadButton").filter(has_text=re.compile(r"\.pdf|pdf\b", re.IGNORECASE))
    if build.count() == 0 and download.count() == 0:
        pytest.skip("the Briefing pack page has no build or download button yet (placeholder)")
    if build.count():
        build.first.click()
        wait_for_run(page)
        download.first.wait_for(state="visible", timeout=120_000)
    with page.expect_download(timeout=120_000) as info:
        download.first.locator("button").click()
    path = info.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert info.value.suggested_filename.lower().endswith(".pdf")
    assert page.get_by_test_id("stException").count() == 0
    assert page.errors.all() == []


def test_the_blank_templates_download_as_workbooks_the_dashboard_reads(page, server):
    """The template bytes are built when the button is pressed (a deferred download), not on every first page."""
    from src.analysis.performance_workbook import load_performance
    from src.analysis.plan_workbook import load_plan

    _overview(page, server)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stExpander").filter(has_text="Data source").locator("summary").click()
    for kind, loader in (("plan", load_plan), ("performance", load_performance)):
        button = sidebar.get_by_test_id("stDownloadButton").filter(has_text=f"Blank {kind} workbook template")
        with page.expect_download(timeout=60_000) as info:
            button.locator("button").click()
        assert info.value.suggested_filename == f"{kind}_template.xlsx"
        with open(info.value.path(), "rb") as file:
            loaded = loader(file.read(), info.value.suggested_filename)
        assert not [f for f in loaded.findings if f.severity.name == "ERROR"]
    assert page.get_by_test_id("stException").count() == 0
    assert page.errors.all() == []

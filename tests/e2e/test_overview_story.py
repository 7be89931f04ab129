"""Issue 14 in a real browser: the overview opens with the brief's plain-English summary, at desktop and
phone width, and the RAG tiles carry their colour on the tile's edge as well as their word."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import page_by_title, wait_for_run


@pytest.mark.parametrize("width", [1440, 390])
def test_overview_summary_paragraph_and_coloured_rag_tiles(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 1600})
    try:
        page = context.new_page()
        page.goto(server.page_url(page_by_title("Overview")) + "?as_at=2017-03-31")
        wait_for_run(page)
        main = page.get_by_test_id("stMain")
        assert main.get_by_text("The plan at 31 Mar 2017 in brief").count() == 1
        summary = main.locator("p", has_text="Where the plan stands.")
        assert summary.count() == 1 and "17 of 33 tasks are complete (52%)" in summary.inner_text()
        assert main.locator("li", has_text="What is the recovery plan").count() == 1  # a councillor's question
        red_tile = main.locator(".st-key-rag_tiles [data-testid='stMetric']").first
        assert "Red: off track" in red_tile.inner_text() and "down 1" in red_tile.inner_text()
        edge = red_tile.evaluate("e => getComputedStyle(e).borderLeftWidth")
        assert edge == "10px"
    finally:
        context.close()

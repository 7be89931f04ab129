"""A bookmark opens its page even as the first request to a freshly started server (issue 11).

Streamlit decides per process, before any entry script has run, how a URL maps to a page. With
st.navigation that decision was wrong until some visitor had opened "/": `/exceptions` got the
folder-based app (file names, no sections) and `/rag` a "Page not found" pop-up. Each case here
starts its own server and goes straight to one page.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import PAGES, page_by_title, running_server, sidebar, wait_for_run

# Bookmarks people keep (the QIB facilitator's is /exceptions), plus the overview for contrast.
FIRST_VISITS = ["Exceptions (QIB)", "Explore", "Changes since the last meeting", "RAG and slippage", "Performance scorecard", "Overview"]


@pytest.mark.parametrize("title", FIRST_VISITS)
def test_first_request_to_a_fresh_server_opens_the_page_with_the_sectioned_sidebar(browser, title):
    nav = page_by_title(title)
    assert nav is not None, f"{title} is not in the page registry"
    with running_server(log_name=f"e2e-fresh-{nav.slug}.log") as fresh:
        context = browser.new_context(viewport={"width": 1400, "height": 1600})
        try:
            page = context.new_page()
            page.goto(fresh.page_url(nav))
            wait_for_run(page)
            assert page.url.rstrip("/") == fresh.page_url(nav).rstrip("/"), "the address stays the bookmark"
            # Our sectioned list, every page in order; Streamlit's folder-based list is not drawn.
            links = sidebar(page).get_by_test_id("stPageLink-NavLink")
            assert [link.inner_text().strip() for link in links.all()] == [p.title for p in PAGES]
            assert sidebar(page).get_by_test_id("stSidebarNavItems").count() == 0
            for section in ("Plan", "Performance", "Governance"):
                assert sidebar(page).get_by_text(section, exact=True).count() == 1
            # The page itself, not an error or a "Page not found" dialog over it.
            assert page.get_by_role("dialog").count() == 0
            assert page.get_by_test_id("stException").count() == 0
            heading = page.get_by_test_id("stMain").locator("h1")
            assert heading.count() == 1
            assert page.title().startswith(heading.inner_text().strip()), f"the browser tab names the page: {page.title()!r}"
        finally:
            context.close()

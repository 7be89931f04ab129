"""Issue 14 in a real browser: clicking a bar's segment on the overview's theme chart shows the tasks behind
it under the chart, the select box beside it follows, and "Clear the selection" takes the table away."""

from __future__ import annotations

from tests.e2e.conftest import PageErrors, page_by_title, wait_for_run

# The centre of the first segment of the trace named `name` that has a width (zero counts draw nothing).
_SEGMENT_JS = """([name]) => {
  const chart = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
  const index = chart.data.findIndex(t => t.name === name);
  const trace = chart.querySelectorAll('g.trace.bars')[index];
  for (const [i, path] of [...trace.querySelectorAll('g.point path')].entries()) {
    const box = path.getBoundingClientRect();
    if (box.width > 2) return {i, x: box.x + box.width / 2, y: box.y + box.height / 2, y_label: chart.data[index].y[i]};
  }
  return null;
}"""


def test_overview_click_on_a_red_segment_shows_the_tasks_behind_it(browser, server):
    context = browser.new_context(viewport={"width": 1440, "height": 2400})
    try:
        page = context.new_page()
        errors = PageErrors(page)
        page.goto(server.page_url(page_by_title("Overview")) + "?as_at=2017-03-31")
        wait_for_run(page)
        main = page.get_by_test_id("stMain")
        main.get_by_test_id("stPlotlyChart").first.scroll_into_view_if_needed()
        segment = page.evaluate(_SEGMENT_JS, ["Red"])
        assert segment is not None
        page.mouse.move(segment["x"], segment["y"])
        page.mouse.click(segment["x"], segment["y"])
        heading = main.locator("h3", has_text="Tasks behind:")
        heading.wait_for()
        wait_for_run(page)
        # At 31 Mar 2017 the first theme with a Red task is theme 3, with one (P3-M5-T1).
        assert heading.inner_text() == "Tasks behind: 3. Improving the quality of practice, Red – 1 task"
        table = main.locator(".st-key-drill_table_rag_by_theme").get_by_test_id("stDataFrame")
        assert table.count() == 1 and table.is_visible()
        box = main.get_by_role("combobox", name="Show the tasks behind a bar", exact=True)
        assert box.count() == 1  # the keyboard route, beside the chart
        chosen = (
            box.evaluate("e => e.value || e.getAttribute('aria-label') || ''") + main.locator(".st-key-drill_rag_by_theme").inner_text()
        )
        assert "3. Improving the quality of practice, Red" in chosen, chosen  # the select box follows the click
        main.get_by_role("button", name="Clear the selection").click()
        wait_for_run(page)
        assert main.locator("h3", has_text="Tasks behind:").count() == 0
        assert errors.all() == []
    finally:
        context.close()

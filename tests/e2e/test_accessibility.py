"""Accessibility in the browser: axe-core on every page (expanders open, so the chart data tables
and download buttons are checked too), and keyboard use: Tab from the top reaches the sidebar
controls and the main content, every interactive control, each with a focus ring you can see.

Only Streamlit's own markup may be excused, rule by rule and element by element
(conftest.FRAMEWORK_EXCLUSIONS; docs/accessibility.md says why).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    FRAMEWORK_EXCLUSIONS,
    PAGES,
    open_page,
    sidebar,
    wait_for_run,
)

ROOT = Path(__file__).resolve().parents[2]


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        ours = [n for n in v["nodes"] if not n["framework"]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{len(ours)} node(s)] {v['helpUrl']}")
        lines += [f"    {n['target']}: {n['html'][:160]}" for n in ours[:5]]
    return "\n".join(lines)


@pytest.mark.parametrize("nav", PAGES, ids=[p.slug for p in PAGES])
def test_no_serious_or_critical_axe_violation(tour, nav):
    seen = tour[nav.slug]
    assert seen.failure is None, f"{nav.title} could not be checked: {seen.failure}"
    blocking = seen.blocking()
    assert blocking == [], f"axe on {nav.title}:\n{_describe(blocking)}"


def statement_findings() -> dict[str, bool]:
    """docs/accessibility.md's "Findings before and after" table: axe rule -> still present after our fixes."""
    text = (ROOT / "docs" / "accessibility.md").read_text(encoding="utf-8")
    table = text[text.index("### Findings before and after") :]
    found = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        rule = re.match(r"axe `([a-z0-9-]+)`", cells[0]) if cells else None
        if rule and len(cells) >= 5:
            found[rule.group(1)] = not re.match(r"(0\b|fixed)", cells[4])
    return found


def test_the_accessibility_statement_says_what_axe_finds_now(tour):
    """Every rule axe reports today is in the statement as still present, and every rule the statement
    says is still present is reported: the statement cannot keep a fixed problem or miss a new one."""
    reported = {v["id"] for seen in tour.values() for v in seen.violations}
    stated = statement_findings()
    assert stated, "the statement's findings table was not read"
    assert {rule for rule, present in stated.items() if present} == reported


@pytest.mark.skipif(not FRAMEWORK_EXCLUSIONS, reason="no exclusions to check: axe excuses nothing")
def test_framework_exclusions_are_still_needed(tour):
    """An exclusion that no longer matches anything is stale: drop it (and its line in the docs)."""
    used = {v["id"] for seen in tour.values() for v in seen.violations if any(n["framework"] for n in v["nodes"])}
    assert set(FRAMEWORK_EXCLUSIONS) <= used, f"unused exclusions: {set(FRAMEWORK_EXCLUSIONS) - used}"


# ---- keyboard ----------------------------------------------------------------------------------

_UNREACHED_JS = """() => {
  // Every control a keyboard user should reach (visible, enabled, in the tab order, not inside a
  // closed expander or an inert region) that Tab did not reach.
  const missed = [];
  document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]').forEach(el => {
    if (el.hasAttribute('data-e2e-reached')) return;
    if (el.disabled || el.getAttribute('tabindex') === '-1' || el.closest('[inert]')) return;
    if (el.type === 'hidden' || el.type === 'file') return;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || (box.width === 0 && box.height === 0)) return;
    if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') return;
    missed.push(el.tagName + ' ' + (el.getAttribute('aria-label') || el.innerText || '').trim().slice(0, 50));
  });
  return missed;
}"""

_ACTIVE_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const again = e.hasAttribute('data-e2e-reached');
  e.setAttribute('data-e2e-reached', '');
  const ring = (el) => { const s = getComputedStyle(el);
    // 'auto' is Chromium's own two-tone ring (focusable scrollers such as the data grid's).
    return s.outlineStyle === 'auto' || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
      || s.boxShadow !== 'none'; };
  // The ring may be drawn on the control or on the box that wraps it (select boxes, number inputs).
  let visible = false; let el = e;
  for (let depth = 0; el && depth < 4 && !visible; depth++, el = el.parentElement) visible = ring(el);
  return {again, tag: e.tagName, label: (e.getAttribute('aria-label') || e.innerText || '').trim().slice(0, 50),
          testid: (e.closest('[data-testid]') || e).getAttribute('data-testid'),
          sidebar: !!e.closest('[data-testid="stSidebar"]'), main: !!e.closest('[data-testid="stMain"]'), visible};
}"""


def _tab_through(page, limit: int = 400) -> list[dict]:
    """Press Tab from the top of a freshly loaded page until focus comes back round. The sidebar's
    Data source expander is opened with Enter on the way, so its controls are in the cycle too."""
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = page.evaluate(_ACTIVE_JS)
        if now is None:
            continue  # the browser's own UI between the last control and the first
        if now["again"]:
            break
        stops.append(now)
        if now["tag"] == "SUMMARY" and now["sidebar"] and "Data source" in now["label"]:
            page.keyboard.press("Enter")
            wait_for_run(page)
        if now["testid"] == "data-grid-canvas":
            # Streamlit's data grid (st.dataframe) keeps Tab for moving between its cells; Escape
            # hands Tab back to the page (documented in docs/accessibility.md).
            page.keyboard.press("Escape")
    return stops


@pytest.mark.parametrize("title", ["Overview", "Explore"])
def test_keyboard_reaches_every_control_with_a_visible_focus(page, server, title):
    nav = next((p for p in PAGES if p.title == title), None)
    if nav is None:
        pytest.skip(f"no {title} page in the navigation")
    open_page(page, server, nav)
    stops = _tab_through(page)

    missed = page.evaluate(_UNREACHED_JS)
    assert missed == [], f"not reachable with Tab: {missed}"
    assert stops[0]["testid"] == "stSkipToContent", "the first Tab stop is the skip link"
    labels = [s["label"] for s in stops if s["sidebar"]]
    for control in ("Reporting date", "RAG tolerance (days)", "Theme", "Lead", "RAG"):
        assert control in labels, f"{control} not reached in the sidebar"
    assert any(s["sidebar"] and s["tag"] == "BUTTON" and s["label"].endswith("Upload") for s in stops), (
        "the file uploader's Upload button was not reached"
    )
    assert any(s["main"] and s["tag"] != "MAIN" for s in stops), "nothing in the main content was reached"
    first_main = next(i for i, s in enumerate(stops) if s["main"])
    last_sidebar = max(i for i, s in enumerate(stops) if s["sidebar"])
    assert last_sidebar < first_main, "the sidebar comes before the main content in the tab order"
    no_ring = [f"{s['tag']} {s['label']!r} ({s['testid']})" for s in stops if not s["visible"]]
    assert no_ring == [], f"focused without a visible focus indicator: {no_ring}"


def test_keyboard_changes_the_reporting_date(page, server):
    """Keyboard only: focus the reporting date, open it with the arrow keys, pick the one before."""
    nav = next(p for p in PAGES if p.url_path == "")
    open_page(page, server, nav)
    box = sidebar(page).get_by_role("combobox", name="Reporting date", exact=True)
    before = box.input_value()
    box.focus()
    page.keyboard.press("ArrowDown")
    page.get_by_role("listbox").wait_for()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    wait_for_run(page)
    after = sidebar(page).get_by_role("combobox", name="Reporting date", exact=True).input_value()
    assert after != before
    assert f"as at {after}" in page.get_by_test_id("stMain").inner_text()

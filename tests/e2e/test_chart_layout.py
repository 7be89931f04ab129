"""Issue 14 in a real browser: every plotly chart on every page reads on a phone (390 px wide) and at WCAG reflow
(320 px), including the views behind a control: the timeline's milestones and themes, the caseloads "By locality" tab.

For each drawn chart the label boxes are compared as the browser laid them out:
- tick labels of one axis never overlap one another (date ticks that collapse, theme names on top of each other);
- an axis title never sits on that axis's tick labels;
- the legend never covers a bar, a point or an axis title;
- bar labels never run into one another ("18 Blu");
- tick text is at least 16 px (a projector at the back of the room).

A chart in a closed tab or expander (nothing drawn, no size) is skipped; every other chart is checked. 390 px is
checked at two reporting dates, 320 px at one (the layout rules are the same; the run takes about a minute a pass).
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS, PAGES, wait_for_run

WIDTHS_AND_DATES = [(390, "2017-03-31"), (390, "2017-12-31"), (320, "2017-03-31")]
# Views behind a control, checked after the page's default view: (page title, what to click, its label).
OTHER_VIEWS = [
    ("Plan timeline", "radio", "Milestones"),
    ("Plan timeline", "radio", "Themes"),
    ("Caseloads and workforce", "tab", "By locality"),
]
MIN_TICK_PX = 16
SLACK_PX = 1  # boxes that merely touch (anti-aliasing) are not an overlap

# Collected in the page: one record per drawn chart, with every problem found in words.
_CHECK_JS = """([slack, minTick]) => {
  const box = e => { const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom, w: r.width, h: r.height}; };
  const hit = (a, b) => a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 &&
      a.l + slack < b.r && b.l + slack < a.r && a.t + slack < b.b && b.t + slack < a.b;
  const shown = e => { const s = getComputedStyle(e); return s.display !== 'none' && s.visibility !== 'hidden' && +s.opacity !== 0; };
  const label = e => (e.textContent || '').trim().slice(0, 40);
  const out = [];
  const charts = [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')];
  charts.forEach((plot, index) => {
    const whole = box(plot);
    if (whole.w === 0 || whole.h === 0) return;  // in a closed tab or expander
    const problems = [];
    const heading = (() => {  // the chart's title is the st.header above it
      let el = plot.closest('[data-testid="stElementContainer"]');
      for (let i = 0; el && i < 6; i++) { el = el.previousElementSibling; if (el && el.querySelector('h2')) return el.querySelector('h2').innerText; }
      return '';
    })();
    // Tick labels, grouped by axis: <g class="xtick">, "x2tick", "ytick", ...
    const ticksByAxis = {};
    plot.querySelectorAll('g.xaxislayer-above > g, g.yaxislayer-above > g').forEach(g => {
      const text = g.querySelector('text');
      if (!text || !label(text) || !shown(g)) return;
      const axis = [...g.classList].find(c => /^[xy]\\d*tick$/.test(c));
      if (!axis) return;
      (ticksByAxis[axis] = ticksByAxis[axis] || []).push(text);
    });
    for (const [axis, texts] of Object.entries(ticksByAxis)) {
      for (let i = 0; i < texts.length; i++) {
        const size = parseFloat(getComputedStyle(texts[i]).fontSize);
        if (size + 0.01 < minTick) problems.push(`${axis} label "${label(texts[i])}" is ${size} px (< ${minTick})`);
        for (let j = i + 1; j < texts.length; j++)
          if (hit(box(texts[i]), box(texts[j]))) problems.push(`${axis} labels overlap: "${label(texts[i])}" and "${label(texts[j])}"`);
      }
    }
    // Axis titles against their own tick labels (and every axis's, for the legend check below).
    const titles = [...plot.querySelectorAll('.g-xtitle text, .g-ytitle text, [class^="g-x"][class$="title"] text, [class^="g-y"][class$="title"] text')]
      .filter(t => label(t) && shown(t));
    const seenTitles = new Set();
    titles.forEach(t => {
      if (seenTitles.has(t)) return; seenTitles.add(t);
      const cls = t.parentNode.getAttribute('class') || '';  // g-xtitle, g-x2title, g-ytitle
      const axis = cls.replace(/^g-/, '').replace(/title$/, '') + 'tick';
      (ticksByAxis[axis] || []).forEach(tick => {
        if (hit(box(t), box(tick))) problems.push(`axis title "${label(t)}" is on the tick label "${label(tick)}"`);
      });
    });
    // The legend against bars, points and axis titles.
    const legend = plot.querySelector('g.legend');
    if (legend && shown(legend)) {
      const bg = legend.querySelector('rect.bg') || legend;
      const lb = box(bg);
      const marks = [...plot.querySelectorAll('.barlayer .point path, .scatterlayer .points path, .scatterlayer .point')];
      const covered = marks.filter(m => shown(m) && hit(lb, box(m)));
      if (covered.length) problems.push(`the legend covers ${covered.length} bar(s) or point(s)`);
      const lines = [...plot.querySelectorAll('.scatterlayer .js-line')].filter(l => shown(l) && hit(lb, box(l)));
      // A line's box is its whole extent: only a legend inside the plot area can hide part of it.
      const plotArea = plot.querySelector('.gridlayer') || plot.querySelector('.plot');
      if (lines.length && plotArea && hit(lb, box(plot.querySelector('.bglayer rect') || plotArea))) problems.push('the legend sits on the plot area over a line');
      titles.forEach(t => { if (hit(lb, box(t))) problems.push(`the legend covers the axis title "${label(t)}"`); });
    }
    // Bar labels running together.
    const barTexts = [...plot.querySelectorAll('.barlayer text.bartext')].filter(t => label(t) && shown(t));
    for (let i = 0; i < barTexts.length; i++)
      for (let j = i + 1; j < barTexts.length; j++)
        if (hit(box(barTexts[i]), box(barTexts[j]))) problems.push(`bar labels run together: "${label(barTexts[i])}" and "${label(barTexts[j])}"`);
    out.push({index, heading, width: Math.round(whole.w), problems});
  });
  return out;
}"""


def chart_problems(page) -> list[dict]:
    """One record per drawn chart on the page: its heading, width and the problems found."""
    page.wait_for_timeout(700)  # plotly redraws once it knows the column's width
    return page.evaluate(_CHECK_JS, [SLACK_PX, MIN_TICK_PX])


def _show(page, kind: str, label: str) -> None:
    """Switches to another view of the page: a radio option (a rerun) or a tab (drawn in the browser)."""
    if kind == "radio":
        page.locator('[data-testid="stMain"] [data-testid="stRadio"] label').filter(has_text=label).first.click()
        page.wait_for_timeout(300)
        wait_for_run(page)
    else:
        page.get_by_role("tab", name=label).click()
        page.wait_for_timeout(300)


@pytest.mark.parametrize("width,as_at", WIDTHS_AND_DATES, ids=[f"{w}px-{d}" for w, d in WIDTHS_AND_DATES])
def test_no_chart_label_overlaps_on_a_phone(browser, server, width, as_at):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(90_000)
    page = context.new_page()
    found, charts_seen, views_seen = [], 0, []
    try:
        for nav in PAGES:
            page.goto(f"{server.page_url(nav)}?as_at={as_at}")
            wait_for_run(page)
            views = [(nav.title, None)] + [
                (f"{nav.title} ({label})", (kind, label)) for title, kind, label in OTHER_VIEWS if title == nav.title
            ]
            for name, control in views:
                if control:
                    _show(page, *control)
                drawn = chart_problems(page)
                if control and drawn:
                    views_seen.append(name)
                charts_seen += len(drawn)
                found += [f"{name} / {chart['heading'][:70]!r}: {p}" for chart in drawn for p in chart["problems"]]
    finally:
        context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"chart-layout-{width}-{as_at}.txt").write_text(
        f"{charts_seen} charts checked (other views: {', '.join(views_seen)})\n" + "\n".join(found) + "\n", encoding="utf-8"
    )
    assert len(views_seen) == len(OTHER_VIEWS), f"only these other views were drawn: {views_seen}"
    assert charts_seen >= 15, f"only {charts_seen} charts were drawn: the check looked at too little"
    assert not found, f"{len(found)} layout problem(s) at {width} px, {as_at}:\n" + "\n".join(found[:80])

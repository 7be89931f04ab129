"""Real-browser fixtures: one `streamlit run dashboard.py` per test session, Debian's Chromium
driven by Playwright's sync API, and the pages read from the app's page registry
(src/ui/navigation.py), so a page added there is covered without touching the tests.

The browser is required: if /usr/bin/chromium is missing every test here errors (CI fails, it
never skips). Playwright's own browser download is not used.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from src.ui.navigation import PAGES as PAGES_REGISTRY
from src.ui.navigation import NavPage

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard.py"
ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HEALTH_TIMEOUT_S = 60
RUN_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1400, "height": 2400}


# ---- the pages, from the app's one page registry (src/ui/navigation.py) ------------------------

PAGES = list(PAGES_REGISTRY)


def page_by_title(title: str) -> NavPage | None:
    return next((p for p in PAGES if p.title == title), None)


# ---- the server ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:
        return False


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    started_at: float

    def page_url(self, nav: NavPage) -> str:
        return f"{self.url}/{nav.url_path}"


@contextlib.contextmanager
def running_server(log_name: str = "e2e-server.log", env: dict | None = None):
    """`streamlit run dashboard.py` on a free port (embedded data unless `env` names workbooks), as the
    README starts it; stopped on exit. A new process each time: a freshly started server."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    base = {k: v for k, v in os.environ.items() if k not in ("DASHBOARD_PLAN", "DASHBOARD_PERFORMANCE")}
    log = ARTIFACTS / log_name
    started_at = time.time()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", str(DASHBOARD), "--server.headless", "true",
                "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none",
            ],
            cwd=ROOT, env={**base, **(env or {})}, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while not _healthy(f"{url}/_stcore/health"):
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode} before it was healthy:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit was not healthy within {HEALTH_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")
            time.sleep(0.25)
        yield Server(url, process, log, started_at)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def server():
    """One server for the whole browser session, embedded data only."""
    with running_server() as started:
        yield started


# ---- the browser --------------------------------------------------------------------------------


def _require_chromium() -> None:
    if not CHROMIUM.is_file():
        raise RuntimeError(
            f"The browser tests need Debian's Chromium at {CHROMIUM}, which is missing. "
            "Install it with `apt-get install chromium` (scripts/test.sh does this); these tests fail rather than skip."
        )


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance):
    _require_chromium()
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


# Console messages that are not the app's fault: the browser's own network noise. Anything else
# at level "error" (and every uncaught page error) fails the test.
BENIGN_CONSOLE = (
    "favicon.ico",  # no favicon route in a headless run
    "Failed to load resource: net::ERR_",  # network noise, e.g. a request cancelled by a rerun / navigation
    "Failed to load resource: the server responded with a status of 404",  # static probes such as favicon
)


class PageErrors:
    """Console errors and uncaught exceptions seen by one page."""

    def __init__(self, page):
        self.console: list[str] = []
        self.page_errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def _console(self, message) -> None:
        if message.type == "error" and not any(b in message.text for b in BENIGN_CONSOLE):
            self.console.append(message.text)

    def all(self) -> list[str]:
        return [f"console: {m}" for m in self.console] + [f"pageerror: {m}" for m in self.page_errors]


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(RUN_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.errors = PageErrors(page)
    yield page
    page.close()


# ---- waiting for Streamlit ----------------------------------------------------------------------

_SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  if (document.querySelector('[data-testid="stSpinner"], [data-testid="stSkeleton"]')) return false;
  // Every plotly chart on the page has drawn its SVG.
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    if (!chart.querySelector('.js-plotly-plot .main-svg')) return false;
  }
  return true;
}"""


def wait_for_run(page, timeout_ms: int = RUN_TIMEOUT_MS) -> None:
    """Wait until the script run has finished and the page is drawn: the app root says
    data-test-script-state="notRunning", it is connected, nothing is [data-stale="true"], no
    spinner is shown, and every plotly chart has its SVG. Checked twice, 300 ms apart, because a
    rerun asked for a moment ago may not have started yet."""
    deadline = time.monotonic() + timeout_ms / 1000
    settled_twice = 0
    while settled_twice < 2:
        remaining = max(1, int((deadline - time.monotonic()) * 1000))
        page.wait_for_function(_SETTLED_JS, timeout=remaining)
        settled_twice += 1
        if settled_twice < 2:
            page.wait_for_timeout(300)
            if not page.evaluate(_SETTLED_JS):
                settled_twice = 0
        if time.monotonic() > deadline:
            raise TimeoutError("the Streamlit run did not settle")


def open_page(page, server: Server, nav: NavPage) -> None:
    page.goto(server.page_url(nav))
    wait_for_run(page)


def sidebar(page):
    return page.get_by_test_id("stSidebar")


def metrics(page) -> dict[str, str]:
    """{label: value} of every st.metric on the page."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('[data-testid="stMetric"]')].map(m => [
        m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
        m.querySelector('[data-testid="stMetricValue"]').innerText.trim()]))""")


def caption_text(page) -> str:
    """The frame's source line ("Plan: <file> (<organisation>), <kind> · as at …")."""
    return page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").filter(has_text="Plan: ").first.inner_text()


def open_data_source(page) -> None:
    """Open the sidebar's "Data source" expander (closed by default)."""
    details = sidebar(page).get_by_test_id("stExpander").filter(has_text="Data source").locator("details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    sidebar(page).get_by_test_id("stFileUploader").first.wait_for(state="visible")


def choose(page, label: str, option: str, scope=None) -> None:
    """Pick `option` in the select box or multiselect labelled `label` and wait for the rerun."""
    box = (scope or page).get_by_role("combobox", name=label, exact=True)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")  # a multiselect stays open after a pick
    wait_for_run(page)


def upload_plan(page, name: str, data: bytes) -> None:
    """Upload a plan workbook through the sidebar's file uploader and wait for the reruns."""
    open_data_source(page)
    dropzone = sidebar(page).get_by_test_id("stFileUploader").filter(has_text="Upload a plan workbook")
    dropzone.locator('input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "buffer": data}]
    )
    # The file travels to the server before the rerun it causes can start: on a busy machine that is
    # longer than wait_for_run's settle check, so first wait for the uploader to list the file.
    dropzone.get_by_text(name, exact=False).first.wait_for(timeout=RUN_TIMEOUT_MS)
    page.wait_for_timeout(500)
    wait_for_run(page)


# ---- one visit to every page, shared by the render and accessibility tests ----------------------

# Violations that are demonstrably Streamlit's own markup, each kept only where that markup is
# (docs/accessibility.md says why): rule id -> CSS selector of the framework element. None today: the
# `list`/`listitem` exclusions for st.navigation's sectioned list went with st.navigation itself.
FRAMEWORK_EXCLUSIONS: dict[str, str] = {}
BLOCKING_IMPACTS = ("serious", "critical")
AXE_DIR = ARTIFACTS / "axe"


@dataclass
class Visit:
    nav: NavPage
    errors: list[str]
    exceptions: list[str]
    has_title: bool
    source_line: str
    screenshot: Path | None
    nav_links: list[tuple[str, str]]  # (text, href) of the sidebar navigation
    violations: list[dict]  # axe violations, each node marked "framework": True/False
    failure: str | None = None  # set when the page could not be visited at all

    def blocking(self) -> list[dict]:
        """Serious or critical violations with at least one node in what we render."""
        return [v for v in self.violations if v["impact"] in BLOCKING_IMPACTS and any(not n["framework"] for n in v["nodes"])]


_MARK_FRAMEWORK_JS = """([violations, exclusions]) => violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
  nodes: v.nodes.map(n => {
    const selector = exclusions[v.id];
    let el = null;
    try { el = typeof n.target[0] === 'string' ? document.querySelector(n.target[0]) : null; } catch (e) {}
    return {target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary,
            framework: !!(selector && el && el.closest(selector))};
  })}))"""


def run_axe(page) -> list[dict]:
    """axe-core (bundled by axe-playwright-python) on the whole document; violations only."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return page.evaluate(_MARK_FRAMEWORK_JS, [results.response["violations"], FRAMEWORK_EXCLUSIONS])


def axe_version() -> str:
    import re

    import axe_playwright_python

    script = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")[:200]
    found = re.search(r"axe v(\d+\.\d+\.\d+)", script)
    return found.group(1) if found else "unknown"


def open_every_expander(page) -> None:
    """Open every closed expander (the chart data tables, the sidebar's Data source) so that axe
    sees the tables and download buttons too."""
    page.evaluate("() => document.querySelectorAll('[data-testid=\"stExpander\"] details:not([open]) > summary').forEach(s => s.click())")
    wait_for_run(page)


def nav_link(page, nav: NavPage):
    """The sidebar's link to `nav` (the frame's st.page_link list), found by its exact title."""
    return sidebar(page).get_by_test_id("stPageLink-NavLink").filter(has=page.get_by_text(nav.title, exact=True)).first


def go_to(page, server: Server, nav: NavPage) -> None:
    """Follow the page's link in the sidebar navigation, as a user does (no reload of the app)."""
    link = nav_link(page, nav)
    link.click()
    page.wait_for_url(f"{server.url}/{nav.link_path}*")
    wait_for_run(page)


def visit(page, server: Server, nav: NavPage, index: int, fresh: bool) -> Visit:
    page.errors.console.clear()
    page.errors.page_errors.clear()
    if fresh:
        open_page(page, server, nav)
    else:
        go_to(page, server, nav)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{index + 1:02d}_{nav.slug}.png"
    page.screenshot(path=str(shot), full_page=True)
    exceptions = [e.inner_text() for e in page.get_by_test_id("stException").all()]
    has_title = page.get_by_test_id("stMain").locator("h1").count() >= 1
    try:
        source_line = caption_text(page)
    except Exception:  # noqa: BLE001 - reported by the test as a missing source line
        source_line = ""
    links = sidebar(page).get_by_test_id("stPageLink-NavLink").all()
    # st.page_link writes relative hrefs ("timeline"); the browser's resolved address is what a click opens.
    nav_links = [(link.inner_text().strip(), link.evaluate("a => a.href").rstrip("/")) for link in links]
    open_every_expander(page)
    violations = run_axe(page)
    return Visit(nav, page.errors.all(), exceptions, has_title, source_line, shot, nav_links, violations)


@pytest.fixture(scope="session")
def tour(browser, server) -> dict[str, Visit]:
    """Every page in the navigation, visited once: screenshot, exceptions, console errors, axe."""
    import json

    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(RUN_TIMEOUT_MS)
    page = context.new_page()
    page.errors = PageErrors(page)
    visits = {}
    try:
        fresh = True
        for index, nav in enumerate(PAGES):
            try:
                visits[nav.slug] = visit(page, server, nav, index, fresh)
                fresh = False
            except Exception as error:  # noqa: BLE001 - one broken page must not hide the others
                visits[nav.slug] = Visit(nav, page.errors.all(), [], False, "", None, [], [], failure=repr(error))
                fresh = True  # start the next page from a clean load
    finally:
        context.close()
    AXE_DIR.mkdir(parents=True, exist_ok=True)
    report = {slug: {"title": v.nav.title, "failure": v.failure, "violations": v.violations} for slug, v in visits.items()}
    (AXE_DIR / "violations.json").write_text(json.dumps({"axe_core": axe_version(), "pages": report}, indent=1))
    return visits

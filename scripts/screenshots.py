"""Screenshots of every page, as people see it: desktop (1440 px), phone (390 px) and WCAG reflow (320 px), at
two reporting dates, full page, for looking at before a change is called done (issue 14).

    python scripts/screenshots.py [OUT_DIR] [--port 8624] [--dates 2017-03-31 2017-12-31] [--widths 1440 390 320]
                                  [--pages overview timeline ...]

Starts `streamlit run dashboard.py` on the embedded data (as the README does), drives Debian's Chromium with
Playwright, and writes OUT_DIR/<date>/<width>/<NN>_<page>.png (default OUT_DIR: /tmp/screens). The pages come
from the app's page registry (src/ui/navigation.PAGES); the reporting date is set in the URL (?as_at=...), as
the sidebar writes it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from src.ui.navigation import PAGES  # noqa: E402 - after the path is set

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
DATES = ("2017-03-31", "2017-12-31")
WIDTHS = (1440, 390, 320)
MAX_HEIGHT_PX = 20_000
RUN_TIMEOUT_MS = 90_000

# The run has finished and every plotly chart has drawn (as tests/e2e/conftest.py waits).
SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stSpinner"], [data-testid="stSkeleton"]')) return false;
  for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]'))
    if (!chart.querySelector('.js-plotly-plot .main-svg')) return false;
  return true;
}"""
# Streamlit scrolls inside its own container, so a "full page" shot needs a viewport as tall as the content.
CONTENT_HEIGHT_JS = """() => Math.max(document.body.scrollHeight, ...[...document.querySelectorAll(
  '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stMainBlockContainer"]')].map(e => e.scrollHeight))"""


def wait_settled(page) -> None:
    for _ in range(2):  # twice, 300 ms apart: a rerun asked for a moment ago may not have started yet
        page.wait_for_function(SETTLED_JS, timeout=RUN_TIMEOUT_MS)
        page.wait_for_timeout(300)


def start_server(port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("DASHBOARD_PLAN", "DASHBOARD_PERFORMANCE")}
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.headless", "true",
            "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"streamlit exited with {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return process
        except OSError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise SystemExit("streamlit was not ready within 90 s")


def shoot(out: Path, port: int, dates, widths, slugs) -> list[Path]:
    from playwright.sync_api import sync_playwright

    pages = [p for p in PAGES if not slugs or {p.slug, p.url_path, p.link_path} & slugs]
    saved = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True)
        try:
            for width in widths:
                context = browser.new_context(viewport={"width": width, "height": 1000})
                page = context.new_page()
                for as_at in dates:
                    folder = out / as_at / str(width)
                    folder.mkdir(parents=True, exist_ok=True)
                    for index, nav in enumerate(PAGES):
                        if nav not in pages:
                            continue
                        page.set_viewport_size({"width": width, "height": 1000})
                        page.goto(f"http://127.0.0.1:{port}/{nav.url_path}?as_at={as_at}")
                        wait_settled(page)
                        height = min(int(page.evaluate(CONTENT_HEIGHT_JS)) + 40, MAX_HEIGHT_PX)
                        page.set_viewport_size({"width": width, "height": height})
                        page.wait_for_timeout(800)  # plotly redraws to the new size
                        wait_settled(page)
                        path = folder / f"{index + 1:02d}_{nav.slug}.png"
                        page.screenshot(path=str(path), full_page=True)
                        saved.append(path)
                        print(path, flush=True)
                context.close()
        finally:
            browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="/tmp/screens", help="folder for the PNGs (default /tmp/screens)")
    parser.add_argument("--port", type=int, default=8624)
    parser.add_argument("--dates", nargs="+", default=list(DATES), help="reporting dates, YYYY-MM-DD")
    parser.add_argument("--widths", nargs="+", type=int, default=list(WIDTHS), help="viewport widths in px")
    parser.add_argument("--pages", nargs="*", default=[], help="page slugs (default: every page), e.g. overview timeline")
    args = parser.parse_args(argv)
    server = start_server(args.port)
    try:
        saved = shoot(Path(args.out), args.port, args.dates, args.widths, set(args.pages))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"{len(saved)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What a person waits for in a real browser (Debian's Chromium, Playwright), measured side by side.

- The overview's time from navigation to a finished run, against a blank Streamlit page served by the
  same, already warm server: the ratio is what the app itself costs on top of Streamlit.
- An upload of a plan workbook to its first figures on the overview, against the CLI summary of the same
  workbook (a fresh `python -m src.cli summary --json` process).

The server runs on a throw-away copy of the entry script and pages/ (src/, data/ and .streamlit/ linked,
not copied) with one extra page, `pages/99_blank.py`, so the product never ships a blank page.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
BLANK_PAGE = 'import streamlit as st\n\nst.title("Blank")\n'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A run is finished when the app root says so, it is connected and nothing is stale (as the e2e tests).
FINISHED_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
    && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && !document.querySelector('[data-stale="true"]') && !document.querySelector('[data-testid="stSpinner"]')
    && !!document.querySelector('[data-testid="stMain"] h1');
}"""


def _free_port() -> int:
    if os.environ.get("BENCHMARK_PORT"):  # a port of one's own on a shared machine
        return int(os.environ["BENCHMARK_PORT"])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _mirror(folder: Path) -> Path:
    """The app as `streamlit run` sees it, plus the blank page; returns the entry script's path."""
    for name in ("src", "data", ".streamlit"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    shutil.copy2(ROOT / "dashboard.py", folder / "dashboard.py")
    (folder / "pages").mkdir()
    for page in (ROOT / "pages").glob("*.py"):
        shutil.copy2(page, folder / "pages" / page.name)
    (folder / "pages" / "99_blank.py").write_text(BLANK_PAGE, encoding="utf-8")
    return folder / "dashboard.py"


@contextlib.contextmanager
def _server(entry: Path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DASHBOARD_PLAN", "DASHBOARD_PERFORMANCE")}
    command = [sys.executable, "-m", "streamlit", "run", str(entry), "--server.headless", "true", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(command, cwd=entry.parent, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the benchmark's Streamlit server did not start")
            time.sleep(0.25)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _time_visit(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(FINISHED_JS, timeout=120_000, polling=20)
    return time.perf_counter() - start


def _cli_summary_seconds(plan: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "src.cli", "summary", "--plan", str(plan), "--json"], cwd=ROOT, check=True, capture_output=True
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def browser_rows(upload_plan: Path | None, repeat: int = 5) -> list[dict]:
    """Rows for run.py's table: blank page, overview, their ratio; upload to first figures and its ratio."""
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-app-") as folder, _server(_mirror(Path(folder))) as url:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                for target in (f"{url}/blank", f"{url}/"):  # warm the server: imports, caches, first load
                    _time_visit(page, target)
                blank, overview = [], []
                for _ in range(repeat):  # alternate, so a busy moment costs both alike
                    blank.append(_time_visit(page, f"{url}/blank"))
                    overview.append(_time_visit(page, f"{url}/"))
                blank_s, overview_s = statistics.median(blank), statistics.median(overview)
                rows.append(_row("browser: blank Streamlit page, navigation to finished run", blank_s, repeat))
                rows.append(_row("browser: overview, navigation to finished run", overview_s, repeat))
                rows.append(_row("ratio: overview / blank page (target 1.3x)", overview_s / blank_s, repeat, unit="x"))
                context.close()
                if upload_plan is not None:
                    # Each upload is a workbook the server has not read (the same cells, another zip comment, so
                    # another SHA-256): a repeat of the same bytes would be a cache hit, not an upload's work.
                    # Uploads and CLI runs alternate, so a busy moment costs both alike; medians of `repeat`.
                    uploads, clis = [], []
                    for attempt in range(repeat):
                        uploads.append(_time_upload(browser, url, upload_plan, _distinct_copy(upload_plan.read_bytes(), attempt)))
                        clis.append(_cli_summary_seconds(upload_plan, 1))
                    upload_s, cli_s = statistics.median(uploads), statistics.median(clis)
                    rows.append(_row("browser: upload of the plan to its first figures", upload_s, repeat))
                    rows.append(_row("CLI summary of the same plan (fresh process)", cli_s, repeat))
                    rows.append(_row("ratio: upload to first figures / CLI summary (target 1.5x)", upload_s / cli_s, repeat, unit="x"))
            finally:
                browser.close()
    return rows


def _distinct_copy(data: bytes, number: int) -> bytes:
    """The same workbook with a zip comment of its own (its sheets untouched): bytes the server has not seen."""
    import io
    import zipfile

    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as book:
        book.comment = f"benchmark upload {number} {time.time_ns()}".encode()
    return buffer.getvalue()


def _time_upload(browser, url: str, plan: Path, data: bytes | None = None) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        _time_visit(page, f"{url}/")
        expander = page.get_by_test_id("stSidebar").get_by_test_id("stExpander").filter(has_text="Data source")
        expander.locator("summary").click()
        dropzone = page.get_by_test_id("stSidebar").get_by_test_id("stFileUploader").filter(has_text="Upload a plan workbook")
        data = plan.read_bytes() if data is None else data
        start = time.perf_counter()
        dropzone.locator('input[type="file"]').set_input_files(files=[{"name": plan.name, "mimeType": XLSX, "buffer": data}])
        caption = page.get_by_test_id("stMain").get_by_test_id("stCaptionContainer").filter(has_text=f"Plan: {plan.name}")
        caption.first.wait_for(timeout=600_000)
        page.wait_for_function(FINISHED_JS, timeout=600_000, polling=20)
        return time.perf_counter() - start
    finally:
        context.close()


def _row(step: str, value: float, runs: int, unit: str = "s") -> dict:
    return {"step": step, "median_s": value, "min_s": value, "peak_mib": None, "runs": runs, "unit": unit}

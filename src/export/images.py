"""Static chart images (PNG) for the PDF pack: plotly + kaleido 1.x with the system's Chromium.

One kaleido server per process (started on the first chart, reused for every later one), never a
browser per chart. Nothing is downloaded: when no Chromium/Chrome is on PATH (or BROWSER_PATH),
or drawing fails, `chart_png` returns no image and a reason, and the pack prints a note instead.

Every chart has a deadline (CHART_TIMEOUT_SECONDS, env DASHBOARD_CHART_TIMEOUT): drawing runs on a
worker thread, and when Chromium cannot start or hangs (a memory limit, a broken install) the caller
gets "chart not drawn" in time; the failure is remembered for RETRY_AFTER_SECONDS, so later charts in
every session fall back at once instead of queueing behind a stuck browser. Waiting for the process-wide lock has the same
deadline, so one session's stuck chart never blocks another session's document.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import warnings

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
CHART_TIMEOUT_SECONDS = float(os.environ.get("DASHBOARD_CHART_TIMEOUT", "45"))  # first chart starts Chromium: ~2-5 s
RETRY_AFTER_SECONDS = 300.0  # a failure is remembered this long, then drawing is tried again (a busy machine recovers)
_lock = threading.Lock()
_state: dict[str, object] = {"started": False, "failed": None, "failed_at": 0.0}


def browser_path() -> str | None:
    """The browser kaleido will use: $BROWSER_PATH, else the first of BROWSER_NAMES on PATH; None if none."""
    given = os.environ.get("BROWSER_PATH")
    if given:
        return given if os.path.isfile(given) else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _start() -> None:
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)
    _state["started"] = True


def _draw(figure, opts: dict) -> bytes:
    if not _state["started"]:
        _start()
    import kaleido

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return kaleido.calc_fig_sync(figure, opts=opts)


def chart_png(figure, width_px: int, height_px: int, scale: float = 2.0, timeout_s: float | None = None) -> tuple[bytes | None, str | None]:
    """(PNG bytes, None), or (None, reason in words) when the image cannot be drawn here in `timeout_s` seconds."""
    timeout_s = CHART_TIMEOUT_SECONDS if timeout_s is None else timeout_s
    if _state["failed"] and time.monotonic() - float(_state["failed_at"]) > RETRY_AFTER_SECONDS:
        _state["failed"] = None
    if _state["failed"]:
        return None, str(_state["failed"])
    if browser_path() is None:
        return None, "no Chromium browser is installed where this document was built, so the chart could not be drawn"
    if not _lock.acquire(timeout=timeout_s):
        return None, "another document was still drawing its charts, so this chart could not be drawn in time"
    try:
        if _state["failed"]:
            return None, str(_state["failed"])
        opts = {"format": "png", "width": int(width_px), "height": int(height_px), "scale": scale}
        result: dict[str, object] = {}

        def work() -> None:
            try:
                result["png"] = _draw(figure, opts)
            except Exception as error:  # noqa: BLE001 - reported as words below
                result["error"] = error

        worker = threading.Thread(target=work, name="chart-png", daemon=True)
        worker.start()
        worker.join(timeout_s)
        if worker.is_alive():  # Chromium did not start or hangs: stop waiting for it for a while
            return None, _fail(f"the chart renderer did not answer within {timeout_s:g} seconds")
        if "error" in result:
            return None, _fail(f"the chart could not be drawn ({type(result['error']).__name__})")
        return result["png"], None  # type: ignore[return-value]
    finally:
        _lock.release()


def _fail(reason: str) -> str:
    _state["failed"], _state["failed_at"] = reason, time.monotonic()
    return reason


def reset() -> None:
    """Forget an earlier failure (tests; a browser installed since)."""
    with _lock:
        _state["failed"] = None

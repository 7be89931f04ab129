"""Static chart images (PNG) for the PDF pack: plotly + kaleido 1.x with the system's Chromium.

One kaleido server per process (started on the first chart, reused for every later one), never a
browser per chart. Nothing is downloaded: when no Chromium/Chrome is on PATH (or BROWSER_PATH),
or drawing fails, `chart_png` returns no image and a reason, and the pack prints a note instead.
"""

from __future__ import annotations

import os
import shutil
import threading
import warnings

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
_lock = threading.Lock()
_state: dict[str, object] = {"started": False, "failed": None}


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


def chart_png(figure, width_px: int, height_px: int, scale: float = 2.0) -> tuple[bytes | None, str | None]:
    """(PNG bytes, None), or (None, reason in words) when the image cannot be drawn here."""
    with _lock:
        if _state["failed"]:
            return None, str(_state["failed"])
        if browser_path() is None:
            return None, "no Chromium browser is installed where this pack was built, so the chart could not be drawn"
        try:
            if not _state["started"]:
                _start()
            import kaleido

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                png = kaleido.calc_fig_sync(
                    figure, opts={"format": "png", "width": int(width_px), "height": int(height_px), "scale": scale}
                )
            return png, None
        except Exception as error:  # noqa: BLE001 - a chart that cannot be drawn must not stop the pack
            _state["failed"] = f"the chart could not be drawn ({type(error).__name__})"
            return None, str(_state["failed"])


def reset() -> None:
    """Forget an earlier failure (tests; a browser installed since)."""
    with _lock:
        _state["failed"] = None

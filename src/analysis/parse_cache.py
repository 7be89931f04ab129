"""The server's own workbooks, parsed once per content rather than once per server process.

A dashboard restarts (a deployment, a reboot, a new month's workbook) far more often than its configured
workbooks change, and parsing a 10,000-task programme costs seconds. The tidy PlanData / PerformanceData of
the embedded workbooks and of those named by DASHBOARD_PLAN / DASHBOARD_PERFORMANCE are kept on disk, keyed
by what the result depends on: the workbook's SHA-256, its kind and file name (the name is in every finding),
and the loader's own source code (any change to src/analysis makes a new key), Python and pandas versions.
The published tables in data/ (published.load_published) are kept the same way, with their council list.

What is never kept: uploads (held in the session's memory only, as the upload page promises), a workbook that
was refused (nothing from it is kept anywhere), trackers read with a mapping. Entries are pickled Python objects,
so the folder must be the server user's own: it is created private (0700) and ignored, with a log line, when
it is not owned by this user or can be written by others. `DASHBOARD_PARSE_CACHE=off` turns it off; a path
puts it there (default: $XDG_CACHE_HOME or ~/.cache, then cyps-dashboard/parsed). At most MAX_ENTRIES are kept
(the oldest are removed). Any failure to read or write an entry is a cache miss, never an error.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import platform
import stat
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

import pandas as pd

CACHE_ENV = "DASHBOARD_PARSE_CACHE"
MAX_ENTRIES = 8
_ANALYSIS = Path(__file__).resolve().parent
log = logging.getLogger(__name__)


def cache_folder() -> Path | None:
    """The folder entries live in, or None when the cache is off."""
    setting = os.environ.get(CACHE_ENV, "").strip()
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "cyps-dashboard" / "parsed"


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 of the analysis package's source (the loaders and everything they call), Python and pandas."""
    digest = hashlib.sha256(f"{platform.python_version()} {pd.__version__} {pickle.HIGHEST_PROTOCOL}".encode())
    for path in sorted(_ANALYSIS.rglob("*.py")):
        digest.update(path.relative_to(_ANALYSIS).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def entry_name(kind: str, sha256: str, name: str) -> str:
    """The file name of one parsed workbook (kind, content, file name and loader code)."""
    key = hashlib.sha256("\0".join((kind, sha256, name, code_fingerprint())).encode()).hexdigest()
    return f"{kind}-{key[:40]}.pickle"


def _private(path: Path) -> bool:
    """Owned by this user and writable by nobody else (a pickle from anywhere else is never loaded)."""
    info = path.lstat()
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not stat.S_ISLNK(info.st_mode)


def _usable_folder(create: bool) -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    try:
        if create:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not folder.is_dir():
            return None
        if not _private(folder):
            log.warning("parse cache %s ignored: it must belong to this user and be writable by nobody else", folder)
            return None
    except OSError:
        return None
    return folder


def get(kind: str, sha256: str, name: str):
    """The parsed workbook kept for (kind, content, name), or None."""
    folder = _usable_folder(create=False)
    if folder is None:
        return None
    path = folder / entry_name(kind, sha256, name)
    try:
        if not _private(path):
            return None
        value = pickle.loads(path.read_bytes())
        os.utime(path)  # recently used: kept longest
        return value
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged or foreign entry is a miss; it is removed
        log.warning("parse cache entry %s could not be read; removed", path.name)
        path.unlink(missing_ok=True)
        return None


def has(kind: str, sha256: str, name: str) -> bool:
    folder = _usable_folder(create=False)
    return folder is not None and (folder / entry_name(kind, sha256, name)).is_file()


def put(kind: str, sha256: str, name: str, value, background: bool = True) -> None:
    """Keep a parsed workbook (written to a private temporary file, then renamed: a reader never sees half an
    entry). In a background thread by default, so the page that read it does not wait for the write."""
    if background:
        threading.Thread(target=put, args=(kind, sha256, name, value, False), daemon=True, name="parse-cache-write").start()
        return
    folder = _usable_folder(create=True)
    if folder is None:
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".writing-", suffix=".part")  # created 0600
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, folder / entry_name(kind, sha256, name))
        _trim(folder)
    except Exception:  # noqa: BLE001 - a full disk or a read-only folder: no cache, no error
        log.warning("parse cache: could not keep %s", name)


def _trim(folder: Path) -> None:
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[MAX_ENTRIES:]:
        old.unlink(missing_ok=True)

"""Imported once by the workbook worker's forkserver (see isolation.py): reads the embedded workbooks once, so
that every forked worker starts with pandas, calamine and the loaders' caches already warm. A fork then costs
milliseconds instead of the first-use cost of each library. Trusted files only; failures are ignored."""

from __future__ import annotations

import gc
from pathlib import Path

_DATA = Path(__file__).resolve().parents[2] / "data"


def _warm() -> None:
    try:
        from .performance_workbook import load_performance
        from .plan_workbook import load_plan

        for path, loader in ((_DATA / "improvement_plan.xlsx", load_plan), (_DATA / "performance.xlsx", load_performance)):
            if path.is_file():
                loader(path.read_bytes(), path.name)
    except Exception:  # noqa: BLE001 - a warm-up only; the worker reports real problems itself
        pass


_warm()
# Move everything the forkserver holds out of the collector's sight: otherwise the first collection in each
# forked worker walks (and so copies, page by page) the whole inherited heap.
gc.collect()
gc.freeze()

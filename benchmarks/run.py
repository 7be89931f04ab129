"""Benchmark: time (and peak memory) of reading and summarising workbooks.

    python benchmarks/run.py [--plan PATH] [--performance PATH] [--repeat N] [--csv OUT]

Prints a table and writes a CSV (default benchmarks/out/results.csv). Measures, not asserts:
timed tests are flaky, a benchmark is read by a person.
"""
from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from src.analysis.performance_summary import performance_summary  # noqa: E402
from src.analysis.performance_workbook import load_performance  # noqa: E402
from src.analysis.plan_workbook import load_plan  # noqa: E402
from src.analysis.summary import DEFAULT_PERFORMANCE, DEFAULT_PLAN, PlanView, plan_summary  # noqa: E402


def measure(label: str, func, repeat: int) -> dict:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"step": label, "median_s": statistics.median(times), "min_s": min(times), "peak_mib": peak / 2**20, "runs": repeat}


def read_cells_calamine(data: bytes) -> None:
    import python_calamine
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def read_cells_openpyxl(data: bytes) -> None:
    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    book.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plan", default=str(DEFAULT_PLAN))
    parser.add_argument("--performance", default=str(DEFAULT_PERFORMANCE))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--openpyxl", action="store_true", help="also time openpyxl (slow on large workbooks)")
    parser.add_argument("--csv", default=str(ROOT / "benchmarks" / "out" / "results.csv"))
    args = parser.parse_args(argv)
    plan_bytes = Path(args.plan).read_bytes()
    perf_bytes = Path(args.performance).read_bytes() if args.performance else None
    plan = load_plan(plan_bytes, Path(args.plan).name)
    view = PlanView.build(plan)
    rows = [
        measure("plan: read cells (calamine)", lambda: read_cells_calamine(plan_bytes), args.repeat),
        measure("plan: load + validate", lambda: load_plan(plan_bytes, "plan"), args.repeat),
        measure("plan: task table + coverage at latest date", lambda: PlanView.build(plan), args.repeat),
        measure("plan: summary dict (JSON-ready)", lambda: plan_summary(view), args.repeat),
        measure("plan: load + full summary", lambda: plan_summary(PlanView.build(load_plan(plan_bytes, "plan"))), args.repeat),
    ]
    if args.openpyxl:
        rows.insert(1, measure("plan: read cells (openpyxl)", lambda: read_cells_openpyxl(plan_bytes), max(1, args.repeat // 2)))
    if perf_bytes:
        perf = load_performance(perf_bytes, "performance")
        rows += [
            measure("performance: read cells (calamine)", lambda: read_cells_calamine(perf_bytes), args.repeat),
            measure("performance: load + validate", lambda: load_performance(perf_bytes, "performance"), args.repeat),
            measure("performance: caseload + KPI summary", lambda: performance_summary(perf, view.as_at), args.repeat),
        ]
        if args.openpyxl:
            rows.insert(len(rows) - 2, measure("performance: read cells (openpyxl)", lambda: read_cells_openpyxl(perf_bytes), max(1, args.repeat // 2)))
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 120, "display.float_format", "{:.4f}".format):
        print(table.to_string(index=False))
    out = Path(args.csv)
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False, quoting=csv.QUOTE_MINIMAL)
    print(f"\nwritten: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

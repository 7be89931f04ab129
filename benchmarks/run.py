"""Benchmark: time and peak memory of reading, summarising, every page and the briefing pack.

    python benchmarks/run.py                    # the embedded workbooks
    python benchmarks/run.py --large            # the generated large programme (generates it first if absent)
    python benchmarks/run.py --plan P --performance Q [--repeat N] [--no-pages] [--no-pack] [--openpyxl]
    python benchmarks/run.py --all --record     # both, written to benchmarks/results.md and the README (one command)

Prints a table and writes a CSV (benchmarks/out/results[-large].csv). It measures; it asserts nothing:
timed tests are flaky, a benchmark is read by a person. Times are wall-clock seconds on this machine
(medians of --repeat runs); peak memory is Python allocations (tracemalloc) of one more run.
Targets are ratios, so they hold on other machines (see README "Performance").
"""

from __future__ import annotations

import argparse
import io
import os
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
from src.analysis.plan_view import PlanView
from src.analysis.plan_workbook import load_plan  # noqa: E402
from src.analysis.summary_json import plan_summary
from src.analysis.workbook_paths import DEFAULT_PERFORMANCE, DEFAULT_PLAN  # noqa: E402

OUT = ROOT / "benchmarks" / "out"


def measure(step: str, func, repeat: int, memory: bool = True) -> dict:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    peak = None
    if memory:
        tracemalloc.start()
        func()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return {"step": step, "median_s": statistics.median(times), "min_s": min(times), "peak_mib": peak, "runs": repeat}


def paired_ratio(floor, work, repeat: int) -> float:
    """Median of work/floor over `repeat` pairs timed back to back: on a shared machine whose load changes
    over minutes, each pair meets the same load, where two medians minutes apart need not."""
    ratios = []
    for _ in range(repeat):
        start = time.perf_counter()
        floor()
        middle = time.perf_counter()
        work()
        ratios.append((time.perf_counter() - middle) / (middle - start))
    return statistics.median(ratios)


def read_cells_calamine(data: bytes) -> None:
    """Every cell of every sheet as Python values: the floor for any reader built on calamine."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def read_frames_pandas_calamine(data: bytes) -> None:
    """pandas.read_excel(engine="calamine") of every sheet: cells read into frames."""
    pd.read_excel(io.BytesIO(data), sheet_name=None, engine="calamine")


def read_cells_openpyxl(data: bytes) -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    book.close()


def full_summary(plan_bytes: bytes, perf_bytes: bytes | None) -> dict:
    """What `python -m src.cli summary --json` computes, from bytes."""
    plan = load_plan(plan_bytes, "plan")
    perf = load_performance(perf_bytes, "performance") if perf_bytes else None
    view = PlanView.build(plan, kpis=perf.kpis if perf else None)
    summary = plan_summary(view)
    if perf:
        summary.update(performance_summary(perf, view.as_at))
    return summary


def full_summary_isolated(plan_bytes: bytes, perf_bytes: bytes | None) -> dict:
    """The same summary with both workbooks parsed in isolation workers, as the CLI reads workbooks it is
    given (--plan / --performance / environment variables): the target counts the isolation. As in the CLI
    (src/cli/common.load_inputs) both workers are started before either is waited for."""
    from src.analysis.isolation import PERFORMANCE, PLAN, start_isolated

    pending_plan = start_isolated(PLAN, plan_bytes, "plan")
    pending_perf = start_isolated(PERFORMANCE, perf_bytes, "performance") if perf_bytes else None
    plan = pending_plan.result()
    perf = pending_perf.result() if pending_perf else None
    view = PlanView.build(plan, kpis=perf.kpis if perf else None)
    summary = plan_summary(view)
    if perf:
        summary.update(performance_summary(perf, view.as_at))
    return summary


def page_files() -> list[str]:
    return sorted((str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")), key=lambda p: int(Path(p).stem.split("_")[0]))


_NEW_SERVER_FIRST_PAGE = """
import sys, threading, time
sys.path.insert(0, sys.argv[2])
from streamlit.testing.v1 import AppTest  # a server has streamlit loaded before its first page
at = AppTest.from_file(sys.argv[1], default_timeout=600)
start = time.perf_counter()
at.run()
took = time.perf_counter() - start
for thread in threading.enumerate():  # a server lives on: let the parse cache finish writing
    if thread.name == "parse-cache-write":
        thread.join()
print("exception" if at.exception else took)
"""


def overview_in_new_server(plan: Path, perf: Path | None, repeat: int) -> list[dict]:
    """The overview's first run in a fresh process (a new or restarted server): once with workbooks never
    parsed before (an empty parse cache), then `repeat` times as a restart, their parse kept (src/analysis/parse_cache.py)."""
    import subprocess
    import tempfile

    env = {**os.environ, "DASHBOARD_PLAN": str(plan)}
    env.pop("DASHBOARD_PERFORMANCE", None)
    # Python's default: a server keeps compiled modules (this machine's environment sets PYTHONDONTWRITEBYTECODE,
    # which would compile every module of the app afresh in each process). Kept in the temporary folder, not the
    # checkout: the "never parsed" run compiles them, as a new server's first start does.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if perf:
        env["DASHBOARD_PERFORMANCE"] = str(perf)

    def first_page(cache: str, compiled: str) -> float:
        command = [sys.executable, "-c", _NEW_SERVER_FIRST_PAGE, str(ROOT / "pages" / "1_overview.py"), str(ROOT)]
        settings = {**env, "DASHBOARD_PARSE_CACHE": cache, "PYTHONPYCACHEPREFIX": compiled}
        done = subprocess.run(command, env=settings, capture_output=True, text=True, check=True)
        return float(done.stdout.strip().splitlines()[-1])

    with tempfile.TemporaryDirectory() as folder:
        cache, compiled = str(Path(folder) / "parsed"), str(Path(folder) / "compiled")
        never = first_page(cache, compiled)
        restarts = [first_page(cache, compiled) for _ in range(repeat)]
    row = {"peak_mib": None, "unit": "s"}
    return [
        {**row, "step": "overview, first run of a new server, workbooks never parsed", "median_s": never, "min_s": never, "runs": 1},
        {
            **row,
            "step": "overview, first run of a restarted server, workbooks parsed before (target 2 s)",
            "median_s": statistics.median(restarts),
            "min_s": min(restarts),
            "runs": repeat,
        },
    ]


def page_times(plan: Path, perf: Path | None, repeat: int) -> list[dict]:
    """Each page's server-side script time with AppTest: cold (first run in a fresh session, caches
    warm from earlier pages except for the first page) and warm (a rerun of the same session)."""
    from streamlit.testing.v1 import AppTest

    os.environ["DASHBOARD_PLAN"] = str(plan)
    os.environ["DASHBOARD_PARSE_CACHE"] = "off"  # cold = parsed in this process (overview_in_new_server measures the cache)
    if perf:
        os.environ["DASHBOARD_PERFORMANCE"] = str(perf)
    else:
        os.environ.pop("DASHBOARD_PERFORMANCE", None)
    rows = []
    for page in page_files():
        at = AppTest.from_file(str(ROOT / page), default_timeout=600)
        start = time.perf_counter()
        at.run()
        cold = time.perf_counter() - start
        warm = []
        for _ in range(repeat):
            start = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - start)
        problem = f" (exception: {at.exception[0].message[:60]})" if at.exception else ""
        rows.append({"step": f"page {Path(page).stem}: cold{problem}", "median_s": cold, "min_s": cold, "peak_mib": None, "runs": 1})
        rows.append(
            {
                "step": f"page {Path(page).stem}: warm rerun",
                "median_s": statistics.median(warm),
                "min_s": min(warm),
                "peak_mib": None,
                "runs": repeat,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plan", default=str(DEFAULT_PLAN))
    parser.add_argument("--performance", default=str(DEFAULT_PERFORMANCE))
    parser.add_argument("--large", action="store_true", help="use (and if needed generate) benchmarks/out/large_*.xlsx")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--openpyxl", action="store_true", help="also time openpyxl (slow on large workbooks)")
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--no-pack", action="store_true")
    parser.add_argument("--no-browser", action="store_true", help="skip the real-browser measures (benchmarks/browser.py)")
    parser.add_argument("--record", action="store_true", help="write the results into benchmarks/results.md and the README")
    parser.add_argument("--all", action="store_true", help="the embedded data, then the large programme (with --record: both sections)")
    parser.add_argument("--csv")
    args = parser.parse_args(argv)
    if args.all:  # one command re-records everything: `python benchmarks/run.py --all --record`
        rest = [a for a in (argv if argv is not None else sys.argv[1:]) if a not in ("--all", "--large")]
        return main(rest) or main([*rest, "--large"])
    if args.large:
        args.plan, args.performance = str(OUT / "large_plan.xlsx"), str(OUT / "large_performance.xlsx")
        if not Path(args.plan).is_file():
            from benchmarks.generate_large import main as generate

            generate(["--out", str(OUT)])
    load_at_start = os.getloadavg()[0]  # said beside the numbers: other work on the machine slows every step
    plan_path, perf_path = Path(args.plan), Path(args.performance) if args.performance else None
    plan_bytes = plan_path.read_bytes()
    perf_bytes = perf_path.read_bytes() if perf_path else None
    rows = []
    for label, data in (("plan", plan_bytes), ("performance", perf_bytes)):
        if data is None:
            continue
        rows.append(measure(f"{label}: read cells (python-calamine)", lambda d=data: read_cells_calamine(d), args.repeat))
        rows.append(measure(f"{label}: read frames (pandas, calamine engine)", lambda d=data: read_frames_pandas_calamine(d), args.repeat))
        if args.openpyxl:
            rows.append(measure(f"{label}: read cells (openpyxl)", lambda d=data: read_cells_openpyxl(d), 1))
    rows.append(measure("plan: load + validate", lambda: load_plan(plan_bytes, "plan"), args.repeat))
    from src.analysis.isolation import load_isolated

    load_isolated("plan", plan_bytes, "plan")  # start the worker's forkserver once, as the server's first upload does
    rows.append(
        measure("plan: load + validate in the worker (uploads)", lambda: load_isolated("plan", plan_bytes, "plan"), args.repeat, False)
    )
    plan = load_plan(plan_bytes, "plan")
    rows.append(measure("plan: task table + coverage", lambda: PlanView.build(plan), args.repeat))
    if perf_bytes:
        rows.append(measure("performance: load + validate", lambda: load_performance(perf_bytes, "performance"), args.repeat))
        rows.append(
            measure(
                "performance: load + validate in the worker (uploads)",
                lambda: load_isolated("performance", perf_bytes, "performance"),
                args.repeat,
                False,
            )
        )
    rows.append(measure("full summary (load both + compute, in process)", lambda: full_summary(plan_bytes, perf_bytes), args.repeat))
    rows.append(
        measure(
            "full summary with both workbooks in isolation workers (as the CLI)",
            lambda: full_summary_isolated(plan_bytes, perf_bytes),
            args.repeat,
            False,
        )
    )
    if not args.no_pages:
        rows += page_times(plan_path, perf_path, args.repeat)
    if not args.no_pack:
        from src.export.briefing import briefing_pdf

        perf = load_performance(perf_bytes, "performance") if perf_bytes else None
        view = PlanView.build(plan, kpis=perf.kpis if perf else None)
        rows.append(measure("briefing pack PDF (first, starts Chromium)", lambda: briefing_pdf(view, perf), 1, memory=False))
        rows.append(measure("briefing pack PDF (again, server running)", lambda: briefing_pdf(view, perf), 1, memory=False))
    by_step = {row["step"]: row["median_s"] for row in rows}
    frames = sum(v for k, v in by_step.items() if "read frames" in k)
    summary = by_step["full summary with both workbooks in isolation workers (as the CLI)"]

    def read_both() -> None:
        for data in (plan_bytes, perf_bytes):
            if data is not None:
                read_cells_calamine(data)

    # The ratios from pairs timed back to back (paired_ratio), not from the medians above, taken minutes apart.
    isolated = paired_ratio(read_both, lambda: full_summary_isolated(plan_bytes, perf_bytes), args.repeat)
    in_process = paired_ratio(read_both, lambda: full_summary(plan_bytes, perf_bytes), args.repeat)
    rows.append(ratio_row("ratio: full summary with isolation / bare python-calamine read (target 1.3x)", isolated, args.repeat))
    rows.append(ratio_row("ratio: full summary in process / bare python-calamine read", in_process, args.repeat))
    if not args.no_pages:
        warm_rows = [r for r in rows if r["step"].endswith("warm rerun")]
        cold_overview = next((r["median_s"] for r in rows if r["step"].startswith("page 1_overview: cold")), None)
        slowest = max(warm_rows, key=lambda r: r["median_s"])
        rows.append(ratio_row(f"slowest warm page rerun ({slowest['step'].split(':')[0]})", slowest["median_s"], args.repeat, unit="s"))
        if cold_overview is not None:
            rows.append(ratio_row("overview, cold first run (parsed in process, modules partly loaded)", cold_overview, 1, unit="s"))
        rows += overview_in_new_server(plan_path, perf_path, max(args.repeat, 5))  # one-shot runs: at least 5 to steady the median
    if not args.no_browser:
        from benchmarks.browser import browser_rows

        rows += browser_rows(plan_path if args.large else None, repeat=max(args.repeat, 5))
    table = pd.DataFrame(rows)
    if "unit" not in table:
        table["unit"] = "s"
    table["unit"] = table["unit"].fillna("s")
    with pd.option_context("display.width", 160, "display.max_colwidth", 70, "display.float_format", "{:.3f}".format):
        print(table.to_string(index=False))
    print(
        f"\nfull summary with isolation / reading cells with python-calamine: {isolated:.2f}x (paired); "
        f"/ reading frames with pandas' calamine engine: {summary / frames:.2f}x (target 1.5x)"
    )
    warm = table[table["step"].str.endswith("warm rerun")]
    if not warm.empty:
        print(f"slowest warm page rerun: {warm['median_s'].max():.3f} s ({warm.loc[warm['median_s'].idxmax(), 'step']})")
    out = Path(args.csv) if args.csv else OUT / ("results-large.csv" if args.large else "results.csv")
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False)
    print(f"written: {out}")
    load = (load_at_start, os.getloadavg()[0])
    print(f"load average (1 min): {load[0]:.1f} at the start, {load[1]:.1f} at the end")
    if args.record:
        from benchmarks.results import record

        record(table, large=args.large, load=load)
        print("recorded: benchmarks/results.md and README.md")
    return 0


def ratio_row(step: str, value: float, runs: int, unit: str = "x") -> dict:
    return {"step": step, "median_s": value, "min_s": value, "peak_mib": None, "runs": runs, "unit": unit}


if __name__ == "__main__":
    sys.exit(main())

"""`python -m src.cli briefing --out FILE.pdf` and `python -m src.cli export --out FILE.xlsx`.

Same options as `summary` (--plan --performance --as-at --tolerance-days) plus --due-within-days.
Workbooks load exactly as `summary` loads them (cli._path/_as_at/read_plan_file and the same
default-performance rule), so the pack and the export show the summary's figures. Exit 2 with a
one-line message on an unusable workbook or argument (cli.main catches WorkbookError/UsageError).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .analysis.exceptions import DEFAULT_DUE_WITHIN_DAYS


_CLI_MODULE: list = []


def _cli():
    """The CLI module that registered us. Under `python -m src.cli` that is `__main__`, not a second
    copy imported as `src.cli`, so the UsageError raised here is the class `cli.main` catches."""
    if _CLI_MODULE:
        return _CLI_MODULE[0]
    from . import cli

    return cli


def load_inputs(args: argparse.Namespace):
    """(PlanView, PerformanceData or None) from the options, loaded the way `summary` loads them."""
    from .analysis.summary import DEFAULT_PERFORMANCE, DEFAULT_PLAN, PERFORMANCE_ENV, PLAN_ENV, PlanView

    cli = _cli()
    read_plan_file = cli.read_plan_file
    if args.tolerance_days < 0:
        raise cli.UsageError("--tolerance-days must be 0 or more.")
    if getattr(args, "due_within_days", 0) < 0:
        raise cli.UsageError("--due-within-days must be 0 or more.")
    plan = read_plan_file(cli._path(args.plan, PLAN_ENV, DEFAULT_PLAN))
    performance = None
    if args.performance or os.environ.get(PERFORMANCE_ENV) or (args.plan is None and DEFAULT_PERFORMANCE.is_file()):
        from .analysis.performance_workbook import read_performance_file

        performance = read_performance_file(cli._path(args.performance, PERFORMANCE_ENV, DEFAULT_PERFORMANCE))
    view = PlanView.build(plan, cli._as_at(args.as_at), args.tolerance_days,
                          kpis=performance.kpis if performance is not None else None)
    return view, performance


def _out_path(args: argparse.Namespace, suffix: str) -> Path:
    UsageError = _cli().UsageError  # noqa: N806

    path = Path(args.out)
    if path.suffix.lower() != suffix:
        raise UsageError(f"--out {path}: the file name must end in {suffix}.")
    if not path.parent.exists():
        raise UsageError(f"--out {path}: the folder {path.parent} does not exist.")
    return path


def _write(path: Path, data: bytes, started: float) -> int:
    path.write_bytes(data)
    print(f"{path} written in {time.perf_counter() - started:.1f} s ({len(data):,} bytes).")
    return 0


def cmd_briefing(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    path = _out_path(args, ".pdf")
    view, performance = load_inputs(args)
    from .export.briefing import briefing_pdf

    return _write(path, briefing_pdf(view, performance, args.due_within_days), started)


def cmd_export(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    path = _out_path(args, ".xlsx")
    view, performance = load_inputs(args)
    from .export.excel import export_workbook

    return _write(path, export_workbook(view, performance, args.due_within_days), started)


def register(subparsers, add_common_options, build_summary=None) -> None:
    """Add the `briefing` and `export` commands to the CLI's subparsers."""
    module = sys.modules.get(getattr(add_common_options, "__module__", ""))
    if module is not None and hasattr(module, "UsageError"):
        _CLI_MODULE[:] = [module]
    for name, help_text, suffix, func in (
        ("briefing", "the Portfolio Holder's A4 briefing pack as PDF", ".pdf", cmd_briefing),
        ("export", "every computed table as an Excel workbook", ".xlsx", cmd_export),
    ):
        parser = subparsers.add_parser(name, help=help_text)
        add_common_options(parser)
        parser.add_argument("--out", required=True, help=f"file to write (FILE{suffix})")
        parser.add_argument("--due-within-days", type=int, default=DEFAULT_DUE_WITHIN_DAYS,
                            help=f"a task is 'due soon' when it finishes within this many days of the reporting date (default {DEFAULT_DUE_WITHIN_DAYS})")
        parser.set_defaults(func=func)

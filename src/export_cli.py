"""`python -m src.cli briefing --out FILE.pdf` and `python -m src.cli export --out FILE.xlsx`.

Same options as `summary` (--plan --performance --as-at --tolerance-days) plus --due-within-days.
Workbooks load through the CLI's own `load_inputs`, exactly as `summary` loads them, so the pack
and the export show the summary's figures. Exit 2 with a
one-line message on an unusable workbook or argument (cli.main catches WorkbookError/UsageError).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from .analysis.exceptions import DEFAULT_DUE_WITHIN_DAYS
from .output_files import check_output_path, write_atomically


def _out_path(args: argparse.Namespace, suffix: str) -> Path:
    from .cli import UsageError

    if args.due_within_days < 0:
        raise UsageError("--due-within-days must be 0 or more.")
    path = Path(args.out)
    if path.suffix.lower() != suffix:
        raise UsageError(f"--out {path}: the file name must end in {suffix}.")
    return check_output_path(path, _input_paths(args))


def _input_paths(args: argparse.Namespace) -> list:
    """Every workbook this run may read: named, from the environment, or embedded (never to be overwritten)."""
    from .analysis.summary import DEFAULT_PERFORMANCE, DEFAULT_PLAN, PERFORMANCE_ENV, PLAN_ENV

    return [args.plan, args.performance, os.environ.get(PLAN_ENV), os.environ.get(PERFORMANCE_ENV), DEFAULT_PLAN, DEFAULT_PERFORMANCE]


def _write(path: Path, data: bytes, started: float) -> int:
    write_atomically(path, data)  # temporary file + rename: a full disk leaves no half file
    print(f"{path} written in {time.perf_counter() - started:.1f} s ({len(data):,} bytes).")
    return 0


def cmd_briefing(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    path = _out_path(args, ".pdf")
    view, performance = _load_inputs(args)
    from .export.briefing import briefing_pdf

    return _write(path, briefing_pdf(view, performance, args.due_within_days), started)


def cmd_export(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    path = _out_path(args, ".xlsx")
    view, performance = _load_inputs(args)
    from .export.excel import export_workbook

    return _write(path, export_workbook(view, performance, args.due_within_days), started)


_LOADER: list = []


def _load_inputs(args: argparse.Namespace):
    return _LOADER[0](args)


def register(subparsers, add_common_options, load_inputs) -> None:
    """Add the `briefing` and `export` commands; `load_inputs(args)` is the CLI's own loader."""
    _LOADER[:] = [load_inputs]
    for name, help_text, suffix, func in (
        ("briefing", "the Portfolio Holder's A4 briefing pack as PDF", ".pdf", cmd_briefing),
        ("export", "every computed table as an Excel workbook", ".xlsx", cmd_export),
    ):
        parser = subparsers.add_parser(name, help=help_text)
        add_common_options(parser)
        parser.add_argument("--out", required=True, help=f"file to write (FILE{suffix})")
        parser.add_argument(
            "--due-within-days",
            type=int,
            default=DEFAULT_DUE_WITHIN_DAYS,
            help=f"a task is 'due soon' when it finishes within this many days of the reporting date (default {DEFAULT_DUE_WITHIN_DAYS})",
        )
        parser.set_defaults(func=func)

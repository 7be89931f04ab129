"""`python -m src.cli briefing [--format pdf|docx|pptx] [--full] [--template FILE.pptx] --out FILE` and
`python -m src.cli export --out FILE.xlsx`.

`briefing` writes the Portfolio Holder brief (PDF by default, or Word); `--full` the full pack of
every table (PDF or Word); `--format pptx` the QIB slide deck, on a council's own template with
`--template`. Without --format, the --out file's ending chooses it (else PDF).
Same options as `summary` (--plan --performance --as-at --tolerance-days) plus --due-within-days.
Workbooks load through `common.load_inputs`, exactly as `summary` loads them, so the pack
and the export show the summary's figures. Exit 2 with a one-line message on an unusable
workbook or argument (`common.run_command` catches WorkbookError/UsageError).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from ..analysis.exceptions import DEFAULT_DUE_WITHIN_DAYS
from ..analysis.workbook_paths import DEFAULT_PERFORMANCE, DEFAULT_PLAN, PERFORMANCE_ENV, PLAN_ENV
from ..output_files import check_output_path, write_atomically
from .common import UsageError, add_common_options, load_inputs


def _out_path(args: argparse.Namespace, suffix: str) -> Path:
    if args.due_within_days < 0:
        raise UsageError("--due-within-days must be 0 or more.")
    path = Path(args.out)
    if path.suffix.lower() != suffix:
        raise UsageError(f"--out {path}: the file name must end in {suffix}.")
    return check_output_path(path, _input_paths(args))


def _input_paths(args: argparse.Namespace) -> list:
    """Every workbook this run may read: named, from the environment, or embedded (never to be overwritten)."""
    return [args.plan, args.performance, os.environ.get(PLAN_ENV), os.environ.get(PERFORMANCE_ENV), DEFAULT_PLAN, DEFAULT_PERFORMANCE]


def _write(path: Path, data: bytes, started: float) -> int:
    write_atomically(path, data)  # temporary file + rename: a full disk leaves no half file
    print(f"{path} written in {time.perf_counter() - started:.1f} s ({len(data):,} bytes).")
    return 0


def _briefing_choice(args: argparse.Namespace) -> tuple[str, str, bytes | None]:
    """(document kind, format, template bytes) from the options; UsageError when they do not fit."""
    suffix = Path(args.out).suffix.lower().lstrip(".")
    fmt = args.format or (suffix if suffix in ("pdf", "docx", "pptx") else "pdf")
    kind = "deck" if fmt == "pptx" else ("full" if args.full else "brief")
    if fmt == "pptx" and args.full:
        raise UsageError("--full is the full pack of every table, made as pdf or docx; the slide deck is --format pptx without --full.")
    template = None
    if args.template:
        if fmt != "pptx":
            raise UsageError("--template is a PowerPoint template for the slide deck: use it with --format pptx.")
        source = Path(args.template)
        if not source.is_file():
            raise UsageError(f"--template {source}: no such file.")
        template = source.read_bytes()
    return kind, fmt, template


def cmd_briefing(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    kind, fmt, template = _briefing_choice(args)
    path = _out_path(args, f".{fmt}")
    view, performance = load_inputs(args)
    from ..export.briefing import build_document
    from ..export.pptx_writer import TemplateError

    try:
        data = build_document(view, performance, kind, fmt, args.due_within_days, template=template)
    except TemplateError as error:
        raise UsageError(f"--template {args.template}: {error}.") from None
    return _write(path, data, started)


def cmd_export(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    path = _out_path(args, ".xlsx")
    view, performance = load_inputs(args)
    from ..export.excel import export_workbook

    return _write(path, export_workbook(view, performance, args.due_within_days), started)


def register(subparsers) -> None:
    """Add the `briefing` and `export` commands."""
    for name, help_text, suffix, func in (
        ("briefing", "the Portfolio Holder brief (PDF or Word), the full pack (--full) or the QIB slide deck (pptx)", ".pdf", cmd_briefing),
        ("export", "every computed table as an Excel workbook", ".xlsx", cmd_export),
    ):
        parser = subparsers.add_parser(name, help=help_text)
        add_common_options(parser)
        if name == "briefing":
            parser.add_argument("--out", required=True, help="file to write (FILE.pdf, FILE.docx or FILE.pptx)")
            parser.add_argument("--format", choices=["pdf", "docx", "pptx"], help="pdf (default), docx, or pptx for the QIB slide deck")
            parser.add_argument("--full", action="store_true", help="the full pack of every table instead of the 2-4 page brief")
            parser.add_argument("--template", help="a council's PowerPoint template (.pptx) whose layouts the deck uses")
        else:
            parser.add_argument("--out", required=True, help=f"file to write (FILE{suffix})")
        parser.add_argument(
            "--due-within-days",
            type=int,
            default=DEFAULT_DUE_WITHIN_DAYS,
            help=f"a task is 'due soon' when it finishes within this many days of the reporting date (default {DEFAULT_DUE_WITHIN_DAYS})",
        )
        parser.set_defaults(func=func)

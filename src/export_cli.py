"""`python -m src.cli briefing [--format pdf|docx|pptx] [--full] [--template FILE.pptx] --out FILE` and
`python -m src.cli export --out FILE.xlsx`.

`briefing` writes the Portfolio Holder brief (PDF by default, or Word); `--full` the full pack of
every table (PDF or Word); `--format pptx` the QIB slide deck, on a council's own template with
`--template`. Without --format, the --out file's ending chooses it (else PDF).
Same options as `summary` (--plan --performance --as-at --tolerance-days) plus --due-within-days.
Workbooks load through the CLI's own `load_inputs`, exactly as `summary` loads them, so the pack
and the export show the summary's figures. Exit 2 with a
one-line message on an unusable workbook or argument (cli.main catches WorkbookError/UsageError).
"""

from __future__ import annotations

import argparse
import os
import sys
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


def _briefing_choice(args: argparse.Namespace) -> tuple[str, str, bytes | None]:
    """(document kind, format, template bytes) from the options; UsageError when they do not fit."""
    from .cli import UsageError

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
    view, performance = _load_inputs(args)
    from .export.briefing import build_document
    from .export.pptx_writer import TemplateError

    try:
        data = build_document(view, performance, kind, fmt, args.due_within_days, template=template)
    except TemplateError as error:
        from .cli import UsageError

        raise UsageError(f"--template {args.template}: {error}.") from None
    return _write(path, data, started)


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


# ---- the monthly update returns: `returns` (out) and `merge-returns` (in) ----------------------------


def cmd_returns(args: argparse.Namespace) -> int:
    """Write one return per lead (or theme) for the reporting date into a folder."""
    from .analysis.returns import next_reporting_date
    from .analysis.summary import DEFAULT_PLAN, PLAN_ENV, read_plan_file
    from .cli import UsageError, _as_at, _path
    from .export.returns import build_returns, write_atomically

    started = time.perf_counter()
    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {folder}: not a folder.")
    if not folder.parent.exists():
        raise UsageError(f"--out {folder}: the folder {folder.parent} does not exist.")
    plan = read_plan_file(_path(args.plan, PLAN_ENV, DEFAULT_PLAN))
    as_at = _as_at(args.as_at) or next_reporting_date(plan)
    returns = build_returns(plan, as_at, args.by)
    folder.mkdir(exist_ok=True)
    for name, data in returns:
        write_atomically(folder / name, data)
        print(f"  {name}")
    print(
        f"{len(returns)} return(s) for {as_at:%d %b %Y}, one per {args.by}, written to {folder} in {time.perf_counter() - started:.1f} s."
    )
    return 0


def cmd_merge_returns(args: argparse.Namespace) -> int:
    """Check returned workbooks and write a new plan with them merged (never over the input)."""
    from .analysis.returns import check_returns, merge_log, preview, returns_date
    from .analysis.summary import DEFAULT_PLAN, PLAN_ENV, read_plan_file
    from .cli import UsageError, _as_at, _path
    from .export.returns import MergeNotShown, merged_plan_bytes, write_atomically

    plan_path = _path(args.plan, PLAN_ENV, DEFAULT_PLAN)
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"--out {out}: the file name must end in .xlsx.")
    if not out.parent.exists():
        raise UsageError(f"--out {out}: the folder {out.parent} does not exist.")
    inputs = [plan_path, *(Path(r) for r in args.returns)]
    for given in inputs:
        if out.resolve() == given.resolve() or (out.exists() and given.exists() and os.path.samefile(out, given)):
            raise UsageError(f"--out {out} is one of the input files; the merged plan is always written as a new file.")
    missing = [r for r in args.returns if not Path(r).is_file()]
    if missing:
        raise UsageError(f"{missing[0]}: no such file.")
    original = plan_path.read_bytes()
    plan = read_plan_file(plan_path)
    files = [(Path(r).name, Path(r).read_bytes()) for r in args.returns]
    as_at = _as_at(args.as_at) or returns_date(plan, files)
    if as_at is None:
        raise UsageError("none of the files is an update return for this plan; give --as-at to check them against a date.")
    check = check_returns(plan, as_at, files)
    changes = preview(plan, check)
    if not changes.empty:
        print("What will change:")
        for lead, rows in changes.groupby("lead", sort=False):
            print(f"  {lead}:")
            for r in rows.itertuples(index=False):
                moved = f"; forecast moved {r.forecast_moved_days:+d} days" if r.forecast_moved_days else ""
                print(f"    {r.item}: {r.status_before or 'not reported'} -> {r.status}{moved}")
        print()
    if check.nothing_to_merge:
        print(merge_log(plan, check))
        print("Nothing to merge: no file written.", file=sys.stderr)
        return 2
    if args.dry_run:
        print(merge_log(plan, check))
        print("Dry run: no file written.")
        return 0
    try:
        data = merged_plan_bytes(original, plan, check)
    except MergeNotShown as error:
        raise UsageError(str(error)) from None
    except Exception as error:  # noqa: BLE001 - e.g. an .xls or .ods plan, which openpyxl cannot open
        raise UsageError(
            f"{plan_path.name} could not be opened for writing ({type(error).__name__}); save it as .xlsx and try again."
        ) from None
    write_atomically(out, data)
    log = merge_log(plan, check, out.name)
    print(log)
    if args.log:
        write_atomically(Path(args.log), log.encode("utf-8"))
    return 0


def register_returns(subparsers) -> None:
    """Add the `returns` and `merge-returns` commands."""
    from .analysis.returns import BY_LEAD, BY_THEME

    out = subparsers.add_parser("returns", help="this month's update returns: one small workbook per lead (or theme)")
    out.add_argument("--plan", help="plan workbook (default: $DASHBOARD_PLAN or the embedded one)")
    out.add_argument("--as-at", help="reporting date YYYY-MM-DD (default: the month end after the plan's latest update)")
    out.add_argument("--out", required=True, help="folder to write the returns into (created if missing)")
    out.add_argument("--by", choices=[BY_LEAD, BY_THEME], default=BY_LEAD, help="one return per lead (default) or per theme")
    out.set_defaults(func=cmd_returns)
    merge = subparsers.add_parser("merge-returns", help="check returned workbooks and write a new plan with them merged")
    merge.add_argument("--plan", help="plan workbook the returns were built from (default: $DASHBOARD_PLAN or the embedded one)")
    merge.add_argument("returns", nargs="+", help="returned workbooks")
    merge.add_argument("--out", required=True, help="the new plan workbook (FILE.xlsx; never the input)")
    merge.add_argument("--as-at", help="reporting date YYYY-MM-DD the returns are for (default: the date they were issued for)")
    merge.add_argument("--log", help="also write the merge log to this text file")
    merge.add_argument("--dry-run", action="store_true", help="check and preview only; write nothing")
    merge.set_defaults(func=cmd_merge_returns)

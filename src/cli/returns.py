"""`python -m src.cli returns --out FOLDER` (this month's update return for each lead or theme) and
`python -m src.cli merge-returns --plan PLAN RETURN... --out NEW.xlsx` (check the returned workbooks and
write a new plan with them merged, never over an input). See docs/update-returns.md."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from ..analysis.wording import plural
from ..analysis.workbook_paths import DEFAULT_PLAN, PLAN_ENV, read_plan_file
from .common import UsageError, input_path, reporting_date


def cmd_returns(args: argparse.Namespace) -> int:
    """Write one return per lead (or theme) for the reporting date into a folder."""
    from ..analysis.returns import next_reporting_date
    from ..export.returns import build_returns
    from ..output_files import write_atomically

    started = time.perf_counter()
    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {folder}: not a folder.")
    if not folder.parent.exists():
        raise UsageError(f"--out {folder}: the folder {folder.parent} does not exist.")
    plan = read_plan_file(input_path(args.plan, PLAN_ENV, DEFAULT_PLAN))
    as_at = reporting_date(args.as_at) or next_reporting_date(plan)
    returns = build_returns(plan, as_at, args.by)
    folder.mkdir(exist_ok=True)
    for name, data in returns:
        write_atomically(folder / name, data)
        print(f"  {name}")
    print(
        f"{plural(len(returns), 'return')} for {as_at:%d %b %Y}, one per {args.by}, written to {folder} in {time.perf_counter() - started:.1f} s."
    )
    return 0


def cmd_merge_returns(args: argparse.Namespace) -> int:
    """Check returned workbooks and write a new plan with them merged (never over the input)."""
    from ..analysis.returns import check_returns, merge_log, preview, returns_date
    from ..export.returns import MergeNotShown, merged_plan_bytes
    from ..output_files import write_atomically

    plan_path = input_path(args.plan, PLAN_ENV, DEFAULT_PLAN)
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
    as_at = reporting_date(args.as_at) or returns_date(plan, files)
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


def register(subparsers) -> None:
    """Add the `returns` and `merge-returns` commands."""
    from ..analysis.returns import BY_LEAD, BY_THEME

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

"""What every subcommand shares: the workbook options, reading the inputs, `UsageError` and the exit codes.

Exit codes: 0 ok (value-level problems are listed under data_quality); 2 a workbook or an
argument cannot be used (the message names the file, sheet and column); 1 an internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pandas as pd

from ..analysis.findings import Severity, WorkbookError
from ..analysis.isolation import PLAN_AS_KEPT, PendingLoad, start_isolated, start_untrusted_file
from ..analysis.load import size_finding
from ..analysis.plan_view import PlanView
from ..analysis.progress import DEFAULT_TOLERANCE_DAYS
from ..analysis.textsafe import terminal_text
from ..analysis.tracker import MAPPING_ENV, read_mapping_file
from ..analysis.workbook_paths import DEFAULT_PERFORMANCE, DEFAULT_PLAN, PERFORMANCE_ENV, PLAN_ENV
from ..output_files import OutputError, path_problem


class UsageError(Exception):
    """A bad argument: reported in one line, exit 2."""


FIRST_YEAR, LAST_YEAR = 1990, 2100


def reporting_date(text: str | None) -> pd.Timestamp | None:
    """An --as-at style option as a date (None when not given); UsageError when it is not a plausible date."""
    if not text:
        return None
    try:
        as_at = pd.Timestamp(text).normalize()
    except (ValueError, TypeError, OverflowError):
        raise UsageError(f"--as-at '{text}' is not a date in the form YYYY-MM-DD.") from None
    if not FIRST_YEAR <= as_at.year <= LAST_YEAR:
        # A date centuries outside any plan is a typing slip, and would invert every result.
        raise UsageError(f"--as-at {text}: a reporting date must be between {FIRST_YEAR} and {LAST_YEAR}.")
    return as_at


def input_path(given: str | None, env: str, default: Path) -> Path:
    """The workbook named by the option, else by the environment variable `env`, else `default`: a readable file."""
    path = Path(given or os.environ.get(env) or default)
    if not path.is_file():
        raise UsageError(f"{path}: {path_problem(path)}.")
    if not os.access(path, os.R_OK):
        raise UsageError(f"{path}: permission denied (the file cannot be read).")
    return path


def _start_workbook(kind: str, path: Path) -> PendingLoad:
    """A workbook named by an option or environment variable is untrusted: size checked from the file system
    first, then parsed in a worker process with memory and time limits. The embedded workbooks are read here."""
    trusted = path.resolve() in (DEFAULT_PLAN.resolve(), DEFAULT_PERFORMANCE.resolve())
    return start_untrusted_file(kind, path, trusted=trusted)


def add_common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", help=f"plan workbook (default: ${PLAN_ENV} or data/{DEFAULT_PLAN.name})")
    parser.add_argument("--performance", help=f"performance workbook (default: ${PERFORMANCE_ENV} or the embedded one)")
    parser.add_argument("--as-at", help="reporting date YYYY-MM-DD (default: the latest in Updates, else the plan date, else today)")
    parser.add_argument(
        "--mapping", help="a saved tracker mapping (JSON, see docs/trackers.md) for a plan kept in the council's own layout"
    )
    parser.add_argument("--status-as-at", help="the date a tracker's status column describes, YYYY-MM-DD (when the tracker does not say)")
    parser.add_argument(
        "--earlier-version",
        action="append",
        default=[],
        help="an earlier version of the same tracker (repeatable): its statuses become history",
    )
    parser.add_argument(
        "--tolerance-days",
        type=int,
        default=DEFAULT_TOLERANCE_DAYS,
        help=f"days a forecast may run past the planned finish and still be Amber (default {DEFAULT_TOLERANCE_DAYS})",
    )


def load_inputs(args: argparse.Namespace):
    """(PlanView, PerformanceData or None) from the options: the one way every command loads workbooks.

    Without --plan the embedded plan is paired with the embedded performance workbook; with --plan,
    a performance workbook is read only when --performance (or its env var) names one, so another
    council's plan is never scored against Durham's figures.
    """
    if args.tolerance_days < 0:
        raise UsageError("--tolerance-days must be 0 or more.")
    # Both workbooks are parsed at once, each in its own worker (two cores: the slower of the two, not the sum).
    # Problems are reported in the order they always were: the plan's first.
    pending_plan = _start_plan(args)
    pending_performance = None
    problem = None
    try:
        if (
            args.performance
            or os.environ.get(PERFORMANCE_ENV)
            or (args.plan is None and not os.environ.get(PLAN_ENV) and DEFAULT_PERFORMANCE.is_file())
        ):
            pending_performance = _start_workbook("performance", input_path(args.performance, PERFORMANCE_ENV, DEFAULT_PERFORMANCE))
    except (UsageError, WorkbookError) as error:
        problem = error
    try:
        plan = pending_plan.result()
    except BaseException:
        if pending_performance is not None:
            pending_performance.cancel()
        raise
    if problem is not None:
        raise problem
    performance = pending_performance.result() if pending_performance is not None else None
    view = PlanView.build(plan, reporting_date(args.as_at), args.tolerance_days, kpis=performance.kpis if performance is not None else None)
    return view, performance


def _start_plan(args: argparse.Namespace) -> PendingLoad:
    """The plan from --plan (or its env var), read as a tracker when a mapping, status date or earlier version is given."""
    path = input_path(args.plan, PLAN_ENV, DEFAULT_PLAN)
    mapping_path = getattr(args, "mapping", None) or os.environ.get(MAPPING_ENV)
    status_as_at = reporting_date(getattr(args, "status_as_at", None))
    earlier = [input_path(p, PLAN_ENV, DEFAULT_PLAN) for p in getattr(args, "earlier_version", None) or []]
    if not mapping_path and status_as_at is None and not earlier:
        return _start_workbook("plan", path)
    mapping = read_mapping_file(mapping_path) if mapping_path else None  # a missing or broken mapping: a clear error here
    options = (
        mapping.to_json() if mapping else None,
        status_as_at.strftime("%Y-%m-%d") if status_as_at is not None else None,
        tuple((p.name, p.read_bytes()) for p in earlier),
    )
    problem = size_finding(path.stat().st_size, path.name)
    if problem:
        raise WorkbookError([problem])
    return start_isolated(PLAN_AS_KEPT, path.read_bytes(), path.name, options=options)


def run_command(args: argparse.Namespace) -> int:
    """Run the chosen subcommand (`args.func`) and turn what it raises into an exit code and one line on stderr."""
    try:
        return args.func(args)
    except WorkbookError as error:
        for finding in error.findings:
            if finding.severity == Severity.ERROR:
                print(terminal_text(f"error: {finding}" + (f" {finding.advice}" if finding.advice else "")), file=sys.stderr)
        return 2
    except (UsageError, OutputError) as error:
        print(f"error: {terminal_text(error)}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - a person gets one line, not a traceback
        if os.environ.get("DASHBOARD_DEBUG"):
            raise
        print(f"internal error: {type(error).__name__}: {error} (set DASHBOARD_DEBUG=1 for details)", file=sys.stderr)
        return 1

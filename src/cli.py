"""Command line: `python -m src.cli summary [--plan PATH] [--performance PATH] [--as-at YYYY-MM-DD] [--tolerance-days N] [--json]`.

Exit codes: 0 ok (value-level problems are listed under data_quality); 2 a workbook or an
argument cannot be used (the message names the file, sheet and column); 1 an internal error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import pandas as pd

from .analysis.dates import format_date
from .analysis.findings import Severity, WorkbookError
from .analysis.isolation import PLAN_AS_KEPT, load_isolated, read_untrusted_file
from .analysis.load import size_finding
from .analysis.performance_summary import performance_summary, published_summary
from .analysis.progress import DEFAULT_TOLERANCE_DAYS
from .analysis.summary import (
    DEFAULT_PERFORMANCE,
    DEFAULT_PLAN,
    PERFORMANCE_ENV,
    PLAN_ENV,
    PlanView,
    plan_summary,
)
from .analysis.textsafe import terminal_text
from .analysis.tracker import MAPPING_ENV, read_mapping_file
from .export_cli import register as register_exports
from .export_cli import register_returns
from .output_files import OutputError, path_problem


class UsageError(Exception):
    """A bad argument: reported in one line, exit 2."""


def _as_at(text: str | None) -> pd.Timestamp | None:
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


FIRST_YEAR, LAST_YEAR = 1990, 2100


def _path(given: str | None, env: str, default: Path) -> Path:
    path = Path(given or os.environ.get(env) or default)
    if not path.is_file():
        raise UsageError(f"{path}: {path_problem(path)}.")
    if not os.access(path, os.R_OK):
        raise UsageError(f"{path}: permission denied (the file cannot be read).")
    return path


def _read_workbook(kind: str, path: Path):
    """A workbook named by an option or environment variable is untrusted: size checked from the file system
    first, then parsed in a worker process with memory and time limits. The embedded workbooks are read here."""
    trusted = path.resolve() in (DEFAULT_PLAN.resolve(), DEFAULT_PERFORMANCE.resolve())
    return read_untrusted_file(kind, path, trusted=trusted)


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
    plan = _read_plan(args)
    performance = None
    if (
        args.performance
        or os.environ.get(PERFORMANCE_ENV)
        or (args.plan is None and not os.environ.get(PLAN_ENV) and DEFAULT_PERFORMANCE.is_file())
    ):
        performance = _read_workbook("performance", _path(args.performance, PERFORMANCE_ENV, DEFAULT_PERFORMANCE))
    view = PlanView.build(plan, _as_at(args.as_at), args.tolerance_days, kpis=performance.kpis if performance is not None else None)
    return view, performance


def _read_plan(args: argparse.Namespace):
    """The plan from --plan (or its env var), read as a tracker when a mapping, status date or earlier version is given."""
    path = _path(args.plan, PLAN_ENV, DEFAULT_PLAN)
    mapping_path = getattr(args, "mapping", None) or os.environ.get(MAPPING_ENV)
    status_as_at = _as_at(getattr(args, "status_as_at", None))
    earlier = [_path(p, PLAN_ENV, DEFAULT_PLAN) for p in getattr(args, "earlier_version", None) or []]
    if not mapping_path and status_as_at is None and not earlier:
        return _read_workbook("plan", path)
    mapping = read_mapping_file(mapping_path) if mapping_path else None  # a missing or broken mapping: a clear error here
    options = (
        mapping.to_json() if mapping else None,
        status_as_at.strftime("%Y-%m-%d") if status_as_at is not None else None,
        tuple((p.name, p.read_bytes()) for p in earlier),
    )
    problem = size_finding(path.stat().st_size, path.name)
    if problem:
        raise WorkbookError([problem])
    return load_isolated(PLAN_AS_KEPT, path.read_bytes(), path.name, options=options)


def build_summary(args: argparse.Namespace) -> dict:
    """Load the workbooks named by the options and compute the shared summary."""
    view, performance = load_inputs(args)
    summary = plan_summary(view, extra_findings=performance.findings if performance is not None else None)
    summary["date_notes"] = _date_notes(view)
    if performance is not None:
        summary.update(performance_summary(performance, view.as_at if view.plan.reporting_dates else None))
    try:  # the council's published figures (issue 17): --council, the plan's About, or $DASHBOARD_COUNCIL
        summary.update(
            published_summary(
                summary.get("kpis"),
                getattr(args, "council", None),
                view.plan.about,
                performance,
                view.as_at if view.plan.reporting_dates else None,
                getattr(args, "neighbours_model", None) or "2025",
            )
        )
    except ValueError as error:
        raise UsageError(str(error)) from None
    return summary


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"


def _completion_notes(done: dict) -> str:
    """Beside planned completion: finishes that could not be read (never planned) and ongoing tasks (left out)."""
    notes = []
    if done.get("finish_unreadable"):
        notes.append(f"{done['finish_unreadable']} finish(es) could not be read and never count as planned")
    if done.get("ongoing"):
        notes.append(f"{done['ongoing']} ongoing task(s) with no fixed finish are left out")
    return (" " + "; ".join(notes) + ".") if notes else ""


def _date_notes(view: PlanView) -> list[str]:
    """Defaults that must speak: a reporting date that is only today's date, and how bare quarters were read."""
    notes = []
    if view.plan.as_at_is_today and view.as_at == pd.Timestamp.today().normalize():
        notes.append("The plan has no progress updates and no plan date, so the reporting date is today (set another with --as-at).")
    notes.append(view.plan.quarters_notice())
    return [n for n in notes if n]


def governance_lines(summary: dict) -> list[str]:
    """The issues log and decisions (summary["issues"], summary["decisions"]) as report lines."""
    issues, decisions = summary.get("issues"), summary.get("decisions")
    if not issues or not decisions:
        return []
    lines = [""]
    if issues["log"]:
        lines.append(f"Issues: {issues['open']} open, {issues['closed']} closed.")
        lines += [
            f"  {i['issue_id']}: {i['issue']} (owner {i['owner']}; raised {format_date(i['raised']) or 'date not given'}"
            + (f"; holds up {i['tasks_held_up']}" if i["tasks_held_up"] else "")
            + ")"
            for i in issues["items"]
            if i["state"] == "Open"
        ]
    else:
        lines.append("Issues: the plan keeps no issues log (no Issues sheet).")
    lines.append(f"Decisions needed: {decisions['needed_source_text']}")
    lines += [f"  {d['decision_id']}: {d['decision']} (owner {d['owner']})" for d in decisions["needed"]]
    if decisions["log"]:
        lines.append(f"Decisions taken, not yet done: {len(decisions['taken_not_done'])} ({decisions['overdue']} overdue).")
        lines += [f"  {d['decision_id']}: {d['decision']} ({d['timeliness']}; owner {d['owner']})" for d in decisions["taken_not_done"]]
    return lines


def text_report(summary: dict) -> str:
    """The summary as a person reads it in a terminal."""
    done, rag, slip = summary["completion"], summary["rag"], summary["slippage"]
    lines = [
        summary["plan_title"],
        f"As at {format_date(summary['as_at'])} (RAG tolerance {summary['tolerance_days']} days)",
    ]
    if summary.get("data_status"):
        lines.append(f"Data status: {summary['data_status']}")
    lines += [note for note in summary.get("date_notes", []) if note]
    lines += [
        "",
        f"Completion: {done['complete']} of {done['in_scope']} tasks complete ({_percent(done['rate'])}); "
        f"planned by now {_percent(done['planned_rate'])}." + _completion_notes(done),
        "RAG: " + ", ".join(f"{k} {v}" for k, v in rag.items()),
        f"Slippage: {slip['slipped']} tasks slipped, {slip['total_days']} days in total"
        + (f", median {slip['median_days']:g} days." if slip["median_days"] is not None else "."),
        "",
        "Red tasks:",
    ]
    reds = [t for t in summary["tasks"] if t["rag"] == "Red"]
    lines += [f"  {t['task_id']}: {t['reason']} (lead: {t['lead'] or 'none given'})" for t in reds] or ["  none"]
    lines += ["", "Recommendations:"]
    if not summary["recommendations"]:  # a tracker kept without them (docs/trackers.md)
        lines.append("  this plan does not list Ofsted's recommendations, so coverage cannot be checked")
    for rec in summary["recommendations"]:
        themes = ", ".join(rec["themes"]) or "none"
        lines.append(f"  {rec['rec_id']:>3}  themes {themes}; {len(rec['tasks'])} task(s); RAG {rec['rag'] or '-'}")
        lines += [f"       ! {finding}" for finding in rec["findings"]]
    if "caseload" in summary and summary["caseload"]:
        c = summary["caseload"]
        lines += [
            "",
            f"Caseload ({format_date(c['period'])}): average {c['average']:.1f} cases per FTE; "
            f"{_percent(c['over_threshold_share'])} of case holders over threshold.",
        ]
    lines += governance_lines(summary)
    if summary.get("council"):
        lines += ["", f"Published figures for {summary['council']['name']} (England, region, statistical neighbours' median):"]
        for k in summary.get("kpis", []):
            if k.get("origin") == "published":
                value = "suppressed" if k["value"] is None else f"{k['value']:g}"
                rank = f"; rank {k['rank']} of {k['of']} ({k['quartile']})" if k.get("rank") else ""
                lines.append(f"  {k['kpi']} ({k['period_label']}): {value}; England {k['england']}; SN {k['stat_neighbours_median']}{rank}")
    problems = summary["data_quality"]
    lines += ["", f"Data quality: {len(problems)} finding(s)."]
    lines += [
        f"  [{p['severity']}] {p['workbook']}, {p['sheet'] or ''} row {p['row'] or '-'} {p['column'] or ''}: {p['message']}"
        for p in problems[:20]
    ]
    if len(problems) > 20:
        lines.append(f"  ... and {len(problems) - 20} more (use --json for all).")
    # Workbook text is printed as text: control characters, ESC sequences and bidi overrides escaped.
    return terminal_text("\n".join(lines))


# JSON escapes C0 controls itself; with ensure_ascii=False it would pass C1 controls (U+009B is a
# terminal's CSI), bidi overrides and line separators raw, so those are written as \u escapes too.
_JSON_RAW = re.compile("[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_text(summary: dict) -> str:
    """The summary as JSON, UTF-8 text kept readable, terminal-unsafe characters as \\u escapes."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(summary, indent=2, ensure_ascii=False))


def cmd_summary(args: argparse.Namespace) -> int:
    summary = build_summary(args)
    if args.json:
        sys.stdout.write(json_text(summary) + "\n")
    else:
        print(text_report(summary))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m src.cli", description="Children's services improvement plan dashboard: command line.")
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser("summary", help="progress, RAG, slippage, coverage and data quality")
    add_common_options(summary)
    summary.add_argument("--json", action="store_true", help="one JSON object instead of the text report")
    summary.add_argument(
        "--council", help="a local authority name or code for its published figures (default: the plan's About, or $DASHBOARD_COUNCIL)"
    )
    summary.add_argument(
        "--neighbours-model", choices=["2025", "2021"], default="2025", help="DfE statistical-neighbour model (default 2025)"
    )
    summary.set_defaults(func=cmd_summary)
    register_exports(commands, add_common_options, load_inputs)
    register_returns(commands)
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    # Run the module imported under its package name, so `src.cli.UsageError` (raised by the
    # export commands too) is the very class `main` catches.
    from src.cli import main as package_main

    sys.exit(package_main())

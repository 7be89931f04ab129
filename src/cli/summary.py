"""`python -m src.cli summary [--plan PATH] [--performance PATH] [--as-at YYYY-MM-DD] [--tolerance-days N] [--json]`:
the shared summary as a text report or as one JSON object (README lists its fields)."""

from __future__ import annotations

import argparse
import json
import re
import sys

import pandas as pd

from ..analysis.dates import format_date
from ..analysis.headline import BY_KEY, Group
from ..analysis.performance_summary import performance_summary, published_summary
from ..analysis.plan_view import PlanView
from ..analysis.summary_json import plan_summary
from ..analysis.textsafe import terminal_text
from ..analysis.wording import percent, plural
from .common import UsageError, add_common_options, load_inputs


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


def _completion_notes(done: dict) -> str:
    """Under the headline figures: finishes that could not be read (never planned) and ongoing tasks (left out)."""
    notes = []
    if done.get("finish_unreadable"):
        notes.append(f"{plural(done['finish_unreadable'], 'finish', 'finishes')} could not be read and never count as planned")
    if done.get("ongoing"):
        notes.append(f"{plural(done['ongoing'], 'ongoing task')} with no fixed finish are left out")
    return ("  Planned by now: " + "; ".join(notes) + ".") if notes else ""


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


def headline_lines(summary: dict) -> list[str]:
    """The registry's figures (summary["headline"], registry order) as report lines, detail figures left
    to the JSON: '  Tasks complete: 17 of 33 (33 tasks in scope, 1 cancelled not counted)'."""
    return [
        f"  {f['label']}: {f['text']}" + (f" ({f['note']})" if f["note"] else "")
        for f in summary.get("headline", [])
        if f["key"] in BY_KEY and BY_KEY[f["key"]].group is not Group.DETAIL
    ]


def text_report(summary: dict) -> str:
    """The summary as a person reads it in a terminal."""
    lines = [
        summary["plan_title"],
        f"As at {format_date(summary['as_at'])} (RAG tolerance {summary['tolerance_days']} days)",
    ]
    if summary.get("data_status"):
        lines.append(f"Data status: {summary['data_status']}")
    lines += [note for note in summary.get("date_notes", []) if note]
    lines += ["", "Headline figures:", *headline_lines(summary)]
    lines += [note for note in [_completion_notes(summary["completion"])] if note]
    lines += ["", "Red tasks:"]
    reds = [t for t in summary["tasks"] if t["rag"] == "Red"]
    lines += [f"  {t['task_id']}: {t['reason']} (lead: {t['lead'] or 'none given'})" for t in reds] or ["  none"]
    lines += ["", "Recommendations:"]
    if not summary["recommendations"]:  # a tracker kept without them (docs/trackers.md)
        lines.append("  this plan does not list Ofsted's recommendations, so coverage cannot be checked")
    for rec in summary["recommendations"]:
        themes = ", ".join(rec["themes"]) or "none"
        lines.append(f"  {rec['rec_id']:>3}  themes {themes}; {plural(len(rec['tasks']), 'task')}; RAG {rec['rag'] or '-'}")
        lines += [f"       ! {finding}" for finding in rec["findings"]]
    if "caseload" in summary and summary["caseload"]:
        c = summary["caseload"]
        lines += [
            "",
            f"Caseload ({format_date(c['period'])}): average {c['average']:.1f} cases per FTE; "
            f"{percent(c['over_threshold_share'])} of case holders over threshold.",
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
    lines += ["", f"Data quality: {plural(len(problems), 'finding')}."]
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


def register(subparsers) -> None:
    """Add the `summary` command."""
    summary = subparsers.add_parser("summary", help="progress, RAG, slippage, coverage and data quality")
    add_common_options(summary)
    summary.add_argument("--json", action="store_true", help="one JSON object instead of the text report")
    summary.add_argument(
        "--council", help="a local authority name or code for its published figures (default: the plan's About, or $DASHBOARD_COUNCIL)"
    )
    summary.add_argument(
        "--neighbours-model", choices=["2025", "2021"], default="2025", help="DfE statistical-neighbour model (default 2025)"
    )
    summary.set_defaults(func=cmd_summary)

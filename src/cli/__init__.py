"""Command line: `python -m src.cli SUBCOMMAND ...` (or the `improvement-dashboard` console script).

One module per group of subcommands, each with `register(subparsers)`, each importing what it shares
from `common` (the workbook options, `load_inputs`, `UsageError`, the exit-code wrapper); nothing in
the package imports this `__init__`, so there is no import cycle and no loader handed around:
- summary.py    `summary` (text report or --json)
- documents.py  `briefing` (brief, full pack, slide deck) and `export` (tables as Excel)
- returns.py    `returns` and `merge-returns` (the monthly update returns)

Exit codes: 0 ok (value-level problems are listed under data_quality); 2 a workbook or an
argument cannot be used (the message names the file, sheet and column); 1 an internal error.
"""

from __future__ import annotations

import argparse

from . import documents, returns, summary
from .common import UsageError, add_common_options, load_inputs, run_command
from .summary import build_summary, governance_lines, json_text, text_report

__all__ = ["UsageError", "add_common_options", "build_summary", "governance_lines", "json_text", "load_inputs", "main", "text_report"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m src.cli", description="Children's services improvement plan dashboard: command line.")
    commands = parser.add_subparsers(dest="command", required=True)
    for group in (summary, documents, returns):  # the order of `--help`
        group.register(commands)
    return run_command(parser.parse_args(argv))

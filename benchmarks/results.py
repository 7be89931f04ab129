"""The committed benchmark results: benchmarks/results.md, quoted verbatim by the README between
`<!-- benchmark-results -->` markers (tests/test_docs.py checks the two agree). Written only by
`python benchmarks/run.py [--large] --record`, never by hand."""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.md"
README = ROOT / "README.md"
START, END = "<!-- benchmark-results -->", "<!-- /benchmark-results -->"
SECTIONS = {False: "Embedded plan (34 tasks)", True: "Large programme (10,000 tasks, 120,000 updates, 90,000 caseload rows)"}


def _section_text(table: pd.DataFrame, large: bool, load: tuple[float, float] | None = None) -> str:
    when = dt.date.today().strftime("%-d %b %Y")
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}"
    # A shared machine's other work slows every step alike; the ratios, measured side by side, hold best.
    busy = f"; load average (1 min) {load[0]:.1f} at the start, {load[1]:.1f} at the end" if load else ""
    lines = [f"### {SECTIONS[large]}", "", f"Measured {when} on {machine}{busy}; medians of repeated runs.", ""]
    lines += ["| measure | result |", "|---|---|"]
    for row in table.itertuples():
        value = f"{row.median_s:.2f}x" if row.unit == "x" else f"{row.median_s:.3f} s"
        peak = "" if pd.isna(row.peak_mib) else f" (peak {row.peak_mib:,.0f} MiB)"
        lines.append(f"| {row.step} | {value}{peak} |")
    return "\n".join(lines) + "\n"


def _sections(text: str) -> dict[bool, str]:
    found = {}
    for large, title in SECTIONS.items():
        match = re.search(rf"### {re.escape(title)}\n.*?(?=\n### |\Z)", text, flags=re.S)
        if match:
            found[large] = match.group(0).rstrip("\n") + "\n"
    return found


def results_text() -> str:
    return RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""


def readme_quote(readme: str) -> str:
    """What the README quotes between the markers ("" when it has none)."""
    if START not in readme or END not in readme:
        return ""
    return readme[readme.index(START) + len(START) : readme.index(END)].strip("\n") + "\n"


def record(table: pd.DataFrame, large: bool, load: tuple[float, float] | None = None) -> None:
    sections = _sections(results_text())
    sections[large] = _section_text(table, large, load)
    body = "## Benchmark results\n\nWritten by `python benchmarks/run.py --all --record` (or `[--large] --record` for one section); do not edit by hand.\n\n"
    body += "\n".join(sections[k] for k in (False, True) if k in sections)
    RESULTS.write_text(body, encoding="utf-8")
    readme = README.read_text(encoding="utf-8")
    quoted = f"{START}\n{body}{END}"
    if START in readme and END in readme:
        readme = readme[: readme.index(START)] + quoted + readme[readme.index(END) + len(END) :]
    else:
        readme = readme.rstrip("\n") + "\n\n" + quoted + "\n"
    README.write_text(readme, encoding="utf-8")

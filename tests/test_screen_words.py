"""No developer words on screen or paper (issue 14, "Words for people, not for developers").

Every page of src/ui/navigation.PAGES is run headlessly at two reporting dates and all the text a person
can see is collected: titles, headings, markdown, captions, notices, widget labels and options, metric
labels and values, every table cell, and each chart's annotations, axis titles and trace names. The
Portfolio Holder brief (PDF) is read back with pypdf at the same two dates. None of it may hold a file
path, a script name, a commit hash, a column or enum name (`stat_neighbours`, `lower_is_better`,
`rate_per_10k`), "Rag", "declared", "roll-up", "Seeded simulation", an exception class name, or a
blank cell shown as "None".
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from src.ui.navigation import PAGES
from tests.apptest_helpers import run_page, use_embedded_workbooks  # noqa: F401 (an autouse fixture)

ROOT = Path(__file__).resolve().parents[1]
DATES = ("2017-03-31", "2017-12-31")

# (what it is, pattern). Case-sensitive unless the pattern says otherwise: "Rag" is banned, "RAG" is the word.
BANNED: tuple[tuple[str, re.Pattern], ...] = (
    ("a column name", re.compile(r"stat_neighbours|north_east\b|kpi_id\b|rec_ids\b")),
    ("a polarity code", re.compile(r"(?:lower|higher)_is_better")),
    ("a unit code", re.compile(r"rate_per_10k")),
    ("'Rag' for RAG", re.compile(r"\bRag\b")),
    ("'declared'", re.compile(r"(?i)\b(?:not )?declared?\b|\bdeclares\b")),
    ("'roll-up'", re.compile(r"(?i)\broll-?ups?\b")),
    ("'Seeded simulation'", re.compile(r"(?i)seeded simulation")),
    ("an exception class", re.compile(r"\(\w*(?:Error|Exception)\)|\b\w+(?:Error|Exception):")),
    ("a file path", re.compile(r"[\w.\-]+/[\w.\-/]+\.(?:py|csv|gz|xlsx|json|txt|md)\b|data-raw/|\bfile: ")),
    ("a script name", re.compile(r"\b[\w\-]+\.py\b")),
    ("a commit hash", re.compile(r"(?i)\bcommit [0-9a-f]{7,40}\b")),
)
BLANK_WORDS = {"None", "nan", "NaN", "NaT", "<NA>"}


def banned_in(text: str) -> list[str]:
    return [f"{what}: {m.group(0)!r}" for what, pattern in BANNED for m in pattern.finditer(text)]


def _chart_texts(spec: dict) -> list[str]:
    layout = spec.get("layout", {})
    out = [str(a.get("text", "")) for a in layout.get("annotations", []) or []]
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            title = axis.get("title")
            out.append(str(title.get("text", "") if isinstance(title, dict) else title or ""))
            out += [str(t) for t in axis.get("ticktext", []) or []]
    for trace in spec.get("data", []):
        out.append(str(trace.get("name") or ""))
        for key in ("x", "y"):
            values = trace.get(key)
            if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
                out += values
    return out


def screen_texts(at) -> list[tuple[str, str]]:
    """(where, text) for everything a person can read on the page AppTest ran."""
    found: list[tuple[str, str]] = []

    def walk(node, where: str) -> None:
        kind = type(node).__name__
        if kind == "Dataframe":
            frame = node.value
            found.append((f"{where} table header", " | ".join(map(str, frame.columns))))
            for column in frame.columns:
                for value in frame[column]:
                    shown = "None" if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)) else str(value)
                    if shown in BLANK_WORDS and frame[column].dtype == object:
                        found.append((f"{where} table column {column!r}", "blank cell shown as None"))
                    elif shown not in BLANK_WORDS:
                        found.append((f"{where} table column {column!r}", shown))
        elif kind == "UnknownElement" and getattr(node, "type", "") == "plotly_chart":
            found.extend((f"{where} chart", t) for t in _chart_texts(json.loads(node.proto.spec)))
        else:
            for attr in ("value", "label", "body", "options", "placeholder", "help"):
                try:
                    value = getattr(node, attr)
                except Exception:  # noqa: BLE001 (an element without that attribute raises its own error)
                    continue
                if isinstance(value, str) and value and kind not in ("Html", "Json"):
                    found.append((f"{where} {kind.lower()}", value))
                elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
                    found.extend((f"{where} {kind.lower()} option", v) for v in value)
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child, where)

    walk(at._tree, "")
    return found


def problems(texts: list[tuple[str, str]]) -> list[str]:
    out = []
    for where, text in texts:
        if text == "blank cell shown as None":
            out.append(f"{where}: {text}")
        out += [f"{where}: {hit} in {text[:160]!r}" for hit in banned_in(text)]
    return sorted(set(out))


def test_the_checker_finds_each_banned_word():
    """The rules themselves: each catches its example and passes the plain words that replace it."""
    for bad in (
        "Source: stat_neighbours: median",
        "polarity lower_is_better",
        "408.6 rate_per_10k",
        "Rag: Red",
        "Declared, 3 tasks",
        "Roll-up RAG",
        "Seeded simulation",
        "could not read it (CalamineError)",
        "(file: yauemily/CSC data/b1_children_in_need.csv (DfE EES download, commit a2c85164))",
        "built by scripts/build_plan_workbook.py",
    ):
        assert banned_in(bad), bad
    for good in (
        "statistical neighbours: median",
        "lower is better",
        "408.6 per 10,000 children",
        "RAG: Red",
        "Named under theme 4 in the plan",
        "Worst task RAG",
        "Illustrative progress",
        "DfE, Children in need statistics 2017, table B1",
        "improvement_plan.xlsx (Durham County Council), embedded",
    ):
        assert not banned_in(good), good


@pytest.mark.parametrize("as_at", DATES)
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.slug)
def test_no_developer_words_on_any_page(page, as_at):
    at = run_page(str(ROOT / page.file), 30, as_at=as_at)
    assert not at.exception, [e.value for e in at.exception]
    texts = screen_texts(at)
    assert len(texts) > 10, "the collector found (almost) nothing: it is not reading the page"
    assert problems(texts) == []


@pytest.mark.parametrize("as_at", DATES)
def test_no_developer_words_in_the_brief(as_at):
    from pypdf import PdfReader

    from src.analysis.performance_workbook import read_performance_file
    from src.analysis.plan_view import PlanView
    from src.analysis.workbook_paths import DEFAULT_PERFORMANCE, DEFAULT_PLAN, read_plan_file
    from src.export import images
    from src.export.briefing import build_document

    perf = read_performance_file(DEFAULT_PERFORMANCE)
    view = PlanView.build(read_plan_file(DEFAULT_PLAN), as_at, 30, perf.kpis)
    with pytest.MonkeyPatch.context() as patch:  # no Chromium: the words are what is checked, not the pictures
        patch.setattr(images, "chart_png", lambda *a, **k: (None, "no chart in this test"))
        pdf = build_document(view, perf, "brief", "pdf")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert len(text) > 500
    assert banned_in(text) == []

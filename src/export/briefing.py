"""The documents people already use, built from one content model (`brief_model`):

- the Portfolio Holder brief (2-4 A4 pages): tagged PDF or Word;
- the full briefing pack (every table): tagged PDF or Word;
- the Quality Improvement Board deck: PowerPoint, optionally on the council's own template.

`build_document` is the one entry point for the page and the CLI; `briefing_pdf` (the full pack as
PDF) keeps its old signature for the benchmark. Every figure comes from src/analysis through
`content` and `narrative`; charts are drawn once per document by `images` (a note in their place
when no Chromium answers in time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from src.analysis.dates import format_date
from src.analysis.exceptions import DEFAULT_DUE_WITHIN_DAYS

from . import brief_model

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # what a person calls it; also the start of the download's file name
    formats: tuple[str, ...]


BRIEF = Kind("brief", "Portfolio Holder brief", ("pdf", "docx"))
FULL = Kind("full", "Briefing pack (every table)", ("pdf", "docx"))
DECK = Kind("deck", "QIB slide deck", ("pptx",))
KINDS = {k.key: k for k in (BRIEF, FULL, DECK)}
FORMATS = ("pdf", "docx", "pptx")
MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def file_name(kind: str, fmt: str, as_at: pd.Timestamp) -> str:
    """A download named for a person: 'Portfolio Holder brief - 31 Mar 2017.docx'."""
    label = {"brief": "Portfolio Holder brief", "full": "Briefing pack", "deck": "QIB slides"}[kind]
    return f"{label} - {format_date(as_at)}.{fmt}"


def _noop(fraction: float, words: str) -> None:
    return None


def build_document(
    view,
    performance=None,
    kind: str = "brief",
    fmt: str = "pdf",
    due_within_days: int = DEFAULT_DUE_WITHIN_DAYS,
    template: bytes | None = None,
    progress: Progress | None = None,
    decisions: pd.DataFrame | None = None,
) -> bytes:
    """The document `kind` (brief, full, deck) in format `fmt` (pdf, docx, pptx) as bytes.

    `template` is a council's .pptx for the deck; `progress(fraction 0-1, words)` is told each step;
    `decisions` replaces the task-derived decisions (governance_log.decisions_needed at merge)."""
    if kind not in KINDS:
        raise ValueError(f"unknown document {kind!r}")
    if fmt not in KINDS[kind].formats:
        raise ValueError(f"the {KINDS[kind].label} is made as {' or '.join(KINDS[kind].formats)}, not {fmt}")
    step = progress or _noop
    step(0.05, "Gathering the figures")
    inputs = brief_model.gather(view, performance, due_within_days, decisions)
    step(0.25, "Drawing the charts and writing the words")
    if kind == "deck":
        from .pptx_writer import deck_pptx

        deck = brief_model.qib_deck(view, performance, due_within_days, inputs)
        step(0.8, "Laying out the slides")
        data = deck_pptx(deck, template)
    else:
        builder = brief_model.portfolio_brief if kind == "brief" else brief_model.full_pack
        doc = builder(view, performance, due_within_days, inputs)
        step(0.6, "Laying out the pages")
        if fmt == "pdf":
            from .pdf_writer import document_pdf

            data = document_pdf(doc)
        else:
            from .docx_writer import document_docx

            data = document_docx(doc)
    step(1.0, "Done")
    return data


def briefing_pdf(view, performance=None, due_within_days: int = DEFAULT_DUE_WITHIN_DAYS) -> bytes:
    """The full briefing pack (every table) as a tagged A4 PDF."""
    return build_document(view, performance, "full", "pdf", due_within_days)


def brief_pdf(view, performance=None, due_within_days: int = DEFAULT_DUE_WITHIN_DAYS) -> bytes:
    """The 2-4 page Portfolio Holder brief as a tagged A4 PDF."""
    return build_document(view, performance, "brief", "pdf", due_within_days)

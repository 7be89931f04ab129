"""A tracker's columns -> the contract's meanings (docs/trackers.md, "The mapping file").

A council's tracker says `What?`, `Who by?` and `Due Date (mm/yy)`; the dashboard needs to know
which column is the action wording, the lead, the finish date, the status. `propose` matches each
header against the documented synonyms (schema.TRACKER_SYNONYMS) after normalisation; rapidfuzz
may *suggest* a meaning for a header nothing matches, but a suggestion is never applied without a
person choosing it (or a saved mapping naming it). A `Mapping` is saved as a small JSON file or kept
as a `Mapping` sheet in the workbook, and reused next month.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .findings import Finding, Severity, WorkbookError
from .schema import TRACKER_MEANINGS, TRACKER_SYNONYMS, normalise_name

MAPPING_FORMAT = "improvement-plan tracker mapping"
MAPPING_VERSION = 1
FUZZY_SUGGEST_SCORE = 85  # 0-100 (rapidfuzz ratio); below it no suggestion is made
MAX_MAPPING_BYTES = 64 * 1024

_BY_SYNONYM: dict[str, str] = {}
for _meaning, _words in TRACKER_SYNONYMS.items():
    for _word in (_meaning, *_words):
        _BY_SYNONYM.setdefault(normalise_name(_word), _meaning)


@dataclass(frozen=True)
class ColumnProposal:
    """What one header is taken to mean: `how` is `exact` (a synonym), `mapping` (a saved mapping said so) or `none`."""

    index: int
    header: str
    meaning: str | None
    how: str
    suggestion: str | None = None  # a fuzzy guess, shown to the person, never applied by itself
    score: float | None = None


def exact_meaning(header: object) -> str | None:
    """The meaning a header has by the documented synonyms (None when it names nothing we know)."""
    if not isinstance(header, str) or not header.strip():
        return None
    return _BY_SYNONYM.get(normalise_name(header))


def suggest_meaning(header: object) -> tuple[str | None, float | None]:
    """A fuzzy guess (meaning, score 0-100) for a header with no exact match; (None, None) when nothing is close."""
    if not isinstance(header, str) or not normalise_name(header):
        return None, None
    found = process.extractOne(normalise_name(header), list(_BY_SYNONYM), scorer=fuzz.ratio, score_cutoff=FUZZY_SUGGEST_SCORE)
    if not found:
        return None, None
    return _BY_SYNONYM[found[0]], float(found[1])


def propose(headers: list[object], given: dict[str, str] | None = None) -> list[ColumnProposal]:
    """A meaning per non-blank header: the saved mapping first, else an exact synonym, else nothing (with a suggestion).

    Where two columns both read as the action wording (`Action | Activity`), the right-most keeps
    `task` and the others become `milestone` (the wording the actions sit under); see docs/trackers.md.
    """
    given_norm = {normalise_name(k): v for k, v in (given or {}).items()}
    out: list[ColumnProposal] = []
    for index, header in enumerate(headers):
        if header is None or (isinstance(header, str) and not header.strip()):
            continue
        text = str(header).strip()
        key = normalise_name(text)
        if key in given_norm:
            out.append(ColumnProposal(index, text, given_norm[key] if given_norm[key] != "ignore" else None, "mapping"))
            continue
        if given is not None:  # a saved mapping is complete: columns it does not name are ignored
            out.append(ColumnProposal(index, text, None, "none"))
            continue
        meaning = exact_meaning(text)
        if meaning:
            out.append(ColumnProposal(index, text, meaning, "exact"))
        else:
            suggestion, score = suggest_meaning(text)
            out.append(ColumnProposal(index, text, None, "none", suggestion, score))
    if given is None:
        out = _one_per_meaning(out)
    return out


def _one_per_meaning(proposals: list[ColumnProposal]) -> list[ColumnProposal]:
    """Two columns may not share a meaning: the right-most `task` wins (others become `milestone`); else the first wins."""
    tasks = [p for p in proposals if p.meaning == "task"]
    result: list[ColumnProposal] = []
    seen: set[str] = set()
    for p in proposals:
        meaning = p.meaning
        if meaning == "task" and len(tasks) > 1 and p is not tasks[-1]:
            meaning = "milestone" if p is tasks[-2] and "milestone" not in {q.meaning for q in proposals} else None
        if meaning and meaning in seen:
            meaning = None
        if meaning:
            seen.add(meaning)
        result.append(ColumnProposal(p.index, p.header, meaning, p.how if meaning == p.meaning else "exact", p.suggestion, p.score))
    return result


def columns_by_meaning(proposals: list[ColumnProposal]) -> dict[str, int]:
    return {p.meaning: p.index for p in proposals if p.meaning}


@dataclass
class Mapping:
    """A tracker's layout, as a person confirmed it. `columns`: header as written -> meaning (or `ignore`)."""

    columns: dict[str, str]
    sheets: list[str] = field(default_factory=list)  # empty: every sheet whose headers match
    status_as_at: str | None = None  # ISO date the status column describes
    rag_scale: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        record: dict = {"format": MAPPING_FORMAT, "version": MAPPING_VERSION, "columns": self.columns}
        if self.sheets:
            record["sheets"] = self.sheets
        if self.status_as_at:
            record["status_as_at"] = self.status_as_at
        if self.rag_scale:
            record["rag_scale"] = self.rag_scale
        return json.dumps(record, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes, source: str = "mapping file") -> Mapping:
        """Read a saved mapping; anything wrong is a WorkbookError naming the file and the entry."""

        def fail(message: str, advice: str = "Download the mapping again from the dashboard's mapping step.") -> WorkbookError:
            return WorkbookError([Finding(source, None, None, None, message, Severity.ERROR, advice)])

        if isinstance(text, bytes):
            if len(text) > MAX_MAPPING_BYTES:
                raise fail(f"The mapping file is {len(text):,} bytes; a mapping is a few hundred.")
            text = text.decode("utf-8-sig", errors="replace")
        try:
            record = json.loads(text)
        except ValueError as error:
            raise fail(f"The mapping file is not valid JSON (line {getattr(error, 'lineno', '?')}).") from None
        if not isinstance(record, dict) or not isinstance(record.get("columns"), dict) or not record["columns"]:
            raise fail("The mapping file has no `columns` entry (header -> meaning).")
        columns: dict[str, str] = {}
        for header, meaning in record["columns"].items():
            wanted = normalise_name(meaning) if isinstance(meaning, str) else ""
            if wanted not in (*TRACKER_MEANINGS, "ignore"):
                raise fail(
                    f"The mapping gives column '{header}' the meaning '{meaning}', which is not one the dashboard knows.",
                    "Use one of: " + ", ".join(TRACKER_MEANINGS) + " or ignore.",
                )
            columns[str(header)] = wanted
        meanings = [m for m in columns.values() if m != "ignore"]
        doubled = sorted({m for m in meanings if meanings.count(m) > 1})
        if doubled:
            raise fail(f"The mapping gives the meaning {', '.join(doubled)} to more than one column.", "Give each meaning to one column.")
        sheets = record.get("sheets") or []
        scale = record.get("rag_scale") or []
        if not isinstance(sheets, list) or not isinstance(scale, list):
            raise fail("`sheets` and `rag_scale` must be lists.")
        as_at = record.get("status_as_at")
        return cls(columns, [str(s) for s in sheets], str(as_at) if as_at else None, [str(s) for s in scale])

    @classmethod
    def from_proposals(cls, proposals: list[ColumnProposal], sheets: list[str] | None = None, status_as_at: str | None = None) -> Mapping:
        return cls({p.header: p.meaning or "ignore" for p in proposals}, list(sheets or []), status_as_at)

    def missing_columns(self, headers: list[object]) -> list[str]:
        """Columns the mapping names (other than `ignore`) that the given header row does not have."""
        present = {normalise_name(h) for h in headers if isinstance(h, str) and h.strip()}
        return [h for h, m in self.columns.items() if m != "ignore" and normalise_name(h) not in present]

"""Workbook text made inert: the characters every output (screen, chart, terminal) must not pass on raw.

Plain Python, shared by src/ui/safe.py (Streamlit text), src/charts/base.py (plotly labels) and the
CLI's text report. Every string in a workbook is untrusted: it is shown as the literal text it is.
"""

from __future__ import annotations

import re

from .values import is_blank

# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): a lead named
# "\u202eredaeL" shows as "Leader" and reverses the rest of a chart label or a terminal line.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_BIDI_TABLE = {ord(c): None for c in BIDI_CONTROLS}
# C0 controls except tab and newline, DEL and C1 controls (ESC starts terminal escape sequences;
# U+009B is the one-character CSI): removed from labels, shown escaped in the terminal report.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_UNSAFE_FOR_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def as_text(value: object) -> str:
    """Any cell value as a string: blank (None, NaN, NaT) as ''."""
    if isinstance(value, str):
        return value
    return "" if is_blank(value) else str(value)


def strip_bidi(text: str) -> str:
    """`text` without bidi embedding, override and isolate characters."""
    return text.translate(_BIDI_TABLE)


def clean_label(value: object) -> str:
    """Text for a one-line label: bidi controls and control characters removed (newline and tab become spaces)."""
    text = strip_bidi(as_text(value))
    if "\n" in text or "\t" in text or "\r" in text:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return _CONTROL.sub("", text)


def terminal_text(value: object) -> str:
    """Text safe to print to a terminal: control characters (except newline and tab), ESC sequences and
    bidi controls shown as visible escapes (`\\x1b`, `\\u202e`), never sent raw."""
    text = as_text(value)
    return _UNSAFE_FOR_TERMINAL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)

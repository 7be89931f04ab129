"""Colours for charts: the Analysis Function categorical palette and an accessible RAG scheme.

RAG is never shown by colour alone (WCAG 2.2 AA, 1.4.1): each RAG has a colour that differs in
LIGHTNESS as well as hue, a fill pattern, and its word in every legend, hover and label. Text drawn
on a coloured bar uses whichever of white or near-black gives at least 4.5:1 contrast (1.4.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from src.analysis.plan_workbook import RAG_ORDER, Rag

WHITE = "#FFFFFF"
BLACK = "#0B0C0C"  # GOV.UK text colour: near-black, 19.8:1 on white
GRID = "#DDDDDD"
MIN_TEXT_CONTRAST = 4.5


class Category(Enum):
    """Analysis Function categorical palette, in the order to use it."""

    DARK_BLUE = "#12436D"
    TURQUOISE = "#28A197"
    DARK_PINK = "#801650"
    ORANGE = "#F46A25"


CATEGORY_COLOURS = [c.value for c in Category]


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance (0 black to 1 white) of a `#RRGGBB` colour."""
    value = hex_colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"expected #RRGGBB, got {hex_colour!r}")
    channels = []
    for i in (0, 2, 4):
        c = int(value[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio, 1 (none) to 21 (black on white)."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


def text_colour_on(background: str) -> str:
    """White or near-black, whichever contrasts more with `background`."""
    return WHITE if contrast_ratio(WHITE, background) >= contrast_ratio(BLACK, background) else BLACK


@dataclass(frozen=True)
class RagStyle:
    rag: Rag
    colour: str
    pattern: str  # plotly marker.pattern.shape
    meaning: str  # the word's meaning, for hover and descriptions

    @property
    def text_colour(self) -> str:
        return text_colour_on(self.colour)


# CIELAB lightness L*: Red 35, Green 46, Blue 59, Amber 74, Cancelled 89, at least 11 apart, so
# the five stay apart for readers who see no hue (the brief's Red #B21E28 at L* 39 was too near
# Green, and a mid blue #1D70B8 at L* 46 matched Green exactly; grey #B1B4B6 matched Amber).
RAG_STYLES: dict[Rag, RagStyle] = {
    Rag.RED: RagStyle(Rag.RED, "#A4161F", "x", "off track"),
    Rag.AMBER: RagStyle(Rag.AMBER, "#F5A623", "/", "at risk"),
    Rag.GREEN: RagStyle(Rag.GREEN, "#2E7D32", "", "on track"),
    Rag.BLUE: RagStyle(Rag.BLUE, "#5694CA", ".", "complete"),
    Rag.CANCELLED: RagStyle(Rag.CANCELLED, "#DEE0E2", "-", "cancelled, counted nowhere"),
}


def lightness(hex_colour: str) -> float:
    """CIELAB L* (0 black to 100 white): how light a colour looks, whatever its hue."""
    y = relative_luminance(hex_colour)
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else y * 24389 / 27


def rag_style(rag: object) -> RagStyle:
    return RAG_STYLES[Rag(str(rag))]


def rag_pattern(rag: object) -> dict:
    """marker.pattern for a RAG: the shape, drawn faintly in the text colour so labels stay legible."""
    style = rag_style(rag)
    # overlay: the pattern is drawn over the RAG colour; the default "replace" would paint the bar white.
    return {"shape": style.pattern, "fillmode": "overlay", "fgcolor": style.text_colour, "fgopacity": 0.3, "size": 10, "solidity": 0.12}


__all__ = [
    "BLACK",
    "CATEGORY_COLOURS",
    "Category",
    "GRID",
    "MIN_TEXT_CONTRAST",
    "RAG_ORDER",
    "RAG_STYLES",
    "RagStyle",
    "WHITE",
    "contrast_ratio",
    "lightness",
    "rag_pattern",
    "rag_style",
    "relative_luminance",
    "text_colour_on",
]

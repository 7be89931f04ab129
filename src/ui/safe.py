"""Workbook text shown as the literal text it is, in every Streamlit element that reads Markdown.

Streamlit 1.67 renders GitHub-flavoured Markdown in st.markdown, st.caption, st.header/subheader,
st.error/warning/success/info, st.table cells, metric labels and help, tab and expander labels,
with its extras: KaTeX between `$`, colour and other directives (`:red[...]`, `:small[...]`),
emoji and icon shortcodes (`:smile:`, `:material/home:`), and bare URLs become links. A task,
lead, commentary, KPI, theme, sheet or file name must never become a link, an image fetched from
somewhere, a heading, a list, a formula or colour. Rules:

- `md(value)` for workbook text inside any Markdown element; the page keeps its own `**bold**`
  outside: `st.markdown(f"**Lead:** {md(lead)}")`.
- `plain(value)` for plain-text places (selectbox and multiselect options via format_func, which
  Streamlit shows as text): bidi and control characters removed, nothing escaped.
"""

from __future__ import annotations

import re

import pandas as pd

from src.analysis.textsafe import clean_label

# Backslash escapes (CommonMark allows one before any ASCII punctuation), only where a character can
# start markup, so ordinary text reaches the page unchanged (and stays searchable and copyable):
_ANYWHERE = re.compile(
    r"([\\`*\[\]<>$~|@])"
)  # code, emphasis, links/images/directive labels, HTML, KaTeX, strikethrough, tables, email links
_COLON = re.compile(r":(?=\S)")  # directives (:red[...]), shortcodes (:smile:, :material/home:), URL schemes (http://)
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")  # emphasis; not inside a word (file_name)
_ENTITY = re.compile(r"&(?=#?\w+;)")  # &lt; &#60;
_BARE_LINK = re.compile(r"(?i)\\:/|www\.")  # GFM links http://, www. (and name@host) in the parsed text
_BLOCK_START = re.compile(r"^([#>+\-=])")  # a heading, quote, list item or rule at the start
_ORDERED = re.compile(r"^(\d+)([.)])")  # an ordered list item at the start
# Emoji and icon shortcodes are replaced in the parsed text, after escapes are resolved: a word
# joiner (U+2060, invisible) after the opening colon stops `:smile:` from matching.
_SHORTCODE = re.compile(r":(?=[\w+\-/]+:)")
WORD_JOINER = "\u2060"


def plain(value: object) -> str:
    """Workbook text for a plain-text place (an option label): bidi and control characters removed."""
    return clean_label(value)


def md(value: object) -> str:
    """Workbook text as literal text inside Streamlit Markdown: one line; every character that could start
    Markdown, HTML, KaTeX, a directive, a shortcode or a bare link escaped; bidi and control characters removed."""
    text = " ".join(clean_label(value).split())
    text = _ANYWHERE.sub(r"\\\1", text)
    text = _SHORTCODE.sub(":" + WORD_JOINER, text)
    text = _COLON.sub(r"\\:", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub(r"\\&", text)
    # Bare links are found in the parsed text (after escapes), so a word joiner breaks them there.
    text = _BARE_LINK.sub(lambda m: m.group(0)[:-1] + WORD_JOINER + m.group(0)[-1], text).replace("\\@", "\\@" + WORD_JOINER)
    text = _ORDERED.sub(r"\1\\\2", text, count=1)
    return _BLOCK_START.sub(r"\\\1", text, count=1)


def md_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for st.table (which renders Markdown in its cells and headers): text cells through md."""
    out = frame.copy()
    out.columns = [md(c) for c in out.columns]
    for column in out.columns:
        if pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: md(v) if isinstance(v, str) else v)
    return out

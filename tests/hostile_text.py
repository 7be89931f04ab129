"""Workbooks whose every text is an attack on the screen (issue 10, "workbook text is interpreted"), and the
checks that find markup rendered from them. Shared by tests/test_output_safety.py and tests/e2e.

The embedded plan and performance workbooks with their texts replaced: task names, leads, commentary,
themes, recommendations, milestones, risks, LSCB actions, KPI names and definitions, team names, the
organisation and title, each carrying a Markdown link, an image, a heading, raw HTML, KaTeX, a colour
directive, a shortcode, a bare URL, a bidi override or a formula. Every attack names `evil.example`, so
a check can tell workbook text from the app's own words.
"""

from __future__ import annotations

import re

import pandas as pd

from src.analysis.workbook_paths import DEFAULT_PERFORMANCE, DEFAULT_PLAN
from src.xlsx import build_workbook, workbook_bytes

MARK = "evil.example"
LINK = "[click here](http://evil.example/phish)"
IMAGE = "![x](http://evil.example/x.png)"
HTML_IMAGE = '<img src="http://evil.example/y.png">'
HTML_LINK = '<a href="http://evil.example/a">a</a>'
SPAN = '<span style="color:red">evil.example</span>'
FILE_NAME = "plan [f](http://evil.example/f).xlsx"

ATTACKS = [
    f"# Heading from evil.example {LINK}",
    f"{IMAGE} and {HTML_IMAGE}",
    f"$x^2$ :red[evil.example] :smile: {HTML_LINK}",
    f"1. a list from evil.example {SPAN}",
    "- item www.evil.example **bold** _em_ ~~gone~~ `code` <b>evil.example</b>",
    f"\u202eLead evil.example\u202c {LINK}",
    f"line one evil.example\n# heading on its own line\n\n{IMAGE}",
    '=HYPERLINK("http://evil.example","open") evil.example',
]


def attack(i: int) -> str:
    return ATTACKS[i % len(ATTACKS)]


def _texts(frame: pd.DataFrame, columns: list[str], offset: int = 0) -> pd.DataFrame:
    frame = frame.copy()
    for j, column in enumerate(columns):
        if column in frame:
            frame[column] = [attack(offset + j + i) for i in range(len(frame))]
    return frame


def _sheets(path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(path, sheet_name=None, engine="calamine")


def _about(frame: pd.DataFrame, values: dict[str, str]) -> pd.DataFrame:
    frame = frame.copy()
    for key, value in values.items():
        if (frame["key"] == key).any():
            frame.loc[frame["key"] == key, "value"] = value
        else:
            frame.loc[len(frame)] = [key, value]
    return frame


def hostile_plan_bytes() -> bytes:
    sheets = _sheets(DEFAULT_PLAN)
    sheets["About"] = _about(
        sheets["About"],
        {"organisation": f"Evil Council {LINK}", "title": f'=HYPERLINK("http://{MARK}","x") # {MARK} plan', "data_status": attack(2)},
    )
    sheets["Recommendations"] = _texts(sheets["Recommendations"], ["recommendation"], 1)
    sheets["Themes"] = _texts(sheets["Themes"], ["theme", "chair"], 2)
    # Leads: a few distinct hostile names (they become filter options and groups), bidi override included.
    tasks = _texts(sheets["Tasks"], ["milestone", "task"], 3)
    tasks["lead"] = [attack(5 + i % 3) for i in range(len(tasks))]
    sheets["Tasks"] = tasks
    sheets["Updates"] = _texts(sheets["Updates"], ["commentary"], 4)
    sheets["Risks"] = _texts(sheets["Risks"], ["risk", "response", "mitigation"], 5)
    sheets["LSCB_Actions"] = _texts(sheets["LSCB_Actions"], ["action", "lead"], 6)
    return workbook_bytes(build_workbook(sheets))


def hostile_performance_bytes() -> bytes:
    sheets = _sheets(DEFAULT_PERFORMANCE)
    sheets["About"] = _about(sheets["About"], {"organisation": f'=HYPERLINK("http://{MARK}") {MARK} {IMAGE}', "source": attack(0)})
    sheets["KPIs"] = _texts(sheets["KPIs"], ["kpi", "definition", "source"], 1)
    teams = {team: attack(i) for i, team in enumerate(sorted(sheets["Caseloads"]["team"].unique()))}
    for name in ("Caseloads", "Workforce"):
        sheets[name] = sheets[name].assign(team=sheets[name]["team"].map(teams))
    return workbook_bytes(build_workbook(sheets))


# ---- checks -----------------------------------------------------------------------------------

BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_UNESCAPED = [
    ("KaTeX", re.compile(r"(?<!\\)\$")),
    ("colour directive", re.compile(r"(?<!\\):red\\?\[")),
    ("bare link", re.compile(r"(?i)(?:https?|ftp)://|www\.|\w@\w")),  # GFM links these in the parsed (unescaped) text
    ("shortcode", re.compile(r"(?<!\\):smile:")),
    ("bidi override", BIDI),
]
_MARKUP_TOKENS = {"link_open": "link", "image": "image", "heading_open": "heading", "html_inline": "HTML", "html_block": "HTML"}


def markdown_problems(body: str) -> list[str]:
    """What a Markdown body would render from workbook text: links, images, headings, HTML (CommonMark
    through markdown-it, as Streamlit's parser reads it), and KaTeX, directives, bare links, shortcodes
    and bidi overrides (Streamlit's extensions, by pattern). Empty when the body is inert."""
    from markdown_it import MarkdownIt

    problems = []
    for token in MarkdownIt("commonmark").enable(["strikethrough", "table"]).parse(body):
        for t in [token, *(token.children or [])]:
            if t.type in _MARKUP_TOKENS:
                problems.append(_MARKUP_TOKENS[t.type])
    resolved = re.sub(r"\\(.)", r"\1", body)  # the text as the parser leaves it, escapes resolved
    problems += [name for name, pattern in _UNESCAPED if pattern.search(resolved if name == "bare link" else body)]
    return problems


_PLOTLY_MARKUP = re.compile(r"<\s*(?:a|img|span|iframe|script|svg|style)\b|<b>evil", re.IGNORECASE)


def plotly_problems(text: str) -> list[str]:
    """Live plotly markup in a figure string: a link, image or styled span tag (or the workbook's own bold),
    and bidi overrides. Escaped text (`&lt;a href=...`) is what plotly shows literally."""
    return [m.group(0) for m in _PLOTLY_MARKUP.finditer(text)] + (["bidi override"] if BIDI.search(text) else [])


def strings(value: object):
    """Every string inside a nested dict/list (a figure's JSON)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from strings(v)
